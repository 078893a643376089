// Decoding tile content on a worker thread: bytes in, a gltf::Model in world space
// (or an external tileset) out. Pure CPU work, no Vulkan; thread-safe.
//
// Formats: glb and glTF JSON (y-up turned z-up per the 3D Tiles spec, CESIUM_RTC),
// legacy b3dm (header, feature table with RTC_CENTER and BATCH_LENGTH, batch table
// JSON and binary as a property table, _BATCHID as feature ids), i3dm (GPU instancing,
// BATCH_ID per instance), pnts point clouds, KHR_mesh_quantization (normalised and
// integer attributes), EXT_meshopt_compression (libmeshoptimizer),
// KHR_draco_mesh_compression (libdraco), EXT_mesh_gpu_instancing, EXT_mesh_features
// feature ids and EXT_structural_metadata property tables; triangles, lines and points
// (strips, fans and loops become lists). The legacy formats' tables: legacy_tile.h.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "engine/gltf/model.h"
#include "engine/tiles/tileset.h"

namespace zw::tiles {

struct DecodedContent {
    enum class Kind { model, external_tileset, empty };
    Kind kind = Kind::empty;
    gltf::Model model;                  // kind == model: instances placed in world space
    std::vector<uint8_t> json;          // kind == external_tileset: the tileset.json bytes
    std::vector<std::string> warnings;  // things skipped (unsupported extension, ...)

    // CPU bytes the decoded model holds (vertex, index, pixel, feature arrays).
    size_t cpu_bytes() const;
};

// Decodes the content at `uri` for a tile whose world transform is `tile_transform`:
//   world = tile_transform * [RTC translation] * y_up_to_z_up * glTF node transforms.
// The kind is detected from the bytes (magic "glTF", "b3dm", or JSON: glTF or a
// tileset), not from the URI. `fetch` reads external glTF buffers and images
// (URIs already resolved against `uri`).
// Throws zw::Error naming `uri` and the reason for truncated, corrupt or unsupported
// content ("cmpt not supported", "required extension X not supported").
DecodedContent decode_content(std::span<const uint8_t> bytes, const std::string& uri,
                              const glm::dmat4& tile_transform, const FetchFn& fetch);

}  // namespace zw::tiles
