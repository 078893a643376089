// pnts point clouds built here byte by byte (and with libdraco's encoder): every
// feature table property the spec defines decodes to what was written - positions
// (plain, quantised, RTC), colours (RGBA, RGB, RGB565, CONSTANT_RGBA; sRGB in the file,
// linear in the model), normals (plain and oct-encoded), batch ids of every width with
// the batch table as a property table - and broken tiles are named errors, never crashes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "engine/core/error.h"
#include "engine/tiles/content.h"
#include "tests/tiles/draco_writer.h"

namespace {

using zw::gltf::Model;
using zw::gltf::Topology;
using zw::test::append;
using zw::test::ordered_json;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

zw::tiles::DecodedContent decode(std::span<const uint8_t> bytes, const std::string& uri = "cloud.pnts",
                                 const glm::dmat4& transform = glm::dmat4(1.0)) {
    return zw::tiles::decode_content(bytes, uri, transform, {});
}

std::string error_of(std::span<const uint8_t> bytes, const std::string& uri) {
    try {
        decode(bytes, uri);
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "(no error)";
}

std::vector<uint8_t> pnts(const ordered_json& ft, const std::vector<uint8_t>& ft_bin,
                          const std::string& bt = "", const std::vector<uint8_t>& bt_bin = {}) {
    return zw::test::make_legacy_tile("pnts", ft.dump(), ft_bin, bt, bt_bin);
}

glm::dvec3 world_of(const Model& m, size_t v) {
    return glm::dvec3(m.instances.at(0).world * glm::dvec4(glm::dvec3(m.vertices.at(v).position), 1.0));
}

// The sRGB -> linear transfer function, as the spec of sRGB writes it.
uint8_t linear(uint8_t srgb) {
    const double c = srgb / 255.0;
    return uint8_t(std::lround(255.0 * (c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4))));
}

const zw::gltf::Primitive& points_primitive(const Model& m) {
    EXPECT_EQ(m.meshes.size(), 1u);
    EXPECT_EQ(m.instances.size(), 1u);
    const auto& p = m.meshes.at(0).primitives.at(0);
    EXPECT_EQ(p.topology, Topology::points);
    EXPECT_EQ(p.index_count, 0u);
    return p;
}

TEST(Pnts, PositionsRgbaNormalsBatchIdsAndBatchTable) {
    const uint32_t n = 5;
    std::vector<float> pos, nrm;
    std::vector<uint8_t> rgba, ids;
    for (uint32_t i = 0; i < n; ++i) {
        pos.insert(pos.end(), {float(i), 2.0f * float(i), -float(i)});
        nrm.insert(nrm.end(), {0.0f, 0.0f, i % 2 ? 2.0f : -1.0f});  // not unit length on purpose
        rgba.insert(rgba.end(), {uint8_t(40 * i), uint8_t(200 - 30 * i), 128, uint8_t(255 - i)});
        ids.push_back(uint8_t(i % 3));
    }
    std::vector<uint8_t> bin;
    append(bin, pos);   // 60 bytes
    append(bin, nrm);   // 60 bytes: 120
    append(bin, rgba);  // 20 bytes: 140
    append(bin, ids);   // 5 bytes
    const ordered_json ft = {{"POINTS_LENGTH", n},
                             {"RTC_CENTER", {1000.0, 2000.0, 3000.0}},
                             {"POSITION", {{"byteOffset", 0}}},
                             {"NORMAL", {{"byteOffset", 60}}},
                             {"RGBA", {{"byteOffset", 120}}},
                             {"BATCH_ID", {{"byteOffset", 140}, {"componentType", "UNSIGNED_BYTE"}}},
                             {"BATCH_LENGTH", 3}};
    std::vector<uint8_t> bt_bin;
    append(bt_bin, std::vector<float>{1.5f, 2.5f, 3.5f});
    const std::string bt =
        R"({"kind": ["tree", "lamp", "bench"], "height": {"byteOffset": 0, "componentType": "FLOAT", "type": "SCALAR"}})";
    const glm::dmat4 tile = glm::translate(glm::dmat4(1.0), glm::dvec3(5, 6, 7));
    const auto c = decode(pnts(ft, bin, bt, bt_bin), "cloud.pnts", tile);
    ASSERT_EQ(c.kind, zw::tiles::DecodedContent::Kind::model);
    const auto& p = points_primitive(c.model);
    ASSERT_EQ(p.vertex_count, n);
    ASSERT_EQ(c.model.feature_ids.size(), n);
    for (uint32_t i = 0; i < n; ++i) {
        const glm::dvec3 expected = glm::dvec3(5, 6, 7) + glm::dvec3(1000, 2000, 3000) +
                                    glm::dvec3(pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]);
        EXPECT_NEAR(glm::length(world_of(c.model, i) - expected), 0.0, 1e-3) << i;
        const auto& v = c.model.vertices[i];
        EXPECT_EQ(v.normal, glm::vec3(0, 0, i % 2 ? 1.0f : -1.0f)) << i;
        for (int k = 0; k < 3; ++k)
            EXPECT_EQ(v.color[k], linear(rgba[4 * i + size_t(k)])) << i << " channel " << k;
        EXPECT_EQ(v.color[3], rgba[4 * i + 3]) << i;
        EXPECT_EQ(c.model.feature_ids[i], ids[i]) << i;
    }
    ASSERT_EQ(c.model.property_tables.size(), 1u);
    EXPECT_EQ(p.property_table, 0);
    const auto& table = c.model.property_tables[0];
    EXPECT_EQ(table.count, 3u);
    ASSERT_EQ(table.properties, (std::vector<std::string>{"kind", "height"}));
    EXPECT_EQ(table.values[0], (std::vector<std::string>{"tree", "lamp", "bench"}));
    EXPECT_EQ(table.values[1], (std::vector<std::string>{"1.5", "2.5", "3.5"}));
    // The bounds hold every point.
    for (uint32_t i = 0; i < n; ++i) {
        const glm::dvec3 w = world_of(c.model, i);
        EXPECT_TRUE(w.x >= c.model.bounds.min.x - 1e-6 && w.z <= c.model.bounds.max.z + 1e-6) << i;
    }
}

