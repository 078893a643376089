// SUMO's XML outputs (engine/scenario/traffic/sumo_xml.h) read as streams: FCD into a
// trajectory bundle (net offset, vehicles conserved), edgeData, tripinfo and its summary,
// edge_measures.json, and files that are broken or of another kind.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/scenario/traffic/edge_measures.h"
#include "engine/scenario/traffic/import.h"
#include "engine/scenario/traffic/summary.h"
#include "engine/scenario/traffic/sumo_xml.h"
#include "tests/unit/temp_dir.h"

namespace {

using namespace zw::scenario::traffic;
namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "no error";
}

std::string write_file(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

// As SUMO 1.15 writes it (sumo --fcd-output), net offset (-630000, -5497000): the net's
// origin is the projected point (630000, 5497000).
const char* fcd_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- generated on 2024-05-02 by Eclipse SUMO sumo Version 1.15.0 -->
<fcd-export xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://sumo.dlr.de/xsd/fcd_file.xsd">
    <timestep time="21600.00">
        <vehicle id="car_1" x="120.50" y="340.25" z="301.10" angle="90.00" type="DEFAULT_VEHTYPE" speed="13.89" pos="5.10" lane="e1_0" slope="0.00"/>
        <person id="p0" x="10.00" y="10.00" angle="0.00" speed="1.20" pos="0.00" edge="e3" slope="0.00"/>
    </timestep>
    <timestep time="21601.00">
        <vehicle id="car_1" x="134.39" y="340.25" z="301.10" angle="90.00" type="DEFAULT_VEHTYPE" speed="13.89" pos="18.99" lane="e1_0" slope="0.00"/>
        <vehicle id="bus_201.0" x="500.00" y="80.00" z="299.50" angle="359.00" type="bus" speed="8.33" pos="2.00" lane="e7_0" slope="0.00"/>
    </timestep>
    <timestep time="6:00:02">
        <vehicle id="bus_201.0" x="500.15" y="88.33" z="299.50" angle="1.00" type="bus" speed="8.33" pos="10.33" lane="e7_0" slope="0.00"/>
        <vehicle id="hlf_1" x="0.00" y="0.00" angle="45.00" type="fire_engine" speed="0.00" pos="0.00" lane="e0_0" slope="0.00"/>
    </timestep>
    <timestep time="21603.00"/>
</fcd-export>
)";

TEST(TrafficSumoXml, ReadsFcdStepByStep) {
    zw::test::TempDir dir;
    const std::string path = write_file(dir.path() / "fcd.xml", fcd_xml);
    std::vector<double> steps;
    std::vector<std::string> ids;
    std::vector<FcdVehicle> copies;
    FcdCallbacks cb;
    cb.step = [&](double t) { steps.push_back(t); };
    cb.vehicle = [&](const FcdVehicle& v) {
        ids.emplace_back(v.id);
        copies.push_back(v);
        copies.back().id = copies.back().type = copies.back().lane = {};  // views die with the callback
    };
    read_fcd(path, cb);
    EXPECT_EQ(steps, (std::vector<double>{21600, 21601, 21602, 21603}));  // 6:00:02 is 21602 s
    EXPECT_EQ(ids, (std::vector<std::string>{"car_1", "car_1", "bus_201.0", "bus_201.0", "hlf_1"}));
    EXPECT_DOUBLE_EQ(copies[0].x, 120.5);
    EXPECT_DOUBLE_EQ(copies[0].y, 340.25);
    EXPECT_DOUBLE_EQ(copies[0].z, 301.1);
    EXPECT_DOUBLE_EQ(copies[0].speed_ms, 13.89);
    EXPECT_DOUBLE_EQ(copies[0].pos_m, 5.1);
    EXPECT_DOUBLE_EQ(copies[2].angle_deg, 359);
    EXPECT_DOUBLE_EQ(copies[4].z, 0);  // absent: 0
}

