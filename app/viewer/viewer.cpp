#include "app/viewer/viewer.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <variant>

#include "app/viewer/capture.h"
#include "app/viewer/config.h"
#include "app/viewer/export_path.h"
#include "app/viewer/flight.h"
#include "app/viewer/flood.h"
#include "app/viewer/frame_loop.h"
#include "app/viewer/lighting.h"
#include "app/viewer/orientation.h"
#include "app/viewer/output.h"
#include "app/viewer/overlay.h"
#include "app/viewer/pick.h"
#include "app/viewer/platform.h"
#include "app/viewer/presenter.h"
#include "app/viewer/report_export.h"
#include "app/viewer/scene.h"
#include "app/viewer/screenshot.h"
#include "app/viewer/sign_in.h"
#include "app/viewer/streaming.h"
#include "app/viewer/strings.h"
#include "app/viewer/tour.h"
#include "app/viewer/traffic.h"
#include "app/viewer/video.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/gpu/context.h"
#include "engine/scenario/timeline.h"
#include "engine/twin/manifest.h"

namespace zw::viewer {
namespace {

// One run of the viewer: what it shows and everything that draws it. A frame is update
// (the intents of the last frame's panels, this frame's input, the sign-in, camera,
// flood, streaming, picks) -> UI (panels that return intents) -> render.
// Members are declared in the order they are built and destroyed in reverse, once the
// destructor has waited for the GPU: the workers (flood, streaming, sign-in) before the
// renderer they draw with, the overlay and target before the render passes, the
// swapchain last. The platform (window) and the gpu::Context outlive the session.
class Session final : public FrameHost {
  public:
    Session(const Options& o, Platform& platform, gpu::Context& ctx, View view, Clock::time_point start)
        : o_(o),
          platform_(platform),
          ctx_(ctx),
          view_(std::move(view)),
          swapchain_(platform.make_swapchain(ctx)),
          passes_(ctx, gpu::PassSetup{swapchain_ ? swapchain_->format() : VK_FORMAT_R8G8B8A8_SRGB,
                                      VK_FORMAT_D32_SFLOAT,
                                      ctx.msaa_samples(static_cast<VkSampleCountFlagBits>(o.samples)),
                                      swapchain_ != nullptr}),
          frames_(ctx),
          renderer_(ctx, passes_),
          output_(ctx, passes_, swapchain_.get(), platform.size()),
          clock_(o.fixed_dt, start) {}
    ~Session() override { ctx_.wait_idle(); }  // also on an error path, before anything the GPU uses dies
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Shows `scene`, or (`sign_in`) the form for a served twin that asked for credentials.
    void open(Scene scene, bool sign_in) {
        if (sign_in)
            sign_in_.emplace(o_);
        else
            set_scene(std::move(scene));
        if (o_.ui || sign_in_)
            overlay_ = std::make_unique<Overlay>(ctx_, passes_.overlay(), platform_.window(), o_.ui_size);
        if (overlay_) overlay_->capture_text(!o_.ui_text.empty());
    }

    // The runs; each returns the exit code (validation is checked once the session is gone).
    int run_window() {
        const uint32_t presented = run_frames(platform_, output_, frames_, ctx_, clock_, *this);
        const VkExtent2D e = output_.extent();
        core::info("presented ", presented, " frames at ", e.width, "x", e.height, ", swapchain recreated ",
                   output_.rebuilt(), " times");
        report();
        return exit_ok;
    }
    int run_headless();
    int run_flight();
    int run_video();

    bool read_back(uint32_t index) override {
        if (!capture_) return false;
        const bool tour_done = !(tour_ && tour_->holds_capture());
        const bool last = capture_->last(
            index,
            tour_done && ((!flood_ && !traffic_) || flood_settled_frames_ >= config.flood_settle_frames));
        return last && !o_.screenshot.empty();
    }
    void frame(const gpu::Frame& frame, uint32_t image, double dt, bool readback) override;
    bool done(uint32_t index) override {
        if (swapchain_)
            if (const std::optional<ShotResult> r = shot_.write(frames_, swapchain_->format()))
                shot_result(*r);
        if (capture_) return capture_->done(streaming_ ? &streaming_->streamer().stats() : nullptr);
        return o_.frames > 0 && index + 1 >= o_.frames;
    }

  private:
    void set_scene(Scene scene);
    void update(const gpu::Frame& frame, double dt);
    void apply(const Intent& intent);
    void ui(double dt);

    // One frame outside the frame loop (the pick's frames), offscreen.
    void draw_offscreen(double dt, bool readback) {
        const gpu::Frame& f = frames_.begin();
        frame(f, 0, dt, readback);
        output_.submit(frames_, f, 0);
    }
    // Places the camera at once; positions in the view's local frame.
    void place_camera(const glm::dvec3& eye, const glm::dvec3& look_at) {
        camera_.look_at(glm::dvec3(view_.local_to_world * glm::dvec4(eye, 1.0)),
                        glm::dvec3(view_.local_to_world * glm::dvec4(look_at, 1.0)));
    }
    // A PNG's outcome, said in the panel that asked for it.
    void shot_result(const ShotResult& r) {
        auto say = [&](auto& panel) { panel.export_failed = r.failed, panel.export_message = r.message; };
        if (shot_traffic_ && traffic_) say(*traffic_);
        if (!shot_traffic_ && flood_) say(*flood_);
    }
    // The summary lines at the end of a run.
    void report() const {
        if (streaming_) streaming_->report();
        clock_.report();
    }

