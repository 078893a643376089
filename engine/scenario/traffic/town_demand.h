// A weekday morning's traffic for a town, made from the town itself: SYNTHETIC, plausible
// but not counted or surveyed anywhere. Residents per place give commuters (out of town,
// and to the town's workplaces), parents driving pupils to school and shoppers; the
// town's workplaces draw commuters from outside; through traffic enters on the main
// roads at the map's edges; one bus line crosses the town past the school; delivery vans,
// supply trucks and tractors come on top. Every rate is an option below with its source
// or assumption; counts are the rates times the town's figures, rounded (so that a test,
// and a reader, can recompute them); who goes where and when is drawn from a seeded
// generator: the same places, network, options and seed give the same trips on every
// platform (std::mt19937_64 is fixed by the standard; the distributions are our own).
//
// Trips go between edges (SUMO routes them at departure, under the closures then in
// force): a place is attached to the nearest edge that its vehicle class may use (the
// rightmost usable lane's centre line, internal edges never), among the edges that reach
// each other (the largest strongly connected set), so that every trip can be routed on
// the open network. Trips out of and into the town use gateways (find_gateways). The bus
// line is the only trip with a fixed route. Pure code: no SUMO library.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <glm/glm.hpp>
#include <nlohmann/json.hpp>

#include "engine/scenario/traffic/demand.h"
#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/places.h"

namespace zw::scenario::traffic {

// A rate over the day: (seconds of the day, relative rate) points, ascending in time,
// linear between them and 0 outside them. Departures are drawn from it within the
// window; only its shape counts (through traffic also uses its peak, see below).
using DepartureProfile = std::vector<std::pair<double, double>>;

struct TownDemandOptions {
    uint64_t seed = 1;
    double begin_s = 6 * 3600.0;  // the window: every trip departs in [begin_s, end_s)
    double end_s = 10 * 3600.0;   // (at least a minute; whole seconds are drawn)

    // Commuters. Each share is one of the line before; cars = persons / occupancy.
    // Residents in work: Germany 0.55 (Destatis 2023); rural towns with more retirees ~0.50.
    double employed_share = 0.50;
    // Of the employed, at their workplace on a given weekday (leave, sickness, part-time
    // days, home office; assumption after MiD 2017).
    double at_work_share = 0.85;
    // Of those, leaving within the window (the rest on early shifts or later; assumption).
    double morning_share = 0.85;
    // Of the employed, working outside the town (small Bavarian towns near a city: 0.7 to
    // 0.85; Bundesagentur für Arbeit, Pendleratlas).
    double out_commuter_share = 0.75;
    // Of out- and in-commuters, by car (MiD 2017, rural areas: about 0.8).
    double commute_car_share = 0.80;
    // Of those working in the town, by car (short ways: many walk or cycle; assumption).
    double local_car_share = 0.50;
    // Persons per commuting car (MiD 2017: 1.1 on the way to work).
    double car_occupancy = 1.1;
    // Of the town's workplaces (Place::jobs), held by people from elsewhere (assumption,
    // the Pendleratlas's order for small towns).
    double in_commuter_share = 0.60;

    // School: pupils driven by a parent to the nearest school, who drives back home.
    // Residents who are pupils at the town's school (ages 6 to 15: ~9.5 % of the
    // population, Destatis).
    double pupil_share = 0.09;
    // Of pupils, driven there ("Elterntaxi": 20-30 % at primary schools, ADAC and VCD surveys).
    double school_car_share = 0.20;
    double pupils_per_car = 1.3;         // siblings share the ride (assumption)
    double school_start_s = 8 * 3600.0;  // lessons begin; drop-offs arrive in the 25 minutes before
    double school_stop_s = 120;          // a parent's stop at the school before driving back

    // Shopping, in the later morning; each shopper drives back after the stay.
    // Car trips to shops in the window per resident (MiD 2017: ~0.4 shopping trips a person
    // a day, about half by car, a quarter of them before 10:00).
    double shopping_trips_per_resident = 0.05;
    // Of them, to shops out of town (the larger stores in the towns around; assumption).
    double shopping_out_share = 0.30;
    double shopping_stay_s = 1800;  // time in the shop (assumption)

    // Through traffic on the main roads: vehicles an hour entering at each main-road
    // gateway at the profile's peak (a state road of 4,000-8,000 vehicles a day: peak hour
    // ~9 %, half of it per direction, about half of that through traffic; assumption).
    double through_peak_vph = 120;
    // Heavy goods vehicles among them (Bavarian state roads: 5-10 % heavy traffic).
    double through_truck_share = 0.08;

    // One bus line between the two gateways farthest apart, past the (first) school.
    double bus_headway_s = 1800;  // a bus every 30 minutes each way (a rural line at the morning peak)
    double bus_offset_s = 300;    // the first bus after begin_s; the other way half a headway later

    // Commercial and farm traffic.
    // Delivery and craftsmen's van trips per 1,000 residents in the window (vans: some 10 %
    // of a town's motor traffic, KiD 2010; assumption).
    double van_trips_per_1000 = 15;
    double van_from_outside_share = 0.6;  // of them, from out of town (else from a workplace in town)
    double supply_trucks_per_shop = 1;    // a shop's morning delivery, in and out (assumption)
    double supply_stop_s = 1200;          // unloading before the truck leaves
    double tractor_trips_per_farm = 1;  // tractors leaving each farm for the fields (field work; assumption)
    // SUMO 1.15 knows no "agricultural" class ("The vehicle class 'agricultural' ... is not
    // known"): the bake's networks let `custom1` on the farm tracks for it.
    std::string tractor_vclass = "custom1";
    double tractor_max_speed_ms = 40 / 3.6;  // tractors' speed limit in Germany (40 km/h)

