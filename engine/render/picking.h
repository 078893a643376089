// Feature picking and highlighting, the parts without Vulkan: which sample of the pick
// region counts, which feature of a model a highlight means, and what a pick shows
// (layer, tile, feature, its attributes) as a struct and as one line of JSON.
// The GPU side (the pick pass) is in the renderer; see Renderer::request_pick().
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/gltf/model.h"

namespace zw::render {

inline constexpr uint32_t no_feature = UINT32_MAX;

// The pick region reaches this many pixels around the picked one, so that a click next
// to a one-pixel line (a pipe, a road centre line) still finds it.
inline constexpr uint32_t pick_radius = 2;
inline constexpr uint32_t pick_region = 2 * pick_radius + 1;  // pixels per side

// One texel of the pick target (VK_FORMAT_R32G32B32A32_UINT), written by pick.frag.
struct PickSample {
    uint32_t feature = no_feature;  // EXT_mesh_features id of the vertex (no_feature: none)
    uint32_t draw = 0;              // draw number: 0 the renderer's own model, i + 1 Renderer::streamed[i]
    uint32_t table = 0;             // the primitive's property table + 1 (0: none)
    uint32_t written = 0;           // 1 where anything was drawn, 0 where the clear (sky) is left
};
static_assert(sizeof(PickSample) == 16);

// The sample of a pick_region x pick_region region (row-major, the picked pixel in the
// middle) that a pick takes: the middle one when it shows a feature, else the nearest one
// that does (ties: the first in row order). The region's first texel is screen pixel
// (x0, y0); texels off the `width` x `height` screen are ignored. nullopt: no feature
// there (sky, or geometry without features such as terrain).
std::optional<size_t> choose_sample(std::span<const PickSample> region, int64_t x0, int64_t y0,
                                    uint32_t width, uint32_t height);

// The property table column holding the features' stable ids ("id", docs/twin-bundle.md),
// -1 when the table has none.
int find_id_column(const gltf::PropertyTable& table);

// The row of `table` whose id column holds `id`; no_feature when there is none (or no id
// column). Linear in the rows: a tile holds tens of features, and it only runs while
// something is highlighted.
uint32_t find_feature(const gltf::PropertyTable& table, std::string_view id);

// What is highlighted: one feature of one layer, matched by its stable id in every tile
// of that layer that holds it (the same building is in several tiles at different
// detail, with different feature indices); a feature of a table without an id column
// only in the content it was picked in.
struct Highlight {
    std::string id;                 // the id column's value; empty: match content + feature
    std::string content;            // the content URI it was picked in ("": the renderer's own model)
    uint32_t layer = UINT32_MAX;    // DrawModel::layer it was picked in
    int32_t table = -1;             // property table (in `content`) of the picked feature
    uint32_t feature = no_feature;  // its feature index there
    bool active() const { return feature != no_feature || !id.empty(); }
};

// The feature index that `h` highlights among the features of `model`'s property table
// `table` (-1: primitives with feature ids but no table), for a model drawn from `content`
// (nullptr: the renderer's own model) in `layer`. no_feature: nothing in there.
uint32_t highlighted_feature(const gltf::Model& model, const std::string* content, uint32_t layer,
                             int32_t table, const Highlight& h);

// What a pick found, with everything copied out of the tile (which may be evicted later).
struct PickResult {
    uint32_t x = 0, y = 0;  // the picked pixel
    bool hit = false;       // a feature was there
    std::string layer;      // the layer's id (twin layers), else its name
    std::string layer_title;
    std::string tile;     // the content, relative to the twin (or tileset) folder when inside it
    std::string content;  // the content's full URI
    uint32_t layer_index = UINT32_MAX;
    int32_t table = -1;
    uint32_t feature = no_feature;
    std::string id;  // the stable id, empty when the table has no id column
    std::vector<std::pair<std::string, std::string>> attributes;  // every column the tile holds, in order
};

// The attributes of `feature` in `model`'s property table `table` (empty when out of range).
std::vector<std::pair<std::string, std::string>> feature_attributes(const gltf::Model& model, int32_t table,
                                                                    uint32_t feature);

// `content` relative to the folder above the layer's tileset folder (the twin folder for
// twin layers: ".../citizen/buildings/tileset.json" and ".../citizen/buildings/t/4_3_5.glb"
// give "buildings/t/4_3_5.glb"); `content` itself when it lies elsewhere.
std::string tile_path(std::string_view tileset_uri, std::string_view content);

// The highlight a pick result asks for (inactive for a miss).
Highlight highlight_of(const PickResult& r);

// One line of JSON, keys in this order: x, y, hit, then for hits layer, layer_title,
// tile, feature, id (only when the table has an id column) and attributes (an object).
std::string pick_json(const PickResult& r);

}  // namespace zw::render
