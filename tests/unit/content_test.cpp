// Tile content decoding: format detection, b3dm, glTF extensions (quantisation,
// meshopt, feature ids, structural metadata), topologies, and broken input. The glbs
// are built here byte by byte; the public 3D Tiles samples are used when present.
#include "engine/tiles/content.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <meshoptimizer.h>
#include <glm/gtc/matrix_transform.hpp>
#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/geo/geo.h"

namespace {

using json = nlohmann::ordered_json;
using zw::gltf::Model;
using zw::gltf::Topology;
using zw::tiles::DecodedContent;

constexpr int GL_BYTE = 5120, GL_UNSIGNED_BYTE = 5121, GL_SHORT = 5122, GL_UNSIGNED_SHORT = 5123,
              GL_UNSIGNED_INT = 5125, GL_FLOAT = 5126;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::vector<uint8_t> bytes_of(const std::string& s) {
    return {s.begin(), s.end()};
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(uint8_t(v >> (8 * i)));
}

// Builds a glb: buffer views into one BIN chunk, accessors, and whatever JSON the test adds.
class GltfBuilder {
  public:
    json doc = {{"asset", {{"version", "2.0"}}}};

    int view(const void* data, size_t bytes, size_t stride = 0) {
        while (bin_.size() % 8)
            bin_.push_back(0);
        json v = {{"buffer", 0}, {"byteOffset", bin_.size()}, {"byteLength", bytes}};
        if (stride) v["byteStride"] = stride;
        const auto* p = static_cast<const uint8_t*>(data);
        bin_.insert(bin_.end(), p, p + bytes);
        views_.push_back(v);
        return int(views_.size() - 1);
    }
    template <typename T>
    int view(const std::vector<T>& v, size_t stride = 0) {
        return view(v.data(), v.size() * sizeof(T), stride);
    }
    int accessor(int view, int component, size_t count, const char* type, bool normalized = false) {
        json a = {{"bufferView", view}, {"componentType", component}, {"count", count}, {"type", type}};
        if (normalized) a["normalized"] = true;
        accessors_.push_back(a);
        return int(accessors_.size() - 1);
    }
    json& views() { return views_; }
    json& buffers() { return buffers_; }
    std::vector<uint8_t>& bin() { return bin_; }

    // One node with one mesh of the given primitives.
    void single_mesh(const json& primitives, const json& node = json::object()) {
        doc["scene"] = 0;
        doc["scenes"] = json::array({{{"nodes", {0}}}});
        json n = node;
        n["mesh"] = 0;
        doc["nodes"] = json::array({n});
        doc["meshes"] = json::array({{{"primitives", primitives}}});
    }

    std::vector<uint8_t> glb() const {
        std::vector<uint8_t> bin = bin_;
        while (bin.size() % 4)
            bin.push_back(0);
        json d = doc;
        json buffers = buffers_;
        if (buffers.empty()) buffers = json::array({{{"byteLength", bin.size()}}});
        d["buffers"] = buffers;
        d["bufferViews"] = views_;
        d["accessors"] = accessors_;
        std::string text = d.dump();
        while (text.size() % 4)
            text.push_back(' ');
        std::vector<uint8_t> out;
        put_u32(out, 0x46546C67);
        put_u32(out, 2);
        put_u32(out, uint32_t(12 + 8 + text.size() + 8 + bin.size()));
        put_u32(out, uint32_t(text.size()));
        put_u32(out, 0x4E4F534A);
        out.insert(out.end(), text.begin(), text.end());
        put_u32(out, uint32_t(bin.size()));
        put_u32(out, 0x004E4942);
        out.insert(out.end(), bin.begin(), bin.end());
        return out;
    }

