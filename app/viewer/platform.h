// Where frames are shown and input comes from (Granite's WSIPlatform): a GLFW window, or
// nothing at all (headless: the frames are drawn offscreen and read back). A platform is
// made before the gpu::Context and outlives it; the swapchain it makes is owned by the
// session, which destroys it before the context.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "app/viewer/intents.h"
#include "app/viewer/options.h"
#include "engine/gpu/context.h"
#include "engine/gpu/swapchain.h"
#include "engine/render/camera.h"

struct GLFWwindow;

namespace zw::viewer {

class Platform {
  public:
    enum class Poll {
        draw,   // draw a frame
        wait,   // nothing to draw now (a minimised window); the platform waited a little
        close,  // the user closed the window
    };

    virtual ~Platform() = default;

    // What the gpu::Context needs: the window's instance extensions and its surface.
    virtual gpu::ContextOptions context_options() const = 0;
    // The swapchain to draw into; null headless (the render target has its own image).
    virtual std::unique_ptr<gpu::Swapchain> make_swapchain(gpu::Context& ctx) const = 0;
    // The window, for ImGui's GLFW backend; null headless.
    virtual GLFWwindow* window() const = 0;

    // Before each frame: takes in the window's events.
    virtual Poll poll() = 0;
    // The framebuffer's size in pixels (headless: --size).
    virtual VkExtent2D size() const = 0;
    // This frame's mouse and keyboard: moves `camera` (`mouse_free`/`keys_free`: not
    // taken by the overlay); a click and "frame the scene" go to `out`.
    virtual void input(render::Camera& camera, double dt, bool mouse_free, bool keys_free, Intents& out) = 0;
    // After `count` frames were shown (--resize-at).
    virtual void shown(uint32_t count) = 0;
    // F11: fullscreen on the chosen monitor (--monitor; else the one the window is on) and
    // back to the window as it was. Headless: nothing.
    virtual void toggle_fullscreen() {}
};

// Offscreen at --size; no events, no input.
std::unique_ptr<Platform> headless_platform(const Options& o);

// A window titled `title` at --size. Null when there is no display to open it on (the
// message on stderr says to use --headless; exit code 2). No Vulkan for windows, or a
// window that cannot be opened: a zw::Error.
std::unique_ptr<Platform> window_platform(const Options& o, const std::string& title);

}  // namespace zw::viewer
