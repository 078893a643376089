// Mouse and keyboard -> camera. Orbit: left drag turns, right/middle drag pans, wheel
// zooms. Fly: WASD moves, Q/E down/up, left drag looks, Shift is faster. Tab switches
// mode, F frames the scene again. A left click without dragging picks.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "app/viewer/intents.h"
#include "engine/render/camera.h"

struct GLFWwindow;

namespace zw::viewer {

// The presenter's keys by name: "h" (overlay), "f1" (keyboard help), "f10" (technical
// panels), "f11" (fullscreen), "space" (play / pause), "p" (report PNG), "t" (tour),
// "pagedown" / "pageup" (next / previous view), "v" (save the view), "m" (the tour's
// video); nullopt for any
// other name. The
// window's keys and --press (headless) both go through it.
std::optional<Intent> key_intent(std::string_view name);

class CameraInput {
  public:
    explicit CameraInput(GLFWwindow* window);
    // Applies this frame's input to `camera`; `mouse_free`/`keys_free` are false while
    // ImGui uses them. F (frame the scene) and a left click (press and release less than
    // config.click_slop_px apart, as a framebuffer pixel) come back in `out`. A click is
    // handed on one frame later and only while the mouse is free then: by then the
    // overlay has seen the cursor where the click was (even after a jump of the cursor
    // between two slow frames), so a click on one of its windows stays its own.
    void apply(render::Camera& camera, double dt, bool mouse_free, bool keys_free, Intents& out);

  private:
    GLFWwindow* window_;
    double last_x_ = 0, last_y_ = 0;
    std::optional<std::array<uint32_t, 2>> candidate_;  // clicked in the frame before
};

}  // namespace zw::viewer
