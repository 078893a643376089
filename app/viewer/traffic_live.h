// The traffic view's live what-if (issue 15): with a scenario shown, the user closes a road
// (a click near it while "Straße sperren / Close a road" is on, or a street from the list),
// and SUMO runs the scenario again with that closure on a worker thread
// (engine/scenario/sumo/live.h) while the view stays responsive; the panel shows the
// simulated time and a cancel button. The result becomes one more traffic source ("Live:
// Hauptstraße gesperrt ab 7:00"), chosen at once (TrafficView::add_live_result), to be
// compared with the scenario it came from.
//
// What a click closes: the road between the two junctions nearest the click, both
// directions (engine/scenario/traffic/road_pick.h); with "ganze Straße / whole street" every
// edge of that street's name. The click's ray meets a level plane at the network's mean
// junction height, then again the plane at the height of the road found there (hills), and
// the nearest road a car may use within config.traffic_pick_m of that point is taken.
//
// The scenario's network and route file: read from the twin's folder; a served twin's
// (http) are fetched into a temporary folder first (the server gives the traffic folder to
// every department). Results go to a temporary folder of this process, removed when the
// viewer ends. A live run on a live result runs the original scenario with the new closure
// (the earlier live closure is not carried over).
#pragma once

#include <future>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <glm/glm.hpp>

namespace zw::scenario::sumo {
class LiveRun;         // engine/scenario/sumo/live.h (zw_scenario_sumo, which zwilling links)
struct TrafficInputs;  // engine/scenario/sumo/run.h
}  // namespace zw::scenario::sumo

namespace zw::viewer {

struct TrafficLiveState {
    TrafficLiveState();  // in traffic_live.cpp, where LiveRun is complete
    ~TrafficLiveState();
    // The shown scenario's inputs (scenario, network, demand), read on a worker for `source`.
    std::string inputs_for;  // the source id they are (being) read for
    std::future<std::shared_ptr<const scenario::sumo::TrafficInputs>> inputs_job;
    std::shared_ptr<const scenario::sumo::TrafficInputs> inputs;
    std::string inputs_error;
    double ground_z = 0;               // the network's mean junction height (above sea level)
    std::vector<std::string> streets;  // street names a car may drive on, for the list

    bool closing = false;       // clicks pick the road to close
    bool whole_street = false;  // a click closes its whole street
    // The road picked: a clicked edge (and its street's name), or a street from the list.
    std::string edge, street;
    std::vector<std::string> edges;  // what the run closes
    double pick_distance_m = 0;
    double from_s = 0, to_s = std::numeric_limits<double>::infinity();
    std::string pick_message;  // a click that found no road

    std::unique_ptr<scenario::sumo::LiveRun> run;
    bool run_pending = false;  // started; its result not yet taken in
    std::string run_id, run_title_de, run_title_en, run_out;
    int runs = 0;
    std::map<std::string, std::string> base_of;  // live result's source id -> the scenario it ran
    std::string error;                           // the last live run's failure, or why none could start
    std::string temp_dir;                        // this process's live results (and a served twin's inputs)

    bool headless_started = false, headless_done = false;  // --traffic-close
    glm::dvec3 eye{0.0};
    glm::dmat4 view_projection{1.0};
};

}  // namespace zw::viewer
