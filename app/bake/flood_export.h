// The sample town's HQ100 flood scenarios for zwilling-flood (docs/flood-scenario.md):
// the ground of the creek valley as a raster with the buildings burned in as obstacles,
// the creek and ponds at their normal level as the initial water, the buildings as
// sites (residents and critical infrastructure), a synthetic HQ100 hydrograph of the
// Seebach, and two scenarios: the baseline and one with mobile walls along the creek
// through the old core.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/bake/recipe.h"

namespace zw::bake {

struct FloodExportOptions {
    double cell_m = 10;     // raster cell
    double margin_m = 450;  // the valley corridor: this far north and south of the creek
};

// Writes terrain.asc, initial_depth.asc, sites.json, hq100-baseline.json and
// hq100-measures.json into `out` (created). Returns what it wrote (cells, sites, files).
nlohmann::json export_flood_scenarios(const Recipe& recipe, const std::filesystem::path& out,
                                      const FloodExportOptions& options = {});

}  // namespace zw::bake