TEST(Pnts, QuantisedPositionsRgb565OctNormalsAndWideBatchIds) {
    const uint32_t n = 4;
    const std::vector<uint16_t> q = {0, 0, 0, 65535, 65535, 65535, 32768, 0, 65535, 100, 200, 300};
    const std::vector<uint16_t> rgb565 = {0xF800, 0x07E0, 0x001F, 0xFFFF};
    // Oct-encoded +x, -y, +z, -z (CesiumJS's octEncode with range 255).
    const std::vector<uint8_t> oct = {255, 128, 128, 0, 128, 128, 0, 0};
    const std::vector<uint32_t> ids = {7, 0, 70000, 3};
    std::vector<uint8_t> bin;
    append(bin, q);       // 24
    append(bin, rgb565);  // 8: 32
    append(bin, ids);     // 16: 48
    append(bin, oct);     // 8
    const ordered_json ft = {{"POINTS_LENGTH", n},
                             {"POSITION_QUANTIZED", {{"byteOffset", 0}}},
                             {"QUANTIZED_VOLUME_OFFSET", {6378137.0, 10.0, -20.0}},
                             {"QUANTIZED_VOLUME_SCALE", {10.0, 20.0, 40.0}},
                             {"RGB565", {{"byteOffset", 24}}},
                             {"BATCH_ID", {{"byteOffset", 32}, {"componentType", "UNSIGNED_INT"}}},
                             {"BATCH_LENGTH", 8},
                             {"NORMAL_OCT16P", {{"byteOffset", 48}}}};
    const auto c = decode(pnts(ft, bin, R"({"n": [0, 1, 2, 3, 4, 5, 6, 7]})"));
    points_primitive(c.model);
    const double off[3] = {6378137.0, 10.0, -20.0}, scale[3] = {10.0, 20.0, 40.0};
    for (uint32_t i = 0; i < n; ++i)
        for (int k = 0; k < 3; ++k)
            EXPECT_NEAR(world_of(c.model, i)[k], off[k] + q[3 * i + size_t(k)] / 65535.0 * scale[k], 1e-4)
                << i << " axis " << k;
    const auto& v = c.model.vertices;
    EXPECT_EQ((std::vector<uint8_t>{v[0].color[0], v[0].color[1], v[0].color[2]}),
              (std::vector<uint8_t>{255, 0, 0}));
    EXPECT_EQ((std::vector<uint8_t>{v[1].color[0], v[1].color[1], v[1].color[2]}),
              (std::vector<uint8_t>{0, 255, 0}));
    EXPECT_EQ((std::vector<uint8_t>{v[2].color[0], v[2].color[1], v[2].color[2]}),
              (std::vector<uint8_t>{0, 0, 255}));
    EXPECT_NEAR(v[0].normal.x, 1.0f, 0.01f);
    EXPECT_NEAR(v[1].normal.y, -1.0f, 0.01f);
    EXPECT_NEAR(v[2].normal.z, 1.0f, 0.01f);
    EXPECT_NEAR(v[3].normal.z, -1.0f, 0.01f);
    // 70000 is beyond BATCH_LENGTH: no feature, and a warning says so.
    EXPECT_EQ(c.model.feature_ids, (std::vector<uint32_t>{7, 0, UINT32_MAX, 3}));
    bool warned = false;
    for (const auto& w : c.warnings)
        warned = warned || contains(w, "BATCH_LENGTH");
    EXPECT_TRUE(warned);
}

