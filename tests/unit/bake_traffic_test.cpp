// The town's road network for SUMO (app/bake/traffic_network.h), built with netconvert from
// the sample town (assets/weisendorf.json): the lanes lie on the baked roads, every
// road-graph edge is there in both directions with its speed and lanes, the junctions are
// controlled as the header says, and the fire station reaches every junction. Then a
// hamlet's bake: the network in every twin, the same bytes twice, and a clear message
// (before any work) when netconvert is missing.
// Expectations come from geometry and the documented contract (the headers,
// docs/twin-bundle.md), not from numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "app/bake/bundle.h"
#include "app/bake/recipe.h"
#include "app/bake/town.h"
#include "app/bake/traffic_network.h"
#include "bake_test_util.h"
#include "engine/scenario/traffic/network.h"
#include "temp_dir.h"

namespace {

using namespace zw::bake;
namespace traffic = zw::scenario::traffic;
namespace fs = std::filesystem;
using glm::dvec2;
using zw::test::error_of;
using zw::test::read_text;

// ---- Plane geometry, written for the test -------------------------------------------

struct Nearest {
    double distance = 1e300;
    double along = 0;     // arc length of the nearest point from the polyline's start
    double right = 0;     // signed distance, positive to the right of the direction of travel
    bool at_end = false;  // the nearest point is an end point of the polyline
    dvec2 point{0.0};
};

Nearest nearest(dvec2 p, const std::vector<dvec2>& line) {
    Nearest best;
    double s = 0;
    for (size_t i = 0; i + 1 < line.size(); ++i) {
        const dvec2 a = line[i], d = line[i + 1] - line[i];
        const double len = glm::length(d);
        const double t = len > 0 ? std::clamp(glm::dot(p - a, d) / (len * len), 0.0, 1.0) : 0.0;
        const dvec2 q = a + t * d;
        const double dist = glm::length(p - q);
        if (dist < best.distance) {
            best.distance = dist;
            best.along = s + t * len;
            best.point = q;
            const double cross = d.x * (p - a).y - d.y * (p - a).x;  // > 0: left
            best.right = cross > 0 ? -dist : dist;
            best.at_end = (i == 0 && t == 0) || (i + 2 == line.size() && t == 1);
        }
        s += len;
    }
    return best;
}

double length_of(const std::vector<dvec2>& line) {
    double l = 0;
    for (size_t i = 1; i < line.size(); ++i)
        l += glm::length(line[i] - line[i - 1]);
    return l;
}

// Points along `line` at most `step` apart, its vertices included.
std::vector<dvec2> densified(const std::vector<dvec2>& line, double step) {
    std::vector<dvec2> out{line.front()};
    for (size_t i = 1; i < line.size(); ++i) {
        const int n = std::max(1, int(std::ceil(glm::length(line[i] - line[i - 1]) / step)));
        for (int k = 1; k <= n; ++k)
            out.push_back(glm::mix(line[i - 1], line[i], double(k) / n));
    }
    return out;
}

// ---- The sample town's network, built once ------------------------------------------

struct Sample {
    Recipe recipe;
    Town town;
    Frame frame;
    fs::path dir;
    TrafficNetwork built;
    traffic::Network net;
    double netconvert_s = 0;

    explicit Sample(const Recipe& r)
        : recipe(r),
          town(generate_town(r)),
          frame(make_frame(r)),
          dir(fs::temp_directory_path() / ("zw_unit_bake_traffic_" + std::to_string(::getpid()))) {
        built = build_traffic_network(town, frame, recipe, dir);
        net = traffic::read_network(built.net);
        netconvert_s = built.report["netconvert_s"].get<double>();
    }
    ~Sample() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    Sample(const Sample&) = delete;
    Sample& operator=(const Sample&) = delete;

