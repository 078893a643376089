// The viewer's flood scenarios: choose scenario A (and B to compare), load them on a
// worker thread (scenario::load_flood), play them on the session's scenario::Timeline,
// hand the water to the renderer, and show the timeline, impacts and plots panels
// (flood_panel.cpp). UI state only: the results and their math are the engine's
// (engine/scenario/flood/results.h), the renderer's render::Water draws. The panels
// return intents (intents.h); the session applies the timeline's and hands the flood's
// back to apply() in the next frame's update.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "app/viewer/intents.h"
#include "app/viewer/options.h"
#include "engine/core/fetch.h"
#include "engine/render/water.h"
#include "engine/scenario/flood/live.h"
#include "engine/scenario/flood/results.h"
#include "engine/scenario/timeline.h"
#include "engine/twin/manifest.h"

namespace zw::viewer {

// The engine's flood results, by the names the rest of the viewer uses.
using scenario::flood_sources;
using scenario::FloodData;
using scenario::FloodSource;

class FloodView {
  public:
    // The twin's flood scenarios (and the import of --flood-import as one more source).
    FloodView(const Options& o, std::shared_ptr<const twin::Manifest> twin, core::FetchOptions fetch);
    ~FloodView();
    FloodView(const FloodView&) = delete;
    FloodView& operator=(const FloodView&) = delete;

    const std::vector<FloodSource>& sources() const { return sources_; }
    // Shows source `index` on side 0 (A) or 1 (B); nullopt clears the side. Loads on a
    // worker thread (at most one load per side at a time; a newer choice wins).
    void choose(int side, std::optional<size_t> index);
    std::optional<size_t> chosen(int side) const { return sides_[side].choice; }
    // Loaded data of a side, or null (not chosen, loading, failed).
    const FloodData* data(int side) const { return sides_[side].data.get(); }
    bool loading(int side) const { return sides_[side].job.valid(); }
    const std::string& error(int side) const { return sides_[side].error; }
    // Loading, or a headless live run (--flood-live-wall) still running.
    bool busy() const {
        return loading(0) || loading(1) ||
               (live_headless_ && data(0) && live_error.empty() &&
                (!live_headless_started_ || live_.running()));
    }

    // Once a frame, before the session advances the timeline: takes in finished loads
    // (they set the timeline's duration and clamp its time).
    void take_loads(scenario::Timeline& timeline);
    // Then, after it advanced: hands the water of the timeline's time to `water` (flow
    // streaks advanced by `streak_dt`, split at `split` of `framebuffer_width`); a live
    // run holds the timeline at the run's time.
    void update(scenario::Timeline& timeline, render::Water& water, double streak_dt,
                uint32_t framebuffer_width);
    // What a panel asked for (applied in the next frame's update).
    void apply(const intent::FloodChoose& a) { choose(a.side, a.source); }
    void apply(const intent::FloodDisplay& a);
    void apply(const intent::FloodLive& a);
    void apply(const intent::FloodExportCsv&) { export_csv(); }

    // The panels (in flood_panel.cpp): timeline and plots, impacts with export buttons.
    // They read the flood's state and `timeline` and return what the user asked for:
    // timeline and flood intents, a fly-to for a clicked building, the PNG.
    Intents panels(const scenario::Timeline& timeline) const;
    // The split's line, its "A: ... | B: ..." label and the handle to drag it (whenever
    // the overlay is on, also without the panels); dragging returns a FloodDisplay. Without
    // `handle` (a report) the line and label only.
    Intents split_overlay(bool handle = true) const;
    // The scenario(s) shown, for the HUD: A's title, B's, or "A: ... | B: ..." split ("" without).
    std::string hud_title() const;

    // Writes the impacts CSV of every loaded side into the export folder (never replacing
    // a file); returns the paths written. Messages go to export_message.
    std::vector<std::string> export_csv();
    // The next screenshot path in the export folder for the timeline at `time_s` (the
    // session writes the PNG).
    std::string next_png_path(double time_s) const;

    // Live mode (flood_live.cpp): the solver runs on a worker thread from t = 0 on scenario
    // A plus a mobile wall the user draws by clicking on the ground, and the water shows the
    // run as it grows. Restarts whenever the wall changes.
    // A click along the camera ray (world coordinates): with live_drawing on and A
    // loaded, adds the ground point it hits to the wall; true when the click was taken.
    bool click(const glm::dvec3& eye, const glm::dvec3& dir);
    void add_wall_point(const scenario::Point& easting_northing);
    void clear_wall();
    const std::vector<scenario::Point>& wall() const { return wall_; }
    bool live_drawing() const { return live_drawing_; }
    void live_start();  // (re)starts the run with the wall so far
    void live_stop();   // back to playing the stored frames
    bool live_on() const { return live_on_; }
    const scenario::LiveFlood::Snapshot& live_snapshot() const { return live_snap_; }
    size_t live_flooded() const { return live_flooded_; }  // sites over 10 cm now
    std::string live_error;
    // Writes the live run's depth as an ESRI ASCII grid (--flood-live-depth); throws.
    void write_live_depth(const std::string& path) const;
    // The camera of this frame, for drawing the wall on the screen.
    void set_view(const glm::dvec3& eye, const glm::dmat4& view_projection) {
        eye_ = eye;
        view_projection_ = view_projection;
    }

    const intent::FloodDisplay& display() const { return display_; }
    std::string export_dir;
    std::string export_message;  // the last export, shown in the panel
    bool export_failed = false;

  private:
    struct Side {
        std::optional<size_t> choice;
        std::shared_ptr<const FloodData> data;
        std::future<std::shared_ptr<const FloodData>> job;
        std::optional<size_t> pending;  // chosen while a load was running
        std::string error;
    };
    void start(int side);

    const Options& o_;
    std::shared_ptr<const twin::Manifest> twin_;
    core::FetchOptions fetch_;
    std::vector<FloodSource> sources_;
    Side sides_[2];
    const FloodData* grid_of_ = nullptr;  // whose grid the water holds
    double drawn_time_ = -1;
    const FloodData* drawn_[2] = {nullptr, nullptr};
    FloodShow drawn_show_ = FloodShow::a;
    std::vector<float> depth_a_, depth_b_;
    std::vector<float> velocity_a_, velocity_b_;  // empty: frames without velocities
    std::string grid_error_;                      // B cannot be compared with A
    intent::FloodDisplay display_;

    // Live mode.
    // True: live water handed over (playback skipped); holds `timeline` at the run's time.
    bool live_update(scenario::Timeline& timeline, render::Water& water);
    void live_panel(Intents& asked) const;  // in the timeline panel
    void draw_wall() const;                 // the wall on the screen
    scenario::LiveFlood live_;
    scenario::LiveFlood::Snapshot live_snap_;
    bool live_on_ = false;
    bool live_drawing_ = false;  // clicks on the ground add wall points
    float live_height_m_ = 1.0f;
    bool live_headless_ = false;  // --flood-live-wall: started once A has loaded
    bool live_headless_started_ = false;
    std::vector<scenario::Point> wall_;
    size_t live_flooded_ = 0;
    double live_until_s_ = 0;
    glm::dvec3 eye_{0.0};
    glm::dmat4 view_projection_{1.0};

    friend struct FloodPanels;
};

// Headless --flood-export-csv: loads scenario A of the twin and writes its impacts CSV
// (a number suffix instead of replacing a file); prints the path written. Exit code.
int export_flood_csv(const Options& o);

// The scenario ids of a twin (for messages): "hq100-baseline, hq100-measures".
std::string flood_ids(const twin::Manifest& twin);

}  // namespace zw::viewer
