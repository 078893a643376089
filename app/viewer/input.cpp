#include "app/viewer/input.h"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "app/viewer/config.h"

namespace zw::viewer {
namespace {
// The wheel and key presses come by callback: a press and release between two frames
// would be missed by polling (lavapipe frames take ~100 ms).
double g_scroll = 0;
int g_tab_presses = 0;
int g_frame_presses = 0;
std::vector<std::string_view> g_named_presses;  // the presenter's keys (key_intent), in order
// A left click: pressed and released within config.click_slop_px (window coordinates).
bool g_left_down = false, g_clicked = false;
double g_press_x = 0, g_press_y = 0, g_click_x = 0, g_click_y = 0;
void on_mouse_button(GLFWwindow* window, int button, int action, int) {
    if (button != GLFW_MOUSE_BUTTON_LEFT) return;
    double x = 0, y = 0;
    glfwGetCursorPos(window, &x, &y);
    if (action == GLFW_PRESS) {
        g_left_down = true;
        g_press_x = x;
        g_press_y = y;
    } else if (action == GLFW_RELEASE && g_left_down) {
        g_left_down = false;
        if (std::hypot(x - g_press_x, y - g_press_y) <= config.click_slop_px) {
            g_clicked = true;
            g_click_x = x;
            g_click_y = y;
        }
    }
}
void on_scroll(GLFWwindow*, double, double dy) {
    g_scroll += dy;
}
void on_key(GLFWwindow*, int key, int, int action, int) {
    if (action != GLFW_PRESS) return;
    if (key == GLFW_KEY_TAB) ++g_tab_presses;
    if (key == GLFW_KEY_F) ++g_frame_presses;
    // The presenter's keys by the names key_intent() takes.
    static constexpr std::pair<int, std::string_view> named[] = {{GLFW_KEY_H, "h"},
                                                                 {GLFW_KEY_F1, "f1"},
                                                                 {GLFW_KEY_F10, "f10"},
                                                                 {GLFW_KEY_F11, "f11"},
                                                                 {GLFW_KEY_SPACE, "space"},
                                                                 {GLFW_KEY_P, "p"},
                                                                 {GLFW_KEY_T, "t"},
                                                                 {GLFW_KEY_PAGE_DOWN, "pagedown"},
                                                                 {GLFW_KEY_PAGE_UP, "pageup"},
                                                                 {GLFW_KEY_V, "v"},
                                                                 {GLFW_KEY_M, "m"}};
    for (const auto& [code, name] : named)
        if (key == code) g_named_presses.push_back(name);
}
}  // namespace

std::optional<Intent> key_intent(std::string_view name) {
    using Op = intent::Presenter::Op;
    if (name == "h") return intent::Presenter{Op::overlay};
    if (name == "f1") return intent::Presenter{Op::help};
    if (name == "f10") return intent::Presenter{Op::technical};
    if (name == "f11") return intent::Presenter{Op::fullscreen};
    if (name == "space") return intent::TimelineToggle{};
    if (name == "p") return intent::Presenter{Op::report};
    if (name == "t") return intent::Tour{intent::Tour::Op::play};
    if (name == "pagedown") return intent::Tour{intent::Tour::Op::next};
    if (name == "pageup") return intent::Tour{intent::Tour::Op::previous};
    if (name == "v") return intent::Tour{intent::Tour::Op::save};
    if (name == "m") return intent::Tour{intent::Tour::Op::video};
    return std::nullopt;
}

CameraInput::CameraInput(GLFWwindow* window) : window_(window) {
    // Before ImGui installs its callbacks, which call these first.
    glfwSetScrollCallback(window, on_scroll);
    glfwSetKeyCallback(window, on_key);
    glfwSetMouseButtonCallback(window, on_mouse_button);
    glfwGetCursorPos(window, &last_x_, &last_y_);
}

void CameraInput::apply(render::Camera& camera, double dt, bool mouse_free, bool keys_free, Intents& out) {
    double x = 0, y = 0;
    glfwGetCursorPos(window_, &x, &y);
    const double dx = x - last_x_, dy = y - last_y_;
    last_x_ = x;
    last_y_ = y;
    int w = 1, h = 1;
    glfwGetWindowSize(window_, &w, &h);
    const double turn = config.turn_per_height / std::max(h, 1);  // radians per pixel
    const bool fly = camera.mode == render::CameraMode::fly;
    std::optional<std::array<uint32_t, 2>> click;

    if (mouse_free) {
        if (glfwGetMouseButton(window_, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS)
            camera.rotate(dx * turn * (fly ? config.fly_look : 1.0),
                          -dy * turn * (fly ? config.fly_look : 1.0));
        const bool pan = glfwGetMouseButton(window_, GLFW_MOUSE_BUTTON_RIGHT) == GLFW_PRESS ||
                         glfwGetMouseButton(window_, GLFW_MOUSE_BUTTON_MIDDLE) == GLFW_PRESS;
        if (pan && !fly) {
            // Ground-plane pan that keeps the point under the cursor roughly fixed.
            const double metres_per_pixel =
                2.0 * camera.goal().distance * std::tan(camera.fov_y / 2.0) / std::max(h, 1);
            camera.pan(-dx * metres_per_pixel, dy * metres_per_pixel);
        }
        if (g_scroll != 0 && !fly) camera.zoom(std::pow(config.zoom_per_step, g_scroll));
        // A click of the frame before: the overlay has seen the cursor there since, so a
        // click on one of its windows has made the mouse busy by now.
        click = candidate_;
    }
    candidate_.reset();
    if (g_clicked) {
        // Window coordinates -> framebuffer pixels (they differ on high-DPI screens).
        int fw = 0, fh = 0;
        glfwGetFramebufferSize(window_, &fw, &fh);
        const double sx = double(fw) / std::max(w, 1), sy = double(fh) / std::max(h, 1);
        const double px = g_click_x * sx, py = g_click_y * sy;
        if (px >= 0 && py >= 0 && px < fw && py < fh)
            candidate_ = std::array<uint32_t, 2>{uint32_t(px), uint32_t(py)};
    }
    g_scroll = 0;
    g_clicked = false;

    bool frame_scene = false;
    if (keys_free) {
        if (g_tab_presses % 2) camera.mode = fly ? render::CameraMode::orbit : render::CameraMode::fly;
        frame_scene = g_frame_presses > 0;
        if (camera.mode == render::CameraMode::fly) {
            auto key = [&](int k) { return glfwGetKey(window_, k) == GLFW_PRESS ? 1.0 : 0.0; };
            const double speed = std::max(config.fly_min_speed, camera.goal().distance) *
                                 (key(GLFW_KEY_LEFT_SHIFT) > 0 ? config.fly_fast : 1.0) * dt;
            const glm::dvec3 move{key(GLFW_KEY_D) - key(GLFW_KEY_A), key(GLFW_KEY_W) - key(GLFW_KEY_S),
                                  key(GLFW_KEY_E) - key(GLFW_KEY_Q)};
            if (glm::length(move) > 0) camera.move(move * speed * config.fly_speed);
        }
    }
    g_tab_presses = g_frame_presses = 0;
    // The function keys work while a panel has the keyboard; letters and space do not (a
    // field being typed into keeps them).
    for (const std::string_view k : std::exchange(g_named_presses, {}))
        if (keys_free || k[0] == 'f')
            if (std::optional<Intent> i = key_intent(k)) out.push_back(std::move(*i));
    if (frame_scene) out.push_back(intent::FrameScene{});
    if (click) out.push_back(intent::Click{(*click)[0], (*click)[1]});
}

}  // namespace zw::viewer