TEST(TrafficSumoXml, FcdIntoTrajectoriesConservesVehiclesAndPositions) {
    zw::test::TempDir dir;
    const std::string path = write_file(dir.path() / "fcd.xml", fcd_xml);
    const glm::dvec3 origin(630100, 5497300, 300);
    FcdImport import;
    import.net_offset = {-630000, -5497000};
    import.vtype_classes["DEFAULT_VEHTYPE"] = VehicleClass::van;  // as the route file says
    const std::string out = (dir.path() / "trajectories.zwt").string();
    TrajectoryWriter w(out, origin);
    const FcdImportStats stats = fcd_to_trajectories(path, w, import);
    w.finish();
    EXPECT_EQ(stats.steps, 4u);
    EXPECT_EQ(stats.samples, 5u);

    // Every vehicle id of the FCD is in the bundle, once.
    std::set<std::string> fcd_ids;
    read_fcd(path, {nullptr, [&](const FcdVehicle& v) { fcd_ids.emplace(v.id); }});
    TrajectoryReader r = TrajectoryReader::open(out);
    ASSERT_EQ(r.vehicles().size(), fcd_ids.size());
    for (const VehicleInfo& v : r.vehicles())
        EXPECT_TRUE(fcd_ids.count(v.id)) << v.id;
    EXPECT_EQ(r.vehicles()[0].cls, VehicleClass::van);
    EXPECT_EQ(r.vehicles()[1].cls, VehicleClass::bus);
    EXPECT_EQ(r.vehicles()[2].cls, VehicleClass::fire_engine);
    EXPECT_EQ(r.vehicles()[1].first_s, 21601);
    EXPECT_EQ(r.vehicles()[1].last_s, 21602);
    EXPECT_EQ(r.begin_s(), 21600);
    EXPECT_EQ(r.end_s(), 21603);

    // car_1 at 21600 s: net (120.5, 340.25) is EPSG:25832 (630120.5, 5497340.25).
    const std::vector<VehicleState> s = r.state_at(21600);
    ASSERT_EQ(s.size(), 1u);
    const glm::dvec3 p = s[0].position + origin;
    EXPECT_NEAR(p.x, 630120.5, 0.005);
    EXPECT_NEAR(p.y, 5497340.25, 0.005);
    EXPECT_NEAR(p.z, 301.1, 0.005);
    // The bus half way between 21601 and 21602 s: through north, between the positions.
    const std::vector<VehicleState> mid = r.state_at(21601.5);
    ASSERT_EQ(mid.size(), 1u);  // car_1 is gone after 21601, hlf_1 not there before 21602
    EXPECT_EQ(r.vehicles()[mid[0].vehicle].id, "bus_201.0");
    EXPECT_NEAR(std::min(mid[0].angle_deg, 360 - mid[0].angle_deg), 0, 360.0 / 65536);
    EXPECT_NEAR(mid[0].position.x + origin.x, 630500.075, 0.005);
    EXPECT_NEAR(mid[0].position.y + origin.y, 5497084.165, 0.005);
    EXPECT_TRUE(r.state_at(21603).empty());  // a timestep without vehicles
}

