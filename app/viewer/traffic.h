// The viewer's traffic scenarios: the twin's scenarios of kind "traffic", one chosen
// (--traffic ID or the panel), loaded on a worker thread, its vehicles played on the
// session's scenario::Timeline and handed to the renderer's render::Vehicles, and the panel
// "Verkehr / Traffic" (traffic_panel.cpp). UI state only: the trajectories and figures are
// the engine's (engine/scenario/traffic/), the placement math traffic_place.h's.
//
// Time: traffic time (seconds of the day) = the scenario's begin_s + the timeline's time;
// with only traffic loaded the timeline runs for end_s - begin_s (traffic_place.h). A
// scenario whose closures come from a flood (its JSON's flood.scenario and flood.start_s)
// counts from the flood's start instead while that flood is shown as A, so that the water
// and the vehicles are of one moment.
//
// What a scenario's files give (all but the trajectories optional; a missing or broken
// optional file is a warning in the panel, never a failed load):
//   scenario JSON (the manifest's uri): begin_s, end_s (seconds of the day; default: the
//     trajectories' first and last sample), title_de, title_en, description_de/_en;
//   results/trajectories.zwt (docs/traffic-bundle.md);
//   results/summary.json (docs/traffic-bundle.md);
//   results/closures.json: [{id, edges, from_s, to_s (absent or null: until the end),
//     kind, reason_de, reason_en}] (or {"closures": [...]});
//   results/emergency.json: {"target_s", "open": {in_time, late, unreachable},
//     "worst": {...}}: the fire brigade's reach on the open network and at the scenario's
//     worst moment;
//   the SUMO network the scenario JSON names (`network`) and results/edge_measures.json:
//     the roads coloured by speed, flow or level of service, closures' barriers
//     (traffic_roads.h).
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/viewer/intents.h"
#include "app/viewer/options.h"
#include "app/viewer/traffic_place.h"
#include "app/viewer/traffic_roads.h"
#include "engine/core/fetch.h"
#include "engine/render/renderer.h"
#include "engine/render/vehicles.h"
#include "engine/scenario/timeline.h"
#include "engine/scenario/traffic/closure.h"
#include "engine/scenario/traffic/impacts.h"
#include "engine/scenario/traffic/summary.h"
#include "engine/scenario/traffic/trajectory_stream.h"
#include "engine/twin/manifest.h"

namespace zw::viewer {

struct TrafficLiveState;  // traffic_live.h

struct TrafficSource {
    std::string id;
    std::string title_de, title_en;
    std::string scenario_uri;  // the scenario JSON
    std::string results_uri;   // its results folder, ending in '/'
    std::string twin_root;     // the twin's folder: the network the scenario names lies inside it
};

// The twin's traffic scenarios, in manifest order.
std::vector<TrafficSource> traffic_sources(const twin::Manifest& twin);
// Their ids for messages: "baseline, hauptstrasse-closed" ("none" without any).
std::string traffic_ids(const twin::Manifest& twin);

// The fire brigade's reach (emergency.json).
struct EmergencyCounts {
    uint64_t in_time = 0, late = 0, unreachable = 0;
};

// A loaded scenario's figures (the trajectories stay with the view: their reader is not
// thread-safe and keeps a file open).
struct TrafficData {
    TrafficSource source;
    double begin_s = 0, end_s = 0;
    // The flood these closures come from (its id) and the time of day of its t = 0; empty
    // id: none. With that flood shown, the timeline counts from flood_start_s.
    std::string flood_scenario;
    double flood_start_s = 0;
    std::string title_de, title_en, description_de, description_en;
    std::optional<scenario::traffic::TripSummary> summary;
    std::vector<scenario::traffic::Closure> closures;
    double emergency_target_s = 600;
    std::optional<EmergencyCounts> emergency_open, emergency_worst;
    uint32_t vehicles_total = 0;  // in the trajectories
    std::vector<std::string> warnings;

