// The traffic scenario file (engine/scenario/traffic/scenario.h): every key, the defaults,
// and errors that name the file and the field, also against the network and the demand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/scenario.h"
#include "tests/traffic/nets.h"
#include "tests/unit/temp_dir.h"

namespace {

using namespace zw::scenario::traffic;
using zw::test::error_of;

const char* full = R"({
  "format": "zwilling-traffic-scenario", "format_version": 1,
  "id": "hauptstrasse-closed",
  "title_de": "Hauptstraße gesperrt", "title_en": "Main street closed",
  "description_de": "Baustelle.\nSynthetisch.", "description_en": "Construction site.",
  "public": true,
  "network": "../nets/town.net.xml", "demand": "am-peak.rou.xml",
  "begin_s": 21600, "end_s": 36000, "seed": 7,
  "sample_step_s": 2, "edge_interval_s": 600,
  "closures": [
    {"id": "baustelle", "edges": ["B1C1", "C1B1"], "from_s": 25200, "to_s": 30600, "kind": "construction",
     "reason_de": "Kanalbau", "reason_en": "Sewer works"},
    {"id": "flut", "edges": ["A0B0"], "from_s": 28000, "kind": "flood"}
  ],
  "emergency": {"target_s": 480},
  "outputs": {"fcd": true},
  "flood": {"scenario": "hq100-baseline", "start_s": 18000}
})";

TEST(TrafficScenario, ReadsEveryKey) {
    const TrafficScenario s = parse_traffic_scenario(full, "/twin/traffic/hauptstrasse.json");
    EXPECT_EQ(s.id, "hauptstrasse-closed");
    EXPECT_EQ(s.title_de, "Hauptstraße gesperrt");
    EXPECT_EQ(s.title_en, "Main street closed");
    EXPECT_EQ(s.description_de, "Baustelle.\nSynthetisch.");
    EXPECT_TRUE(s.is_public);
    EXPECT_EQ(s.network_name, "../nets/town.net.xml");
    EXPECT_EQ(s.network, "/twin/nets/town.net.xml");
    EXPECT_EQ(s.demand, "/twin/traffic/am-peak.rou.xml");
    EXPECT_EQ(s.begin_s, 21600);
    EXPECT_EQ(s.end_s, 36000);
    EXPECT_EQ(s.seed, 7u);
    EXPECT_EQ(s.sample_step_s, 2);
    EXPECT_EQ(s.edge_interval_s, 600);
    ASSERT_EQ(s.closures.size(), 2u);
    EXPECT_EQ(s.closures[0].id, "baustelle");
    EXPECT_EQ(s.closures[0].edges, (std::vector<std::string>{"B1C1", "C1B1"}));
    EXPECT_EQ(s.closures[0].from_s, 25200);
    EXPECT_EQ(s.closures[0].to_s, 30600);
    EXPECT_EQ(s.closures[0].kind, "construction");
    EXPECT_EQ(s.closures[0].reason_en, "Sewer works");
    EXPECT_TRUE(std::isinf(s.closures[1].to_s));  // closed to the end
    EXPECT_EQ(s.closures[1].reason_en, "");
    EXPECT_EQ(s.emergency_target_s, 480);
    EXPECT_TRUE(s.fcd);
    EXPECT_EQ(s.flood_scenario, "hq100-baseline");
    EXPECT_EQ(s.flood_start_s, 18000);
}

TEST(TrafficScenario, Defaults) {
    const TrafficScenario s = parse_traffic_scenario(
        R"({"format": "zwilling-traffic-scenario", "id": "base", "network": "/n/t.net.xml",
            "demand": "d.rou.xml", "begin_s": 0, "end_s": 60})",
        "s/base.json");
    EXPECT_EQ(s.title_de, "base");
    EXPECT_EQ(s.title_en, "base");
    EXPECT_FALSE(s.is_public);
    EXPECT_EQ(s.network, "/n/t.net.xml");
    EXPECT_EQ(s.demand, "s/d.rou.xml");
    EXPECT_EQ(s.seed, 42u);
    EXPECT_EQ(s.sample_step_s, 1);
    EXPECT_EQ(s.edge_interval_s, 900);
    EXPECT_TRUE(s.closures.empty());
    EXPECT_EQ(s.emergency_target_s, 600);
    EXPECT_FALSE(s.fcd);
}

