// A twin bundle's manifest (twin.json, docs/twin-bundle.md): the town, the twin and
// its layers, each a tileset the viewer streams. Pure code, no Vulkan.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/geo/geo.h"

namespace zw::tiles {

struct TwinLayer {
    std::string id;
    std::string title_de, title_en;
    std::string tileset;  // relative URI, as in twin.json
    bool default_visible = false;
};

// The parts of twin.json the viewer shows (docs/twin-bundle.md).
struct TwinInfo {
    std::filesystem::path folder;  // the twin folder (holds twin.json)
    std::string id;                // citizen, council or administration
    std::string title_de, title_en;
    std::string town;  // town.name
    bool synthetic = false;
    std::string description_de, description_en;
    // The town origin; height_m is ellipsoidal: origin.height + crs.geoid_undulation_m.
    geo::Geodetic origin;
    std::vector<TwinLayer> layers;  // in drawing order
};

// Reads a twin bundle's manifest (a folder holding twin.json, or the twin.json itself):
// town, twin, origin and layers, without loading any tile. Throws zw::Error with what to
// do when twin.json is missing or malformed.
TwinInfo read_twin(const std::filesystem::path& twin_dir_or_json);

// Resolves a relative URI (percent-decoded) against `base_dir`. Throws zw::Error when it
// is absolute, has a scheme (http:, data:, ...) or leaves `base_dir` by `..`.
std::filesystem::path resolve_inside(const std::filesystem::path& base_dir, const std::string& uri);

}  // namespace zw::tiles