    // For the compare and impacts (traffic_compare.cpp; each optional, a warning when
    // missing or broken): summary.json's run.not_started; edge_measures.json, with the
    // network it refers to (the scenario JSON's "network": street names, edge middles) and
    // the network's vehicles and speed over the run; districts.json; emergency.json's
    // buildings (council and administration twins only).
    std::optional<uint64_t> not_started;
    std::shared_ptr<const scenario::traffic::EdgeMeasures> measures;
    std::shared_ptr<const scenario::traffic::Network> network;
    scenario::traffic::NetworkSeries series;
    std::vector<scenario::traffic::DistrictFigures> districts;
    std::vector<scenario::traffic::BuildingReach> reach;
};

class TrafficView {
  public:
    TrafficView(const Options& o, std::shared_ptr<const twin::Manifest> twin, core::FetchOptions fetch);
    ~TrafficView();
    TrafficView(const TrafficView&) = delete;
    TrafficView& operator=(const TrafficView&) = delete;

    const std::vector<TrafficSource>& sources() const { return sources_; }
    // Shows source `index` (nullopt: none). Loads on a worker thread; a newer choice wins.
    void choose(std::optional<size_t> index);
    std::optional<size_t> chosen() const { return choice_; }
    const TrafficData* data() const { return data_.get(); }
    // Loading, or the live run of --traffic-close not yet shown (a headless screenshot waits).
    bool loading() const { return job_.valid() || b_.job.valid() || live_waiting(); }
    const std::string& error() const { return error_; }

    // Once a frame before the timeline advances: takes in a finished load. With
    // `flood_loaded` false the timeline's duration becomes the scenario's, else the
    // longer of the two.
    void take_loads(scenario::Timeline& timeline, bool flood_loaded);
    // The flood scenario shown as A now ("" without): when it is the one the traffic
    // scenario's closures come from, the timeline's 0 is that flood's start (so water and
    // vehicles show one moment), else the traffic scenario's begin_s.
    void set_flood_shown(const std::string& flood_id) { flood_shown_ = flood_id; }
    // The time of day the timeline's 0 stands for (begin_s without a load).
    double clock_start_s() const;
    // After it advanced: the vehicles at the timeline's time, culled to the view, handed
    // to the renderer's vehicles.
    void update(const scenario::Timeline& timeline, render::Renderer& renderer,
                const VehicleCulling& culling);
    // A traffic intent of the panel (intents.h), applied in the frame's update.
    void apply(const intent::Traffic& a);
    // A click along the camera ray (world coordinates), before the pick: true when the
    // traffic view took it (traffic_live.cpp: while "close a road" is on, it picks the road
    // nearest to where the ray meets the ground).
    bool click(const glm::dvec3& eye, const glm::dvec3& dir);

    // The live what-if (traffic_live.h). Appends a finished live run's results as one more
    // source and chooses it (so that it can be compared with the scenario it came from);
    // returns its index in sources().
    size_t add_live_result(TrafficSource source);
    bool live_running() const;  // a live run is going

    // The panel (traffic_panel.cpp). `timeline_controls`: the flood panel is not there, so
    // this one shows play, pause and the time slider.
    Intents panel(const scenario::Timeline& timeline, bool timeline_controls, bool flood_panels) const;

    // A | B compare (traffic_compare.cpp): scenario B loads like A, on its own worker; its
    // vehicles are drawn instead of A's (show b) or right of the split (show split; the
    // flood's split position while the flood shows a split, so that both agree).
    void choose_b(std::optional<size_t> index);
    std::optional<size_t> chosen_b() const { return b_.choice; }
    const TrafficData* data_b() const { return b_.data.get(); }
    const intent::TrafficCompareDisplay& compare_display() const { return compare_; }
    // What is shown: A, B or split (A without B loaded; B without A loaded).
    TrafficShow shown() const;
    // The scenario(s) shown, for the HUD: A's title, B's, or "A: ... | B: ..." split ("" without).
    std::string hud_title() const;
    // The impacts (B against A, or A alone), for the panel and the CSV.
    scenario::traffic::ImpactsReport impacts() const;
    // Writes the impacts CSV into `export_dir` (never replacing a file); returns the path
    // ("" when it failed: export_message says why).
    std::string export_csv();
    // Where the window's PNG goes (never an existing file): the scenario's id, B's when
    // compared, and the time of day shown ("traffic-hq100-vs-traffic-baseline-7h30.png").
    std::string next_png_path() const;
    std::string export_dir;
    std::string export_message;
    bool export_failed = false;

