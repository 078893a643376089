// Tile content decoding of b3dm (engine/tiles/content.h): RTC_CENTER, batch ids and the
// batch table, truncated and broken files, the legacy header, random corruption.
#include "engine/tiles/content.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "content_test_util.h"
#include "engine/core/error.h"

namespace {

using namespace zw::test;

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

}  // namespace
