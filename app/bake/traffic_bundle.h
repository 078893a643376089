// The sample town's traffic scenarios inside the twin bundles: a weekday morning peak
// (6:00 to 10:00) run with SUMO (engine/scenario/sumo/run.h) on the town's network
// (traffic_network.h), from a synthetic demand made from the town's buildings
// (engine/scenario/traffic/town_demand.h). Four scenarios:
//
//   traffic-baseline      the morning peak as it is                          public
//   traffic-hauptstrasse  a construction site closes the Hauptstraße south of the
//                         market square for the whole morning (detours)        public
//   traffic-hq100         the HQ100 baseline flood: a road closes while water over
//                         30 cm stands on it (engine/scenario/traffic/flood_closures.h;
//                         the flood starts at 5:00, so its peak meets the rush hour)  public
//   traffic-sonnenhang    the development area "Am Sonnenhang" built: its planned
//                         houses add their residents' trips                    council, administration
//
// What a twin gets, under scenarios/traffic/:
//
//   network.net.xml                 the road network (written by the bake before)
//   demand-baseline.rou.xml         the synthetic demand (SUMO route file; trips)
//   demand-sonnenhang.rou.xml       ... with the development area's trips, where it holds that scenario
//   <id>.json                       the scenario (docs/traffic-scenario.md)
//   <id>/trajectories.zwt           the vehicles (docs/traffic-bundle.md)
//   <id>/edge_measures.json, summary.json, closures.json, tripinfo.xml
//   <id>/emergency.json             the fire brigade's reach (below)
//
// Emergency access: from the fire station to every building, the fastest route for a
// fire engine with no closure and at the scenario's worst moment, against a 10-minute
// target. The citizens' twin gets the counts only; the council and the administration
// also the buildings, with critical sites shown as the twin may show them (ordinary
// buildings where it may not name them).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/bake/crs.h"
#include "app/bake/recipe.h"
#include "app/bake/town.h"

namespace zw::bake {

// One twin the traffic scenarios go into.
struct TrafficTwin {
    std::string id;              // citizen, council, administration
    std::filesystem::path dir;   // its (staged) folder
    bool all_scenarios = false;  // false: only the public ones
    bool buildings = false;      // per-building emergency access (else the counts only)
    // The critical sites this twin may not name: their id -> the ordinary id it shows.
    std::map<std::string, std::string> unnamed_critical;
};

struct TrafficBundle {
    std::map<std::string, nlohmann::json> scenarios;  // per twin id: entries for the manifest's "scenarios"
    nlohmann::json report;  // per scenario: vehicles, wall time, travel times, peak flows; the demand
};

// Runs the scenarios on `network` (the .net.xml the bake built) and writes them into the
// twins' scenarios/traffic/. `hq100` is the folder of the HQ100 baseline's results
// (frames.zwf, next to its terrain.asc one folder up) or empty: no HQ100 scenario. `work`
// is a scratch folder (created, removed again). Throws zw::Error.
TrafficBundle bake_traffic(const Recipe& recipe, const Town& town, const Frame& frame,
                           const std::filesystem::path& network, const std::filesystem::path& hq100,
                           const std::vector<TrafficTwin>& twins, const std::filesystem::path& work);

}  // namespace zw::bake
