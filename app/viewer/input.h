// Mouse and keyboard -> camera. Orbit: left drag turns, right/middle drag pans, wheel
// zooms. Fly: WASD moves, Q/E down/up, left drag looks, Shift is faster. Tab switches
// mode, F frames the scene again.
#pragma once

#include "engine/render/camera.h"

struct GLFWwindow;

namespace zw::viewer {

class CameraInput {
  public:
    explicit CameraInput(GLFWwindow* window);
    // Applies this frame's input; `mouse_free`/`keys_free` are false while ImGui uses them.
    // Returns true when F (frame the scene) was pressed.
    bool apply(render::Camera& camera, double dt, bool mouse_free, bool keys_free);

  private:
    GLFWwindow* window_;
    double last_x_ = 0, last_y_ = 0;
};

}  // namespace zw::viewer
