#include "app/viewer/viewer.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <thread>

#include "app/viewer/flight.h"
#include "app/viewer/flood.h"
#include "app/viewer/input.h"
#include "app/viewer/overlay.h"
#include "app/viewer/pick.h"
#include "app/viewer/scene.h"
#include "app/viewer/strings.h"
#include "engine/core/error.h"
#include "engine/core/image.h"
#include "engine/core/jobs.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"
#include "engine/gpu/context.h"
#include "engine/gpu/swapchain.h"
#include "engine/render/tile_uploader.h"
#include "engine/tiles/stream.h"
#include "engine/twin/manifest.h"

namespace zw::viewer {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
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
    // Streaming (tilesets and twins): destroyed before the renderer they upload to.
    std::unique_ptr<core::JobSystem> jobs;
    std::unique_ptr<render::TileUploader> uploader;
    std::unique_ptr<tiles::TileStreamer> streamer;
    std::unique_ptr<Overlay> overlay;
    render::Camera camera;
    geo::Aabb scene_box;  // local frame, for framing the camera
    std::string scene_name;
    uint64_t scene_triangles = 0;
    FrameTimes times;
    double cpu_ms = 0;
    render::DrawStats last_draw;
    Picker picker;  // a click or --pick: the pick pass, highlight and inspector
    // The twin's flood scenarios (null without a twin or scenarios); its worker threads
    // end before the renderer it draws with.
    std::unique_ptr<FloodView> flood;
    uint32_t flood_settled_frames = 0;  // frames drawn since the last flood load finished
    FlyTo fly;                          // a move to a building clicked in the impacts panel
    // A PNG of the window (the flood panel's PNG button): the swapchain image is copied
    // into `shot_buffer` in the frame that draws it, and written once that frame is done.
    gpu::Buffer shot_buffer;
    std::string shot_path;

    ~Session() {
        if (ctx) ctx->wait_idle();  // also on an error path, before anything the GPU uses dies
        flood.reset();
    }

    // The GPU side, then the scene (unless a served twin waits for its sign-in).
    void setup(Scene scene, VkFormat color_format, bool present, GLFWwindow* window) {
        passes = std::make_unique<gpu::RenderPasses>(
            *ctx, gpu::PassSetup{color_format, VK_FORMAT_D32_SFLOAT,
                                 ctx->msaa_samples(static_cast<VkSampleCountFlagBits>(o.samples)), present});
        frames = std::make_unique<gpu::FrameRing>(*ctx);
        renderer = std::make_unique<render::Renderer>(*ctx, *passes);
        if (!login) set_scene(std::move(scene));
        if (o.ui || login) overlay = std::make_unique<Overlay>(*ctx, passes->overlay(), window);
        if (overlay) overlay->capture_text(!o.ui_text.empty());
    }

    void set_scene(Scene scene) {
        scene_name = scene.model.name;
        // Files get the default, physical haze (half the contrast lost after ~3 km, which
        // a town needs and a small model never shows); the built-in village, 400 m wide,
        // gets a denser one so the fog towards the sky is visible at all.
        if (view.builtin) renderer->settings.fog_density = 0.0012f;
        if (scene.streaming()) {
            start_streaming(scene.layers);
        } else {
            scene_triangles = scene.model.triangle_count();
            scene_box = local_bounds(scene.model, view);
            core::info("scene: ", scene_name, ", ", scene_triangles, " triangles in ",
                       scene.model.instances.size(), " mesh instances");
            renderer->set_model(std::move(scene.model), *frames);
        }
        frame_camera(camera, scene_box, view, o);
        if (view.twin && (!flood_sources(*view.twin).empty() || !o.flood_import.empty()))
            flood = std::make_unique<FloodView>(o, view.twin, view.fetch);
    }

    // The sign-in of a served twin that answered 401: the manifest is fetched again with
    // the typed credentials on a worker thread; the frame goes on meanwhile.
    struct Opened {
        View view;
        Scene scene;
    };
    std::optional<LoginForm> login;
    std::future<Opened> login_job;

