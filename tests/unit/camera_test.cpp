// Camera placement, input, easing and projection, and relative-to-eye model matrices.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <glm/glm.hpp>

#include "engine/geo/geo.h"
#include "engine/render/camera.h"

namespace {

using zw::render::Camera;
using zw::render::CameraMode;

constexpr double pi = 3.14159265358979323846;

// |a - b| relative to the larger magnitude (absolute near zero).
double relative_error(const glm::dvec3& a, const glm::dvec3& b) {
    return glm::length(a - b) / std::max({1.0, glm::length(a), glm::length(b)});
}

glm::dvec4 clip_of(const Camera& camera, double aspect, const glm::dvec3& world) {
    return camera.projection(aspect) * camera.view_rotation() * glm::dvec4(world - camera.eye(), 1.0);
}

TEST(Camera, LookAtReproducesEyeAndDirection) {
    const struct {
        glm::dvec3 eye, target;
    } cases[] = {
        {{10, -20, 5}, {3, 4, 1}},
        {{0, 0, 0}, {-100, 1, -30}},
        {{1e3, 2e3, 50}, {1e3 + 0.5, 2e3 - 0.25, 50.1}},
        {{-7, 3, 400}, {-17, 12, 0}},  // steep (88 degrees down), but inside the clamp
    };
    for (const auto& c : cases) {
        Camera camera;
        camera.look_at(c.eye, c.target);
        EXPECT_LT(relative_error(camera.eye(), c.eye), 1e-9) << c.eye.x;
        EXPECT_LT(relative_error(camera.forward(), glm::normalize(c.target - c.eye)), 1e-9) << c.eye.x;
        EXPECT_NEAR(camera.state().distance, glm::length(c.target - c.eye),
                    1e-9 * glm::length(c.target - c.eye));
        EXPECT_LT(relative_error(camera.state().target, c.target), 1e-12);
        // look_at places the camera at once: the goal is the same state.
        EXPECT_EQ(camera.goal().yaw, camera.state().yaw);
        EXPECT_EQ(camera.goal().pitch, camera.state().pitch);
    }
}

// A click's ray (the flood wall's points): through the pixel where a point is drawn, the
// ray from the eye points at that point.
TEST(Camera, RayThroughThePixelOfAPointPointsAtIt) {
    Camera camera;
    camera.look_at({120, -340, 95}, {10, 25, 2});
    const double w = 1280, h = 720;
    for (const glm::dvec3 p : {glm::dvec3(10, 25, 2), glm::dvec3(-200, 300, 0), glm::dvec3(400, 100, 60)}) {
        const glm::dvec4 clip = clip_of(camera, w / h, p);
        ASSERT_GT(clip.w, 0);
        const double x = (clip.x / clip.w * 0.5 + 0.5) * w - 0.5, y = (clip.y / clip.w * 0.5 + 0.5) * h - 0.5;
        EXPECT_LT(glm::length(camera.ray(x, y, w, h) - glm::normalize(p - camera.eye())), 1e-9) << p.x;
    }
    // The top-left pixel's ray points up and left of the view direction.
    const glm::dvec3 corner = camera.ray(0, 0, w, h);
    const glm::dvec3 right = glm::normalize(glm::cross(camera.forward(), camera.up()));
    EXPECT_LT(glm::dot(corner, right), 0);
    EXPECT_GT(glm::dot(corner, camera.up()), glm::dot(camera.forward(), camera.up()));
}

TEST(Camera, YawZeroLooksNorthAndQuarterTurnLooksEast) {
    Camera north;
    north.look_at({0, 0, 0}, {0, 10, 0});
    EXPECT_NEAR(north.state().yaw, 0.0, 1e-12);
    EXPECT_NEAR(north.state().pitch, 0.0, 1e-12);
    EXPECT_LT(relative_error(north.forward(), {0, 1, 0}), 1e-12);

    Camera east;
    east.look_at({0, 0, 0}, {10, 0, 0});
    EXPECT_NEAR(east.state().yaw, pi / 2, 1e-12);

    // The default camera (yaw 0, pitch 0) looks north too.
    Camera fresh;
    EXPECT_LT(relative_error(fresh.forward(), {0, 1, 0}), 1e-12);
    EXPECT_LT(relative_error(fresh.up(), {0, 0, 1}), 1e-12);
}

TEST(Camera, PitchIsClampedBelowStraightUpOrDown) {
    const double limit = glm::radians(89.0);
    Camera up;
    up.look_at({0, 0, 0}, {0, 0, 10});
    EXPECT_LE(up.state().pitch, limit + 1e-12);
    EXPECT_GT(up.state().pitch, 0.0);

    Camera down;
    down.look_at({0, 0, 10}, {0, 0, 0});
    EXPECT_GE(down.state().pitch, -limit - 1e-12);
    EXPECT_LT(down.state().pitch, 0.0);

    Camera c;
    c.smoothing = 0;
    c.look_at({0, -10, 0}, {0, 0, 0});
    c.rotate(0, 10.0);
    EXPECT_NEAR(c.goal().pitch, limit, 1e-12);
    c.update(0.1);
    EXPECT_NEAR(c.state().pitch, limit, 1e-12);
    c.rotate(0, -20.0);
    EXPECT_NEAR(c.goal().pitch, -limit, 1e-12);

    Camera fly;
    fly.mode = CameraMode::fly;
    fly.rotate(0, 5.0);
    EXPECT_NEAR(fly.goal().pitch, limit, 1e-12);
}

TEST(Camera, OrbitRotateKeepsTargetAndDistance) {
    Camera c;
    c.smoothing = 0;
    const glm::dvec3 target{5, 6, 7};
    c.look_at({5, -25, 17}, target);
    const double distance = glm::length(c.eye() - target);
    const glm::dvec3 eye_before = c.eye();

    c.rotate(0.7, 0.3);
    c.update(1.0 / 60);
    EXPECT_LT(relative_error(c.state().target, target), 1e-12);
    EXPECT_NEAR(glm::length(c.eye() - target), distance, 1e-9 * distance);
    EXPECT_GT(glm::length(c.eye() - eye_before), 1.0);  // the eye did move around the target
    // Still looking at the target.
    EXPECT_LT(relative_error(c.forward(), glm::normalize(target - c.eye())), 1e-9);
}

TEST(Camera, FlyRotateKeepsTheEye) {
    Camera c;
    c.mode = CameraMode::fly;
    c.smoothing = 0;
    c.look_at({100, 200, 30}, {110, 200, 30});
    const glm::dvec3 eye = c.eye();
    const glm::dvec3 forward_before = c.forward();

    c.rotate(0.5, -0.2);
    c.update(1.0 / 60);
    EXPECT_LT(relative_error(c.eye(), eye), 1e-9);
    EXPECT_LT(glm::dot(c.forward(), forward_before), std::cos(0.3));  // turned by a visible angle
    EXPECT_NEAR(c.state().pitch, -0.2, 1e-9);
}

// In fly mode rotate() turns around the eye, also while update() eases towards the goal.
TEST(Camera, FlyRotateKeepsTheEyeWhileEasing) {
    Camera c;
    c.mode = CameraMode::fly;
    ASSERT_GT(c.smoothing, 0.0);  // the default eases
    c.look_at({0, 0, 2}, {0, 10, 2});
    const glm::dvec3 eye = c.eye();
    c.rotate(1.0, 0.0);  // a fast mouse flick
    for (int frame = 0; frame < 120; ++frame) {
        c.update(1.0 / 60);
        ASSERT_LT(glm::length(c.eye() - eye), 0.01) << "frame " << frame;
    }
}

TEST(Camera, ZoomScalesTheDistance) {
    Camera c;
    c.smoothing = 0;
    const glm::dvec3 target{1, 2, 3};
    c.look_at({1, -38, 3}, target);
    c.zoom(0.5);
    c.update(1.0 / 60);
    EXPECT_NEAR(c.state().distance, 20.0, 1e-9);
    EXPECT_NEAR(glm::length(c.eye() - target), 20.0, 1e-9);
    EXPECT_LT(relative_error(c.state().target, target), 1e-12);
    c.zoom(3.0);
    c.update(1.0 / 60);
    EXPECT_NEAR(c.state().distance, 60.0, 1e-9);
}

TEST(Camera, WithoutSmoothingUpdateJumpsToTheGoal) {
    Camera c;
    c.smoothing = 0;
    c.look_at({0, -10, 0}, {0, 0, 0});
    c.rotate(1.0, 0.4);
    c.zoom(4.0);
    c.pan(3.0, -2.0);
    c.update(0.001);
    EXPECT_EQ(c.state().yaw, c.goal().yaw);
    EXPECT_EQ(c.state().pitch, c.goal().pitch);
    EXPECT_NEAR(c.state().distance, c.goal().distance, 1e-12 * c.goal().distance);
    EXPECT_LT(glm::length(c.state().target - c.goal().target), 1e-12);
}

TEST(Camera, SmoothingMovesMonotonicallyTowardsTheGoalAndConverges) {
    Camera c;
    c.smoothing = 12.0;
    c.look_at({0, -10, 0}, {0, 0, 0});
    c.rotate(1.2, 0.5);
    c.zoom(8.0);
    c.pan(30.0, 40.0);
    const auto goal = c.goal();

    struct Gap {
        double yaw, pitch, log_distance, target;
    };
    auto gap = [&] {
        const auto& s = c.state();
        return Gap{std::abs(goal.yaw - s.yaw), std::abs(goal.pitch - s.pitch),
                   std::abs(std::log(goal.distance / s.distance)), glm::length(goal.target - s.target)};
    };

    Gap before = gap();
    ASSERT_GT(before.yaw, 1.0);
    c.update(1.0 / 60);
    Gap after = gap();
    // One frame moves part of the way, not all of it.
    EXPECT_LT(after.yaw, before.yaw);
    EXPECT_GT(after.yaw, 0.0);
    EXPECT_GT(after.target, 0.0);

    // Never moves away from the goal (slack: rounding once the gap is ~0).
    constexpr double slack = 1e-12;
    for (int frame = 0; frame < 600; ++frame) {
        before = after;
        c.update(1.0 / 60);
        after = gap();
        ASSERT_LE(after.yaw, before.yaw + slack) << "frame " << frame;
        ASSERT_LE(after.pitch, before.pitch + slack) << "frame " << frame;
        ASSERT_LE(after.log_distance, before.log_distance + slack) << "frame " << frame;
        ASSERT_LE(after.target, before.target + slack) << "frame " << frame;
    }
    EXPECT_LT(after.yaw, 1e-6);
    EXPECT_LT(after.pitch, 1e-6);
    EXPECT_LT(std::abs(c.state().distance - goal.distance), 1e-6);
    EXPECT_LT(after.target, 1e-6);
}

TEST(Camera, ProjectionIsReverseZWithAnInfiniteFarPlane) {
    Camera c;
    c.look_at({3, 4, 5}, {40, -20, 9});
    const double aspect = 16.0 / 9.0;
    const glm::dvec3 eye = c.eye(), fwd = c.forward();

    const glm::dvec4 at_near = clip_of(c, aspect, eye + fwd * c.near_plane);
    EXPECT_NEAR(at_near.z / at_near.w, 1.0, 1e-12);
    EXPECT_NEAR(at_near.x / at_near.w, 0.0, 1e-12);
    EXPECT_NEAR(at_near.y / at_near.w, 0.0, 1e-12);

    // Infinite reverse Z: depth = near / distance along the view axis.
    double previous = 1.0;
    for (double d : {0.5, 1.0, 10.0, 1e3, 1e6, 1e9}) {
        const glm::dvec4 clip = clip_of(c, aspect, eye + fwd * d);
        const double depth = clip.z / clip.w;
        EXPECT_NEAR(depth, c.near_plane / d, 1e-12) << d;
        EXPECT_LT(depth, previous) << d;
        EXPECT_GT(depth, 0.0) << d;
        previous = depth;
    }
    // Points behind the eye get a negative w (clipped).
    EXPECT_LT(clip_of(c, aspect, eye - fwd * 10.0).w, 0.0);
}

TEST(Camera, ProjectionFlipsYAndMatchesTheFieldOfView) {
    Camera c;
    c.look_at({0, 0, 0}, {0, 100, 0});  // north, level: right is +x, up is +z
    const double aspect = 2.0, d = 50.0;
    const double half_height = d * std::tan(c.fov_y / 2);

    const glm::dvec4 above = clip_of(c, aspect, {0, d, 1.0});
    EXPECT_LT(above.y, 0.0);  // Vulkan's clip y points down
    const glm::dvec4 top = clip_of(c, aspect, {0, d, half_height});
    EXPECT_NEAR(top.y / top.w, -1.0, 1e-12);
    const glm::dvec4 bottom = clip_of(c, aspect, {0, d, -half_height});
    EXPECT_NEAR(bottom.y / bottom.w, 1.0, 1e-12);

    const glm::dvec4 right = clip_of(c, aspect, {half_height * aspect, d, 0});
    EXPECT_NEAR(right.x / right.w, 1.0, 1e-12);
    const glm::dvec4 left = clip_of(c, aspect, {-half_height * aspect, d, 0});
    EXPECT_NEAR(left.x / left.w, -1.0, 1e-12);
}

TEST(Camera, EnuFrameDefinesUp) {
    const glm::dmat4 enu = zw::geo::enu_to_ecef(zw::geo::weisendorf);
    const glm::dmat3 rotation(enu);
    const glm::dvec3 origin(enu[3]);

    // The ellipsoid normal at the geodetic latitude and longitude.
    const double lat = glm::radians(zw::geo::weisendorf.lat_deg),
                 lon = glm::radians(zw::geo::weisendorf.lon_deg);
    const glm::dvec3 local_up{std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)};

