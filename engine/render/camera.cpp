#include "engine/render/camera.h"

#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>

namespace zw::render {
namespace {
constexpr double max_pitch = glm::radians(89.0);
}

void Camera::set_frame(const glm::dmat3& enu) {
    const glm::dvec3 eye_before = eye();
    const glm::dvec3 target_before = current_.target;
    frame_ = enu;
    look_at(eye_before, target_before);
}

glm::dvec3 Camera::forward_of(const CameraState& s) const {
    const glm::dvec3 local{std::cos(s.pitch) * std::sin(s.yaw), std::cos(s.pitch) * std::cos(s.yaw),
                           std::sin(s.pitch)};
    return frame_ * local;
}

void Camera::look_at(const glm::dvec3& eye, const glm::dvec3& target) {
    glm::dvec3 d = glm::transpose(frame_) * (target - eye);
    double len = glm::length(d);
    if (len < 1e-9) {
        d = {0, 1, 0};
        len = 1;
    }
    CameraState s;
    s.target = target;
    s.distance = len;
    s.yaw = std::atan2(d.x, d.y);
    s.pitch = std::clamp(std::asin(std::clamp(d.z / len, -1.0, 1.0)), -max_pitch, max_pitch);
    current_ = goal_ = s;
}

void Camera::rotate(double dyaw, double dpitch) {
    if (mode == CameraMode::fly) {
        const glm::dvec3 eye_now = eye_of(goal_);
        goal_.yaw += dyaw;
        goal_.pitch = std::clamp(goal_.pitch + dpitch, -max_pitch, max_pitch);
        goal_.target = eye_now + forward_of(goal_) * goal_.distance;
        return;
    }
    goal_.yaw += dyaw;
    goal_.pitch = std::clamp(goal_.pitch + dpitch, -max_pitch, max_pitch);
}

void Camera::zoom(double factor) {
    goal_.distance = std::clamp(goal_.distance * factor, 1.0, 5.0e7);
}

void Camera::pan(double right_m, double forward_m) {
    const glm::dvec3 right = frame_ * glm::dvec3(std::cos(goal_.yaw), -std::sin(goal_.yaw), 0.0);
    const glm::dvec3 ahead = frame_ * glm::dvec3(std::sin(goal_.yaw), std::cos(goal_.yaw), 0.0);
    goal_.target += right * right_m + ahead * forward_m;
}

void Camera::move(const glm::dvec3& rfu) {
    const glm::dvec3 fwd = forward_of(goal_);
    const glm::dvec3 right = glm::normalize(glm::cross(fwd, frame_[2]));
    goal_.target += right * rfu.x + fwd * rfu.y + frame_[2] * rfu.z;
}

void Camera::update(double dt) {
    const double t = smoothing <= 0 ? 1.0 : 1.0 - std::exp(-smoothing * std::max(dt, 0.0));
    if (mode == CameraMode::fly) {
        // Fly: the eye eases towards its goal and the view turns around the eye, so
        // looking around never swings the camera through space.
        const glm::dvec3 eye_now = eye_of(current_);
        const glm::dvec3 eye = eye_now + (eye_of(goal_) - eye_now) * t;
        current_.yaw += (goal_.yaw - current_.yaw) * t;
        current_.pitch += (goal_.pitch - current_.pitch) * t;
        current_.distance = goal_.distance;
        current_.target = eye + forward_of(current_) * current_.distance;
        return;
    }
    current_.target += (goal_.target - current_.target) * t;
    current_.yaw += (goal_.yaw - current_.yaw) * t;
    current_.pitch += (goal_.pitch - current_.pitch) * t;
    // Distance eases in log space so zooming feels the same near and far.
    current_.distance =
        std::exp(std::log(current_.distance) + (std::log(goal_.distance) - std::log(current_.distance)) * t);
}

glm::dmat4 Camera::view_rotation() const {
    return glm::lookAt(glm::dvec3(0.0), forward(), up());
}

glm::dmat4 Camera::projection(double aspect) const {
    const double f = 1.0 / std::tan(fov_y / 2.0);
    glm::dmat4 p(0.0);
    p[0][0] = f / aspect;
    p[1][1] = -f;  // Vulkan's y points down
    p[3][2] = near_plane;
    p[2][3] = -1.0;
    return p;
}

glm::dvec3 Camera::ray(double x, double y, double width, double height) const {
    const glm::dmat4 inverse = glm::inverse(projection(width / std::max(height, 1.0)) * view_rotation());
    const double nx = 2.0 * (x + 0.5) / std::max(width, 1.0) - 1.0;
    const double ny = 2.0 * (y + 0.5) / std::max(height, 1.0) - 1.0;
    // Reverse Z: depth 1 is the near plane, 0.5 twice as far.
    const glm::dvec4 a = inverse * glm::dvec4(nx, ny, 1.0, 1.0);
    const glm::dvec4 b = inverse * glm::dvec4(nx, ny, 0.5, 1.0);
    return glm::normalize(glm::dvec3(b) / b.w - glm::dvec3(a) / a.w);
}

glm::mat4 relative_to_eye(const glm::dmat4& world, const glm::dvec3& eye) {
    glm::dmat4 m = world;
    m[3] = glm::dvec4(glm::dvec3(world[3]) - eye * world[3][3], world[3][3]);
    return glm::mat4(m);
}

}  // namespace zw::render
