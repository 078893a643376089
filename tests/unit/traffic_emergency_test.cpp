// Emergency access (engine/scenario/traffic/emergency.h): times equal an independent
// all-pairs computation (Floyd-Warshall over the directed edges, written here) on a
// hand-made grid, closures make places slower or unreachable, turn permissions and
// U-turns follow the connections, and a closure schedule finds its worst time.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/scenario/traffic/emergency.h"
#include "engine/scenario/traffic/routing.h"
#include "tests/unit/traffic_test_net.h"

namespace {

using namespace zw::scenario::traffic;
using zw::test::NetBuilder;
using zw::test::on_lane;

constexpr double inf = std::numeric_limits<double>::infinity();

// A 4 x 4 grid, 100 m apart, two-way streets with speeds that differ street by street,
// no connections (so: any turn but no U-turn).
Network grid_network() {
    NetBuilder b;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            b.junction("j" + std::to_string(c) + std::to_string(r), 100.0 * c, 100.0 * r);
    int k = 0;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) {
            const std::string here = "j" + std::to_string(c) + std::to_string(r);
            if (c + 1 < 4) {
                const double v = 5.0 + 2.5 * (k++ % 5);
                b.road("h" + std::to_string(c) + std::to_string(r), here,
                       "j" + std::to_string(c + 1) + std::to_string(r), v);
            }
            if (r + 1 < 4) {
                const double v = 5.0 + 2.5 * (k++ % 5);
                b.road("v" + std::to_string(c) + std::to_string(r), here,
                       "j" + std::to_string(c) + std::to_string(r + 1), v);
            }
        }
    return b.done();
}

// Independent: cost from the start of edge a to the start of edge b (0 for a == b) over
// the directed edges, a -> b where b leaves the junction a enters and does not go back to
// a's start, Floyd-Warshall. Edges in `closed` are removed.
std::vector<std::vector<double>> all_pairs(const Network& net, const std::set<std::string>& closed) {
    const size_t n = net.edges.size();
    std::vector<std::vector<double>> d(n, std::vector<double>(n, inf));
    for (size_t a = 0; a < n; ++a) {
        if (closed.count(net.edges[a].id)) continue;
        d[a][a] = 0;
        const double time = net.edges[a].lanes[0].length / net.edges[a].lanes[0].speed;
        for (size_t b = 0; b < n; ++b)
            if (!closed.count(net.edges[b].id) && net.edges[b].from == net.edges[a].to &&
                net.edges[b].to != net.edges[a].from)
                d[a][b] = std::min(d[a][b], time);
    }
    for (size_t k = 0; k < n; ++k)
        for (size_t i = 0; i < n; ++i)
            for (size_t j = 0; j < n; ++j)
                if (d[i][k] + d[k][j] < d[i][j]) d[i][j] = d[i][k] + d[k][j];
    return d;
}

size_t index_of(const Network& net, const std::string& id) {
    return size_t(net.edge(id) - net.edges.data());
}

double edge_time(const Network& net, size_t e) {
    return net.edges[e].lanes[0].length / net.edges[e].lanes[0].speed;
}

// The expected time from the station (edge s at fs) to a place (edge p at fp).
double expected(const Network& net, const std::vector<std::vector<double>>& d, size_t s, double fs, size_t p,
                double fp, const std::set<std::string>& closed) {
    if (closed.count(net.edges[s].id) || closed.count(net.edges[p].id)) return inf;
    if (p == s && fp >= fs) return (fp - fs) * edge_time(net, s);
    double best = inf;
    for (size_t f = 0; f < net.edges.size(); ++f)
        if (net.edges[f].from == net.edges[s].to && net.edges[f].to != net.edges[s].from &&
            !closed.count(net.edges[f].id))
            best = std::min(best, d[f][p]);
    return best == inf ? inf : (1 - fs) * edge_time(net, s) + best + fp * edge_time(net, p);
}

struct Target {
    std::string edge;
    double fraction;
};

std::vector<Target> grid_targets() {
    return {{"h00", 0.5},  {"-h00", 0.25}, {"h12", 0.8}, {"-v21", 0.1}, {"v32", 0.6}, {"-h23", 0.9},
            {"v10", 0.05}, {"-v02", 0.5},  {"h20", 0.3}, {"-v31", 0.7}, {"h01", 0.1}, {"v11", 0.95}};
}

