// Bounding-volume math: boxes, spheres and regions in world space, distances,
// containment, frustum culling with the camera's projection, and subdivision.
#include "engine/tiles/bounds.h"

#include <array>
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>
#include <glm/glm.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "engine/geo/geo.h"
#include "engine/render/camera.h"

namespace {

using namespace zw::tiles;

constexpr double pi = std::numbers::pi;
constexpr double deg = pi / 180.0;

void expect_vec_near(const glm::dvec3& a, const glm::dvec3& b, double tolerance) {
    EXPECT_NEAR(a.x, b.x, tolerance);
    EXPECT_NEAR(a.y, b.y, tolerance);
    EXPECT_NEAR(a.z, b.z, tolerance);
}

Obb unit_box(const glm::dvec3& center, const glm::dvec3& half) {
    return Obb{center, glm::dmat3(half.x, 0, 0, 0, half.y, 0, 0, 0, half.z)};
}

TEST(Bounds, BoxThroughScaleRotationAndTranslation) {
    const std::array<double, 12> box = {1, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};
    glm::dmat4 m = glm::translate(glm::dmat4(1.0), glm::dvec3(100, 200, 300));
    m = glm::rotate(m, pi / 2, glm::dvec3(0, 0, 1));  // x -> y, y -> -x
    m = glm::scale(m, glm::dvec3(10, 10, 10));
    const Bounds b = bounds_from_box(box, m);
    expect_vec_near(b.box.center, {100, 210, 300}, 1e-9);   // the centre as a point
    expect_vec_near(b.box.half_axes[0], {0, 20, 0}, 1e-9);  // the axes as vectors
    expect_vec_near(b.box.half_axes[1], {-30, 0, 0}, 1e-9);
    expect_vec_near(b.box.half_axes[2], {0, 0, 40}, 1e-9);
    EXPECT_NEAR(b.sphere.radius, std::sqrt(20.0 * 20 + 30 * 30 + 40 * 40), 1e-9);
    expect_vec_near(b.sphere.center, b.box.center, 0);
    EXPECT_DOUBLE_EQ(max_scale(m), 10.0);
}

TEST(Bounds, SphereScalesByTheLargestAxis) {
    const std::array<double, 4> sphere = {1, 2, 3, 5};
    const glm::dmat4 m =
        glm::scale(glm::translate(glm::dmat4(1.0), glm::dvec3(10, 0, 0)), glm::dvec3(2, 3, 1));
    const Bounds b = bounds_from_sphere(sphere, m);
    expect_vec_near(b.sphere.center, {12, 6, 3}, 1e-12);
    EXPECT_DOUBLE_EQ(b.sphere.radius, 15.0);
    // The box encloses the sphere.
    EXPECT_TRUE(contains(b.box, b.sphere.center + glm::dvec3(15, 0, 0)));
    EXPECT_TRUE(contains(b.box, b.sphere.center - glm::dvec3(0, 0, 15)));
}

TEST(Bounds, EnclosingSphereOfASkewedBoxReachesEveryCorner) {
    const Obb box{{1, 2, 3}, glm::dmat3(glm::dvec3(1, 0, 0), glm::dvec3(1, 1, 0), glm::dvec3(0, 0.5, 2))};
    const Sphere s = enclosing_sphere(box);
    double farthest = 0;
    for (int i = 0; i < 8; ++i) {
        const glm::dvec3 corner = box.center + box.half_axes[0] * ((i & 1) ? 1.0 : -1.0) +
                                  box.half_axes[1] * ((i & 2) ? 1.0 : -1.0) +
                                  box.half_axes[2] * ((i & 4) ? 1.0 : -1.0);
        farthest = std::max(farthest, glm::length(corner - s.center));
    }
    EXPECT_NEAR(s.radius, farthest, 1e-12);
}

TEST(Bounds, RegionEnclosesItsCurvedSurfaces) {
    const Region r{10.80 * deg, 49.60 * deg, 10.86 * deg, 49.64 * deg, 250.0, 420.0};
    const Bounds b = bounds_from_region(r);
    for (int i = 0; i <= 20; ++i) {
        for (int j = 0; j <= 20; ++j) {
            for (const double h : {r.min_height, r.max_height}) {
                const double lon = r.west + (r.east - r.west) * i / 20,
                             lat = r.south + (r.north - r.south) * j / 20;
                const glm::dvec3 p = zw::geo::geodetic_to_ecef({lat / deg, lon / deg, h});
                EXPECT_TRUE(contains(b.box, p)) << i << " " << j << " " << h;
            }
        }
    }
    // The top bulges above the chord between the edges: its centre is the highest point.
    const glm::dvec3 top = zw::geo::geodetic_to_ecef({49.62, 10.83, 420.0});
    EXPECT_TRUE(contains(b.box, top));
    // Tight: the box is about 4.3 km x 4.4 km x (170 m + the ~0.4 m sag of the ground).
    EXPECT_NEAR(2 * glm::length(b.box.half_axes[0]), 4340, 30);
    EXPECT_NEAR(2 * glm::length(b.box.half_axes[1]), 4450, 30);
    EXPECT_LT(2 * glm::length(b.box.half_axes[2]), 172);
    EXPECT_GT(2 * glm::length(b.box.half_axes[2]), 170);
}

TEST(Bounds, LargeAndAntimeridianRegionsAreEnclosed) {
    // A quarter of the globe, and a band across the antimeridian (west > east).
    for (const Region r : {Region{-pi / 2, 0, 0, pi / 2, -100, 9000}, Region{3.0, -0.2, -3.0, 0.3, 0, 100}}) {
        const Bounds b = bounds_from_region(r);
        const double span = r.east >= r.west ? r.east - r.west : r.east - r.west + 2 * pi;
        for (int i = 0; i <= 37; ++i) {
            for (int j = 0; j <= 37; ++j) {
                for (const double h : {r.min_height, r.max_height}) {
                    const double lon = r.west + span * i / 37, lat = r.south + (r.north - r.south) * j / 37;
                    EXPECT_TRUE(contains(b.box, zw::geo::geodetic_to_ecef({lat / deg, lon / deg, h})));
                }
            }
        }
        // Nothing on the opposite side of the Earth is inside.
        const double lon_c = r.west + span / 2 + pi;
        EXPECT_FALSE(contains(b.box, zw::geo::geodetic_to_ecef({0, lon_c / deg, 0})));
    }
}

TEST(Bounds, DistanceToABox) {
    const Obb box = unit_box({10, 0, 0}, {1, 2, 3});
    EXPECT_EQ(distance(box, {10.5, 1, -2}), 0);                             // inside
    EXPECT_DOUBLE_EQ(distance(box, {15, 0, 0}), 4);                         // off a face
    EXPECT_DOUBLE_EQ(distance(box, {12, 3, 0}), std::sqrt(2.0));            // off an edge
    EXPECT_NEAR(distance(box, {12, 4, 6}), std::sqrt(1.0 + 4 + 9), 1e-12);  // off a corner
    EXPECT_TRUE(contains(box, {11, 2, 3}));
    EXPECT_FALSE(contains(box, {11.01, 0, 0}));

    // Rotated by 45 degrees about z.
    const double s = std::sqrt(0.5);
    const Obb rotated{{0, 0, 0}, glm::dmat3(glm::dvec3(s, s, 0), glm::dvec3(-s, s, 0), glm::dvec3(0, 0, 1))};
    EXPECT_NEAR(distance(rotated, {3, 0, 0}), 3 - std::sqrt(2.0), 1e-12);  // towards a corner of the square
    EXPECT_NEAR(distance(rotated, {2, 2, 0}), std::sqrt(8.0) - 1, 1e-12);  // towards a face
}

TEST(Bounds, DistanceToFlatAndSkewedBoxes) {
    // A flat box (zero z axis): the distance above it is the height.
    const Obb flat{{0, 0, 0}, glm::dmat3(glm::dvec3(1, 0, 0), glm::dvec3(0, 1, 0), glm::dvec3(0))};
    EXPECT_DOUBLE_EQ(distance(flat, {0.5, 0.5, 7}), 7);
    EXPECT_DOUBLE_EQ(distance(flat, {2, 0, 0}), 1);
    EXPECT_TRUE(contains(flat, {0.2, -0.3, 0}));
    // A segment (two zero axes).
    const Obb segment{{0, 0, 0}, glm::dmat3(glm::dvec3(0, 0, 5), glm::dvec3(0), glm::dvec3(0))};
    EXPECT_DOUBLE_EQ(distance(segment, {3, 4, 2}), 5);

    // A skewed box (a parallelogram prism): compare with a brute-force search.
    const Obb skew{{1, 1, 0},
                   glm::dmat3(glm::dvec3(2, 0, 0), glm::dvec3(1.5, 1, 0), glm::dvec3(0.3, 0.2, 0.5))};
    for (const glm::dvec3 p :
         {glm::dvec3(6, 0, 0), glm::dvec3(-4, 3, 1), glm::dvec3(1, 5, -3), glm::dvec3(1, 1, 0)}) {
        double best = 1e300;
        const int n = 40;
        for (int i = 0; i <= n; ++i) {
            for (int j = 0; j <= n; ++j) {
                for (int k = 0; k <= n; ++k) {
                    const glm::dvec3 t{-1.0 + 2.0 * i / n, -1.0 + 2.0 * j / n, -1.0 + 2.0 * k / n};
                    best = std::min(best, glm::length(p - (skew.center + skew.half_axes * t)));
                }
            }
        }
        const double d = distance(skew, p);
        EXPECT_LE(d, best + 1e-9);  // never more than a point of the box
        EXPECT_GE(d, best - 0.1);   // and close to the grid's best (cells are < 0.2 across)
    }
}

TEST(Bounds, CullingWithTheCameraProjection) {
    zw::render::Camera camera;
    camera.look_at({0, 0, 0}, {0, 10, 0});  // looking north (+y), up is +z
    const glm::dmat4 vp = camera.projection(16.0 / 9.0) * camera.view_rotation();
    const CullingVolume cv = CullingVolume::from_matrix(vp);
    EXPECT_EQ(cv.count, 5);  // the infinite far plane is dropped
    for (int i = 0; i < cv.count; ++i)
        EXPECT_NEAR(glm::length(glm::dvec3(cv.planes[i])), 1.0, 1e-12);

    EXPECT_TRUE(cv.visible(unit_box({0, 50, 0}, {1, 1, 1})));
    EXPECT_TRUE(cv.visible(unit_box({0, 1e7, 0}, {1, 1, 1})));     // far away: no far plane
    EXPECT_FALSE(cv.visible(unit_box({0, -50, 0}, {1, 1, 1})));    // behind
    EXPECT_FALSE(cv.visible(unit_box({-200, 20, 0}, {1, 1, 1})));  // far left
    EXPECT_FALSE(cv.visible(unit_box({0, 20, 200}, {1, 1, 1})));   // far above
    EXPECT_TRUE(cv.visible(unit_box({0, -50, 0}, {1, 60, 1})));    // reaches in front
    EXPECT_TRUE(cv.visible(Sphere{{0, 50, 0}, 1}));
    EXPECT_FALSE(cv.visible(Sphere{{0, -50, 0}, 10}));
    EXPECT_TRUE(cv.visible(Sphere{{0, -50, 0}, 60}));

    // A long thin box rotated into view: its rotated axes count, not its centre alone.
    const double s = std::sqrt(0.5);
    const Obb diagonal{
        {-60, -10, 0},
        glm::dmat3(glm::dvec3(100 * s, 100 * s, 0), glm::dvec3(-s, s, 0), glm::dvec3(0, 0, 1))};
    EXPECT_TRUE(cv.visible(diagonal));
}

TEST(Bounds, CullingAtEcefMagnitudes) {
    // A camera 300 m above Weisendorf looking north along the ground, in ECEF.
    const glm::dmat4 enu = zw::geo::enu_to_ecef(zw::geo::weisendorf);
    zw::render::Camera camera;
    camera.set_frame(glm::dmat3(enu));
    const glm::dvec3 eye = glm::dvec3(enu * glm::dvec4(0, 0, 300, 1));
    const glm::dvec3 ahead = glm::dvec3(enu * glm::dvec4(0, 1000, 0, 1));
    const glm::dvec3 behind = glm::dvec3(enu * glm::dvec4(0, -1000, 0, 1));
    camera.look_at(eye, ahead);
    const glm::dmat4 vp =
        camera.projection(1.5) * camera.view_rotation() * glm::translate(glm::dmat4(1.0), -camera.eye());
    const CullingVolume cv = CullingVolume::from_matrix(vp);
    const glm::dmat3 axes = glm::dmat3(enu) * 20.0;
    EXPECT_TRUE(cv.visible(Obb{ahead, axes}));
    EXPECT_FALSE(cv.visible(Obb{behind, axes}));
}

TEST(Bounds, SubdivideBoxes) {
    const Obb box{{0, 0, 0}, glm::dmat3(glm::dvec3(2, 0, 0), glm::dvec3(0, 4, 0), glm::dvec3(0, 0, 6))};
    const Obb q3 = subdivide(box, 3, false);  // x upper, y upper, full z
    expect_vec_near(q3.center, {1, 2, 0}, 0);
    expect_vec_near(q3.half_axes[0], {1, 0, 0}, 0);
    expect_vec_near(q3.half_axes[1], {0, 2, 0}, 0);
    expect_vec_near(q3.half_axes[2], {0, 0, 6}, 0);
    const Obb o4 = subdivide(box, 4, true);  // x lower, y lower, z upper
    expect_vec_near(o4.center, {-1, -2, 3}, 0);
    expect_vec_near(o4.half_axes[2], {0, 0, 3}, 0);
}

TEST(Bounds, SubdivideRegions) {
    const Region r{0.0, 0.2, 0.4, 0.6, 0, 100};
    const Region east_north = subdivide(r, 3, false);
    EXPECT_DOUBLE_EQ(east_north.west, 0.2);
    EXPECT_DOUBLE_EQ(east_north.east, 0.4);
    EXPECT_DOUBLE_EQ(east_north.south, 0.4);
    EXPECT_DOUBLE_EQ(east_north.north, 0.6);
    EXPECT_DOUBLE_EQ(east_north.max_height, 100);
    const Region low = subdivide(r, 0, true);
    EXPECT_DOUBLE_EQ(low.east, 0.2);
    EXPECT_DOUBLE_EQ(low.north, 0.4);
    EXPECT_DOUBLE_EQ(low.max_height, 50);
    EXPECT_DOUBLE_EQ(subdivide(r, 4, true).min_height, 50);
    // Across the antimeridian the halves meet at the middle of the wrapped span.
    const Region wrap{3.0, 0, -2.9, 0.1, 0, 0};  // 0.2832 + 0.1 rad wide
    const double mid = 3.0 + (2 * pi - 5.9) / 2 - 2 * pi;
    EXPECT_NEAR(subdivide(wrap, 0, false).west, 3.0, 0);
    EXPECT_NEAR(subdivide(wrap, 0, false).east, mid, 1e-12);
    EXPECT_NEAR(subdivide(wrap, 1, false).west, mid, 1e-12);
    EXPECT_NEAR(subdivide(wrap, 1, false).east, -2.9, 0);
}

}  // namespace
