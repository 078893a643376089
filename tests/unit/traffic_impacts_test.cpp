// The traffic panel's comparison (engine/scenario/traffic/impacts.h): districts of the
// trips' origins, overall figures, the most affected roads, the buildings the fire brigade
// no longer reaches in time, and the CSV.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/core/error.h"
#include "engine/scenario/traffic/impacts.h"
#include "tests/unit/csv_parse.h"
#include "tests/unit/traffic_test_net.h"

namespace zw::scenario::traffic {
namespace {

using nlohmann::json;

TripInfo trip(const std::string& id, const std::string& lane, double duration, double loss,
              bool arrived = true) {
    TripInfo t;
    t.id = id;
    t.depart_lane = lane;
    t.duration_s = duration;
    t.time_loss_s = loss;
    t.arrival_s = arrived ? 100 : -1;
    return t;
}

TEST(TrafficImpacts, DistrictOfPrefersTheNearestRelativeToTheRadius) {
    const std::vector<District> d = {{"Town", {0, 0}, 1000}, {"Village", {1200, 0}, 300}};
    EXPECT_EQ(district_of({0, 0}, d), 0);
    EXPECT_EQ(district_of({1000, 0}, d), 1);  // 1.0 of the town's radius, 0.67 of the village's
    EXPECT_EQ(district_of({1490, 0}, d), 1);
    EXPECT_EQ(district_of({1600, 0}, d), -1);
    EXPECT_EQ(district_of({0, 0}, {}), -1);
}

TEST(TrafficImpacts, DistrictFiguresByDepartLane) {
    test::NetBuilder b;
    b.junction("a", 0, 0);
    b.junction("b", 100, 0);
    b.junction("c", 5000, 0);
    b.junction("d", 5100, 0);
    b.edge("in_town", "a", "b", 13.9);
    b.edge("far", "c", "d", 13.9);
    const Network net = b.done();
    const std::vector<District> d = {{"Town", {50, 0}, 500}};
    const std::vector<TripInfo> trips = {trip("1", "in_town_0", 600, 120), trip("2", "in_town_0", 300, 60),
                                         trip("3", "in_town_0", 0, 0, false), trip("4", "far_0", 900, 3600),
                                         trip("5", "nowhere_0", 100, 0)};
    const std::vector<DistrictFigures> f = district_figures(trips, net, d);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].name, "Town");
    EXPECT_FALSE(f[0].outside);
    EXPECT_EQ(f[0].trips, 3u);
    EXPECT_EQ(f[0].arrived, 2u);
    EXPECT_DOUBLE_EQ(f[0].mean_travel_time_s, 450);
    EXPECT_DOUBLE_EQ(f[0].time_loss_vh, 180.0 / 3600.0);
    EXPECT_TRUE(f[1].outside);
    EXPECT_EQ(f[1].trips, 2u);  // the far one and the unknown lane
    EXPECT_DOUBLE_EQ(f[1].time_loss_vh, 1.0);

    // Through districts.json and back.
    const json j = districts_json(d, f);
    EXPECT_EQ(j["districts"][0]["name"], "Town");
    EXPECT_EQ(j["districts"][0]["radius_m"], 500);
    const std::vector<DistrictFigures> back = parse_districts(j);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].name, "Town");
    EXPECT_EQ(back[0].trips, 3u);
    EXPECT_DOUBLE_EQ(back[0].mean_travel_time_s, 450);
    EXPECT_TRUE(back[1].outside);
    EXPECT_THROW(parse_districts(json{{"format", "other"}}), zw::Error);
    EXPECT_THROW(parse_districts(json{{"format", "zwilling-traffic-districts"}, {"format_version", 2}}),
                 zw::Error);
}

TEST(TrafficImpacts, DistrictRowsMatchByNameOutsideLast) {
    DistrictFigures town{"Town"}, village{"Village"}, other{"Other"}, out;
    out.outside = true;
    town.trips = 10;
    village.trips = 4;
    other.trips = 2;
    out.trips = 7;
    DistrictFigures town_b = town, out_b = out;
    town_b.trips = 12;
    out_b.trips = 9;
    const std::vector<DistrictFigures> a = {town, village, out}, b = {out_b, other, town_b};
    const std::vector<DistrictRow> rows = district_rows(a, &b);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].name, "Town");
    EXPECT_EQ(rows[0].b->trips, 12u);
    EXPECT_EQ(rows[1].name, "Village");
    EXPECT_EQ(rows[1].b->trips, 0u);  // B lacks it
    EXPECT_EQ(rows[2].name, "Other");
    EXPECT_EQ(rows[2].a.trips, 0u);
    EXPECT_TRUE(rows[3].outside);
    EXPECT_EQ(rows[3].a.trips, 7u);
    EXPECT_EQ(rows[3].b->trips, 9u);
    const std::vector<DistrictRow> alone = district_rows(a, nullptr);
    ASSERT_EQ(alone.size(), 3u);
    EXPECT_FALSE(alone[0].b);
}