TEST(EmergencyAccess, EqualsFloydWarshallOnAGrid) {
    const Network net = grid_network();
    const std::vector<Target> targets = grid_targets();
    std::vector<Place> places;
    for (const Target& t : targets)
        places.push_back({t.edge, on_lane(*net.edge(t.edge), t.fraction), 0, Place::Kind::home, 0});
    const glm::dvec2 station = on_lane(*net.edge("h11"), 0.4);

    for (const std::set<std::string>& closed :
         {std::set<std::string>{}, std::set<std::string>{"h21", "-v12", "v20"},
          std::set<std::string>{"-h00", "v01", "-h11"}}) {
        EmergencyOptions o;
        o.target_s = 40;
        const EmergencyRouter router(net, station, places, o);
        ASSERT_EQ(net.edges[router.station_edge()].id, "h11");
        EXPECT_NEAR(router.station_fraction(), 0.4, 1e-9);
        const EmergencyAccess got = router.access(std::vector<std::string>(closed.begin(), closed.end()));
        const auto d = all_pairs(net, closed);
        size_t in_time = 0, late = 0, unreachable = 0;
        for (size_t i = 0; i < targets.size(); ++i) {
            const size_t p = index_of(net, targets[i].edge);
            ASSERT_EQ(got.places[i].edge, p) << targets[i].edge;
            EXPECT_NEAR(got.places[i].fraction, targets[i].fraction, 1e-9);
            const double want = expected(net, d, index_of(net, "h11"), 0.4, p, targets[i].fraction, closed);
            if (want == inf) {
                EXPECT_EQ(got.places[i].time_s, inf) << targets[i].edge;
                ++unreachable;
            } else {
                EXPECT_NEAR(got.places[i].time_s, want, 1e-9) << targets[i].edge;
                ++(want <= 40 ? in_time : late);
            }
            EXPECT_EQ(got.places[i].in_time, want <= 40);
        }
        EXPECT_EQ(got.in_time, in_time);
        EXPECT_EQ(got.late, late);
        EXPECT_EQ(got.unreachable, unreachable);
        EXPECT_EQ(in_time + late + unreachable, targets.size());
    }
}

TEST(EmergencyAccess, HandComputedTimesOnAGrid) {
    const Network net = grid_network();
    // Station at 0.4 of h11 (j11 -> j21, 100 m at 5 + 2.5 * (k % 5) m/s).
    const double t_h11 = edge_time(net, index_of(net, "h11"));
    const double t_h21 = edge_time(net, index_of(net, "h21"));
    std::vector<Place> places{{"ahead", on_lane(*net.edge("h11"), 0.9), 3, Place::Kind::home, 0},
                              {"next", on_lane(*net.edge("h21"), 0.5), 3, Place::Kind::home, 0}};
    const EmergencyAccess a = emergency_access(net, on_lane(*net.edge("h11"), 0.4), places);
    EXPECT_NEAR(a.places[0].time_s, 0.5 * t_h11, 1e-9);
    EXPECT_NEAR(a.places[1].time_s, 0.6 * t_h11 + 0.5 * t_h21, 1e-9);
    EXPECT_EQ(a.in_time, 2u);

    // A turnout time adds to every time and counts against the target.
    EmergencyOptions o;
    o.turnout_s = 300;
    o.target_s = 300 + 0.5 * t_h11;
    const EmergencyAccess b = emergency_access(net, on_lane(*net.edge("h11"), 0.4), places, o);
    EXPECT_NEAR(b.places[0].time_s, 300 + 0.5 * t_h11, 1e-9);
    EXPECT_TRUE(b.places[0].in_time);
    EXPECT_FALSE(b.places[1].in_time);
    EXPECT_EQ(b.in_time, 1u);
    EXPECT_EQ(b.late, 1u);
}

TEST(EmergencyAccess, ClosuresMakePlacesSlowerOrUnreachable) {
    const Network net = grid_network();
    std::vector<Place> places;
    for (const Target& t : grid_targets())
        places.push_back({t.edge, on_lane(*net.edge(t.edge), t.fraction), 0, Place::Kind::home, 0});
    const EmergencyRouter router(net, on_lane(*net.edge("h11"), 0.4), places);
    const EmergencyAccess open = router.access();
    EXPECT_EQ(open.unreachable, 0u);
    // Closing edges never makes a place faster; closing its own edge cuts it off.
    const EmergencyAccess closed = router.access(std::vector<std::string>{"h21", "-v21", "v21", "h12"});
    bool slower = false;
    for (size_t i = 0; i < places.size(); ++i) {
        EXPECT_GE(closed.places[i].time_s, open.places[i].time_s - 1e-9) << places[i].id;
        slower = slower || closed.places[i].time_s > open.places[i].time_s + 1e-9;
    }
    EXPECT_TRUE(slower);
    EXPECT_EQ(closed.places[2].time_s, inf);  // on h12, closed
    EXPECT_EQ(closed.places[3].time_s, inf);  // on -v21, closed
    EXPECT_EQ(closed.unreachable, 2u);
    // Every way into the corner j00 closed: its places are unreachable.
    const EmergencyAccess corner = router.access(std::vector<std::string>{"-h00", "-v00"});
    EXPECT_EQ(corner.places[0].time_s, inf);  // h00 leaves j00
    EXPECT_LT(corner.places[6].time_s, inf);  // v10 leaves j10, which has other ways in
    EXPECT_EQ(corner.unreachable, 2u);        // h00, and -h00 itself closed
    // The station's own edge closed: nothing is reachable.
    EXPECT_EQ(router.access(std::vector<std::string>{"h11"}).unreachable, places.size());
    // An edge the network lacks is named.
    try {
        router.access(std::vector<std::string>{"nope"});
        FAIL() << "no error";
    } catch (const zw::Error& e) {
        EXPECT_NE(std::string(e.what()).find("'nope'"), std::string::npos) << e.what();
    }
}

