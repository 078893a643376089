// Tile content decoding of the public 3D Tiles samples (../shared/data beside the
// checkout; a skip here fails CI): b3dm levels, multiple contents, implicit tiling,
// feature id attributes and property tables.
#include "engine/tiles/content.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "content_test_util.h"
#include "engine/core/error.h"

namespace {

using namespace zw::test;

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

}  // namespace