TEST(Pnts, RgbAndAPerPointBatchTable) {
    const std::vector<float> pos = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const std::vector<uint8_t> rgb = {255, 0, 0, 0, 128, 0, 10, 20, 30};
    std::vector<uint8_t> bin;
    append(bin, pos);
    append(bin, rgb);
    const ordered_json ft = {
        {"POINTS_LENGTH", 3}, {"POSITION", {{"byteOffset", 0}}}, {"RGB", {{"byteOffset", 36}}}};
    const auto c = decode(pnts(ft, bin, R"({"intensity": [3, 1, 4]})"));
    points_primitive(c.model);
    for (size_t i = 0; i < 3; ++i) {
        for (int k = 0; k < 3; ++k)
            EXPECT_EQ(c.model.vertices[i].color[k], linear(rgb[3 * i + size_t(k)]));
        EXPECT_EQ(c.model.vertices[i].color[3], 255);
    }
    // Without BATCH_ID the batch table has a row per point: the point is the feature.
    EXPECT_EQ(c.model.feature_ids, (std::vector<uint32_t>{0, 1, 2}));
    ASSERT_EQ(c.model.property_tables.size(), 1u);
    EXPECT_EQ(c.model.property_tables[0].values[0], (std::vector<std::string>{"3", "1", "4"}));
}

TEST(Pnts, ConstantColourAndNoFeatures) {
    std::vector<uint8_t> bin;
    append(bin, std::vector<float>{0, 0, 0, 1, 1, 1});
    const ordered_json ft = {
        {"POINTS_LENGTH", 2}, {"POSITION", {{"byteOffset", 0}}}, {"CONSTANT_RGBA", {255, 128, 0, 51}}};
    const auto c = decode(pnts(ft, bin));
    const auto& p = points_primitive(c.model);
    EXPECT_EQ(p.property_table, -1);
    EXPECT_TRUE(c.model.feature_ids.empty());
    for (const auto& v : c.model.vertices) {
        EXPECT_EQ(v.color[0], 255);
        EXPECT_EQ(v.color[1], linear(128));
        EXPECT_EQ(v.color[2], 0);
        EXPECT_EQ(v.color[3], 51);
    }
}

