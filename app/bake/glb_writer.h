// Writes one tile as glTF 2.0 binary: y-up as 3D Tiles asks, one node translated to
// the tile centre, vertex colours, and for feature layers EXT_mesh_features feature
// IDs with an EXT_structural_metadata property table holding only the attributes on
// the twin's whitelist.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/bake/feature_layer.h"
#include "app/bake/tiler.h"

namespace zw::bake {

// Tile budgets (the issue's): a glb over this is a bake error.
inline constexpr size_t max_glb_bytes = 2 * 1024 * 1024;
inline constexpr size_t max_primitive_vertices = 65536;

struct GlbStats {
    size_t primitives = 0;
    size_t vertices = 0;
    size_t triangles = 0;
};

// `layer` and `properties` (indices into its class, in order) only for feature
// layers; pass nullptr for terrain. Throws zw::Error when the tile breaks a budget.
std::vector<uint8_t> write_glb(const TileMesh& mesh, const FeatureLayer* layer,
                               const std::vector<size_t>& properties, const std::string& name,
                               GlbStats* stats = nullptr);

}  // namespace zw::bake