    const Options& o_;
    Platform& platform_;
    gpu::Context& ctx_;
    View view_;
    std::unique_ptr<gpu::Swapchain> swapchain_;  // null headless; before the passes (its format)
    gpu::RenderPasses passes_;
    gpu::FrameRing frames_;
    render::Renderer renderer_;
    Output output_;  // the render target
    std::unique_ptr<Overlay> overlay_;
    std::optional<SignIn> sign_in_;         // a served twin waiting for credentials
    std::unique_ptr<Streaming> streaming_;  // tilesets and twins
    std::unique_ptr<FloodView> flood_;      // the twin's flood scenarios; null without
    std::unique_ptr<TrafficView> traffic_;  // the twin's traffic scenarios; null without
    std::unique_ptr<TourPlayer> tour_;      // views and tours (tour.h)
    scenario::Timeline timeline_;           // the one clock the scenarios follow
    WindowShot shot_;                       // the flood panel's PNG of the window
    render::Camera camera_;
    geo::Aabb scene_box_;  // local frame, for framing the camera
    std::string scene_name_;
    uint64_t scene_triangles_ = 0;
    FrameClock clock_;
    double cpu_ms_ = 0;
    render::DrawStats last_draw_;
    Picker picker_;                      // a click or --pick: the pick pass, highlight and inspector
    uint32_t flood_settled_frames_ = 0;  // frames drawn since the last flood or traffic load finished
    FlyTo fly_;                          // a move to a building clicked in the impacts panel
    Intents asked_;                      // by this frame's panels; the next frame's update applies them
    std::string shot_path_;              // take the window's PNG to this file in this frame
    bool shot_traffic_ = false;          // asked by the traffic panel
    std::optional<Capture> capture_;     // headless: when the last frame is drawn
    // Presenter mode (presenter.h): H hides the panels (the HUD stays), F1 shows the keys,
    // F10 the technical panels (default: not in the citizens' twin unless --panels names them).
    bool overlay_hidden_ = false;
    bool keys_help_ = false;
    std::optional<bool> technical_;
    bool citizens_twin() const { return view_.twin && view_.twin->audience == twin::Audience::public_; }
    bool show_technical() const { return technical_.value_or(o_.panels_given || !citizens_twin()); }
    HudView hud() const;
    ReportView report_view() const;
    ReportExport report_;  // P: the report PNG by a second process
    ReportExport video_export_{{S::video_title, S::video_running, S::video_saved, S::video_failed}};  // M
    bool video_pending_ = false;  // M while the tours load: started once they are there
    void start_video();
    // The arguments that open what this session shows (model, twin, department, tilesets).
    void add_source_arguments(std::vector<std::string>& a) const;
    bool report_pending_ = false;  // P while scenarios load: made once they are shown
    // That process's arguments for the view as it is now (the PNG to `path`).
    std::vector<std::string> report_arguments(const std::string& path) const;
    void start_report();
    // The camera in the view's local frame (where --camera and tours put it).
    std::pair<glm::dvec3, glm::dvec3> local_camera() const {
        const glm::dmat4 to_local = glm::inverse(view_.local_to_world);
        return {glm::dvec3(to_local * glm::dvec4(camera_.eye(), 1.0)),
                glm::dvec3(to_local * glm::dvec4(camera_.state().target, 1.0))};
    }
    void tour_step(double dt);
    std::optional<double> view_time_;         // a view's time, set once its scenarios are loaded
    intent::Sun sun_;                         // the sun panel's date and time
    render::SceneSettings default_light_;     // the light without the sun panel
    void show_view(const twin::TourView& v);  // its layers, scenarios and time
    twin::TourView view_now() const;          // the camera and what is shown, as a view
};

void Session::set_scene(Scene scene) {
    scene_name_ = scene.model.name;
    // Files get the renderer's physical haze (half the contrast lost after ~3 km, which a
    // town needs and a small model never shows); the built-in village a denser one.
    if (view_.builtin) renderer_.settings.fog_density = config.builtin_fog_density;
    if (scene.streaming()) {
        streaming_ = std::make_unique<Streaming>(scene.layers, view_.fetch, o_, renderer_, frames_);
        const tiles::Bounds b = streaming_->bounds();
        if (!view_.origin_on_ground) view_.local_to_world = frame_at(b.box.center);
        scene_box_ = local_bounds(b, view_);
    } else {
        scene_triangles_ = scene.model.triangle_count();
        scene_box_ = local_bounds(scene.model, view_);
        core::info("scene: ", scene_name_, ", ", scene_triangles_, " triangles in ",
                   scene.model.instances.size(), " mesh instances");
        renderer_.set_model(std::move(scene.model), frames_);
    }
    frame_camera(camera_, scene_box_, view_, o_);
    default_light_ = renderer_.settings;
    sun_ = initial_sun(o_);
    apply_sun(o_, view_, renderer_.settings);
    apply_haze(view_, scene_box_, scene.streaming(), renderer_.settings);
    if (view_.twin && (!flood_sources(*view_.twin).empty() || !o_.flood_import.empty())) {
        flood_ = std::make_unique<FloodView>(o_, view_.twin, view_.fetch);
        timeline_ = {};
        if (o_.flood_time) timeline_.time_s = *o_.flood_time;  // clamped once the duration is known
    }
    if (view_.twin && !traffic_sources(*view_.twin).empty()) {
        traffic_ = std::make_unique<TrafficView>(o_, view_.twin, view_.fetch);
        if (o_.traffic_time) timeline_.time_s = *o_.traffic_time;  // clamped once the duration is known
    }
    if (o_.ui || !o_.tour.empty()) tour_ = std::make_unique<TourPlayer>(o_, view_.twin, view_.fetch);
}

void Session::tour_step(double dt) {
    const auto [eye, target] = local_camera();
    auto ready = [&] { return !(flood_ && flood_->busy()) && !(traffic_ && traffic_->loading()); };
    const TourPlayer::Step step = tour_->update(dt, eye, target, ready() && !view_time_);
    if (step.begin) show_view(*step.begin);
    if (step.address && !swapchain_) {  // headless: the address found, as JSON (tests, scripts)
        const twin::Address& a = *step.address;
        std::printf("{\"address\": \"%s %s\", \"position\": [%.1f, %.1f, %.1f]}\n", a.street.c_str(),
                    a.number.c_str(), a.position.x, a.position.y, a.position.z);
        std::fflush(stdout);
    }
    // A view's time once its scenarios are loaded (before, the timeline has no duration).
    if (view_time_ && ready()) timeline_.scrub(*std::exchange(view_time_, std::nullopt));
    if (step.camera) {
        fly_.active = false;
        place_camera(step.camera->eye, step.camera->target);
    }
    if (step.arrived) {
        if (step.arrived->play) timeline_.play();
        if (!swapchain_) {  // headless: one JSON line per view reached (tests, scripts)
            const auto [e, t] = local_camera();
            std::printf("{\"tour_view\": \"%s\", \"eye\": [%.2f, %.2f, %.2f], \"timeline_s\": %.1f}\n",
                        step.arrived->id.c_str(), e.x, e.y, e.z, timeline_.time_s);
            std::fflush(stdout);
        }
    }
}

void Session::show_view(const twin::TourView& v) {
    if (v.layers && streaming_) {
        const auto& layers = streaming_->streamer().layers();
        for (size_t i = 0; i < layers.size(); ++i)
            apply(intent::LayerVisible{
                i, std::find(v.layers->begin(), v.layers->end(), layers[i].id) != v.layers->end()});
    }
    auto index_of = [](const auto& sources, const std::string& id) -> std::optional<size_t> {
        for (size_t i = 0; i < sources.size(); ++i)
            if (sources[i].id == id) return i;
        return std::nullopt;
    };
    if (flood_) {
        if (v.flood) apply(intent::FloodChoose{0, index_of(flood_->sources(), *v.flood)});
        if (v.flood_compare) apply(intent::FloodChoose{1, index_of(flood_->sources(), *v.flood_compare)});
        intent::FloodDisplay d = flood_->display();
        if (v.flood_compare) d.show = v.flood_compare->empty() ? FloodShow::a : FloodShow::split;
        if (v.flood_split) d.split = float(*v.flood_split);
        apply(d);
    }
    if (traffic_) {
        if (v.traffic)
            apply(intent::Traffic{intent::TrafficChoose{index_of(traffic_->sources(), *v.traffic)}});
        if (v.traffic_b)
            apply(intent::Traffic{intent::TrafficChooseB{index_of(traffic_->sources(), *v.traffic_b)}});
    }
    // The time holds during the flight; a view that plays starts it on arrival.
    timeline_.pause();
    view_time_ = v.time_s;
}

twin::TourView Session::view_now() const {
    twin::TourView v;
    std::tie(v.eye, v.target) = local_camera();
    if (streaming_) {
        v.layers = std::vector<std::string>();
        for (const tiles::Layer& l : streaming_->streamer().layers())
            if (l.visible && !l.id.empty()) v.layers->push_back(l.id);
    }
    if (flood_) {
        const FloodData* a = flood_->data(0);
        const FloodData* b = flood_->data(1);
        v.flood = a ? a->source.id : "";
        v.flood_compare = b && flood_->display().show == FloodShow::split ? b->source.id : "";
        if (!v.flood_compare->empty()) v.flood_split = flood_->display().split;
    }
    if (traffic_) {
        const auto& s = traffic_->sources();
        v.traffic = traffic_->chosen() ? s[*traffic_->chosen()].id : "";
        v.traffic_b = traffic_->chosen_b() ? s[*traffic_->chosen_b()].id : "";
    }
    if (flood_ || traffic_) v.time_s = timeline_.time_s;
    v.play = timeline_.playing;
    return v;
}

void Session::frame(const gpu::Frame& frame, uint32_t image, double dt, bool readback) {
    const auto t0 = Clock::now();
    update(frame, dt);
    render::OverlayFn draw_overlay;
    if (overlay_) {
        ui(dt);
        draw_overlay = [this](VkCommandBuffer cmd) { overlay_->record(cmd); };
    }
    last_draw_ = renderer_.render(frames_, frame, output_.target(), image, camera_, draw_overlay, readback);
    if (const std::string path = std::exchange(shot_path_, {}); !path.empty()) {
        const std::optional<ShotResult> r =
            shot_.record(ctx_, frame.cmd, swapchain_.get(), image, output_.extent(), path);
        if (r) shot_result(*r);
    }
    cpu_ms_ = ms_since(t0);
}

void Session::update(const gpu::Frame& frame, double dt) {
    // The panels' intents of the frame before, then this frame's input (over the overlay
    // as it was then).
    for (const Intent& i : std::exchange(asked_, {}))
        apply(i);
    Intents input;
    platform_.input(camera_, dt, !(overlay_ && overlay_->wants_mouse()),
                    !(overlay_ && overlay_->wants_keyboard()), input);
    for (const Intent& i : input)
        apply(i);
    if (sign_in_) {
        if (std::optional<Opened> opened = sign_in_->poll()) {
            view_ = std::move(opened->view);
            sign_in_.reset();
            set_scene(std::move(opened->scene));
        }
    }
    if (fly_.active) {
        const FlightKey k = fly_.step(dt);
        camera_.look_at(k.eye, k.target);
    }
    if (tour_) tour_step(dt);
    camera_.update(dt);
    const VkExtent2D e = output_.extent();
    const glm::dmat4 view_projection =
        camera_.projection(double(e.width) / std::max(1u, e.height)) * camera_.view_rotation();
    // Finished flood loads set the timeline's duration before it advances.
    if (flood_) flood_->take_loads(timeline_);
    if (traffic_) {
        traffic_->set_flood_shown(flood_ && flood_->data(0) ? flood_->data(0)->source.id : std::string());
        traffic_->take_loads(timeline_, flood_ && (flood_->data(0) || flood_->data(1)));
    }
    timeline_.advance(dt);
    if (flood_) {
        flood_->set_view(camera_.eye(), view_projection);
        // The flow streaks move with the wall clock in a window, with --fixed-dt headless
        // (deterministic screenshots otherwise).
        flood_->update(timeline_, renderer_.water(), swapchain_ || o_.fixed_dt > 0 ? dt : 0.0, e.width);
    }
    const bool busy = (flood_ && flood_->busy()) || (traffic_ && traffic_->loading());
    if (flood_ || traffic_) flood_settled_frames_ = busy ? 0 : flood_settled_frames_ + 1;
    if (report_pending_ && !busy) start_report();
    if (video_pending_ && tour_ && !tour_->loading()) {
        video_pending_ = false;
        start_video();
    }
    if (traffic_) {
        const VehicleCulling culling{camera_.eye(), view_projection, config.traffic_max_distance_m};
        traffic_->update(timeline_, renderer_, culling);
    }
    if (streaming_) streaming_->update(frame, view_state(camera_, e), renderer_);
    // A finished pick is highlighted from now on.
    picker_.update(renderer_, frames_, streaming_ ? &streaming_->streamer() : nullptr);
    report_.poll();
    video_export_.poll();
}

void Session::apply(const Intent& intent) {
    auto layer = [&](size_t i) -> tiles::Layer* {
        if (!streaming_ || i >= streaming_->streamer().layers().size()) return nullptr;
        return &streaming_->streamer().layers()[i];
    };
    auto flood_apply = [&](const auto& a) {
        if (flood_) flood_->apply(a);
    };
    std::visit(Overloaded{
                   [&](const intent::MaxSse& a) {
                       if (streaming_) streaming_->streamer().options.selection.maximum_sse = a.pixels;
                   },
                   [&](const intent::LayerVisible& a) {
                       if (tiles::Layer* l = layer(a.layer)) l->visible = a.visible;
                   },
                   [&](const intent::LayerOpacity& a) {
                       if (tiles::Layer* l = layer(a.layer)) l->opacity = a.opacity;
                   },
                   [&](const intent::SignIn& a) {
                       if (sign_in_) sign_in_->start(a.credentials);
                   },
                   [&](const intent::FlyTo& a) {
                       fly_.start(camera_.eye(), camera_.state().target, a.eye, a.target);
                   },
                   [&](const intent::SaveWindowPng& a) {
                       shot_traffic_ = a.traffic && traffic_;
                       shot_path_ = shot_traffic_ ? traffic_->next_png_path()
                                    : flood_      ? flood_->next_png_path(timeline_.time_s)
                                                  : std::string();
                   },
                   [&](const intent::Click& a) {
                       // Drawing a live flood wall, a click puts a point on the ground; else it picks.
                       const VkExtent2D e = output_.extent();
                       const auto ray = camera_.ray(a.x, a.y, e.width, e.height);
                       if (!(flood_ && flood_->click(camera_.eye(), ray)) &&
                           !(traffic_ && traffic_->click(camera_.eye(), ray)))
                           picker_.request(renderer_, a.x, a.y);
                   },
                   [&](const intent::FrameScene&) {
                       fly_.active = false;
                       frame_camera(camera_, scene_box_, view_, o_);
                   },
                   [&](const intent::Presenter& a) {
                       using Op = intent::Presenter::Op;
                       switch (a.op) {
                           case Op::overlay:
                               overlay_hidden_ = !overlay_hidden_;
                               break;
                           case Op::help:
                               keys_help_ = !keys_help_;
                               break;
                           case Op::fullscreen:
                               platform_.toggle_fullscreen();
                               break;
                           case Op::technical:
                               technical_ = !show_technical();
                               break;
                           case Op::report:
                               start_report();
                               break;
                       }
                   },
                   [&](const intent::TimelineToggle&) { timeline_.toggle(); },
                   [&](const intent::TimelineScrub& a) { timeline_.scrub(a.time_s); },
                   [&](const intent::TimelineSpeed& a) {
                       if (a.speed > 0) timeline_.speed = a.speed;
                   },
                   [&](const intent::TimelineLoop& a) { timeline_.loop = a.on; },
                   [&](const intent::FloodChoose& a) { flood_apply(a); },
                   [&](const intent::FloodDisplay& a) { flood_apply(a); },
                   [&](const intent::FloodLive& a) { flood_apply(a); },
                   [&](const intent::FloodExportCsv& a) { flood_apply(a); },
                   [&](const intent::Traffic& a) {
                       if (traffic_) traffic_->apply(a);
                   },
                   [&](const intent::Language& a) { set_language(a.lang); },
                   [&](const intent::Sun& a) {
                       sun_ = a;
                       apply_sun(sun_, view_, default_light_, renderer_.settings);
                   },
                   [&](const intent::Tour& a) {
                       if (!tour_) return;
                       if (a.op == intent::Tour::Op::save) return tour_->save(view_now(), o_.export_dir);
                       if (a.op == intent::Tour::Op::video) {
                           video_pending_ = tour_->loading();
                           if (!video_pending_) start_video();
                           return;
                       }
                       const auto [eye, target] = local_camera();
                       tour_->apply(a, eye, target);
                   },
               },
               intent);
}

void Session::ui(double dt) {
    overlay_->begin_frame(output_.extent(), dt);
    const FrameStatsView stats{clock_.frame_ms(),
                               cpu_ms_,
                               &frames_.gpu_timings(),
                               last_draw_,
                               ctx_.allocator().stats(),
                               ctx_.device_info().name,
                               scene_name_,
                               scene_triangles_,
                               camera_.mode == render::CameraMode::fly,
                               swapchain_ != nullptr};
    if (sign_in_)
        if (std::optional<intent::SignIn> a = login_panel(sign_in_->form)) asked_.emplace_back(std::move(*a));
    if (o_.report) {
        report_panels(report_view());
        if (flood_) flood_->split_overlay(false);  // the line and its label, no handle
        orientation_marks(camera_, float(output_.extent().height));
        return;
    }
    if (view_.twin) twin_banner(*view_.twin, view_.department);
    orientation_marks(camera_, float(output_.extent().height));
    auto ask = [&](Intents&& intents) {
        for (Intent& a : intents)
            asked_.push_back(std::move(a));
    };
    for (const ReportExport* e : {&report_, &video_export_})
        if (const std::string status = e->status(); !status.empty())
            report_status_panel(e->title(), status, e->failed());
    if (keys_help_)
        if (const std::optional<intent::Language> a = keys_help_panel()) asked_.emplace_back(*a);
    if (tour_) tour_->caption();
    if (overlay_hidden_) {
        hud_panel(hud());
        if (flood_) ask(flood_->split_overlay());
        return;
    }
    // With the flood or traffic panels the statistics start collapsed: the room is theirs.
    const bool flood_panels = flood_ && o_.panel_flood;
    const bool scenario_panels = flood_panels || (traffic_ && o_.panel_traffic);
    const bool technical = show_technical();
    if (o_.panel_stats && technical)
        if (const std::optional<intent::Language> a = stats_panel(stats, scenario_panels))
            asked_.emplace_back(*a);
    if (streaming_ && o_.panel_tiles && technical)
        if (const std::optional<intent::MaxSse> a = tiles_panel(streaming_->streamer(), scenario_panels))
            asked_.emplace_back(*a);
    if (streaming_ && o_.panel_layers)
        for (Intent& a : layer_panel(streaming_->streamer(), view_.twin.get()))
            asked_.push_back(std::move(a));
    if (tour_ && o_.panel_views) ask(tour_->panel());
    if (flood_) ask(flood_->split_overlay());
    if (flood_panels) ask(flood_->panels(timeline_));
    // The traffic panel carries the timeline's controls when the flood panel does not.
    if (traffic_ && o_.panel_traffic) ask(traffic_->panel(timeline_, !flood_panels, flood_panels));
    if (o_.panel_sun && !sign_in_)
        if (const std::optional<intent::Sun> a = sun_panel(sun_, view_)) asked_.emplace_back(*a);
    if (o_.panel_inspector && !sign_in_ && (swapchain_ || o_.pick))
        inspector_panel(picker_.result(), view_.twin.get(), !citizens_twin());
}

std::vector<std::string> Session::report_arguments(const std::string& path) const {
    const VkExtent2D e{o_.report_width, o_.report_height};
    std::vector<std::string> a = {"--headless",
                                  "--report",
                                  "--wait-full-detail",
                                  "--wait-timeout",
                                  "300",
                                  "--size",
                                  std::to_string(e.width) + "x" + std::to_string(e.height),
                                  "--lang",
                                  language() == Lang::de ? "de" : "en",
                                  "--ui-size",
                                  ui_size_name(o_.ui_size),
                                  "--screenshot",
                                  path};
    auto add = [&](const char* flag, const std::string& value) {
        if (value.empty()) return;
        a.push_back(flag);
        a.push_back(value);
    };
    if (!o_.date.empty()) add("--date", o_.date);
    add_source_arguments(a);
    // The camera in the frame --camera reads (the twin's east-north-up frame, else world).
    const glm::dmat4 to_local = glm::inverse(view_.local_to_world);
    const glm::dvec3 eye = glm::dvec3(to_local * glm::dvec4(camera_.eye(), 1.0));
    const glm::dvec3 target = glm::dvec3(to_local * glm::dvec4(camera_.state().target, 1.0));
    char camera[256];
    std::snprintf(camera, sizeof camera, "%.3f,%.3f,%.3f,%.3f,%.3f,%.3f", eye.x, eye.y, eye.z, target.x,
                  target.y, target.z);
    add("--camera", camera);
    if (streaming_) {
        std::string hidden, shown;
        for (const tiles::Layer& l : streaming_->streamer().layers()) {
            std::string& list = l.visible ? shown : hidden;
            if (!l.id.empty()) list += (list.empty() ? "" : ",") + l.id;
        }
        add("--hide-layers", hidden);
        add("--show-layers", shown);
    }
    char time[32];
    std::snprintf(time, sizeof time, "%.0f", timeline_.time_s);
    if (flood_) {
        const FloodData* fa = flood_->data(0);
        const FloodData* fb = flood_->data(1);
        const FloodShow show = flood_->display().show;
        add("--flood-import", o_.flood_import);
        if (fa && (show != FloodShow::b || !fb)) add("--flood", fa->source.id);
        if (fb && (show == FloodShow::b || !fa)) add("--flood", fb->source.id);
        if (fa && fb && show == FloodShow::split) {
            add("--flood-compare", fb->source.id);
            char split[32];
            std::snprintf(split, sizeof split, "%.3f", flood_->display().split);
            add("--flood-split", split);
        }
        if (fa || fb) add("--flood-time", time);
    }
    if (traffic_ && (traffic_->data() || traffic_->data_b())) {
        const std::vector<TrafficSource>& s = traffic_->sources();
        if (traffic_->chosen()) add("--traffic", s[*traffic_->chosen()].id);
        if (traffic_->chosen_b()) {
            add("--traffic-b", s[*traffic_->chosen_b()].id);
            const TrafficShow show = traffic_->shown();
            add("--traffic-show", show == TrafficShow::a ? "a" : show == TrafficShow::b ? "b" : "split");
        }
        add("--traffic-time", time);
    }
    return a;
}

void Session::add_source_arguments(std::vector<std::string>& a) const {
    auto add = [&](const char* flag, const std::string& value) {
        if (value.empty()) return;
        a.push_back(flag);
        a.push_back(value);
    };
    if (!o_.model.empty()) a.push_back(o_.model);
    add("--twin", o_.twin);
    add("--department", o_.department);
    add("--credentials", o_.credentials);
    add("--ca-file", o_.ca_file);
    for (const std::string& t : o_.tilesets)
        add("--tileset", t);
}

void Session::start_video() {
    const std::string tour = tour_ ? tour_->source() : std::string();
    if (tour.empty()) {
        core::warn("no tour to make a video of: the twin has none (save views with V, or give --tour FILE)");
        return;
    }
    const std::string name = std::filesystem::path(tour).stem().string();
    const std::string path = unique_path(o_.export_dir, name + ".mp4");
    // A tour's file is given by its absolute path: the second process may run elsewhere.
    std::error_code ec;
    const std::string file =
        std::filesystem::exists(tour, ec) ? std::filesystem::absolute(tour).string() : tour;
    std::vector<std::string> a = {
        "--headless",     "--wait-full-detail",
        "--wait-timeout", "300",
        "--size",         std::to_string(o_.video_width) + "x" + std::to_string(o_.video_height),
        "--lang",         language() == Lang::de ? "de" : "en",
        "--ui-size",      ui_size_name(o_.ui_size),
        "--press",        "h",
        "--tour",         file,
        "--fps",          std::to_string(o_.fps),
        "--video",        path};
    add_source_arguments(a);
    if (!video_export_.start(own_executable(), a, path))
        core::warn("a video is still being made; try again when it is done");
}

void Session::start_report() {
    // What is still loading would be missing from the arguments: wait for it.
    report_pending_ = (flood_ && flood_->busy()) || (traffic_ && traffic_->loading());
    if (report_pending_) return;
    std::string name = "bericht";
    if (flood_ && flood_->data(0)) name += "-" + flood_->data(0)->source.id;
    if (traffic_ && traffic_->chosen()) name += "-" + traffic_->sources()[*traffic_->chosen()].id;
    const long minutes = long(timeline_.time_s / 60.0);
    char t[32];
    std::snprintf(t, sizeof t, "-%ldh%02ld", minutes / 60, minutes % 60);
    if (flood_ || traffic_) name += t;
    const std::string path = unique_path(o_.export_dir, name + ".png");
    if (!report_.start(own_executable(), report_arguments(path), path))
        core::warn("a report PNG is still being made; try again when it is done");
}

ReportView Session::report_view() const {
    ReportView r;
    r.hud = hud();
    const twin::Manifest* t = view_.twin.get();
    r.title = t ? t->town + "  |  " + localized(t->title_de, t->title_en) : scene_name_;
    std::string lines = r.hud.scenario;
    if (!r.hud.time.empty()) lines += (lines.empty() ? "" : "\n") + r.hud.time;
    std::string footer;
    if (t) {
        footer = tr(t->audience == twin::Audience::council ? S::twin_council
                    : t->audience == twin::Audience::staff ? S::twin_staff
                                                           : S::twin_public);
        if (view_.department)
            footer += std::string(", ") + localized(view_.department->title_de, view_.department->title_en);
    }
    footer += (footer.empty() ? "" : "  |  ") + report_date(o_.date, language() == Lang::de);
    if (t && t->synthetic) footer += std::string("  |  ") + tr(S::synthetic_data);
    r.lines = lines + (lines.empty() ? "" : "\n") + footer;
    return r;
}

HudView Session::hud() const {
    HudView h;
    std::string time;
    if (flood_ && (flood_->data(0) || flood_->data(1))) {
        h.scenario = flood_->hud_title();
        h.water = flood_->display().water_visible;
        char text[96];
        std::snprintf(text, sizeof text, tr(S::flood_time_of), scenario::format_hmm(timeline_.time_s).c_str(),
                      scenario::format_hmm(timeline_.duration_s).c_str());
        h.time = text;
    }
    if (traffic_ && (traffic_->data() || traffic_->data_b())) {
        const std::string title = traffic_->hud_title();
        if (!title.empty()) h.scenario += (h.scenario.empty() ? "" : "\n") + title;
        char text[96];
        std::snprintf(text, sizeof text, tr(S::traffic_time_of_day),
                      scenario::format_hmm(traffic_->traffic_time_s()).c_str());
        h.time += (h.time.empty() ? "" : "\n") + std::string(text);
    }
    return h;
}

int Session::run_headless() {
    capture_.emplace(o_, streaming_ != nullptr);
    run_frames(platform_, output_, frames_, ctx_, clock_, *this);
    capture_->report(streaming_ ? &streaming_->streamer().stats() : nullptr);
    frames_.drain();
    if (o_.pick) {
        // One more frame of the same view draws the pick pass; the next one resolves it
        // and shows the highlight; two more let ImGui size the inspector to the feature's
        // attributes, and the last is the screenshot. The JSON is the only stdout line.
        picker_.request(renderer_, (*o_.pick)[0], (*o_.pick)[1]);
        const int n = overlay_ ? config.pick_frames_ui : config.pick_frames;
        for (int i = 0; i < n; ++i) {
            draw_offscreen(0.0, i == n - 1 && !o_.screenshot.empty());
            frames_.drain();
        }
        const render::PickResult miss{(*o_.pick)[0], (*o_.pick)[1]};
        std::printf("%s\n", render::pick_json(picker_.result() ? *picker_.result() : miss).c_str());
        std::fflush(stdout);
    }
    if (tour_ && tour_->failed()) return exit_usage;
    if (!o_.screenshot.empty()) save_screenshot(output_.target(), o_.screenshot);
    if (!write_ui_files(overlay_.get(), o_.ui_text, o_.ui_layout)) return exit_error;
    report_.finish();  // --press p: the report PNG is written before the run ends
    if (video_pending_ && tour_) {
        tour_->wait();
        start_video();
    }
    video_export_.finish();  // --press m: the video too
    if (flood_ && !o_.flood_live_wall.empty()) {
        // The live run's end as one JSON line (tests, scripts), and its depth raster.
        const scenario::LiveFlood::Snapshot& live = flood_->live_snapshot();
        if (!flood_->live_error.empty()) {
            std::fprintf(stderr, "zwilling: the live flood run failed: %s\n", flood_->live_error.c_str());
            return exit_error;
        }
        std::printf(
            "{\"live\": {\"t_s\": %.3f, \"finished\": %s, \"buildings_over_10cm\": %zu, \"wall_points\": "
            "%zu}}\n",
            live.t_s, live.finished ? "true" : "false", flood_->live_flooded(), flood_->wall().size());
        std::fflush(stdout);
        if (!o_.flood_live_depth.empty()) {
            flood_->write_live_depth(o_.flood_live_depth);
            core::info("wrote the live depth to ", o_.flood_live_depth);
        }
    }
    report();
    return exit_ok;
}

// --video: every frame read back and encoded, frame n at n / fps seconds of simulated
// time (the tour's and the scenarios' clock). A frame whose scenarios (and with
// --wait-full-detail, whose tiles) are still loading is drawn again without advancing
// the clock and is not encoded, so the video does not depend on the renderer's speed.
int Session::run_video() {
    const VkExtent2D e = output_.extent();
    VideoWriter video(o_.video, e.width, e.height, o_.fps);
    struct Run final : FrameHost {
        Session& s;
        VideoWriter& video;
        const tiles::StreamStats* st;
        bool hold = false;  // the last frame was not encoded: draw it again at the same time
        Clock::time_point last_progress = Clock::now(), hold_since = Clock::now();

        Run(Session& session, VideoWriter& v)
            : s(session),
              video(v),
              st(session.streaming_ ? &session.streaming_->streamer().stats() : nullptr) {}
        bool read_back(uint32_t) override { return true; }
        void frame(const gpu::Frame& f, uint32_t image, double, bool) override {
            s.frame(f, image, hold ? 0.0 : 1.0 / s.o_.fps, true);
        }
        bool done(uint32_t index) override {
            s.frames_.drain();
            const bool wants_tour = s.tour_ && s.tour_->wants_tour();
            if (wants_tour && s.tour_->failed()) return true;
            const bool loading = (s.flood_ && s.flood_->busy()) || (s.traffic_ && s.traffic_->loading()) ||
                                 (wants_tour && !s.tour_->started());
            const bool detail = !s.o_.wait_full_detail || !st || st->complete ||
                                ms_since(hold_since) > s.o_.wait_timeout_s * 1000.0;
            hold = loading || !detail;
            if (hold) {
                std::this_thread::sleep_for(std::chrono::milliseconds(config.detail_wait_ms));
                return false;
            }
            hold_since = Clock::now();
            video.add(s.output_.target().read_image());
            if (ms_since(last_progress) > config.progress_every_ms) {
                last_progress = Clock::now();
                core::info("video: ", video.frames(), " frames (", double(video.frames()) / s.o_.fps, " s)");
            }
            return wants_tour ? s.tour_->finished() : index + 1 >= s.o_.frames;
        }
    } run(*this, video);
    run_frames(platform_, output_, frames_, ctx_, clock_, run);
    frames_.drain();
    if (tour_ && tour_->failed()) return exit_usage;  // the unfinished video is removed
    video.finish();
    std::printf("{\"video\": \"%s\", \"frames\": %llu, \"fps\": %u, \"seconds\": %.3f}\n", o_.video.c_str(),
                static_cast<unsigned long long>(video.frames()), o_.fps, double(video.frames()) / o_.fps);
    std::fflush(stdout);
    core::info("wrote ", o_.video, ": ", video.frames(), " frames at ", o_.fps, " fps");
    report();
    return exit_ok;
}

// The streaming benchmark in the frame loop: full detail at the first key, then the
// flight at config.flight_fps simulated frames per second (loading runs in real time
// behind it).
int Session::run_flight() {
    struct Run final : FrameHost {
        Session& s;
        const Flight flight = town_flight();
        const uint32_t frames = uint32_t(flight.duration() * config.flight_fps);
        const tiles::StreamStats& st;
        FlightStats fs;
        const Clock::time_point t0 = Clock::now();
        Clock::time_point fly_start;
        uint64_t loaded_before = 0, over_before = 0;
        std::optional<uint32_t> flying;  // the flight's frame, once the first key is at full detail

        Run(Session& session) : s(session), st(session.streaming_->streamer().stats()) {}
        bool read_back(uint32_t) override { return false; }
        void frame(const gpu::Frame& f, uint32_t image, double, bool) override {
            if (flying) {
                const FlightKey k = flight.at(*flying / config.flight_fps);
                s.place_camera(k.eye, k.target);
            }
            s.frame(f, image, 1.0 / config.flight_fps, false);
        }
        bool done(uint32_t) override {
            if (flying) {
                fs.selection_ms.push_back(st.selection_ms);
                return ++*flying > frames;
            }
            const bool late = ms_since(t0) > s.o_.wait_timeout_s * 1000.0;
            if (!st.complete && !late) return false;
            if (late) core::warn("full detail not reached at the start after ", s.o_.wait_timeout_s, " s");
            fs.time_to_full_detail_ms = ms_since(t0);
            loaded_before = st.loaded_total;
            over_before = st.frames_over_upload_budget;
            fly_start = Clock::now();
            flying = 0;
            return false;
        }
    } run(*this);
    const FlightKey start = run.flight.at(0);
    place_camera(start.eye, start.target);
    run_frames(platform_, output_, frames_, ctx_, clock_, run);
    frames_.drain();
    FlightStats& fs = run.fs;
    const tiles::StreamStats& st = run.st;
    fs.flight_wall_s = ms_since(run.fly_start) / 1000.0;
    fs.frames = run.frames + 1;
    fs.tiles_loaded = st.loaded_total - run.loaded_before;
    fs.frames_over_upload_budget = st.frames_over_upload_budget - run.over_before;
    fs.peak_bytes = st.peak_bytes;
    fs.budget = st.budget;
    fs.print();
    report();
    return exit_ok;
}

}  // namespace

int run_viewer(const Options& o, Clock::time_point start) {
    set_language(o.lang == "en" ? Lang::en : Lang::de);
    if (!o.flood_export_csv.empty()) return export_flood_csv(o);  // no GPU, no window
    // The model first: a bad file is reported before any GPU work starts.
    View view;
    Scene scene;
    bool sign_in = false;
    try {
        scene = load_scene(o, view);
    } catch (const core::FetchError& e) {
        // In a window a served twin that asks for credentials gets a sign-in panel.
        // Headless, or refused for another reason: the message says what to do.
        if (o.headless || e.kind() != core::FetchFailure::unauthorized) throw;
        core::warn(e.what(), "; asking for a user name and password");
        sign_in = true;
    }
    if (view.twin && !scenario_ids_known(o, *view.twin)) return exit_usage;
    const std::unique_ptr<Platform> platform =
        o.headless ? headless_platform(o) : window_platform(o, window_title(view, scene));
    if (!platform) return exit_usage;  // no display; the message said what to do
    gpu::Context ctx(platform->context_options());
    {
        Session session(o, *platform, ctx, std::move(view), start);
        session.open(std::move(scene), sign_in);
        const int code = !o.headless        ? session.run_window()
                         : o.flight         ? session.run_flight()
                         : !o.video.empty() ? session.run_video()
                                            : session.run_headless();
        if (code != exit_ok) return code;
    }
    // The session's GPU objects are gone: validation has seen their destruction too.
    if (const uint32_t messages = ctx.validation_messages(); messages > 0) {
        core::error(messages, " Vulkan validation messages (see above)");
        return exit_validation;
    }
    return exit_ok;
}

}  // namespace zw::viewer
