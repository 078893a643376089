// Tile content decoding of glTF (engine/tiles/content.h): placement by the tile
// transform, topologies, quantisation, required extensions, CESIUM_RTC, external
// buffers, EXT_meshopt_compression and node graphs that share nodes.
#include "engine/tiles/content.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <meshoptimizer.h>
#include <glm/gtc/matrix_transform.hpp>

#include "content_test_util.h"
#include "engine/core/error.h"

namespace {

using namespace zw::test;

TEST(ContentGltf, GlbIsPlacedByTheTileTransformAboveYUpToZUp) {
    const std::vector<uint8_t> glb = batched_triangle_glb();
    const glm::dmat4 tile = glm::translate(glm::dmat4(1.0), glm::dvec3(100, 200, 300));
    const DecodedContent c = decode(glb, "t.glb", tile);
    ASSERT_EQ(c.kind, DecodedContent::Kind::model);
    ASSERT_EQ(c.model.instances.size(), 1u);
    EXPECT_EQ(c.model.triangle_count(), 1u);
    // glTF (0, 1, 0) is up: world z.
    const auto& prim = only_primitive(c.model);
    glm::dvec3 top(0);
    for (uint32_t v = 0; v < prim.vertex_count; ++v)
        if (c.model.vertices[prim.first_vertex + v].position.y > 0.5f)
            top = world_position(c.model, 0, prim.first_vertex + v);
    EXPECT_NEAR(top.x, 100, 1e-9);
    EXPECT_NEAR(top.y, 200, 1e-9);
    EXPECT_NEAR(top.z, 301, 1e-9);
    // A plain glb has no batch table: _BATCHID alone gives no feature ids.
    EXPECT_TRUE(c.model.feature_ids.empty());
    EXPECT_TRUE(c.model.property_tables.empty());
    EXPECT_GE(c.cpu_bytes(), c.model.vertices.size() * sizeof(zw::gltf::Vertex));
}

TEST(ContentGltf, LineStripsLoopsAndPointsAreKept) {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 4, "VEC3");
    const std::vector<uint16_t> idx = {0, 1, 2, 3};
    const int i = b.accessor(b.view(idx), GL_UNSIGNED_SHORT, 4, "SCALAR");
    b.single_mesh(json::array({
        {{"attributes", {{"POSITION", p}}}, {"indices", i}, {"mode", 3}},  // strip: 3 segments
        {{"attributes", {{"POSITION", p}}}, {"indices", i}, {"mode", 2}},  // loop: 4 segments
        {{"attributes", {{"POSITION", p}}}, {"mode", 3}},                  // strip, not indexed
        {{"attributes", {{"POSITION", p}}}, {"mode", 1}},                  // 2 separate lines
        {{"attributes", {{"POSITION", p}}}, {"mode", 0}},                  // 4 points
    }));
    const DecodedContent c = decode(b.glb());
    ASSERT_EQ(c.model.meshes.size(), 1u);
    const auto& prims = c.model.meshes[0].primitives;
    ASSERT_EQ(prims.size(), 5u);
    EXPECT_EQ(c.model.triangle_count(), 0u);

    EXPECT_EQ(prims[0].topology, Topology::lines);
    ASSERT_EQ(prims[0].index_count, 6u);
    const std::vector<uint32_t> strip(c.model.indices.begin() + prims[0].first_index,
                                      c.model.indices.begin() + prims[0].first_index + 6);
    EXPECT_EQ(strip, (std::vector<uint32_t>{0, 1, 1, 2, 2, 3}));

    EXPECT_EQ(prims[1].topology, Topology::lines);
    ASSERT_EQ(prims[1].index_count, 8u);
    EXPECT_EQ(c.model.indices[prims[1].first_index + 6], 3u);  // closing segment 3 -> 0
    EXPECT_EQ(c.model.indices[prims[1].first_index + 7], 0u);

    EXPECT_EQ(prims[2].topology, Topology::lines);
    EXPECT_EQ(prims[2].index_count, 0u);
    EXPECT_EQ(prims[2].vertex_count, 6u);  // expanded to a list

