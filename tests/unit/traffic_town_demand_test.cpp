// The synthetic town demand (engine/scenario/traffic/town_demand.h) on a small town built
// in memory: deterministic per seed, counts as the options say, trips between edges their
// vehicles may use and can be routed between, departures sorted inside the window,
// through traffic between gateways, a connected bus route past the school.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/scenario/traffic/routing.h"
#include "engine/scenario/traffic/town_demand.h"
#include "tests/unit/traffic_test_net.h"

namespace {

using namespace zw::scenario::traffic;
using zw::test::NetBuilder;

std::string g(int c, int r) {
    return "g" + std::to_string(c) + std::to_string(r);
}

// A 5 x 5 grid of streets 200 m apart (x, y from 0 to 800), the main roads along x = 400
// and y = 400 out to the map's edges (gateways W, E, S, N), and a farm track from the
// north-east corner (farm vehicles, emergency).
Network town_network() {
    NetBuilder b;
    for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 5; ++c)
            b.junction(g(c, r), 200.0 * c, 200.0 * r);
    b.junction("W", -1000, 400, "dead_end");
    b.junction("E", 1800, 400, "dead_end");
    b.junction("S", 400, -1000, "dead_end");
    b.junction("N", 400, 1800, "dead_end");
    b.junction("T", 1300, 1300, "dead_end");
    for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 5; ++c) {
            if (c + 1 < 5) {
                const bool main = r == 2;
                b.road("h" + std::to_string(c) + std::to_string(r), g(c, r), g(c + 1, r), main ? 13.89 : 8.33,
                       main ? 3 : 2);
            }
            if (r + 1 < 5) {
                const bool main = c == 2;
                b.road("v" + std::to_string(c) + std::to_string(r), g(c, r), g(c, r + 1), main ? 13.89 : 8.33,
                       main ? 3 : 2);
            }
        }
    b.road("west", "W", g(0, 2), 27.78, 3);
    b.road("east", g(4, 2), "E", 27.78, 3);
    b.road("south", "S", g(2, 0), 27.78, 3);
    b.road("north", g(2, 4), "N", 27.78, 3);
    b.road("track", g(4, 4), "T", 8.33, 1, "custom1 emergency");
    return b.done();
}

std::vector<Place> town_places() {
    std::vector<Place> p;
    int n = 0;
    for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 4; ++c) {
            const int residents = 20 + 7 * ((c + 3 * r) % 5);
            p.push_back({"home" + std::to_string(n++),
                         {200.0 * c + 100, 200.0 * r + 8},
                         residents,
                         Place::Kind::home,
                         0});
            p.push_back({"home" + std::to_string(n++),
                         {200.0 * r + 8, 200.0 * c + 100},
                         residents / 2,
                         Place::Kind::home,
                         0});
        }
    p.push_back({"school", {300, 608}, 0, Place::Kind::school, 30});
    p.push_back({"market", {500, 392}, 0, Place::Kind::shop, 20});
    p.push_back({"bakery", {100, 208}, 2, Place::Kind::shop, 0});
    p.push_back({"works", {700, 192}, 0, Place::Kind::work, 80});
    p.push_back({"town_hall", {410, 300}, 0, Place::Kind::civic, 25});
    p.push_back({"farm1", {790, 812}, 4, Place::Kind::farm, 1});
    p.push_back({"farm2", {10, 790}, 5, Place::Kind::farm, 1});
    p.push_back({"fire_station", {610, 408}, 0, Place::Kind::fire_station, 0});
    return p;
}

// The trip's kind: its id without the trailing "_<number>".
std::string prefix(const Trip& t) {
    return t.id.substr(0, t.id.rfind('_'));
}

std::map<std::string, size_t> count_prefixes(const Demand& d) {
    std::map<std::string, size_t> out;
    for (const Trip& t : d.trips)
        ++out[prefix(t)];
    return out;
}

size_t rounded(double v) {
    return size_t(std::llround(v));
}