// Each message names the file and the field.
TEST(TrafficScenario, ErrorsNameTheField) {
    const std::string head = R"({"format": "zwilling-traffic-scenario", "id": "x", "network": "n.net.xml",
        "demand": "d.rou.xml", "begin_s": 100, "end_s": 200)";
    auto error = [&](const std::string& rest) {
        return error_of([&] { parse_traffic_scenario(head + rest + "}", "x.json"); });
    };
    EXPECT_EQ(error(R"(, "seeed": 3)"),
              "traffic scenario 'x.json': unknown key 'seeed' (did you mean 'seed'?)");
    EXPECT_EQ(error(R"(, "closures": [{"id": "c", "edges": ["a"], "form_s": 3, "kind": "user"}])"),
              "traffic scenario 'x.json': unknown key 'closures[0].form_s' (did you mean 'from_s'?)");
    EXPECT_EQ(error(R"(, "outputs": {"fdc": true})"),
              "traffic scenario 'x.json': unknown key 'outputs.fdc' (did you mean 'fcd'?)");
    EXPECT_NE(error(R"(, "flood": {"scenario": "hq100-baseline"})").find("flood.start_s is missing"),
              std::string::npos);
    EXPECT_NE(error(R"(, "flood": {"scenario": "hq100-baseline", "start_s": -5})").find("flood.start_s"),
              std::string::npos);
    EXPECT_EQ(
        error(R"(, "closures": [{"id": "c", "edges": ["a"], "from_s": 150, "to_s": 120, "kind": "user"}])"),
        "traffic scenario 'x.json': closures[0].to_s must be after from_s (150 s), not 120");
    EXPECT_EQ(
        error(R"(, "closures": [{"id": "c", "edges": ["a"], "from_s": 150, "kind": "roadworks"}])"),
        "traffic scenario 'x.json': closures[0].kind is 'roadworks'; expected construction, flood or user");
    EXPECT_EQ(
        error(R"(, "closures": [{"id": "c", "edges": ["a", ":J1_0"], "from_s": 150, "kind": "user"}])"),
        "traffic scenario 'x.json': closures[0].edges[1] ':J1_0' is an internal edge (inside a junction); "
        "close the edges leading to it");
    EXPECT_EQ(error(R"(, "closures": [{"id": "c", "edges": ["a", "a"], "from_s": 150, "kind": "user"}])"),
              "traffic scenario 'x.json': closures[0].edges[1] 'a' is listed twice");
    EXPECT_EQ(error(R"(, "closures": [{"id": "c", "edges": [], "from_s": 150, "kind": "user"}])"),
              "traffic scenario 'x.json': closures[0].edges must list at least one edge id");
    EXPECT_EQ(
        error(R"(, "closures": [{"id": "c", "edges": ["a"], "kind": "user"}])"),
        "traffic scenario 'x.json': closures[0].from_s is missing (seconds of the day when the road closes)");
    EXPECT_EQ(error(R"(, "closures": [{"id": "c", "edges": ["a"], "from_s": 1, "kind": "user"},
                                      {"id": "c", "edges": ["b"], "from_s": 1, "kind": "user"}])"),
              "traffic scenario 'x.json': closures[1].id 'c' names another closure too; ids must differ");
    EXPECT_EQ(error(R"(, "sample_step_s": 0.5)"),
              "traffic scenario 'x.json': sample_step_s must be between 1 and 3600 s, not 0.5");
    EXPECT_EQ(error(R"(, "sample_step_s": 2.5)"),
              "traffic scenario 'x.json': sample_step_s must be whole seconds (the run steps 1 s), not 2.5");
    EXPECT_EQ(error(R"(, "emergency": {"target_s": -1})"),
              "traffic scenario 'x.json': emergency.target_s must be between 1 and 3600 s, not -1");
    EXPECT_EQ(error_of([] {
                  parse_traffic_scenario(R"({"format": "zwilling-traffic-scenario", "id": "x", "network": "n",
                      "demand": "d", "begin_s": 300, "end_s": 200})",
                                         "x.json");
              }),
              "traffic scenario 'x.json': end_s must be after begin_s (300 s), not 200");
    EXPECT_EQ(
        error_of([] {
            parse_traffic_scenario(R"({"format": "zwilling-traffic-scenario", "id": "x", "demand": "d",
                      "begin_s": 0, "end_s": 200})",
                                   "x.json");
        }),
        "traffic scenario 'x.json': network is missing or empty (the path of the SUMO network, .net.xml, "
        "relative to this file)");
    EXPECT_EQ(
        error_of([] { parse_traffic_scenario(R"({"format": "zwilling-flood-scenario"})", "x.json"); }),
        "traffic scenario 'x.json': format must be \"zwilling-traffic-scenario\" (is this a traffic scenario "
        "file?)");
    EXPECT_EQ(error_of([] { parse_traffic_scenario("{\"format\": ", "x.json"); }),
              "cannot read traffic scenario 'x.json': it is not valid JSON (is the file complete?)");
    EXPECT_NE(error_of([] {
                  read_traffic_scenario("/no/such/scenario.json");
              }).find("cannot read the traffic scenario '/no/such/scenario.json'"),
              std::string::npos);
}