    void start_login() {
        login->busy = true;
        login->message.clear();
        const core::Credentials c{login->user, login->password};
        std::fill(std::begin(login->password), std::end(login->password), '\0');
        login_job = std::async(std::launch::async, [this, c] {
            Opened r;
            r.scene = load_scene(o, r.view, c);
            return r;
        });
    }

    void poll_login() {
        if (!login_job.valid() || login_job.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            return;
        login->busy = false;
        try {
            Opened r = login_job.get();
            view = std::move(r.view);
            login.reset();
            set_scene(std::move(r.scene));
        } catch (const core::FetchError& e) {
            core::warn("sign-in: ", e.what());
            login->message = e.kind() == core::FetchFailure::unauthorized ? tr(S::login_refused)
                             : e.kind() == core::FetchFailure::forbidden  ? tr(S::login_forbidden)
                             : e.kind() == core::FetchFailure::tls        ? tr(S::login_tls)
                                                                          : e.what();
        } catch (const std::exception& e) {
            core::warn("sign-in: ", e.what());
            login->message = e.what();
        }
    }

    // Starts the layers and waits for their tileset.json files (small; the camera is
    // framed on their bounds). A layer that cannot be read is a warning; none at all an error.
    void start_streaming(const std::vector<LayerSpec>& layers) {
        // Two workers at least: while one waits for a server the other decodes.
        jobs = std::make_unique<core::JobSystem>(std::max(3u, std::thread::hardware_concurrency()) - 1);
        uploader = std::make_unique<render::TileUploader>(*renderer, *frames);
        tiles::StreamOptions so;
        so.fetch = view.fetch;
        so.selection.maximum_sse = o.max_sse;
        so.memory_budget = uint64_t(o.tile_budget_mib) << 20;
        streamer = std::make_unique<tiles::TileStreamer>(*jobs, *uploader, so);
        for (const LayerSpec& l : layers) {
            tiles::Layer& layer = streamer->layers()[streamer->add_tileset(l.uri, l.name, l.confine_root)];
            layer.id = l.id;
            layer.visible = l.visible;
            layer.draped = l.draped;
        }
        const auto t0 = Clock::now();
        while (!streamer->roots_settled()) {
            streamer->poll();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        const auto ready =
            size_t(std::count_if(streamer->layers().begin(), streamer->layers().end(),
                                 [](const auto& l) { return l.state == tiles::LayerState::ready; }));
        if (ready == 0) fail("none of the tilesets could be loaded (see the messages above)");
        core::info("tilesets: ", ready, " of ", streamer->layers().size(), " ready after ", ms_since(t0),
                   " ms");
        const std::optional<tiles::Bounds> b = streamer->root_bounds();
        if (!view.origin_on_ground) view.local_to_world = frame_at(b->box.center);
        scene_box = local_bounds(*b, view);
    }

    // Places the camera at once; positions in the view's local frame.
    void place_camera(const glm::dvec3& eye, const glm::dvec3& look_at) {
        camera.look_at(glm::dvec3(view.local_to_world * glm::dvec4(eye, 1.0)),
                       glm::dvec3(view.local_to_world * glm::dvec4(look_at, 1.0)));
    }

    // Renders one offscreen frame (no readback) and returns the streamer's figures.
    const tiles::StreamStats& offscreen_frame(double dt) {
        const gpu::Frame& frame = frames->begin();
        record(frame, 0, dt, false);
        frames->submit();
        return streamer->stats();
    }

    tiles::ViewState view_state(VkExtent2D extent) const {
        const double aspect = double(extent.width) / double(std::max(extent.height, 1u));
        tiles::ViewState v;
        v.eye = camera.eye();
        v.direction = camera.forward();
        v.culling = tiles::CullingVolume::from_matrix(camera.projection(aspect) * camera.view_rotation());
        v.viewport_height = extent.height;
        v.fov_y = camera.fov_y;
        return v;
    }

    // Updates the camera and the overlay, then records the frame.
    void record(const gpu::Frame& frame, size_t output, double dt, bool readback) {
        const auto t0 = Clock::now();
        if (login) poll_login();
        if (fly.active) {
            const FlightKey k = fly.step(dt);
            camera.look_at(k.eye, k.target);
        }
        camera.update(dt);
        if (flood) {
            const VkExtent2D e = target->extent();
            flood->set_view(camera.eye(), camera.projection(double(e.width) / std::max(1u, e.height)) *
                                              camera.view_rotation());
            // The flow streaks move with the wall clock in a window, with --fixed-dt headless
            // (deterministic screenshots otherwise).
            flood->update(renderer->water(), dt, swapchain || o.fixed_dt > 0 ? dt : 0.0,
                          target->extent().width);
            flood_settled_frames = flood->busy() ? 0 : flood_settled_frames + 1;
        }
        if (streamer) {
            const tiles::ViewState v = view_state(target->extent());
            uploader->begin_frame(frame.cmd);
            streamer->update(v, frame.number + 1);
            render::collect_draws(*streamer, v, renderer->streamed);
        }
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
                                 swapchain != nullptr};
            if (login && login_panel(*login)) start_login();
            if (view.twin) twin_banner(*view.twin, view.department);
            // With the flood panels the statistics start collapsed: the room is theirs.
            const bool flood_panels = flood && o.panel_flood;
            if (o.panel_stats) stats_panel(stats, flood_panels);
            if (streamer && o.panel_tiles) tiles_panel(*streamer, flood_panels);
            if (streamer && o.panel_layers) layer_panel(*streamer, view.twin.get());
            if (flood) flood->split_overlay();
            if (flood && o.panel_flood)
                if (const std::optional<FlyRequest> f = flood->panels())
                    fly.start(camera.eye(), camera.state().target, f->eye, f->target);
            draw_overlay = [this](VkCommandBuffer cmd) { overlay->record(cmd); };
        }
        picker.update(*renderer, *frames, streamer.get());  // a finished pick is highlighted from now on
        if (overlay && o.panel_inspector && !login && (swapchain || o.pick))
            inspector_panel(picker.result(), view.twin.get());
        last_draw = renderer->render(*frames, frame, *target, output, camera, draw_overlay, readback);
        if (flood && flood->png_requested) {
            flood->png_requested = false;
            record_window_shot(frame.cmd, output);
        }
        cpu_ms = ms_since(t0);
    }

