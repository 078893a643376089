// Tile content decoding of instanced models (engine/tiles/content.h): i3dm instances
// placed, turned and scaled with their batch ids, quantised positions and oct-encoded
// normals, east-north-up, hostile input; and glTF's EXT_mesh_gpu_instancing.
#include "engine/tiles/content.h"

#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "content_test_util.h"
#include "engine/core/error.h"
#include "engine/geo/geo.h"

namespace {

using namespace zw::test;

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

}  // namespace
