#include "app/bake/traffic_bundle.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>

#include "app/bake/output_dir.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/depth_frames.h"
#include "engine/scenario/sumo/run.h"
#include "engine/scenario/traffic/demand_xml.h"
#include "engine/scenario/traffic/edge_measures.h"
#include "engine/scenario/traffic/emergency.h"
#include "engine/scenario/traffic/flood_closures.h"
#include "engine/scenario/traffic/impacts.h"
#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/places.h"
#include "engine/scenario/traffic/routing.h"
#include "engine/scenario/traffic/town_demand.h"

namespace zw::bake {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
namespace traffic = scenario::traffic;

constexpr double begin_s = 6 * 3600.0;  // the morning peak: 6:00 ...
constexpr double end_s = 10 * 3600.0;   // ... to 10:00
// The HQ100's t = 0 on the traffic's clock: 5:00, so that the water stands on the roads
// in the rush hour (the wave reaches the town some two hours after it starts).
constexpr double flood_start_s = 5 * 3600.0;
// The construction site lies about this far south of the market square (straight line).
constexpr double site_distance_m = 250;

// Workplaces per building of a kind (assumptions for a small market town; the demand's
// local work trips and in-commuters go to them).
double jobs_of(traffic::Place::Kind kind, const std::string& use) {
    using K = traffic::Place::Kind;
    switch (kind) {
        case K::work:
            return 15;  // a workshop, a small firm
        case K::shop:
            return 10;
        case K::school:
            return 30;  // teachers and staff
        case K::civic:
            return use == "Rathaus" ? 30 : 4;  // the town hall; a utility site
        case K::fire_station:
            return 2;  // the full-time staff of a volunteer brigade
        case K::church:
            return 1;
        case K::farm:
            return 2;
        default:
            return 0;
    }
}

glm::dvec2 centre_of(const std::vector<BuildingPart>& parts) {
    glm::dvec2 c(0.0);
    for (const BuildingPart& p : parts)
        c += p.centre;
    return parts.empty() ? c : c / double(parts.size());
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read '", path.string(), "'");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void copy_into(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) fail("cannot copy '", from.string(), "' to '", to.string(), "': ", ec.message());
}

// SUMO's output without the comment it starts with (the date, the machine's paths).
std::string without_header(const std::string& xml) {
    const size_t open = xml.find("<!--");
    const size_t first = xml.find('<', xml.find("?>") == std::string::npos ? 0 : xml.find("?>") + 2);
    if (open == std::string::npos || open != first) return xml;
    const size_t close = xml.find("-->", open);
    if (close == std::string::npos) return xml;
    size_t rest = close + 3;
    while (rest < xml.size() && (xml[rest] == '\n' || xml[rest] == '\r'))
        ++rest;
    return xml.substr(0, open) + xml.substr(rest);
}

struct Scenario {
    std::string id, title_de, title_en, description_de, description_en;
    bool is_public = true;
    std::string demand;  // the route file's name
    std::vector<traffic::Closure> closures;
    std::string flood;  // the flood scenario the closures come from ("": none)
};

json closure_json(const traffic::Closure& c) {
    json j = {{"id", c.id},     {"edges", c.edges},         {"from_s", c.from_s},
              {"kind", c.kind}, {"reason_de", c.reason_de}, {"reason_en", c.reason_en}};
    if (std::isfinite(c.to_s)) j["to_s"] = c.to_s;
    return j;
}

json scenario_json(const Scenario& s, uint64_t seed) {
    json closures = json::array();
    for (const traffic::Closure& c : s.closures)
        closures.push_back(closure_json(c));
    json j = {{"format", "zwilling-traffic-scenario"},
              {"format_version", 1},
              {"id", s.id},
              {"title_de", s.title_de},
              {"title_en", s.title_en},
              {"description_de", s.description_de},
              {"description_en", s.description_en},
              {"public", s.is_public},
              {"network", "network.net.xml"},
              {"demand", s.demand},
              {"begin_s", begin_s},
              {"end_s", end_s},
              {"seed", seed},
              {"closures", closures}};
    if (!s.flood.empty()) j["flood"] = {{"scenario", s.flood}, {"start_s", flood_start_s}};
    return j;
}

// The construction site: a stretch of the Hauptstraße (both directions) south of the
// market square, the one nearest site_distance_m from it whose closure leaves every other
// road reachable by car (not the creek's bridge, which would cut the town in two: that is
// the HQ100's story). Empty when there is none.
std::vector<std::string> site_edges(const traffic::Network& net, const Frame& frame, glm::dvec2 market) {
    const glm::dvec2 m = market + glm::dvec2(frame.origin_easting(), frame.origin_northing());
    const traffic::RouteGraph cars = traffic::route_graph(net, "passenger");
    auto connected = [](const traffic::RouteGraph& g) {
        const std::vector<uint8_t> scc = traffic::largest_strongly_connected(g);
        return size_t(std::count(scc.begin(), scc.end(), uint8_t(1)));
    };
    const size_t all = connected(cars);
    std::vector<std::pair<double, size_t>> candidates;  // |distance - site_distance_m|, edge
    for (size_t i = 0; i < net.edges.size(); ++i) {
        const traffic::Edge& e = net.edges[i];
        if (e.internal() || e.name != "Hauptstraße" || e.id.front() == '-' || e.lanes.empty() ||
            e.lanes[0].shape.empty() || !cars.usable[i])
            continue;
        const auto& shape = e.lanes[0].shape;
        const glm::dvec2 mid = (glm::dvec2(shape.front()) + glm::dvec2(shape.back())) / 2.0;
        if (mid.y >= m.y) continue;
        candidates.push_back({std::abs(glm::length(mid - m) - site_distance_m), i});
    }
    std::sort(candidates.begin(), candidates.end());
    for (const auto& [score, i] : candidates) {
        std::vector<std::string> edges = {net.edges[i].id};
        if (net.edge("-" + net.edges[i].id)) edges.push_back("-" + net.edges[i].id);
        traffic::RouteGraph closed = cars;
        size_t in_scc = 0;
        for (const std::string& id : edges) {
            const size_t k = size_t(net.edge(id) - net.edges.data());
            in_scc += closed.usable[k];
            closed.usable[k] = 0;
            closed.next[k].clear();
            for (auto& next : closed.next)
                next.erase(std::remove(next.begin(), next.end(), uint32_t(k)), next.end());
        }
        if (connected(closed) + in_scc == all) {
            std::sort(edges.begin(), edges.end());
            return edges;
        }
    }
    return {};
}

// The largest flow (vehicles an hour, both directions summed per street name) on each
// main street in the interval holding 7:30, from the run's edge measures.
json peak_flows(const traffic::Network& net, const fs::path& measures_file) {
    const traffic::EdgeMeasures m = traffic::read_edge_measures(measures_file.string());
    std::map<std::string, double> by_street;
    for (size_t i = 0; i < m.begin_s.size(); ++i) {
        if (!(m.begin_s[i] <= 7.5 * 3600 && 7.5 * 3600 < m.end_s[i])) continue;
        std::map<std::string, double> per_road;  // street # junctions, both directions summed
        for (size_t e = 0; e < m.edges.size(); ++e) {
            const traffic::Edge* edge = net.edge(m.edges[e]);
            if (!edge || edge->type != "main") continue;
            const std::string key = std::min(edge->from, edge->to) + "|" + std::max(edge->from, edge->to);
            per_road[edge->name + "#" + key] += m.flow_vph[m.at(i, e)];
        }
        for (const auto& [key, flow] : per_road) {
            const std::string street = key.substr(0, key.find('#'));
            by_street[street] = std::max(by_street[street], flow);
        }
    }
    json out = json::object();
    for (const auto& [street, flow] : by_street)
        out[street.empty() ? "(unnamed)" : street] = std::lround(flow);
    return out;
}

}  // namespace

