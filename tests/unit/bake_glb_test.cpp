// The bake's glb writer (app/bake/glb_writer.h): primitives within the vertex budget,
// feature tables with only the whitelisted columns, feature ids, the node's translation,
// and a round trip through the glTF loader.
// Expectations come from geometry, geodesy or the documented contract (docs/twin-bundle.md,
// the headers), not from numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/bake/feature_layer.h"
#include "app/bake/glb_writer.h"
#include "app/bake/tiler.h"
#include "app/bake/town_layers.h"
#include "bake_test_util.h"
#include "engine/gltf/model.h"

namespace {

using namespace zw::bake;
using glm::dvec3;

TEST(BakeGlb, LargeMeshesAreSplitIntoPrimitivesOfAtMost65536Vertices) {
    // Separate triangles, so that the vertex count is as large as the 2 MB budget allows.
    TileMesh m;
    m.centre = {10, 20, 30};
    const int triangles = 22000;  // 66,000 vertices
    for (int t = 0; t < triangles; ++t) {
        const float x = float(t % 200), y = float(t / 200);
        for (glm::vec3 p : {glm::vec3(x, y, 0), glm::vec3(x + 1, y, 0), glm::vec3(x, y + 1, 0)}) {
            m.indices.push_back(uint32_t(m.positions.size()));
            m.positions.push_back(p);
            m.normals.push_back({0, 0, 1});
            m.colors.push_back({});
        }
    }
    GlbStats stats;
    const std::vector<uint8_t> bytes = write_glb(m, nullptr, {}, "big", &stats);
    EXPECT_LE(bytes.size(), max_glb_bytes);
    const zw::test::Glb g = zw::test::parse_glb(bytes);
    const auto& prims = g.json["meshes"][0]["primitives"];
    ASSERT_GE(prims.size(), 2u);
    size_t total_triangles = 0, total_vertices = 0;
    for (const auto& p : prims) {
        const auto& pos = g.json["accessors"][p["attributes"]["POSITION"].get<size_t>()];
        const size_t n = pos["count"].get<size_t>();
        EXPECT_LE(n, max_primitive_vertices);
        total_vertices += n;
        const auto& idx = g.json["accessors"][p["indices"].get<size_t>()];
        const int view = idx["bufferView"].get<int>();
        std::vector<uint32_t> indices;
        if (idx["componentType"] == 5123) {
            for (uint16_t i : g.view_as<uint16_t>(view))
                indices.push_back(i);
        } else {
            ASSERT_EQ(idx["componentType"], 5125);
            indices = g.view_as<uint32_t>(view);
        }
        ASSERT_EQ(indices.size(), idx["count"].get<size_t>());
        for (uint32_t i : indices)
            ASSERT_LT(i, n);
        total_triangles += indices.size() / 3;
        for (const char* a : {"NORMAL", "COLOR_0"})
            EXPECT_EQ(g.json["accessors"][p["attributes"][a].get<size_t>()]["count"], n);
    }
    EXPECT_EQ(total_triangles, size_t(triangles));
    EXPECT_EQ(total_vertices, m.positions.size());  // nothing shared, nothing duplicated
    EXPECT_EQ(stats.triangles, size_t(triangles));
    EXPECT_EQ(stats.primitives, prims.size());
    const zw::gltf::Model model = zw::gltf::load_model_from_glb(bytes, "big.glb");
    EXPECT_EQ(model.triangle_count(), uint64_t(triangles));
}

// A feature tile: two of a layer's three buildings.
struct FeatureTile {
    FeatureLayer layer;
    TileMesh mesh;
};

FeatureTile feature_tile() {
    FeatureTile ft;
    ft.layer.id = "buildings";
    ft.layer.feature_class = building_class();
    for (int i = 0; i < 3; ++i) {
        Feature f;
        f.values = {std::string("B-") + std::to_string(i),
                    std::string(""),
                    std::string(""),
                    std::string("Kirche"),
                    int64_t(2 + i),
                    9.5 + i,
                    int64_t(1900 + i),
                    int64_t(4 + i),
                    std::string("SECRET-OWNER"),
                    std::string("keine"),
                    std::string("2024-01-0") + std::to_string(i + 1)};
        TriMesh box;
        add_box(box, dvec3(i * 20, 0, 0), dvec3(i * 20 + 10, 8, 9.5 + i), Rgba8{});
        f.lods = {box};
        ft.layer.features.push_back(std::move(f));
    }
    TileMesh& m = ft.mesh;
    m.centre = {512.25, -300.5, 20.75};
    m.features = {2, 0};
    for (size_t k = 0; k < m.features.size(); ++k) {
        const TriMesh& box = ft.layer.features[m.features[k]].lods[0];
        const auto base = uint32_t(m.positions.size());
        for (size_t v = 0; v < box.positions.size(); ++v) {
            m.positions.push_back(glm::vec3(box.positions[v]));
            m.normals.push_back(box.normals[v]);
            m.colors.push_back(box.colors[v]);
            m.feature_ids.push_back(float(k));
        }
        for (uint32_t i : box.indices)
            m.indices.push_back(base + i);
    }
    return ft;
}

std::string table_string(const zw::test::Glb& g, const nlohmann::json& column, size_t row) {
    const std::vector<uint8_t> values = g.view(column["values"].get<int>());
    const std::vector<uint32_t> offsets = g.view_as<uint32_t>(column["stringOffsets"].get<int>());
    if (row + 1 >= offsets.size() || offsets[row + 1] > values.size()) return "<bad offsets>";
    return std::string(values.begin() + offsets[row], values.begin() + offsets[row + 1]);
}

TEST(BakeGlb, FeatureTablesHoldOnlyTheWhitelistedColumns) {
    const FeatureTile ft = feature_tile();
    const std::vector<size_t> whitelist = {0, 1, 3, 5, 6};  // id, street, use, height_m, year_built
    const std::vector<uint8_t> bytes = write_glb(ft.mesh, &ft.layer, whitelist, "L0_0_0");
    const zw::test::Glb g = zw::test::parse_glb(bytes);
    const auto& meta = g.json["extensions"]["EXT_structural_metadata"];
    const auto& cls = meta["schema"]["classes"]["building"]["properties"];
    const auto& table = meta["propertyTables"][0];
    std::set<std::string> wanted, in_class, in_table;
    for (size_t p : whitelist)
        wanted.insert(ft.layer.feature_class.properties[p].name);
    for (const auto& [k, v] : cls.items())
        in_class.insert(k);
    for (const auto& [k, v] : table["properties"].items())
        in_table.insert(k);
    EXPECT_EQ(in_class, wanted);
    EXPECT_EQ(in_table, wanted);
    EXPECT_EQ(table["class"], "building");
    EXPECT_EQ(table["count"], ft.mesh.features.size());
    // Not even the values of the other columns are in the file.
    const std::string raw(bytes.begin(), bytes.end());
    EXPECT_EQ(raw.find("SECRET-OWNER"), std::string::npos);
    EXPECT_EQ(raw.find("2024-01-0"), std::string::npos);
    EXPECT_EQ(raw.find("residents"), std::string::npos);
    EXPECT_EQ(raw.find("owner_category"), std::string::npos);

    // Rows follow mesh.features.
    for (size_t row = 0; row < ft.mesh.features.size(); ++row) {
        const Feature& f = ft.layer.features[ft.mesh.features[row]];
        EXPECT_EQ(table_string(g, table["properties"]["id"], row), std::get<std::string>(f.values[0]));
        EXPECT_EQ(table_string(g, table["properties"]["use"], row), std::get<std::string>(f.values[3]));
        const auto years = g.view_as<int32_t>(table["properties"]["year_built"]["values"].get<int>());
        ASSERT_EQ(years.size(), ft.mesh.features.size());
        EXPECT_EQ(years[row], std::get<int64_t>(f.values[6]));
        const auto heights = g.view_as<double>(table["properties"]["height_m"]["values"].get<int>());
        ASSERT_EQ(heights.size(), ft.mesh.features.size());
        EXPECT_EQ(heights[row], std::get<double>(f.values[5]));
    }
    EXPECT_EQ(cls["year_built"]["componentType"], "INT32");
    EXPECT_EQ(cls["height_m"]["componentType"], "FLOAT64");
    EXPECT_EQ(cls["id"]["type"], "STRING");

    // The all-empty street column still has a (non-empty) buffer view and empty strings.
    const auto& street = table["properties"]["street"];
    EXPECT_GT(g.json["bufferViews"][street["values"].get<size_t>()]["byteLength"].get<size_t>(), 0u);
    for (size_t row = 0; row < ft.mesh.features.size(); ++row)
        EXPECT_EQ(table_string(g, street, row), "");
    for (const auto& v : g.json["bufferViews"])
        EXPECT_GT(v["byteLength"].get<size_t>(), 0u);
}

TEST(BakeGlb, FeatureIdsNodeTranslationAndRoundTrip) {
    const FeatureTile ft = feature_tile();
    const std::vector<uint8_t> bytes = write_glb(ft.mesh, &ft.layer, {0}, "L1_0_1");
    const zw::test::Glb g = zw::test::parse_glb(bytes);
    const auto used = g.json["extensionsUsed"];
    EXPECT_NE(std::find(used.begin(), used.end(), "EXT_mesh_features"), used.end());
    EXPECT_NE(std::find(used.begin(), used.end(), "EXT_structural_metadata"), used.end());

    std::set<float> distinct(ft.mesh.feature_ids.begin(), ft.mesh.feature_ids.end());
    for (const auto& p : g.json["meshes"][0]["primitives"]) {
        const auto& ids = p["extensions"]["EXT_mesh_features"]["featureIds"][0];
        EXPECT_EQ(ids["featureCount"], distinct.size());
        EXPECT_EQ(ids["attribute"], 0);
        EXPECT_EQ(ids["propertyTable"], 0);
        const auto& acc = g.json["accessors"][p["attributes"]["_FEATURE_ID_0"].get<size_t>()];
        EXPECT_EQ(acc["componentType"], 5126);
        for (float f : g.view_as<float>(acc["bufferView"].get<int>())) {
            EXPECT_GE(f, 0);
            EXPECT_LT(f, float(ft.mesh.features.size()));
        }
        // glTF is y-up: the accessor bounds are the ENU bounds turned (x, z, -y).
        const auto& pos = g.json["accessors"][p["attributes"]["POSITION"].get<size_t>()];
        glm::vec3 lo(1e30f), hi(-1e30f);
        for (const glm::vec3& q : ft.mesh.positions) {
            lo = glm::min(lo, q);
            hi = glm::max(hi, q);
        }
        EXPECT_EQ(pos["min"][0].get<float>(), lo.x);
        EXPECT_EQ(pos["min"][1].get<float>(), lo.z);
        EXPECT_EQ(pos["min"][2].get<float>(), -hi.y);
        EXPECT_EQ(pos["max"][2].get<float>(), -lo.y);
    }
    const auto& t = g.json["nodes"][0]["translation"];
    EXPECT_EQ(t[0].get<double>(), ft.mesh.centre.x);
    EXPECT_EQ(t[1].get<double>(), ft.mesh.centre.z);
    EXPECT_EQ(t[2].get<double>(), -ft.mesh.centre.y);
    EXPECT_EQ(g.json["scenes"][0]["nodes"][0], 0);

    const zw::gltf::Model model = zw::gltf::load_model_from_glb(bytes, "L1_0_1.glb");
    EXPECT_EQ(model.triangle_count(), ft.mesh.triangle_count());
    ASSERT_EQ(model.instances.size(), 1u);
    // The loader turns y-up to z-up (as 3D Tiles does): the node sits at the ENU tile centre.
    const dvec3 origin = dvec3(model.instances[0].world[3]);
    EXPECT_NEAR(glm::length(origin - ft.mesh.centre), 0, 1e-9);
}

}  // namespace