TEST(TrafficSumoXml, FcdErrorsNameFileAndLine) {
    zw::test::TempDir dir;
    // Line 4 closes <vehicle> with </timestep>.
    const std::string broken =
        write_file(dir.path() / "broken.xml",
                   "<?xml version=\"1.0\"?>\n<fcd-export>\n  <timestep time=\"0\">\n"
                   "    <vehicle id=\"a\" x=\"1\" y=\"2\"></timestep>\n</fcd-export>\n");
    std::string e = error_of([&] { read_fcd(broken, {}); });
    EXPECT_NE(e.find("broken.xml"), std::string::npos) << e;
    EXPECT_NE(e.find("line 4"), std::string::npos) << e;
    EXPECT_NE(e.find("mismatched tag"), std::string::npos) << e;

    const std::string cut = write_file(dir.path() / "cut.xml", "<fcd-export>\n<timestep time=\"0\">\n<vehi");
    e = error_of([&] { read_fcd(cut, {}); });
    EXPECT_NE(e.find("cut.xml' is not well-formed XML: line 3"), std::string::npos) << e;

    const std::string number =
        write_file(dir.path() / "number.xml",
                   "<fcd-export>\n<timestep time=\"0\">\n"
                   "<vehicle id=\"a\" x=\"abc\" y=\"2\"/>\n</timestep>\n</fcd-export>\n");
    e = error_of([&] { read_fcd(number, {}); });
    EXPECT_NE(e.find("number.xml', line 3: <vehicle> attribute x='abc' is not a number"), std::string::npos)
        << e;

    const std::string no_y = write_file(dir.path() / "no_y.xml",
                                        "<fcd-export>\n<timestep time=\"0\">\n<vehicle id=\"a\" x=\"1\"/>\n"
                                        "</timestep>\n</fcd-export>\n");
    e = error_of([&] { read_fcd(no_y, {}); });
    EXPECT_NE(e.find("line 3: <vehicle> lacks the attribute 'y'"), std::string::npos) << e;

    const std::string outside = write_file(
        dir.path() / "outside.xml", "<fcd-export>\n<vehicle id=\"a\" x=\"1\" y=\"1\"/>\n</fcd-export>\n");
    EXPECT_NE(error_of([&] { read_fcd(outside, {}); }).find("line 2: a <vehicle> outside a <timestep>"),
              std::string::npos);

    const std::string nested =
        write_file(dir.path() / "nested.xml", "<fcd-export>\n<timestep time=\"0\">\n<timestep time=\"1\">\n");
    EXPECT_NE(error_of([&] { read_fcd(nested, {}); }).find("line 3: a <timestep> inside another element"),
              std::string::npos);

    const std::string trips = write_file(dir.path() / "trips.xml", "<tripinfos>\n</tripinfos>\n");
    e = error_of([&] { read_fcd(trips, {}); });
    EXPECT_NE(e.find("'" + trips + "' is not a SUMO FCD output: its root element is <tripinfos>"),
              std::string::npos)
        << e;
    EXPECT_NE(error_of([&] { read_fcd((dir.path() / "missing.xml").string(), {}); }).find("cannot open"),
              std::string::npos);
    EXPECT_NE(error_of([&] { read_fcd(write_file(dir.path() / "empty.xml", ""), {}); }).find("line 1"),
              std::string::npos);

    // Times that go back: the writer's error, with the FCD's line.
    const std::string back = write_file(dir.path() / "back.xml",
                                        "<fcd-export>\n<timestep time=\"5\"/>\n<timestep time=\"4\"/>\n"
                                        "</fcd-export>\n");
    TrajectoryWriter w((dir.path() / "t.zwt").string(), glm::dvec3(0));
    e = error_of([&] { fcd_to_trajectories(back, w); });
    EXPECT_NE(e.find("back.xml', line 3: trajectories"), std::string::npos) << e;
    EXPECT_NE(e.find("sample times must grow"), std::string::npos) << e;
}

