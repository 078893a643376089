#include "engine/scenario/traffic/scenario.h"

#include <cmath>
#include <filesystem>
#include <tuple>
#include <unordered_set>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/json_fields.h"
#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/traffic/network.h"

namespace zw::scenario::traffic {
namespace {

using nlohmann::json;
using Fields = core::JsonFields;

std::string resolve(const std::string& scenario_path, const std::string& file) {
    const std::filesystem::path p(file);
    if (p.is_absolute()) return p.lexically_normal().string();
    return (std::filesystem::path(scenario_path).parent_path() / p).lexically_normal().string();
}

// A time of the run: seconds from 0 to max_traffic_time_s.
double time_field(const Fields& f, const char* key, double fallback) {
    return f.number_in(key, fallback, 0, max_traffic_time_s, " s");
}

// An edge id as SUMO writes them: printable, no spaces (SUMO separates edges by spaces), not
// an internal edge (':' ids lie inside junctions and cannot be closed on their own).
void check_edge_id(const Fields& f, const std::string& field, const json& e) {
    if (!e.is_string() || e.get<std::string>().empty())
        f.error(field, "must be an edge id (a non-empty string)");
    const std::string id = e.get<std::string>();
    if (const std::string why = core::text_problem(id, 256); !why.empty()) f.error(field, why);
    if (id.find_first_of(" \t") != std::string::npos)
        f.error(field, "'" + id + "' holds a space; SUMO edge ids have none (list each edge on its own)");
    if (id.front() == ':')
        f.error(field, "'" + id + "' is an internal edge (inside a junction); close the edges leading to it");
}

Closure closure(const Fields& f, const std::unordered_set<std::string>& ids) {
    f.only_keys({"id", "edges", "from_s", "to_s", "kind", "reason_de", "reason_en"});
    Closure c;
    c.id = f.printable("id", "", 128);
    if (c.id.empty()) f.error(f.name("id"), "is missing or empty");
    if (ids.count(c.id)) f.error(f.name("id"), "'" + c.id + "' names another closure too; ids must differ");
    const json& edges = f.array("edges");
    if (edges.empty()) f.error(f.name("edges"), "must list at least one edge id");
    if (edges.size() > max_closure_edges)
        f.error(f.name("edges"), "lists more than " + std::to_string(max_closure_edges) + " edges");
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < edges.size(); ++i) {
        const std::string field = f.name("edges") + "[" + std::to_string(i) + "]";
        check_edge_id(f, field, edges[i]);
        c.edges.push_back(edges[i].get<std::string>());
        if (!seen.insert(c.edges.back()).second) f.error(field, "'" + c.edges.back() + "' is listed twice");
    }
    if (!f.find("from_s")) f.error(f.name("from_s"), "is missing (seconds of the day when the road closes)");
    c.from_s = time_field(f, "from_s", 0);
    if (f.find("to_s")) {
        c.to_s = time_field(f, "to_s", 0);
        if (!(c.to_s > c.from_s))
            f.error(f.name("to_s"), "must be after from_s (" + core::number_text(c.from_s) + " s), not " +
                                        core::number_text(c.to_s));
    }
    c.kind = f.required_text("kind");
    if (c.kind != "construction" && c.kind != "flood" && c.kind != "user")
        f.error(f.name("kind"), "is '" + c.kind + "'; expected construction, flood or user");
    c.reason_de = f.printable("reason_de", "", 1024);
    c.reason_en = f.printable("reason_en", c.reason_de, 1024);
    return c;
}

// "in the network 'town.net.xml' (did you mean 'x'?)" for an edge the network lacks.
std::string missing_edge(const std::string& id, const Network& net, const std::string& network_name) {
    std::vector<std::string_view> known;
    known.reserve(net.edges.size());
    for (const Edge& e : net.edges)
        if (!e.internal()) known.emplace_back(e.id);
    std::string s = "no edge '" + id + "' in the network '" + network_name + "'";
    if (const std::string near = core::nearest_key(id, known); !near.empty())
        s += " (did you mean '" + near + "'?)";
    return s;
}

bool normal_edge(const Network& net, const std::string& id) {
    const Edge* e = net.edge(id);
    return e && !e->internal();
}

}  // namespace