    Camera c;
    c.set_frame(rotation);
    EXPECT_LT(relative_error(c.up(), local_up), 1e-12);

    // Yaw and pitch are measured in the local frame: looking at a point due north is yaw 0.
    const glm::dvec3 north = rotation[1];
    c.look_at(origin + local_up * 2.0, origin + local_up * 2.0 + north * 100.0);
    EXPECT_NEAR(c.state().yaw, 0.0, 1e-9);
    EXPECT_NEAR(c.state().pitch, 0.0, 1e-9);
    EXPECT_LT(relative_error(c.eye(), origin + local_up * 2.0), 1e-9);

    // The view keeps the local up pointing up on screen (view +y).
    const glm::dvec3 up_in_view = glm::dmat3(c.view_rotation()) * local_up;
    EXPECT_LT(relative_error(up_in_view, {0, 1, 0}), 1e-9);
}

TEST(Camera, RelativeToEyeKeepsMillimetresAtEcefMagnitudes) {
    const glm::dmat4 world = zw::geo::enu_to_ecef(zw::geo::weisendorf);
    ASSERT_GT(glm::length(glm::dvec3(world[3])), 6.3e6);
    // The eye is 50 m from the model origin (30 m east, 40 m north).
    const glm::dvec3 eye(world * glm::dvec4(30.0, 40.0, 0.0, 1.0));
    ASSERT_NEAR(glm::length(eye - glm::dvec3(world[3])), 50.0, 1e-6);

    const glm::mat4 rte = zw::render::relative_to_eye(world, eye);
    const glm::mat4 naive_world(world);
    const glm::vec3 naive_eye(eye);

    double worst_rte = 0, worst_naive = 0;
    for (int i = -10; i <= 10; ++i)
        for (int j = -10; j <= 10; ++j) {
            // A vertex as a float mesh stores it; the exact result uses the same value.
            const glm::vec4 v(float(i) * 7.31f, float(j) * 6.17f, float(i + j) * 0.83f, 1.0f);
            const glm::dvec3 exact = glm::dvec3(world * glm::dvec4(v)) - eye;
            const glm::dvec3 got(glm::vec3(rte * v));
            const glm::dvec3 naive(glm::vec3(naive_world * v) - naive_eye);
            worst_rte = std::max(worst_rte, glm::length(got - exact));
            worst_naive = std::max(worst_naive, glm::length(naive - exact));
        }
    EXPECT_LT(worst_rte, 1e-3);
    // Float has 0.25-0.5 m steps at 4-8e6 m, so the naive approach loses decimetres.
    EXPECT_GT(worst_naive, 0.1);
}

}  // namespace