TrafficBundle bake_traffic(const Recipe& recipe, const Town& town, const Frame& frame,
                           const fs::path& network, const fs::path& hq100,
                           const std::vector<TrafficTwin>& twins, const fs::path& work) {
    std::error_code ec;
    fs::remove_all(work, ec);
    fs::create_directories(work, ec);
    if (ec) fail("cannot create '", work.string(), "': ", ec.message());
    copy_into(network, work / "network.net.xml");
    const traffic::Network net = traffic::read_network(work / "network.net.xml");
    const glm::dvec2 origin(frame.origin_easting(), frame.origin_northing());

    // The buildings as places; the fire station is where the engines leave from.
    std::vector<traffic::Place> places;
    std::optional<glm::dvec2> station;
    for (const Building& b : town.buildings) {
        traffic::Place p;
        p.id = b.id;
        p.position = centre_of(b.parts) + origin;
        p.residents = b.residents;
        p.kind = traffic::place_kind_of(b.use);
        p.jobs = jobs_of(p.kind, b.use);
        if (p.kind == traffic::Place::Kind::fire_station && !station) station = p.position;
        places.push_back(std::move(p));
    }
    if (!station) fail("the town has no fire station (a building of use 'Feuerwehr'): no emergency access");

    // The demand: the town as it is, and the development area's houses on top.
    TrafficBundle out;
    traffic::TownDemandOptions options;
    options.seed = recipe.seed;
    options.begin_s = begin_s;
    options.end_s = end_s;
    std::vector<std::string> notes;
    traffic::Demand base = traffic::make_town_demand(places, net, options, &notes);
    for (const std::string& n : notes)
        core::info("bake: traffic demand: ", n);
    traffic::write_demand((work / "demand-baseline.rou.xml").string(), base);
    out.report["demand"] =
        traffic::demand_report_json(traffic::report_demand(base, options.begin_s, options.end_s));

    // The development area: only its new residents' trips (no second through traffic,
    // bus line, vans or in-commuters), from another seed, added to the baseline's.
    std::vector<traffic::Place> planned = places;
    for (traffic::Place& p : planned)
        p.residents = 0;
    for (const PlannedBuilding& b : town.planned) {
        traffic::Place p;
        p.id = b.id;
        p.position = b.part.centre + origin;
        p.residents = b.use == "Mehrfamilienhaus" ? 10 : 3;  // the town's average for such houses
        p.kind = traffic::Place::Kind::home;
        planned.push_back(std::move(p));
    }
    traffic::TownDemandOptions extra = options;
    extra.seed = recipe.seed + 1;
    extra.in_commuter_share = 0;
    extra.through_peak_vph = 0;
    extra.van_trips_per_1000 = 0;
    extra.supply_trucks_per_shop = 0;
    extra.tractor_trips_per_farm = 0;
    traffic::Demand developed = base;
    const bool sonnenhang = !town.planned.empty();
    if (sonnenhang) {
        traffic::Demand more = traffic::make_town_demand(planned, net, extra);
        for (traffic::Trip& t : more.trips) {
            if (t.purpose == "bus") continue;  // the line runs in the baseline already
            t.id = "sonnenhang." + t.id;
            developed.trips.push_back(std::move(t));
        }
        std::stable_sort(
            developed.trips.begin(), developed.trips.end(),
            [](const traffic::Trip& a, const traffic::Trip& b) { return a.depart_s < b.depart_s; });
        traffic::write_demand((work / "demand-sonnenhang.rou.xml").string(), developed);
        out.report["demand_sonnenhang_extra_trips"] = developed.trips.size() - base.trips.size();
    }

    std::vector<Scenario> scenarios;
    scenarios.push_back({"traffic-baseline",
                         "Morgenverkehr (synthetisch)",
                         "Morning traffic (synthetic)",
                         "Ein Werktagmorgen von 6 bis 10 Uhr, mit SUMO simuliert. Die Fahrten sind "
                         "synthetisch: aus Einwohnern und Zielen des Orts abgeleitet, nicht gezählt.",
                         "A weekday morning from 6 to 10 a.m., simulated with SUMO. The trips are synthetic: "
                         "derived from the town's households and destinations, not counted.",
                         true,
                         "demand-baseline.rou.xml",
                         {}});
    if (const std::vector<std::string> site = site_edges(net, frame, town.market); !site.empty()) {
        traffic::Closure c;
        c.id = "baustelle-hauptstrasse";
        c.edges = site;
        c.from_s = begin_s;
        c.kind = "construction";
        c.reason_de = "Baustelle Hauptstraße (Vollsperrung)";
        c.reason_en = "Construction site on the Hauptstraße (closed)";
        scenarios.push_back({"traffic-hauptstrasse",
                             "Baustelle Hauptstraße (synthetisch)",
                             "Construction site on the Hauptstraße (synthetic)",
                             "Die Hauptstraße ist südlich des Marktplatzes den ganzen Morgen gesperrt; der "
                             "Verkehr weicht durch die Wohnstraßen aus.",
                             "The Hauptstraße is closed south of the market square all morning; traffic "
                             "detours through the residential streets.",
                             true,
                             "demand-baseline.rou.xml",
                             {c}});
    }
    if (!hq100.empty() && fs::exists(hq100 / "frames.zwf")) {
        const std::string bytes = read_text(hq100 / "frames.zwf");
        const scenario::DepthFrames frames = scenario::decode_frames(
            std::vector<uint8_t>(bytes.begin(), bytes.end()), (hq100 / "frames.zwf").string());
        const scenario::AsciiGrid ground =
            scenario::read_ascii_grid((hq100.parent_path() / "terrain.asc").string());
        traffic::FloodClosureOptions fo;
        fo.flood_start_s = flood_start_s;
        std::vector<traffic::Closure> closures = traffic::flood_closures(frames, net, fo, &ground);
        // Only what happens in the morning window matters to the run.
        closures.erase(
            std::remove_if(closures.begin(), closures.end(),
                           [](const traffic::Closure& c) { return c.to_s <= begin_s || c.from_s >= end_s; }),
            closures.end());
        for (traffic::Closure& c : closures)
            c.from_s = std::max(c.from_s, begin_s);
        scenarios.push_back(
            {"traffic-hq100", "HQ100: überflutete Straßen (synthetisch)", "HQ100: flooded roads (synthetic)",
             "Das hundertjährliche Hochwasser (Beginn 5 Uhr): eine Straße ist gesperrt, solange "
             "mehr als 30 cm Wasser auf ihr stehen.",
             "The hundred-year flood (starting at 5 a.m.): a road is closed while more than 30 cm "
             "of water stand on it.",
             true, "demand-baseline.rou.xml", closures, "hq100-baseline"});
    }
    if (sonnenhang)
        scenarios.push_back({"traffic-sonnenhang",
                             "Baugebiet Am Sonnenhang (Entwurf, synthetisch)",
                             "Development area Am Sonnenhang (draft, synthetic)",
                             "Der Morgenverkehr, wenn die geplanten Häuser am Sonnenhang bewohnt sind.",
                             "The morning traffic once the planned houses Am Sonnenhang are lived in.",
                             false,
                             "demand-sonnenhang.rou.xml",
                             {}});

    // The districts (the town and its villages) in EPSG:25832.
    std::vector<traffic::District> districts;
    for (const District& d : town.districts)
        districts.push_back({d.name, d.centre + origin, d.radius});

    // Run each, then time the fire brigade under its closures.
    const traffic::EmergencyRouter router(net, *station, places);
    std::map<std::string, json> emergency;  // id -> the full emergency.json (buildings included)
    for (const Scenario& s : scenarios) {
        const fs::path file = work / (s.id + ".json");
        write_file(file, scenario_json(s, recipe.seed).dump(1) + "\n");
        core::info("bake: traffic scenario ", s.id, " (SUMO, 6:00 to 10:00, ", s.closures.size(),
                   " closures)...");
        scenario::sumo::TrafficRunOptions o;
        o.scenario = file.string();
        o.out = (work / s.id).string();
        o.sumo_warnings = false;
        const scenario::sumo::TrafficRunResult r = scenario::sumo::run_traffic(o);
        core::info("bake: ", s.id, ": ", r.inserted, " vehicles, ", r.arrived, " arrived, ",
                   r.not_started.size(), " could not start, ", r.stranded, " stranded; mean trip ",
                   std::lround(r.trips.mean_travel_time_s), " s; ", std::lround(r.wall_s), " s");
        out.report[s.id] = {{"wall_s", r.wall_s},
                            {"inserted", r.inserted},
                            {"arrived", r.arrived},
                            {"running_at_end", r.running_at_end},
                            {"not_started", r.not_started.size()},
                            {"stranded", r.stranded},
                            {"teleports", r.teleports},
                            {"closures", s.closures.size()},
                            {"mean_trip_s", r.trips.mean_travel_time_s},
                            {"peak_flows_vph", peak_flows(net, work / s.id / "edge_measures.json")}};

        const traffic::EmergencySchedule sched = traffic::emergency_over_closures(router, s.closures);
        json e = {{"target_s", 600},
                  {"from", "fire station"},
                  {"open",
                   {{"in_time", sched.open.in_time},
                    {"late", sched.open.late},
                    {"unreachable", sched.open.unreachable}}}};
        if (sched.worst >= 0) {
            const traffic::ClosureState& w = sched.states[size_t(sched.worst)];
            e["worst"] = {{"time_s", w.time_s},
                          {"closed_edges", w.closed_edges},
                          {"in_time", w.in_time},
                          {"late", w.late},
                          {"unreachable", w.unreachable}};
            json series = json::array();
            for (const traffic::ClosureState& st : sched.states)
                series.push_back({st.time_s, st.closed_edges, st.in_time, st.late, st.unreachable});
            e["over_time"] = {{"columns", {"time_s", "closed_edges", "in_time", "late", "unreachable"}},
                              {"rows", series}};
        }
        json buildings = json::array();
        for (size_t i = 0; i < places.size(); ++i) {
            const double open = sched.open.places[i].time_s;
            const double worst = sched.worst_time_s.empty() ? open : sched.worst_time_s[i];
            auto t = [](double v) {
                return std::isfinite(v) && v < traffic::unreachable_s ? json(std::lround(v)) : json(nullptr);
            };
            // Where it stands (EPSG:25832, to the decimetre): the viewer flies there.
            buildings.push_back({places[i].id, t(open), t(worst), std::round(places[i].position.x * 10) / 10,
                                 std::round(places[i].position.y * 10) / 10});
        }
        e["buildings"] = {{"columns", {"id", "open_s", "worst_s", "easting", "northing"}},
                          {"rows", buildings}};
        emergency[s.id] = e;
        // The trips by the district they start in (the viewer's per-district comparison).
        const std::vector<traffic::DistrictFigures> by_district = traffic::district_figures(
            traffic::read_tripinfo((work / s.id / "tripinfo.xml").string()), net, districts);
        write_file(work / s.id / "districts.json",
                   traffic::districts_json(districts, by_district).dump(1) + "\n");
        out.report[s.id]["emergency"] = {
            {"open_in_time", sched.open.in_time},
            {"worst_not_in_time",
             sched.worst >= 0 ? sched.states[size_t(sched.worst)].not_in_time() : sched.open.not_in_time()}};
    }

    for (const TrafficTwin& twin : twins) {
        const fs::path dir = twin.dir / "scenarios" / "traffic";
        fs::create_directories(dir, ec);
        if (ec) fail("cannot create '", dir.string(), "': ", ec.message());
        json entries = json::array();
        for (const Scenario& s : scenarios) {
            if (!s.is_public && !twin.all_scenarios) continue;
            if (!fs::exists(dir / s.demand)) copy_into(work / s.demand, dir / s.demand);
            copy_into(work / (s.id + ".json"), dir / (s.id + ".json"));
            const fs::path results = dir / s.id;
            fs::create_directories(results, ec);
            if (ec) fail("cannot create '", results.string(), "': ", ec.message());
            for (const char* f :
                 {"trajectories.zwt", "edge_measures.json", "closures.json", "districts.json"})
                copy_into(work / s.id / f, results / f);
            // Without the machine's numbers (the bake is deterministic) and SUMO's dated
            // header, which names the bake's work folder.
            json summary = json::parse(read_text(work / s.id / "summary.json"));
            for (const char* machine : {"wall_s", "sim_s_per_wall_s"})
                summary["run"].erase(machine);
            write_file(results / "summary.json", summary.dump(1) + "\n");
            write_file(results / "tripinfo.xml", without_header(read_text(work / s.id / "tripinfo.xml")));
            // What the twin may hold of the fire brigade's reach: counts, or the buildings
            // too, with the critical sites it may not name under their ordinary ids.
            json e = emergency[s.id];
            if (!twin.buildings) {
                e.erase("buildings");
            } else {
                for (json& row : e["buildings"]["rows"])
                    if (const auto it = twin.unnamed_critical.find(row[0].get<std::string>());
                        it != twin.unnamed_critical.end())
                        row[0] = it->second;
            }
            write_file(results / "emergency.json", e.dump(1) + "\n");
            entries.push_back({{"id", s.id},
                               {"kind", "traffic"},
                               {"title_de", s.title_de},
                               {"title_en", s.title_en},
                               {"uri", "scenarios/traffic/" + s.id + ".json"},
                               {"results", "scenarios/traffic/" + s.id + "/"},
                               {"public", s.is_public}});
        }
        out.scenarios[twin.id] = entries;
    }
    fs::remove_all(work, ec);
    return out;
}

}  // namespace zw::bake
