// SUMO route files as a Demand (engine/scenario/traffic/demand_xml.h): the subset read, flows
// expanded as SUMO's duarouter expands them, what is refused and how it is worded, and
// write_demand's files run by the `sumo` binary.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/scenario/traffic/demand_xml.h"
#include "engine/scenario/traffic/sumo_tools.h"
#include "engine/scenario/traffic/sumo_xml.h"
#include "tests/traffic/nets.h"
#include "tests/unit/temp_dir.h"

namespace {

using namespace zw::scenario::traffic;
using zw::test::error_of;
using zw::test::write_text;

const char* routes_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<routes xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    <vType id="car" vClass="passenger" length="4.5" maxSpeed="50" speedFactor="1.1" color="1,0,0">
        <param key="x" value="y"/>
    </vType>
    <vType id="bus" vClass="bus"/>
    <route id="r_main" edges="A0B0 B0C0  C0C1"/>
    <trip id="t_late" type="car" depart="21700" from="A0B0" to="C0C1" departLane="best"/>
    <vehicle id="v_named" type="bus" depart="6:00:10" route="r_main">
        <stop edge="B0C0" duration="20"/>
    </vehicle>
    <vehicle id="v_nested" depart="21600">
        <route edges="C1B1 B1A1"/>
    </vehicle>
    <person id="p0" depart="21600"><walk edges="A0B0"/></person>
    <container id="k0" depart="21600"><transport from="A0B0" to="B0C0"/></container>
    <flow id="f_period" type="car" begin="21600" end="21610" period="5" from="A0B0" to="B0C0"/>
    <flow id="f_number" type="car" begin="21600" end="21610" number="4" route="r_main"/>
    <flow id="f_vph" begin="21600" end="21610" vehsPerHour="720" from="B0C0" to="C0C1"/>
    <flow id="f_both" begin="21603" period="2" number="3" from="A0B0" to="C0C1"/>
    <personFlow id="pf" begin="0" end="10" period="1"><walk edges="A0B0"/></personFlow>
</routes>
)";

std::vector<std::string> ids(const Demand& d) {
    std::vector<std::string> out;
    for (const Trip& t : d.trips)
        out.push_back(t.id);
    return out;
}

TEST(TrafficDemand, ReadsTheSubsetSortedByDeparture) {
    zw::test::TempDir dir;
    DemandReadStats stats;
    const Demand d = read_demand(write_text(dir.path() / "am.rou.xml", routes_xml), &stats);
    ASSERT_EQ(d.types.size(), 2u);
    EXPECT_EQ(d.types[0].id, "car");
    EXPECT_EQ(d.types[0].vclass, "passenger");
    EXPECT_DOUBLE_EQ(d.types[0].length_m, 4.5);
    EXPECT_DOUBLE_EQ(d.types[0].max_speed_ms, 50);
    EXPECT_DOUBLE_EQ(d.types[0].speed_factor, 1.1);
    EXPECT_EQ(d.types[1].vclass, "bus");
    EXPECT_DOUBLE_EQ(d.types[1].length_m, 0);
    // Ties in file order: v_nested, then the flows' first vehicles as they come in the file.
    EXPECT_EQ(ids(d),
              (std::vector<std::string>{"v_nested", "f_period.0", "f_number.0", "f_vph.0", "f_number.1",
                                        "f_both.0", "f_period.1", "f_number.2", "f_vph.1", "f_both.1",
                                        "f_both.2", "f_number.3", "v_named", "t_late"}));
    std::map<std::string, Trip> by_id;
    for (const Trip& t : d.trips)
        by_id[t.id] = t;
    EXPECT_EQ(by_id["v_named"].route, (std::vector<std::string>{"A0B0", "B0C0", "C0C1"}));
    EXPECT_EQ(by_id["v_named"].from, "A0B0");
    EXPECT_EQ(by_id["v_named"].to, "C0C1");
    EXPECT_EQ(by_id["v_named"].type, "bus");
    EXPECT_DOUBLE_EQ(by_id["v_named"].depart_s, 21610);  // 6:00:10
    EXPECT_EQ(by_id["v_nested"].route, (std::vector<std::string>{"C1B1", "B1A1"}));
    EXPECT_EQ(by_id["v_nested"].type, "");
    EXPECT_TRUE(by_id["t_late"].route.empty());
    EXPECT_EQ(by_id["t_late"].from, "A0B0");
    EXPECT_EQ(by_id["t_late"].to, "C0C1");
    EXPECT_DOUBLE_EQ(by_id["f_number.3"].depart_s, 21607.5);
    EXPECT_EQ(by_id["f_number.3"].route.size(), 3u);
    EXPECT_DOUBLE_EQ(by_id["f_both.2"].depart_s, 21607);
    EXPECT_EQ(stats.persons, 2u);  // p0 and the personFlow (once)
    EXPECT_EQ(stats.containers, 1u);
    EXPECT_EQ(stats.stops, 1u);
    EXPECT_EQ(stats.flows, 4u);
}

