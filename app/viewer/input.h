// Mouse and keyboard -> camera. Orbit: left drag turns, right/middle drag pans, wheel
// zooms. Fly: WASD moves, Q/E down/up, left drag looks, Shift is faster. Tab switches
// mode, F frames the scene again. A left click without dragging picks.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "engine/render/camera.h"

struct GLFWwindow;

namespace zw::viewer {

class CameraInput {
  public:
    explicit CameraInput(GLFWwindow* window);
    // Applies this frame's input; `mouse_free`/`keys_free` are false while ImGui uses them.
    // Returns true when F (frame the scene) was pressed.
    bool apply(render::Camera& camera, double dt, bool mouse_free, bool keys_free);
    // The framebuffer pixel of a left click (press and release less than a few pixels
    // apart), or nullopt. apply() hands a click on one frame later and only while the
    // mouse is free then: by then the overlay has seen the cursor where the click was
    // (even after a jump of the cursor between two slow frames), so a click on one of its
    // windows stays its own.
    std::optional<std::array<uint32_t, 2>> take_click();

  private:
    GLFWwindow* window_;
    double last_x_ = 0, last_y_ = 0;
    std::optional<std::array<uint32_t, 2>> candidate_;  // clicked in the frame before
    std::optional<std::array<uint32_t, 2>> click_;
};

}  // namespace zw::viewer