// Closure edges and the demand's edges and types are checked against the network.
TEST(TrafficScenario, ValidatedAgainstTheNetwork) {
    zw::test::TempDir dir;
    const Network net = read_network(zw::test::grid_net(dir.path(), 3, 2));
    TrafficScenario s = parse_traffic_scenario(
        R"({"format": "zwilling-traffic-scenario", "id": "x", "network": "grid.net.xml", "demand": "d.rou.xml",
            "begin_s": 0, "end_s": 60,
            "closures": [{"id": "c", "edges": ["A0B0", "B0C0"], "from_s": 10, "kind": "user"},
                         {"id": "d", "edges": ["B1C1", "A0B9"], "from_s": 10, "kind": "user"}]})",
        "x.json");
    EXPECT_EQ(
        error_of([&] { validate_traffic_scenario(s, net); }),
        "traffic scenario 'x.json': closures[1].edges[1]: no edge 'A0B9' in the network 'grid.net.xml' (did "
        "you mean 'A0B0'?)");
    s.closures[1].edges[1] = "nowhere_at_all";
    EXPECT_EQ(error_of([&] { validate_traffic_scenario(s, net); }),
              "traffic scenario 'x.json': closures[1].edges[1]: no edge 'nowhere_at_all' in the network "
              "'grid.net.xml'");
    s.closures[1].edges[1] = "C1B1";
    EXPECT_EQ(error_of([&] { validate_traffic_scenario(s, net); }), "no error");

    Demand d;
    d.types.push_back({"car", "passenger", 0, 0, 0});
    d.trips.push_back({"t1", "car", 0, "A0B0", "C1B1", {}, ""});
    d.trips.push_back({"t2", "", 0, "A0B0", "B0C0", {"A0B0", "B0C0"}, ""});
    EXPECT_EQ(error_of([&] { validate_demand(d, net, "am.rou.xml", "grid.net.xml"); }), "no error");
    d.trips.push_back({"t3", "bus", 0, "A0B0", "B0C0", {}, ""});
    EXPECT_EQ(error_of([&] { validate_demand(d, net, "am.rou.xml", "grid.net.xml"); }),
              "demand 'am.rou.xml': trip 't3' has type 'bus', which the demand defines no <vType> for");
    d.trips.back() = {"t4", "car", 0, "A0B0", "B0C0", {"A0B0", "B0X0", "B0C0"}, ""};
    EXPECT_EQ(
        error_of([&] { validate_demand(d, net, "am.rou.xml", "grid.net.xml"); }),
        "demand 'am.rou.xml': trip 't4': route edge 'B0X0' is not in the network 'grid.net.xml' (is the "
        "route file made for another network?)");
}

}  // namespace