TEST(TownDemand, GatewaysAreTheMainRoadsDeadEndsAtTheOutline) {
    const Network net = town_network();
    const std::vector<Gateway> gw = find_gateways(net);
    ASSERT_EQ(gw.size(), 4u);  // not the track's end T: inside the outline, and not for cars
    const char* ids[] = {"E", "N", "S", "W"};
    const char* entries[] = {"-east", "-north", "south", "west"};
    const char* exits[] = {"east", "north", "-south", "-west"};
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(gw[i].junction, ids[i]);
        EXPECT_EQ(gw[i].entry, entries[i]);
        EXPECT_EQ(gw[i].exit, exits[i]);
        EXPECT_TRUE(gw[i].main);
    }
    EXPECT_EQ(gw[3].position, glm::dvec2(-1000, 400));
}

TEST(TownDemand, GatewaysFallBackToTheSidesWithoutDeadEnds) {
    NetBuilder b;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            b.junction(g(c, r), 100.0 * c, 100.0 * r);
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) {
            if (c + 1 < 3) b.road("h" + std::to_string(c) + std::to_string(r), g(c, r), g(c + 1, r), 10);
            if (r + 1 < 3) b.road("v" + std::to_string(c) + std::to_string(r), g(c, r), g(c, r + 1), 10);
        }
    const std::vector<Gateway> gw = find_gateways(b.done());
    // West and south: g00 (the first of equals), east: g20, north: g02.
    ASSERT_EQ(gw.size(), 3u);
    EXPECT_EQ(gw[0].junction, "g00");
    EXPECT_EQ(gw[1].junction, "g02");
    EXPECT_EQ(gw[2].junction, "g20");
    for (const Gateway& x : gw) {
        EXPECT_FALSE(x.entry.empty());
        EXPECT_FALSE(x.exit.empty());
    }
}

TEST(TownDemand, SameSeedSameTripsOtherSeedOtherTrips) {
    const Network net = town_network();
    const std::vector<Place> places = town_places();
    TownDemandOptions o;
    const Demand a = make_town_demand(places, net, o);
    const Demand b = make_town_demand(places, net, o);
    ASSERT_EQ(a.trips.size(), b.trips.size());
    for (size_t i = 0; i < a.trips.size(); ++i) {
        EXPECT_EQ(a.trips[i].id, b.trips[i].id);
        EXPECT_EQ(a.trips[i].type, b.trips[i].type);
        EXPECT_EQ(a.trips[i].depart_s, b.trips[i].depart_s);
        EXPECT_EQ(a.trips[i].from, b.trips[i].from);
        EXPECT_EQ(a.trips[i].to, b.trips[i].to);
        EXPECT_EQ(a.trips[i].route, b.trips[i].route);
    }
    o.seed = 2;
    const Demand c = make_town_demand(places, net, o);
    // The counts follow the rates, not the seed (but for the ways back from the shops,
    // made only when they fall in the window); who goes where and when does not.
    auto ca = count_prefixes(a), cc = count_prefixes(c);
    ca.erase("shop_back");
    cc.erase("shop_back");
    EXPECT_EQ(ca, cc);
    size_t differ = 0;
    for (size_t i = 0; i < a.trips.size(); ++i)
        differ += a.trips[i].depart_s != c.trips[i].depart_s || a.trips[i].from != c.trips[i].from;
    EXPECT_GT(differ, a.trips.size() / 2);
}