    EXPECT_EQ(prims[3].topology, Topology::lines);
    EXPECT_EQ(prims[3].element_count(), 4u);

    EXPECT_EQ(prims[4].topology, Topology::points);
    EXPECT_EQ(prims[4].index_count, 0u);
    EXPECT_EQ(prims[4].vertex_count, 4u);
    // Without NORMAL, points and lines get a zero normal, which mesh.frag lights as facing up.
    for (const auto& prim : prims)
        for (uint32_t k = 0; k < prim.vertex_count; ++k)
            EXPECT_EQ(c.model.vertices[prim.first_vertex + k].normal, glm::vec3(0.0f));
}

TEST(ContentGltf, MeshQuantizationReadsNormalisedIntegers) {
    GltfBuilder b;
    // SHORT positions (normalised), padded to 8 bytes per vertex; BYTE normals; USHORT uvs.
    const std::vector<int16_t> pos = {0, 0, 0, 0, 32767, 0, 0, 0, 0, -32767, 16384, 0};
    const std::vector<int8_t> nrm = {0, 127, 0, 0, 0, 100, 0, 0, 0, 127, 0, 0};
    const std::vector<uint16_t> uv = {0, 0, 65535, 32768, 0, 65535};
    const int p = b.accessor(b.view(pos, 8), GL_SHORT, 3, "VEC3", true);
    const int n = b.accessor(b.view(nrm, 4), GL_BYTE, 3, "VEC3", true);
    const int t = b.accessor(b.view(uv), GL_UNSIGNED_SHORT, 3, "VEC2", true);
    b.doc["extensionsUsed"] = {"KHR_mesh_quantization"};
    b.doc["extensionsRequired"] = {"KHR_mesh_quantization"};
    b.single_mesh(json::array({{{"attributes", {{"POSITION", p}, {"NORMAL", n}, {"TEXCOORD_0", t}}}}}),
                  {{"scale", {100.0, 100.0, 100.0}}});
    const DecodedContent c = decode(b.glb());
    const auto& prim = only_primitive(c.model);
    ASSERT_EQ(prim.vertex_count, 3u);
    const auto& v = c.model.vertices;
    EXPECT_FLOAT_EQ(v[1].position.x, 1.0f);
    EXPECT_FLOAT_EQ(v[2].position.y, -1.0f);
    EXPECT_NEAR(v[2].position.z, 16384.0f / 32767.0f, 1e-6);
    EXPECT_NEAR(glm::length(v[1].normal), 1.0f, 1e-6);  // 100/127 renormalised
    EXPECT_FLOAT_EQ(v[1].uv.x, 1.0f);
    EXPECT_NEAR(v[1].uv.y, 32768.0f / 65535.0f, 1e-6);
    // The node scale dequantises: glTF x = 100 m.
    EXPECT_NEAR(world_position(c.model, 0, 1).x, 100.0, 1e-4);
    EXPECT_NEAR(world_position(c.model, 0, 2).z, -100.0, 1e-4);  // glTF y is world z
}

TEST(ContentGltf, UnsupportedRequiredExtensionIsNamed) {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    b.single_mesh(json::array({{{"attributes", {{"POSITION", p}}}}}));
    b.doc["extensionsRequired"] = {"KHR_texture_basisu"};
    expect_error(b.glb(), "basisu.glb", {"basisu.glb", "KHR_texture_basisu", "not support"});
}

TEST(ContentGltf, CesiumRtcTranslatesInTileSpace) {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    b.single_mesh(json::array({{{"attributes", {{"POSITION", p}}}}}));
    b.doc["extensions"]["CESIUM_RTC"]["center"] = {6378137.0, 10.0, 20.0};
    const DecodedContent c = decode(b.glb());
    EXPECT_NEAR(c.model.bounds.min.x, 6378137.0, 1e-6);
    EXPECT_NEAR(c.model.bounds.min.y, 10.0, 1e-6);
    EXPECT_NEAR(c.model.bounds.max.z, 21.0, 1e-6);
}