TrafficScenario parse_traffic_scenario(std::string_view text, const std::string& path) {
    const std::string what = "traffic scenario '" + path + "'";
    if (core::json_nesting_depth(text) > core::max_json_depth)
        fail(what, " nests deeper than ", core::max_json_depth, " levels; refused");
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) fail("cannot read ", what, ": it is not valid JSON (is the file complete?)");
    if (!j.is_object()) fail("cannot read ", what, ": expected a JSON object at the top");
    const Fields top(j, "", what);
    if (top.text("format") != "zwilling-traffic-scenario")
        top.error("format", "must be \"zwilling-traffic-scenario\" (is this a traffic scenario file?)");
    // A misspelt key would silently run the default: refuse every key this version does not
    // read, and name the nearest one.
    top.only_keys({"format", "format_version", "id", "title_de", "title_en", "description_de",
                   "description_en", "public", "network", "demand", "begin_s", "end_s", "seed",
                   "sample_step_s", "edge_interval_s", "closures", "emergency", "outputs", "flood"});
    if (top.number("format_version", 1) != 1) top.error("format_version", "must be 1");
    TrafficScenario s;
    s.path = path;
    s.id = top.printable("id", "", 128);
    if (s.id.empty()) top.error("id", "is missing or empty");
    s.title_de = top.printable("title_de", s.id);
    s.title_en = top.printable("title_en", s.title_de);
    s.description_de = top.printable("description_de", "", 4096, true);
    s.description_en = top.printable("description_en", s.description_de, 4096, true);
    s.is_public = top.flag("public", false);
    for (auto [key, name, resolved] : {std::tuple{"network", &s.network_name, &s.network},
                                       std::tuple{"demand", &s.demand_name, &s.demand}}) {
        *name = top.printable(key, "", 4096);
        if (name->empty())
            top.error(
                key, std::string("is missing or empty (the path of the SUMO ") +
                         (std::string_view(key) == "network" ? "network, .net.xml" : "route file, .rou.xml") +
                         ", relative to this file)");
        *resolved = resolve(path, *name);
    }
    if (!top.find("begin_s")) top.error("begin_s", "is missing (seconds of the day, e.g. 21600 for 6:00)");
    if (!top.find("end_s")) top.error("end_s", "is missing (seconds of the day, e.g. 36000 for 10:00)");
    s.begin_s = time_field(top, "begin_s", 0);
    s.end_s = time_field(top, "end_s", 0);
    if (!(s.end_s > s.begin_s))
        top.error("end_s", "must be after begin_s (" + core::number_text(s.begin_s) + " s), not " +
                               core::number_text(s.end_s));
    // Whole seconds: SUMO steps 1 s here, and begin_s is where the steps start.
    for (const char* key : {"begin_s", "end_s"})
        if (const double v = top.number(key, 0); v != std::floor(v))
            top.error(key, "must be whole seconds (the run steps 1 s), not " + core::number_text(v));
    const double seed = top.number_in("seed", s.seed, 0, 2147483647);
    if (seed != std::floor(seed)) top.error("seed", "must be a whole number");
    s.seed = uint32_t(seed);
    s.sample_step_s = top.number_in("sample_step_s", 1, 1, max_sample_step_s, " s");
    if (s.sample_step_s != std::floor(s.sample_step_s))
        top.error("sample_step_s",
                  "must be whole seconds (the run steps 1 s), not " + core::number_text(s.sample_step_s));
    s.edge_interval_s = top.number_in("edge_interval_s", 900, 1, max_edge_interval_s, " s");
    const json& closures = top.array("closures");
    if (closures.size() > max_closures)
        top.error("closures", "holds more than " + std::to_string(max_closures) + " closures");
    std::unordered_set<std::string> ids;
    for (size_t i = 0; i < closures.size(); ++i) {
        s.closures.push_back(closure(top.element(closures[i], "closures", i), ids));
        ids.insert(s.closures.back().id);
    }
    const Fields em = top.child(top.object("emergency"), "emergency");
    em.only_keys({"target_s"});
    s.emergency_target_s = em.number_in("target_s", 600, 1, max_emergency_target_s, " s");
    const Fields out = top.child(top.object("outputs"), "outputs");
    out.only_keys({"fcd"});
    s.fcd = out.flag("fcd", false);
    const Fields flood = top.child(top.object("flood"), "flood");
    flood.only_keys({"scenario", "start_s"});
    s.flood_scenario = flood.printable("scenario", "", 128);
    if (!s.flood_scenario.empty()) {
        if (!flood.find("start_s"))
            flood.error(flood.name("start_s"), "is missing (the time of day of the flood's t = 0)");
        s.flood_start_s = time_field(flood, "start_s", 0);
    }
    return s;
}

TrafficScenario read_traffic_scenario(const std::string& path) {
    return parse_traffic_scenario(read_input_file(path, "the traffic scenario"), path);
}

void validate_traffic_scenario(const TrafficScenario& s, const Network& net) {
    for (size_t i = 0; i < s.closures.size(); ++i)
        for (size_t k = 0; k < s.closures[i].edges.size(); ++k) {
            const std::string& id = s.closures[i].edges[k];
            if (!normal_edge(net, id))
                fail("traffic scenario '", s.path, "': closures[", i, "].edges[", k,
                     "]: ", missing_edge(id, net, s.network_name));
        }
}

void validate_demand(const Demand& d, const Network& net, const std::string& demand_name,
                     const std::string& network_name) {
    std::unordered_set<std::string> types;
    for (const VehicleType& t : d.types)
        types.insert(t.id);
    for (const Trip& t : d.trips) {
        if (!t.type.empty() && t.type != "DEFAULT_VEHTYPE" && !types.count(t.type))
            fail("demand '", demand_name, "': trip '", t.id, "' has type '", t.type,
                 "', which the demand defines no <vType> for");
        auto check = [&](const std::string& edge, const char* role) {
            if (!normal_edge(net, edge))
                fail("demand '", demand_name, "': trip '", t.id, "': ", role, " edge '", edge,
                     "' is not in the network '", network_name,
                     "' (is the route file made for another network?)");
        };
        check(t.from, "from");
        check(t.to, "to");
        for (const std::string& e : t.route)
            check(e, "route");
    }
}

}  // namespace zw::scenario::traffic
