// libFuzzer target: what a traffic scenario reads from users: SUMO route files
// (engine/scenario/traffic/demand_xml.h) and traffic scenario files
// (engine/scenario/traffic/scenario.h). The first byte picks the reader (0 a route file,
// 1 a scenario); the rest is the file. Bad input must end in zw::Error; any other exception
// (none may cross expat), a sanitizer report or a broken invariant is a finding.
// Invariants: a demand's trips are sorted by departure, at finite times from 0, with edges
// and unique ids, within the limits, and a route file written from it reads back with as
// many trips and types; a scenario's times, steps and closures lie within the documented
// limits.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_set>

#include "engine/core/error.h"
#include "engine/scenario/traffic/demand_xml.h"
#include "engine/scenario/traffic/scenario.h"

namespace {

const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_traffic_inputs: invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

std::string scratch(const char* name) {
    return (std::filesystem::temp_directory_path() /
            ("zw_fuzz_traffic_" + std::to_string(getpid()) + "_" + name))
        .string();
}

// XML normalises white space in attribute values: a string holding any reads back changed.
bool has_space(const std::string& s) {
    for (const char c : s)
        if (static_cast<unsigned char>(c) <= 0x20) return true;
    return false;
}

void demand(std::string_view file) {
    using namespace zw::scenario::traffic;
    const std::string in = scratch("in.rou.xml"), out = scratch("out.rou.xml");
    {
        std::ofstream f(in, std::ios::binary | std::ios::trunc);
        f.write(file.data(), std::streamsize(file.size()));
    }
    const Demand d = read_demand(in);
    if (d.trips.size() > max_demand_trips) broken_invariant("too many trips", std::to_string(d.trips.size()));
    std::unordered_set<std::string> ids;
    bool spaces = false;
    for (size_t i = 0; i < d.trips.size(); ++i) {
        const Trip& t = d.trips[i];
        if (!std::isfinite(t.depart_s) || t.depart_s < 0)
            broken_invariant("a departure", std::to_string(t.depart_s));
        if (i > 0 && d.trips[i - 1].depart_s > t.depart_s) broken_invariant("trips not sorted", t.id);
        if (t.id.empty() || t.from.empty() || t.to.empty()) broken_invariant("an empty id or edge", t.id);
        if (!ids.insert(t.id).second) broken_invariant("a duplicate id", t.id);
        if (!t.route.empty() && (t.route.front() != t.from || t.route.back() != t.to))
            broken_invariant("from and to are not the route's ends", t.id);
        spaces = spaces || has_space(t.id) || has_space(t.type);
    }
    for (const VehicleType& t : d.types) {
        if (!(t.length_m >= 0 && t.max_speed_ms >= 0 && t.speed_factor >= 0))
            broken_invariant("a vType", t.id);
        spaces = spaces || has_space(t.id) || has_space(t.vclass);
    }
    if (d.trips.size() > 100000) return;  // the round trip of a huge demand: slow, and nothing new
    write_demand(out, d);
    try {
        const Demand back = read_demand(out);
        if (back.trips.size() != d.trips.size() || back.types.size() != d.types.size())
            broken_invariant("a written route file reads back differently",
                             std::to_string(back.trips.size()));
    } catch (const zw::Error& e) {
        if (!spaces) broken_invariant("a written route file is refused", e.what());
    }
}

void scenario(std::string_view text) {
    using namespace zw::scenario::traffic;
    const TrafficScenario s = parse_traffic_scenario(text, "/fuzz/scenario.json");
    if (s.id.empty() || s.network.empty() || s.demand.empty()) broken_invariant("an empty id or path", s.id);
    if (!(s.begin_s >= 0 && s.begin_s < s.end_s && s.end_s <= max_traffic_time_s))
        broken_invariant("the time window", std::to_string(s.begin_s) + " " + std::to_string(s.end_s));
    if (!(s.sample_step_s >= 1 && s.sample_step_s <= max_sample_step_s &&
          s.sample_step_s == std::floor(s.sample_step_s)))
        broken_invariant("sample_step_s", std::to_string(s.sample_step_s));
    if (!(s.edge_interval_s >= 1 && s.edge_interval_s <= max_edge_interval_s))
        broken_invariant("edge_interval_s", std::to_string(s.edge_interval_s));
    if (s.closures.size() > max_closures) broken_invariant("too many closures", "");
    for (const Closure& c : s.closures) {
        if (c.id.empty() || c.edges.empty() || c.edges.size() > max_closure_edges)
            broken_invariant("a closure", c.id);
        if (!(c.from_s >= 0 && c.to_s > c.from_s)) broken_invariant("a closure's times", c.id);
        if (c.kind != "construction" && c.kind != "flood" && c.kind != "user")
            broken_invariant("a kind", c.kind);
        for (const std::string& e : c.edges)
            if (e.empty() || e.front() == ':') broken_invariant("a closure edge", e);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        if (data[0] % 2 == 0)
            demand(rest);
        else
            scenario(rest);
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
    }
    return 0;
}
