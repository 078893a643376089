// The tile formats that content.cpp hands on, each in a file of its own. Same contract
// as decode_content (content.h): bytes of that format in, a model in world space out;
// zw::Error naming the tile for broken content.
#pragma once

#include "engine/tiles/content.h"

namespace zw::tiles {

// i3dm: the glTF (embedded or by URI) drawn once per instance with GPU instancing
// (gltf::MeshInstance::instance_count), BATCH_IDs as the copies' feature ids and the
// batch table as a property table. Refuses more than 2^20 instances.
DecodedContent decode_i3dm(std::span<const uint8_t> bytes, const std::string& uri,
                           const glm::dmat4& tile_transform, const FetchFn& fetch);

}  // namespace zw::tiles