  private:
    std::vector<uint8_t> bin_;
    json views_ = json::array();
    json accessors_ = json::array();
    json buffers_ = json::array();
};

// Wraps a glb in a b3dm with the given tables.
std::vector<uint8_t> make_b3dm(const std::vector<uint8_t>& glb, std::string ft_json,
                               std::vector<uint8_t> ft_bin = {}, std::string bt_json = "",
                               std::vector<uint8_t> bt_bin = {}) {
    auto pad = [](auto& v, char fill) {
        while ((28 + v.size()) % 8)
            v.push_back(fill);
    };
    pad(ft_json, ' ');
    while (ft_bin.size() % 8)
        ft_bin.push_back(0);
    if (!bt_json.empty())
        while (bt_json.size() % 8)
            bt_json.push_back(' ');
    while (bt_bin.size() % 8)
        bt_bin.push_back(0);
    std::vector<uint8_t> out = {'b', '3', 'd', 'm'};
    put_u32(out, 1);
    put_u32(out, uint32_t(28 + ft_json.size() + ft_bin.size() + bt_json.size() + bt_bin.size() + glb.size()));
    put_u32(out, uint32_t(ft_json.size()));
    put_u32(out, uint32_t(ft_bin.size()));
    put_u32(out, uint32_t(bt_json.size()));
    put_u32(out, uint32_t(bt_bin.size()));
    out.insert(out.end(), ft_json.begin(), ft_json.end());
    out.insert(out.end(), ft_bin.begin(), ft_bin.end());
    out.insert(out.end(), bt_json.begin(), bt_json.end());
    out.insert(out.end(), bt_bin.begin(), bt_bin.end());
    out.insert(out.end(), glb.begin(), glb.end());
    return out;
}

DecodedContent decode(std::span<const uint8_t> bytes, const std::string& uri = "tile.glb",
                      const glm::dmat4& transform = glm::dmat4(1.0), const zw::tiles::FetchFn& fetch = {}) {
    return zw::tiles::decode_content(bytes, uri, transform, fetch);
}

// Decoding `bytes` throws a zw::Error whose message holds every one of `words`.
void expect_error(std::span<const uint8_t> bytes, const std::string& uri,
                  std::initializer_list<std::string> words) {
    try {
        decode(bytes, uri);
        ADD_FAILURE() << uri << " decoded";
    } catch (const zw::Error& e) {
        for (const auto& w : words)
            EXPECT_TRUE(contains(e.what(), w)) << "'" << w << "' not in: " << e.what();
    }
}

glm::dvec3 world_position(const Model& m, size_t instance, uint32_t vertex) {
    return glm::dvec3(m.instances[instance].world * glm::dvec4(glm::dvec3(m.vertices[vertex].position), 1.0));
}

const zw::gltf::Primitive& only_primitive(const Model& m) {
    EXPECT_EQ(m.meshes.size(), 1u);
    EXPECT_EQ(m.meshes[0].primitives.size(), 1u);
    return m.meshes[0].primitives[0];
}

// A unit right triangle in the glTF x-y plane, with _BATCHID 0, 1, 1.
std::vector<uint8_t> batched_triangle_glb() {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const std::vector<uint16_t> batch = {0, 1, 1, 0};  // padded to 4 bytes
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    const int id = b.accessor(b.view(batch), GL_UNSIGNED_SHORT, 3, "SCALAR");
    b.single_mesh(json::array({{{"attributes", {{"POSITION", p}, {"_BATCHID", id}}}, {"mode", 4}}}));
    return b.glb();
}

// ---- Format detection ---------------------------------------------------------------

TEST(ContentFormat, EmptyBytesAreAnError) {
    expect_error({}, "empty.b3dm", {"empty.b3dm", "is empty"});
}

TEST(ContentFormat, OtherTileFormatsAreNotSupportedYet) {
    for (const char* magic : {"cmpt"}) {
        std::vector<uint8_t> bytes(64, 0);
        std::memcpy(bytes.data(), magic, 4);
        const std::string uri = std::string("tile.") + magic;
        expect_error(bytes, uri, {uri, magic, "not supported"});
    }
}

TEST(ContentFormat, UnknownMagicIsNamed) {
    expect_error(bytes_of("PK\x03\x04 and more"), "a.zip", {"a.zip", "not a tile", "unknown magic"});
    const std::vector<uint8_t> binary = {0x00, 0xff, 0x10, 0x80, 1, 2, 3};
    expect_error(binary, "b.bin", {"b.bin", "0x00 0xff 0x10 0x80"});
}

TEST(ContentFormat, TilesetJsonIsAnExternalTileset) {
    const std::string text =
        "\xEF\xBB\xBF  {\"asset\": {\"version\": \"1.1\"}, \"geometricError\": 1,\n"
        " \"root\": {\"boundingVolume\": {\"sphere\": [0, 0, 0, 1]}, \"geometricError\": 0}}";
    const DecodedContent c = decode(bytes_of(text), "sub/tileset.json");
    EXPECT_EQ(c.kind, DecodedContent::Kind::external_tileset);
    EXPECT_EQ(c.json, bytes_of(text));
    EXPECT_TRUE(c.model.vertices.empty());
}

TEST(ContentFormat, JsonThatIsNeitherTilesetNorGltfIsAnError) {
    EXPECT_THROW(decode(bytes_of(R"({"hello": "world"})"), "x.json"), zw::Error);
    EXPECT_THROW(decode(bytes_of(R"({"asset": {"version": "2.0"}, "broken)"), "x.gltf"), zw::Error);
}

// ---- glb basics, topologies ------------------------------------------------------------

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

// ---- EXT_mesh_features and EXT_structural_metadata ---------------------------------------

// Like the Zwilling bake writes: a float _FEATURE_ID_0, and a property table with a
// string, an INT32 and a FLOAT64 column.
TEST(ContentMetadata, BakedStyleFeatureIdsAndPropertyTable) {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 0, 0, 6, 0, 0, 5, 1, 0};
    const std::vector<float> fid = {0, 0, 0, 1, 1, 1};
    const std::vector<uint16_t> idx = {0, 1, 2, 3, 4, 5};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 6, "VEC3");
    const int f = b.accessor(b.view(fid), GL_FLOAT, 6, "SCALAR");
    const int i = b.accessor(b.view(idx), GL_UNSIGNED_SHORT, 6, "SCALAR");
    const std::string names = "RathausKirche";
    const std::vector<uint32_t> offsets = {0, 7, 13};
    const std::vector<int32_t> floors = {4, -1};
    const std::vector<double> height = {18.25, 42.0};
    const int v_names = b.view(names.data(), names.size());
    const int v_offsets = b.view(offsets);
    const int v_floors = b.view(floors);
    const int v_height = b.view(height);
    b.single_mesh(json::array(
        {{{"attributes", {{"POSITION", p}, {"_FEATURE_ID_0", f}}},
          {"indices", i},
          {"mode", 4},
          {"extensions",
           {{"EXT_mesh_features",
             {{"featureIds", {{{"featureCount", 2}, {"attribute", 0}, {"propertyTable", 0}}}}}}}}}}));
    b.doc["extensionsUsed"] = {"EXT_mesh_features", "EXT_structural_metadata"};
    b.doc["extensions"]["EXT_structural_metadata"] = {
        {"schema",
         {{"id", "zwilling"},
          {"classes",
           {{"building",
             {{"properties",
               {{"name", {{"type", "STRING"}, {"name", "Name"}}},
                {"floors", {{"type", "SCALAR"}, {"componentType", "INT32"}}},
                {"height", {{"type", "SCALAR"}, {"componentType", "FLOAT64"}}}}}}}}}}},
        {"propertyTables",
         {{{"class", "building"},
           {"count", 2},
           {"properties",
            {{"height", {{"values", v_height}}},
             {"name", {{"values", v_names}, {"stringOffsets", v_offsets}}},
             {"floors", {{"values", v_floors}}}}}}}}};
    const DecodedContent c = decode(b.glb(), "baked.glb");
    const Model& m = c.model;
    const auto& prim = only_primitive(m);
    EXPECT_EQ(prim.property_table, 0);
    ASSERT_EQ(m.feature_ids.size(), m.vertices.size());
    for (uint32_t k = 0; k < prim.vertex_count; ++k) {
        const auto& v = m.vertices[prim.first_vertex + k];
        EXPECT_EQ(m.feature_ids[prim.first_vertex + k], v.position.x > 2.5f ? 1u : 0u) << k;
    }
    ASSERT_EQ(m.property_tables.size(), 1u);
    const auto& t = m.property_tables[0];
    EXPECT_EQ(t.name, "building");
    EXPECT_EQ(t.class_id, "building");
    EXPECT_EQ(t.count, 2u);
    // Listed in the schema's order.
    ASSERT_EQ(t.properties, (std::vector<std::string>{"name", "floors", "height"}));
    EXPECT_EQ(t.values[0], (std::vector<std::string>{"Rathaus", "Kirche"}));
    EXPECT_EQ(t.values[1], (std::vector<std::string>{"4", "-1"}));
    EXPECT_EQ(t.values[2], (std::vector<std::string>{"18.25", "42"}));
    EXPECT_TRUE(c.warnings.empty());
    EXPECT_GT(c.cpu_bytes(), m.vertices.size() * sizeof(zw::gltf::Vertex) + m.feature_ids.size() * 4);
}

// One property of every kind, for three features (see EveryPropertyTypeIsShownAsText).
std::vector<uint8_t> all_types_glb() {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    // Implicit feature ids (vertex index), with vertex 2 as the null feature.
    b.single_mesh(json::array(
        {{{"attributes", {{"POSITION", p}}},
          {"extensions",
           {{"EXT_mesh_features",
             {{"featureIds", {{{"featureCount", 3}, {"nullFeatureId", 2}, {"propertyTable", 0}}}}}}}}}}));
    const std::vector<uint8_t> flags = {0b101};
    const std::vector<uint16_t> kinds = {1, 2, 7};
    const std::vector<uint8_t> levels = {0, 255, 51};  // normalised, offset 10, scale 2
    const std::vector<float> vec = {1, 2, 3, 4.5f, 5, 6, 7, 8, 9};
    const std::vector<int16_t> fixed = {1, 2, 3, 4, 5, 6};
    const std::vector<uint8_t> var = {9, 8, 7};
    const std::vector<uint32_t> var_offsets = {0, 2, 2, 3};
    const std::string tags =
        "ab"
        "c"
        "def";
    const std::vector<uint8_t> tag_offsets = {0, 2, 3, 6};
    const std::vector<uint16_t> tag_arrays = {0, 2, 2, 3};
    b.doc["extensions"]["EXT_structural_metadata"] = {
        {"schema",
         {{"enums",
           {{"use",
             {{"values", {{{"name", "Wohnen"}, {"value", 1}}, {{"name", "Gewerbe"}, {"value", 2}}}}}}}},
          {"classes",
           {{"thing",
             {{"properties",
               {{"flag", {{"type", "BOOLEAN"}}},
                {"use", {{"type", "ENUM"}, {"enumType", "use"}}},
                {"level",
                 {{"type", "SCALAR"},
                  {"componentType", "UINT8"},
                  {"normalized", true},
                  {"offset", 10},
                  {"scale", 2}}},
                {"centre", {{"type", "VEC3"}, {"componentType", "FLOAT32"}}},
                {"pair", {{"type", "SCALAR"}, {"componentType", "INT16"}, {"array", true}, {"count", 2}}},
                {"list", {{"type", "SCALAR"}, {"componentType", "UINT8"}, {"array", true}}},
                {"tags", {{"type", "STRING"}, {"array", true}}},
                {"blob", {{"type", "MAT9"}}}}}}}}}}},
        {"propertyTables",
         {{{"name", "things"},
           {"class", "thing"},
           {"count", 3},
           {"properties",
            {{"flag", {{"values", b.view(flags)}}},
             {"use", {{"values", b.view(kinds)}}},
             {"level", {{"values", b.view(levels)}}},
             {"centre", {{"values", b.view(vec)}}},
             {"pair", {{"values", b.view(fixed)}}},
             {"list", {{"values", b.view(var)}, {"arrayOffsets", b.view(var_offsets)}}},
             {"tags",
              {{"values", b.view(tags.data(), tags.size())},
               {"stringOffsets", b.view(tag_offsets)},
               {"stringOffsetType", "UINT8"},
               {"arrayOffsets", b.view(tag_arrays)},
               {"arrayOffsetType", "UINT16"}}},
             {"blob", {{"values", b.view(flags)}}},
             {"stray", {{"values", b.view(flags)}}}}}}}}};
    return b.glb();
}

TEST(ContentMetadata, EveryPropertyTypeIsShownAsText) {
    const DecodedContent c = decode(all_types_glb(), "types.glb");
    const Model& m = c.model;
    ASSERT_EQ(m.feature_ids.size(), m.vertices.size());
    // Without normals the triangle is flat shaded: vertices in index order 0, 1, 2.
    EXPECT_EQ(m.feature_ids, (std::vector<uint32_t>{0, 1, UINT32_MAX}));
    ASSERT_EQ(m.property_tables.size(), 1u);
    const auto& t = m.property_tables[0];
    EXPECT_EQ(t.name, "things");
    const std::vector<std::vector<std::string>> want = {
        {"true", "false", "true"},      {"Wohnen", "Gewerbe", "7"},
        {"10", "12", "10.4"},           {"(1, 2, 3)", "(4.5, 5, 6)", "(7, 8, 9)"},
        {"[1, 2]", "[3, 4]", "[5, 6]"}, {"[9, 8]", "[]", "[7]"},
        {"[ab, c]", "[]", "[def]"},
    };
    ASSERT_EQ(t.properties,
              (std::vector<std::string>{"flag", "use", "level", "centre", "pair", "list", "tags"}));
    for (size_t k = 0; k < want.size(); ++k)
        EXPECT_EQ(t.values[k], want[k]) << t.properties[k];
    // The unknown type and the property outside the class are skipped with a word each.
    ASSERT_EQ(c.warnings.size(), 2u);
    EXPECT_TRUE(contains(c.warnings[0], "blob")) << c.warnings[0];
    EXPECT_TRUE(contains(c.warnings[1], "stray")) << c.warnings[1];
}

TEST(ContentMetadata, HostileOffsetsSkipTheColumnOnly) {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    b.single_mesh(json::array(
        {{{"attributes", {{"POSITION", p}}},
          {"extensions",
           {{"EXT_mesh_features", {{"featureIds", {{{"featureCount", 3}, {"propertyTable", 0}}}}}}}}}}));
    const std::string text = "abc";
    const std::vector<uint32_t> wild = {0, 4000000000u, 1, 2};
    const std::vector<uint32_t> backwards = {0, 3, 1, 2};
    const std::vector<uint32_t> ok = {0, 1, 2, 3};
    const std::vector<uint8_t> few = {1};
    b.doc["extensions"]["EXT_structural_metadata"] = {
        {"schema",
         {{"classes",
           {{"c",
             {{"properties",
               {{"wild", {{"type", "STRING"}}},
                {"backwards", {{"type", "STRING"}}},
                {"short", {{"type", "SCALAR"}, {"componentType", "UINT64"}}},
                {"huge", {{"type", "SCALAR"}, {"componentType", "UINT8"}, {"array", true}}},
                {"missing", {{"type", "STRING"}}},
                {"good", {{"type", "STRING"}}}}}}}}}}},
        {"propertyTables",
         {{{"class", "c"},
           {"count", 3},
           {"properties",
            {{"wild", {{"values", b.view(text.data(), 3)}, {"stringOffsets", b.view(wild)}}},
             {"backwards", {{"values", b.view(text.data(), 3)}, {"stringOffsets", b.view(backwards)}}},
             {"short", {{"values", b.view(few)}}},
             {"huge", {{"values", b.view(few)}, {"arrayOffsets", b.view(wild)}}},
             {"missing", {{"values", 999}, {"stringOffsets", 1000}}},
             {"good", {{"values", b.view(text.data(), 3)}, {"stringOffsets", b.view(ok)}}}}}}}}};
    const DecodedContent c = decode(b.glb(), "hostile.glb");
    const auto& t = c.model.property_tables.at(0);
    ASSERT_EQ(t.properties, (std::vector<std::string>{"good"}));
    EXPECT_EQ(t.values[0], (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(c.warnings.size(), 5u);
}

TEST(ContentMetadata, FeatureIdsBeyondTheTableAreDropped) {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const std::vector<uint8_t> fid = {0, 7, 1, 0};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    const int f = b.accessor(b.view(fid), GL_UNSIGNED_BYTE, 3, "SCALAR");
    b.single_mesh(json::array(
        {{{"attributes", {{"POSITION", p}, {"_FEATURE_ID_0", f}}},
          {"extensions",
           {{"EXT_mesh_features",
             {{"featureIds", {{{"featureCount", 2}, {"attribute", 0}, {"propertyTable", 0}}}}}}}}}}));
    b.doc["extensions"]["EXT_structural_metadata"] = {{"schema", {{"classes", {{"c", json::object()}}}}},
                                                      {"propertyTables", {{{"class", "c"}, {"count", 2}}}}};
    const DecodedContent c = decode(b.glb(), "ids.glb");
    EXPECT_EQ(c.model.feature_ids, (std::vector<uint32_t>{0, UINT32_MAX, 1}));
    EXPECT_EQ(c.warnings.size(), 1u);
}

TEST(ContentMetadata, FeatureIdsOnlyForPrimitivesThatHaveThem) {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const std::vector<uint8_t> fid = {4, 5, 6, 0};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    const int f = b.accessor(b.view(fid), GL_UNSIGNED_BYTE, 3, "SCALAR");
    b.single_mesh(json::array(
        {{{"attributes", {{"POSITION", p}}}, {"mode", 0}},
         {{"attributes", {{"POSITION", p}, {"_FEATURE_ID_1", f}}},
          {"mode", 0},
          {"extensions",
           {{"EXT_mesh_features", {{"featureIds", {{{"featureCount", 3}, {"attribute", 1}}}}}}}}}}));
    const DecodedContent c = decode(b.glb(), "ids.glb");
    EXPECT_EQ(c.model.feature_ids, (std::vector<uint32_t>{UINT32_MAX, UINT32_MAX, UINT32_MAX, 4, 5, 6}));
    EXPECT_EQ(c.model.meshes[0].primitives[1].property_table, -1);
}

TEST(ContentMetadata, RandomCorruptionNeverCrashes) {
    const std::vector<uint8_t> glb = all_types_glb();
    const uint32_t json_length = uint32_t(glb[12]) | uint32_t(glb[13]) << 8 | uint32_t(glb[14]) << 16;
    std::vector<size_t> digits;  // numbers in the JSON: offsets, counts, indices
    for (size_t k = 20; k < 20 + json_length; ++k)
        if (glb[k] >= '0' && glb[k] <= '9') digits.push_back(k);
    std::mt19937 rng(3);
    for (int round = 0; round < 400; ++round) {
        std::vector<uint8_t> bad = glb;
        for (int k = 0; k < 3; ++k) {
            if (rng() % 2)
                bad[digits[rng() % digits.size()]] = uint8_t('0' + rng() % 10);
            else
                bad[20 + json_length + rng() % (glb.size() - 20 - json_length)] = uint8_t(rng());
        }
        try {
            decode(bad, "fuzz.glb");
        } catch (const zw::Error&) {
        }
    }
}

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

// ---- b3dm -------------------------------------------------------------------------------------

TEST(ContentB3dm, RtcCenterBatchIdsAndBatchTable) {
    const std::vector<uint8_t> glb = batched_triangle_glb();
    std::vector<uint8_t> bt_bin;
    for (uint16_t v : {uint16_t(7), uint16_t(65535)})
        bt_bin.insert(bt_bin.end(), {uint8_t(v), uint8_t(v >> 8)});
    for (float v : {0.5f, 1.0f, 2.0f, 2.5f}) {
        uint8_t raw[4];
        std::memcpy(raw, &v, 4);
        bt_bin.insert(bt_bin.end(), raw, raw + 4);
    }
    const std::string bt = R"({"name": ["Haus A", "Haus B"], "height": [12, 7.5], "tags": [["x", "y"], []],
        "code": {"byteOffset": 0, "componentType": "UNSIGNED_SHORT", "type": "SCALAR"},
        "xy": {"byteOffset": 4, "componentType": "FLOAT", "type": "VEC2"},
        "broken": {"byteOffset": 4000, "componentType": "FLOAT", "type": "VEC2"},
        "short": [1]})";
    const std::vector<uint8_t> b3dm =
        make_b3dm(glb, R"({"BATCH_LENGTH": 2, "RTC_CENTER": [1000, 2000, 3000]})", {}, bt, bt_bin);
    const glm::dmat4 tile = glm::translate(glm::dmat4(1.0), glm::dvec3(10, 20, 30));
    const DecodedContent c = decode(b3dm, "batched.b3dm", tile);
    ASSERT_EQ(c.kind, DecodedContent::Kind::model);
    const Model& m = c.model;
    const auto& prim = only_primitive(m);
    EXPECT_EQ(prim.property_table, 0);

    // world = tile * translate(rtc) * y_up_to_z_up * glTF position.
    for (uint32_t k = 0; k < prim.vertex_count; ++k) {
        const glm::dvec3 p(m.vertices[prim.first_vertex + k].position);
        const glm::dvec3 want = glm::dvec3(10, 20, 30) + glm::dvec3(1000, 2000, 3000) +
                                glm::dvec3(zw::gltf::y_up_to_z_up() * glm::dvec4(p, 1.0));
        const glm::dvec3 got = world_position(m, 0, prim.first_vertex + k);
        EXPECT_NEAR(glm::length(got - want), 0.0, 1e-9) << k;
        // _BATCHID 0 for the origin vertex, 1 for the others.
        EXPECT_EQ(m.feature_ids.at(prim.first_vertex + k), p == glm::dvec3(0) ? 0u : 1u) << k;
    }

    ASSERT_EQ(m.property_tables.size(), 1u);
    const auto& t = m.property_tables[0];
    EXPECT_EQ(t.name, "batch table");
    EXPECT_EQ(t.count, 2u);
    ASSERT_EQ(t.properties, (std::vector<std::string>{"name", "height", "tags", "code", "xy"}));
    EXPECT_EQ(t.values[0], (std::vector<std::string>{"Haus A", "Haus B"}));
    EXPECT_EQ(t.values[1], (std::vector<std::string>{"12", "7.5"}));
    EXPECT_EQ(t.values[2], (std::vector<std::string>{"[x, y]", "[]"}));
    EXPECT_EQ(t.values[3], (std::vector<std::string>{"7", "65535"}));
    EXPECT_EQ(t.values[4], (std::vector<std::string>{"(0.5, 1)", "(2, 2.5)"}));
    ASSERT_EQ(c.warnings.size(), 2u);
    EXPECT_TRUE(contains(c.warnings[0], "broken")) << c.warnings[0];
    EXPECT_TRUE(contains(c.warnings[1], "short")) << c.warnings[1];
}

TEST(ContentB3dm, RtcCenterInTheFeatureTableBinary) {
    std::vector<uint8_t> ft_bin(12);
    const float rtc[3] = {-5.0f, 0.0f, 250.0f};
    std::memcpy(ft_bin.data(), rtc, 12);
    const std::vector<uint8_t> b3dm =
        make_b3dm(batched_triangle_glb(), R"({"BATCH_LENGTH": 0, "RTC_CENTER": {"byteOffset": 0}})", ft_bin);
    const DecodedContent c = decode(b3dm, "rtc.b3dm");
    EXPECT_NEAR(c.model.bounds.min.x, -5.0, 1e-9);
    EXPECT_NEAR(c.model.bounds.max.z, 251.0, 1e-9);
    EXPECT_TRUE(c.model.feature_ids.empty());  // no batch: _BATCHID means nothing
}

TEST(ContentB3dm, TruncatedFilesSaySo) {
    const std::vector<uint8_t> b3dm = make_b3dm(batched_triangle_glb(), R"({"BATCH_LENGTH": 0})");
    for (size_t length : {size_t(10), size_t(27), size_t(40), b3dm.size() / 2, b3dm.size() - 1}) {
        const std::vector<uint8_t> cut(b3dm.begin(), b3dm.begin() + std::ptrdiff_t(length));
        expect_error(cut, "cut.b3dm", {"cut.b3dm", "truncated"});
    }
    const std::vector<uint8_t> glb = batched_triangle_glb();
    for (size_t length : {size_t(12), size_t(30), glb.size() / 2, glb.size() - 4}) {
        const std::vector<uint8_t> cut(glb.begin(), glb.begin() + std::ptrdiff_t(length));
        expect_error(cut, "cut.glb", {"cut.glb"});
    }
    const std::vector<uint8_t> half(glb.begin(), glb.begin() + std::ptrdiff_t(glb.size() / 2));
    expect_error(half, "half.glb", {"half.glb", "truncated: header says"});
}

TEST(ContentB3dm, WrongVersionAndBrokenTablesAreErrors) {
    std::vector<uint8_t> b3dm = make_b3dm(batched_triangle_glb(), R"({"BATCH_LENGTH": 0})");
    b3dm[4] = 2;
    expect_error(b3dm, "v2.b3dm", {"v2.b3dm", "version 2"});
    expect_error(make_b3dm(batched_triangle_glb(), R"({"BATCH_LENGTH": 0, "RTC_CENTER": [1, 2]})"),
                 "rtc.b3dm", {"rtc.b3dm", "RTC_CENTER"});
    expect_error(make_b3dm(batched_triangle_glb(), "not json"), "ft.b3dm", {"ft.b3dm", "feature table"});
    expect_error(make_b3dm({}, R"({"BATCH_LENGTH": 0})"), "noglb.b3dm", {"noglb.b3dm", "no glTF"});
}

TEST(ContentB3dm, LegacyHeaderWithBatchLengthIsRead) {
    // [magic, version, byteLength, batchLength, batchTableByteLength] then the batch table.
    const std::vector<uint8_t> glb = batched_triangle_glb();
    std::string bt = R"({"id": [10, 11]})";
    while ((20 + bt.size()) % 4)
        bt.push_back(' ');
    std::vector<uint8_t> out = {'b', '3', 'd', 'm'};
    put_u32(out, 1);
    put_u32(out, uint32_t(20 + bt.size() + glb.size()));
    put_u32(out, 2);
    put_u32(out, uint32_t(bt.size()));
    out.insert(out.end(), bt.begin(), bt.end());
    out.insert(out.end(), glb.begin(), glb.end());
    const DecodedContent c = decode(out, "old.b3dm");
    ASSERT_EQ(c.model.property_tables.size(), 1u);
    EXPECT_EQ(c.model.property_tables[0].values.at(0), (std::vector<std::string>{"10", "11"}));
    EXPECT_FALSE(c.model.feature_ids.empty());
    EXPECT_EQ(c.warnings.size(), 1u);
}

TEST(ContentB3dm, RandomCorruptionNeverCrashes) {
    const std::vector<uint8_t> b3dm =
        make_b3dm(batched_triangle_glb(), R"({"BATCH_LENGTH": 2})", {}, R"({"a": [1, 2]})");
    std::mt19937 rng(11);
    for (int round = 0; round < 2000; ++round) {
        std::vector<uint8_t> bad = b3dm;
        const int changes = 1 + int(rng() % 4);
        for (int k = 0; k < changes; ++k)
            bad[rng() % bad.size()] = uint8_t(rng());
        try {
            decode(bad, "fuzz.b3dm");
        } catch (const zw::Error&) {
        }
    }
}

// ---- i3dm and EXT_mesh_gpu_instancing (GPU instancing) ------------------------------

// An i3dm of `glb` with the given tables (gltfFormat 1: embedded).
std::vector<uint8_t> make_i3dm(const std::vector<uint8_t>& glb, std::string ft_json,
                               std::vector<uint8_t> ft_bin = {}, std::string bt_json = "",
                               uint32_t gltf_format = 1) {
    while ((32 + ft_json.size()) % 8)
        ft_json.push_back(' ');
    while (ft_bin.size() % 8)
        ft_bin.push_back(0);
    if (!bt_json.empty())
        while (bt_json.size() % 8)
            bt_json.push_back(' ');
    std::vector<uint8_t> out = {'i', '3', 'd', 'm'};
    put_u32(out, 1);
    put_u32(out, uint32_t(32 + ft_json.size() + ft_bin.size() + bt_json.size() + glb.size()));
    put_u32(out, uint32_t(ft_json.size()));
    put_u32(out, uint32_t(ft_bin.size()));
    put_u32(out, uint32_t(bt_json.size()));
    put_u32(out, 0);
    put_u32(out, gltf_format);
    out.insert(out.end(), ft_json.begin(), ft_json.end());
    out.insert(out.end(), ft_bin.begin(), ft_bin.end());
    out.insert(out.end(), bt_json.begin(), bt_json.end());
    out.insert(out.end(), glb.begin(), glb.end());
    return out;
}

template <typename T>
void append_values(std::vector<uint8_t>& out, std::initializer_list<T> values) {
    for (T v : values) {
        uint8_t raw[sizeof(T)];
        std::memcpy(raw, &v, sizeof(T));
        out.insert(out.end(), raw, raw + sizeof(T));
    }
}

// Where copy `copy` of mesh instance `instance` puts vertex `vertex`.
glm::dvec3 copy_position(const Model& m, size_t instance, uint32_t copy, uint32_t vertex) {
    const zw::gltf::MeshInstance& inst = m.instances[instance];
    EXPECT_LT(copy, inst.instance_count);
    const zw::gltf::InstanceTransform& t = m.instance_transforms.at(inst.first_instance + copy);
    glm::dmat4 c(1.0);
    for (int r = 0; r < 3; ++r)
        for (int k = 0; k < 4; ++k)
            c[k][r] = t.rows[r][k];
    return glm::dvec3(inst.world * c * glm::dvec4(glm::dvec3(m.vertices[vertex].position), 1.0));
}

TEST(ContentI3dm, InstancesArePlacedTurnedScaledAndCarryTheirBatchIds) {
    // Three copies of the unit triangle: at (10,0,0); at (0,20,0) turned so that the
    // model's x points north (right = +y), scaled 2; at (0,0,5) scaled (1,1,3) along the
    // model's axes. As CesiumJS: in tile space after the y-up to z-up turn, model x goes
    // to right, y to up, z to right x up. Batch ids 2, 0, 1 into a three-row batch table.
    std::vector<uint8_t> bin;
    append_values<float>(bin, {10, 0, 0, 0, 20, 0, 0, 0, 5});  // POSITION at 0
    append_values<float>(bin, {0, 0, 1, 0, 0, 1, 0, 0, 1});    // NORMAL_UP at 36
    append_values<float>(bin, {1, 0, 0, 0, 1, 0, 1, 0, 0});    // NORMAL_RIGHT at 72
    append_values<float>(bin, {1, 2, 1});                      // SCALE at 108
    append_values<float>(bin, {1, 1, 1, 1, 1, 1, 1, 1, 3});    // SCALE_NON_UNIFORM at 120
    append_values<uint16_t>(bin, {2, 0, 1, 0});                // BATCH_ID at 156
    const std::string ft = R"({"INSTANCES_LENGTH": 3, "RTC_CENTER": [100, 200, 300],
        "POSITION": {"byteOffset": 0}, "NORMAL_UP": {"byteOffset": 36}, "NORMAL_RIGHT": {"byteOffset": 72},
        "SCALE": {"byteOffset": 108}, "SCALE_NON_UNIFORM": {"byteOffset": 120},
        "BATCH_ID": {"byteOffset": 156, "componentType": "UNSIGNED_SHORT"}})";
    const std::string bt = R"({"species": ["Linde", "Eiche", "Buche"]})";
    const glm::dmat4 tile = glm::translate(glm::dmat4(1.0), glm::dvec3(1, 2, 3));
    const DecodedContent c = decode(make_i3dm(batched_triangle_glb(), ft, bin, bt), "trees.i3dm", tile);
    ASSERT_EQ(c.kind, DecodedContent::Kind::model);
    const Model& m = c.model;
    ASSERT_EQ(m.instances.size(), 1u);
    ASSERT_EQ(m.instances[0].instance_count, 3u);
    ASSERT_EQ(m.instance_transforms.size(), 3u);
    const auto& prim = only_primitive(m);
    // The glTF vertices (1,0,0) and (0,1,0) are (1,0,0) and (0,0,1) in tile space.
    const glm::dvec3 base(101, 202, 303);
    auto at = [&](uint32_t copy, uint32_t k) { return copy_position(m, 0, copy, prim.first_vertex + k); };
    // Copy 0: right +x, up +z: model z goes to (1,0,0) x (0,0,1) = (0,-1,0).
    EXPECT_NEAR(glm::length(at(0, 1) - (base + glm::dvec3(11, 0, 0))), 0, 1e-5);
    EXPECT_NEAR(glm::length(at(0, 2) - (base + glm::dvec3(10, -1, 0))), 0, 1e-5);
    // Copy 1: right +y, up +z: model x -> +y, model z -> (0,1,0) x (0,0,1) = +x; scale 2.
    EXPECT_NEAR(glm::length(at(1, 1) - (base + glm::dvec3(0, 22, 0))), 0, 1e-5);
    EXPECT_NEAR(glm::length(at(1, 2) - (base + glm::dvec3(2, 20, 0))), 0, 1e-5);
    // Copy 2: turned as copy 0, model z stretched 3 before the turn.
    EXPECT_NEAR(glm::length(at(2, 2) - (base + glm::dvec3(0, -3, 5))), 0, 1e-5);
    EXPECT_EQ(m.instance_transforms[0].feature, 2u);
    EXPECT_EQ(m.instance_transforms[1].feature, 0u);
    EXPECT_EQ(m.instance_transforms[2].feature, 1u);
    ASSERT_EQ(m.property_tables.size(), 1u);
    EXPECT_EQ(prim.property_table, 0);
    EXPECT_EQ(m.property_tables[0].count, 3u);
    EXPECT_EQ(m.property_tables[0].values[0], (std::vector<std::string>{"Linde", "Eiche", "Buche"}));
    // The bounds hold every copy; the triangles count every copy.
    for (uint32_t copy = 0; copy < 3; ++copy)
        for (uint32_t k = 0; k < 3; ++k) {
            const glm::dvec3 p = at(copy, k);
            EXPECT_TRUE(glm::all(glm::greaterThanEqual(p, m.instances[0].world_bounds.min - 1e-6)) &&
                        glm::all(glm::lessThanEqual(p, m.instances[0].world_bounds.max + 1e-6)));
        }
    EXPECT_EQ(m.triangle_count(), 3u);
}