TEST(TrafficSumoXml, ReadsEdgeDataWithDefaults) {
    zw::test::TempDir dir;
    const std::string path = write_file(dir.path() / "edgedata.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<meandata xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://sumo.dlr.de/xsd/meandata_file.xsd">
    <interval begin="21600.00" end="21900.00" id="traffic">
        <edge id="hauptstrasse_1" sampledSeconds="812.40" traveltime="9.61" overlapTraveltime="10.20" density="12.36" laneDensity="6.18" occupancy="5.92" waitingTime="31.00" timeLoss="101.17" speed="11.42" departed="2" arrived="1" entered="54" left="55" laneChangedFrom="0" laneChangedTo="0"/>
        <edge id="feldweg" sampledSeconds="0.00" departed="0" arrived="0" entered="0" left="0" laneChangedFrom="0" laneChangedTo="0"/>
        <edge id="schulstrasse" sampledSeconds="20.00" speed="3.50" left="6">
            <lane id="schulstrasse_0" sampledSeconds="20.00"/>
        </edge>
    </interval>
    <interval begin="6:05:00" end="6:10:00" id="traffic">
        <edge id="hauptstrasse_1" sampledSeconds="400.00" speed="13.00" entered="30" density="6.00" waitingTime="0.00"/>
    </interval>
</meandata>
)");
    const std::vector<EdgeInterval> iv = read_edge_data(path);
    ASSERT_EQ(iv.size(), 2u);
    EXPECT_EQ(iv[0].id, "traffic");
    EXPECT_EQ(iv[0].begin_s, 21600);
    EXPECT_EQ(iv[0].end_s, 21900);
    EXPECT_EQ(iv[1].begin_s, 21900);
    EXPECT_EQ(iv[1].end_s, 22200);
    ASSERT_EQ(iv[0].edges.size(), 3u);
    const EdgeMeasure& h = iv[0].edges[0];
    EXPECT_EQ(h.edge, "hauptstrasse_1");
    EXPECT_DOUBLE_EQ(h.sampled_s, 812.4);
    EXPECT_DOUBLE_EQ(h.traveltime_s, 9.61);
    EXPECT_DOUBLE_EQ(h.density_veh_km, 12.36);
    EXPECT_DOUBLE_EQ(h.lane_density_veh_km, 6.18);
    EXPECT_DOUBLE_EQ(h.occupancy_pct, 5.92);
    EXPECT_DOUBLE_EQ(h.waiting_s, 31);
    EXPECT_DOUBLE_EQ(h.time_loss_s, 101.17);
    EXPECT_DOUBLE_EQ(h.speed_ms, 11.42);
    EXPECT_DOUBLE_EQ(h.entered, 54);
    EXPECT_DOUBLE_EQ(h.flow_vph, 54 * 12.0);  // 54 vehicles in 5 minutes
    const EdgeMeasure& empty = iv[0].edges[1];
    EXPECT_EQ(empty.speed_ms, 0);
    EXPECT_EQ(empty.flow_vph, 0);
    EXPECT_EQ(empty.traveltime_s, 0);
    EXPECT_DOUBLE_EQ(iv[0].edges[2].flow_vph, 6 * 12.0);  // no `entered`: from `left`
    EXPECT_DOUBLE_EQ(iv[1].edges[0].flow_vph, 360);

    const std::string bad = write_file(dir.path() / "bad.xml",
                                       "<meandata>\n<interval begin=\"0\" end=\"300\">\n"
                                       "<edge id=\"e\" speed=\"fast\"/>\n</interval>\n</meandata>\n");
    EXPECT_NE(error_of([&] { read_edge_data(bad); }).find("bad.xml', line 3: <edge> attribute speed='fast'"),
              std::string::npos);
    const std::string no_end =
        write_file(dir.path() / "no_end.xml", "<meandata>\n<interval begin=\"0\"/>\n</meandata>");
    EXPECT_NE(error_of([&] { read_edge_data(no_end); }).find("line 2: <interval> lacks the attribute 'end'"),
              std::string::npos);
}

const char* tripinfo_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<tripinfos xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://sumo.dlr.de/xsd/tripinfo_file.xsd">
    <tripinfo id="car_1" depart="21600.00" departLane="e1_0" departPos="5.10" departSpeed="0.00" departDelay="0.50" arrival="22200.00" arrivalLane="e9_0" arrivalPos="80.00" arrivalSpeed="11.00" duration="600.00" routeLength="6000.00" waitingTime="30.00" waitingCount="2" stopTime="0.00" timeLoss="120.00" rerouteNo="0" devices="tripinfo_car_1" vType="DEFAULT_VEHTYPE" speedFactor="1.02" vaporized=""/>
    <tripinfo id="car_2" depart="21610.00" arrival="21910.00" duration="300.00" routeLength="3000.00" waitingTime="0.00" timeLoss="60.00" vType="DEFAULT_VEHTYPE">
        <emissions CO_abs="1234.5"/>
    </tripinfo>
    <personinfo id="p0" depart="21600.00" type="DEFAULT_PEDTYPE"/>
    <tripinfo id="bus_201.0" depart="21620.00" arrival="22820.00" duration="1200.00" routeLength="9000.00" waitingTime="90.00" timeLoss="360.00" vType="bus"/>
    <tripinfo id="truck_1" depart="21630.00" arrival="22530.00" duration="0:15:00" routeLength="12000.00" waitingTime="0.00" timeLoss="0:03:00" vType="truck"/>
    <tripinfo id="stuck_1" depart="22000.00" arrival="-1" duration="-1" routeLength="100.00" waitingTime="500.00" timeLoss="700.00" vType="DEFAULT_VEHTYPE" vaporized="end"/>
