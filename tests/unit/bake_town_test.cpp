// The generated town (app/bake/town.h): buildings placed without overlap, out of the
// creek and the ponds; ids, uses and addresses; villages; the same town for the same
// seed; and the road graph, generated and on hand-made roads.
// Expectations come from geometry, geodesy or the documented contract (docs/twin-bundle.md,
// the headers), not from numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/bake/recipe.h"
#include "app/bake/terrain.h"
#include "app/bake/town.h"
#include "bake_test_util.h"

namespace {

using namespace zw::bake;
using glm::dvec2;
using glm::dvec3;
using zw::test::small_recipe;
using zw::test::small_town;
constexpr double pi = std::numbers::pi;

TEST(BakeTown, SeparatingAxisHelperWorks) {
    BuildingPart a, b;
    a.centre = {0, 0};
    a.length = 10;
    a.width = 4;
    b = a;
    b.centre = {9.9, 0};
    EXPECT_TRUE(zw::test::rects_overlap(zw::test::rect_of(a), zw::test::rect_of(b), 0.01));
    b.centre = {10.0, 0};  // touching
    EXPECT_FALSE(zw::test::rects_overlap(zw::test::rect_of(a), zw::test::rect_of(b), 0.01));
    // Rotated 45 degrees: corner-to-corner the boxes miss, although their circles overlap.
    b.angle = pi / 4;
    b.centre = {9, 6};  // 4 m out along the diagonal from a's corner (5, 2)
    EXPECT_FALSE(zw::test::rects_overlap(zw::test::rect_of(a), zw::test::rect_of(b), 0.01));
    b.centre = {5.5, 1};
    EXPECT_TRUE(zw::test::rects_overlap(zw::test::rect_of(a), zw::test::rect_of(b), 0.01));
}

TEST(BakeTown, PlacesTheTargetNumberOfBuildings) {
    const Recipe r = small_recipe();
    const Town& town = small_town();
    // generate_town fills the town up to the target and warns when the area is full.
    EXPECT_LE(int(town.buildings.size()), r.building_target);
    EXPECT_GE(double(town.buildings.size()), 0.9 * r.building_target);
    EXPECT_EQ(int(town.planned.size()), r.planned_houses);
    EXPECT_EQ(town.water.size(), size_t(1 + r.pond_count));
    EXPECT_FALSE(town.utilities.empty());
}

TEST(BakeTown, BuildingsHaveIdsUsesAndAddresses) {
    const Town& town = small_town();
    std::set<std::string> ids;
    for (const Building& b : town.buildings) {
        SCOPED_TRACE(b.id);
        EXPECT_FALSE(b.id.empty());
        EXPECT_TRUE(ids.insert(b.id).second) << "duplicate id " << b.id;
        EXPECT_FALSE(b.use.empty());
        EXPECT_FALSE(b.parts.empty());
        EXPECT_GE(b.storeys, 1);
        EXPECT_GT(b.height(), 2.0);
        if (b.use == "Wohnhaus" || b.use == "Mehrfamilienhaus" || b.use == "Bauernhaus") {
            EXPECT_FALSE(b.street.empty());
            EXPECT_FALSE(b.house_number.empty());
            EXPECT_GT(b.residents, 0);
        }
        for (const BuildingPart& p : b.parts) {
            EXPECT_GT(p.length, 0);
            EXPECT_GT(p.width, 0);
            EXPECT_LT(p.base, p.eave);
            EXPECT_LE(p.eave, p.ridge);
            // Sits on the ground: the base is below the terrain at every corner.
            for (const dvec2& q : zw::test::rect_of(p).corners())
                EXPECT_LE(p.base, town.terrain.height(q.x, q.y) + 1e-9);
        }
    }
}

TEST(BakeTown, BuildingsOfDifferentOwnersDoNotOverlap) {
    const Town& town = small_town();
    struct Item {
        zw::test::Rect rect;
        size_t building;
        double radius;
    };
    std::vector<Item> items;
    for (size_t i = 0; i < town.buildings.size(); ++i)
        for (const BuildingPart& p : town.buildings[i].parts)
            items.push_back({zw::test::rect_of(p), i, std::hypot(p.length, p.width) / 2});
    int overlaps = 0;
    for (size_t i = 0; i < items.size(); ++i)
        for (size_t j = i + 1; j < items.size(); ++j) {
            if (items[i].building == items[j].building) continue;
            if (glm::length(items[i].rect.c - items[j].rect.c) > items[i].radius + items[j].radius) continue;
            if (zw::test::rects_overlap(items[i].rect, items[j].rect, 0.01) && overlaps++ < 10)
                ADD_FAILURE() << town.buildings[items[i].building].id << " ("
                              << town.buildings[items[i].building].use << ") overlaps "
                              << town.buildings[items[j].building].id << " ("
                              << town.buildings[items[j].building].use << ")";
        }
    EXPECT_EQ(overlaps, 0);
}

TEST(BakeTown, NoBuildingStandsInTheCreekOrAPond) {
    const Town& town = small_town();
    const Terrain& t = town.terrain;
    int wet = 0;
    for (const Building& b : town.buildings)
        for (const BuildingPart& p : b.parts) {
            const zw::test::Rect r = zw::test::rect_of(p);
            // The whole footprint, not just its corners: a long building could straddle the creek.
            bool hit = false;
            for (double i = -1; i <= 1.0001 && !hit; i += 0.05)
                for (double j = -1; j <= 1.0001 && !hit; j += 0.1) {
                    const dvec2 q = r.c + r.u * (i * r.half.x) + r.v * (j * r.half.y);
                    if (t.creek_distance(q.x, q.y) <= t.channel_half_width() || t.pond_distance(q) <= 0)
                        hit = true;
                }
            if (hit && wet++ < 10)
                ADD_FAILURE() << b.id << " (" << b.use << ") at (" << p.centre.x << ", " << p.centre.y
                              << ") stands in the water";
        }
    EXPECT_EQ(wet, 0);
}

// The contract of Town::nodes/edges (docs/twin-bundle.md, "Road graph"). Returns problems.
std::string graph_problems(const Town& town) {
    std::ostringstream out;
    int n = 0;
    auto report = [&](const std::string& s) {
        if (n++ < 10) out << s << "\n";
    };
    for (size_t i = 0; i < town.edges.size(); ++i) {
        const RoadEdge& e = town.edges[i];
        const std::string name = "edge " + std::to_string(i);
        if (e.from >= town.nodes.size() || e.to >= town.nodes.size()) {
            report(name + " names a node that does not exist");
            continue;
        }
        if (e.road >= town.roads.size()) report(name + " names a road that does not exist");
        if (e.shape.size() < 2) {
            report(name + " has fewer than two shape points");
            continue;
        }
        const double d0 = glm::length(e.shape.front() - dvec2(town.nodes[e.from].position));
        const double d1 = glm::length(e.shape.back() - dvec2(town.nodes[e.to].position));
        if (d0 > 0.01 || d1 > 0.01) {
            std::ostringstream s;
            s << name << " (" << town.roads[e.road].name << "): shape ends are " << d0 << " m and " << d1
              << " m from its nodes at (" << town.nodes[e.from].position.x << ", "
              << town.nodes[e.from].position.y << ") and (" << town.nodes[e.to].position.x << ", "
              << town.nodes[e.to].position.y << ")";
            report(s.str());
        }
        double length = 0;
        for (size_t k = 1; k < e.shape.size(); ++k)
            length += glm::length(e.shape[k] - e.shape[k - 1]);
        if (std::abs(length - e.length) > 1e-6)
            report(name + ": length " + std::to_string(e.length) + " but the shape is " +
                   std::to_string(length));
        if (e.from == e.to && length < 1) report(name + " is a loop of no length");
    }
    if (n > 10) out << "... and " << n - 10 << " more\n";
    return out.str();
}

// Connected components of the graph, as lists of node indices.
std::vector<std::vector<uint32_t>> components(const Town& town) {
    std::vector<std::vector<uint32_t>> adjacent(town.nodes.size());
    for (const RoadEdge& e : town.edges) {
        adjacent[e.from].push_back(e.to);
        adjacent[e.to].push_back(e.from);
    }
    std::vector<int> seen(town.nodes.size(), -1);
    std::vector<std::vector<uint32_t>> out;
    for (uint32_t s = 0; s < town.nodes.size(); ++s) {
        if (seen[s] >= 0) continue;
        out.emplace_back();
        std::vector<uint32_t> queue{s};
        seen[s] = int(out.size() - 1);
        for (size_t k = 0; k < queue.size(); ++k) {
            out.back().push_back(queue[k]);
            for (uint32_t m : adjacent[queue[k]])
                if (seen[m] < 0) {
                    seen[m] = seen[s];
                    queue.push_back(m);
                }
        }
    }
    return out;
}

// "" when the road graph is connected, else its components and where they come closest.
std::string disconnection(const Town& town) {
    const auto parts = components(town);
    if (parts.size() == 1) return "";
    std::ostringstream s;
    s << "the road graph has " << parts.size() << " components:\n";
    for (const auto& c : parts) {
        std::set<std::string> names;
        for (const RoadEdge& e : town.edges)
            if (std::find(c.begin(), c.end(), e.from) != c.end()) names.insert(town.roads[e.road].name);
        const dvec3 p = town.nodes[c.front()].position;
        s << "  " << c.size() << " nodes, e.g. (" << p.x << ", " << p.y << "), roads:";
        for (const auto& nm : names)
            s << " '" << nm << "'";
        s << "\n";
    }
    // Where the first component comes closest to the others.
    double best = 1e300;
    dvec3 pa{0.0}, pb{0.0};
    for (uint32_t i : parts[0])
        for (size_t c = 1; c < parts.size(); ++c)
            for (uint32_t j : parts[c]) {
                const double d = glm::length(dvec2(town.nodes[i].position) - dvec2(town.nodes[j].position));
                if (d < best) {
                    best = d;
                    pa = town.nodes[i].position;
                    pb = town.nodes[j].position;
                }
            }
    s << "closest nodes of different components: (" << pa.x << ", " << pa.y << ") and (" << pb.x << ", "
      << pb.y << "), " << best << " m apart\n";
    return s.str();
}

// Regressions, both once in the generator (now town_roads.cpp and networks.cpp):
// - main_roads(): the south main road stopped at the last multiple of 50 m below y = 150,
//   24 m (this town) or 48 m (default town) short of the market square, so the south of
//   the town was a separate graph component;
// - build_road_graph(): node_at() merges points within 1 m, but edge shapes kept the
//   unmerged split points, so a shape could end up to 1 m from its node.
TEST(BakeTown, RoadGraphIsWellFormedAndConnected) {
    const Town& town = small_town();
    ASSERT_FALSE(town.edges.empty());
    EXPECT_EQ(graph_problems(town), "");
    // Every road is in the graph, in edges that add up to its length.
    std::vector<double> by_road(town.roads.size(), 0);
    for (const RoadEdge& e : town.edges)
        by_road[e.road] += e.length;
    for (size_t r = 0; r < town.roads.size(); ++r) {
        double length = 0;
        for (size_t k = 1; k < town.roads[r].points.size(); ++k)
            length += glm::length(town.roads[r].points[k] - town.roads[r].points[k - 1]);
        EXPECT_NEAR(by_road[r], length, 0.1 + 2e-4 * length) << town.roads[r].name;
    }
    EXPECT_EQ(disconnection(town), "");
}

// The town every user bakes first: the recipe's defaults.
// Regressions: the south main road gap (above), and the Gewerbering started 30 m off the
// Erlanger Straße because main_roads() kept a lambda that captured p1/p2 by reference:
// they dangled once main_roads() returned (undefined behaviour).
TEST(BakeTown, DefaultTownRoadGraphIsConnected) {
    const Town town = generate_town(Recipe{});
    EXPECT_EQ(graph_problems(town), "");
    EXPECT_EQ(disconnection(town), "");
}

// Villages (recipe key `villages`): each gets a village street and a road to the
// network, houses of its own around it, and the graph stays in one piece.
TEST(BakeTown, VillagesGrowAroundTheTownAndJoinItsRoads) {
    Recipe r;
    r.extent_m = 4096;
    r.built_up_radius_m = 1900;
    r.town_radius_m = 500;
    r.villages = {3, 420, 100};
    r.building_target = 900;
    r.pond_count = 2;
    r.planned_houses = 0;
    const Town town = generate_town(r);
    EXPECT_EQ(int(town.buildings.size()), r.building_target);
    std::vector<dvec2> centres;  // the village streets' midpoints
    std::set<std::string> names;
    for (const Road& road : town.roads)
        if (road.name.rfind("Dorfstraße (", 0) == 0) {
            EXPECT_TRUE(names.insert(road.name).second) << "two villages named " << road.name;
            centres.push_back(road.points[road.points.size() / 2]);
            EXPECT_EQ(road.cls, RoadClass::main);
        }
    ASSERT_EQ(centres.size(), 3u);
    for (size_t i = 0; i < centres.size(); ++i) {
        SCOPED_TRACE(i);
        // Inside the built-up area, clear of the town and of each other.
        EXPECT_LE(glm::length(centres[i]), r.built_up_radius_m);
        EXPECT_GE(glm::length(centres[i]), r.town_radius_m + r.villages.radius_m);
        for (size_t j = 0; j < i; ++j)
            EXPECT_GE(glm::length(centres[i] - centres[j]), 2 * r.villages.radius_m);
        int houses = 0;
        for (const Building& b : town.buildings)
            houses += glm::length(b.parts[0].centre - centres[i]) < r.villages.radius_m + 80;
        EXPECT_GE(houses, 100) << "a village without houses";
    }
    EXPECT_EQ(graph_problems(town), "");
    EXPECT_EQ(disconnection(town), "");
}

// The flood scenario needs houses a large flood reaches: some buildings stand on the
// floodplain, within a couple of metres above the creek bed, but the town is not in the creek.
TEST(BakeTown, SomeHousesStandOnTheFloodplain) {
    const Town town = generate_town(Recipe{});
    const Terrain& t = town.terrain;
    int low = 0, on_floodplain = 0;
    for (const Building& b : town.buildings) {
        const glm::dvec2 c = b.parts[0].centre;
        const double above_bed = t.height(c.x, c.y) - t.creek_bed(c.x);
        EXPECT_GT(t.creek_distance(c.x, c.y), t.channel_half_width()) << b.id;
        if (t.creek_distance(c.x, c.y) < t.floodplain_half_width()) ++on_floodplain;
        if (above_bed < 3.0) ++low;
    }
    // A creek bank is 1.6 m high and an HQ100 on a small creek rises 1-2 m over it.
    EXPECT_GE(low, 20) << on_floodplain << " buildings on the floodplain";
    EXPECT_LE(low, int(town.buildings.size()) / 4);
}

bool same_part(const BuildingPart& a, const BuildingPart& b) {
    return a.centre == b.centre && a.angle == b.angle && a.length == b.length && a.width == b.width &&
           a.base == b.base && a.eave == b.eave && a.ridge == b.ridge && a.roof == b.roof;
}

TEST(BakeTown, SameSeedSameTownAnotherSeedAnotherTown) {
    const Town& a = small_town();
    const Town b = generate_town(small_recipe());
    ASSERT_EQ(a.buildings.size(), b.buildings.size());
    for (size_t i = 0; i < a.buildings.size(); ++i) {
        const Building &x = a.buildings[i], &y = b.buildings[i];
        ASSERT_EQ(x.id, y.id);
        EXPECT_EQ(x.street, y.street);
        EXPECT_EQ(x.house_number, y.house_number);
        EXPECT_EQ(x.use, y.use);
        EXPECT_EQ(x.year_built, y.year_built);
        EXPECT_EQ(x.residents, y.residents);
        ASSERT_EQ(x.parts.size(), y.parts.size());
        for (size_t k = 0; k < x.parts.size(); ++k)
            EXPECT_TRUE(same_part(x.parts[k], y.parts[k])) << x.id;
    }
    ASSERT_EQ(a.roads.size(), b.roads.size());
    for (size_t i = 0; i < a.roads.size(); ++i) {
        EXPECT_EQ(a.roads[i].name, b.roads[i].name);
        EXPECT_EQ(a.roads[i].points, b.roads[i].points);
    }
    ASSERT_EQ(a.edges.size(), b.edges.size());
    for (size_t i = 0; i < a.edges.size(); ++i)
        EXPECT_EQ(a.edges[i].shape, b.edges[i].shape);

    Recipe other = small_recipe();
    other.seed = 2;
    const Town c = generate_town(other);
    size_t moved = 0;
    for (size_t i = 0; i < std::min(a.buildings.size(), c.buildings.size()); ++i)
        moved += !same_part(a.buildings[i].parts[0], c.buildings[i].parts[0]);
    EXPECT_GT(moved, a.buildings.size() / 2);
    const bool same_roads = a.roads.size() == c.roads.size() &&
                            std::equal(a.roads.begin(), a.roads.end(), c.roads.begin(),
                                       [](const Road& p, const Road& q) { return p.points == q.points; });
    EXPECT_FALSE(same_roads);
}

// ---------------------------------------------------------------------------------------
// 5. build_road_graph on hand-made roads.

Road straight(dvec2 a, dvec2 b, const char* name) {
    Road r;
    r.name = name;
    r.points = {a, b};
    return r;
}

bool has_node(const Town& t, dvec2 p) {
    for (const RoadNode& n : t.nodes)
        if (glm::length(dvec2(n.position) - p) < 1e-6) return true;
    return false;
}

TEST(BakeRoadGraph, CrossingRoadsMeetInOneNode) {
    Town t{Recipe{}};
    t.roads = {straight({-100, 300}, {100, 300}, "A"), straight({0, 200}, {0, 400}, "B")};
    build_road_graph(t);
    EXPECT_EQ(t.nodes.size(), 5u);
    EXPECT_EQ(t.edges.size(), 4u);
    EXPECT_TRUE(has_node(t, {0, 300}));
    EXPECT_EQ(graph_problems(t), "");
    EXPECT_EQ(components(t).size(), 1u);
    for (const RoadEdge& e : t.edges)
        EXPECT_NEAR(e.length, 100, 1e-9);
    for (const RoadNode& n : t.nodes)
        EXPECT_NEAR(n.position.z, t.terrain.height(n.position.x, n.position.y), 1e-9);
}

TEST(BakeRoadGraph, TJunctionSplitsTheThroughRoad) {
    Town t{Recipe{}};
    // A bent through road, the side road ends on its second segment.
    Road a;
    a.name = "A";
    a.points = {{-100, 300}, {0, 300}, {100, 340}};
    t.roads = {a, straight({50, 450}, {50, 320}, "B")};
    build_road_graph(t);
    EXPECT_EQ(t.nodes.size(), 4u);
    EXPECT_EQ(t.edges.size(), 3u);
    EXPECT_TRUE(has_node(t, {50, 320}));
    EXPECT_EQ(graph_problems(t), "");
    EXPECT_EQ(components(t).size(), 1u);
    double total = 0;
    for (const RoadEdge& e : t.edges)
        total += e.length;
    EXPECT_NEAR(total, 100 + std::hypot(100, 40) + 130, 1e-9);
}

TEST(BakeRoadGraph, RoadsThatDoNotMeetStaySeparate) {
    Town t{Recipe{}};
    // End to end with a 3 m gap, and one stopping 3 m short of another.
    t.roads = {straight({-100, 300}, {-3, 300}, "A"), straight({0, 300}, {100, 300}, "B"),
               straight({50, 303}, {50, 400}, "C")};
    build_road_graph(t);
    EXPECT_EQ(t.nodes.size(), 6u);
    EXPECT_EQ(t.edges.size(), 3u);
    EXPECT_EQ(graph_problems(t), "");
    EXPECT_EQ(components(t).size(), 3u);
}

}  // namespace
