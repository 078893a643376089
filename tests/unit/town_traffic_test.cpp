// The sample town's traffic scenarios as the bake stores them (app/bake/traffic_bundle.h):
// which twin holds which, vehicles conserved, summaries equal to SUMO's trips, the
// construction site's edges empty while closed, the HQ100 closures as the stored flood
// depths say, and the fire brigade's figures as each twin may show them. Runs as ctest
// town.traffic after the bake fixture (ZW_TOWN_DIR); the plain unit-test run skips it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/depth_frames.h"
#include "engine/scenario/traffic/flood_closures.h"
#include "engine/scenario/traffic/impacts.h"
#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/summary.h"
#include "engine/scenario/traffic/sumo_xml.h"
#include "engine/scenario/traffic/trajectories.h"

namespace {

namespace fs = std::filesystem;
namespace traffic = zw::scenario::traffic;
using nlohmann::json;

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
json read_json(const fs::path& p) {
    return json::parse(read_text(p));
}

fs::path town_dir() {
    const char* dir = std::getenv("ZW_TOWN_DIR");
    return dir ? fs::path(dir) : fs::path();
}

std::set<std::string> traffic_ids(const fs::path& twin) {
    std::set<std::string> ids;
    for (const json& s : read_json(twin / "twin.json").value("scenarios", json::array()))
        if (s.value("kind", "") == "traffic") ids.insert(s["id"].get<std::string>());
    return ids;
}

const std::vector<std::string> all_scenarios = {"traffic-baseline", "traffic-hauptstrasse", "traffic-hq100",
                                                "traffic-sonnenhang"};

TEST(TownTraffic, EachTwinHoldsTheScenariosItMay) {
    const fs::path town = town_dir();
    if (town.empty()) GTEST_SKIP() << "ZW_TOWN_DIR not set (ctest runs this as town.traffic)";
    // The development area is a draft: not in the citizens' twin.
    EXPECT_EQ(traffic_ids(town / "citizen"),
              (std::set<std::string>{"traffic-baseline", "traffic-hauptstrasse", "traffic-hq100"}));
    for (const char* twin : {"council", "administration"})
        EXPECT_EQ(traffic_ids(town / twin), std::set<std::string>(all_scenarios.begin(), all_scenarios.end()))
            << twin;
    for (const std::string& id : all_scenarios)
        for (const char* f : {"trajectories.zwt", "summary.json", "edge_measures.json", "closures.json",
                              "tripinfo.xml", "emergency.json"})
            EXPECT_TRUE(fs::exists(town / "council" / "scenarios" / "traffic" / id / f)) << id << "/" << f;
    EXPECT_FALSE(fs::exists(town / "citizen" / "scenarios" / "traffic" / "traffic-sonnenhang"));
    EXPECT_FALSE(fs::exists(town / "citizen" / "scenarios" / "traffic" / "demand-sonnenhang.rou.xml"));
}

// Every trip of the demand was inserted or could not start; every inserted vehicle arrived,
// is still driving at 10:00, or was taken out by a closure; the trajectories hold every
// inserted vehicle; summary.json's travel times are tripinfo's.
TEST(TownTraffic, VehiclesAreConservedAndTheSummaryIsSumosTrips) {
    const fs::path town = town_dir();
    if (town.empty()) GTEST_SKIP() << "ZW_TOWN_DIR not set (ctest runs this as town.traffic)";
    for (const std::string& id : all_scenarios) {
        const fs::path dir = town / "council" / "scenarios" / "traffic" / id;
        const json s = read_json(dir / "summary.json");
        const json& run = s["run"];
        const uint64_t inserted = run["inserted"], arrived = run["arrived"], running = run["running_at_end"],
                       stranded = run["stranded"], not_started = run["not_started"],
                       trips = run["demand_trips"];
        EXPECT_GT(inserted, 3000u) << id << ": a town of about 6,500 people";
        EXPECT_EQ(inserted, arrived + running + stranded) << id;
        EXPECT_EQ(trips, inserted + not_started) << id;

        const traffic::TrajectoryReader tr =
            traffic::TrajectoryReader::open((dir / "trajectories.zwt").string());
        EXPECT_EQ(tr.vehicles().size(), inserted) << id;
        EXPECT_NEAR(tr.begin_s(), 6 * 3600.0, 2.0) << id;
        EXPECT_LE(tr.end_s(), 10 * 3600.0) << id;

        const traffic::TripSummary t =
            traffic::summarize_trips(traffic::read_tripinfo((dir / "tripinfo.xml").string()));
        EXPECT_EQ(s["arrived"].get<uint64_t>(), t.arrived) << id;
        EXPECT_NEAR(s["mean_travel_time_s"].get<double>(), t.mean_travel_time_s, 1e-6) << id;
        EXPECT_NEAR(s["vehicle_km"].get<double>(), t.vehicle_km, 1e-6) << id;
        EXPECT_NEAR(s["time_loss_vh"].get<double>(), t.time_loss_vh, 1e-9) << id;
    }
}

// districts.json: every trip of the tripinfo counted once, by the district it starts in;
// the market town, the outside and (where the recipe has villages) a village start some.
TEST(TownTraffic, DistrictsCountEveryTripOnce) {
    const fs::path town = town_dir();
    if (town.empty()) GTEST_SKIP() << "ZW_TOWN_DIR not set (ctest runs this as town.traffic)";
    for (const std::string& id : all_scenarios) {
        const fs::path dir = town / "council" / "scenarios" / "traffic" / id;
        const json j = read_json(dir / "districts.json");
        const std::vector<traffic::DistrictFigures> d = traffic::parse_districts(j);
        ASSERT_GE(d.size(), 2u) << id << ": the town, its villages (where the recipe has some), outside";
        uint64_t trips = 0;
        for (const traffic::DistrictFigures& f : d)
            trips += f.trips;
        EXPECT_EQ(trips, traffic::read_tripinfo((dir / "tripinfo.xml").string()).size()) << id;
        EXPECT_GT(d.front().trips, 0u) << id << ": the market town";
        EXPECT_GT(d.back().trips, 0u) << id << ": through traffic and in-commuters";
        if (d.size() > 2) {
            EXPECT_TRUE(std::any_of(d.begin() + 1, d.end() - 1,
                                    [](const traffic::DistrictFigures& f) { return f.trips > 0; }))
                << id << ": a village";
        }
        EXPECT_FALSE(j["districts"][0]["name"].get<std::string>().empty());
    }
}

// Points every 0.5 m along the polyline, leaving out `skip` metres at each end.
std::vector<glm::dvec2> inner_points(const std::vector<glm::dvec3>& line, double skip) {
    double total = 0;
    for (size_t i = 1; i < line.size(); ++i)
        total += glm::length(glm::dvec2(line[i]) - glm::dvec2(line[i - 1]));
    std::vector<glm::dvec2> out;
    double along = 0;
    for (size_t i = 1; i < line.size(); ++i) {
        const glm::dvec2 a(line[i - 1]), b(line[i]);
        const double len = glm::length(b - a);
        for (double s = 0; s <= len; s += 0.5)
            if (along + s >= skip && along + s <= total - skip)
                out.push_back(a + (b - a) * (len > 0 ? s / len : 0.0));
        along += len;
    }
    return out;
}

// The construction site is closed from 6:00: no vehicle of that scenario is ever on its
// lanes (away from the junctions at their ends, where crossing traffic passes), while
// the baseline has vehicles there.
TEST(TownTraffic, NoVehicleDrivesThroughTheConstructionSite) {
    const fs::path town = town_dir();
    if (town.empty()) GTEST_SKIP() << "ZW_TOWN_DIR not set (ctest runs this as town.traffic)";
    const fs::path dir = town / "council" / "scenarios" / "traffic";
    const traffic::Network net = traffic::read_network(dir / "network.net.xml");
    const json closures = read_json(dir / "traffic-hauptstrasse.json")["closures"];
    ASSERT_EQ(closures.size(), 1u);
    // The closed lanes away from the junctions at their ends (crossing traffic passes there).
    std::vector<glm::dvec2> site;
    for (const json& e : closures[0]["edges"]) {
        const traffic::Edge* edge = net.edge(e.get<std::string>());
        ASSERT_NE(edge, nullptr) << e;
        for (const traffic::Lane& l : edge->lanes)
            for (const glm::dvec2& p : inner_points(l.shape, 12.0))
                site.push_back(p);
    }
    ASSERT_FALSE(site.empty());
    glm::dvec2 lo(1e300), hi(-1e300);
    for (const glm::dvec2& p : site) {
        lo = glm::min(lo, p - 1.0);
        hi = glm::max(hi, p + 1.0);
    }
    auto on_site = [&](const std::string& id) {
        traffic::TrajectoryReader tr =
            traffic::TrajectoryReader::open((dir / id / "trajectories.zwt").string());
        const glm::dvec2 origin(tr.origin());
        size_t hits = 0;
        for (size_t k = 0; k < tr.chunks().size(); ++k)
            for (const traffic::Sample& s : tr.chunk(k)->samples) {
                const glm::dvec2 p = origin + glm::dvec2(s.x_cm, s.y_cm) * traffic::position_unit_m;
                if (p.x < lo.x || p.y < lo.y || p.x > hi.x || p.y > hi.y) continue;
                for (const glm::dvec2& q : site)
                    if (glm::length(p - q) < 1.0) {
                        ++hits;
                        break;
                    }
            }
        return hits;
    };
    EXPECT_EQ(on_site("traffic-hauptstrasse"), 0u);
    EXPECT_GT(on_site("traffic-baseline"), 100u) << "the baseline drives there";
}

// The HQ100 scenario's closures are the flooded roads of the stored HQ100 baseline
// (depth over 30 cm, the flood starting at 5:00), recomputed here from the twin's own
// frames and network; closures.json says each was applied as scheduled.
TEST(TownTraffic, Hq100ClosuresFollowTheStoredFloodDepths) {
    const fs::path town = town_dir();
    if (town.empty()) GTEST_SKIP() << "ZW_TOWN_DIR not set (ctest runs this as town.traffic)";
    const fs::path twin = town / "council";
    const traffic::Network net = traffic::read_network(twin / "scenarios" / "traffic" / "network.net.xml");
    const std::string bytes = read_text(twin / "scenarios" / "hq100" / "hq100-baseline" / "frames.zwf");
    const zw::scenario::DepthFrames frames =
        zw::scenario::decode_frames(std::vector<uint8_t>(bytes.begin(), bytes.end()), "frames.zwf");
    const zw::scenario::AsciiGrid ground =
        zw::scenario::read_ascii_grid((twin / "scenarios" / "hq100" / "terrain.asc").string());
    traffic::FloodClosureOptions o;
    o.flood_start_s = 5 * 3600.0;
    std::vector<traffic::Closure> expected = traffic::flood_closures(frames, net, o, &ground);
    const json hq100 = read_json(twin / "scenarios" / "traffic" / "traffic-hq100.json");
    // The viewer shows the flood and the traffic on one clock from this link.
    EXPECT_EQ(hq100["flood"], (json{{"scenario", "hq100-baseline"}, {"start_s", 5 * 3600.0}}));
    const json& stored = hq100["closures"];
    std::vector<const traffic::Closure*> in_window;
    for (const traffic::Closure& c : expected)
        if (c.to_s > 6 * 3600.0 && c.from_s < 10 * 3600.0) in_window.push_back(&c);
    ASSERT_FALSE(in_window.empty()) << "the HQ100 floods roads in the morning";
    ASSERT_EQ(stored.size(), in_window.size());
    for (size_t i = 0; i < stored.size(); ++i) {
        const traffic::Closure& c = *in_window[i];
        EXPECT_EQ(stored[i]["edges"].get<std::vector<std::string>>(), c.edges) << i;
        EXPECT_DOUBLE_EQ(stored[i]["from_s"].get<double>(), std::max(c.from_s, 6 * 3600.0)) << i;
        if (std::isfinite(c.to_s))
            EXPECT_DOUBLE_EQ(stored[i]["to_s"].get<double>(), c.to_s) << i;
        else
            EXPECT_FALSE(stored[i].contains("to_s")) << i;
    }
    const json applied =
        read_json(twin / "scenarios" / "traffic" / "traffic-hq100" / "closures.json")["closures"];
    ASSERT_EQ(applied.size(), stored.size());
    for (const json& c : applied)
        EXPECT_TRUE(c["applied"].get<bool>()) << c["id"];
}

// The citizens' twin gets the fire brigade's counts only; the council the buildings too,
// one row per building with its time with no closure and at the scenario's worst moment.
TEST(TownTraffic, EmergencyAccessAsEachTwinMayShowIt) {
    const fs::path town = town_dir();
    if (town.empty()) GTEST_SKIP() << "ZW_TOWN_DIR not set (ctest runs this as town.traffic)";
    for (const char* id : {"traffic-baseline", "traffic-hq100"}) {
        const json citizen = read_json(town / "citizen" / "scenarios" / "traffic" / id / "emergency.json");
        const json council = read_json(town / "council" / "scenarios" / "traffic" / id / "emergency.json");
        EXPECT_FALSE(citizen.contains("buildings")) << id;
        ASSERT_TRUE(council.contains("buildings")) << id;
        EXPECT_EQ(citizen["open"], council["open"]) << id;
        const json& rows = council["buildings"]["rows"];
        const uint64_t in_time = council["open"]["in_time"], late = council["open"]["late"],
                       unreachable = council["open"]["unreachable"];
        EXPECT_EQ(rows.size(), in_time + late + unreachable) << id;
        uint64_t counted = 0;
        for (const json& r : rows)
            if (!r[1].is_null() && r[1].get<double>() <= 600) ++counted;
        EXPECT_EQ(counted, in_time) << id;
        EXPECT_GT(in_time, rows.size() / 2) << id << ": most of the town within 10 minutes";
    }
    const json hq =
        read_json(town / "council" / "scenarios" / "traffic" / "traffic-hq100" / "emergency.json");
    ASSERT_TRUE(hq.contains("worst"));
    EXPECT_GE(hq["worst"]["late"].get<uint64_t>() + hq["worst"]["unreachable"].get<uint64_t>(),
              hq["open"]["late"].get<uint64_t>() + hq["open"]["unreachable"].get<uint64_t>());
}

}  // namespace
