// The sample town's HQ100 flood scenarios inside the twin bundles: the bake exports them
// (flood_export.h), runs each with the flood runner (app/flood/runner.h), and writes into
// every twin that may hold it:
//
//   scenarios/hq100/terrain.asc, initial_depth.asc   the inputs (ESRI ASCII)
//   scenarios/hq100/sites.json                       the buildings as sites, with residents
//                                                    and critical infrastructure only where
//                                                    the twin holds those attributes
//   scenarios/hq100/<id>.json                        the scenario (docs/flood-scenario.md)
//   scenarios/hq100/<id>/frames.zwf                  depth every 300 s (depth_frames.h)
//   scenarios/hq100/<id>/max_depth.asc, arrival_time.asc, impacts.csv, summary.json
//
// The citizens' twin gets the public scenarios only (the baseline); the council and the
// administration get both. The manifests list them under "scenarios".
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/bake/recipe.h"

namespace zw::bake {

// One twin the scenarios go into.
struct FloodTwin {
    std::string id;              // citizen, council, administration
    std::filesystem::path dir;   // its (staged) folder
    bool all_scenarios = false;  // false: only the public ones
    bool residents = false;      // the twin holds buildings' residents
    bool critical = false;       // ... and critical_infrastructure
};

struct FloodBundle {
    std::map<std::string, nlohmann::json> scenarios;  // per twin id: the manifest's "scenarios"
    nlohmann::json report;                            // per scenario: steps, wall time, impacts
};

// `work` is a scratch folder (created, removed again). Throws zw::Error.
FloodBundle bake_flood(const Recipe& recipe, const std::vector<FloodTwin>& twins,
                       const std::filesystem::path& work, unsigned threads);

}  // namespace zw::bake