TEST(TrafficImpacts, OverallRows) {
    TripSummary a, b;
    a.mean_travel_time_s = 400;
    a.time_loss_vh = 10;
    a.vehicle_km = 1000;
    a.arrived = 90;
    b.mean_travel_time_s = 460;
    b.arrived = 85;
    const auto rows = overall_rows(a, 2, &b, 5);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[0].what, OverallRow::What::mean_travel_time_s);
    EXPECT_EQ(rows[0].a, 400);
    EXPECT_EQ(*rows[0].b, 460);
    EXPECT_EQ(rows[3].a, 90);
    EXPECT_EQ(*rows[4].b, 5);
    const auto alone = overall_rows(a, std::nullopt, nullptr, std::nullopt);
    EXPECT_FALSE(alone[0].b);
    EXPECT_EQ(alone[4].a, 0);
}

EdgeMeasures measures(std::vector<std::string> edges, std::vector<double> flow, std::vector<double> speed) {
    EdgeMeasures m;
    m.edges = std::move(edges);
    const size_t n = flow.size() / m.edges.size();
    for (size_t i = 0; i < n; ++i) {
        m.begin_s.push_back(21600 + 900.0 * double(i));
        m.end_s.push_back(21600 + 900.0 * double(i + 1));
    }
    m.flow_vph = flow;
    m.speed_ms = speed;
    m.density_veh_km.assign(flow.size(), 0);
    for (size_t k = 0; k < flow.size(); ++k)
        m.density_veh_km[k] = flow[k] > 0 ? flow[k] / 100 : 0;
    m.waiting_s.assign(flow.size(), 0);
    return m;
}

TEST(TrafficImpacts, RoadLoadWeighsIntervals) {
    const double none = std::numeric_limits<double>::quiet_NaN();
    // Two intervals: 400 veh/h at 10 m/s (density 4), then 100 veh/h at 5 m/s (density 1).
    const EdgeMeasures m = measures({"e"}, {400, 100}, {10, 5});
    const RoadLoad l = road_load(m, 0);
    EXPECT_DOUBLE_EQ(l.flow_vph, 250);
    EXPECT_DOUBLE_EQ(l.speed_ms, (4 * 10 + 1 * 5) / 5.0);
    const EdgeMeasures empty = measures({"e"}, {0, 0}, {none, none});
    EXPECT_TRUE(std::isnan(road_load(empty, 0).speed_ms));
}

TEST(TrafficImpacts, MostAffectedRoadsByFlowIncrease) {
    const double none = std::numeric_limits<double>::quiet_NaN();
    const EdgeMeasures a =
        measures({":j_0", "main", "side1", "side2", "side3"}, {900, 800, 50, 40, 10}, {5, 13, 8, 8, 8});
    const EdgeMeasures b = measures({":j_0", "main", "new", "side1", "side2", "side3"},
                                    {900, 0, 30, 450, 240, 10}, {5, none, 9, 6, 7, 8});
    const std::vector<RoadChange> r = most_affected_roads(a, &b, 2);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].edge, "side1");
    EXPECT_DOUBLE_EQ(r[0].flow_change_vph(), 400);
    EXPECT_EQ(r[1].edge, "side2");
    const std::vector<RoadChange> all = most_affected_roads(a, &b, 10);
    ASSERT_EQ(all.size(), 3u);  // side1, side2, new; not the closed main road, not the junction
    EXPECT_EQ(all[2].edge, "new");
    EXPECT_EQ(all[2].flow_a_vph, 0);
    EXPECT_TRUE(std::isnan(all[2].speed_a_ms));
    // A alone: the busiest.
    const std::vector<RoadChange> busiest = most_affected_roads(a, nullptr, 2);
    ASSERT_EQ(busiest.size(), 2u);
    EXPECT_EQ(busiest[0].edge, "main");
    EXPECT_FALSE(busiest[0].flow_b_vph);
}

TEST(TrafficImpacts, RoadLabelsAndMiddles) {
    test::NetBuilder b;
    b.junction("a", 0, 0);
    b.junction("b", 100, 0);
    b.edge("e1", "a", "b", 13.9).name = "Hauptstraße";
    b.edge("e2", "b", "a", 13.9);
    const Network net = b.done();
    EXPECT_EQ(road_label(&net, "e1"), "Hauptstraße (e1)");
    EXPECT_EQ(road_label(&net, "e2"), "e2");
    EXPECT_EQ(road_label(&net, "zz"), "zz");
    EXPECT_EQ(road_label(nullptr, "e1"), "e1");
    const auto m = edge_middle(net, "e1");
    ASSERT_TRUE(m);
    EXPECT_NEAR(m->x, 50, 1e-9);
    EXPECT_FALSE(edge_middle(net, "zz"));
}