</tripinfos>
)";

TEST(TrafficSumoXml, ReadsTripinfo) {
    zw::test::TempDir dir;
    const std::vector<TripInfo> trips = read_tripinfo(write_file(dir.path() / "tripinfo.xml", tripinfo_xml));
    ASSERT_EQ(trips.size(), 5u);
    EXPECT_EQ(trips[0].id, "car_1");
    EXPECT_EQ(trips[0].vtype, "DEFAULT_VEHTYPE");
    EXPECT_EQ(trips[0].depart_lane, "e1_0");
    EXPECT_EQ(trips[0].arrival_lane, "e9_0");
    EXPECT_EQ(trips[0].depart_s, 21600);
    EXPECT_EQ(trips[0].arrival_s, 22200);
    EXPECT_EQ(trips[0].duration_s, 600);
    EXPECT_EQ(trips[0].route_length_m, 6000);
    EXPECT_EQ(trips[0].waiting_s, 30);
    EXPECT_EQ(trips[0].time_loss_s, 120);
    EXPECT_EQ(trips[0].depart_delay_s, 0.5);
    EXPECT_EQ(trips[3].duration_s, 900);   // 0:15:00
    EXPECT_EQ(trips[3].time_loss_s, 180);  // 0:03:00
    EXPECT_FALSE(trips[4].arrived());
    EXPECT_TRUE(trips[3].arrived());

    // A vehicle SUMO took out (a closure left it no way on) has an arrival time but did
    // not arrive.
    const std::vector<TripInfo> out = read_tripinfo(write_file(
        dir.path() / "vaporized.xml",
        "<tripinfos>\n<tripinfo id=\"v\" depart=\"10\" arrival=\"70\" duration=\"60\" routeLength=\"500\" "
        "vaporized=\"traci\"/>\n</tripinfos>\n"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].vaporized, "traci");
    EXPECT_FALSE(out[0].arrived());

    const std::string bad = write_file(dir.path() / "bad.xml",
                                       "<tripinfos>\n\n<tripinfo id=\"a\" depart=\"noon\"/>\n</tripinfos>\n");
    EXPECT_NE(error_of([&] {
                  read_tripinfo(bad);
              }).find("line 3: <tripinfo> attribute depart='noon' is not a time"),
              std::string::npos);
}

TEST(TrafficSummary, FromTripinfo) {
    zw::test::TempDir dir;
    const TripSummary s =
        summarize_trips(read_tripinfo(write_file(dir.path() / "tripinfo.xml", tripinfo_xml)));
    EXPECT_EQ(s.vehicles, 5u);
    EXPECT_EQ(s.arrived, 4u);
    // Arrived trips: 600, 300, 1200 and 900 s.
    EXPECT_DOUBLE_EQ(s.mean_travel_time_s, 750);
    EXPECT_DOUBLE_EQ(s.median_travel_time_s, 750);  // (600 + 900) / 2
    EXPECT_DOUBLE_EQ(s.time_loss_vh, (120 + 60 + 360 + 180) / 3600.0);
    EXPECT_DOUBLE_EQ(s.waiting_vh, 120 / 3600.0);
    EXPECT_DOUBLE_EQ(s.vehicle_km, 30);
    const nlohmann::json j = summary_json(s);
    EXPECT_EQ(j["vehicles"], 5);
    EXPECT_EQ(j["arrived"], 4);
    EXPECT_EQ(j["mean_travel_time_s"], 750.0);
    EXPECT_EQ(j["vehicle_km"], 30.0);
    EXPECT_EQ(j.size(), 7u);

    std::vector<TripInfo> odd(3);
    odd[0].arrival_s = odd[1].arrival_s = odd[2].arrival_s = 1;
    odd[0].duration_s = 50, odd[1].duration_s = 10, odd[2].duration_s = 20;
    EXPECT_DOUBLE_EQ(summarize_trips(odd).median_travel_time_s, 20);
    const TripSummary none = summarize_trips({});
    EXPECT_EQ(none.vehicles, 0u);
    EXPECT_EQ(none.mean_travel_time_s, 0);
}

