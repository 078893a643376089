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

  private:
    const Options& o_;
    std::unique_ptr<Glfw> glfw_;
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
