// The window platform: GLFW's library and window, which outlive every Vulkan object, and
// the camera input from its mouse and keyboard.
#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "app/viewer/config.h"
#include "app/viewer/input.h"
#include "app/viewer/platform.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

namespace zw::viewer {
namespace {

// GLFW's lifetime: the library, then the window.
struct Glfw {
    bool initialized = false;
    GLFWwindow* window = nullptr;
    Glfw() = default;
    Glfw(const Glfw&) = delete;
    Glfw& operator=(const Glfw&) = delete;
    ~Glfw() {
        if (window) glfwDestroyWindow(window);
        if (initialized) glfwTerminate();
    }
};

class Window final : public Platform {
  public:
    // `glfw` holds an initialized library.
    Window(const Options& o, std::unique_ptr<Glfw> glfw, const std::string& title)
        : o_(o), glfw_(std::move(glfw)) {
        glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
        glfw_->window = glfwCreateWindow(int(o.width), int(o.height), title.c_str(), nullptr, nullptr);
        if (!glfw_->window) fail("could not open a window (is the X server running?); try --headless");
        input_.emplace(glfw_->window);  // before the overlay: ImGui chains the callbacks it finds
        if (o.fullscreen) toggle_fullscreen();
    }

    gpu::ContextOptions context_options() const override {
        uint32_t n = 0;
        const char** needed = glfwGetRequiredInstanceExtensions(&n);
        if (!needed) fail("GLFW cannot present with Vulkan on this display; try --headless");
        gpu::ContextOptions co{
            o_.validation, o_.gpu, std::vector<std::string>(needed, needed + n), {}, false};
        co.create_surface = [window = glfw_->window](VkInstance instance) {
            VkSurfaceKHR surface = VK_NULL_HANDLE;
            if (glfwCreateWindowSurface(instance, window, nullptr, &surface) != VK_SUCCESS)
                fail("could not create a Vulkan surface for the window; try --headless");
            return surface;
        };
        return co;
    }

    std::unique_ptr<gpu::Swapchain> make_swapchain(gpu::Context& ctx) const override {
        return std::make_unique<gpu::Swapchain>(ctx, size(), o_.vsync);
    }

    GLFWwindow* window() const override { return glfw_->window; }

    Poll poll() override {
        if (glfwWindowShouldClose(glfw_->window)) return Poll::close;
        glfwPollEvents();
        const VkExtent2D s = size();
        if (s.width == 0 || s.height == 0) {  // minimised: nothing to draw into
            glfwWaitEventsTimeout(config.minimised_wait_s);
            return Poll::wait;
        }
        return Poll::draw;
    }

    VkExtent2D size() const override {
        int fw = 0, fh = 0;
        glfwGetFramebufferSize(glfw_->window, &fw, &fh);
        return VkExtent2D{uint32_t(std::max(fw, 0)), uint32_t(std::max(fh, 0))};
    }

    void input(render::Camera& camera, double dt, bool mouse_free, bool keys_free, Intents& out) override {
        input_->apply(camera, dt, mouse_free, keys_free, out);
    }

    void shown(uint32_t count) override {
        if (o_.resize_at > 0 && count == o_.resize_at)
            glfwSetWindowSize(glfw_->window, int(o_.width * config.resize_to_num / config.resize_to_den),
                              int(o_.height * config.resize_to_num / config.resize_to_den));
    }

    void toggle_fullscreen() override {
        GLFWwindow* w = glfw_->window;
        if (glfwGetWindowMonitor(w)) {
            glfwSetWindowMonitor(w, nullptr, windowed_[0], windowed_[1], windowed_[2], windowed_[3], 0);
            return;
        }
        int n = 0;
        GLFWmonitor** all = glfwGetMonitors(&n);
        GLFWmonitor* m = monitor();
        const GLFWvidmode* mode = m ? glfwGetVideoMode(m) : nullptr;
        if (!mode) {
            std::fprintf(stderr, "zwilling: no monitor to go fullscreen on\n");
            return;
        }
        glfwGetWindowPos(w, &windowed_[0], &windowed_[1]);
        glfwGetWindowSize(w, &windowed_[2], &windowed_[3]);
        glfwSetWindowMonitor(w, m, 0, 0, mode->width, mode->height, mode->refreshRate);
        const int index = int(std::find(all, all + n, m) - all) + 1;
        core::info("fullscreen on monitor ", index, " (", mode->width, "x", mode->height, ")");
    }

  private:
    // --monitor N (1-based), else the monitor holding the window's centre, else the primary.
    GLFWmonitor* monitor() const {
        int n = 0;
        GLFWmonitor** all = glfwGetMonitors(&n);
        if (n <= 0) return nullptr;
        if (o_.monitor > 0) {
            if (int(o_.monitor) <= n) return all[o_.monitor - 1];
            std::fprintf(stderr, "zwilling: no monitor %u (this display has %d); fullscreen on the first\n",
                         o_.monitor, n);
            return all[0];
        }
        int x = 0, y = 0, w = 0, h = 0;
        glfwGetWindowPos(glfw_->window, &x, &y);
        glfwGetWindowSize(glfw_->window, &w, &h);
        for (int i = 0; i < n; ++i) {
            int mx = 0, my = 0;
            glfwGetMonitorPos(all[i], &mx, &my);
            const GLFWvidmode* mode = glfwGetVideoMode(all[i]);
            if (mode && x + w / 2 >= mx && x + w / 2 < mx + mode->width && y + h / 2 >= my &&
                y + h / 2 < my + mode->height)
                return all[i];
        }
        return glfwGetPrimaryMonitor();
    }

    const Options& o_;
    std::unique_ptr<Glfw> glfw_;
    int windowed_[4] = {0, 0, 0, 0};  // the window's position and size before fullscreen
    std::optional<CameraInput> input_;
};

}  // namespace

std::unique_ptr<Platform> window_platform(const Options& o, const std::string& title) {
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        std::fprintf(stderr,
                     "zwilling: no display found (DISPLAY is not set); run 'zwilling --headless --screenshot "
                     "out.png' to render offscreen\n");
        return nullptr;
    }
    auto glfw = std::make_unique<Glfw>();
    glfw->initialized = glfwInit();
    if (!glfw->initialized) {
        std::fprintf(
            stderr,
            "zwilling: cannot open the display '%s'; run 'zwilling --headless --screenshot out.png' to "
            "render offscreen\n",
            display ? display : wayland);
        return nullptr;
    }
    if (!glfwVulkanSupported())
        fail(
            "no Vulkan loader or driver usable for windows (on Debian: apt-get install mesa-vulkan-drivers)");
    return std::make_unique<Window>(o, std::move(glfw), title);
}

}  // namespace zw::viewer