// A network without heights: SUMO writes no z, and the import puts those vehicles on the
// ground grid given (bilinear between cell centres, clamped at its edge); a z given stays.
TEST(TrafficSumoXml, ImportPutsVehiclesWithoutHeightsOnTheGround) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    SumoImportOptions o;
    o.net =
        write_file(d / "town.net.xml", "<net>\n<location netOffset=\"-630000.00,-5497000.00\"/>\n</net>\n");
    o.fcd = write_file(d / "fcd.xml", R"(<fcd-export>
    <timestep time="0.00">
        <vehicle id="middle" x="1000.00" y="1000.00" angle="0.00" speed="0.00"/>
        <vehicle id="south" x="750.00" y="200.00" angle="0.00" speed="0.00"/>
        <vehicle id="off_grid" x="-5000.00" y="9000.00" angle="0.00" speed="0.00"/>
        <vehicle id="bridge" x="1000.00" y="1000.00" z="312.50" angle="0.00" speed="0.00"/>
    </timestep>
</fcd-export>
)");
    // 2 x 2 cells of 1 km from (630000, 5497000); the northern row first.
    o.ground = write_file(
        d / "dem.asc",
        "ncols 2\nnrows 2\nxllcorner 630000\nyllcorner 5497000\ncellsize 1000\n310 330\n290 310\n");
    auto heights = [&](const std::string& out) {
        o.out = (d / out).string();
        import_sumo_run(o);
        TrajectoryReader r = TrajectoryReader::open(o.out + "/trajectories.zwt");
        std::map<std::string, double> z;
        for (const VehicleState& s : r.state_at(0))
            z[r.vehicles()[s.vehicle].id] = s.position.z + r.origin().z;
        return z;
    };
    const std::map<std::string, double> on_ground = heights("grounded");
    EXPECT_NEAR(on_ground.at("middle"), 310, 0.005);    // between the four centres
    EXPECT_NEAR(on_ground.at("south"), 295, 0.005);     // a quarter east, south of the centres
    EXPECT_NEAR(on_ground.at("off_grid"), 310, 0.005);  // clamped: the north-west cell
    EXPECT_NEAR(on_ground.at("bridge"), 312.5, 0.005);  // its own z
    o.ground.clear();
    const std::map<std::string, double> flat = heights("flat");
    EXPECT_NEAR(flat.at("middle"), 0, 0.005);
    EXPECT_NEAR(flat.at("bridge"), 312.5, 0.005);
    o.ground = (d / "missing.asc").string();
    o.out = (d / "never").string();
    EXPECT_NE(error_of([&] { import_sumo_run(o); }).find("missing.asc"), std::string::npos);
    EXPECT_FALSE(fs::exists(d / "never"));
}

TEST(TrafficSumoXml, SumoTimesAndNetOffset) {
    double t = 0;
    EXPECT_TRUE(parse_sumo_time("3600.50", t));
    EXPECT_EQ(t, 3600.5);
    EXPECT_TRUE(parse_sumo_time("-1", t));
    EXPECT_EQ(t, -1);
    EXPECT_TRUE(parse_sumo_time("06:00:01.5", t));
    EXPECT_EQ(t, 21601.5);
    EXPECT_TRUE(parse_sumo_time("1:00:00:00", t));
    EXPECT_EQ(t, 86400);
    for (const char* bad : {"", "abc", "1::2", "1:2:3:4:5", "nan", "inf", "1:-2", "12s"})
        EXPECT_FALSE(parse_sumo_time(bad, t)) << bad;

    zw::test::TempDir dir;
    const std::string net = write_file(dir.path() / "town.net.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<net version="1.9" junctionCornerDetail="5" limitTurnSpeed="5.50">
    <location netOffset="-629500.00,-5496800.00" convBoundary="0.00,0.00,4000.00,4000.00" origBoundary="629500,5496800,633500,5500800" projParameter="+proj=utm +zone=32 +ellps=GRS80 +units=m +no_defs"/>
    <edge id=":j1_0" function="internal"/>
)");  // cut off after the location: only the start is read
    const glm::dvec2 offset = read_net_offset(net);
    EXPECT_EQ(offset.x, -629500);
    EXPECT_EQ(offset.y, -5496800);
    const std::string none = write_file(dir.path() / "none.net.xml", "<net>\n<edge id=\"a\"/>\n</net>\n");
    EXPECT_NE(error_of([&] { read_net_offset(none); }).find("no <location> before its <edge>"),
              std::string::npos);
}

