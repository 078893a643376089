// Frustum culling with the camera's reverse-Z infinite projection, and transform_aabb.
#include <gtest/gtest.h>

#include <cmath>

#include <glm/glm.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "engine/render/camera.h"
#include "engine/render/frustum.h"

namespace {

using zw::geo::Aabb;
using zw::render::Camera;
using zw::render::Frustum;

Aabb box(const glm::dvec3& center, const glm::dvec3& half) {
    return Aabb{center - half, center + half};
}

// Boxes are eye-relative, as the renderer culls them: the eye is at the origin,
// looking north (+y) and level, so right is +x and up is +z.
class FrustumTest : public ::testing::Test {
  protected:
    static constexpr double aspect = 16.0 / 9.0;
    Camera camera;
    FrustumTest() { camera.look_at({0, 0, 0}, {0, 10, 0}); }
    Frustum frustum() const { return Frustum(camera.projection(aspect) * camera.view_rotation()); }
    // Half the horizontal field of view, from fov_y and the aspect ratio.
    double half_fov_x() const { return std::atan(std::tan(camera.fov_y / 2) * aspect); }
};

TEST_F(FrustumTest, InfiniteFarPlaneLeavesFivePlanes) {
    EXPECT_EQ(frustum().plane_count(), 5);
}

TEST_F(FrustumTest, BoxStraightAheadIsInside) {
    EXPECT_TRUE(frustum().intersects(box({0, 20, 0}, {1, 1, 1})));
}

TEST_F(FrustumTest, BoxBehindTheEyeIsOutside) {
    EXPECT_FALSE(frustum().intersects(box({0, -20, 0}, {1, 1, 1})));
}

TEST_F(FrustumTest, BoxBeyondTheHorizontalFieldOfViewIsOutside) {
    // 100 m left at 20 m ahead: 79 degrees off axis, the half field of view is ~36 degrees.
    ASSERT_LT(half_fov_x(), std::atan(99.0 / 21.0));
    EXPECT_FALSE(frustum().intersects(box({-100, 20, 0}, {1, 1, 1})));
    EXPECT_FALSE(frustum().intersects(box({100, 20, 0}, {1, 1, 1})));
}

TEST_F(FrustumTest, BoxBeyondTheVerticalFieldOfViewIsOutside) {
    ASSERT_LT(camera.fov_y / 2, std::atan(99.0 / 21.0));
    EXPECT_FALSE(frustum().intersects(box({0, 20, 100}, {1, 1, 1})));
    EXPECT_FALSE(frustum().intersects(box({0, 20, -100}, {1, 1, 1})));
}

TEST_F(FrustumTest, BoxJustInsideTheEdgeIsInside) {
    const double edge = 20.0 * std::tan(half_fov_x());  // left plane at 20 m ahead
    EXPECT_TRUE(frustum().intersects(box({-(edge - 0.5), 20, 0}, {0.25, 0.25, 0.25})));
    EXPECT_FALSE(frustum().intersects(box({-(edge + 1.0), 20, 0}, {0.25, 0.25, 0.25})));
}

TEST_F(FrustumTest, BoxStraddlingAPlaneIsInside) {
    const double edge = 20.0 * std::tan(half_fov_x());
    // Spans the left plane: one part visible, one part not.
    EXPECT_TRUE(frustum().intersects(Aabb{{-edge - 10, 19, -1}, {-edge + 2, 21, 1}}));
    // Contains the eye, so it crosses the near plane.
    EXPECT_TRUE(frustum().intersects(box({0, 0, 0}, {5, 5, 5})));
}

TEST_F(FrustumTest, VeryDistantBoxStraightAheadIsInside) {
    EXPECT_TRUE(frustum().intersects(box({0, 1e7, 0}, {10, 10, 10})));
    EXPECT_TRUE(frustum().intersects(box({0, 1e12, 0}, {1, 1, 1})));
}

TEST_F(FrustumTest, BoxBetweenEyeAndNearPlaneIsOutside) {
    // Entirely closer than the near plane (0.25 m ahead).
    ASSERT_GT(camera.near_plane, 0.2);
    EXPECT_FALSE(frustum().intersects(Aabb{{-0.01, 0.05, -0.01}, {0.01, 0.1, 0.01}}));
}

TEST_F(FrustumTest, InvalidBoxIsNeverVisible) {
    EXPECT_FALSE(frustum().intersects(Aabb{}));
}

TEST(TransformAabb, ContainsEveryTransformedCorner) {
    const Aabb b{{-1, 2, 0.5}, {3, 4, 7}};
    glm::dmat4 m = glm::translate(glm::dmat4(1.0), glm::dvec3(100, -50, 20));
    m = glm::rotate(m, 0.7, glm::normalize(glm::dvec3(1, 2, 3)));
    m = glm::scale(m, glm::dvec3(2, 0.5, 3));
    const Aabb t = zw::geo::transform_aabb(b, m);
    ASSERT_TRUE(t.valid());
    glm::dvec3 lo(1e300), hi(-1e300);
    for (int i = 0; i < 8; ++i) {
        const glm::dvec3 corner{(i & 1) ? b.max.x : b.min.x, (i & 2) ? b.max.y : b.min.y,
                                (i & 4) ? b.max.z : b.min.z};
        const glm::dvec3 p(m * glm::dvec4(corner, 1.0));
        for (int k = 0; k < 3; ++k) {
            EXPECT_LE(t.min[k], p[k] + 1e-9) << "corner " << i;
            EXPECT_GE(t.max[k], p[k] - 1e-9) << "corner " << i;
        }
        lo = glm::min(lo, p);
        hi = glm::max(hi, p);
    }
    // Tight: each face of the result touches a corner.
    for (int k = 0; k < 3; ++k) {
        EXPECT_NEAR(t.min[k], lo[k], 1e-9);
        EXPECT_NEAR(t.max[k], hi[k], 1e-9);
    }
}

TEST(TransformAabb, QuarterTurnIsTight) {
    const Aabb b{{1, 3, -1}, {2, 5, 4}};
    // 90 degrees about z maps (x, y, z) to (-y, x, z); then 10 m along x.
    glm::dmat4 m(1.0);
    m[0] = {0, 1, 0, 0};
    m[1] = {-1, 0, 0, 0};
    m[3] = {10, 0, 0, 1};
    const Aabb t = zw::geo::transform_aabb(b, m);
    EXPECT_DOUBLE_EQ(t.min.x, 10 - 5);
    EXPECT_DOUBLE_EQ(t.max.x, 10 - 3);
    EXPECT_DOUBLE_EQ(t.min.y, 1);
    EXPECT_DOUBLE_EQ(t.max.y, 2);
    EXPECT_DOUBLE_EQ(t.min.z, -1);
    EXPECT_DOUBLE_EQ(t.max.z, 4);
}

}  // namespace