TEST(ContentI3dm, QuantisedPositionsOctNormalsAndEastNorthUp) {
    // Two copies in a 100 m volume at Weisendorf's ECEF position (RTC), quantised, stood
    // up east-north-up (x east, y north, z up on the ellipsoid); then a tile turned by
    // OCT32P normals.
    const glm::dvec3 ecef = zw::geo::geodetic_to_ecef(zw::geo::weisendorf);
    std::vector<uint8_t> bin;
    append_values<uint16_t>(bin, {0, 0, 0, 65535, 65535, 65535});  // POSITION_QUANTIZED
    const std::string ft = R"({"INSTANCES_LENGTH": 2, "POSITION_QUANTIZED": {"byteOffset": 0},
        "QUANTIZED_VOLUME_OFFSET": [-50, -50, -50], "QUANTIZED_VOLUME_SCALE": [100, 100, 100],
        "EAST_NORTH_UP": true, "RTC_CENTER": [)" +
                           std::to_string(ecef.x) + "," + std::to_string(ecef.y) + "," +
                           std::to_string(ecef.z) + "]}";
    const DecodedContent c = decode(make_i3dm(batched_triangle_glb(), ft, bin), "enu.i3dm");
    ASSERT_EQ(c.kind, DecodedContent::Kind::model);
    const Model& m = c.model;
    ASSERT_EQ(m.instances.at(0).instance_count, 2u);
    const auto& prim = only_primitive(m);
    const glm::dvec3 rtc(std::stod(std::to_string(ecef.x)), std::stod(std::to_string(ecef.y)),
                         std::stod(std::to_string(ecef.z)));
    // Copy 0 at rtc + (-50,-50,-50); its model z (glTF y) points along the local up there.
    const glm::dvec3 origin0 = copy_position(m, 0, 0, prim.first_vertex + 0);
    EXPECT_NEAR(glm::length(origin0 - (rtc + glm::dvec3(-50))), 0, 1e-3);
    const glm::dvec3 up0 = glm::normalize(copy_position(m, 0, 0, prim.first_vertex + 2) - origin0);
    const glm::dmat3 enu = zw::geo::enu_axes_at_ecef(rtc + glm::dvec3(-50));
    EXPECT_GT(glm::dot(up0, enu[2]), 0.9999) << "the copy stands upright on the ellipsoid";
    const glm::dvec3 east0 = glm::normalize(copy_position(m, 0, 0, prim.first_vertex + 1) - origin0);
    EXPECT_GT(glm::dot(east0, enu[0]), 0.9999) << "its x points east";
    EXPECT_NEAR(glm::length(copy_position(m, 0, 1, prim.first_vertex + 0) - (rtc + glm::dvec3(50))), 0, 1e-3);

    // OCT32P: up (0,0,1) encodes as (32767.5, 32767.5) ~ (32768, 32768); right (1,0,0) as (65535, 32768).
    std::vector<uint8_t> bin2;
    append_values<float>(bin2, {0, 0, 0});
    append_values<uint16_t>(bin2, {32768, 32768, 65535, 32768});
    const std::string ft2 = R"({"INSTANCES_LENGTH": 1, "POSITION": {"byteOffset": 0},
        "NORMAL_UP_OCT32P": {"byteOffset": 12}, "NORMAL_RIGHT_OCT32P": {"byteOffset": 16}})";
    const Model m2 = decode(make_i3dm(batched_triangle_glb(), ft2, bin2), "oct.i3dm").model;
    const auto& p2 = only_primitive(m2);
    // Model y (glTF y turned to z-up becomes model z... the glTF y axis is the model's z
    // after the turn) goes to right x up = (1,0,0) x (0,0,1) = (0,-1,0).
    const glm::dvec3 v = copy_position(m2, 0, 0, p2.first_vertex + 2);
    EXPECT_NEAR(glm::length(v - glm::dvec3(0, -1, 0)), 0, 1e-3) << v.x << "," << v.y << "," << v.z;
}

