// libFuzzer target: tile content decoding (decode_content: glb, glTF JSON, b3dm, and
// tileset JSON handed back as an external tileset). External buffers and images cannot
// be fetched. Bad input must end in zw::Error; any other exception, a sanitizer report
// or a model the renderer could not draw safely (checked below) is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/tiles/content.h"

namespace {

// ZW_FUZZ_VERBOSE=1 prints why each input was refused (for checking seeds).
const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

using zw::gltf::Model;

[[noreturn]] void broken_invariant(const char* what) {
    std::fprintf(stderr, "fuzz_content: invariant broken: %s\n", what);
    std::abort();
}

// What the renderer and the uploader index with without checking.
void check_model(const Model& m) {
    if (m.materials.empty()) broken_invariant("no materials (index 0 must be the default)");
    if (!m.feature_ids.empty() && m.feature_ids.size() != m.vertices.size())
        broken_invariant("feature_ids is not parallel to vertices");
    for (const auto& mesh : m.meshes) {
        for (const auto& p : mesh.primitives) {
            if (uint64_t(p.first_vertex) + p.vertex_count > m.vertices.size())
                broken_invariant("a primitive's vertices lie outside the vertex array");
            if (uint64_t(p.first_index) + p.index_count > m.indices.size())
                broken_invariant("a primitive's indices lie outside the index array");
            for (uint32_t i = 0; i < p.index_count; ++i)
                if (m.indices[p.first_index + i] >= p.vertex_count)
                    broken_invariant("an index points past its primitive's vertices");
            if (p.material >= m.materials.size()) broken_invariant("a primitive's material does not exist");
            if (p.property_table >= int64_t(m.property_tables.size()))
                broken_invariant("a primitive's property table does not exist");
        }
    }
    for (const auto& inst : m.instances)
        if (inst.mesh >= m.meshes.size()) broken_invariant("an instance's mesh does not exist");
    // A texture whose image could not be used has image UINT32_MAX; no material names it.
    for (const auto& tex : m.textures)
        if (tex.image != UINT32_MAX && tex.image >= m.images.size())
            broken_invariant("a texture's image does not exist");
    for (const auto& mat : m.materials) {
        if (mat.base_color_texture < 0) continue;
        if (mat.base_color_texture >= int64_t(m.textures.size()))
            broken_invariant("a material's texture does not exist");
        if (m.textures[mat.base_color_texture].image == UINT32_MAX)
            broken_invariant("a material names a texture without an image");
    }
    for (const auto& img : m.images)
        if (img.width < 0 || img.height < 0 || img.rgba.size() != size_t(img.width) * size_t(img.height) * 4)
            broken_invariant("an image's pixels do not match its size");
    for (const auto& table : m.property_tables) {
        if (table.values.size() != table.properties.size())
            broken_invariant("property table: values per property");
        for (const auto& column : table.values)
            if (column.size() != table.count)
                broken_invariant("property table: a column is not `count` long");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const zw::tiles::FetchFn fetch = [](const std::string& uri) -> std::vector<uint8_t> {
        throw zw::Error("no such file: " + uri);
    };
    try {
        const zw::tiles::DecodedContent c =
            zw::tiles::decode_content(std::span<const uint8_t>(data, size),
                                      "https://example.com/t/content.b3dm", glm::dmat4(1.0), fetch);
        if (c.kind == zw::tiles::DecodedContent::Kind::model) check_model(c.model);
        if (verbose)
            std::fprintf(stderr, "decoded: kind %d, %zu vertices, %zu indices, %zu warnings, %zu bytes\n",
                         int(c.kind), c.model.vertices.size(), c.model.indices.size(), c.warnings.size(),
                         c.cpu_bytes());
    } catch (const zw::Error& e) {
        // refused content: the expected outcome for most inputs
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
    }
    return 0;
}
