// The traffic's roads as the viewer shows them (app/viewer/traffic_roads_model.h): the
// level of service, the colours of each mode and of roads without data or closed, the
// interval that holds the shown time, ribbons that lie on the lanes, and barriers at the
// ends of closed roads only while they are closed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "app/viewer/traffic_roads_model.h"
#include "tests/unit/traffic_test_net.h"

namespace zw {
namespace {

using scenario::traffic::Closure;
using scenario::traffic::EdgeMeasures;
using viewer::EdgeLook;
using viewer::Los;
using viewer::RoadMode;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double kmh = 1.0 / 3.6;

// Closer than this (m) counts as the same place: far below what a pixel shows.
constexpr double tolerance_m = 0.01;

TEST(TrafficRoads, ModesByTheirOptionNames) {
    for (RoadMode m : {RoadMode::off, RoadMode::speed, RoadMode::flow, RoadMode::los})
        EXPECT_EQ(viewer::road_mode_from(viewer::road_mode_name(m)), m);
    EXPECT_FALSE(viewer::road_mode_from("LOS"));
    EXPECT_FALSE(viewer::road_mode_from(""));
}

TEST(TrafficRoads, LevelOfServiceByTheMeanSpeedsShareOfTheLimit) {
    const double limit = 50 * kmh;
    auto los = [&](double share) { return viewer::level_of_service(share * limit, limit); };
    EXPECT_EQ(los(1.1), Los::A) << "faster than the limit is free flow";
    EXPECT_EQ(los(0.9), Los::A);
    EXPECT_EQ(los(0.85), Los::B) << "A needs more than 85 %";
    EXPECT_EQ(los(0.7), Los::B);
    EXPECT_EQ(los(0.67), Los::C);
    EXPECT_EQ(los(0.6), Los::C);
    EXPECT_EQ(los(0.5), Los::D);
    EXPECT_EQ(los(0.45), Los::D);
    EXPECT_EQ(los(0.4), Los::E);
    EXPECT_EQ(los(0.31), Los::E);
    EXPECT_EQ(los(0.3), Los::F);
    EXPECT_EQ(los(0.0), Los::F) << "a standing queue";
    EXPECT_FALSE(viewer::level_of_service(nan, limit)) << "no vehicle on the edge: no level";
    EXPECT_FALSE(viewer::level_of_service(5, 0)) << "no speed limit known: no level";
    EXPECT_EQ(viewer::los_letter(Los::A), 'A');
    EXPECT_EQ(viewer::los_letter(Los::F), 'F');
}

TEST(TrafficRoads, RampColoursAtAndBetweenTheLegendsValues) {
    for (RoadMode m : {RoadMode::speed, RoadMode::flow, RoadMode::los}) {
        const auto ramp = viewer::road_ramp(m);
        ASSERT_GE(ramp.size(), 2u);
        for (size_t i = 0; i < ramp.size(); ++i) {
            EXPECT_EQ(viewer::ramp_color(ramp, ramp[i].value), ramp[i].srgb) << "the legend's stop " << i;
            if (i > 0) {
                EXPECT_LT(ramp[i - 1].value, ramp[i].value) << "ascending";
            }
        }
        EXPECT_EQ(viewer::ramp_color(ramp, ramp.front().value - 100), ramp.front().srgb);
        EXPECT_EQ(viewer::ramp_color(ramp, ramp.back().value * 10), ramp.back().srgb);
        EXPECT_EQ(viewer::ramp_color(ramp, nan), viewer::no_data_srgb);
    }
    // Speed: half way between 20 and 30 km/h is half way between their colours.
    const auto speed = viewer::road_ramp(RoadMode::speed);
    const glm::vec3 mid = viewer::ramp_color(speed, 25);
    const glm::vec3 want = (viewer::ramp_color(speed, 20) + viewer::ramp_color(speed, 30)) * 0.5f;
    EXPECT_NEAR(mid.r, want.r, 1e-5);
    EXPECT_NEAR(mid.g, want.g, 1e-5);
    EXPECT_NEAR(mid.b, want.b, 1e-5);
    // LOS: one colour a level, all six different, and none is the grey of no data or the red
    // of a closed road.
    const auto los = viewer::road_ramp(RoadMode::los);
    ASSERT_EQ(los.size(), viewer::los_count);
    for (size_t i = 0; i < los.size(); ++i) {
        EXPECT_EQ(los[i].value, double(i));
        EXPECT_NE(los[i].srgb, viewer::no_data_srgb);
        EXPECT_NE(los[i].srgb, viewer::closed_srgb);
        for (size_t j = 0; j < i; ++j)
            EXPECT_NE(los[i].srgb, los[j].srgb);
    }
    EXPECT_TRUE(viewer::road_ramp(RoadMode::off).empty());
}

TEST(TrafficRoads, TheIntervalHoldingTheShownTime) {
    const std::vector<double> begin = {21600, 21900}, end = {21900, 22200};
    EXPECT_FALSE(viewer::interval_at(begin, end, 21599.9)) << "before the first interval";
    EXPECT_EQ(viewer::interval_at(begin, end, 21600), 0u);
    EXPECT_EQ(viewer::interval_at(begin, end, 21899.99), 0u);
    EXPECT_EQ(viewer::interval_at(begin, end, 21900), 1u) << "a boundary belongs to the interval it begins";
    EXPECT_EQ(viewer::interval_at(begin, end, 22200), 1u) << "the run's last moment shows the last interval";
    EXPECT_FALSE(viewer::interval_at(begin, end, 22200.5)) << "after the last interval";
    const std::vector<double> gap_begin = {0, 20}, gap_end = {10, 30};
    EXPECT_FALSE(viewer::interval_at(gap_begin, gap_end, 15)) << "in a gap";
    EXPECT_FALSE(viewer::interval_at(gap_begin, gap_end, 10))
        << "the end of an interval that is not the last";
    EXPECT_EQ(viewer::interval_at(gap_begin, gap_end, 30), 1u);
    EXPECT_FALSE(viewer::interval_at({}, {}, 0));
}

// Four junctions in a row 200 m apart (A, B, C, D), two-way roads AB, BC and CD at
// 50 km/h, and a side road BN north from B.
scenario::traffic::Network row_net() {
    test::NetBuilder b;
    b.junction("A", 0, 0);
    b.junction("B", 200, 0);
    b.junction("C", 400, 0);
    b.junction("D", 600, 0);
    b.junction("N", 200, 200);
    b.road("AB", "A", "B", 50 * kmh);
    b.road("BC", "B", "C", 50 * kmh);
    b.road("CD", "C", "D", 50 * kmh);
    b.road("BN", "B", "N", 30 * kmh);
    scenario::traffic::Edge internal;
    internal.id = ":B_0";
    internal.function = "internal";
    scenario::traffic::Lane lane;
    lane.id = ":B_0_0";
    lane.shape = {{198, -1.6, 0}, {202, -1.6, 0}};
    internal.lanes.push_back(lane);
    b.net.edges.push_back(internal);
    return b.done();
}

TEST(TrafficRoads, NetworkInTheBundlesFrameWithoutInternalEdges) {
    const glm::dvec3 origin(100, 50, 300);
    const viewer::RoadNetwork net = viewer::road_network(row_net(), origin);
    ASSERT_EQ(net.edges.size(), 8u) << "four two-way roads; the junction's inside left out";
    EXPECT_FALSE(net.index.contains(":B_0"));
    const viewer::RoadEdge& bc = net.edges[net.index.at("BC")];
    EXPECT_EQ(bc.from, "B");
    EXPECT_EQ(bc.to, "C");
    EXPECT_NEAR(bc.speed_limit_ms, 50 * kmh, 1e-12);
    ASSERT_EQ(bc.lanes.size(), 1u);
    EXPECT_EQ(bc.lanes[0].shape.front(), glm::dvec3(200 - 100, -1.6 - 50, -300));
}

// Measures of one interval for some of the row's edges.
EdgeMeasures row_measures() {
    EdgeMeasures m;
    m.edges = {"-BC", "AB", "BC", "BN"};  // ascending, as the file holds them
    m.begin_s = {21600};
    m.end_s = {22500};
    m.flow_vph = {0, 400, 650, 90};
    m.speed_ms = {nan, 45 * kmh, 12 * kmh, 28 * kmh};  // -BC: no vehicle in the interval
    m.density_veh_km = {0, 5, 40, 2};
    m.waiting_s = {0, 0, 300, 0};
    return m;
}

TEST(TrafficRoads, EachEdgeInItsModesColourGreyWithoutDataRedWhenClosed) {
    const viewer::RoadNetwork net = viewer::road_network(row_net(), glm::dvec3(0.0));
    const EdgeMeasures m = row_measures();
    const std::vector<int32_t> columns = viewer::measure_columns(net, m);
    auto at = [&](const std::vector<EdgeLook>& looks, const char* id) { return looks[net.index.at(id)]; };
    EXPECT_EQ(columns[net.index.at("BC")], 2);
    EXPECT_EQ(columns[net.index.at("CD")], -1) << "not in the measures";
    const std::vector<uint8_t> open(net.edges.size(), 0);

    const auto speed = viewer::road_looks(net, RoadMode::speed, &m, columns, 0, open);
    EXPECT_EQ(at(speed, "BC").kind, EdgeLook::Kind::value);
    EXPECT_EQ(at(speed, "BC").srgb, viewer::ramp_color(viewer::road_ramp(RoadMode::speed), 12));
    EXPECT_EQ(at(speed, "-BC").kind, EdgeLook::Kind::no_data) << "no vehicle: no speed";
    EXPECT_EQ(at(speed, "-BC").srgb, viewer::no_data_srgb);
    EXPECT_EQ(at(speed, "CD").kind, EdgeLook::Kind::no_data) << "not in the measures";

    const auto flow = viewer::road_looks(net, RoadMode::flow, &m, columns, 0, open);
    EXPECT_EQ(at(flow, "BC").srgb, viewer::ramp_color(viewer::road_ramp(RoadMode::flow), 650));
    EXPECT_EQ(at(flow, "-BC").kind, EdgeLook::Kind::value) << "no vehicle is a flow of 0";
    EXPECT_EQ(at(flow, "-BC").srgb, viewer::road_ramp(RoadMode::flow).front().srgb);

    const auto los = viewer::road_looks(net, RoadMode::los, &m, columns, 0, open);
    const auto ramp = viewer::road_ramp(RoadMode::los);
    EXPECT_EQ(at(los, "AB").srgb, ramp[size_t(Los::A)].srgb) << "45 of 50 km/h";
    EXPECT_EQ(at(los, "BC").srgb, ramp[size_t(Los::F)].srgb) << "12 of 50 km/h";
    EXPECT_EQ(at(los, "BN").srgb, ramp[size_t(Los::A)].srgb) << "28 of BN's own 30 km/h";
    EXPECT_EQ(at(los, "-BC").kind, EdgeLook::Kind::no_data);

    const auto none = viewer::road_looks(net, RoadMode::speed, &m, columns, std::nullopt, open);
    EXPECT_TRUE(std::all_of(none.begin(), none.end(), [](const EdgeLook& l) {
        return l.kind == EdgeLook::Kind::no_data;
    })) << "no interval holds the time: every road grey";
    const auto missing = viewer::road_looks(net, RoadMode::los, nullptr, {}, 0, open);
    EXPECT_TRUE(std::all_of(missing.begin(), missing.end(), [](const EdgeLook& l) {
        return l.kind == EdgeLook::Kind::no_data;
    })) << "no edge_measures.json: every road grey";

    std::vector<uint8_t> closed(net.edges.size(), 0);
    closed[net.index.at("BC")] = 1;
    for (RoadMode mode : {RoadMode::off, RoadMode::speed, RoadMode::flow, RoadMode::los}) {
        const auto looks = viewer::road_looks(net, mode, &m, columns, 0, closed);
        EXPECT_EQ(at(looks, "BC").kind, EdgeLook::Kind::closed) << viewer::road_mode_name(mode);
        EXPECT_EQ(at(looks, "BC").srgb, viewer::closed_srgb);
        EXPECT_EQ(at(looks, "AB").kind,
                  mode == RoadMode::off ? EdgeLook::Kind::hidden : EdgeLook::Kind::value);
    }
}

// Distance in the plane from p to the line through a and b.
double distance_to_line(const glm::dvec3& a3, const glm::dvec3& b3, glm::dvec2 p) {
    const glm::dvec2 a(a3), d = glm::normalize(glm::dvec2(b3) - a);
    const glm::dvec2 r = p - a;
    return std::abs(r.x * d.y - r.y * d.x);
}

TEST(TrafficRoads, RibbonsLieOnTheLaneShape) {
    // A lane that bends by 30 and then by -50 degrees, climbing 4 m; with a repeated point.
    const std::vector<glm::dvec3> shape = {
        {0, 0, 300}, {100, 0, 302}, {100, 0, 302}, {186.6, 50, 303}, {250, 40, 304}};
    const double width = 2.24;
    const viewer::TrafficFrame flat;  // world = local
    std::vector<render::RoadVertex> out;
    viewer::add_ribbon(out, flat, shape, width, glm::vec3(1, 0, 0), 0);
    ASSERT_EQ(out.size(), 3u * 6u) << "two triangles per segment; the repeated point skipped";
    // Each segment's two triangles lie between the lines half the width left and right of
    // it (the mitred corners on both neighbours' lines).
    const std::vector<glm::dvec3> points = {shape[0], shape[1], shape[3], shape[4]};
    for (size_t seg = 0; seg + 1 < points.size(); ++seg) {
        for (size_t k = 0; k < 6; ++k) {
            const render::RoadVertex& v = out[6 * seg + k];
            EXPECT_NEAR(distance_to_line(points[seg], points[seg + 1], glm::dvec2(v.position)), width / 2,
                        tolerance_m)
                << "segment " << seg << ", vertex " << k;
            EXPECT_EQ(v.normal, glm::vec3(0, 0, 1));
            EXPECT_EQ(v.color.a, 0.0f) << "ribbons are drawn in the legend's colours, not shaded";
        }
    }
    // Each shape point is the middle of its left and right edge, lifted.
    for (size_t i = 0; i < points.size(); ++i) {
        const size_t seg = std::min<size_t>(i, 2);
        const render::RoadVertex& l = out[6 * seg + (i == seg ? 0 : 2)];
        const render::RoadVertex& r = out[6 * seg + (i == seg ? 1 : 5)];
        const glm::dvec3 mid = (glm::dvec3(l.position) + glm::dvec3(r.position)) * 0.5;
        EXPECT_LT(glm::length(mid - (points[i] + glm::dvec3(0, 0, viewer::ribbon_lift_m))), tolerance_m) << i;
    }
    EXPECT_GT(out[0].position.y, 0.0f) << "the first vertex is the left edge (the lane runs east)";
    EXPECT_LT(out[1].position.y, 0.0f);

    // In the sample town's frame the same ribbon lands where the frame puts its points.
    const viewer::TrafficFrame town = viewer::TrafficFrame::at({632000.0, 5497000.0, 0.0}, 47.6);
    std::vector<render::RoadVertex> placed;
    viewer::add_ribbon(placed, town, shape, width, glm::vec3(1, 0, 0), 0);
    ASSERT_EQ(placed.size(), out.size());
    for (size_t k = 0; k < out.size(); ++k) {
        const glm::dvec3 want = town.world(glm::dvec3(out[k].position)) - town.origin_world;
        EXPECT_LT(glm::length(glm::dvec3(placed[k].position) - want), tolerance_m) << k;
    }
}

TEST(TrafficRoads, ClosedRoadsHatchedInTheMesh) {
    const viewer::RoadNetwork net = viewer::road_network(row_net(), glm::dvec3(0.0));
    std::vector<EdgeLook> looks(net.edges.size());
    looks[net.index.at("AB")] = {EdgeLook::Kind::value, {0, 1, 0}};
    looks[net.index.at("BC")] = {EdgeLook::Kind::closed, viewer::closed_srgb};
    const render::RoadMesh mesh = viewer::road_mesh(net, viewer::TrafficFrame{}, looks, {});
    ASSERT_EQ(mesh.ribbons.size(), 12u) << "one straight lane each: two triangles";
    EXPECT_TRUE(mesh.props.empty());
    EXPECT_EQ(mesh.ribbons[0].stripe_period, 0.0f) << "AB (file order first) plain";
    EXPECT_EQ(mesh.ribbons[6].stripe_period, viewer::hatch_period_m) << "BC hatched";
    EXPECT_NE(mesh.ribbons[6].stripe, mesh.ribbons[7].stripe) << "the hatching runs diagonally";
}

// The barriers as (edge id, at start) pairs, sorted.
std::vector<std::pair<std::string, bool>> where(const viewer::RoadNetwork& net,
                                                const std::vector<viewer::RoadBarrier>& barriers) {
    std::vector<std::pair<std::string, bool>> out;
    for (const viewer::RoadBarrier& b : barriers)
        out.push_back({net.edges[b.edge].id, b.at_start});
    std::sort(out.begin(), out.end());
    return out;
}

TEST(TrafficRoads, BarriersAtTheEndsOfAClosedRunOnlyWhileClosed) {
    const viewer::RoadNetwork net = viewer::road_network(row_net(), glm::dvec3(0.0));
    Closure site;
    site.id = "baustelle";
    site.edges = {"BC", "-BC"};
    site.from_s = 100;
    site.to_s = 200;
    const std::vector<Closure> closures = {site};

    for (double t : {50.0, 99.9, 200.0, 300.0}) {
        const std::vector<uint8_t> closed = viewer::closed_edges(net, closures, t);
        EXPECT_EQ(std::count(closed.begin(), closed.end(), uint8_t(1)), 0) << t;
        EXPECT_TRUE(viewer::closure_barriers(net, closed).empty()) << "open at " << t << ": no barrier";
    }
    const std::vector<uint8_t> closed = viewer::closed_edges(net, closures, 150);
    EXPECT_TRUE(closed[net.index.at("BC")] && closed[net.index.at("-BC")]);
    const std::vector<viewer::RoadBarrier> barriers = viewer::closure_barriers(net, closed);
    using Where = std::vector<std::pair<std::string, bool>>;
    EXPECT_EQ(where(net, barriers), (Where{{"-BC", false}, {"-BC", true}, {"BC", false}, {"BC", true}}))
        << "across both directions at both ends";
    for (const viewer::RoadBarrier& b : barriers) {
        const viewer::RoadEdge& e = net.edges[b.edge];
        const std::vector<glm::dvec3>& lane = e.lanes[0].shape;
        const glm::dvec2 dir = glm::normalize(glm::dvec2(lane.back() - lane.front()));
        // On the lane, barrier_inset_m inside the edge from the end it stands at.
        const glm::dvec2 want = b.at_start ? glm::dvec2(lane.front()) + dir * viewer::barrier_inset_m
                                           : glm::dvec2(lane.back()) - dir * viewer::barrier_inset_m;
        EXPECT_LT(glm::length(glm::dvec2(b.centre) - want), tolerance_m) << e.id << " " << b.at_start;
        EXPECT_LT(glm::length(b.along - dir), 1e-9) << "the direction of travel";
        EXPECT_DOUBLE_EQ(b.width_m, 3.2) << "across the edge's lane";
        EXPECT_EQ(b.sign, b.at_start) << "the sign faces the traffic that would enter";
    }
    const render::RoadMesh mesh = viewer::road_mesh(net, viewer::TrafficFrame{}, {}, barriers);
    EXPECT_FALSE(mesh.props.empty());
    EXPECT_EQ(mesh.props.size() % 3, 0u);
    EXPECT_TRUE(std::any_of(mesh.props.begin(), mesh.props.end(), [](const render::RoadVertex& v) {
        return v.stripe_period > 0;
    })) << "red and white boards";

    // Closing CD as well: the run B..D. C, where only closed roads meet, has no barrier;
    // D, a dead end only the closed road reaches, neither.
    Closure more = site;
    more.id = "cd";
    more.edges = {"CD", "-CD"};
    const std::vector<Closure> both = {site, more};
    const auto run = viewer::closure_barriers(net, viewer::closed_edges(net, both, 150));
    EXPECT_EQ(where(net, run), (Where{{"-BC", false}, {"BC", true}}));
}

}  // namespace
}  // namespace zw
