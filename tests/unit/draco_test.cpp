// KHR_draco_mesh_compression in glb and in b3dm: meshes and point clouds encoded here
// with libdraco's encoder decode to what was encoded (positions within the quantisation
// step, normals, texture coordinates, colours, feature ids and the batch table), and a
// corrupt or inconsistent Draco primitive is a zw::Error naming the file and the
// primitive, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/tiles/content.h"
#include "tests/tiles/draco_writer.h"

namespace {

using zw::gltf::Model;
using zw::gltf::Topology;
using zw::test::DracoInput;
using zw::test::ordered_json;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

zw::tiles::DecodedContent decode(std::span<const uint8_t> bytes, const std::string& uri) {
    return zw::tiles::decode_content(bytes, uri, glm::dmat4(1.0), {});
}

std::string error_of(std::span<const uint8_t> bytes, const std::string& uri) {
    try {
        decode(bytes, uri);
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "";
}

// A wavy 5 x 4 grid of vertices, each unique, with normals, uvs, colours and ids that
// are functions of the vertex number (so a decoded vertex can be checked on its own).
DracoInput grid(bool with_triangles = true) {
    DracoInput in;
    const int nx = 5, ny = 4;
    for (int y = 0; y < ny; ++y)
        for (int x = 0; x < nx; ++x) {
            const int i = y * nx + x;
            in.positions.insert(in.positions.end(), {float(x), 0.25f * float((x * y) % 3), float(y) * 1.5f});
            const float len = std::sqrt(1.0f + 0.04f * float(x * x));
            in.normals.insert(in.normals.end(), {0.2f * float(x) / len, 1.0f / len, 0.0f});
            in.uvs.insert(in.uvs.end(), {float(x) / 4.0f, float(y) / 3.0f});
            in.colors.insert(in.colors.end(), {uint8_t(10 * i), uint8_t(255 - 7 * i), uint8_t(x * 60), 255});
            in.batch_ids.push_back(uint16_t(i % 6));
        }
    if (with_triangles)
        for (int y = 0; y + 1 < ny; ++y)
            for (int x = 0; x + 1 < nx; ++x) {
                const uint32_t a = uint32_t(y * nx + x), b = a + 1, c = a + nx, d = c + 1;
                in.triangles.insert(in.triangles.end(), {a, b, d, a, d, c});
            }
    return in;
}

// The input vertex nearest to `p` (vertices are at least 0.25 apart).
size_t nearest(const DracoInput& in, const glm::vec3& p) {
    size_t best = 0;
    float best_d = 1e30f;
    for (size_t i = 0; i < in.positions.size() / 3; ++i) {
        const glm::vec3 q(in.positions[3 * i], in.positions[3 * i + 1], in.positions[3 * i + 2]);
        const float d = glm::length(q - p);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

// Every vertex of the model's only primitive carries the attributes of the input vertex
// at its position; returns, per model vertex, that input vertex.
std::vector<size_t> expect_vertices_match(const Model& m, const DracoInput& in, bool features) {
    std::vector<size_t> source;
    const float step = 6.0f / float(1 << in.position_bits);  // the grid's extent over the quantisation
    for (size_t v = 0; v < m.vertices.size(); ++v) {
        const auto& vertex = m.vertices[v];
        const size_t i = nearest(in, vertex.position);
        source.push_back(i);
        const glm::vec3 expected(in.positions[3 * i], in.positions[3 * i + 1], in.positions[3 * i + 2]);
        EXPECT_LE(glm::length(vertex.position - expected), step) << "vertex " << v;
        EXPECT_NEAR(vertex.normal.x, in.normals[3 * i], 0.01f) << "vertex " << v;
        EXPECT_NEAR(vertex.normal.y, in.normals[3 * i + 1], 0.01f) << "vertex " << v;
        EXPECT_NEAR(vertex.uv.x, in.uvs[2 * i], 1e-3f) << "vertex " << v;
        EXPECT_NEAR(vertex.uv.y, in.uvs[2 * i + 1], 1e-3f) << "vertex " << v;
        for (int c = 0; c < 4; ++c)
            EXPECT_EQ(vertex.color[c], in.colors[4 * i + size_t(c)]) << "vertex " << v << " channel " << c;
        if (features) {
            EXPECT_EQ(m.feature_ids.at(v), in.batch_ids[i]) << "vertex " << v;
        }
    }
    return source;
}

// The triangles of the model's only primitive, as sets of input vertices.
std::multiset<std::array<size_t, 3>> triangles_of(const Model& m, const std::vector<size_t>& source) {
    std::multiset<std::array<size_t, 3>> out;
    const auto& p = m.meshes.at(0).primitives.at(0);
    for (uint32_t t = 0; t + 2 < p.index_count; t += 3) {
        std::array<size_t, 3> tri;
        for (uint32_t k = 0; k < 3; ++k)
            tri[k] = source.at(p.first_vertex + m.indices.at(p.first_index + t + k));
        std::sort(tri.begin(), tri.end());
        out.insert(tri);
    }
    return out;
}

std::multiset<std::array<size_t, 3>> triangles_of(const DracoInput& in) {
    std::multiset<std::array<size_t, 3>> out;
    for (size_t t = 0; t + 2 < in.triangles.size(); t += 3) {
        std::array<size_t, 3> tri = {in.triangles[t], in.triangles[t + 1], in.triangles[t + 2]};
        std::sort(tri.begin(), tri.end());
        out.insert(tri);
    }
    return out;
}

TEST(Draco, GlbMeshDecodesToWhatWasEncoded) {
    for (const bool sequential : {false, true}) {
        SCOPED_TRACE(sequential ? "sequential" : "edgebreaker");
        DracoInput in = grid();
        in.sequential = sequential;
        const auto glb = zw::test::draco_glb(in, "_FEATURE_ID_0");
        const auto c = decode(glb, "draco.glb");
        ASSERT_EQ(c.kind, zw::tiles::DecodedContent::Kind::model);
        ASSERT_EQ(c.model.meshes.size(), 1u);
        const auto& p = c.model.meshes[0].primitives.at(0);
        EXPECT_EQ(p.topology, Topology::triangles);
        EXPECT_EQ(p.index_count, in.triangles.size());
        EXPECT_EQ(c.model.vertices.size(), in.positions.size() / 3);
        const auto source = expect_vertices_match(c.model, in, false);
        EXPECT_EQ(triangles_of(c.model, source), triangles_of(in));
    }
}

TEST(Draco, UnquantisedPositionsAreExact) {
    DracoInput in = grid();
    in.position_bits = 0;
    const auto c = decode(zw::test::draco_glb(in), "exact.glb");
    for (const auto& v : c.model.vertices) {
        const size_t i = nearest(in, v.position);
        EXPECT_EQ(v.position,
                  glm::vec3(in.positions[3 * i], in.positions[3 * i + 1], in.positions[3 * i + 2]));
    }
}

TEST(Draco, B3dmWithBatchIdsAndBatchTable) {
    const DracoInput in = grid();
    const auto glb = zw::test::draco_glb(in, "_BATCHID");
    const std::string bt = R"({"name": ["a", "b", "c", "d", "e", "f"], "height": [1, 2, 3, 4, 5, 6]})";
    const auto b3dm = zw::test::make_legacy_tile("b3dm", R"({"BATCH_LENGTH": 6})", {}, bt, {}, glb);
    const auto c = decode(b3dm, "draco.b3dm");
    ASSERT_EQ(c.model.property_tables.size(), 1u);
    const auto& table = c.model.property_tables[0];
    EXPECT_EQ(table.count, 6u);
    ASSERT_EQ(table.properties, (std::vector<std::string>{"name", "height"}));
    EXPECT_EQ(table.values[0][4], "e");
    EXPECT_EQ(c.model.meshes.at(0).primitives.at(0).property_table, 0);
    ASSERT_EQ(c.model.feature_ids.size(), c.model.vertices.size());
    const auto source = expect_vertices_match(c.model, in, true);
    EXPECT_EQ(triangles_of(c.model, source), triangles_of(in));
}

TEST(Draco, PointCloudPrimitiveIsDrawnAsPoints) {
    const DracoInput in = grid(false);
    const auto c = decode(zw::test::draco_glb(in, "_FEATURE_ID_0"), "points.glb");
    const auto& p = c.model.meshes.at(0).primitives.at(0);
    EXPECT_EQ(p.topology, Topology::points);
    EXPECT_EQ(p.vertex_count, in.positions.size() / 3);
    expect_vertices_match(c.model, in, false);
}

// The JSON chunk of a Draco glb, changed by `edit`, around the same BIN chunk.
std::vector<uint8_t> edited(const std::vector<uint8_t>& glb, const std::function<void(ordered_json&)>& edit) {
    uint32_t json_length;
    std::memcpy(&json_length, &glb[12], 4);
    ordered_json doc = ordered_json::parse(glb.begin() + 20, glb.begin() + 20 + json_length);
    edit(doc);
    const std::vector<uint8_t> bin(glb.begin() + 20 + json_length + 8, glb.end());
    return zw::test::make_glb(doc, bin);
}

TEST(Draco, InconsistentPrimitivesAreNamedErrors) {
    const auto glb = zw::test::draco_glb(grid(), "_FEATURE_ID_0");
    const std::string primitive = "mesh 0 primitive 0";
    auto e = error_of(edited(glb, [](ordered_json& d) { d["accessors"][0]["count"] = 7; }), "count.glb");
    EXPECT_TRUE(contains(e, "count.glb") && contains(e, primitive) && contains(e, "declares 7")) << e;
    e = error_of(edited(glb,
                        [](ordered_json& d) {
                            d["meshes"][0]["primitives"][0]["extensions"]["KHR_draco_mesh_compression"]
                             ["attributes"]["POSITION"] = 42;
                        }),
                 "id.glb");
    EXPECT_TRUE(contains(e, "id.glb") && contains(e, "POSITION") && contains(e, "42")) << e;
    e = error_of(edited(glb,
                        [](ordered_json& d) {
                            d["meshes"][0]["primitives"][0]["extensions"]["KHR_draco_mesh_compression"]
                             ["attributes"]["TEXCOORD_1"] = 0;
                        }),
                 "missing.glb");
    EXPECT_TRUE(contains(e, "missing.glb") && contains(e, "TEXCOORD_1")) << e;
    e = error_of(edited(glb, [](ordered_json& d) { d["accessors"][1]["type"] = "VEC2"; }), "type.glb");
    EXPECT_TRUE(contains(e, "type.glb") && contains(e, "NORMAL") && contains(e, "components")) << e;
    e = error_of(
        edited(glb,
               [](ordered_json& d) {
                   d["meshes"][0]["primitives"][0]["extensions"]["KHR_draco_mesh_compression"]["bufferView"] =
                       5;
               }),
        "view.glb");
    EXPECT_TRUE(contains(e, "view.glb") && contains(e, primitive) && contains(e, "buffer view")) << e;
}

TEST(Draco, CorruptDataIsAnErrorNamingFileAndPrimitive) {
    auto glb = zw::test::draco_glb(grid(), "_FEATURE_ID_0");
    uint32_t json_length;
    std::memcpy(&json_length, &glb[12], 4);
    const size_t bin_at = 20 + json_length + 8;
    // Not Draco at all: the magic is gone.
    auto bad = glb;
    std::memcpy(&bad[bin_at], "XXXXX", 5);
    std::string e = error_of(bad, "corrupt.glb");
    EXPECT_TRUE(contains(e, "corrupt.glb") && contains(e, "mesh 0 primitive 0") && contains(e, "Draco")) << e;
    // Cut short: the header survives, the data does not.
    const auto cut = edited(glb, [](ordered_json& d) { d["bufferViews"][0]["byteLength"] = 40; });
    e = error_of(cut, "short.glb");
    EXPECT_TRUE(contains(e, "short.glb") && contains(e, "mesh 0 primitive 0")) << e;
}

TEST(Draco, RandomCorruptionNeverCrashes) {
    const auto glb = zw::test::draco_glb(grid(), "_FEATURE_ID_0");
    uint32_t json_length;
    std::memcpy(&json_length, &glb[12], 4);
    const size_t bin_at = 20 + json_length + 8;
    std::mt19937 rng(13);
    size_t errors = 0;
    for (int round = 0; round < 300; ++round) {
        auto bytes = glb;
        const int flips = 1 + int(rng() % 4);
        for (int f = 0; f < flips; ++f)
            bytes[bin_at + rng() % (bytes.size() - bin_at)] = uint8_t(rng());
        try {
            const auto c = decode(bytes, "fuzzed.glb");
            for (uint32_t i : c.model.indices)
                ASSERT_LT(i, c.model.vertices.size());
        } catch (const zw::Error& e) {
            ++errors;
            EXPECT_TRUE(contains(e.what(), "fuzzed.glb")) << e.what();
        }
    }
    EXPECT_GT(errors, 0u);  // some of it must have been noticed
}

}  // namespace
