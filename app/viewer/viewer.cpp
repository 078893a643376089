#include "app/viewer/viewer.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

#include "app/viewer/input.h"
#include "app/viewer/overlay.h"
#include "engine/core/error.h"
#include "engine/core/image.h"
#include "engine/core/log.h"
#include "engine/gpu/context.h"
#include "engine/gpu/swapchain.h"
#include "engine/render/test_scene.h"

namespace zw::viewer {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

render::Model load_scene(const Options& o) {
    if (!o.model.empty()) return render::load_model(o.model);
    const auto glb = render::make_test_scene_glb();
    return render::load_model_from_glb(glb, "built-in test scene (synthetic village)");
}

// Frames the model from the south-west, looking down at ~30 degrees.
void frame_camera(render::Camera& camera, const render::Model& model, const Options& o) {
    if (o.camera) {
        const auto& c = *o.camera;
        camera.look_at({c[0], c[1], c[2]}, {c[3], c[4], c[5]});
        return;
    }
    if (o.model.empty()) {  // the test scene: the village, not the whole 400 m ground
        camera.look_at({-95, -120, 75}, {0, 5, 4});
        return;
    }
    const glm::dvec3 centre = model.bounds.center();
    const double radius = std::max(0.5 * glm::length(model.bounds.max - model.bounds.min), 1.0);
    const double distance = radius / std::sin(camera.fov_y / 2.0) * 1.05;
    camera.look_at(centre + glm::normalize(glm::dvec3(-0.55, -0.7, 0.55)) * distance, centre);
}

struct FrameTimes {
    std::vector<double> frame_ms;
    double first_frame_ms = -1;

    void report() const {
        if (frame_ms.size() < 2) return;
        std::vector<double> sorted(frame_ms.begin() + 1, frame_ms.end());  // the first frame includes setup
        std::sort(sorted.begin(), sorted.end());
        const double median = sorted[sorted.size() / 2];
        const double p95 = sorted[std::min(sorted.size() - 1, sorted.size() * 95 / 100)];
        core::info("frames: ", sorted.size(), " timed, median ", median, " ms, 95th percentile ", p95, " ms");
    }
};

// GLFW's lifetime: the window and the library outlive every Vulkan object.
struct GlfwWindow {
    bool initialized = false;
    GLFWwindow* window = nullptr;
    GlfwWindow() = default;
    GlfwWindow(const GlfwWindow&) = delete;
    GlfwWindow& operator=(const GlfwWindow&) = delete;
    ~GlfwWindow() {
        if (window) glfwDestroyWindow(window);
        if (initialized) glfwTerminate();
    }
};

// Everything both loops share. Members are declared in the order they are built, so
// they are destroyed in reverse: GPU objects first, then the device, then the window.
struct Session {
    const Options& o;
    Clock::time_point start;
    GlfwWindow glfw;
    std::unique_ptr<gpu::Context> ctx;
    std::unique_ptr<gpu::Swapchain> swapchain;
    std::unique_ptr<gpu::RenderPasses> passes;
    std::unique_ptr<gpu::RenderTarget> target;
    std::unique_ptr<gpu::FrameRing> frames;
    std::unique_ptr<render::Renderer> renderer;
    std::unique_ptr<Overlay> overlay;
    render::Camera camera;
    std::string scene_name;
    uint64_t scene_triangles = 0;
    FrameTimes times;
    double cpu_ms = 0;
    render::DrawStats last_draw;

    ~Session() {
        if (ctx) ctx->wait_idle();  // also on an error path, before anything the GPU uses dies
    }

    void setup(render::Model model, VkFormat color_format, bool present, GLFWwindow* window) {
        passes = std::make_unique<gpu::RenderPasses>(
            *ctx, gpu::PassSetup{color_format, VK_FORMAT_D32_SFLOAT,
                                 ctx->msaa_samples(static_cast<VkSampleCountFlagBits>(o.samples)), present});
        frames = std::make_unique<gpu::FrameRing>(*ctx);
        renderer = std::make_unique<render::Renderer>(*ctx, *passes);
        scene_name = model.name;
        scene_triangles = model.triangle_count();
        frame_camera(camera, model, o);
        // Files get the default, physical haze (half the contrast lost after ~3 km, which
        // a town needs and a small model never shows); the built-in village, 400 m wide,
        // gets a denser one so the fog towards the sky is visible at all.
        if (o.model.empty()) renderer->settings.fog_density = 0.0012f;
        core::info("scene: ", scene_name, ", ", scene_triangles, " triangles in ", model.instances.size(),
                   " mesh instances");
        renderer->set_model(std::move(model), *frames);
        if (o.ui) overlay = std::make_unique<Overlay>(*ctx, passes->overlay(), window);
    }

