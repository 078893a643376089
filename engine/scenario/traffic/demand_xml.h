// SUMO route files (.rou.xml) as a Demand (demand.h): the subset that says who drives from
// where to where and when, read as a stream with expat; and a Demand written back as a
// route file that `sumo -r` and duarouter accept. Pure code.
//
// Read: <vType id vClass length maxSpeed speedFactor> (other attributes are SUMO's
// defaults here), <trip id type depart from to>, <vehicle id type depart route="ID"> or with
// a nested <route edges="a b c"/>, named <route id edges> (defined before their vehicles, as
// SUMO wants), and <flow id type begin end from to | route, period | vehsPerHour | number>
// expanded into trips "id.0", "id.1", ... departing at begin + i * period (before end), as
// SUMO does. <person>, <personFlow>, <container> and <containerFlow> are skipped and
// counted; so are <stop>s (the runner does not stop vehicles) and <param>s.
//
// Refused, with the file, the line and the element ("demand 'am.rou.xml', line 7:
// <vehicle> 'v3': depart 'triggered' is not a time; Zwilling needs a fixed departure time"):
// departures that are not a time (now, triggered, containerTriggered, begin, split), random
// flows (probability, period="exp(...)"), distributions (vTypeDistribution,
// routeDistribution, speedFactor="norm(...)"), trips between districts (fromTaz/toTaz),
// duplicate ids, unknown elements, a DOCTYPE (how XML bombs start).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/scenario/traffic/demand.h"

namespace zw::scenario::traffic {

// Limits: a route file beyond them is refused, not read.
inline constexpr size_t max_demand_trips = 4'000'000;         // also after expanding flows
inline constexpr size_t max_route_edges = 100'000;            // per route
inline constexpr size_t max_demand_route_edges = 20'000'000;  // all trips' fixed routes together

// What a read skipped.
struct DemandReadStats {
    uint64_t persons = 0;     // <person> and the persons of <personFlow>s (flows count once)
    uint64_t containers = 0;  // <container>, <containerFlow>
    uint64_t stops = 0;       // <stop>s inside vehicles, trips and flows
    uint64_t flows = 0;       // <flow>s expanded
};

// Reads a SUMO route file (root <routes>, or <additional> holding vTypes). Trips come out
// ascending by depart_s (ties in file order), flows expanded. Throws zw::Error as above;
// `stats` (optional) says what was skipped. Memory: the demand.
Demand read_demand(const std::string& path, DemandReadStats* stats = nullptr);

// Writes `demand` as a SUMO route file to "<path>.tmp" and renames it to `path`: the
// vTypes (attributes that are 0 left to SUMO), then the trips ascending by depart_s, each
// a <trip from to> or, with a fixed route, a <vehicle> with its <route edges>. Numbers are
// written so that they read back exactly. Throws zw::Error when the file cannot be
// written.
void write_demand(const std::string& path, const Demand& demand);

}  // namespace zw::scenario::traffic
