// Helpers for the bake's unit tests (tests/unit/bake_*_test.cpp): a small town made once
// per test process, text files and error messages, mesh checks, an oriented-rectangle
// overlap test written independently of the generator's, and a small GLB reader.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <glm/glm.hpp>
#include <nlohmann/json.hpp>

#include "app/bake/feature_layer.h"
#include "app/bake/recipe.h"
#include "app/bake/town.h"
#include "app/bake/town_layers.h"
#include "engine/core/error.h"

namespace zw::test {

// A town small enough to generate in well under a second.
inline bake::Recipe small_recipe() {
    bake::Recipe r;
    r.extent_m = 2048;
    r.built_up_radius_m = 650;
    r.building_target = 400;
    r.pond_count = 3;
    r.planned_houses = 6;
    return r;
}

// The town of small_recipe(), generated once per test process, and its layers.
inline const bake::Town& small_town() {
    static const bake::Town town = bake::generate_town(small_recipe());
    return town;
}

inline const std::vector<bake::FeatureLayer>& small_town_layers() {
    static const std::vector<bake::FeatureLayer> layers = bake::town_feature_layers(small_town());
    return layers;
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The message of the zw::Error that `fn` throws ("" if it throws none).
inline std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "";
}

// What a mesh builder promises: indices in range, unit normals, and every triangle wound
// counter-clockwise seen from the side its vertex normals point to (else the renderer's
// back-face culling hides it). Triangles with (almost) no area have no winding and are
// skipped. Returns a description of the first problems, empty when the mesh is fine.
inline std::string mesh_problems(const bake::TriMesh& m, size_t* degenerate = nullptr) {
    std::ostringstream out;
    int reported = 0;
    auto report = [&](const std::string& what) {
        if (reported++ < 5) out << what << "\n";
    };
    if (m.normals.size() != m.positions.size()) report("normals not parallel to positions");
    if (m.colors.size() != m.positions.size()) report("colors not parallel to positions");
    if (m.indices.size() % 3) report("index count not a multiple of 3");
    for (size_t i = 0; i < m.normals.size(); ++i) {
        const double len = glm::length(glm::dvec3(m.normals[i]));
        if (!(std::abs(len - 1) < 1e-4))
            report("normal " + std::to_string(i) + " has length " + std::to_string(len));
    }
    size_t skipped = 0;
    for (size_t t = 0; t + 2 < m.indices.size(); t += 3) {
        const uint32_t ia = m.indices[t], ib = m.indices[t + 1], ic = m.indices[t + 2];
        if (ia >= m.positions.size() || ib >= m.positions.size() || ic >= m.positions.size()) {
            report("triangle " + std::to_string(t / 3) + " has an index out of range");
            continue;
        }
        const glm::dvec3 a = m.positions[ia], b = m.positions[ib], c = m.positions[ic];
        const glm::dvec3 n = glm::cross(b - a, c - a);
        if (glm::length(n) < 1e-6) {  // twice the area, m^2
            ++skipped;
            continue;
        }
        const glm::dvec3 face = glm::normalize(n);
        for (uint32_t v : {ia, ib, ic}) {
            const double d = glm::dot(face, glm::dvec3(m.normals[v]));
            if (!(d > 0)) {
                std::ostringstream s;
                s << "triangle " << t / 3 << " (" << a.x << ", " << a.y << ", " << a.z
                  << ") winds against its normals: "
                  << "face normal (" << face.x << ", " << face.y << ", " << face.z << "), vertex normal ("
                  << m.normals[v].x << ", " << m.normals[v].y << ", " << m.normals[v].z << ")";
                report(s.str());
                break;
            }
        }
    }
    if (degenerate) *degenerate = skipped;
    if (reported > 5) out << "... and " << reported - 5 << " more\n";
    return out.str();
}

// An oriented rectangle on the ground, from a building part's footprint.
struct Rect {
    glm::dvec2 c{0.0}, u{1, 0}, v{0, 1};  // centre, unit axes
    glm::dvec2 half{0.0};
    std::array<glm::dvec2, 4> corners() const {
        return {c + u * half.x + v * half.y, c - u * half.x + v * half.y, c - u * half.x - v * half.y,
                c + u * half.x - v * half.y};
    }
};

inline Rect rect_of(const bake::BuildingPart& p) {
    return {p.centre,
            {std::cos(p.angle), std::sin(p.angle)},
            {-std::sin(p.angle), std::cos(p.angle)},
            {p.length / 2, p.width / 2}};
}

// Separating axis test on the corners: the rectangles overlap by more than `tolerance`
// on every axis of either rectangle.
inline bool rects_overlap(const Rect& a, const Rect& b, double tolerance) {
    const auto ca = a.corners(), cb = b.corners();
    for (const glm::dvec2& axis : {a.u, a.v, b.u, b.v}) {
        double a0 = 1e300, a1 = -1e300, b0 = 1e300, b1 = -1e300;
        for (const glm::dvec2& p : ca) {
            a0 = std::min(a0, glm::dot(p, axis));
            a1 = std::max(a1, glm::dot(p, axis));
        }
        for (const glm::dvec2& p : cb) {
            b0 = std::min(b0, glm::dot(p, axis));
            b1 = std::max(b1, glm::dot(p, axis));
        }
        if (std::min(a1, b1) - std::max(a0, b0) <= tolerance) return false;
    }
    return true;
}

// A glb split into its JSON and binary chunks (asserts the container is well formed).
struct Glb {
    nlohmann::json json;
    std::vector<uint8_t> bin;

    // The bytes of a buffer view.
    std::vector<uint8_t> view(int index) const {
        const auto& v = json["bufferViews"][size_t(index)];
        const size_t offset = v.value("byteOffset", size_t(0)), length = v["byteLength"].get<size_t>();
        if (offset + length > bin.size()) return {};
        return {bin.begin() + std::ptrdiff_t(offset), bin.begin() + std::ptrdiff_t(offset + length)};
    }
    template <typename T>
    std::vector<T> view_as(int index) const {
        const std::vector<uint8_t> bytes = view(index);
        std::vector<T> out(bytes.size() / sizeof(T));
        if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
        return out;
    }
};

inline uint32_t read_u32(const std::vector<uint8_t>& b, size_t at) {
    return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}

inline Glb parse_glb(const std::vector<uint8_t>& bytes) {
    Glb g;
    EXPECT_GE(bytes.size(), 20u);
    if (bytes.size() < 20) return g;
    EXPECT_EQ(read_u32(bytes, 0), 0x46546C67u);  // "glTF"
    EXPECT_EQ(read_u32(bytes, 4), 2u);
    EXPECT_EQ(read_u32(bytes, 8), bytes.size());
    const uint32_t json_len = read_u32(bytes, 12);
    EXPECT_EQ(read_u32(bytes, 16), 0x4E4F534Au);  // "JSON"
    EXPECT_EQ(json_len % 4, 0u);
    g.json = nlohmann::json::parse(bytes.begin() + 20, bytes.begin() + 20 + json_len);
    const size_t bin_at = 20 + json_len;
    if (bin_at + 8 <= bytes.size()) {
        const uint32_t bin_len = read_u32(bytes, bin_at);
        EXPECT_EQ(read_u32(bytes, bin_at + 4), 0x004E4942u);  // "BIN\0"
        EXPECT_EQ(bin_at + 8 + bin_len, bytes.size());
        g.bin.assign(bytes.begin() + std::ptrdiff_t(bin_at + 8), bytes.end());
    }
    return g;
}

}  // namespace zw::test