// A--B--C in a row, D above B, E above C, F above D; every edge 100 m at 10 m/s.
Network turning_network(bool left_turn_at_b, bool into_f) {
    NetBuilder b;
    b.junction("A", 0, 0);
    b.junction("B", 100, 0);
    b.junction("C", 200, 0);
    b.junction("D", 100, 100);
    b.junction("E", 200, 100);
    b.junction("F", 100, 200);
    b.edge("ab", "A", "B", 10);
    b.edge("bc", "B", "C", 10);
    b.edge("bd", "B", "D", 10);
    b.edge("ce", "C", "E", 10);
    b.edge("ed", "E", "D", 10);
    b.edge("df", "D", "F", 10);
    b.connect("ab", "bc");
    if (left_turn_at_b) b.connect("ab", "bd");
    b.connect("bc", "ce");
    b.connect("ce", "ed");
    b.connect("bd", "df");
    if (into_f) b.connect("ed", "df");
    return b.done();
}

TEST(EmergencyAccess, TurnRestrictionsFollowTheConnections) {
    const std::vector<Place> places{{"f", {}, 0, Place::Kind::home, 0}};
    auto time_to_f = [&](const Network& net) {
        std::vector<Place> p = places;
        p[0].position = on_lane(*net.edge("df"), 0.5);
        return emergency_access(net, on_lane(*net.edge("ab"), 0.5), p).places[0].time_s;
    };
    // Left at B: 5 s of ab, 10 s of bd, 5 s of df.
    EXPECT_NEAR(time_to_f(turning_network(true, true)), 20.0, 1e-9);
    // No left turn at B: round by C and E.
    EXPECT_NEAR(time_to_f(turning_network(false, true)), 5.0 + 10 + 10 + 10 + 5, 1e-9);
    // Nor from E onto df: unreachable.
    EXPECT_EQ(time_to_f(turning_network(false, false)), inf);
}

TEST(EmergencyAccess, UTurnsOnlyWhereAConnectionHasOne) {
    auto make = [](bool turnaround) {
        NetBuilder b;
        b.junction("A", 0, 0, "dead_end");
        b.junction("B", 100, 0, "dead_end");
        b.road("ab", "A", "B", 10);
        if (turnaround) {
            b.connect("ab", "-ab");
            b.connect("-ab", "ab");
        }
        return b.done();
    };
    for (const bool turnaround : {false, true}) {
        const Network net = make(turnaround);
        const std::vector<Place> places{{"back", on_lane(*net.edge("-ab"), 0.5), 0, Place::Kind::home, 0},
                                        {"behind", on_lane(*net.edge("ab"), 0.2), 0, Place::Kind::home, 0}};
        const EmergencyAccess a = emergency_access(net, on_lane(*net.edge("ab"), 0.5), places);
        if (turnaround) {
            EXPECT_NEAR(a.places[0].time_s, 5.0 + 5.0, 1e-9);
            // Behind the station on its own edge: round the turnarounds, 5 + 10 + 2.
            EXPECT_NEAR(a.places[1].time_s, 5.0 + 10.0 + 2.0, 1e-9);
        } else {
            EXPECT_EQ(a.places[0].time_s, inf);
            EXPECT_EQ(a.places[1].time_s, inf);
            EXPECT_EQ(a.unreachable, 2u);
        }
    }
}

