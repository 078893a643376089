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
#include "engine/geo/geo.h"
#include "engine/gpu/context.h"
#include "engine/gpu/swapchain.h"
#include "engine/render/test_scene.h"
#include "engine/tiles/static_tileset.h"

namespace zw::viewer {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Where the camera's local frame sits and what the overlay says about the scene.
struct View {
    glm::dmat4 local_to_world{1.0};  // east-north-up (z up) local frame -> world
    bool builtin = false;            // the built-in test scene
    bool origin_on_ground = false;   // the local origin is the twin origin (ground level)
    std::string town, twin_title;
    bool synthetic = false;
};

// A local frame at world point `p`: east-north-up when `p` is at ECEF magnitudes (with
// geocentric up, within 0.2 degrees of the ellipsoid normal: fine for viewing), else
// the world axes moved to `p`.
glm::dmat4 frame_at(const glm::dvec3& p) {
    glm::dmat4 m(1.0);
    m[3] = glm::dvec4(p, 1.0);
    if (glm::length(p) < 1.0e6) return m;
    const glm::dvec3 up = glm::normalize(p);
    const glm::dvec3 east = glm::normalize(glm::cross(glm::dvec3(0, 0, 1), up));
    m[0] = glm::dvec4(east, 0.0);
    m[1] = glm::dvec4(glm::cross(up, east), 0.0);
    m[2] = glm::dvec4(up, 0.0);
    return m;
}

render::Model load_scene(const Options& o, View& view) {
    if (o.twin.empty() && o.tilesets.empty()) {
        if (!o.model.empty()) return render::load_model(o.model);
        view.builtin = true;
        const auto glb = render::make_test_scene_glb();
        return render::load_model_from_glb(glb, "built-in test scene (synthetic village)");
    }
    render::Model model;
    if (!o.twin.empty()) {
        tiles::TwinInfo info;
        model = tiles::load_twin(o.twin, &info);
        view.local_to_world = geo::enu_to_ecef(info.origin);
        view.origin_on_ground = true;
        view.town = info.town;
        view.twin_title =
            info.title_de == info.title_en ? info.title_en : info.title_de + " / " + info.title_en;
        view.synthetic = info.synthetic;
        size_t visible = 0;
        for (const auto& l : info.layers)
            visible += l.loaded;
        core::info("twin: ", info.town, ", ", info.title_en, " (", info.folder.string(), "): ", visible,
                   " of ", info.layers.size(), " layers loaded, ", info.report.contents_loaded, " tiles");
    }
    for (const auto& path : o.tilesets) {
        tiles::TilesetReport report;
        render::Model part = tiles::load_tileset(path, &report);
        if (part.instances.empty())
            fail("tileset '", path, "' has nothing this viewer can draw (", report.contents_failed,
                 " tiles failed, ", report.contents_skipped, " skipped; see the warnings above)");
        tiles::append_model(model, std::move(part));
    }
    if (o.twin.empty()) view.local_to_world = frame_at(model.bounds.center());
    return model;
}

// The model's bounds in the view's local frame.
render::Aabb local_bounds(const render::Model& model, const View& view) {
    const glm::dmat4 to_local = glm::inverse(view.local_to_world);
    render::Aabb box;
    for (const auto& inst : model.instances)
        box.extend(render::transform_aabb(model.meshes[inst.mesh].bounds, to_local * inst.world));
    if (!box.valid()) box = {glm::dvec3(-1.0), glm::dvec3(1.0)};
    return box;
}

// Places the camera per --camera, or frames the model from the south-west, looking
// down at ~30 degrees. Positions are in the view's local frame.
void frame_camera(render::Camera& camera, const render::Model& model, const View& view, const Options& o) {
    const glm::dmat4& to_world = view.local_to_world;
    camera.set_frame(glm::dmat3(to_world));
    auto look = [&](const glm::dvec3& eye, const glm::dvec3& target) {
        camera.look_at(glm::dvec3(to_world * glm::dvec4(eye, 1.0)),
                       glm::dvec3(to_world * glm::dvec4(target, 1.0)));
    };
    if (o.camera) {
        const auto& c = *o.camera;
        look({c[0], c[1], c[2]}, {c[3], c[4], c[5]});
        return;
    }
    if (view.builtin && o.camera_preset.empty()) {  // the test scene: the village, not the whole 400 m ground
        look({-95, -120, 75}, {0, 5, 4});
        return;
    }
    const render::Aabb box = local_bounds(model, view);
    const glm::dvec3 centre = box.center();
    const glm::dvec3 size = box.max - box.min;
    if (o.camera_preset == "above") {
        const double radius = std::max(0.5 * glm::length(glm::dvec2(size)), 1.0);
        const double distance = radius / std::tan(camera.fov_y / 2.0) * 1.05 + 0.5 * size.z;
        // A hair south of straight down: north stays up on screen (straight down, the
        // heading would come from rounding noise of the frame).
        look(centre + glm::dvec3(0, -0.02 * distance, distance), centre);
        return;
    }
    if (o.camera_preset == "street") {
        const glm::dvec3 eye =
            view.origin_on_ground ? glm::dvec3(0, 0, 1.7) : glm::dvec3(centre.x, centre.y, box.min.z + 1.7);
        look(eye, eye + glm::dvec3(0, 100, 0));
        return;
    }
    if (view.origin_on_ground) {
        // A twin: its origin is the town centre. Show the town (about 2 km across) rather
        // than the whole tileset with its fields, which would drown the town in haze.
        const double distance =
            std::min(1600.0, 0.5 * glm::length(size) / std::sin(camera.fov_y / 2.0) * 1.05);
        look(glm::dvec3(0, 100, 0) + glm::normalize(glm::dvec3(-0.55, -0.7, 0.55)) * distance, {0, 100, 0});
        return;
    }
    const double radius = std::max(0.5 * glm::length(size), 1.0);
    const double distance = radius / std::sin(camera.fov_y / 2.0) * 1.05;
    look(centre + glm::normalize(glm::dvec3(-0.55, -0.7, 0.55)) * distance, centre);
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
    View view;
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
        frame_camera(camera, model, view, o);
        // Files get the default, physical haze (half the contrast lost after ~3 km, which
        // a town needs and a small model never shows); the built-in village, 400 m wide,
        // gets a denser one so the fog towards the sky is visible at all.
        if (view.builtin) renderer->settings.fog_density = 0.0012f;
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
            FrameStatsView stats{times.frame_ms.empty() ? 0 : times.frame_ms.back(),
                                 cpu_ms,
                                 &frames->gpu_timings(),
                                 last_draw,
                                 ctx->allocator().stats(),
                                 ctx->device_info().name,
                                 scene_name,
                                 scene_triangles,
                                 camera.mode == render::CameraMode::fly,
                                 swapchain != nullptr,
                                 view.town,
                                 view.twin_title,
                                 view.synthetic};
            stats_panel(stats);
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
    const std::string title =
        "Zwilling - " + (s.view.town.empty() ? model.name : s.view.town + " - " + s.view.twin_title);
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
        if (input.apply(s.camera, dt, !ui_mouse, !ui_keys))
            frame_camera(s.camera, *s.renderer->model(), s.view, o);
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
    View view;
    render::Model model = load_scene(o, view);
    Session session{o, start, std::move(view)};
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
