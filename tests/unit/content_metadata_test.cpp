// Tile content decoding of EXT_mesh_features and EXT_structural_metadata
// (engine/tiles/content.h): feature ids and property tables as the bake writes them,
// every property type as text, hostile offsets, and random corruption.
#include "engine/tiles/content.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "content_test_util.h"
#include "engine/core/error.h"

namespace {

using namespace zw::test;

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

}  // namespace