TEST(ContentI3dm, HostileAndDegenerateInstances) {
    const auto glb = batched_triangle_glb();
    expect_error(make_i3dm(glb, R"({"INSTANCES_LENGTH": 4000000000, "POSITION": {"byteOffset": 0}})"),
                 "huge.i3dm", {"huge.i3dm", "INSTANCES_LENGTH", "more than"});
    expect_error(make_i3dm(glb, R"({"INSTANCES_LENGTH": 2, "POSITION": {"byteOffset": 0}})", {0, 0, 0, 0}),
                 "short.i3dm", {"short.i3dm", "POSITION", "past the end"});
    expect_error(make_i3dm(glb, R"({"INSTANCES_LENGTH": 1})"), "nopos.i3dm", {"nopos.i3dm", "POSITION"});
    expect_error(make_i3dm(glb, R"({"POSITION": {"byteOffset": 0}})"), "nocount.i3dm", {"INSTANCES_LENGTH"});
    expect_error(make_i3dm(glb, R"({"INSTANCES_LENGTH": 0})", {}, "", 7), "fmt.i3dm", {"gltfFormat"});
    // A zero scale and a NaN position: those copies are dropped with one warning.
    std::vector<uint8_t> bin;
    append_values<float>(bin, {0, 0, 0, 1, 1, 1, std::nanf(""), 0, 0});
    append_values<float>(bin, {1, 0, 1});
    const DecodedContent c = decode(
        make_i3dm(glb,
                  R"({"INSTANCES_LENGTH": 3, "POSITION": {"byteOffset": 0}, "SCALE": {"byteOffset": 36}})",
                  bin),
        "degenerate.i3dm");
    ASSERT_EQ(c.model.instances.size(), 1u);
    EXPECT_EQ(c.model.instances[0].instance_count, 1u);
    ASSERT_EQ(c.warnings.size(), 1u) << (c.warnings.empty() ? "" : c.warnings[0]);
    EXPECT_TRUE(contains(c.warnings[0], "2 of 3")) << c.warnings[0];
    // The glTF by URI (gltfFormat 0), fetched next to the tile.
    const std::string ref = "models/tree.glb   ";
    std::vector<uint8_t> by_uri(ref.begin(), ref.end());
    std::vector<uint8_t> pos;
    append_values<float>(pos, {0, 0, 0});
    const auto tile =
        make_i3dm(by_uri, R"({"INSTANCES_LENGTH": 1, "POSITION": {"byteOffset": 0}})", pos, "", 0);
    std::string asked;
    const DecodedContent fetched = zw::tiles::decode_content(tile, "https://example.com/t/a.i3dm",
                                                             glm::dmat4(1.0), [&](const std::string& uri) {
                                                                 asked = uri;
                                                                 return glb;
                                                             });
    EXPECT_EQ(asked, "https://example.com/t/models/tree.glb");
    EXPECT_EQ(fetched.model.instances.at(0).instance_count, 1u);
}