    const intent::TrafficDisplay& display() const { return display_; }
    const TrafficRoads& roads() const { return roads_; }
    size_t vehicles_present() const { return present_; }  // on the road at the shown time
    size_t vehicles_drawn() const { return drawn_; }      // of them in the view
    double traffic_time_s() const { return shown_s_; }    // the time shown (seconds of the day)

  private:
    // The live what-if (traffic_live.cpp).
    bool live_waiting() const;
    void live_poll(const scenario::Timeline& timeline);  // in take_loads: inputs, a finished run
    void live_view(const VehicleCulling& culling);       // in update: the camera, for drawing the road
    void apply_close(const intent::TrafficClose& a);
    void live_start();
    void live_end();  // in the destructor: the run stopped, the temporary files removed
    void live_panel(Intents& asked) const;
    void draw_closure() const;
    std::unique_ptr<TrafficLiveState> live_;

    std::string flood_shown_;
    struct Loaded {
        std::shared_ptr<const TrafficData> data;
        std::shared_ptr<scenario::traffic::TrajectoryStream> reader;
        std::string temp_file;  // a served twin's trajectories, copied here
        std::shared_ptr<const RoadData> roads;
    };
    // On the worker: the scenario JSON, the trajectories' header and the optional files.
    static Loaded load(const TrafficSource& src, const core::FetchOptions& fetch);
    void start();
    void drop_temp();

    const Options& o_;
    std::shared_ptr<const twin::Manifest> twin_;
    core::FetchOptions fetch_;
    std::vector<TrafficSource> sources_;
    std::optional<size_t> choice_;
    std::optional<size_t> pending_;
    std::future<Loaded> job_;
    std::shared_ptr<const TrafficData> data_;
    std::shared_ptr<scenario::traffic::TrajectoryStream> reader_;
    std::string temp_file_;
    std::string error_;
    TrafficFrame frame_;
    intent::TrafficDisplay display_;
    TrafficRoads roads_;
    std::vector<scenario::traffic::VehicleState> states_;
    std::vector<render::VehicleInstance> instances_;
    size_t present_ = 0, drawn_ = 0;
    double shown_s_ = 0;

    // Side B and the compare (traffic_compare.cpp, traffic_compare_panel.cpp).
    struct SideB {
        std::optional<size_t> choice, pending;
        std::future<Loaded> job;
        std::shared_ptr<const TrafficData> data;
        std::shared_ptr<scenario::traffic::TrajectoryStream> reader;
        std::string temp_file;
        std::string error;
        TrafficFrame frame;
        std::vector<scenario::traffic::VehicleState> states;
        std::vector<render::VehicleInstance> instances;
        size_t present = 0, drawn = 0;
        double shown_s = 0;
    };
    SideB b_;
    intent::TrafficCompareDisplay compare_;
    float split_x_ = -1;  // the split drawn in the last update (framebuffer pixels), < 0: none
    // The optional files the compare reads, added to `d` on the loading worker.
    static void load_compare_files(TrafficData& d, const std::string& results_uri, const std::string& network,
                                   const core::FetchOptions& fetch);
    void init_compare();  // from the options: B, the show
    void start_b();
    void drop_b();
    void take_load_b(scenario::Timeline& timeline, bool flood_loaded);
    void update_a(const scenario::Timeline& timeline, render::Renderer& renderer,
                  const VehicleCulling& culling);
    void update_b(const scenario::Timeline& timeline, render::Renderer& renderer,
                  const VehicleCulling& culling);
    double clock_start_of(const TrafficData& d) const;
    // In the traffic panel: B's scenario, the show and split, the plots; and the impacts
    // panel (traffic_compare_panel.cpp).
    void compare_controls(const scenario::Timeline& timeline, Intents& asked) const;
    void impacts_panel(bool flood_panels, Intents& asked) const;

    friend struct TrafficPanel;
    friend struct TrafficComparePanel;
};

}  // namespace zw::viewer