TEST(ContentGltf, ExternalBuffersAreFetchedRelativeToTheContent) {
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const json doc = {
        {"asset", {{"version", "2.0"}}},
        {"nodes", {{{"mesh", 0}}}},
        {"meshes", {{{"primitives", {{{"attributes", {{"POSITION", 0}}}}}}}}},
        {"accessors", {{{"bufferView", 0}, {"componentType", GL_FLOAT}, {"count", 3}, {"type", "VEC3"}}}},
        {"bufferViews", {{{"buffer", 0}, {"byteLength", 36}}}},
        {"buffers", {{{"byteLength", 36}, {"uri", "data/tri%20angle.bin"}}}}};
    std::vector<std::string> asked;
    const zw::tiles::FetchFn fetch = [&](const std::string& uri) {
        asked.push_back(uri);
        return std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(pos.data()),
                                    reinterpret_cast<const uint8_t*>(pos.data()) + 36);
    };
    const DecodedContent c =
        decode(bytes_of(doc.dump()), "https://example.com/city/tiles/a.gltf", glm::dmat4(1.0), fetch);
    EXPECT_EQ(c.model.triangle_count(), 1u);
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(asked[0], "https://example.com/city/tiles/data/tri%20angle.bin");

    // Without a fetch function the reference is an error, not a crash.
    EXPECT_THROW(decode(bytes_of(doc.dump()), "a.gltf"), zw::Error);
}

// ---- EXT_meshopt_compression --------------------------------------------------------------