TEST(EmergencyAccess, LanesTheClassMayNotUseAreAvoided) {
    NetBuilder b;
    b.junction("A", 0, 0);
    b.junction("B", 100, 0);
    b.junction("C", 200, 0);
    b.junction("D", 100, 100);
    b.edge("ab", "A", "B", 10);
    b.edge("bc", "B", "C", 10, -1, "", "emergency");  // closed to emergency vehicles
    b.edge("bd", "B", "D", 10);
    b.edge("dc", "D", "C", 10);
    b.edge("cx", "C", "A", 1);
    Network net = b.done();
    // The place lies by bc, which the class may not use: it attaches to another edge.
    const std::vector<Place> places{{"c", on_lane(*net.edge("cx"), 0.0), 0, Place::Kind::home, 0}};
    const EmergencyAccess a = emergency_access(net, on_lane(*net.edge("ab"), 0.0), places);
    EXPECT_EQ(net.edges[a.places[0].edge].id, "cx");
    EXPECT_NEAR(a.places[0].time_s, 10 + 10 + std::sqrt(2.0) * 100 / 10, 1e-6);
    EXPECT_TRUE(lane_allows(net.edge("bc")->lanes[0], "passenger"));
    EXPECT_FALSE(lane_allows(net.edge("bc")->lanes[0], "emergency"));
}

TEST(EmergencyAccess, ScheduleFindsTheWorstTime) {
    const Network net = turning_network(true, true);
    const std::vector<Place> places{{"f", on_lane(*net.edge("df"), 0.5), 0, Place::Kind::home, 0},
                                    {"e", on_lane(*net.edge("ed"), 0.5), 0, Place::Kind::home, 0},
                                    {"c", on_lane(*net.edge("bc"), 0.5), 0, Place::Kind::home, 0}};
    EmergencyOptions o;
    o.target_s = 30;
    const EmergencyRouter router(net, on_lane(*net.edge("ab"), 0.5), places, o);
    std::vector<Closure> closures(2);
    closures[0].id = "works";
    closures[0].edges = {"bd"};
    closures[0].from_s = 100;
    closures[0].to_s = 200;
    closures[1].id = "water";
    closures[1].edges = {"ed"};
    closures[1].from_s = 150;
    closures[1].to_s = 300;
    const EmergencySchedule s = emergency_over_closures(router, closures);
    // Open: f 20 s, e 5 + 10 + 10 + 5 = 30 s, c 10 s.
    EXPECT_NEAR(s.open.places[0].time_s, 20, 1e-9);
    EXPECT_NEAR(s.open.places[1].time_s, 30, 1e-9);
    EXPECT_NEAR(s.open.places[2].time_s, 10, 1e-9);
    EXPECT_EQ(s.open.in_time, 3u);
    ASSERT_EQ(s.states.size(), 4u);
    const double times[] = {100, 150, 200, 300};
    const size_t not_in_time[] = {1, 2, 1, 0};  // f late (40 s); f and e cut off; e cut off; none
    for (size_t k = 0; k < 4; ++k) {
        EXPECT_EQ(s.states[k].time_s, times[k]);
        EXPECT_EQ(s.states[k].not_in_time(), not_in_time[k]) << k;
    }
    EXPECT_EQ(s.states[0].late, 1u);
    EXPECT_EQ(s.states[1].unreachable, 2u);
    EXPECT_EQ(s.states[1].closed_edges, 2u);
    EXPECT_EQ(s.worst, 1);
    EXPECT_EQ(s.worst_access.unreachable, 2u);
    EXPECT_EQ(s.worst_time_s[0], inf);
    EXPECT_EQ(s.worst_time_s[1], inf);
    EXPECT_NEAR(s.worst_time_s[2], 10, 1e-9);

    closures[1].edges = {"missing"};
    EXPECT_THROW(emergency_over_closures(router, closures), zw::Error);
    // No closures: no states, the open network is the worst.
    const EmergencySchedule none = emergency_over_closures(router, {});
    EXPECT_TRUE(none.states.empty());
    EXPECT_EQ(none.worst, -1);
    EXPECT_EQ(none.worst_access.in_time, 3u);
}

TEST(EmergencyAccess, RefusesBadOptionsAndNetworksWithoutUsableEdges) {
    const Network net = grid_network();
    EmergencyOptions o;
    o.turnout_s = -1;
    EXPECT_THROW(EmergencyRouter(net, {0, 0}, {}, o), zw::Error);
    o = {};
    o.speed_factor = 0;
    EXPECT_THROW(EmergencyRouter(net, {0, 0}, {}, o), zw::Error);
    NetBuilder b;
    b.junction("A", 0, 0);
    b.junction("B", 100, 0);
    b.edge("ab", "A", "B", 10, -1, "passenger");
    const Network cars_only = b.done();
    try {
        (void)EmergencyRouter(cars_only, {0, 0}, {}, {});
        FAIL() << "no error";
    } catch (const zw::Error& e) {
        EXPECT_NE(std::string(e.what()).find("emergency"), std::string::npos) << e.what();
    }
}

}  // namespace