TEST(TownDemand, CountsFollowTheOptions) {
    const Network net = town_network();
    const std::vector<Place> places = town_places();
    double r = 0, j = 0;
    for (const Place& p : places) {
        r += p.residents;
        j += p.jobs;
    }
    ASSERT_EQ(r, 1027);
    ASSERT_EQ(j, 157);
    TownDemandOptions o;
    const Demand d = make_town_demand(places, net, o);
    const auto n = count_prefixes(d);
    const double commuting = 0.50 * 0.85 * 0.85;
    EXPECT_EQ(n.at("work_out"), rounded(r * commuting * 0.75 * 0.8 / 1.1));    // 202
    EXPECT_EQ(n.at("work_local"), rounded(r * commuting * 0.25 * 0.5 / 1.1));  // 42
    EXPECT_EQ(n.at("work_in"), rounded(j * 0.6 * 0.85 * 0.85 * 0.8 / 1.1));    // 49
    EXPECT_EQ(n.at("work_out"), 202u);
    EXPECT_EQ(n.at("school"), rounded(r * 0.09 * 0.2 / 1.3));  // 14
    EXPECT_EQ(n.at("school_back"), n.at("school"));            // all before 10:00
    const size_t shopping = rounded(r * 0.05);                 // 51
    EXPECT_EQ(n.at("shop") + n.at("shop_out"), shopping);
    EXPECT_EQ(n.at("shop_out"), size_t(std::floor(shopping * 0.3)));
    EXPECT_LE(n.at("shop_back"), shopping);
    // Through: 120 an hour at the peak, the profile's area over 6:00-10:00 is 3.375 peak
    // hours: 405 per gateway, 4 gateways, 8 % trucks.
    size_t through = 0, trucks = 0;
    for (const Trip& t : d.trips)
        if (t.purpose == "through") {
            ++through;
            trucks += t.type == "truck";
        }
    EXPECT_EQ(through, 4 * 405u);
    EXPECT_EQ(trucks, 4 * 32u);
    // Buses at 6:05, 6:35, ... 9:35 one way, 6:20 ... 9:50 the other.
    EXPECT_EQ(n.at("bus"), 8u);
    EXPECT_EQ(n.at("bus_back"), 8u);
    EXPECT_EQ(n.at("van"), rounded(r / 1000 * 15));  // 15
    EXPECT_EQ(n.at("supply"), 2u);                   // one per shop
    EXPECT_EQ(n.at("tractor"), 2u);                  // one per farm

    // Every rate scales its count: no commuters, no school runs.
    o.employed_share = 0;
    o.school_car_share = 0;
    const auto m = count_prefixes(make_town_demand(places, net, o));
    EXPECT_EQ(m.count("work_out") + m.count("work_local") + m.count("school"), 0u);
    EXPECT_EQ(m.at("work_in"), n.at("work_in"));

    // The report adds the same up, per purpose and per hour.
    const DemandReport rep = report_demand(d, o.begin_s, o.end_s);
    EXPECT_EQ(rep.trips, d.trips.size());
    EXPECT_EQ(rep.by_purpose.at("work"), n.at("work_out") + n.at("work_local") + n.at("work_in"));
    EXPECT_EQ(rep.by_purpose.at("through"), through);
    EXPECT_EQ(rep.by_type.at("bus"), 16u);
    ASSERT_EQ(rep.by_hour.size(), 4u);
    size_t sum = 0;
    for (const auto& hour : rep.by_hour)
        for (const auto& [_, k] : hour)
            sum += k;
    EXPECT_EQ(sum, d.trips.size());
    // Commuters peak from 7:00 to 8:00.
    EXPECT_GT(rep.by_hour[1].at("work"), rep.by_hour[0].at("work"));
    EXPECT_GT(rep.by_hour[1].at("work"), rep.by_hour[3].at("work"));
    // Shopping only after 8:00.
    EXPECT_EQ(rep.by_hour[0].count("shopping") + rep.by_hour[1].count("shopping"), 0u);
    const nlohmann::json js = demand_report_json(rep);
    EXPECT_EQ(js["synthetic"], true);
    EXPECT_EQ(js["by_hour"].size(), 4u);
    EXPECT_EQ(js["by_hour"][1]["from_s"], 7 * 3600.0);
}

