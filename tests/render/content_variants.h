// Tile contents made in the test, for what public samples rarely hold: textured glTF
// with many images, hostile and unusual images (huge claims, odd formats, missing or
// undecodable files, zero-sized buffers) and broken texture references. Each variant is
// a complete glb (or glTF JSON with external images) that a tile could serve.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <glm/glm.hpp>

namespace zw::test {

struct ContentVariant {
    std::string name;
    std::vector<uint8_t> bytes;
    // External files the content refers to (URI relative to the content -> bytes).
    std::vector<std::pair<std::string, std::vector<uint8_t>>> files;
};

// A row of `count` unit quads (glTF x from 0 to 1.2 * count, y 0..1, facing +z, i.e.
// south after the y-up to z-up turn), quad i textured with image i: its left half
// `left_colour(i)`, its right half `right_colour(i)`, sampled NEAREST. Quads whose index
// is in `transformed` swap their halves through KHR_texture_transform (offset 0.5, REPEAT).
std::vector<uint8_t> make_textured_row_glb(int count, const std::vector<int>& transformed = {});
glm::u8vec3 left_colour(int i);
glm::u8vec3 right_colour(int i);

// Everything the robustness sweep feeds through decode and upload.
std::vector<ContentVariant> hostile_content_variants();

// The same bytes wrapped as a b3dm tile (empty feature table with BATCH_LENGTH 0).
std::vector<uint8_t> wrap_b3dm(const std::vector<uint8_t>& glb);

// An i3dm drawing `glb` at each of `positions` (tile space, z up; EAST_NORTH_UP off,
// no turn), scaled by `scales` (empty: 1), with BATCH_IDs 0..n-1 and a batch table
// column "name" holding `names`.
std::vector<uint8_t> make_i3dm(const std::vector<uint8_t>& glb, const std::vector<glm::vec3>& positions,
                               const std::vector<float>& scales, const std::vector<std::string>& names);

// A glb whose one node draws a unit quad of `colour` four times through
// EXT_mesh_gpu_instancing: at glTF x = 0, 2, 4, 6; the second scaled 0.5, the third
// turned 45 degrees about glTF z (a diamond), the fourth moved up 0.5.
std::vector<uint8_t> make_gpu_instanced_glb(glm::u8vec3 colour);

// A glb of one unit quad (glTF x 0..1, y 0..1, facing +z) of a plain `colour`.
std::vector<uint8_t> make_plain_quad_glb(glm::u8vec3 colour);

}  // namespace zw::test