// The flows expand into the vehicles (ids and departures) that SUMO's duarouter makes of them.
TEST(TrafficDemand, FlowsExpandAsSumoDoes) {
    zw::test::TempDir dir;
    const std::string net = zw::test::grid_net(dir.path(), 3, 2);
    const std::string flows = write_text(dir.path() / "flows.rou.xml", R"(<routes>
    <flow id="a" begin="100" end="130" period="7" from="A0B0" to="B0C0"/>
    <flow id="b" begin="100" end="200" number="7" from="A0B0" to="C0C1"/>
    <flow id="c" begin="100" end="160" vehsPerHour="250" from="B0C0" to="C0C1"/>
    <flow id="d" begin="100.5" period="3.3" number="5" from="A1B1" to="B0A0"/>
</routes>
)");
    const Demand d = read_demand(flows);
    const std::string out = (dir.path() / "routed.rou.xml").string();
    ASSERT_EQ(run_sumo_tool("duarouter", {"-n", net, "-r", flows, "-o", out, "--no-step-log", "true"},
                            dir.path() / "duarouter.log"),
              0)
        << log_tail(dir.path() / "duarouter.log");
    // duarouter writes <vehicle id depart>; read them back as a demand.
    const Demand routed = read_demand(out);
    ASSERT_EQ(routed.trips.size(), d.trips.size());
    ASSERT_EQ(d.trips.size(), 5u + 7u + 5u + 5u);
    std::map<std::string, double> ours, sumo;
    for (const Trip& t : d.trips)
        ours[t.id] = t.depart_s;
    for (const Trip& t : routed.trips)
        sumo[t.id] = t.depart_s;
    for (const auto& [id, depart] : sumo) {
        ASSERT_TRUE(ours.count(id)) << id;
        EXPECT_NEAR(ours[id], depart, 0.005) << id;  // duarouter writes two decimals
    }
}

TEST(TrafficDemand, RefusesWhatItCannotRunInWords) {
    zw::test::TempDir dir;
    auto error = [&](const std::string& body) {
        return error_of(
            [&] { read_demand(write_text(dir.path() / "x.rou.xml", "<routes>\n" + body + "\n</routes>")); });
    };
    const std::string path = (dir.path() / "x.rou.xml").string();
    EXPECT_EQ(error("<vehicle id=\"v3\" depart=\"triggered\" route=\"r\"/>"),
              "demand '" + path +
                  "', line 2: <vehicle> 'v3': depart 'triggered' is not a time; Zwilling needs a "
                  "fixed time (seconds or h:mm:ss, not now, triggered, containerTriggered, begin or split)");
    EXPECT_NE(error("<trip id=\"t\" depart=\"now\" from=\"a\" to=\"b\"/>").find("depart 'now' is not a time"),
              std::string::npos);
    EXPECT_NE(error("<flow id=\"f\" begin=\"0\" end=\"9\" probability=\"0.1\" from=\"a\" to=\"b\"/>")
                  .find("line 2: <flow> 'f': probability is not supported: a random flow"),
              std::string::npos);
    EXPECT_NE(error("<flow id=\"f\" begin=\"0\" end=\"9\" period=\"exp(0.1)\" from=\"a\" to=\"b\"/>")
                  .find("random periods such as exp(...) are not supported"),
              std::string::npos);
    EXPECT_NE(error("<flow id=\"f\" begin=\"0\" end=\"9\" from=\"a\" to=\"b\"/>")
                  .find("needs period, vehsPerHour or number"),
              std::string::npos);
    EXPECT_NE(error("<flow id=\"f\" begin=\"0\" end=\"9\" period=\"1\" number=\"3\" from=\"a\" to=\"b\"/>")
                  .find("give at most two of them"),
              std::string::npos);
    EXPECT_NE(error("<vType id=\"c\" speedFactor=\"normc(1,0.1,0.2,2)\"/>")
                  .find("<vType> 'c': speedFactor 'normc(1,0.1,0.2,2)' is not a number (a fixed value"),
              std::string::npos);
    EXPECT_NE(error("<vTypeDistribution id=\"d\"/>").find("line 2: <vTypeDistribution> is not supported"),
              std::string::npos);
    EXPECT_NE(
        error("<trip id=\"t\" depart=\"0\" fromTaz=\"a\" toTaz=\"b\"/>").find("fromTaz is not supported"),
        std::string::npos);
    EXPECT_NE(error("<trip id=\"t\" depart=\"0\" from=\"a\" to=\"b\"/>\n<trip id=\"t\" depart=\"1\" "
                    "from=\"a\" to=\"b\"/>")
                  .find("line 3: <trip> 't': a second vehicle, trip or flow with this id"),
              std::string::npos);
    EXPECT_NE(error("<vehicle id=\"v\" depart=\"0\" route=\"later\"/>\n<route id=\"later\" edges=\"a\"/>")
                  .find("route 'later' is not defined before it"),
              std::string::npos);
    EXPECT_NE(error("<vehicle id=\"v\" depart=\"0\"/>").find("line 2: <vehicle> 'v' has no route"),
              std::string::npos);
    EXPECT_NE(error("<trip id=\"t\" depart=\"0\" from=\"a\"/>").find("<trip> 't' needs from and to"),
              std::string::npos);
    EXPECT_NE(error("<busStop id=\"s\" lane=\"a_0\"/>")
                  .find("line 2: <busStop> is not an element of SUMO route files"),
              std::string::npos);
    EXPECT_NE(error("<trip id=\"t\" depart=\"0\" from=\"a\" to=\"b\">").find("not well-formed XML: line 3"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  read_demand(write_text(dir.path() / "n.xml", "<net version=\"1.9\"/>"));
              }).find("the root element is <net>, not <routes>"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  read_demand(write_text(dir.path() / "b.xml",
                                         "<!DOCTYPE r [<!ENTITY a \"aaaa\">]>\n<routes>&a;</routes>"));
              }).find("a DOCTYPE declaration"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  read_demand((dir.path() / "nowhere.rou.xml").string());
              }).find("cannot read demand '" + (dir.path() / "nowhere.rou.xml").string() + "'"),
              std::string::npos);
}