TEST(TownDemand, TripsUseEdgesTheirVehiclesMayUseAndCanBeRouted) {
    const Network net = town_network();
    const TownDemandOptions o;
    const Demand d = make_town_demand(town_places(), net, o);
    ASSERT_FALSE(d.trips.empty());
    std::map<std::string, std::string> vclass;
    for (const VehicleType& t : d.types)
        vclass[t.id] = t.vclass;
    EXPECT_EQ(vclass.at("tractor"), "custom1");
    EXPECT_EQ(vclass.at("fire_engine"), "emergency");
    EXPECT_EQ(vclass.at("van"), "delivery");
    std::map<std::string, RouteGraph> graphs;
    std::set<std::string> tractor_to;
    double last = -1;
    for (const Trip& t : d.trips) {
        const std::string& vc = vclass.at(t.type);
        const Edge* from = net.edge(t.from);
        const Edge* to = net.edge(t.to);
        ASSERT_TRUE(from && to) << t.id;
        EXPECT_TRUE(edge_allows(*from, vc)) << t.id << " from " << t.from;
        EXPECT_TRUE(edge_allows(*to, vc)) << t.id << " to " << t.to;
        if (vc != "custom1") {
            EXPECT_NE(t.from, "track");
            EXPECT_NE(t.to, "track");
        } else {
            tractor_to.insert(t.to);
        }
        if (!graphs.count(vc)) graphs[vc] = route_graph(net, vc);
        EXPECT_FALSE(
            fastest_route(graphs[vc], uint32_t(from - net.edges.data()), uint32_t(to - net.edges.data()))
                .empty())
            << t.id << ": no route from " << t.from << " to " << t.to;
        // Sorted, whole seconds inside the window.
        EXPECT_GE(t.depart_s, last);
        last = t.depart_s;
        EXPECT_GE(t.depart_s, o.begin_s);
        EXPECT_LT(t.depart_s, o.end_s);
        EXPECT_EQ(t.depart_s, std::floor(t.depart_s));
    }
    EXPECT_EQ(tractor_to, (std::set<std::string>{"track"}));  // out to the field track
    std::set<std::string> ids;
    for (const Trip& t : d.trips)
        ids.insert(t.id);
    EXPECT_EQ(ids.size(), d.trips.size());
}

TEST(TownDemand, OutOfTownTripsUseTheGateways) {
    const Network net = town_network();
    const Demand d = make_town_demand(town_places(), net, {});
    const std::set<std::string> entries{"-east", "-north", "south", "west"};
    const std::set<std::string> exits{"east", "north", "-south", "-west"};
    std::map<std::string, std::string> junction_of;  // gateway edge -> its junction
    for (const Gateway& gw : find_gateways(net)) {
        junction_of[gw.entry] = gw.junction;
        junction_of[gw.exit] = gw.junction;
    }
    std::map<std::string, size_t> through_from;
    for (const Trip& t : d.trips) {
        const std::string kind = prefix(t);
        if (t.purpose == "through") {
            EXPECT_TRUE(entries.count(t.from)) << t.id << " " << t.from;
            EXPECT_TRUE(exits.count(t.to)) << t.id << " " << t.to;
            EXPECT_NE(junction_of.at(t.from), junction_of.at(t.to)) << t.id;
            ++through_from[t.from];
        }
        if (kind == "work_out" || kind == "shop_out") {
            EXPECT_TRUE(exits.count(t.to)) << t.id;
            EXPECT_FALSE(entries.count(t.from) || exits.count(t.from)) << t.id;
        }
        if (kind == "work_in" || kind == "supply") {
            EXPECT_TRUE(entries.count(t.from)) << t.id;
        }
        if (kind == "work_local" || kind == "school" || kind == "shop") {
            EXPECT_FALSE(entries.count(t.from) || exits.count(t.to)) << t.id;
        }
    }
    ASSERT_EQ(through_from.size(), 4u);
    for (const auto& [_, k] : through_from)
        EXPECT_EQ(k, 405u);
}

TEST(TownDemand, BusLineIsAConnectedRoutePastTheSchool) {
    const Network net = town_network();
    const Demand d = make_town_demand(town_places(), net, {});
    std::set<std::string> school_edges;
    for (const Trip& t : d.trips)
        if (prefix(t) == "school") school_edges.insert(t.to);
    ASSERT_EQ(school_edges.size(), 1u);
    const std::string school = *school_edges.begin();
    std::vector<std::vector<std::string>> routes;
    for (const Trip& t : d.trips) {
        if (t.purpose != "bus") {
            EXPECT_TRUE(t.route.empty()) << t.id;
            continue;
        }
        EXPECT_EQ(t.type, "bus");
        ASSERT_GE(t.route.size(), 2u);
        EXPECT_EQ(t.route.front(), t.from);
        EXPECT_EQ(t.route.back(), t.to);
        for (size_t i = 0; i + 1 < t.route.size(); ++i) {
            const Edge* a = net.edge(t.route[i]);
            const Edge* b = net.edge(t.route[i + 1]);
            ASSERT_TRUE(a && b);
            EXPECT_EQ(a->to, b->from) << t.id << " " << a->id << " -> " << b->id;
            EXPECT_NE(b->to, a->from) << t.id << ": a U-turn";
        }
        EXPECT_NE(std::find(t.route.begin(), t.route.end(), school), t.route.end()) << t.id;
        if (std::find(routes.begin(), routes.end(), t.route) == routes.end()) routes.push_back(t.route);
    }
    // One route each way, between the gateways farthest apart (E and W).
    ASSERT_EQ(routes.size(), 2u);
    EXPECT_EQ(routes[0].front(), "-east");
    EXPECT_EQ(routes[0].back(), "-west");
    EXPECT_EQ(routes[1].front(), "west");
    EXPECT_EQ(routes[1].back(), "east");
}