TEST(ContentI3dm, RandomCorruptionNeverCrashes) {
    std::vector<uint8_t> bin;
    append_values<float>(bin, {1, 2, 3, 4, 5, 6});
    append_values<uint16_t>(bin, {1, 0});
    const auto good =
        make_i3dm(batched_triangle_glb(),
                  R"({"INSTANCES_LENGTH": 2, "POSITION": {"byteOffset": 0}, "BATCH_ID": {"byteOffset": 24}})",
                  bin, R"({"name": ["a", "b"]})");
    std::mt19937 rng(13);
    for (int round = 0; round < 400; ++round) {
        std::vector<uint8_t> bytes = good;
        for (int k = 0; k < 4; ++k)
            bytes[rng() % bytes.size()] = uint8_t(rng());
        try {
            const DecodedContent c = decode(bytes, "mutated.i3dm");
            for (const auto& inst : c.model.instances)
                EXPECT_LE(uint64_t(inst.first_instance) + inst.instance_count,
                          c.model.instance_transforms.size());
        } catch (const zw::Error&) {
        }
    }
}

TEST(ContentGltf, MeshGpuInstancingCopiesTheNodesMesh) {
    // EXT_mesh_gpu_instancing: three copies of the triangle's node, translated, the second
    // turned 90 degrees about glTF y, the third scaled 2 (in the node's space, glTF y-up).
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const std::vector<float> t = {0, 0, 0, 5, 0, 0, 0, 0, -7};
    const float s45 = float(std::sqrt(0.5));
    const std::vector<float> r = {0, 0, 0, 1, 0, s45, 0, s45, 0, 0, 0, 1};
    const std::vector<float> sc = {1, 1, 1, 1, 1, 1, 2, 2, 2};
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    const int ta = b.accessor(b.view(t), GL_FLOAT, 3, "VEC3");
    const int ra = b.accessor(b.view(r), GL_FLOAT, 3, "VEC4");
    const int sa = b.accessor(b.view(sc), GL_FLOAT, 3, "VEC3");
    json node = json::object();
    node["translation"] = {100, 0, 0};
    node["extensions"]["EXT_mesh_gpu_instancing"]["attributes"] = {
        {"TRANSLATION", ta}, {"ROTATION", ra}, {"SCALE", sa}};
    b.single_mesh(json::array({{{"attributes", {{"POSITION", p}}}}}), node);
    b.doc["extensionsUsed"] = {"EXT_mesh_gpu_instancing"};
    b.doc["extensionsRequired"] = {"EXT_mesh_gpu_instancing"};
    const Model m = decode(b.glb(), "instanced.glb").model;
    ASSERT_EQ(m.instances.size(), 1u);
    ASSERT_EQ(m.instances[0].instance_count, 3u);
    const auto& prim = only_primitive(m);
    // World (z-up) = y_up_to_z_up * node translation * copy; glTF (x,y,z) -> (x,-z,y).
    auto at = [&](uint32_t copy, uint32_t k) { return copy_position(m, 0, copy, prim.first_vertex + k); };
    // Copy 0 only moved by the node: glTF (1,0,0) -> (101,0,0).
    EXPECT_NEAR(glm::length(at(0, 1) - glm::dvec3(101, 0, 0)), 0, 1e-5);
    // Copy 1: 90 degrees about glTF y takes glTF x to -z: (1,0,0) -> (5,0,-1) -> z-up (105,1,0).
    EXPECT_NEAR(glm::length(at(1, 1) - glm::dvec3(105, 1, 0)), 0, 1e-5) << "turned";
    // Copy 2 at glTF z -7 (z-up y +7), scaled 2: glTF (0,1,0) -> (0,2,-7) -> (0,7,2).
    EXPECT_NEAR(glm::length(at(2, 2) - glm::dvec3(100, 7, 2)), 0, 1e-5);
    EXPECT_EQ(m.triangle_count(), 3u);
}

