// Static 3D Tiles loading: until tile streaming lands, a tileset is read whole, at
// its finest level, into one render::Model. Pure CPU work (JSON and glTF decoding),
// no Vulkan; the cost is that of loading every finest tile, once, at startup.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/geo/geo.h"
#include "engine/render/model.h"

namespace zw::tiles {

// What load_tileset() found on its way. Every warning is also logged (zw::core::warn).
struct TilesetReport {
    size_t tiles = 0;             // tiles visited
    size_t contents_loaded = 0;   // glb/gltf contents appended to the model
    size_t contents_failed = 0;   // contents that could not be loaded (missing, broken, outside the folder)
    size_t contents_skipped = 0;  // contents this loader does not draw (b3dm, pnts, external tilesets, ...)
    std::vector<std::string> warnings;
};

// Appends `part` to `into`: vertex, index, mesh, material, texture and image indices of
// `part` are rebased behind those already in `into`; bounds are merged. `into.name` is
// kept unless it is empty. Linear in the size of `part`.
void append_model(render::Model& into, render::Model&& part);

// Loads a 3D Tiles 1.0 or 1.1 tileset.json and the glb/gltf content of its finest level:
// for `refine: REPLACE` the leaves' content (a subtree whose content all fails falls back
// to its parent's content), for `refine: ADD` every tile's content along the way. Tile
// `transform`s are chained parent * child and used as each content's placement (the glTF
// loader turns glTF's y-up into z-up below it), so the model is in the tileset's world
// frame (ECEF for georeferenced tilesets).
//
// Content URIs resolve inside the tileset's folder; `..` escapes, absolute paths and
// non-file URIs are refused. A content that fails to load is logged as one warning
// naming its URI and the reason, and skipped. Contents this loader cannot draw yet
// (b3dm, i3dm, pnts, cmpt, external tilesets, implicit tiling) are skipped with one
// warning for the whole tileset. The returned model may have no instances.
//
// Throws zw::Error naming the file when tileset.json is missing, is not JSON or is not
// a tileset (no `root`, a malformed `transform`, ...).
render::Model load_tileset(const std::filesystem::path& tileset_json, TilesetReport* report = nullptr);

struct TwinLayer {
    std::string id;
    std::string title_de, title_en;
    std::string tileset;  // relative URI, as in twin.json
    bool default_visible = false;
    bool loaded = false;  // its tileset was read and gave at least one tile content
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
    TilesetReport report;           // summed over the loaded layers
};

// Reads a twin bundle (a folder holding twin.json, or the twin.json itself) and loads
// every layer with `default_visible: true` into one model, in ECEF. `info` (optional)
// receives the manifest's town, twin and origin. Throws zw::Error with what to do when
// twin.json is missing or malformed, or when no layer gave any content; a layer whose
// tileset cannot be read is a warning.
render::Model load_twin(const std::filesystem::path& twin_dir_or_json, TwinInfo* info = nullptr);

// Resolves a relative URI (percent-decoded) against `base_dir`. Throws zw::Error when it
// is absolute, has a scheme (http:, data:, ...) or leaves `base_dir` by `..`.
std::filesystem::path resolve_inside(const std::filesystem::path& base_dir, const std::string& uri);

}  // namespace zw::tiles