TEST(TownDemand, MissingPlacesAreNotedAndBadOptionsRefused) {
    const Network net = town_network();
    std::vector<Place> places;
    for (const Place& p : town_places())
        if (p.kind == Place::Kind::home) places.push_back(p);
    std::vector<std::string> notes;
    const Demand d = make_town_demand(places, net, {}, &notes);
    auto noted = [&](const std::string& word) {
        return std::any_of(notes.begin(), notes.end(),
                           [&](const std::string& n) { return n.find(word) != std::string::npos; });
    };
    EXPECT_TRUE(noted("no school"));
    EXPECT_TRUE(noted("no shop"));
    EXPECT_TRUE(noted("jobs"));
    const auto n = count_prefixes(d);
    EXPECT_EQ(n.count("school") + n.count("shop") + n.count("work_local") + n.count("work_in"), 0u);
    EXPECT_GT(n.at("shop_out"), 0u);
    EXPECT_GT(n.at("bus"), 0u);  // the bus runs without a school, straight through

    TownDemandOptions o;
    o.employed_share = 1.5;
    try {
        make_town_demand(places, net, o);
        FAIL() << "no error";
    } catch (const zw::Error& e) {
        EXPECT_NE(std::string(e.what()).find("employed_share"), std::string::npos) << e.what();
    }
    o = {};
    o.end_s = o.begin_s;
    EXPECT_THROW(make_town_demand(places, net, o), zw::Error);
    o = {};
    o.car_occupancy = 0;
    EXPECT_THROW(make_town_demand(places, net, o), zw::Error);
    o = {};
    o.commute_profile = {{8 * 3600.0, 1.0}, {7 * 3600.0, 1.0}};
    EXPECT_THROW(make_town_demand(places, net, o), zw::Error);

    NetBuilder b;
    b.junction("A", 0, 0);
    b.junction("B", 100, 0);
    b.road("ab", "A", "B", 10, -1, "bicycle");
    EXPECT_THROW(make_town_demand(places, b.done(), {}), zw::Error);
}

TEST(TownDemand, PlaceKindsFromTheSampleTownsUses) {
    EXPECT_EQ(place_kind_of("Wohnhaus"), Place::Kind::home);
    EXPECT_EQ(place_kind_of("Mehrfamilienhaus"), Place::Kind::home);
    EXPECT_EQ(place_kind_of("Bauernhaus"), Place::Kind::farm);
    EXPECT_EQ(place_kind_of("Schule"), Place::Kind::school);
    EXPECT_EQ(place_kind_of("Supermarkt"), Place::Kind::shop);
    EXPECT_EQ(place_kind_of("Gewerbe"), Place::Kind::work);
    EXPECT_EQ(place_kind_of("Rathaus"), Place::Kind::civic);
    EXPECT_EQ(place_kind_of("Kläranlage"), Place::Kind::civic);
    EXPECT_EQ(place_kind_of("KIRCHE"), Place::Kind::church);
    EXPECT_EQ(place_kind_of("Feuerwehr"), Place::Kind::fire_station);
    EXPECT_EQ(place_kind_of("Scheune"), Place::Kind::other);
    EXPECT_EQ(place_kind_of("Garage"), Place::Kind::other);
    EXPECT_STREQ(place_kind_name(Place::Kind::fire_station), "fire_station");
}

}  // namespace