    // EPSG:25832 (what the reader gives) to bake-local, as twin.json's origin says.
    dvec2 local(const glm::dvec3& epsg) const {
        return dvec2(epsg) - dvec2(frame.origin_easting(), frame.origin_northing());
    }
    std::vector<dvec2> local(const std::vector<glm::dvec3>& line) const {
        std::vector<dvec2> out;
        for (const glm::dvec3& p : line)
            out.push_back(local(p));
        return out;
    }
};

const Sample& sample() {
    static const Sample s(load_recipe(fs::path(ZW_SOURCE_DIR) / "assets/weisendorf.json"));
    return s;
}

std::vector<std::vector<uint32_t>> incident_edges(const Town& town) {
    std::vector<std::vector<uint32_t>> out(town.nodes.size());
    for (uint32_t i = 0; i < town.edges.size(); ++i) {
        out[town.edges[i].from].push_back(i);
        out[town.edges[i].to].push_back(i);
    }
    return out;
}

TEST(BakeTraffic, TheSampleRecipeAsksForTheNetworkAndTheMarketSignal) {
    const Sample& s = sample();
    EXPECT_TRUE(s.recipe.traffic_network);
    EXPECT_TRUE(s.recipe.signal_at_market);
    // The network keeps the twin's coordinates: net = EPSG:25832 + netOffset, and
    // netOffset is minus the origin (traffic_network.h).
    ASSERT_TRUE(s.net.has_location);
    EXPECT_NEAR(s.net.net_offset.x, -s.frame.origin_easting(), 0.005);
    EXPECT_NEAR(s.net.net_offset.y, -s.frame.origin_northing(), 0.005);
    EXPECT_NE(s.net.proj_parameter.find("+zone=32"), std::string::npos) << s.net.proj_parameter;
    // Junction positions: the graph's nodes, within SUMO's 2 decimals.
    for (size_t i = 0; i < s.town.nodes.size(); ++i) {
        const traffic::Junction* j = s.net.junction("n" + std::to_string(i));
        ASSERT_NE(j, nullptr) << "n" << i;
        EXPECT_LT(glm::length(s.local(j->position) - dvec2(s.town.nodes[i].position)), 0.01) << j->id;
        // z: above sea level, the ground (or bridge) under the node.
        EXPECT_NEAR(j->position.z, s.frame.origin_height() + s.town.nodes[i].position.z, 3.0) << j->id;
    }
    std::cout << "sample town: " << s.town.nodes.size() << " nodes, " << s.town.edges.size()
              << " road-graph edges -> " << s.net.junctions.size() << " junctions, " << s.net.edges.size()
              << " SUMO edges; netconvert " << s.netconvert_s << " s: " << s.built.report["netconvert"].dump()
              << "\n";
}

// (a) Every lane of every SUMO edge lies on its road: each shape point within the road's
// half width + 0.5 m of the road's centre line (Road::points), and at its lane's place
// across the road: (lanes - index - 0.5) lane widths right of the centre line in the
// edge's direction, within 0.5 m (where the nearest point of the centre line is not one
// of its ends). netconvert cuts the lanes back at the junctions and offsets them at
// bends; neither may move a lane off the road.
TEST(BakeTraffic, LanesLieOnTheBakedRoads) {
    const Sample& s = sample();
    constexpr double tolerance_m = 0.5;
    double worst_outside = -1e300, worst_across = 0;
    std::string worst_outside_lane, worst_across_lane;
    size_t points = 0;
    for (size_t i = 0; i < s.town.edges.size(); ++i) {
        const RoadEdge& ge = s.town.edges[i];
        const Road& road = s.town.roads[ge.road];
        for (const bool forward : {true, false}) {
            const std::string id = (forward ? "e" : "-e") + std::to_string(i);
            const traffic::Edge* e = s.net.edge(id);
            ASSERT_NE(e, nullptr) << id;
            std::vector<dvec2> dir = road.points;  // runs as the graph edge eN does
            if (!forward) std::reverse(dir.begin(), dir.end());
            const double width = road.width / (2.0 * road.lanes);
            for (const traffic::Lane& lane : e->lanes) {
                const double expected = (double(e->lanes.size()) - lane.index - 0.5) * width;
                for (const dvec2& p : s.local(lane.shape)) {
                    ++points;
                    const double outside = nearest(p, road.points).distance - road.width / 2;
                    if (outside > worst_outside) {
                        worst_outside = outside;
                        worst_outside_lane = lane.id;
                    }
                    const Nearest q = nearest(p, dir);
                    const double across = q.at_end ? 0.0 : std::abs(q.right - expected);
                    if (across > worst_across) {
                        worst_across = across;
                        worst_across_lane = lane.id;
                    }
                }
            }
        }
    }
    EXPECT_LE(worst_outside, tolerance_m) << worst_outside_lane;
    EXPECT_LE(worst_across, tolerance_m) << worst_across_lane;
    std::cout << points << " lane points: at most " << worst_outside << " m beyond the road's half width ("
              << worst_outside_lane << "), at most " << worst_across
              << " m from the lane's place across the road (" << worst_across_lane << ")\n";
}

// The unit direction in which `shape` leaves its first point (over its first metre or more).
dvec2 leaving(const std::vector<dvec2>& shape) {
    for (size_t i = 1; i < shape.size(); ++i)
        if (glm::length(shape[i] - shape[0]) > 1.0 || i + 1 == shape.size())
            return glm::normalize(shape[i] - shape[0]);
    return {1, 0};
}

// (a) Every SUMO edge follows its road-graph edge. Its own geometry (the shape netconvert
// keeps from the plain XML, junction to junction) and the bake's shape are within 0.5 m of
// each other both ways (Hausdorff distance); and the road's centre line as SUMO drives it
// (the middle between the two directions' innermost lanes, where both run side by side)
// lies within 0.5 m of the bake's centre line of the road (where that line goes on: very
// short edges get lane stubs inside the junction, beyond the road's end). The lanes start and end where
// netconvert cut them back at the junction: where they part from the other roads there,
// which for two roads of half widths h1, h2 meeting at an angle a is (h1 + h2) / sin a from
// the node, plus the junction's radius (netconvert's default, 4 m) and 1 m.
TEST(BakeTraffic, EdgesFollowTheRoadGraph) {
    const Sample& s = sample();
    constexpr double tolerance_m = 0.5, radius_m = 4 + 1;
    const auto incident = incident_edges(s.town);
    // How far the lanes may end from node `n` on edge `i` (leaving the node as `out`).
    auto allowed_cut = [&](uint32_t n, size_t i, dvec2 out) {
        double cut = radius_m;
        const double h = s.town.roads[s.town.edges[i].road].width / 2;
        for (uint32_t k : incident[n]) {
            if (k == i) continue;
            const RoadEdge& o = s.town.edges[k];
            std::vector<dvec2> shape = o.shape;
            if (o.to == n) std::reverse(shape.begin(), shape.end());
            const double angle = std::acos(std::clamp(glm::dot(out, leaving(shape)), -1.0, 1.0));
            const double h2 = s.town.roads[o.road].width / 2;
            cut =
                std::max(cut, radius_m + (h + h2) / std::sin(std::clamp(angle, 1e-3, std::numbers::pi / 2)));
        }
        return cut;
    };
    double worst_shape = 0, worst_centre = 0, worst_cut = 0, worst_cut_allowed = 0, deepest_cut = 0;
    double worst_cut_margin = -1e300;  // cut - allowed
    std::string worst_shape_edge, worst_centre_edge, worst_cut_edge;
    for (size_t i = 0; i < s.town.edges.size(); ++i) {
        const RoadEdge& ge = s.town.edges[i];
        const Road& road = s.town.roads[ge.road];
        const std::string id = "e" + std::to_string(i);
        const traffic::Edge* fwd = s.net.edge(id);
        const traffic::Edge* back = s.net.edge("-" + id);
        ASSERT_TRUE(fwd && back) << id;
        // The edge's geometry: its shape, or the line between its junctions.
        std::vector<dvec2> shape = s.local(fwd->shape);
        if (shape.empty())
            shape = {s.local(s.net.junction(fwd->from)->position),
                     s.local(s.net.junction(fwd->to)->position)};
        double hausdorff = 0;
        for (const dvec2& p : densified(shape, 1.0))
            hausdorff = std::max(hausdorff, nearest(p, ge.shape).distance);
        for (const dvec2& p : densified(ge.shape, 1.0))
            hausdorff = std::max(hausdorff, nearest(p, shape).distance);
        if (hausdorff > worst_shape) {
            worst_shape = hausdorff;
            worst_shape_edge = id;
        }
        // The centre between the innermost lanes of both directions.
        const std::vector<dvec2> a = s.local(fwd->lanes.back().shape), b = s.local(back->lanes.back().shape);
        for (const dvec2& p : densified(a, 1.0)) {
            const Nearest q = nearest(p, b);
            if (q.at_end) continue;  // beyond the other direction's cut
            // Beyond the road's end (a stub of a very short edge, inside the junction): the
            // lanes' distance from the road's end is checked in LanesLieOnTheBakedRoads.
            const Nearest c = nearest((p + q.point) / 2.0, road.points);
            if (c.at_end) continue;
            const double d = c.distance;
            if (d > worst_centre) {
                worst_centre = d;
                worst_centre_edge = id;
            }
        }
        // Where each direction's lanes begin and end along the road.
        const double length = length_of(ge.shape);
        std::vector<dvec2> reversed = ge.shape;
        std::reverse(reversed.begin(), reversed.end());
        const double allowed_from = allowed_cut(ge.from, i, leaving(ge.shape));
        const double allowed_to = allowed_cut(ge.to, i, leaving(reversed));
        for (const traffic::Edge* e : {fwd, back})
            for (const traffic::Lane& lane : e->lanes) {
                const std::vector<dvec2> l = s.local(lane.shape);
                const double first = nearest(l.front(), ge.shape).along,
                             last = nearest(l.back(), ge.shape).along;
                const double at_from = std::min(first, last), at_to = length - std::max(first, last);
                deepest_cut = std::max({deepest_cut, at_from, at_to});
                for (const auto& [cut, allowed] :
                     {std::pair{at_from, allowed_from}, std::pair{at_to, allowed_to}})
                    if (cut - allowed > worst_cut_margin) {
                        worst_cut_margin = cut - allowed;
                        worst_cut = cut;
                        worst_cut_allowed = allowed;
                        worst_cut_edge = lane.id;
                    }
            }
    }
    EXPECT_LE(worst_shape, tolerance_m) << worst_shape_edge;
    EXPECT_LE(worst_centre, tolerance_m) << worst_centre_edge;
    EXPECT_LE(worst_cut, worst_cut_allowed) << worst_cut_edge;
    std::cout << "edge geometry vs road graph: Hausdorff at most " << worst_shape << " m ("
              << worst_shape_edge << "); centre between the directions at most " << worst_centre << " m off ("
              << worst_centre_edge << "); lanes cut back at most " << deepest_cut
              << " m at a junction; closest to its bound: " << worst_cut_edge << ", " << worst_cut << " m of "
              << worst_cut_allowed << " m\n";
}

// (b) Every road-graph edge in both directions, from and to the right junctions, with its
// road's lanes per direction, speed (m/s, SUMO writes two decimals), type and name; farm
// tracks closed to cars.
TEST(BakeTraffic, EveryGraphEdgeRunsBothWaysWithItsSpeedAndLanes) {
    const Sample& s = sample();
    size_t normal = 0;
    for (const traffic::Edge& e : s.net.edges)
        normal += !e.internal();
    EXPECT_EQ(normal, 2 * s.town.edges.size()) << "edges beyond the two per road-graph edge";
    for (size_t i = 0; i < s.town.edges.size(); ++i) {
        const RoadEdge& ge = s.town.edges[i];
        const Road& road = s.town.roads[ge.road];
        for (const bool forward : {true, false}) {
            const std::string id = (forward ? "e" : "-e") + std::to_string(i);
            SCOPED_TRACE(id);
            const traffic::Edge* e = s.net.edge(id);
            ASSERT_NE(e, nullptr);
            EXPECT_EQ(e->from, "n" + std::to_string(forward ? ge.from : ge.to));
            EXPECT_EQ(e->to, "n" + std::to_string(forward ? ge.to : ge.from));
            EXPECT_EQ(e->type, road_class_name(road.cls));
            EXPECT_EQ(e->name, road.name);
            ASSERT_EQ(e->lanes.size(), size_t(road.lanes));
            for (const traffic::Lane& l : e->lanes) {
                EXPECT_NEAR(l.speed, road.speed_kmh / 3.6, 0.005) << l.id;
                EXPECT_NEAR(l.width, road.width / (2.0 * road.lanes), 0.005) << l.id;
                // Farm tracks for farm, emergency and authority vehicles (and bicycles); the
                // access roads drawn as tracks, and every other road, for all.
                const bool farm = road.cls == RoadClass::track && road.farm;
                EXPECT_EQ(l.allow.find("passenger") == std::string::npos && !l.allow.empty(), farm)
                    << l.allow;
                if (farm) {
                    for (const char* vc : {"custom1", "emergency"})
                        EXPECT_NE(l.allow.find(vc), std::string::npos) << l.allow;
                }
            }
        }
    }
}

// (c) Junction control: where a main road meets others, priority; where three or more
// residential streets and nothing else meet, right before left; at the market square,
// where the sample recipe asks for it, the one traffic light.
TEST(BakeTraffic, JunctionsAreControlledAsSuchATownHasThem) {
    const Sample& s = sample();
    const auto incident = incident_edges(s.town);
    std::map<std::string, int> seen;
    int lights = 0;
    for (const traffic::Junction& j : s.net.junctions)
        lights += j.type == "traffic_light";
    EXPECT_EQ(lights, 1);
    for (size_t n = 0; n < s.town.nodes.size(); ++n) {
        if (incident[n].size() < 3) continue;
        int main = 0, residential = 0;
        for (uint32_t e : incident[n]) {
            main += s.town.roads[s.town.edges[e].road].cls == RoadClass::main;
            residential += s.town.roads[s.town.edges[e].road].cls == RoadClass::residential;
        }
        const traffic::Junction* j = s.net.junction("n" + std::to_string(n));
        ASSERT_NE(j, nullptr);
        const bool market = glm::length(dvec2(s.town.nodes[n].position) - s.town.market) < 1.0;
        if (market) {
            EXPECT_EQ(main, 4) << "the through roads cross at the market square";
            EXPECT_EQ(j->type, "traffic_light") << j->id;
            ++seen["market"];
        } else if (main > 0) {
            EXPECT_EQ(j->type, "priority") << j->id;
            ++seen["main"];
        } else if (residential == int(incident[n].size())) {
            EXPECT_EQ(j->type, "right_before_left") << j->id;
            ++seen["residential"];
        }
    }
    EXPECT_EQ(seen["market"], 1);
    EXPECT_GT(seen["main"], 0);
    EXPECT_GT(seen["residential"], 0);
    std::cout << "junctions of 3+ roads: " << seen["main"] << " with a main road, " << seen["residential"]
              << " of residential streets only, " << seen["market"] << " at the market\n";
}

// Can a vehicle of class `vclass` use `lane` (SUMO's allow / disallow lists)?
bool allows(const traffic::Lane& lane, const std::string& vclass) {
    auto listed = [&](const std::string& list) {
        std::istringstream in(list);
        for (std::string w; in >> w;)
            if (w == vclass || w == "all") return true;
        return false;
    };
    if (!lane.allow.empty()) return listed(lane.allow);
    return !listed(lane.disallow);
}

// (d) Emergency access: from the junction nearest the fire station (the building with use
// "Feuerwehr") a fire engine reaches every junction and gets back from it, over the
// connections netconvert made (turning where they allow, U-turns only at dead ends);
// cars reach and leave every junction that a road open to them touches (farm tracks are
// for farm, emergency and authority vehicles).
TEST(BakeTraffic, TheFireStationReachesEveryJunction) {
    const Sample& s = sample();
    const Building* station = nullptr;
    for (const Building& b : s.town.buildings)
        if (b.use == "Feuerwehr") station = &b;
    ASSERT_NE(station, nullptr);
    size_t start = 0;
    for (size_t n = 0; n < s.town.nodes.size(); ++n)
        if (glm::length(dvec2(s.town.nodes[n].position) - station->parts[0].centre) <
            glm::length(dvec2(s.town.nodes[start].position) - station->parts[0].centre))
            start = n;
    const std::string home = "n" + std::to_string(start);
    std::cout << "fire station " << station->id << " at junction " << home << ", "
              << glm::length(dvec2(s.town.nodes[start].position) - station->parts[0].centre) << " m away\n";

    for (const std::string vclass : {"emergency", "passenger"}) {
        SCOPED_TRACE(vclass);
        auto usable = [&](const traffic::Edge& e) {
            return std::any_of(e.lanes.begin(), e.lanes.end(),
                               [&](const traffic::Lane& l) { return allows(l, vclass); });
        };
        // Edge-to-edge steps that `vclass` may take.
        std::map<std::string, std::vector<std::string>> next, prev;
        for (const traffic::Connection& c : s.net.connections) {
            const traffic::Edge* from = s.net.edge(c.from);
            const traffic::Edge* to = s.net.edge(c.to);
            if (allows(from->lanes[size_t(c.from_lane)], vclass) &&
                allows(to->lanes[size_t(c.to_lane)], vclass)) {
                next[c.from].push_back(c.to);
                prev[c.to].push_back(c.from);
            }
        }
        auto flood = [&](std::vector<std::string> todo,
                         const std::map<std::string, std::vector<std::string>>& step) {
            std::set<std::string> seen(todo.begin(), todo.end());
            while (!todo.empty()) {
                const std::string e = todo.back();
                todo.pop_back();
                if (const auto it = step.find(e); it != step.end())
                    for (const std::string& n : it->second)
                        if (seen.insert(n).second) todo.push_back(n);
            }
            return seen;
        };
        std::vector<std::string> out_of_home, into_home;
        std::set<std::string> junctions_for_class;
        for (const traffic::Edge& e : s.net.edges) {
            if (!usable(e)) continue;
            if (e.from == home) out_of_home.push_back(e.id);
            if (e.to == home) into_home.push_back(e.id);
            junctions_for_class.insert(e.from);
            junctions_for_class.insert(e.to);
        }
        ASSERT_FALSE(out_of_home.empty());
        const std::set<std::string> reached = flood(out_of_home, next), returns = flood(into_home, prev);
        std::set<std::string> arrive, leave;
        for (const traffic::Edge& e : s.net.edges) {
            if (reached.count(e.id)) arrive.insert(e.to);
            if (returns.count(e.id)) leave.insert(e.from);
        }
        std::vector<std::string> unreached, stranded;
        for (const std::string& j : junctions_for_class) {
            if (j != home && !arrive.count(j)) unreached.push_back(j);
            if (j != home && !leave.count(j)) stranded.push_back(j);
        }
        EXPECT_TRUE(unreached.empty())
            << unreached.size() << " junctions not reached, the first " << unreached.front();
        EXPECT_TRUE(stranded.empty())
            << stranded.size() << " junctions without a way back, the first " << stranded.front();
        if (vclass == "emergency") {
            EXPECT_EQ(junctions_for_class.size(), s.net.junctions.size());
        }
        std::cout << vclass << ": " << junctions_for_class.size()
                  << " junctions on its roads, all reached from " << home << " and back\n";
    }
}

// ---- The bake ------------------------------------------------------------------------

// A hamlet with the traffic network: bakes in a few seconds.
Recipe hamlet() {
    Recipe r;
    r.extent_m = 1024;
    r.built_up_radius_m = 250;
    r.fine_cell_m = 8;
    r.outer_cell_m = 16;
    r.building_target = 40;
    r.pond_count = 1;
    r.planned_houses = 2;
    r.traffic_network = true;
    return r;
}

// The network goes into every twin as scenarios/traffic/network.net.xml, the same bytes in
// each and in a second bake of the same recipe (netconvert's dated header is replaced);
// twin.json lists it as traffic.network (the server grants its folder). Without the recipe's
// signal the market square is a priority junction. --no-traffic leaves it out.
TEST(BakeTraffic, TheBakePutsTheNetworkIntoEveryTwin) {
    zw::test::TempDir dir;
    const Recipe r = hamlet();
    BakeOptions o;
    o.out = dir.path() / "a";
    const nlohmann::json report = bake(r, {}, o);
    const std::string net = read_text(o.out / "citizen" / "scenarios" / "traffic" / "network.net.xml");
    ASSERT_FALSE(net.empty());
    for (const char* twin : {"council", "administration"})
        EXPECT_EQ(read_text(o.out / twin / "scenarios" / "traffic" / "network.net.xml"), net) << twin;
    for (const char* twin : {"citizen", "council", "administration"}) {
        const nlohmann::json manifest = nlohmann::json::parse(read_text(o.out / twin / "twin.json"));
        EXPECT_EQ(manifest.value(nlohmann::json::json_pointer("/traffic/network"), std::string()),
                  "scenarios/traffic/network.net.xml")
            << twin;
    }
    EXPECT_EQ(net.find("generated on"), std::string::npos);
    EXPECT_EQ(net.find(dir.path().string()), std::string::npos) << "a path of the bake's work folder";
    ASSERT_TRUE(report.contains("traffic"));
    EXPECT_EQ(report["traffic"]["edges"], 2 * report["road_edges"].get<size_t>());

    const traffic::Network n =
        traffic::read_network(o.out / "council" / "scenarios" / "traffic" / "network.net.xml");
    const Town town = generate_town(r);
    for (size_t i = 0; i < town.nodes.size(); ++i)
        if (glm::length(dvec2(town.nodes[i].position) - town.market) < 1.0) {
            ASSERT_NE(n.junction("n" + std::to_string(i)), nullptr);
            EXPECT_EQ(n.junction("n" + std::to_string(i))->type, "priority")
                << "no signal unless the recipe asks";
        }

    o.out = dir.path() / "b";
    bake(r, {}, o);
    EXPECT_EQ(read_text(o.out / "administration" / "scenarios" / "traffic" / "network.net.xml"), net);

    o.out = dir.path() / "c";
    o.traffic = false;
    bake(r, {}, o);
    EXPECT_FALSE(fs::exists(o.out / "citizen" / "scenarios"));
    EXPECT_FALSE(nlohmann::json::parse(read_text(o.out / "citizen" / "twin.json")).contains("traffic"));
}

// Sets PATH and SUMO_HOME for a test and restores them.
class Environment {
  public:
    Environment() {
        for (const char* name : {"PATH", "SUMO_HOME"})
            if (const char* v = std::getenv(name)) saved_[name] = v;
    }
    ~Environment() {
        for (const char* name : {"PATH", "SUMO_HOME"}) {
            if (const auto it = saved_.find(name); it != saved_.end())
                ::setenv(name, it->second.c_str(), 1);
            else
                ::unsetenv(name);
        }
    }
    Environment(const Environment&) = delete;
    Environment& operator=(const Environment&) = delete;

  private:
    std::map<std::string, std::string> saved_;
};

// (f) Without netconvert the bake fails before any work, saying what to install and how to
// bake without the network; nothing is written.
TEST(BakeTraffic, WithoutNetconvertTheBakeSaysWhatToDo) {
    zw::test::TempDir dir;
    Environment env;
    fs::create_directories(dir.path() / "empty");
    ::setenv("PATH", (dir.path() / "empty").c_str(), 1);
    ::unsetenv("SUMO_HOME");
    BakeOptions o;
    o.out = dir.path() / "never";
    const auto t0 = std::chrono::steady_clock::now();
    const std::string msg = error_of([&] { bake(hamlet(), {}, o); });
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (const char* part :
         {"netconvert", "apt install sumo", "SUMO_HOME", "--no-traffic", "traffic.network"})
        EXPECT_NE(msg.find(part), std::string::npos) << part << " in: " << msg;
    EXPECT_FALSE(fs::exists(o.out));
    EXPECT_LT(s, 1.0) << "refused before any work";
}

}  // namespace
