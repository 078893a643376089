// The bake's mesh builders (app/bake/town_meshes.h): winding, normals, indices and
// enclosed volume of building parts, blocks, boxes and every layer of a small town.
// Expectations come from geometry, geodesy or the documented contract (docs/twin-bundle.md,
// the headers), not from numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "app/bake/feature_layer.h"
#include "app/bake/town.h"
#include "app/bake/town_layers.h"
#include "bake_test_util.h"

namespace {

using namespace zw::bake;
using glm::dvec2;
using glm::dvec3;
using zw::test::small_town_layers;

BuildingPart test_part(RoofType roof, double length = 12, double width = 8) {
    BuildingPart p;
    p.centre = {123.0, -45.0};
    p.angle = 0.7;  // not axis-aligned: a rotation bug shows
    p.length = length;
    p.width = width;
    p.base = 10;
    p.eave = 16;
    p.ridge = roof == RoofType::flat || roof == RoofType::cylinder ? 16 : 20;
    p.roof = roof;
    return p;
}

// The check itself: a ribbon wound clockwise seen from above (the road bug that culled
// every road) is caught, and so are bad normals and indices.
TEST(BakeMesh, MeshCheckCatchesClockwiseTrianglesBadNormalsAndIndices) {
    TriMesh m;
    m.positions = {{0, 0, 0}, {10, 0, 0}, {10, 5, 0}, {0, 5, 0}};
    m.normals.assign(4, glm::vec3(0, 0, 1));
    m.colors.assign(4, Rgba8{});
    m.indices = {0, 1, 2, 0, 2, 3};
    EXPECT_EQ(zw::test::mesh_problems(m), "");
    TriMesh cw = m;
    cw.indices = {0, 2, 1, 0, 3, 2};
    EXPECT_NE(zw::test::mesh_problems(cw), "");
    TriMesh long_normal = m;
    long_normal.normals[2] = {0, 0, 2};
    EXPECT_NE(zw::test::mesh_problems(long_normal), "");
    TriMesh out_of_range = m;
    out_of_range.indices[5] = 4;
    EXPECT_NE(zw::test::mesh_problems(out_of_range), "");
    TriMesh flat = m;  // a triangle with no area has no winding: skipped, and counted
    flat.indices = {0, 1, 1};
    size_t degenerate = 0;
    EXPECT_EQ(zw::test::mesh_problems(flat, &degenerate), "");
    EXPECT_EQ(degenerate, 1u);
}

TEST(BakeMesh, PartsAreWoundCounterClockwiseWithUnitNormals) {
    const std::pair<RoofType, const char*> roofs[] = {{RoofType::gabled, "gabled"},
                                                      {RoofType::hipped, "hipped"},
                                                      {RoofType::flat, "flat"},
                                                      {RoofType::pyramid, "pyramid"},
                                                      {RoofType::cylinder, "cylinder"}};
    for (const auto& [roof, name] : roofs) {
        // Long and square footprints (a hipped roof on a square one has no ridge).
        for (const auto& [length, width] : {std::pair{12.0, 8.0}, std::pair{8.0, 8.0}, std::pair{6.0, 9.0}}) {
            SCOPED_TRACE(std::string(name) + " " + std::to_string(length) + " x " + std::to_string(width));
            TriMesh full, block;
            add_part(full, test_part(roof, length, width));
            add_block(block, test_part(roof, length, width));
            ASSERT_FALSE(full.empty());
            ASSERT_FALSE(block.empty());
            size_t degenerate = 0;
            EXPECT_EQ(zw::test::mesh_problems(full, &degenerate), "");
            EXPECT_EQ(degenerate, 0u);
            EXPECT_EQ(zw::test::mesh_problems(block, &degenerate), "");
            EXPECT_EQ(degenerate, 0u);
        }
    }
}

// A surface wound consistently outwards encloses a positive volume (divergence theorem).
// Buildings have no floor: measured from a point in the base plane, the missing floor
// adds nothing.
double signed_volume(const TriMesh& m, const dvec3& ref = dvec3(0.0)) {
    double v = 0;
    for (size_t t = 0; t + 2 < m.indices.size(); t += 3)
        v += glm::dot(m.positions[m.indices[t]] - ref,
                      glm::cross(m.positions[m.indices[t + 1]] - ref, m.positions[m.indices[t + 2]] - ref)) /
             6;
    return v;
}

TEST(BakeMesh, BoxIsClosedOutwardAndHasTheRightVolume) {
    TriMesh m;
    const dvec3 lo(-3, 2, 1), hi(5, 6, 3.5);
    add_box(m, lo, hi, Rgba8{});
    EXPECT_EQ(zw::test::mesh_problems(m), "");
    EXPECT_EQ(m.triangle_count(), 12u);
    EXPECT_NEAR(signed_volume(m), 8 * 4 * 2.5, 1e-9);
    for (const dvec3& p : m.positions) {
        EXPECT_TRUE(p.x == lo.x || p.x == hi.x);
        EXPECT_TRUE(p.y == lo.y || p.y == hi.y);
        EXPECT_TRUE(p.z == lo.z || p.z == hi.z);
    }
}

TEST(BakeMesh, PartsAndBlocksEncloseTheirVolume) {
    for (const auto& [length, width] : {std::pair{12.0, 8.0}, std::pair{6.0, 9.0}}) {
        for (RoofType roof : {RoofType::gabled, RoofType::hipped, RoofType::pyramid, RoofType::flat}) {
            const BuildingPart p = test_part(roof, length, width);
            SCOPED_TRACE(int(roof));
            const dvec3 base(p.centre, p.base);
            const double area = p.length * p.width, walls = area * (p.eave - p.base), h = p.ridge - p.eave;
            // Roof volumes: a prism, a hip roof (W h / 6 (2 L + ridge length)), a pyramid.
            double roof_volume = 0;
            if (roof == RoofType::gabled) roof_volume = area * h / 2;
            if (roof == RoofType::pyramid) roof_volume = area * h / 3;
            if (roof == RoofType::hipped)
                roof_volume = p.width * h / 6 * (2 * p.length + std::max(p.length - p.width, 0.0));
            if (roof == RoofType::hipped && p.length < p.width) roof_volume = area * h / 3;
            TriMesh full;
            add_part(full, p);
            EXPECT_NEAR(signed_volume(full, base), walls + roof_volume, 1e-6);

            TriMesh block;
            add_block(block, p);
            double top = -1e300;
            for (const dvec3& q : block.positions) {
                top = std::max(top, q.z);
                // The block keeps the footprint.
                const dvec2 d = dvec2(q) - p.centre;
                EXPECT_NEAR(std::abs(glm::dot(d, dvec2(std::cos(p.angle), std::sin(p.angle)))), p.length / 2,
                            1e-9);
                EXPECT_NEAR(std::abs(glm::dot(d, dvec2(-std::sin(p.angle), std::cos(p.angle)))), p.width / 2,
                            1e-9);
            }
            EXPECT_GE(top, p.eave - 1e-9);
            EXPECT_LE(top, p.ridge + 1e-9);
            EXPECT_NEAR(signed_volume(block, base), area * (top - p.base), 1e-6);
        }
    }
}

// Regression: add_tree once shared the crown's middle ring between the upper cone and the
// underside, so the underside triangles (facing down) carried the upper cone's up-and-out
// normals; conifers showed it.
TEST(BakeMesh, TownLayersAreWoundCounterClockwiseWithUnitNormals) {
    const auto& layers = small_town_layers();
    // At least these, in this order (town_layers.h); every layer there is checked.
    std::vector<std::string> ids;
    for (const FeatureLayer& layer : layers)
        ids.push_back(layer.id);
    size_t found = 0;
    for (const std::string& id : ids)
        if (found < 5 &&
            id == std::vector<std::string>{"buildings", "roads", "water", "planning", "utilities"}[found])
            ++found;
    EXPECT_EQ(found, 5u) << "layers: " << ::testing::PrintToString(ids);
    for (size_t l = 0; l < layers.size(); ++l) {
        const FeatureLayer& layer = layers[l];
        EXPECT_FALSE(layer.features.empty()) << layer.id;
        size_t degenerate = 0, triangles = 0, failed = 0;
        for (size_t f = 0; f < layer.features.size() && failed < 3; ++f) {
            const Feature& feature = layer.features[f];
            EXPECT_EQ(feature.values.size(), layer.feature_class.properties.size()) << layer.id;
            ASSERT_FALSE(feature.lods.empty()) << layer.id << " feature " << f;
            for (size_t k = 0; k < feature.lods.size(); ++k) {
                const TriMesh& m = feature.lods[k];
                EXPECT_FALSE(m.empty()) << layer.id << " feature " << f << " lod " << k;
                size_t d = 0;
                const std::string problems = zw::test::mesh_problems(m, &d);
                degenerate += d;
                triangles += m.triangle_count();
                if (!problems.empty()) {
                    ++failed;
                    ADD_FAILURE() << layer.id << " feature " << f << " ("
                                  << std::get<std::string>(feature.values[0]) << ") lod " << k << ":\n"
                                  << problems;
                }
            }
        }
        // Degenerate triangles are tolerated, but they must stay rare.
        EXPECT_LE(degenerate, triangles / 100) << layer.id;
    }
}

}  // namespace