TEST(TrafficImpacts, NetworkSeriesCountsVehiclesOnTheRoad) {
    test::NetBuilder b;
    b.junction("a", 0, 0);
    b.junction("b", 500, 0);
    b.edge("e1", "a", "b", 13.9);
    b.edge("e2", "b", "a", 13.9);
    const Network net = b.done();
    // Densities flow / 100: e1 4 and 1 veh/km, e2 2 and 0 veh/km, over 0.5 km each.
    const double none = std::numeric_limits<double>::quiet_NaN();
    const EdgeMeasures m =
        measures({"e1", "e2", "gone"}, {400, 200, 900, 100, 0, 900}, {10, 5, 1, 5, none, 1});
    const NetworkSeries s = network_series(m, net);
    ASSERT_EQ(s.vehicles.size(), 2u);
    EXPECT_FLOAT_EQ(s.vehicles[0], 3.0f);
    EXPECT_FLOAT_EQ(s.speed_kmh[0], float((2 * 10 + 1 * 5) / 3.0 * 3.6));
    EXPECT_FLOAT_EQ(s.vehicles[1], 0.5f);
    EXPECT_FLOAT_EQ(series_at(s, s.vehicles, 21600 + 1000), 0.5f);
    EXPECT_TRUE(std::isnan(series_at(s, s.vehicles, 0)));
}

TEST(TrafficImpacts, BuildingsNoLongerInTime) {
    const json a = json::parse(R"({"target_s": 600, "buildings": {"columns": ["id", "open_s", "worst_s",
        "easting", "northing"], "rows": [["b1", 300, 300, 10, 20], ["b2", 500, 700, 0, 0],
        ["b3", 550, 550, 1, 1], ["b4", 800, null, 2, 2]]}})");
    const json b = json::parse(R"({"buildings": {"columns": ["id", "open_s", "worst_s"],
        "rows": [["b1", 300, null], ["b2", 500, 500], ["b3", 550, 650], ["b4", 800, 800]]}})");
    const std::vector<BuildingReach> ra = parse_building_reach(a), rb = parse_building_reach(b);
    ASSERT_EQ(ra.size(), 4u);
    EXPECT_EQ(*ra[0].position, glm::dvec2(10, 20));
    EXPECT_FALSE(ra[3].worst_s);
    EXPECT_FALSE(rb[0].position);
    const std::vector<LostBuilding> lost = no_longer_in_time(ra, &rb, 600);
    ASSERT_EQ(lost.size(), 2u);
    EXPECT_EQ(lost[0].id, "b1");
    EXPECT_FALSE(lost[0].b_s);  // unreachable in B
    EXPECT_EQ(*lost[0].position, glm::dvec2(10, 20));
    EXPECT_EQ(lost[1].id, "b3");
    // A alone: in time on the open network, not at A's worst moment.
    const std::vector<LostBuilding> alone = no_longer_in_time(ra, nullptr, 600);
    ASSERT_EQ(alone.size(), 1u);
    EXPECT_EQ(alone[0].id, "b2");
    // The citizens' twin: counts only.
    EXPECT_TRUE(parse_building_reach(json::parse(R"({"open": {"in_time": 3}})")).empty());
    EXPECT_THROW(parse_building_reach(json::parse(R"({"buildings": {"columns": ["id"], "rows": [[1, 2]]}})")),
                 zw::Error);
}