    // Departure profiles (seconds of the day). Commuters: a peak from 7:15 to 7:45.
    DepartureProfile commute_profile = {{6 * 3600.0, 0.4},  {6.5 * 3600, 1.0},  {7 * 3600.0, 1.6},
                                        {7.25 * 3600, 2.0}, {7.75 * 3600, 2.0}, {8.25 * 3600, 1.0},
                                        {9 * 3600.0, 0.4},  {10 * 3600.0, 0.2}};
    DepartureProfile shopping_profile = {{8 * 3600.0, 0.0}, {9 * 3600.0, 1.0}, {10 * 3600.0, 1.2}};
    // Through traffic: vehicles an hour at time t = through_peak_vph x profile(t) / its peak.
    DepartureProfile through_profile = {
        {6 * 3600.0, 0.55}, {7 * 3600.0, 1.0}, {8 * 3600.0, 1.0}, {9 * 3600.0, 0.75}, {10 * 3600.0, 0.7}};
    DepartureProfile van_profile = {{6.5 * 3600, 0.0}, {7.5 * 3600, 1.0}, {10 * 3600.0, 1.0}};
    DepartureProfile farm_profile = {{6 * 3600.0, 0.5}, {7 * 3600.0, 1.0}, {10 * 3600.0, 1.0}};

    // How near the network's outline a dead end must lie to be a gateway; 0: 3 % of the
    // outline's larger side, at least 25 m (find_gateways).
    double gateway_margin_m = 0;
};

// Where traffic enters and leaves the map: a junction with the edge that leaves it into
// the network and the one that arrives there (either may be empty: a one-way road).
struct Gateway {
    std::string junction;
    glm::dvec2 position{0.0};  // EPSG:25832
    std::string entry, exit;   // edge ids
    bool main = false;         // on a main road
};

// The gateways of a network for a vehicle class: dead ends (junctions with a single
// neighbouring junction) within `margin_m` of the bounding box of all junctions (0: 3 %
// of its larger side, at least 25 m), whose entry edge reaches the rest of the network
// and whose exit edge is reached from it. Where there are none (a network that was not
// cut out of a larger one), the junction nearest each side of the box (west, east,
// south, north; on a main road where there is one) stands in. Main roads: the edges of
// the highest priority the class may use, where priorities differ; else of the highest
// speed. Ascending by junction id. O(edges + junctions).
std::vector<Gateway> find_gateways(const Network& net, std::string_view vclass = "passenger",
                                   double margin_m = 0);

// The town's morning: vehicle types "car" (passenger), "van" (delivery), "truck",
// "bus", "tractor" (options.tractor_vclass, 40 km/h) and "fire_engine" (emergency; for
// emergency runs, no trips here); trips ascending by departure (ties in the order made),
// with purposes "work", "school", "shopping", "through", "bus", "delivery", "farm".
//
// Counts (R: the residents of the places attached to the network, J: their jobs, each
// line rounded to a whole number): out-commuter cars R x employed x at_work x morning x
// out_commuter x commute_car / occupancy; local R x employed x at_work x morning x (1 -
// out_commuter) x local_car / occupancy (to places with jobs; with none, they are
// out-commuters); in-commuter cars J x in_commuter x at_work x morning x commute_car /
// occupancy; school runs R x pupil x school_car / pupils_per_car (to the nearest school;
// none without a school), each with the way back when it falls in the window; shopping
// R x shopping_trips_per_resident, shopping_out_share of them out of town, each with the
// way back in the window; through traffic per main gateway as the profile says, the
// truck share exact; buses every headway each way; vans R / 1000 x van_trips_per_1000;
// supply trucks per shop, in and out; tractors per farm to a field track (an edge whose
// lanes list the tractor class in `allow`, else the lowest-priority edges). Homes are
// picked in proportion to residents, destinations to jobs (shops: to jobs, 1 each where
// none; vans: to residents + 3 x jobs). Throws zw::Error for options out of range (a negative rate, a share
// above 1, an empty window, a zero occupancy) or a network without an edge cars may use or without gateways.
// `notes` (optional) gets what was left out and why (no school, no bus route).
Demand make_town_demand(const std::vector<Place>& places, const Network& net,
                        const TownDemandOptions& options, std::vector<std::string>* notes = nullptr);

// What a demand adds up to: trips per purpose and per vehicle type, and per hour of the
// window (by departure). The flows on the roads (vehicles an hour per edge) are known
// only after SUMO has routed the trips: see the run's edgeData.
struct DemandReport {
    double begin_s = 0, end_s = 0;
    size_t trips = 0;
    std::map<std::string, size_t> by_purpose, by_type;
    // Hour k covers [begin_s + 3600 k, begin_s + 3600 (k + 1)): trips per purpose.
    std::vector<std::map<std::string, size_t>> by_hour;
};
DemandReport report_demand(const Demand& demand, double begin_s, double end_s);

// {"begin_s", "end_s", "trips", "by_purpose": {...}, "by_type": {...}, "by_hour":
// [{"from_s", "to_s", "trips", "by_purpose": {...}}], "synthetic": true}.
nlohmann::json demand_report_json(const DemandReport& report);

}  // namespace zw::scenario::traffic