TEST(Pnts, DracoCompressedPointsAndBatchTable) {
    zw::test::DracoInput in;
    const uint32_t n = 30;
    for (uint32_t i = 0; i < n; ++i) {
        in.positions.insert(in.positions.end(), {float(i % 6), float(i / 6), 0.5f * float(i % 4)});
        in.colors.insert(in.colors.end(), {uint8_t(8 * i), uint8_t(255 - 8 * i), uint8_t(i % 2 ? 255 : 0)});
        in.normals.insert(in.normals.end(), {0.0f, i % 2 ? 1.0f : 0.0f, i % 2 ? 0.0f : 1.0f});
        in.batch_ids.push_back(uint16_t(i % 5));
        in.extra.push_back(uint16_t(1000 + i));
    }
    in.color_components = 3;
    in.position_bits = 16;
    const auto d = zw::test::encode_draco(in);
    ordered_json ft = {{"POINTS_LENGTH", n},
                       {"POSITION", {{"byteOffset", 0}}},
                       {"RGB", {{"byteOffset", 0}}},
                       {"NORMAL", {{"byteOffset", 0}}},
                       {"BATCH_ID", {{"byteOffset", 0}, {"componentType", "UNSIGNED_SHORT"}}},
                       {"BATCH_LENGTH", 5}};
    ft["extensions"]["3DTILES_draco_point_compression"] = {{"properties",
                                                            {{"POSITION", d.ids.at("POSITION")},
                                                             {"RGB", d.ids.at("COLOR_0")},
                                                             {"NORMAL", d.ids.at("NORMAL")},
                                                             {"BATCH_ID", d.ids.at("BATCH_ID")}}},
                                                           {"byteOffset", 0},
                                                           {"byteLength", d.bytes.size()}};
    // A per-point property of the batch table would need the batch table to be per
    // point; here the per-batch names come from JSON, and Draco's EXTRA is checked
    // through a second tile below.
    const auto c = decode(pnts(ft, d.bytes, R"({"name": ["a", "b", "c", "d", "e"]})"), "draco.pnts");
    points_primitive(c.model);
    ASSERT_EQ(c.model.vertices.size(), n);
    for (size_t v = 0; v < n; ++v) {
        // Draco may reorder points: find the input point by position.
        const glm::dvec3 w = world_of(c.model, v);
        size_t i = 0;
        for (size_t k = 1; k < n; ++k)
            if (glm::length(
                    glm::dvec3(in.positions[3 * k], in.positions[3 * k + 1], in.positions[3 * k + 2]) - w) <
                glm::length(
                    glm::dvec3(in.positions[3 * i], in.positions[3 * i + 1], in.positions[3 * i + 2]) - w))
                i = k;
        EXPECT_NEAR(
            glm::length(glm::dvec3(in.positions[3 * i], in.positions[3 * i + 1], in.positions[3 * i + 2]) -
                        w),
            0.0, 1e-3);
        for (int k = 0; k < 3; ++k)
            EXPECT_EQ(c.model.vertices[v].color[k], linear(in.colors[3 * i + size_t(k)])) << v;
        EXPECT_NEAR(c.model.vertices[v].normal.y, in.normals[3 * i + 1], 0.01f) << v;
        EXPECT_EQ(c.model.feature_ids.at(v), in.batch_ids[i]) << v;
    }
    EXPECT_EQ(c.model.property_tables.at(0).values.at(0).at(4), "e");

    // Per point (no BATCH_ID): the batch table's Draco property is read per point.
    ft.erase("BATCH_ID");
    ft.erase("BATCH_LENGTH");
    ft["extensions"]["3DTILES_draco_point_compression"]["properties"].erase("BATCH_ID");
    const std::string bt =
        R"({"intensity": {"byteOffset": 0, "componentType": "UNSIGNED_SHORT", "type": "SCALAR"},
        "extensions": {"3DTILES_draco_point_compression": {"properties": {"intensity": )" +
        std::to_string(d.ids.at("EXTRA")) + "}}}}";
    const auto e = decode(pnts(ft, d.bytes, bt), "draco_batch.pnts");
    ASSERT_EQ(e.model.property_tables.size(), 1u);
    ASSERT_EQ(e.model.property_tables[0].properties, (std::vector<std::string>{"intensity"}));
    for (size_t v = 0; v < n; ++v) {
        const uint32_t id = e.model.feature_ids.at(v);
        ASSERT_LT(id, n);
        const int value = std::stoi(e.model.property_tables[0].values[0].at(id));
        // The intensity belongs to the point at this position: 1000 + its input number.
        const size_t i = size_t(value - 1000);
        ASSERT_LT(i, n);
        EXPECT_NEAR(
            glm::length(glm::dvec3(in.positions[3 * i], in.positions[3 * i + 1], in.positions[3 * i + 2]) -
                        world_of(e.model, v)),
            0.0, 1e-3)
            << v;
    }
    for (const auto& w : e.warnings)
        EXPECT_FALSE(contains(w, "intensity")) << w;
}

TEST(Pnts, BrokenTilesAreNamedErrors) {
    std::vector<uint8_t> bin(24, 0);
    const ordered_json ok = {{"POINTS_LENGTH", 2}, {"POSITION", {{"byteOffset", 0}}}};
    EXPECT_EQ(error_of(pnts(ok, bin), "ok.pnts"), "(no error)");
    auto check = [&](const ordered_json& ft, const std::vector<uint8_t>& b, const std::string& word) {
        const std::string e = error_of(pnts(ft, b), "bad.pnts");
        EXPECT_TRUE(contains(e, "bad.pnts") && contains(e, word)) << "expected '" << word << "' in: " << e;
    };
    check({{"POSITION", {{"byteOffset", 0}}}}, bin, "POINTS_LENGTH");
    check({{"POINTS_LENGTH", 2}}, bin, "POSITION");
    check({{"POINTS_LENGTH", 3}, {"POSITION", {{"byteOffset", 0}}}}, bin, "POSITION");
    check({{"POINTS_LENGTH", 2}, {"POSITION", {{"byteOffset", 2}}}}, bin, "POSITION");
    check({{"POINTS_LENGTH", 2}, {"POSITION_QUANTIZED", {{"byteOffset", 0}}}}, bin, "QUANTIZED_VOLUME");
    check({{"POINTS_LENGTH", 2}, {"POSITION", {{"byteOffset", 0}}}, {"BATCH_ID", {{"byteOffset", 0}}}}, bin,
          "BATCH_LENGTH");
    check({{"POINTS_LENGTH", 2}, {"POSITION", {{"byteOffset", 0}}}, {"RGBA", {{"byteOffset", 20}}}}, bin,
          "RGBA");
    check({{"POINTS_LENGTH", 2},
           {"POSITION", {{"byteOffset", 0}}},
           {"extensions",
            {{"3DTILES_draco_point_compression",
              {{"properties", {{"POSITION", 0}}}, {"byteOffset", 0}, {"byteLength", 24}}}}}},
          bin, "Draco");
    auto truncated = pnts(ok, bin);
    truncated.resize(truncated.size() - 8);
    EXPECT_TRUE(contains(error_of(truncated, "cut.pnts"), "truncated"));
}

TEST(Pnts, RandomCorruptionNeverCrashes) {
    std::vector<uint8_t> bin;
    append(bin, std::vector<float>{0, 0, 0, 1, 1, 1, 2, 2, 2});
    append(bin, std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    append(bin, std::vector<uint16_t>{0, 1, 1});
    const ordered_json ft = {{"POINTS_LENGTH", 3},
                             {"POSITION", {{"byteOffset", 0}}},
                             {"RGBA", {{"byteOffset", 36}}},
                             {"BATCH_ID", {{"byteOffset", 48}}},
                             {"BATCH_LENGTH", 2}};
    const auto good = pnts(ft, bin, R"({"a": [1, 2]})");
    std::mt19937 rng(5);
    for (int round = 0; round < 2000; ++round) {
        auto bytes = good;
        for (int f = 0; f < 1 + int(rng() % 3); ++f)
            bytes[rng() % bytes.size()] = uint8_t(rng());
        try {
            const auto c = decode(bytes, "fuzzed.pnts");
            for (uint32_t id : c.model.feature_ids) {
                if (id != UINT32_MAX && !c.model.property_tables.empty()) {
                    EXPECT_LT(id, c.model.property_tables[0].count);
                }
            }
        } catch (const zw::Error& e) {
            EXPECT_TRUE(contains(e.what(), "fuzzed.pnts")) << e.what();
        }
    }
}

}  // namespace
