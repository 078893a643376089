// A traffic scenario file (docs/traffic-scenario.md): the SUMO network and demand it runs,
// the time window, the closures and what the run writes. Pure code: parsing and the checks
// against the network; engine/scenario/sumo/run.h runs what this describes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/traffic/closure.h"
#include "engine/scenario/traffic/demand.h"

namespace zw::scenario::traffic {

struct Network;

// What a scenario may ask for (docs/traffic-scenario.md): anything beyond is a typo or a
// broken file, refused with the field's name.
inline constexpr double max_traffic_time_s = 30 * 86400.0;  // begin_s, end_s, closure times
inline constexpr double max_sample_step_s = 3600;
inline constexpr double max_edge_interval_s = 86400;
inline constexpr double max_emergency_target_s = 3600;
inline constexpr size_t max_closures = 10000;
inline constexpr size_t max_closure_edges = 10000;  // per closure

struct TrafficScenario {
    std::string path;                                                    // of the file, for messages
    std::string id, title_de, title_en, description_de, description_en;  // printable text
    bool is_public = false;  // "public": the citizens' twin holds it too
    // The files as written in the scenario (for messages) and resolved against its folder.
    std::string network_name, network;  // SUMO network (.net.xml)
    std::string demand_name, demand;    // SUMO route file (demand_xml.h)
    double begin_s = 0, end_s = 0;      // seconds of the day; the run stops at end_s
    uint32_t seed = 42;                 // SUMO's random seed
    double sample_step_s = 1;           // whole seconds between trajectory samples
    double edge_interval_s = 900;       // edgeData period
    std::vector<Closure> closures;      // to_s infinite: closed to the end
    double emergency_target_s = 600;    // response-time target (stored for the access figures)
    bool fcd = false;                   // outputs.fcd: also keep SUMO's FCD XML
    // flood: the flood scenario whose closures these are (its id in the twin) and the time
    // of day its t = 0 falls on, so that a viewer shows the water and the traffic of one
    // moment together. Empty id: none.
    std::string flood_scenario;
    double flood_start_s = 0;
};

// Parses scenario JSON read from `path` (used for messages and to resolve the files).
// Throws zw::Error naming the file and the field ("traffic scenario 'x.json':
// closures[0].to_s must be after from_s") for anything missing, malformed, out of range (the
// limits above) or unknown: a key this version does not read is refused with the nearest
// known one ("unknown key 'closures[0].form_s' (did you mean 'from_s'?)").
TrafficScenario parse_traffic_scenario(std::string_view text, const std::string& path);
TrafficScenario read_traffic_scenario(const std::string& path);

// Checks the scenario against its network: every closure edge is one of the network's
// normal edges ("traffic scenario 'x.json': closures[0].edges[1]: no edge 'foo' in the
// network 'town.net.xml' (did you mean 'fo'?)"). Linear in the closure edges (and, for a
// missing one, in the network's edges).
void validate_traffic_scenario(const TrafficScenario& scenario, const Network& network);

// Checks a demand against the network: every trip's type is one of the demand's vTypes (or
// SUMO's DEFAULT_VEHTYPE) and its edges are normal edges of the network. `demand_name` and
// `network_name` name the two in messages ("demand 'am.rou.xml': trip 'x.3': from edge
// 'foo' is not in the network 'town.net.xml'").
void validate_demand(const Demand& demand, const Network& network, const std::string& demand_name,
                     const std::string& network_name);

}  // namespace zw::scenario::traffic