    // The PNG button: copies the swapchain image just drawn (overlay included) into a
    // host buffer; write_window_shot() saves it once the frame has finished.
    void record_window_shot(VkCommandBuffer cmd, size_t output) {
        const std::string path = flood->next_png_path();
        if (!swapchain || !swapchain->readable()) {  // headless: --screenshot writes the image
            flood->export_failed = true;
            flood->export_message =
                swapchain ? "this display's images cannot be copied; use --headless --screenshot"
                          : "headless: use --screenshot FILE";
            return;
        }
        const VkExtent2D e = target->extent();
        shot_buffer =
            gpu::Buffer(*ctx, VkDeviceSize(e.width) * e.height * 4, VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                        gpu::MemoryUsage::readback, "window screenshot");
        const VkImage image = swapchain->images()[output];
        gpu::transition(cmd, image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR,
                        VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                        VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_ACCESS_TRANSFER_READ_BIT);
        gpu::record_image_readback(cmd, image, e, shot_buffer.handle());
        gpu::transition(cmd, image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                        VK_IMAGE_LAYOUT_PRESENT_SRC_KHR, VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_ACCESS_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0);
        shot_path = path;
    }

    void write_window_shot() {
        if (shot_path.empty()) return;
        frames->drain();
        const VkExtent2D e = target->extent();
        core::Image image{int(e.width), int(e.height), {}};
        image.rgba.resize(size_t(e.width) * e.height * 4);
        std::memcpy(image.rgba.data(), shot_buffer.mapped(), image.rgba.size());
        const VkFormat f = swapchain->format();
        for (size_t i = 0; i < image.rgba.size(); i += 4) {
            if (f == VK_FORMAT_B8G8R8A8_SRGB || f == VK_FORMAT_B8G8R8A8_UNORM)
                std::swap(image.rgba[i], image.rgba[i + 2]);
            image.rgba[i + 3] = 255;
        }
        try {
            core::write_png(shot_path, image);
            core::info("wrote ", shot_path, " (", e.width, "x", e.height, ")");
            flood->export_failed = false;
            flood->export_message = shot_path;
        } catch (const std::exception& ex) {
            core::warn(ex.what());
            flood->export_failed = true;
            flood->export_message = ex.what();
        }
        shot_path.clear();
        shot_buffer = {};
    }

