// pnts point clouds (3D Tiles 1.0), private to the tiles module: content.cpp hands a
// tile whose magic is "pnts" here.
//
// Read: POSITION, POSITION_QUANTIZED (with QUANTIZED_VOLUME_OFFSET/SCALE), RGBA, RGB,
// RGB565, CONSTANT_RGBA, NORMAL, NORMAL_OCT16P, BATCH_ID (unsigned byte, short or int)
// with BATCH_LENGTH, RTC_CENTER, the batch table (JSON and binary; per batch id, or per
// point without BATCH_ID) as the model's property table with the batch ids (or point
// numbers) as feature ids, and 3DTILES_draco_point_compression (feature and batch
// table properties, decoded with libdraco). Colours are sRGB in pnts and linear in a
// gltf::Vertex: they are converted. The points are one primitive of Topology::points
// in z-up tile space (pnts has no y-up axis), placed at tile_transform * RTC_CENTER.
#pragma once

#include <span>
#include <string>

#include <glm/glm.hpp>

#include "engine/tiles/content.h"

namespace zw::tiles {

// Throws zw::Error naming `uri` for truncated or inconsistent tiles (missing
// POINTS_LENGTH or positions, properties past the binary, batch ids beyond
// BATCH_LENGTH, corrupt Draco data).
DecodedContent decode_pnts(std::span<const uint8_t> bytes, const std::string& uri,
                           const glm::dmat4& tile_transform);

}  // namespace zw::tiles