// ---- Public samples (../shared/data beside the checkout; a skip here fails CI) ----------

const std::filesystem::path samples = std::filesystem::path(ZW_SHARED_DATA) / "3d-tiles-samples";

std::vector<uint8_t> read_sample(const std::string& rel) {
    std::ifstream in(samples / rel, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

#define NEED_SAMPLE(rel)                                                                            \
    if (!std::filesystem::exists(samples / (rel))) GTEST_SKIP() << "sample not present: " << (rel); \
    const std::vector<uint8_t> sample = read_sample(rel)

TEST(ContentSamples, DragonB3dmLevels) {
    uint64_t low = 0;
    for (const char* name : {"dragon_low.b3dm", "dragon_medium.b3dm"}) {
        NEED_SAMPLE(std::string("1.0/TilesetWithDiscreteLOD/") + name);
        const DecodedContent c = decode(sample, name);
        ASSERT_EQ(c.kind, DecodedContent::Kind::model) << name;
        EXPECT_GT(c.model.triangle_count(), low) << name;
        low = c.model.triangle_count();
        EXPECT_TRUE(c.model.feature_ids.empty()) << name;  // BATCH_LENGTH 0
        EXPECT_TRUE(c.warnings.empty()) << name;
    }
}

TEST(ContentSamples, MultipleContentsPointsAndTriangles) {
    {
        NEED_SAMPLE("1.1/MultipleContents/planePoints.glb");
        const DecodedContent c = decode(sample, "planePoints.glb");
        const auto& prim = only_primitive(c.model);
        EXPECT_EQ(prim.topology, Topology::points);
        EXPECT_EQ(prim.vertex_count, 16641u);
        EXPECT_EQ(c.model.triangle_count(), 0u);
    }
    {
        NEED_SAMPLE("1.1/MultipleContents/planeTriangles.glb");
        const DecodedContent c = decode(sample, "planeTriangles.glb");
        EXPECT_GT(c.model.triangle_count(), 0u);
        EXPECT_EQ(only_primitive(c.model).topology, Topology::triangles);
    }
}

TEST(ContentSamples, SparseImplicitQuadtreeContents) {
    const auto dir = samples / "1.1/SparseImplicitQuadtree/content";
    if (!std::filesystem::exists(dir)) GTEST_SKIP() << "sample not present";
    size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::vector<uint8_t> bytes =
            read_sample(std::filesystem::relative(entry.path(), samples).string());
        const DecodedContent c = decode(bytes, entry.path().filename().string());
        EXPECT_EQ(c.model.triangle_count(), 2u) << entry.path();
        ++n;
    }
    EXPECT_GT(n, 0u);
}

TEST(ContentSamples, FeatureIdAttribute) {
    NEED_SAMPLE("glTF/EXT_mesh_features/FeatureIdAttribute/FeatureIdAttribute.gltf");
    const DecodedContent c = decode(sample, "FeatureIdAttribute.gltf");
    const Model& m = c.model;
    ASSERT_EQ(m.feature_ids.size(), m.vertices.size());
    std::vector<bool> seen(4);
    for (uint32_t id : m.feature_ids) {
        ASSERT_LT(id, 4u);
        seen[id] = true;
    }
    EXPECT_EQ(seen, std::vector<bool>(4, true));
    EXPECT_EQ(only_primitive(m).property_table, -1);
}

TEST(ContentSamples, FeatureIdAttributeAndPropertyTable) {
    NEED_SAMPLE(
        "glTF/EXT_structural_metadata/FeatureIdAttributeAndPropertyTable/"
        "FeatureIdAttributeAndPropertyTable.gltf");
    const DecodedContent c = decode(sample, "FeatureIdAttributeAndPropertyTable.gltf");
    const Model& m = c.model;
    EXPECT_EQ(only_primitive(m).property_table, 0);
    ASSERT_EQ(m.property_tables.size(), 1u);
    const auto& t = m.property_tables[0];
    EXPECT_EQ(t.name, "Example property table");
    EXPECT_EQ(t.class_id, "exampleMetadataClass");
    ASSERT_EQ(t.properties, (std::vector<std::string>{"example_VEC3_FLOAT32"}));
    EXPECT_EQ(t.values[0],
              (std::vector<std::string>{"(0, 0.1, 0.2)", "(1, 1.1, 1.2)", "(2, 2.1, 2.2)", "(3, 3.1, 3.2)"}));
    for (uint32_t id : m.feature_ids)
        EXPECT_LT(id, t.count);
}

// Inputs the fuzzers found (tests/fuzz): each a message, never a crash.
std::string nested(size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

TEST(ContentFuzzFindings, GlbHeaderShorterThanItself) {
    // A glb whose header says it is 0 bytes long (read past the buffer before the fix).
    std::vector<uint8_t> b = {'g', 'l', 'T', 'F'};
    put_u32(b, 2);
    put_u32(b, 0);
    put_u32(b, 0x100);
    b.insert(b.end(), {'J', 'S', 'O', 'N'});
    put_u32(b, 0);
    expect_error(b, "short.glb", {"short.glb", "shorter than the header"});
}

TEST(ContentFuzzFindings, DeeplyNestedJsonIsRefused) {
    // 50,000 levels overflowed the stack in copies, dumps and tinygltf before the fix.
    expect_error(bytes_of(R"({"asset": {"version": "2.0"}, "extras": )" + nested(50000) + ", \"x\": 1}"),
                 "deep.gltf", {"deep.gltf", "nests more than 1000 levels"});
    expect_error(
        make_b3dm(batched_triangle_glb(), R"({"BATCH_LENGTH": 1})", {}, R"({"name": )" + nested(50000) + "}"),
        "deep.b3dm", {"deep.b3dm", "nests more than 1000 levels"});
    // Real files nest far less than the limit and still load.
    EXPECT_NO_THROW(
        decode(bytes_of(R"({"asset": {"version": "2.0"}, "extras": )" + nested(200) + "}"), "fine.gltf"));
}

}  // namespace