TEST(ContentGltf, MeshoptCompressedBuffersAreDecoded) {
    // A 3 x 3 grid of vertices: positions (float, 12 bytes), octahedral normals (4 bytes)
    // and 8 triangles.
    std::vector<float> pos;
    std::vector<float> normals4;
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x) {
            pos.insert(pos.end(), {float(x), float(y) * 0.5f, 0.0f});
            const glm::vec3 n = glm::normalize(glm::vec3(x - 1, 1, y - 1));
            normals4.insert(normals4.end(), {n.x, n.y, n.z, 0.0f});
        }
    std::vector<uint32_t> idx;
    for (uint32_t y = 0; y < 2; ++y)
        for (uint32_t x = 0; x < 2; ++x) {
            const uint32_t a = y * 3 + x;
            idx.insert(idx.end(), {a, a + 1, a + 4, a, a + 4, a + 3});
        }
    std::vector<int8_t> oct(9 * 4);
    meshopt_encodeFilterOct(oct.data(), 9, 4, 8, normals4.data());

    auto encode_vertices = [](const void* data, size_t count, size_t stride) {
        std::vector<uint8_t> out(meshopt_encodeVertexBufferBound(count, stride));
        out.resize(meshopt_encodeVertexBuffer(out.data(), out.size(), data, count, stride));
        return out;
    };
    const std::vector<uint8_t> cpos = encode_vertices(pos.data(), 9, 12);
    const std::vector<uint8_t> cnrm = encode_vertices(oct.data(), 9, 4);
    std::vector<uint8_t> cidx(meshopt_encodeIndexBufferBound(idx.size(), 9));
    cidx.resize(meshopt_encodeIndexBuffer(cidx.data(), cidx.size(), idx.data(), idx.size()));

    GltfBuilder b;
    // Buffer 0: the compressed bytes (BIN chunk). Buffer 1: the fallback, with no data.
    const size_t fallback_size = 9 * 12 + 9 * 4 + idx.size() * 2;
    b.buffers() = json::array();
    auto compressed_view = [&](const std::vector<uint8_t>& data, size_t fallback_offset, size_t length,
                               size_t stride, size_t count, const char* mode, const char* filter) {
        const int v = b.view(data);
        json& view = b.views()[v];
        json ext = {{"buffer", 0},
                    {"byteOffset", view["byteOffset"]},
                    {"byteLength", data.size()},
                    {"byteStride", stride},
                    {"count", count},
                    {"mode", mode}};
        if (filter) ext["filter"] = filter;
        view = {{"buffer", 1}, {"byteOffset", fallback_offset}, {"byteLength", length}};
        if (std::string(mode) == "ATTRIBUTES") view["byteStride"] = stride;
        view["extensions"]["EXT_meshopt_compression"] = ext;
        return v;
    };
    const int vp = compressed_view(cpos, 0, 9 * 12, 12, 9, "ATTRIBUTES", nullptr);
    const int vn = compressed_view(cnrm, 9 * 12, 9 * 4, 4, 9, "ATTRIBUTES", "OCTAHEDRAL");
    const int vi = compressed_view(cidx, 9 * 16, idx.size() * 2, 2, idx.size(), "TRIANGLES", nullptr);
    while (b.bin().size() % 4)
        b.bin().push_back(0);
    b.buffers().push_back({{"byteLength", b.bin().size()}});
    b.buffers().push_back(
        {{"byteLength", fallback_size}, {"extensions", {{"EXT_meshopt_compression", {{"fallback", true}}}}}});
    const int p = b.accessor(vp, GL_FLOAT, 9, "VEC3");
    const int n = b.accessor(vn, GL_BYTE, 9, "VEC3", true);
    const int i = b.accessor(vi, GL_UNSIGNED_SHORT, idx.size(), "SCALAR");
    b.doc["extensionsUsed"] = {"EXT_meshopt_compression", "KHR_mesh_quantization"};
    b.doc["extensionsRequired"] = {"EXT_meshopt_compression", "KHR_mesh_quantization"};
    b.single_mesh(json::array({{{"attributes", {{"POSITION", p}, {"NORMAL", n}}}, {"indices", i}}}));
    const std::vector<uint8_t> glb = b.glb();

    const DecodedContent c = decode(glb, "meshopt.glb");
    const auto& prim = only_primitive(c.model);
    ASSERT_EQ(prim.vertex_count, 9u);
    ASSERT_EQ(prim.index_count, idx.size());
    EXPECT_EQ(c.model.triangle_count(), 8u);
    for (uint32_t k = 0; k < 9; ++k) {
        const auto& v = c.model.vertices[prim.first_vertex + k];
        EXPECT_EQ(v.position, glm::vec3(pos[k * 3], pos[k * 3 + 1], pos[k * 3 + 2])) << k;
        const glm::vec3 want(normals4[k * 4], normals4[k * 4 + 1], normals4[k * 4 + 2]);
        EXPECT_GT(glm::dot(v.normal, want), 0.99f) << k;
    }
    // The index codec keeps the triangle order but may rotate each triangle's corners.
    for (size_t t = 0; t < idx.size(); t += 3) {
        const uint32_t* got = &c.model.indices[prim.first_index + t];
        bool same = false;
        for (int r = 0; r < 3; ++r)
            same = same ||
                   (got[r] == idx[t] && got[(r + 1) % 3] == idx[t + 1] && got[(r + 2) % 3] == idx[t + 2]);
        EXPECT_TRUE(same) << "triangle " << t / 3;
    }

    // Corrupt compressed bytes give an error naming the file, never a crash.
    std::mt19937 rng(5);
    for (int round = 0; round < 200; ++round) {
        std::vector<uint8_t> bad = glb;
        const size_t bin_start = glb.size() - b.bin().size();
        for (int k = 0; k < 4; ++k)
            bad[bin_start + rng() % b.bin().size()] = uint8_t(rng());
        try {
            decode(bad, "bad_meshopt.glb");
        } catch (const zw::Error& e) {
            EXPECT_TRUE(contains(e.what(), "bad_meshopt.glb")) << e.what();
        }
    }
}

// ---- Shared nodes ------------------------------------------------------------------------

TEST(ContentGltf, SharedNodesCannotExplode) {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    b.single_mesh(json::array({{{"attributes", {{"POSITION", p}}}}}));
    // 60 levels, each node the parent of the next one twice: 2^60 paths, one of them drawn.
    json nodes = json::array();
    for (int k = 0; k < 60; ++k)
        nodes.push_back({{"mesh", 0}, {"children", {k + 1, k + 1}}});
    nodes.push_back({{"mesh", 0}});
    b.doc["nodes"] = nodes;
    const DecodedContent c = decode(b.glb(), "dag.glb");
    EXPECT_EQ(c.model.instances.size(), 61u);
    EXPECT_EQ(c.warnings.size(), 1u);
}

}  // namespace