// write_demand's file reads back as written, and the `sumo` binary runs every vehicle of it.
TEST(TrafficDemand, WrittenRouteFilesRunInSumo) {
    zw::test::TempDir dir;
    const std::string net = zw::test::grid_net(dir.path(), 3, 3);
    Demand d;
    d.types.push_back({"car", "passenger", 4.5, 0, 0});
    d.types.push_back({"lkw_40t", "truck", 0, 25, 1.0});
    for (int i = 0; i < 20; ++i) {
        Trip t;
        t.id = "t." + std::to_string(i);
        t.type = i % 3 == 0 ? "lkw_40t" : "car";
        t.depart_s = 100 + (19 - i) * 3.25;  // written in order of departure, not of the vector
        t.from = "A0B0";
        t.to = i % 2 ? "C2C1" : "B2A2";
        if (i % 4 == 1) t.route = {"A0B0", "B0C0", "C0C1", "C1C2", "C2B2"};
        if (i % 4 == 1) t.to = "C2B2";
        d.trips.push_back(t);
    }
    const std::string path = (dir.path() / "written.rou.xml").string();
    write_demand(path, d);
    const Demand back = read_demand(path);
    ASSERT_EQ(back.trips.size(), d.trips.size());
    ASSERT_EQ(back.types.size(), 2u);
    EXPECT_EQ(back.types[1].id, "lkw_40t");
    EXPECT_DOUBLE_EQ(back.types[1].max_speed_ms, 25);
    for (size_t i = 1; i < back.trips.size(); ++i)
        EXPECT_LE(back.trips[i - 1].depart_s, back.trips[i].depart_s);
    std::map<std::string, Trip> by_id;
    for (const Trip& t : back.trips)
        by_id[t.id] = t;
    for (const Trip& t : d.trips) {
        const Trip& b = by_id[t.id];
        EXPECT_EQ(b.type, t.type);
        EXPECT_EQ(b.depart_s, t.depart_s);
        EXPECT_EQ(b.from, t.from);
        EXPECT_EQ(b.to, t.to);
        EXPECT_EQ(b.route, t.route);
    }
    const std::string tripinfo = (dir.path() / "tripinfo.xml").string();
    ASSERT_EQ(run_sumo_tool("sumo",
                            {"-n", net, "-r", path, "--begin", "0", "--end", "1000", "--no-step-log", "true",
                             "--tripinfo-output", tripinfo},
                            dir.path() / "sumo.log"),
              0)
        << log_tail(dir.path() / "sumo.log");
    const std::vector<TripInfo> trips = read_tripinfo(tripinfo);
    ASSERT_EQ(trips.size(), d.trips.size());
    for (const TripInfo& t : trips) {
        EXPECT_TRUE(t.arrived()) << t.id;
        EXPECT_EQ(t.vtype, by_id[t.id].type);
    }
}

}  // namespace