TEST(TrafficImpacts, CsvHeaderValuesAndEscaping) {
    EXPECT_EQ(csv_field("plain"), "plain");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");

    ImpactsReport r;
    r.a_id = "traffic-baseline";
    r.b_id = "traffic-hauptstrasse";
    TripSummary a, b;
    a.mean_travel_time_s = 400;
    a.arrived = 90;
    b.mean_travel_time_s = 460.3;
    b.arrived = 85;
    r.overall = overall_rows(a, 0, &b, 3);
    DistrictFigures d{"Ebersbach, Ost"};
    d.trips = 10;
    DistrictFigures db = d;
    db.trips = 12;
    const std::vector<DistrictFigures> da = {d}, dbs = {db};
    r.districts = district_rows(da, &dbs);
    RoadChange c;
    c.edge = "e1";
    c.flow_a_vph = 100;
    c.speed_a_ms = 10;
    c.flow_b_vph = 250;
    c.speed_b_ms = 5;
    r.roads = {c};
    r.road_names = {"Schulstraße \"alt\""};
    r.emergency_a = {{100, 2, 0}};
    r.emergency_b = {{95, 5, 2}};
    r.lost = {{"b7", 580.0, std::nullopt, std::nullopt}};
    const std::string csv = impacts_csv(r);
    const std::string expected =
        "section,id,name,measure,unit,a,b,change\n"
        "overall,,,mean_travel_time,s,400.0,460.3,60.3\n"
        "overall,,,time_loss,veh-h,0.00,0.00,0.00\n"
        "overall,,,vehicle_distance,km,0.0,0.0,0.0\n"
        "overall,,,arrived,vehicles,90,85,-5\n"
        "overall,,,not_started,vehicles,0,3,3\n"
        "district,,\"Ebersbach, Ost\",trips,vehicles,10,12,2\n"
        "district,,\"Ebersbach, Ost\",mean_travel_time,s,0.0,0.0,0.0\n"
        "district,,\"Ebersbach, Ost\",time_loss,veh-h,0.00,0.00,0.00\n"
        "road,e1,\"Schulstraße \"\"alt\"\"\",flow,veh/h,100.0,250.0,150.0\n"
        "road,e1,\"Schulstraße \"\"alt\"\"\",speed,km/h,36.0,18.0,-18.0\n"
        "emergency,,,in_time,buildings,100,95,-5\n"
        "emergency,,,late,buildings,2,5,3\n"
        "emergency,,,unreachable,buildings,0,2,2\n"
        "emergency_lost,b7,,response_time,s,580,,\n";
    EXPECT_EQ(csv, expected);

    // For German spreadsheets: BOM, ';', decimal comma, German header and words; the same
    // values as the English file, read back as a spreadsheet would.
    const std::string de = impacts_csv(r, core::CsvDialect{core::NumberStyle::de});
    EXPECT_EQ(de.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(de.find("Abschnitt;ID;Name;Größe;Einheit;A;B;Änderung\n"), std::string::npos);
    EXPECT_NE(de.find("Gesamt;;;mittlere Reisezeit;s;400,0;460,3;60,3\n"), std::string::npos);
    EXPECT_NE(de.find("Ortsteil;;Ebersbach, Ost;Fahrten;Fahrzeuge;10;12;2\n"), std::string::npos);
    const test::ParsedCsv pd = test::parse_csv(de, ';'), pe = test::parse_csv(csv, ',');
    EXPECT_TRUE(pd.bom);
    EXPECT_EQ(pd.rows.size(), 15u);
    EXPECT_EQ(test::compare_csv_values(pd, pe,
                                       {{"overall", "Gesamt"},
                                        {"district", "Ortsteil"},
                                        {"road", "Straße"},
                                        {"emergency", "Feuerwehr"},
                                        {"emergency_lost", "Feuerwehr verloren"},
                                        {"mean_travel_time", "mittlere Reisezeit"},
                                        {"time_loss", "Verlustzeit"},
                                        {"vehicle_distance", "Fahrleistung"},
                                        {"arrived", "angekommen"},
                                        {"not_started", "nicht gestartet"},
                                        {"trips", "Fahrten"},
                                        {"flow", "Verkehrsstärke"},
                                        {"speed", "Geschwindigkeit"},
                                        {"in_time", "rechtzeitig"},
                                        {"late", "zu spät"},
                                        {"unreachable", "nicht erreichbar"},
                                        {"response_time", "Anfahrtszeit"},
                                        {"veh-h", "Fz-h"},
                                        {"vehicles", "Fahrzeuge"},
                                        {"veh/h", "Fz/h"},
                                        {"buildings", "Gebäude"}}),
              "");
}

TEST(TrafficImpacts, CsvWithoutBLeavesBAndChangeEmpty) {
    ImpactsReport r;
    r.a_id = "traffic-baseline";
    TripSummary a;
    a.mean_travel_time_s = 400;
    r.overall = overall_rows(a, std::nullopt, nullptr, std::nullopt);
    RoadChange c;
    c.edge = "e1";
    c.flow_a_vph = 100;
    c.speed_a_ms = std::numeric_limits<double>::quiet_NaN();
    r.roads = {c};
    const std::string csv = impacts_csv(r);
    EXPECT_NE(csv.find("overall,,,mean_travel_time,s,400.0,,\n"), std::string::npos);
    EXPECT_NE(csv.find("road,e1,,speed,km/h,,,\n"), std::string::npos);
    EXPECT_EQ(csv.find("emergency"), std::string::npos);
}

}  // namespace
}  // namespace zw::scenario::traffic
