// The traffic view's roads (traffic.h): the scenario's SUMO network and edge measures,
// loaded on the traffic view's worker with the rest of the scenario, and every frame the
// roads coloured by speed, flow or level of service at the shown time, closed roads
// hatched red, and barriers and signs at the closures in force, handed to the renderer's
// render::RoadOverlay. What is drawn and how is traffic_roads_model.h's (pure, tested);
// this keeps the state and rebuilds the overlay only when the mode, the interval or a
// closure changed.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/viewer/traffic_place.h"
#include "app/viewer/traffic_roads_model.h"
#include "engine/core/fetch.h"
#include "engine/render/road_overlay.h"
#include "engine/scenario/traffic/closure.h"
#include "engine/scenario/traffic/edge_measures.h"

namespace zw::viewer {

// A scenario's roads as loaded.
struct RoadData {
    RoadNetwork network;  // in the bundle's local frame
    std::optional<scenario::traffic::EdgeMeasures> measures;
    std::vector<int32_t> columns;  // measure_columns(network, *measures)
};

// On the load worker: the network at `network_uri` (the scenario JSON's `network`,
// resolved; "" when it names none) around the trajectories' `origin` (EPSG:25832, height
// above sea level), and `results_uri`'s edge_measures.json. What is missing or cannot be
// read is a warning (the roads are then not coloured); null without a network.
std::shared_ptr<const RoadData> load_road_data(const std::string& network_uri, const std::string& results_uri,
                                               const glm::dvec3& origin, const core::FetchOptions& fetch,
                                               std::vector<std::string>& warnings);

class TrafficRoads {
  public:
    RoadMode mode = RoadMode::off;

    // A newly loaded scenario's roads (null: none), placed through `frame`.
    void set_data(std::shared_ptr<const RoadData> data, const TrafficFrame& frame);
    const RoadData* data() const { return data_.get(); }
    // Every frame: the overlay at traffic time t_s (seconds of the day), handed to `overlay`
    // when it changed. Without data the overlay is emptied.
    void update(double t_s, std::span<const scenario::traffic::Closure> closures,
                render::RoadOverlay& overlay);

    // The measures' interval shown (nullopt: none holds the time, or mode off).
    std::optional<size_t> interval() const { return interval_; }
    size_t closed_count() const { return closed_count_; }  // edges closed at the time shown
    size_t barrier_count() const { return barrier_count_; }

  private:
    std::shared_ptr<const RoadData> data_;
    TrafficFrame frame_;
    bool built_ = false;  // the overlay shows data_ in shown_mode_, interval_ and open_
    RoadMode shown_mode_ = RoadMode::off;
    std::optional<size_t> interval_;
    std::vector<uint8_t> open_;  // per closure: open at the time shown
    size_t closed_count_ = 0, barrier_count_ = 0;
};

// The traffic panel's part (traffic_roads_panel.cpp, ImGui): the combo of the colouring
// and, while on, the measures' interval shown and the legend (ramp with values, grey for no
// data, red hatched for closed). The user's choice is appended to `asked`.
void roads_controls(const TrafficRoads& roads, Intents& asked);

}  // namespace zw::viewer
