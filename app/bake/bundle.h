// The whole bake: generate the town, cut every layer into tiles, and write the three
// twin bundles from their whitelists (docs/twin-bundle.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/bake/crs.h"
#include "app/bake/feature_layer.h"
#include "app/bake/recipe.h"
#include "app/bake/tiler.h"

namespace zw::bake {

struct TwinSpec {
    std::string id, audience, title_de, title_en;
    Access level;
};
// citizen, council, administration.
const std::vector<TwinSpec>& twin_specs();

// A name the bundle itself uses in a bake's output or a twin folder, and what for. A layer
// may not take one as its id: its folder would be served, or granted, by the rules for
// that name (the server grants `scenarios/` to every department). The one list that the
// bake, the importers, the server configuration and `zwilling-bake check` refuse.
struct ReservedName {
    const char* name;
    const char* use;  // "the flood scenarios of every department", ...
};
const std::vector<ReservedName>& reserved_names();

// Empty when `id` may name a layer (and so its folder, its URL path and its rules in the
// server configuration): 1 to 64 characters, lowercase ASCII letters, digits, '_' and '-',
// starting with a letter or a digit, and not a reserved name. Lowercase only, so that no
// two layers share a folder on a case-insensitive file system (a twin on a USB stick).
// Otherwise the reason, to follow "the layer id 'X' ".
std::string layer_id_problem(const std::string& id);
// `id` for a message: control characters and backslashes as \xNN, so that a hostile id cannot
// move the terminal's cursor.
std::string printable_id(const std::string& id);

// The recipe's origin: EPSG:25832 easting/northing rounded to the centimetre.
Frame make_frame(const Recipe& recipe);

struct BakeOptions {
    std::filesystem::path out;
    int threads = 2;
    // Twin ids to write (citizen, council, administration); empty: all three. Layers
    // that none of them may hold are not tiled.
    std::vector<std::string> twins;
    // Run the recipe's flood scenarios (Recipe::flood_scenarios) into the twins.
    bool flood = true;
    // Build the recipe's traffic network (Recipe::traffic_network) with SUMO's netconvert
    // into every twin (app/bake/traffic_network.h). A bake that should and cannot (no
    // netconvert) fails before any work, saying so.
    bool traffic = true;
};

// The tiling of a feature layer: the layer's defaults for the recipe's extent, then
// what the recipe's `tiling.<layer>` sets. Defaults at 4096 m and below are the sample
// town's; above, every level-of-detail step keeps its tile size (one more level per
// doubling) and the drop size grows with the extent.
TilingOptions tiling_options(const std::string& layer_id, const Recipe& recipe);

// Bakes the recipe's town plus `imported` layers into options.out (staged, then
// swapped in). Refuses (zw::Error, before anything is written) an imported layer whose
// id is not a valid layer id (layer_id_problem) or is taken by the town or another import. Returns the bake
// report (also written to out/bake-report.json): timings, tile counts per level, triangles, bytes per twin
// and layer.
nlohmann::json bake(const Recipe& recipe, std::vector<FeatureLayer> imported, const BakeOptions& options);

}  // namespace zw::bake
