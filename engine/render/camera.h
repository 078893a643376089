// A camera in double precision. Yaw and pitch are measured in a local east-north-up
// frame (identity: world z is up), so the same camera works in a local scene and at
// ECEF coordinates. Input moves a goal; update() eases the camera towards it.
#pragma once

#include <glm/glm.hpp>

namespace zw::render {

enum class CameraMode { orbit, fly };

struct CameraState {
    glm::dvec3 target{0.0};  // orbit centre; in fly mode the point `distance` ahead of the eye
    double yaw = 0;          // radians, 0 = looking north (+y local), pi/2 = east
    double pitch = 0;        // radians, positive looks up
    double distance = 10;    // eye to target, metres
};

class Camera {
  public:
    CameraMode mode = CameraMode::orbit;
    double fov_y = glm::radians(45.0);
    double near_plane = 0.25;  // metres; the far plane is at infinity (reverse Z)
    double smoothing = 12.0;   // 1/s; larger follows input faster, 0 disables smoothing

    // The local frame (columns east, north, up) in world coordinates.
    void set_frame(const glm::dmat3& enu);
    const glm::dmat3& frame() const { return frame_; }

    // Places the camera at once (no easing).
    void look_at(const glm::dvec3& eye, const glm::dvec3& target);

    // Input, applied to the goal.
    void rotate(double dyaw, double dpitch);          // orbit: around the target; fly: around the eye
    void zoom(double factor);                         // orbit distance *= factor (clamped)
    void pan(double right_m, double forward_m);       // moves the target in the local ground plane
    void move(const glm::dvec3& right_forward_up_m);  // fly: moves eye and target along the view axes

    // Eases the current state towards the goal over `dt` seconds.
    void update(double dt);

    const CameraState& state() const { return current_; }
    const CameraState& goal() const { return goal_; }
    glm::dvec3 eye() const { return eye_of(current_); }
    glm::dvec3 forward() const { return forward_of(current_); }
    glm::dvec3 up() const { return frame_[2]; }

    // World-to-view rotation with the eye at the origin (translation handled relative to eye).
    glm::dmat4 view_rotation() const;
    // Vulkan clip space, reverse Z with an infinite far plane: depth 1 at the near plane, 0 at infinity.
    glm::dmat4 projection(double aspect) const;
    // The world direction (unit) of the ray from the eye through pixel (x, y) of a
    // width x height framebuffer (pixel centres at +0.5, y down).
    glm::dvec3 ray(double x, double y, double width, double height) const;

  private:
    glm::dvec3 forward_of(const CameraState& s) const;
    glm::dvec3 eye_of(const CameraState& s) const { return s.target - forward_of(s) * s.distance; }

    glm::dmat3 frame_{1.0};
    CameraState current_;
    CameraState goal_;
};

// The model matrix of an object at `world` as seen from `eye`: the translation is
// subtracted in double precision before the cast to float, so objects at ECEF
// magnitudes (~6.4e6 m) keep millimetre precision near the camera.
glm::mat4 relative_to_eye(const glm::dmat4& world, const glm::dvec3& eye);

}  // namespace zw::render