    void first_frame_done() {
        if (times.first_frame_ms >= 0) return;
        times.first_frame_ms = ms_since(start);
        core::info("first frame after ", times.first_frame_ms, " ms (process start to frame finished)");
    }

    // Waits for the GPU, reports frame times, releases the GPU objects (so validation
    // sees their destruction too) and returns the exit code.
    int finish() {
        if (streamer) {
            const tiles::StreamStats& st = streamer->stats();
            core::info("tiles: ", st.loaded_total, " loaded, ", st.failed, " failed, ", st.evicted_total,
                       " evicted; peak ", st.peak_bytes / 1048576.0, " MiB of ", st.budget / 1048576.0,
                       " MiB");
        }
        streamer.reset();
        uploader.reset();
        frames->drain();
        flood.reset();
        shot_buffer = {};
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

// The streaming benchmark: full detail at the first key, then the flight at 30
// simulated frames per second (loading runs in real time behind it).
int run_flight(Session& s) {
    const Flight flight = town_flight();
    FlightStats fs;
    const auto t0 = Clock::now();
    const FlightKey start = flight.at(0);
    s.place_camera(start.eye, start.target);
    while (!s.offscreen_frame(1.0 / 30).complete) {
        if (ms_since(t0) > s.o.wait_timeout_s * 1000.0) {
            core::warn("full detail not reached at the start after ", s.o.wait_timeout_s, " s");
            break;
        }
    }
    fs.time_to_full_detail_ms = ms_since(t0);
    const uint64_t loaded_before = s.streamer->stats().loaded_total;
    const uint64_t over_before = s.streamer->stats().frames_over_upload_budget;
    const auto fly_start = Clock::now();
    const auto frames = uint32_t(flight.duration() * 30.0);
    for (uint32_t i = 0; i <= frames; ++i) {
        const FlightKey k = flight.at(i / 30.0);
        s.place_camera(k.eye, k.target);
        const tiles::StreamStats& st = s.offscreen_frame(1.0 / 30);
        fs.selection_ms.push_back(st.selection_ms);
    }
    s.frames->drain();
    const tiles::StreamStats& st = s.streamer->stats();
    fs.flight_wall_s = ms_since(fly_start) / 1000.0;
    fs.frames = frames + 1;
    fs.tiles_loaded = st.loaded_total - loaded_before;
    fs.frames_over_upload_budget = st.frames_over_upload_budget - over_before;
    fs.peak_bytes = st.peak_bytes;
    fs.budget = st.budget;
    fs.print();
    return s.finish();
}

int run_headless(Session& s, Scene scene) {
    const Options& o = s.o;
    s.ctx = std::make_unique<gpu::Context>(gpu::ContextOptions{o.validation, o.gpu, {}, {}, false});
    s.setup(std::move(scene), VK_FORMAT_R8G8B8A8_SRGB, false, nullptr);
    s.target = std::make_unique<gpu::RenderTarget>(*s.ctx, *s.passes, VkExtent2D{o.width, o.height});
    if (o.flight) return run_flight(s);
    // With --wait-full-detail the last frame is the first one (after at least --frames)
    // whose selection had everything it needed: deterministic screenshots.
    const bool wait = o.wait_full_detail && s.streamer;
    const auto wait_start = Clock::now();
    auto last_progress = wait_start;
    bool complete = false, timed_out = false;
    auto last = Clock::now();
    for (uint32_t i = 0;; ++i) {
        // A flood being loaded is waited for (and two more frames for ImGui to size its panels).
        const bool flood_ready = !s.flood || s.flood_settled_frames >= 3;
        const bool enough = i + 1 >= o.frames && flood_ready;
        const bool shot = wait ? enough && (complete || timed_out) : enough;
        const gpu::Frame& frame = s.frames->begin();
        const auto now = Clock::now();
        const double wall_dt = std::chrono::duration<double>(now - last).count();
        if (i > 0) s.times.frame_ms.push_back(wall_dt * 1000.0);
        last = now;
        s.record(frame, 0, o.fixed_dt > 0 ? o.fixed_dt : (i == 0 ? 0.0 : wall_dt),
                 shot && !o.screenshot.empty());
        s.frames->submit();
        if (i == 0) {
            s.ctx->wait_idle();
            s.first_frame_done();
        }
        if (!wait) {
            if (shot) break;
            if (!flood_ready) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        const tiles::StreamStats& st = s.streamer->stats();
        if (shot && (st.complete || timed_out)) break;
        complete = st.complete;
        if (!complete && ms_since(wait_start) > o.wait_timeout_s * 1000.0) {
            core::warn("full detail not reached after ", o.wait_timeout_s, " s (", st.loading,
                       " tiles loading, ", st.requests, " wanted); taking the screenshot as it is");
            timed_out = true;
        }
        if (ms_since(last_progress) > 2000.0) {
            last_progress = Clock::now();
            core::info("waiting for full detail: ", st.loaded, " tiles in memory, ", st.loading, " loading, ",
                       st.requests, " wanted, ", st.failed, " failed");
        }
        if (!complete && st.loading > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (wait && complete)
        core::info("full detail after ", ms_since(wait_start), " ms: ", s.streamer->stats().visible,
                   " tiles drawn");
    s.frames->drain();
    if (o.pick) {
        // One more frame of the same view draws the pick pass; the next one resolves it
        // and shows the highlight; two more let ImGui size the inspector to the feature's
        // attributes, and the last is the screenshot. The JSON is the only stdout line.
        s.picker.request(*s.renderer, (*o.pick)[0], (*o.pick)[1]);
        const int frames = s.overlay ? 4 : 2;
        for (int i = 0; i < frames; ++i) {
            s.record(s.frames->begin(), 0, 0.0, i == frames - 1 && !o.screenshot.empty());
            s.frames->submit();
            s.frames->drain();
        }
        const render::PickResult miss{(*o.pick)[0], (*o.pick)[1]};
        std::printf("%s\n", render::pick_json(s.picker.result() ? *s.picker.result() : miss).c_str());
        std::fflush(stdout);
    }
    if (!o.screenshot.empty()) {
        core::write_png(o.screenshot, s.target->read_image());
        core::info("wrote ", o.screenshot, " (", o.width, "x", o.height, ")");
    }
    if (!o.ui_text.empty()) {
        std::ofstream out(o.ui_text, std::ios::binary);
        out << (s.overlay ? s.overlay->text() : std::string());
        if (!out.good()) {
            std::fprintf(stderr, "zwilling: could not write %s\n", o.ui_text.c_str());
            return 1;
        }
    }
    if (s.flood && !o.flood_live_wall.empty()) {
        // The live run's end as one JSON line (tests, scripts), and its depth raster.
        const scenario::LiveFlood::Snapshot& live = s.flood->live_snapshot();
        if (!s.flood->live_error.empty()) {
            std::fprintf(stderr, "zwilling: the live flood run failed: %s\n", s.flood->live_error.c_str());
            return 1;
        }
        std::printf(
            "{\"live\": {\"t_s\": %.3f, \"finished\": %s, \"buildings_over_10cm\": %zu, \"wall_points\": "
            "%zu}}\n",
            live.t_s, live.finished ? "true" : "false", s.flood->live_flooded(), s.flood->wall().size());
        std::fflush(stdout);
        if (!o.flood_live_depth.empty()) {
            s.flood->write_live_depth(o.flood_live_depth);
            core::info("wrote the live depth to ", o.flood_live_depth);
        }
    }
    return s.finish();
}

int run_windowed(Session& s, Scene scene) {
    const Options& o = s.o;
    GlfwWindow& w = s.glfw;
    glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
    const std::string title =
        "Zwilling - " +
        (s.view.twin
             ? s.view.twin->town + " - " + localized(s.view.twin->title_de, s.view.twin->title_en) + " (" +
                   tr(s.view.twin->audience == twin::Audience::public_   ? S::twin_public
                      : s.view.twin->audience == twin::Audience::council ? S::twin_council
                                                                         : S::twin_staff) +
                   ")"
             : scene.model.name);
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
    s.setup(std::move(scene), swapchain.format(), true, w.window);
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
        if (input.apply(s.camera, dt, !ui_mouse, !ui_keys)) {
            s.fly.active = false;
            frame_camera(s.camera, s.scene_box, s.view, o);
        }
        if (const auto click = input.take_click()) {
            // Drawing a live flood wall, a click puts a point on the ground; else it picks.
            const VkExtent2D e = s.target->extent();
            if (!(s.flood &&
                  s.flood->click(s.camera.eye(), s.camera.ray((*click)[0], (*click)[1], e.width, e.height))))
                s.picker.request(*s.renderer, (*click)[0], (*click)[1]);
        }
        s.record(frame, *image, dt, false);
        s.frames->submit(frame.image_available, swapchain.render_finished(*image));
        if (!swapchain.present(*image)) stale = true;
        s.write_window_shot();
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
    set_language(o.lang == "en" ? Lang::en : Lang::de);
    if (!o.flood_export_csv.empty()) return export_flood_csv(o);  // no GPU, no window
    // The model first: a bad file is reported before any GPU work starts.
    View view;
    Scene scene;
    std::optional<LoginForm> login;
    try {
        scene = load_scene(o, view);
    } catch (const core::FetchError& e) {
        // In a window a served twin that asks for credentials gets a sign-in panel.
        // Headless, or refused for another reason: the message says what to do.
        if (o.headless || e.kind() != core::FetchFailure::unauthorized) throw;
        core::warn(e.what(), "; asking for a user name and password");
        login.emplace();
        login->url = core::display_uri(twin::manifest_uri(o.twin));
        if (!o.credentials.empty()) login->message = tr(S::login_refused);
    }
    if (view.twin) {
        // An unknown scenario id is a bad option: say which ones the twin has.
        const std::vector<FloodSource> sources = flood_sources(*view.twin);
        for (const std::string* id : {&o.flood, &o.flood_compare}) {
            if (id->empty() || (*id == "import" && !o.flood_import.empty())) continue;
            if (std::none_of(sources.begin(), sources.end(),
                             [&](const FloodSource& f) { return f.id == *id; })) {
                std::fprintf(stderr, "zwilling: the %s has no flood scenario '%s'; available: %s\n",
                             view.twin->title_en.c_str(), id->c_str(), flood_ids(*view.twin).c_str());
                return exit_usage;
            }
        }
    }
    Session session{o, start, std::move(view)};
    session.login = std::move(login);
    if (o.headless) return run_headless(session, std::move(scene));

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
    return run_windowed(session, std::move(scene));
}

}  // namespace zw::viewer