TEST(TrafficEdgeMeasures, TablesAndJsonRoundTrip) {
    std::vector<EdgeInterval> iv(2);
    iv[0].id = iv[1].id = "traffic";
    iv[0].begin_s = 0, iv[0].end_s = 300, iv[1].begin_s = 300, iv[1].end_s = 600;
    EdgeMeasure a;
    a.edge = "b_street", a.sampled_s = 100, a.speed_ms = 12.346, a.flow_vph = 240, a.density_veh_km = 3.3,
    a.waiting_s = 7;
    EdgeMeasure b;
    b.edge = "a_road", b.sampled_s = 0;  // nobody on it
    iv[0].edges = {a, b};
    a.speed_ms = 5;
    iv[1].edges = {a};
    const EdgeMeasures m = edge_measures(iv);
    ASSERT_EQ(m.edges, (std::vector<std::string>{"a_road", "b_street"}));
    EXPECT_EQ(m.begin_s, (std::vector<double>{0, 300}));
    EXPECT_DOUBLE_EQ(m.speed_ms[m.at(0, 1)], 12.35);  // rounded to 0.01
    EXPECT_TRUE(std::isnan(m.speed_ms[m.at(0, 0)]));
    EXPECT_TRUE(std::isnan(m.speed_ms[m.at(1, 0)]));  // not reported in interval 1
    EXPECT_EQ(m.flow_vph[m.at(1, 0)], 0);
    EXPECT_EQ(m.flow_vph[m.at(1, 1)], 240);

    zw::test::TempDir dir;
    const std::string path = (dir.path() / "edge_measures.json").string();
    write_edge_measures(path, m);
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    const EdgeMeasures back = read_edge_measures(path);
    EXPECT_EQ(back.edges, m.edges);
    EXPECT_EQ(back.end_s, m.end_s);
    EXPECT_EQ(back.flow_vph, m.flow_vph);
    EXPECT_EQ(back.waiting_s, m.waiting_s);
    EXPECT_EQ(back.density_veh_km, m.density_veh_km);
    EXPECT_DOUBLE_EQ(back.speed_ms[back.at(1, 1)], 5);
    EXPECT_TRUE(std::isnan(back.speed_ms[back.at(0, 0)]));

    iv[1].id = "other";
    EXPECT_NE(error_of([&] { edge_measures(iv); }).find("name the one"), std::string::npos);
    EXPECT_EQ(edge_measures(iv, "other").begin_s, (std::vector<double>{300}));

    const std::string bad = write_file(
        dir.path() / "bad.json",
        R"({"format": "zwilling-edge-measures", "format_version": 1, "edges": ["a"], "intervals": [{"begin_s": 0, "end_s": 60}],
            "flow_vph": [[null]], "speed_ms": [[1]], "density_veh_km": [[0]], "waiting_s": [[0]]})");
    EXPECT_NE(error_of([&] { read_edge_measures(bad); }).find("flow_vph[0][0] must be a number"),
              std::string::npos);
    const std::string shape = write_file(
        dir.path() / "shape.json",
        R"({"format": "zwilling-edge-measures", "format_version": 1, "edges": ["a", "b"], "intervals": [],
            "flow_vph": [[1]], "speed_ms": [], "density_veh_km": [], "waiting_s": []})");
    EXPECT_NE(error_of([&] { read_edge_measures(shape); }).find("one row per interval"), std::string::npos);
    EXPECT_NE(error_of([&] {
                  read_edge_measures(write_file(
                      dir.path() / "v.json", R"({"format": "zwilling-edge-measures", "format_version": 2})"));
              }).find("format_version"),
              std::string::npos);
}

}  // namespace