    // Updates the camera and the overlay, then records the frame.
    void record(const gpu::Frame& frame, size_t output, double dt, bool readback) {
        const auto t0 = Clock::now();
        camera.update(dt);
        render::OverlayFn draw_overlay;
        if (overlay) {
            overlay->begin_frame(target->extent(), dt);
            FrameStatsView view{times.frame_ms.empty() ? 0 : times.frame_ms.back(),
                                cpu_ms,
                                &frames->gpu_timings(),
                                last_draw,
                                ctx->allocator().stats(),
                                ctx->device_info().name,
                                scene_name,
                                scene_triangles,
                                camera.mode == render::CameraMode::fly,
                                swapchain != nullptr};
            stats_panel(view);
            draw_overlay = [this](VkCommandBuffer cmd) { overlay->record(cmd); };
        }
        last_draw = renderer->render(*frames, frame, *target, output, camera, draw_overlay, readback);
        cpu_ms = ms_since(t0);
    }

    void first_frame_done() {
        if (times.first_frame_ms >= 0) return;
        times.first_frame_ms = ms_since(start);
        core::info("first frame after ", times.first_frame_ms, " ms (process start to frame finished)");
    }

    // Waits for the GPU, reports frame times, releases the GPU objects (so validation
    // sees their destruction too) and returns the exit code.
    int finish() {
        frames->drain();
        times.report();
        overlay.reset();
        target.reset();
        renderer.reset();
        frames.reset();
        passes.reset();
        swapchain.reset();
        const uint32_t messages = ctx->validation_messages();
        if (messages > 0) {
            core::error(messages, " Vulkan validation messages (see above)");
            return exit_validation;
        }
        return exit_ok;
    }
};

int run_headless(Session& s, render::Model model) {
    const Options& o = s.o;
    s.ctx = std::make_unique<gpu::Context>(gpu::ContextOptions{o.validation, o.gpu, {}, {}, false});
    s.setup(std::move(model), VK_FORMAT_R8G8B8A8_SRGB, false, nullptr);
    s.target = std::make_unique<gpu::RenderTarget>(*s.ctx, *s.passes, VkExtent2D{o.width, o.height});
    auto last = Clock::now();
    for (uint32_t i = 0; i < o.frames; ++i) {
        const gpu::Frame& frame = s.frames->begin();
        const auto now = Clock::now();
        const double wall_dt = std::chrono::duration<double>(now - last).count();
        if (i > 0) s.times.frame_ms.push_back(wall_dt * 1000.0);
        last = now;
        const bool last_frame = i + 1 == o.frames;
        s.record(frame, 0, o.fixed_dt > 0 ? o.fixed_dt : (i == 0 ? 0.0 : wall_dt),
                 last_frame && !o.screenshot.empty());
        s.frames->submit();
        if (i == 0) {
            s.ctx->wait_idle();
            s.first_frame_done();
        }
    }
    s.frames->drain();
    if (!o.screenshot.empty()) {
        core::write_png(o.screenshot, s.target->read_image());
        core::info("wrote ", o.screenshot, " (", o.width, "x", o.height, ")");
    }
    return s.finish();
}

int run_windowed(Session& s, render::Model model) {
    const Options& o = s.o;
    GlfwWindow& w = s.glfw;
    glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
    const std::string title = "Zwilling - " + model.name;
    w.window = glfwCreateWindow(int(o.width), int(o.height), title.c_str(), nullptr, nullptr);
    if (!w.window) fail("could not open a window (is the X server running?); try --headless");
    uint32_t n = 0;
    const char** needed = glfwGetRequiredInstanceExtensions(&n);
    if (!needed) fail("GLFW cannot present with Vulkan on this display; try --headless");
    gpu::ContextOptions co{o.validation, o.gpu, std::vector<std::string>(needed, needed + n), {}, false};
    co.create_surface = [&](VkInstance instance) {
        VkSurfaceKHR surface = VK_NULL_HANDLE;
        if (glfwCreateWindowSurface(instance, w.window, nullptr, &surface) != VK_SUCCESS)
            fail("could not create a Vulkan surface for the window; try --headless");
        return surface;
    };
    s.ctx = std::make_unique<gpu::Context>(co);
    auto fb_size = [&] {
        int fw = 0, fh = 0;
        glfwGetFramebufferSize(w.window, &fw, &fh);
        return VkExtent2D{uint32_t(std::max(fw, 0)), uint32_t(std::max(fh, 0))};
    };
    s.swapchain = std::make_unique<gpu::Swapchain>(*s.ctx, fb_size(), o.vsync);
    gpu::Swapchain& swapchain = *s.swapchain;
    CameraInput input(w.window);  // before the overlay: ImGui chains the callbacks it finds
    s.setup(std::move(model), swapchain.format(), true, w.window);
    s.target = std::make_unique<gpu::RenderTarget>(*s.ctx, *s.passes, swapchain.extent(), swapchain.images());

    uint32_t presented = 0, recreated = 0;
    bool stale = false;
    auto last = Clock::now();
    while (!glfwWindowShouldClose(w.window) && (o.frames == 0 || presented < o.frames)) {
        glfwPollEvents();
        const VkExtent2D size = fb_size();
        if (size.width == 0 || size.height == 0) {  // minimised: nothing to draw into
            glfwWaitEventsTimeout(0.1);
            last = Clock::now();
            continue;
        }
        if (stale || size.width != swapchain.extent().width || size.height != swapchain.extent().height) {
            s.frames->drain();
            s.ctx->wait_idle();  // the presentation engine may still read the old images
            s.target.reset();
            swapchain.recreate(size);
            s.target = std::make_unique<gpu::RenderTarget>(*s.ctx, *s.passes, swapchain.extent(),
                                                           swapchain.images());
            stale = false;
            ++recreated;
        }
        const gpu::Frame& frame = s.frames->begin();
        const auto now = Clock::now();
        const double wall_dt = std::chrono::duration<double>(now - last).count();
        last = now;
        const double dt = o.fixed_dt > 0 ? o.fixed_dt : wall_dt;
        const std::optional<uint32_t> image = swapchain.acquire(frame.image_available);
        if (!image) {
            s.frames->submit();  // keeps the frame ring in step; the command buffer is empty
            stale = true;
            continue;
        }
        if (presented > 0) s.times.frame_ms.push_back(wall_dt * 1000.0);
        const bool ui_mouse = s.overlay && s.overlay->wants_mouse();
        const bool ui_keys = s.overlay && s.overlay->wants_keyboard();
        if (input.apply(s.camera, dt, !ui_mouse, !ui_keys)) frame_camera(s.camera, *s.renderer->model(), o);
        s.record(frame, *image, dt, false);
        s.frames->submit(frame.image_available, swapchain.render_finished(*image));
        if (!swapchain.present(*image)) stale = true;
        ++presented;
        if (presented == 1) s.first_frame_done();
        if (o.resize_at > 0 && presented == o.resize_at)
            glfwSetWindowSize(w.window, int(o.width * 3 / 4), int(o.height * 3 / 4));
    }
    core::info("presented ", presented, " frames, swapchain recreated ", recreated, " times");
    return s.finish();
}

}  // namespace

int run_viewer(const Options& o, Clock::time_point start) {
    // The model first: a bad file is reported before any GPU work starts.
    render::Model model = load_scene(o);
    Session session{o, start};
    if (o.headless) return run_headless(session, std::move(model));

    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        std::fprintf(stderr,
                     "zwilling: no display found (DISPLAY is not set); run 'zwilling --headless --screenshot "
                     "out.png' to render offscreen\n");
        return exit_usage;
    }
    session.glfw.initialized = glfwInit();
    if (!session.glfw.initialized) {
        std::fprintf(
            stderr,
            "zwilling: cannot open the display '%s'; run 'zwilling --headless --screenshot out.png' to "
            "render offscreen\n",
            display ? display : wayland);
        return exit_usage;
    }
    if (!glfwVulkanSupported()) {
        fail(
            "no Vulkan loader or driver usable for windows (on Debian: apt-get install mesa-vulkan-drivers)");
    }
    return run_windowed(session, std::move(model));
}

}  // namespace zw::viewer
