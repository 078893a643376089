// The sample town's HQ100 flood scenarios inside the twin bundles: the bake exports them
// (flood_export.h), runs each with the engine's flood run (engine/scenario/flood/run.h), and
// writes into every twin that may hold it:
//
//   scenarios/hq100/terrain.asc, initial_depth.asc   the inputs (ESRI ASCII)
//   scenarios/hq100/sites.json                       the buildings as sites, with residents
//                                                    and critical infrastructure only where
//                                                    the twin holds those attributes, and
//                                                    critical sites unnamed where it may
//                                                    not name them
//   scenarios/hq100/<id>.json                        the scenario (docs/flood-scenario.md)
//   scenarios/hq100/<id>/frames.zwf                  depth every 300 s (engine/scenario/flood/depth_frames.h)
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
    // The critical sites this twin may not name (app/bake/critical_sites.h): their id ->
    // the ordinary id it shows. Such a site is an ordinary building there: counted in the
    // totals, but with that id, the generic use as its name and kind, and not critical.
    std::map<std::string, std::string> unnamed_critical;
};

// The sites (sites.json of the flood export) as `twin` may hold them: without residents
// or the critical flag where it does not hold those, and critical sites it may not name
// as ordinary buildings.
nlohmann::json twin_sites(const nlohmann::json& all_sites, const FloodTwin& twin);

struct FloodBundle {
    std::map<std::string, nlohmann::json> scenarios;  // per twin id: the manifest's "scenarios"
    nlohmann::json report;                            // per scenario: steps, wall time, impacts
};

// `work` is a scratch folder (created, removed again). Throws zw::Error.
FloodBundle bake_flood(const Recipe& recipe, const std::vector<FloodTwin>& twins,
                       const std::filesystem::path& work, unsigned threads);

}  // namespace zw::bake
