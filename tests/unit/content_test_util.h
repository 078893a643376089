// Helpers for the tile content tests (tests/unit/content_*_test.cpp): a glb builder with
// buffer views and accessors, b3dm and i3dm wrappers (tests/tiles/tile_writer.h), decoding
// with the tile's transform, and errors that must name the file and the problem.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <glm/glm.hpp>
#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/tiles/content.h"
#include "tests/tiles/tile_writer.h"

namespace zw::test {

using json = nlohmann::ordered_json;
using zw::gltf::Model;
using zw::gltf::Topology;
using zw::tiles::DecodedContent;

inline constexpr int GL_BYTE = 5120, GL_UNSIGNED_BYTE = 5121, GL_SHORT = 5122, GL_UNSIGNED_SHORT = 5123,
                     GL_UNSIGNED_INT = 5125, GL_FLOAT = 5126;

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

inline std::vector<uint8_t> bytes_of(const std::string& s) {
    return {s.begin(), s.end()};
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

    // Every test's glb has a buffer view, so its BIN chunk is never empty.
    std::vector<uint8_t> glb() const {
        std::vector<uint8_t> bin = bin_;
        pad(bin, 4);
        json d = doc;
        json buffers = buffers_;
        if (buffers.empty()) buffers = json::array({{{"byteLength", bin.size()}}});
        d["buffers"] = buffers;
        d["bufferViews"] = views_;
        d["accessors"] = accessors_;
        return make_glb(d, bin);
    }

  private:
    std::vector<uint8_t> bin_;
    json views_ = json::array();
    json accessors_ = json::array();
    json buffers_ = json::array();
};

// Wraps a glb in a b3dm with the given tables.
inline std::vector<uint8_t> make_b3dm(const std::vector<uint8_t>& glb, std::string ft_json,
                                      std::vector<uint8_t> ft_bin = {}, std::string bt_json = "",
                                      std::vector<uint8_t> bt_bin = {}) {
    return make_legacy_tile("b3dm", std::move(ft_json), std::move(ft_bin), std::move(bt_json),
                            std::move(bt_bin), glb);
}

// An i3dm of `glb` with the given tables (gltfFormat 1: embedded).
inline std::vector<uint8_t> make_i3dm(const std::vector<uint8_t>& glb, std::string ft_json,
                                      std::vector<uint8_t> ft_bin = {}, std::string bt_json = "",
                                      uint32_t gltf_format = 1) {
    return make_legacy_tile("i3dm", std::move(ft_json), std::move(ft_bin), std::move(bt_json), {}, glb,
                            gltf_format);
}

inline DecodedContent decode(std::span<const uint8_t> bytes, const std::string& uri = "tile.glb",
                             const glm::dmat4& transform = glm::dmat4(1.0),
                             const zw::tiles::FetchFn& fetch = {}) {
    return zw::tiles::decode_content(bytes, uri, transform, fetch);
}

// Decoding `bytes` throws a zw::Error whose message holds every one of `words`.
inline void expect_error(std::span<const uint8_t> bytes, const std::string& uri,
                         std::initializer_list<std::string> words) {
    try {
        decode(bytes, uri);
        ADD_FAILURE() << uri << " decoded";
    } catch (const zw::Error& e) {
        for (const auto& w : words)
            EXPECT_TRUE(contains(e.what(), w)) << "'" << w << "' not in: " << e.what();
    }
}

inline glm::dvec3 world_position(const Model& m, size_t instance, uint32_t vertex) {
    return glm::dvec3(m.instances[instance].world * glm::dvec4(glm::dvec3(m.vertices[vertex].position), 1.0));
}

inline const zw::gltf::Primitive& only_primitive(const Model& m) {
    EXPECT_EQ(m.meshes.size(), 1u);
    EXPECT_EQ(m.meshes[0].primitives.size(), 1u);
    return m.meshes[0].primitives[0];
}

// A unit right triangle in the glTF x-y plane, with _BATCHID 0, 1, 1.
inline std::vector<uint8_t> batched_triangle_glb() {
    GltfBuilder b;
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const std::vector<uint16_t> batch = {0, 1, 1, 0};  // padded to 4 bytes
    const int p = b.accessor(b.view(pos), GL_FLOAT, 3, "VEC3");
    const int id = b.accessor(b.view(batch), GL_UNSIGNED_SHORT, 3, "SCALAR");
    b.single_mesh(json::array({{{"attributes", {{"POSITION", p}, {"_BATCHID", id}}}, {"mode", 4}}}));
    return b.glb();
}

}  // namespace zw::test
