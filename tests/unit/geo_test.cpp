// WGS84 geodetic -> ECEF and local east-north-up frames.
#include <gtest/gtest.h>

#include <cmath>

#include <glm/glm.hpp>

#include "engine/geo/geo.h"

namespace {

using zw::geo::enu_to_ecef;
using zw::geo::Geodetic;
using zw::geo::geodetic_to_ecef;

// WGS84 defining constants.
constexpr double semi_major = 6378137.0;
constexpr double flattening = 1.0 / 298.257223563;
constexpr double semi_minor = semi_major * (1.0 - flattening);  // 6356752.314245 m

constexpr double mm = 1e-3;

void expect_near(const glm::dvec3& got, const glm::dvec3& want, double tolerance) {
    EXPECT_NEAR(got.x, want.x, tolerance);
    EXPECT_NEAR(got.y, want.y, tolerance);
    EXPECT_NEAR(got.z, want.z, tolerance);
}

const Geodetic places[] = {
    {0, 0, 0}, {0, 90, 0}, {49.617, 10.833, 300}, {-33.86, 151.21, 58}, {71.0, -156.8, 5}, {-89.9, 45, 2800},
};

TEST(Geo, EquatorAtPrimeMeridian) {
    expect_near(geodetic_to_ecef({0, 0, 0}), {semi_major, 0, 0}, 1e-6);
}

TEST(Geo, EquatorAtNinetyEast) {
    expect_near(geodetic_to_ecef({0, 90, 0}), {0, semi_major, 0}, 1e-6);
}

TEST(Geo, PolesLieOnTheSemiMinorAxis) {
    ASSERT_NEAR(semi_minor, 6356752.314, mm);
    expect_near(geodetic_to_ecef({90, 0, 0}), {0, 0, semi_minor}, mm);
    expect_near(geodetic_to_ecef({-90, 0, 0}), {0, 0, -semi_minor}, mm);
    expect_near(geodetic_to_ecef({90, 0, 1000}), {0, 0, semi_minor + 1000}, mm);
}

TEST(Geo, ZeroHeightPointsLieOnTheEllipsoid) {
    for (const Geodetic& g : places) {
        const glm::dvec3 p = geodetic_to_ecef({g.lat_deg, g.lon_deg, 0});
        const double e =
            (p.x * p.x + p.y * p.y) / (semi_major * semi_major) + p.z * p.z / (semi_minor * semi_minor);
        EXPECT_NEAR(e, 1.0, 1e-12) << g.lat_deg << ", " << g.lon_deg;
    }
}

TEST(Geo, EnuColumnsAreARightHandedOrthonormalBasis) {
    for (const Geodetic& g : places) {
        const glm::dmat4 m = enu_to_ecef(g);
        const glm::dvec3 east(m[0]), north(m[1]), up(m[2]);
        EXPECT_NEAR(glm::length(east), 1.0, 1e-12);
        EXPECT_NEAR(glm::length(north), 1.0, 1e-12);
        EXPECT_NEAR(glm::length(up), 1.0, 1e-12);
        EXPECT_NEAR(glm::dot(east, north), 0.0, 1e-12);
        EXPECT_NEAR(glm::dot(east, up), 0.0, 1e-12);
        EXPECT_NEAR(glm::dot(north, up), 0.0, 1e-12);
        expect_near(glm::cross(east, north), up, 1e-12);
        // North points towards the north pole's side: positive z component (except at a pole).
        EXPECT_GT(north.z, 0.0) << g.lat_deg;
        // The frame is anchored at the place itself, and is affine.
        expect_near(glm::dvec3(m[3]), geodetic_to_ecef(g), 1e-9);
        EXPECT_EQ(m[0][3], 0.0);
        EXPECT_EQ(m[1][3], 0.0);
        EXPECT_EQ(m[2][3], 0.0);
        EXPECT_EQ(m[3][3], 1.0);
    }
}

TEST(Geo, UpIsTheEllipsoidNormal) {
    for (const Geodetic& g : places) {
        const glm::dvec3 up(enu_to_ecef(g)[2]);
        // The gradient of x^2/a^2 + y^2/a^2 + z^2/b^2 at the surface point is the normal.
        const glm::dvec3 p = geodetic_to_ecef({g.lat_deg, g.lon_deg, 0});
        const glm::dvec3 normal =
            glm::normalize(glm::dvec3(p.x / (semi_major * semi_major), p.y / (semi_major * semi_major),
                                      p.z / (semi_minor * semi_minor)));
        expect_near(up, normal, 1e-9);
        // Height is measured along that normal.
        const glm::dvec3 raised = geodetic_to_ecef({g.lat_deg, g.lon_deg, 1234.5});
        expect_near(raised - p, up * 1234.5, mm);
    }
}

TEST(Geo, UpIsParallelToThePositionAtTheEquator) {
    for (double lon : {0.0, 10.833, 90.0, -120.0, 180.0}) {
        const glm::dmat4 m = enu_to_ecef({0, lon, 0});
        const glm::dvec3 up(m[2]);
        const glm::dvec3 direction = glm::normalize(glm::dvec3(m[3]));
        expect_near(up, direction, 1e-12);
    }
    const glm::dmat4 origin = enu_to_ecef({0, 0, 0});
    expect_near(glm::dvec3(origin[0]), {0, 1, 0}, 1e-12);  // east
    expect_near(glm::dvec3(origin[1]), {0, 0, 1}, 1e-12);  // north
    expect_near(glm::dvec3(origin[2]), {1, 0, 0}, 1e-12);  // up
}

}  // namespace
