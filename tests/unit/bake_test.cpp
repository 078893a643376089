// The bake library: mesh builders, recipe, terrain, town generator, road graph, tiler,
// glb writer, staged output and coordinate frame. Expectations come from geometry,
// geodesy or the documented contract (docs/twin-bundle.md, the headers), not from
// numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <numbers>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "app/bake/bundle.h"
#include "app/bake/crs.h"
#include "app/bake/feature_layer.h"
#include "app/bake/glb_writer.h"
#include "app/bake/output_dir.h"
#include "app/bake/recipe.h"
#include "app/bake/terrain.h"
#include "app/bake/tiler.h"
#include "app/bake/town.h"
#include "app/bake/town_layers.h"
#include "bake_test_util.h"
#include "engine/core/error.h"
#include "engine/geo/geo.h"
#include "engine/geo/utm.h"
#include "engine/gltf/model.h"
#include "temp_dir.h"

namespace {

using namespace zw::bake;
using glm::dvec2;
using glm::dvec3;
namespace fs = std::filesystem;
constexpr double pi = std::numbers::pi;

// A town small enough to generate in well under a second.
Recipe small_recipe() {
    Recipe r;
    r.extent_m = 2048;
    r.built_up_radius_m = 650;
    r.building_target = 400;
    r.pond_count = 3;
    r.planned_houses = 6;
    return r;
}

const Town& small_town() {
    static const Town town = generate_town(small_recipe());
    return town;
}

const std::vector<FeatureLayer>& small_town_layers() {
    static const std::vector<FeatureLayer> layers = town_feature_layers(small_town());
    return layers;
}

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The message of the zw::Error that `fn` throws ("" if it throws none).
std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "";
}

// ---------------------------------------------------------------------------------------
// 1. Mesh builders: winding, normals, indices.

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

// ---------------------------------------------------------------------------------------
// 2. Recipe.

TEST(BakeRecipe, AbsentKeysKeepTheDefaults) {
    zw::test::TempDir dir;
    const fs::path file = dir.path() / "r.json";
    write_text(file, R"({"seed": 7, "terrain": {"fine_cell_m": 4}, "$comment": "test"})");
    const Recipe r = load_recipe(file);
    const Recipe d;
    EXPECT_EQ(r.path, file);
    EXPECT_EQ(r.seed, 7u);
    EXPECT_EQ(r.fine_cell_m, 4);
    EXPECT_EQ(r.name, d.name);
    EXPECT_EQ(r.extent_m, d.extent_m);
    EXPECT_EQ(r.built_up_radius_m, d.built_up_radius_m);
    EXPECT_EQ(r.outer_cell_m, d.outer_cell_m);
    EXPECT_EQ(r.building_target, d.building_target);
    EXPECT_EQ(r.pond_count, d.pond_count);
    EXPECT_EQ(r.creek_name, d.creek_name);
    EXPECT_EQ(r.channel_width_m, d.channel_width_m);
    EXPECT_EQ(r.origin_lat_deg, d.origin_lat_deg);
    EXPECT_EQ(r.origin_lon_deg, d.origin_lon_deg);
    EXPECT_TRUE(r.imports.empty());

    write_text(file, "{}");
    const Recipe e = load_recipe(file);
    EXPECT_EQ(e.seed, d.seed);
    EXPECT_EQ(e.building_target, d.building_target);
}

TEST(BakeRecipe, UnknownKeysAreRefusedByName) {
    zw::test::TempDir dir;
    const fs::path file = dir.path() / "typo.json";
    write_text(file, R"({"buildng_target": 10})");
    std::string msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find("buildng_target"), std::string::npos) << msg;
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;

    write_text(file, R"({"creek": {"widht_m": 3}})");
    msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find("creek.widht_m"), std::string::npos) << msg;
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
}

TEST(BakeRecipe, WrongTypesMissingFilesAndBadJsonAreRefused) {
    zw::test::TempDir dir;
    const fs::path file = dir.path() / "r.json";
    write_text(file, R"({"seed": "one"})");
    std::string msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find("seed"), std::string::npos) << msg;
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;

    write_text(file, R"({"origin": {"lat_deg": [49]}})");
    msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find("origin.lat_deg"), std::string::npos) << msg;

    write_text(file, R"({"seed": 1,)");
    msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;

    write_text(file, R"({"extent_m": -5})");
    msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find("extent_m"), std::string::npos) << msg;

    const fs::path missing = dir.path() / "nope" / "missing.json";
    msg = error_of([&] { load_recipe(missing); });
    EXPECT_NE(msg.find(missing.string()), std::string::npos) << msg;
}

TEST(BakeRecipe, ImportsResolveRelativePathsAgainstTheRecipeFolder) {
    zw::test::TempDir dir;
    fs::create_directories(dir.path() / "recipes");
    const fs::path file = dir.path() / "recipes" / "r.json";
    const fs::path absolute = dir.path() / "elsewhere" / "hall.glb";
    write_text(file, R"({"imports": [
        {"kind": "citygml", "file": "data/lod2.gml", "layer_id": "lod2", "access": "citizen"},
        {"kind": "model", "file": ")" +
                         absolute.generic_string() +
                         R"(", "position": [631000.5, 5498000.25, 301], "rotation_deg": 30, "scale": 2,
         "title_de": "Halle", "title_en": "Hall", "layer_id": "hall"}]})");
    const Recipe r = load_recipe(file);
    ASSERT_EQ(r.imports.size(), 2u);
    EXPECT_EQ(r.imports[0].kind, ImportSpec::Kind::citygml);
    EXPECT_EQ(fs::weakly_canonical(r.imports[0].file),
              fs::weakly_canonical(dir.path() / "recipes" / "data" / "lod2.gml"));
    EXPECT_EQ(r.imports[0].access, "citizen");
    EXPECT_EQ(r.imports[0].layer_id, "lod2");
    EXPECT_EQ(r.imports[1].kind, ImportSpec::Kind::model);
    EXPECT_EQ(fs::weakly_canonical(r.imports[1].file), fs::weakly_canonical(absolute));
    EXPECT_EQ(r.imports[1].position, dvec3(631000.5, 5498000.25, 301));
    EXPECT_EQ(r.imports[1].rotation_deg, 30);
    EXPECT_EQ(r.imports[1].scale, 2);
    EXPECT_EQ(r.imports[1].access, ImportSpec{}.access);  // absent: the default
    EXPECT_EQ(r.imports[1].title_en, "Hall");
}

TEST(BakeRecipe, BadImportEntriesAreRefused) {
    zw::test::TempDir dir;
    const fs::path file = dir.path() / "r.json";
    write_text(file, R"({"imports": [{"kind": "citygml", "file": "a.gml", "access": "public"}]})");
    std::string msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find("access"), std::string::npos) << msg;
    EXPECT_NE(msg.find("public"), std::string::npos) << msg;
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;

    write_text(file, R"({"imports": [{"kind": "model", "file": "a.glb"}]})");  // no position
    msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find("position"), std::string::npos) << msg;

    write_text(file, R"({"imports": [{"kind": "citygml", "file": "a.gml", "acess": "council"}]})");
    msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find("imports[0].acess"), std::string::npos) << msg;

    write_text(file, R"({"imports": [{"kind": "obj", "file": "a.obj"}]})");
    msg = error_of([&] { load_recipe(file); });
    EXPECT_NE(msg.find("kind"), std::string::npos) << msg;
}

// The keys for large towns (docs/twin-bundle.md, "Keys for larger towns").
TEST(BakeRecipe, LargeTownKeysAreReadAndChecked) {
    zw::test::TempDir dir;
    const fs::path file = dir.path() / "r.json";
    write_text(
        file,
        R"({"extent_m": 12288, "built_up_radius_m": 5000, "town_radius_m": 1200, "building_target": 100000,
        "villages": {"count": 12, "radius_m": 800, "gap_m": 50},
        "tiling": {"buildings": {"max_level": 9, "leaf_features": 12},
                   "roads": {"drop_size_m": 0, "leaf_triangles": 2000}}})");
    const Recipe r = load_recipe(file);
    EXPECT_EQ(r.town_radius_m, 1200);
    EXPECT_EQ(r.town_radius(), 1200);
    EXPECT_EQ(r.building_target, 100000);
    EXPECT_EQ(r.villages.count, 12);
    EXPECT_EQ(r.villages.radius_m, 800);
    EXPECT_EQ(r.villages.gap_m, 50);
    ASSERT_EQ(r.tiling.size(), 2u);
    const LayerTiling& b = r.tiling.at("buildings");
    EXPECT_EQ(b.max_level, 9);
    EXPECT_EQ(b.leaf_features, 12);
    EXPECT_FALSE(b.leaf_triangles.has_value());
    EXPECT_FALSE(b.drop_size_m.has_value());
    EXPECT_EQ(r.tiling.at("roads").drop_size_m, 0.0);
    EXPECT_EQ(r.tiling.at("roads").leaf_triangles, 2000);

    // Absent: the town is as large as the built-up area, no villages, default tiling.
    const Recipe d;
    EXPECT_EQ(d.town_radius(), d.built_up_radius_m);
    EXPECT_EQ(d.villages.count, 0);
    EXPECT_TRUE(d.tiling.empty());

    // Each refusal names the file and the key.
    const std::pair<const char*, const char*> bad[] = {
        {R"({"tiling": {"buildngs": {"max_level": 5}}})", "tiling.buildngs"},
        {R"({"tiling": {"buildings": {"max_levle": 5}}})", "tiling.buildings.max_levle"},
        {R"({"tiling": {"buildings": {"max_level": 17}}})", "tiling.buildings.max_level"},
        {R"({"tiling": {"buildings": {"max_level": -1}}})", "tiling.buildings.max_level"},
        {R"({"tiling": {"buildings": {"max_level": 8.5}}})", "tiling.buildings.max_level"},
        {R"({"tiling": {"trees": {"leaf_triangles": 0}}})", "tiling.trees.leaf_triangles"},
        {R"({"tiling": {"trees": {"leaf_features": -3}}})", "tiling.trees.leaf_features"},
        {R"({"tiling": {"roads": {"drop_size_m": -1}}})", "tiling.roads.drop_size_m"},
        {R"({"tiling": {"roads": {"drop_size_m": "big"}}})", "tiling.roads.drop_size_m"},
        {R"({"tiling": [1]})", "tiling"},
        {R"({"building_target": 500001})", "building_target"},
        {R"({"building_target": 2500.5})", "building_target"},
        {R"({"town_radius_m": 2000})", "town_radius_m"},  // more than the built-up radius
        {R"({"town_radius_m": 0})", "town_radius_m"},
        {R"({"villages": {"count": 401}})", "villages.count"},
        {R"({"villages": {"count": -1}})", "villages.count"},
        {R"({"villages": {"count": 3, "radius_m": 1250}})", "villages.radius_m"},
        {R"({"villages": {"count": 3, "gap_m": -10}})", "villages.gap_m"},
        {R"({"villages": {"cout": 3}})", "villages.cout"},
    };
    for (const auto& [text, key] : bad) {
        SCOPED_TRACE(text);
        write_text(file, text);
        const std::string msg = error_of([&] { load_recipe(file); });
        EXPECT_NE(msg.find(key), std::string::npos) << msg;
        EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    }
    // A village radius is only checked when there are villages (the small test towns
    // have a built-up radius below the default village radius).
    write_text(file, R"({"built_up_radius_m": 500})");
    EXPECT_EQ(error_of([&] { load_recipe(file); }), "");
}

// The streaming benchmark's town (tests/bench/large_town.sh) is a valid recipe asking
// for what the benchmark needs. Only read here: baking it takes a minute.
TEST(BakeRecipe, TheLargeBenchmarkRecipeAsksForALargeTown) {
    const fs::path file = fs::path(ZW_SOURCE_DIR) / "assets/bench-large.json";
    const Recipe r = load_recipe(file);
    EXPECT_GE(r.building_target, 100000);
    EXPECT_GT(r.villages.count, 0);
    EXPECT_LT(r.town_radius(), r.built_up_radius_m);
    ASSERT_TRUE(r.tiling.count("buildings"));
    EXPECT_GT(r.tiling.at("buildings").leaf_features.value_or(0), 0);
}

// Every number a recipe gives has a documented range (recipe.h), every name is printable
// text, every unknown key names the nearest known one. One row per class: out of range,
// outside EPSG:25832's zone, negative or overflowing counts, wrong type, control
// characters, typos. Each refusal names the file and the key.
TEST(BakeRecipe, EveryFieldIsBoundedAndEveryKeyKnown) {
    zw::test::TempDir dir;
    const fs::path file = dir.path() / "r.json";
    const std::pair<std::string, std::string> bad[] = {
        // outside the CRS's zone (UTM 32N: 6..12 E, 0..84 N)
        {R"({"origin": {"lat_deg": 100}})", "'origin.lat_deg' must be between 0 and 84"},
        {R"({"origin": {"lat_deg": -33.9}})", "'origin.lat_deg' must be between 0 and 84"},
        {R"({"origin": {"lon_deg": 13.4}})", "'origin.lon_deg' must be between 6 and 12"},
        {R"({"origin": {"height_m": 1e9}})", "'origin.height_m'"},
        {R"({"origin": {"geoid_undulation_m": 500}})", "'origin.geoid_undulation_m'"},
        {R"({"imports": [{"kind": "model", "file": "a.glb", "position": [32632430, 5497690, 300]}]})",
         "'imports[0].position[0]' must be between 100000 and 900000"},
        {R"({"imports": [{"kind": "model", "file": "a.glb", "position": [632430, -5, 300]}]})",
         "'imports[0].position[1]'"},
        {R"({"imports": [{"kind": "model", "file": "a.glb", "position": [632430, 5497690, 300], "scale": 0}]})",
         "'imports[0].scale'"},
        {R"({"imports": [{"kind": "model", "file": "a.glb", "position": [632430, 5497690, 300],
             "rotation_deg": 1e9}]})",
         "'imports[0].rotation_deg'"},
        // sizes and cells
        {R"({"extent_m": 1e9})", "'extent_m' must be between 512 and 100000"},
        {R"({"extent_m": 1e400})", "not valid JSON"},
        {R"({"terrain": {"fine_cell_m": 0.001}})", "'terrain.fine_cell_m' must be between 0.5 and 1000"},
        {R"({"terrain": {"fine_cell_m": 4, "outer_cell_m": 2}})", "'terrain.outer_cell_m' must be between 4"},
        {R"({"built_up_radius_m": 9000})", "'built_up_radius_m' must be between 100 and"},
        {R"({"creek": {"water_depth_m": 3}})", "'creek.water_depth_m'"},
        {R"({"creek": {"channel_width_m": -6}})", "'creek.channel_width_m'"},
        {R"({"creek": {"meander_amplitude_m": 1e300}})", "'creek.meander_amplitude_m'"},
        {R"({"terrain": {"hill_amplitude_m": -22}})", "'terrain.hill_amplitude_m'"},
        {R"({"tiling": {"roads": {"drop_size_m": 1e300}}})", "'tiling.roads.drop_size_m'"},
        // counts: >= 0 and bounded; whole numbers that fit
        {R"({"pond_count": -1})", "'pond_count' must be between 0 and 100"},
        {R"({"planned_houses": -1})", "'planned_houses' must be between 0 and 24"},
        {R"({"planned_houses": 100})", "'planned_houses' must be between 0 and 24"},
        {R"({"building_target": -5})", "'building_target' must be between 0 and 500000"},
        {R"({"building_target": 4294967297})", "'building_target' must be a whole number from"},
        {R"({"seed": -1})", "'seed' must be a whole number from 0"},
        {R"({"villages": {"count": 3, "gap_m": 1e12}})", "'villages.gap_m'"},
        // names: printable UTF-8
        {R"({"name": "Weisen\u0000dorf"})", "'name' holds a control character (code 0)"},
        {R"({"name": "Weisen\u001b[2Jdorf"})", "'name' holds a control character (code 27)"},
        {R"({"name": "Zeile\nZeile"})", "'name' holds a control character (code 10)"},
        {R"({"name": ""})", "'name' must not be empty"},
        {"{\"name\": \"M\xfc\"}", "is not valid JSON"},  // nlohmann checks UTF-8 itself
        {R"({"creek": {"name": "See\u0085bach"}})", "'creek.name' holds a control character (U+0085)"},
        {R"({"planning_name": "\u0007"})", "'planning_name' holds a control character (code 7)"},
        {R"({"imports": [{"kind": "citygml", "file": "a\u0000.gml"}]})", "'imports[0].file' holds a control"},
        {R"({"imports": [{"kind": "citygml", "file": "a.gml", "layer_id": "x\ty"}]})",
         "'imports[0].layer_id' holds a control"},
        // wrong types
        {R"({"extent_m": "4096"})", "'extent_m' has the wrong type"},
        {R"({"name": 5})", "'name' has the wrong type"},
        // typos: the nearest known key
        {R"({"buildng_target": 10})", "unknown key 'buildng_target' (did you mean 'building_target'?)"},
        {R"({"origin": {"lat_dg": 49}})", "unknown key 'origin.lat_dg' (did you mean 'lat_deg'?)"},
        {R"({"terrain": {"Fine_Cell_M": 2}})",
         "unknown key 'terrain.Fine_Cell_M' (did you mean 'fine_cell_m'?)"},
        {R"({"creek": {"widht_m": 3}})", "unknown key 'creek.widht_m' (known keys: name, drop_m,"},
    };
    for (const auto& [text, expected] : bad) {
        SCOPED_TRACE(text);
        write_text(file, text);
        const std::string msg = error_of([&] { load_recipe(file); });
        EXPECT_NE(msg.find(expected), std::string::npos) << msg << "\nexpected: " << expected;
        EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    }
    // The edges of the ranges are valid, and so is text with umlauts and line feeds
    // where they belong.
    write_text(file, R"js({"origin": {"lat_deg": 0, "lon_deg": 12}, "extent_m": 512, "built_up_radius_m": 100,
        "pond_count": 0, "planned_houses": 24, "terrain": {"fine_cell_m": 0.5, "outer_cell_m": 0.5},
        "name": "Müllersdorf (synthetisch)", "description_de": "Zeile 1\nZeile 2", "seed": 18446744073709551615})js");
    const Recipe r = load_recipe(file);
    EXPECT_EQ(r.name, "Müllersdorf (synthetisch)");
    EXPECT_EQ(r.seed, 18446744073709551615ull);
    // A folder where the recipe belongs is named as one.
    const std::string msg = error_of([&] { load_recipe(dir.path()); });
    EXPECT_NE(msg.find("it is a folder, not a file"), std::string::npos) << msg;
}

// The memory estimate follows the recipe's numbers, and the bake refuses a recipe beyond
// its limit with the estimate's parts and what to do.
TEST(BakeRecipe, MemoryIsEstimatedBeforeBakingAndALimitHolds) {
    const fs::path assets = fs::path(ZW_SOURCE_DIR) / "assets";
    const Recipe town = load_recipe(assets / "weisendorf.json");
    const Recipe large = load_recipe(assets / "bench-large.json");
    const double gib = double(uint64_t(1) << 30), mib = double(1 << 20);
    const BakeMemory t = estimate_bake_memory(town), l = estimate_bake_memory(large);
    EXPECT_GT(l.total, t.total);
    EXPECT_GT(t.flood, 0);  // "flood_scenarios": true
    EXPECT_EQ(l.flood, 0);

    // Against bakes that were measured (peak RSS of zwilling-bake with /usr/bin/time -v,
    // all three twins, --no-flood, debug build, 2 cores): the estimate is never below
    // what the bake took and at most twice it, so that the limit refuses what would not
    // fit and nothing that would.
    struct Measured {
        const char* what;
        std::function<void(Recipe&)> change;
        double peak_mib;
    };
    const Measured measured[] = {
        {"the sample town", [](Recipe&) {}, 83.4},
        {"a 1 m DEM cell", [](Recipe& r) { r.fine_cell_m = 1; }, 131.0},
        {"an 8192 m extent", [](Recipe& r) { r.extent_m = 8192; }, 99.7},
        {"a 2000 m built-up radius", [](Recipe& r) { r.built_up_radius_m = 2000; }, 86.2},
    };
    // The benchmark town (citizen twin only: 4 min in the debug build).
    EXPECT_GE(l.total / mib, 1015.6);
    EXPECT_LE(l.total / mib, 2 * 1015.6);
    for (const Measured& m : measured) {
        Recipe r = town;
        r.flood_scenarios = false;
        m.change(r);
        const double estimate = estimate_bake_memory(r).total / mib;
        EXPECT_GE(estimate, m.peak_mib) << m.what;
        EXPECT_LE(estimate, 2 * m.peak_mib) << m.what;
    }

    // Each part grows with what it counts.
    Recipe r = town;
    r.fine_cell_m = town.fine_cell_m / 2;
    EXPECT_GT(estimate_bake_memory(r).terrain,
              3 * t.terrain);  // the fine cells 4x, the outer ones as they were
    EXPECT_LT(estimate_bake_memory(r).terrain, 4 * t.terrain);
    r = town;
    r.building_target = 2 * town.building_target;
    EXPECT_NEAR(estimate_bake_memory(r).buildings, 2 * t.buildings, 1);
    r = town;
    r.extent_m = 2 * town.extent_m;
    EXPECT_GT(estimate_bake_memory(r).trees, 4 * t.trees);
    EXPECT_GT(estimate_bake_memory(r).flood, 1.9 * t.flood);

    // Beyond the limit: refused, naming the recipe, the estimate, the limit and the ways out.
    r = town;
    r.extent_m = max_extent_m;
    r.built_up_radius_m = max_extent_m / 2;
    r.fine_cell_m = r.outer_cell_m = min_cell_m;
    const std::string msg = error_of([&] { check_bake_memory(r, 16 * gib, "--max-memory"); });
    EXPECT_NE(msg.find("weisendorf.json"), std::string::npos) << msg;
    EXPECT_NE(msg.find("more than the limit of 16.0 GiB (--max-memory)"), std::string::npos) << msg;
    for (const char* way : {"extent_m", "terrain.fine_cell_m", "--no-flood", "--max-memory GIB"})
        EXPECT_NE(msg.find(way), std::string::npos) << way << ": " << msg;
    EXPECT_EQ(error_of([&] { check_bake_memory(town, 16 * gib, "--max-memory"); }), "");
    EXPECT_EQ(error_of([&] { check_bake_memory(large, 16 * gib, "--max-memory"); }), "");
}

// ---------------------------------------------------------------------------------------
// 3. Terrain.

// A point `d` metres from the creek's centreline at x, perpendicular to it (side +1: north).
dvec2 across_creek(const Terrain& t, double x, double d) {
    const double slope = (t.creek_y(x + 0.01) - t.creek_y(x - 0.01)) / 0.02;
    const dvec2 n = glm::normalize(dvec2(-slope, 1));
    return dvec2(x, t.creek_y(x)) + n * d;
}

TEST(BakeTerrain, SameSeedSameLandAnotherSeedOtherLand) {
    Recipe a, b;
    b.seed = a.seed + 1;
    const Terrain t1(a), t2(a), t3(b);
    int differ = 0;
    for (double x = -1900; x <= 1900; x += 190)
        for (double y = -1900; y <= 1900; y += 190) {
            EXPECT_EQ(t1.height(x, y), t2.height(x, y));
            differ += std::abs(t1.height(x, y) - t3.height(x, y)) > 0.1;
        }
    EXPECT_GT(differ, 50);  // of 441 points
}

TEST(BakeTerrain, CreekChannelSitsInItsFloodplain) {
    const Recipe r;
    const Terrain t(r);
    const double hw = r.channel_width_m / 2;
    for (double x = -600; x <= 1800; x += 300) {  // the ponds lie further west
        SCOPED_TRACE("x = " + std::to_string(x));
        const dvec2 c(x, t.creek_y(x));
        const double bed = t.height(c.x, c.y);
        EXPECT_NEAR(bed, t.creek_bed(x), 0.01);
        EXPECT_NEAR(t.creek_distance(c.x, c.y), 0, 1e-9);
        for (double side : {-1.0, 1.0}) {
            // Just past the bank, and at the floodplain's edge.
            const dvec2 bank_p = across_creek(t, x, side * (hw * 1.5));
            const dvec2 edge_p = across_creek(t, x, side * r.floodplain_half_width_m);
            EXPECT_NEAR(t.creek_distance(bank_p.x, bank_p.y), hw * 1.5, 0.05);
            const double bank = t.height(bank_p.x, bank_p.y);
            const double edge = t.height(edge_p.x, edge_p.y);
            EXPECT_LT(bed, bank);
            EXPECT_LT(bank, edge);
            EXPECT_NEAR(bank - bed, r.channel_depth_m, 0.05);
            EXPECT_NEAR(edge - bank, r.floodplain_rise_m, 0.15);
            // Water flows in the channel, below the banks.
            EXPECT_GT(t.creek_water(x), bed);
            EXPECT_LT(t.creek_water(x), bank);
        }
    }
}

TEST(BakeTerrain, FloodplainLiesBelowTheValleySides) {
    const Recipe r;
    const Terrain t(r);
    double floodplain = 0, sides = 0;
    int n = 0;
    for (double x = -1800; x <= 1800; x += 100) {
        const dvec2 f = across_creek(t, x, r.floodplain_half_width_m / 2);
        floodplain += t.height(f.x, f.y);
        for (double side : {-1.0, 1.0}) {
            const dvec2 s = across_creek(t, x, side * 600);
            sides += t.height(s.x, s.y) / 2;
        }
        ++n;
    }
    EXPECT_GT(sides / n, floodplain / n + 3);
}

TEST(BakeTerrain, CreekFallsFromWestToEast) {
    const Recipe r;
    const Terrain t(r);
    const double h = r.extent_m / 2;
    // The recipe's drop: bed height at the west edge minus the east edge.
    EXPECT_NEAR(t.creek_bed(-h) - t.creek_bed(h), r.creek_drop_m, 1e-9);
    double previous = 1e300;
    for (double x = -h; x <= h; x += 50) {
        const double bed = t.height(x, t.creek_y(x));
        EXPECT_LT(bed, previous) << "x = " << x;
        previous = bed;
    }
    const auto line = t.creek_line(8);
    ASSERT_GE(line.size(), 2u);
    EXPECT_NEAR(line.front().x, -h, 1e-9);
    EXPECT_NEAR(line.back().x, h, 1e-6);
}

TEST(BakeTerrain, PondsHoldWater) {
    const Recipe r;
    const Terrain t(r);
    ASSERT_EQ(int(t.ponds().size()), r.pond_count);
    for (const Pond& p : t.ponds()) {
        SCOPED_TRACE(p.name);
        EXPECT_LT(p.bottom, p.water_level);
        EXPECT_LT(p.water_level, p.crest);
        EXPECT_LT(t.height(p.centre.x, p.centre.y), p.water_level);
        EXPECT_LT(p.signed_distance(p.centre), 0);
        // The dam around the pond reaches the crest, above the water.
        const auto outline = p.outline(4);
        for (const dvec2& q : outline)
            EXPECT_NEAR(p.signed_distance(q), 0, 1e-6);
        for (const dvec2& q : outline) {
            const dvec2 out = q + 3.0 * glm::normalize(q - p.centre);
            EXPECT_GT(t.height(out.x, out.y), p.water_level);
        }
        // No pond in the creek's channel.
        EXPECT_GT(t.creek_distance(p.centre.x, p.centre.y), t.channel_half_width() + p.half.y);
    }
}

// ---------------------------------------------------------------------------------------
// 4. The generated town.

TEST(BakeTown, SeparatingAxisHelperWorks) {
    BuildingPart a, b;
    a.centre = {0, 0};
    a.length = 10;
    a.width = 4;
    b = a;
    b.centre = {9.9, 0};
    EXPECT_TRUE(zw::test::rects_overlap(zw::test::rect_of(a), zw::test::rect_of(b), 0.01));
    b.centre = {10.0, 0};  // touching
    EXPECT_FALSE(zw::test::rects_overlap(zw::test::rect_of(a), zw::test::rect_of(b), 0.01));
    // Rotated 45 degrees: corner-to-corner the boxes miss, although their circles overlap.
    b.angle = pi / 4;
    b.centre = {9, 6};  // 4 m out along the diagonal from a's corner (5, 2)
    EXPECT_FALSE(zw::test::rects_overlap(zw::test::rect_of(a), zw::test::rect_of(b), 0.01));
    b.centre = {5.5, 1};
    EXPECT_TRUE(zw::test::rects_overlap(zw::test::rect_of(a), zw::test::rect_of(b), 0.01));
}

TEST(BakeTown, PlacesTheTargetNumberOfBuildings) {
    const Recipe r = small_recipe();
    const Town& town = small_town();
    // generate_town fills the town up to the target and warns when the area is full.
    EXPECT_LE(int(town.buildings.size()), r.building_target);
    EXPECT_GE(double(town.buildings.size()), 0.9 * r.building_target);
    EXPECT_EQ(int(town.planned.size()), r.planned_houses);
    EXPECT_EQ(town.water.size(), size_t(1 + r.pond_count));
    EXPECT_FALSE(town.utilities.empty());
}

TEST(BakeTown, BuildingsHaveIdsUsesAndAddresses) {
    const Town& town = small_town();
    std::set<std::string> ids;
    for (const Building& b : town.buildings) {
        SCOPED_TRACE(b.id);
        EXPECT_FALSE(b.id.empty());
        EXPECT_TRUE(ids.insert(b.id).second) << "duplicate id " << b.id;
        EXPECT_FALSE(b.use.empty());
        EXPECT_FALSE(b.parts.empty());
        EXPECT_GE(b.storeys, 1);
        EXPECT_GT(b.height(), 2.0);
        if (b.use == "Wohnhaus" || b.use == "Mehrfamilienhaus" || b.use == "Bauernhaus") {
            EXPECT_FALSE(b.street.empty());
            EXPECT_FALSE(b.house_number.empty());
            EXPECT_GT(b.residents, 0);
        }
        for (const BuildingPart& p : b.parts) {
            EXPECT_GT(p.length, 0);
            EXPECT_GT(p.width, 0);
            EXPECT_LT(p.base, p.eave);
            EXPECT_LE(p.eave, p.ridge);
            // Sits on the ground: the base is below the terrain at every corner.
            for (const dvec2& q : zw::test::rect_of(p).corners())
                EXPECT_LE(p.base, town.terrain.height(q.x, q.y) + 1e-9);
        }
    }
}

TEST(BakeTown, BuildingsOfDifferentOwnersDoNotOverlap) {
    const Town& town = small_town();
    struct Item {
        zw::test::Rect rect;
        size_t building;
        double radius;
    };
    std::vector<Item> items;
    for (size_t i = 0; i < town.buildings.size(); ++i)
        for (const BuildingPart& p : town.buildings[i].parts)
            items.push_back({zw::test::rect_of(p), i, std::hypot(p.length, p.width) / 2});
    int overlaps = 0;
    for (size_t i = 0; i < items.size(); ++i)
        for (size_t j = i + 1; j < items.size(); ++j) {
            if (items[i].building == items[j].building) continue;
            if (glm::length(items[i].rect.c - items[j].rect.c) > items[i].radius + items[j].radius) continue;
            if (zw::test::rects_overlap(items[i].rect, items[j].rect, 0.01) && overlaps++ < 10)
                ADD_FAILURE() << town.buildings[items[i].building].id << " ("
                              << town.buildings[items[i].building].use << ") overlaps "
                              << town.buildings[items[j].building].id << " ("
                              << town.buildings[items[j].building].use << ")";
        }
    EXPECT_EQ(overlaps, 0);
}

TEST(BakeTown, NoBuildingStandsInTheCreekOrAPond) {
    const Town& town = small_town();
    const Terrain& t = town.terrain;
    int wet = 0;
    for (const Building& b : town.buildings)
        for (const BuildingPart& p : b.parts) {
            const zw::test::Rect r = zw::test::rect_of(p);
            // The whole footprint, not just its corners: a long building could straddle the creek.
            bool hit = false;
            for (double i = -1; i <= 1.0001 && !hit; i += 0.05)
                for (double j = -1; j <= 1.0001 && !hit; j += 0.1) {
                    const dvec2 q = r.c + r.u * (i * r.half.x) + r.v * (j * r.half.y);
                    if (t.creek_distance(q.x, q.y) <= t.channel_half_width() || t.pond_distance(q) <= 0)
                        hit = true;
                }
            if (hit && wet++ < 10)
                ADD_FAILURE() << b.id << " (" << b.use << ") at (" << p.centre.x << ", " << p.centre.y
                              << ") stands in the water";
        }
    EXPECT_EQ(wet, 0);
}

// The contract of Town::nodes/edges (docs/twin-bundle.md, "Road graph"). Returns problems.
std::string graph_problems(const Town& town) {
    std::ostringstream out;
    int n = 0;
    auto report = [&](const std::string& s) {
        if (n++ < 10) out << s << "\n";
    };
    for (size_t i = 0; i < town.edges.size(); ++i) {
        const RoadEdge& e = town.edges[i];
        const std::string name = "edge " + std::to_string(i);
        if (e.from >= town.nodes.size() || e.to >= town.nodes.size()) {
            report(name + " names a node that does not exist");
            continue;
        }
        if (e.road >= town.roads.size()) report(name + " names a road that does not exist");
        if (e.shape.size() < 2) {
            report(name + " has fewer than two shape points");
            continue;
        }
        const double d0 = glm::length(e.shape.front() - dvec2(town.nodes[e.from].position));
        const double d1 = glm::length(e.shape.back() - dvec2(town.nodes[e.to].position));
        if (d0 > 0.01 || d1 > 0.01) {
            std::ostringstream s;
            s << name << " (" << town.roads[e.road].name << "): shape ends are " << d0 << " m and " << d1
              << " m from its nodes at (" << town.nodes[e.from].position.x << ", "
              << town.nodes[e.from].position.y << ") and (" << town.nodes[e.to].position.x << ", "
              << town.nodes[e.to].position.y << ")";
            report(s.str());
        }
        double length = 0;
        for (size_t k = 1; k < e.shape.size(); ++k)
            length += glm::length(e.shape[k] - e.shape[k - 1]);
        if (std::abs(length - e.length) > 1e-6)
            report(name + ": length " + std::to_string(e.length) + " but the shape is " +
                   std::to_string(length));
        if (e.from == e.to && length < 1) report(name + " is a loop of no length");
    }
    if (n > 10) out << "... and " << n - 10 << " more\n";
    return out.str();
}

// Connected components of the graph, as lists of node indices.
std::vector<std::vector<uint32_t>> components(const Town& town) {
    std::vector<std::vector<uint32_t>> adjacent(town.nodes.size());
    for (const RoadEdge& e : town.edges) {
        adjacent[e.from].push_back(e.to);
        adjacent[e.to].push_back(e.from);
    }
    std::vector<int> seen(town.nodes.size(), -1);
    std::vector<std::vector<uint32_t>> out;
    for (uint32_t s = 0; s < town.nodes.size(); ++s) {
        if (seen[s] >= 0) continue;
        out.emplace_back();
        std::vector<uint32_t> queue{s};
        seen[s] = int(out.size() - 1);
        for (size_t k = 0; k < queue.size(); ++k) {
            out.back().push_back(queue[k]);
            for (uint32_t m : adjacent[queue[k]])
                if (seen[m] < 0) {
                    seen[m] = seen[s];
                    queue.push_back(m);
                }
        }
    }
    return out;
}

// "" when the road graph is connected, else its components and where they come closest.
std::string disconnection(const Town& town) {
    const auto parts = components(town);
    if (parts.size() == 1) return "";
    std::ostringstream s;
    s << "the road graph has " << parts.size() << " components:\n";
    for (const auto& c : parts) {
        std::set<std::string> names;
        for (const RoadEdge& e : town.edges)
            if (std::find(c.begin(), c.end(), e.from) != c.end()) names.insert(town.roads[e.road].name);
        const dvec3 p = town.nodes[c.front()].position;
        s << "  " << c.size() << " nodes, e.g. (" << p.x << ", " << p.y << "), roads:";
        for (const auto& nm : names)
            s << " '" << nm << "'";
        s << "\n";
    }
    // Where the first component comes closest to the others.
    double best = 1e300;
    dvec3 pa{0.0}, pb{0.0};
    for (uint32_t i : parts[0])
        for (size_t c = 1; c < parts.size(); ++c)
            for (uint32_t j : parts[c]) {
                const double d = glm::length(dvec2(town.nodes[i].position) - dvec2(town.nodes[j].position));
                if (d < best) {
                    best = d;
                    pa = town.nodes[i].position;
                    pb = town.nodes[j].position;
                }
            }
    s << "closest nodes of different components: (" << pa.x << ", " << pa.y << ") and (" << pb.x << ", "
      << pb.y << "), " << best << " m apart\n";
    return s.str();
}

// Regressions, both once in town.cpp:
// - main_roads(): the south main road stopped at the last multiple of 50 m below y = 150,
//   24 m (this town) or 48 m (default town) short of the market square, so the south of
//   the town was a separate graph component;
// - build_road_graph(): node_at() merges points within 1 m, but edge shapes kept the
//   unmerged split points, so a shape could end up to 1 m from its node.
TEST(BakeTown, RoadGraphIsWellFormedAndConnected) {
    const Town& town = small_town();
    ASSERT_FALSE(town.edges.empty());
    EXPECT_EQ(graph_problems(town), "");
    // Every road is in the graph, in edges that add up to its length.
    std::vector<double> by_road(town.roads.size(), 0);
    for (const RoadEdge& e : town.edges)
        by_road[e.road] += e.length;
    for (size_t r = 0; r < town.roads.size(); ++r) {
        double length = 0;
        for (size_t k = 1; k < town.roads[r].points.size(); ++k)
            length += glm::length(town.roads[r].points[k] - town.roads[r].points[k - 1]);
        EXPECT_NEAR(by_road[r], length, 0.1 + 2e-4 * length) << town.roads[r].name;
    }
    EXPECT_EQ(disconnection(town), "");
}

// The town every user bakes first: the recipe's defaults.
// Regressions: the south main road gap (above), and the Gewerbering started 30 m off the
// Erlanger Straße because main_roads() kept a lambda that captured p1/p2 by reference:
// they dangled once main_roads() returned (undefined behaviour).
TEST(BakeTown, DefaultTownRoadGraphIsConnected) {
    const Town town = generate_town(Recipe{});
    EXPECT_EQ(graph_problems(town), "");
    EXPECT_EQ(disconnection(town), "");
}

// Villages (recipe key `villages`): each gets a village street and a road to the
// network, houses of its own around it, and the graph stays in one piece.
TEST(BakeTown, VillagesGrowAroundTheTownAndJoinItsRoads) {
    Recipe r;
    r.extent_m = 4096;
    r.built_up_radius_m = 1900;
    r.town_radius_m = 500;
    r.villages = {3, 420, 100};
    r.building_target = 900;
    r.pond_count = 2;
    r.planned_houses = 0;
    const Town town = generate_town(r);
    EXPECT_EQ(int(town.buildings.size()), r.building_target);
    std::vector<dvec2> centres;  // the village streets' midpoints
    std::set<std::string> names;
    for (const Road& road : town.roads)
        if (road.name.rfind("Dorfstraße (", 0) == 0) {
            EXPECT_TRUE(names.insert(road.name).second) << "two villages named " << road.name;
            centres.push_back(road.points[road.points.size() / 2]);
            EXPECT_EQ(road.cls, RoadClass::main);
        }
    ASSERT_EQ(centres.size(), 3u);
    for (size_t i = 0; i < centres.size(); ++i) {
        SCOPED_TRACE(i);
        // Inside the built-up area, clear of the town and of each other.
        EXPECT_LE(glm::length(centres[i]), r.built_up_radius_m);
        EXPECT_GE(glm::length(centres[i]), r.town_radius_m + r.villages.radius_m);
        for (size_t j = 0; j < i; ++j)
            EXPECT_GE(glm::length(centres[i] - centres[j]), 2 * r.villages.radius_m);
        int houses = 0;
        for (const Building& b : town.buildings)
            houses += glm::length(b.parts[0].centre - centres[i]) < r.villages.radius_m + 80;
        EXPECT_GE(houses, 100) << "a village without houses";
    }
    EXPECT_EQ(graph_problems(town), "");
    EXPECT_EQ(disconnection(town), "");
}

// The flood scenario needs houses a large flood reaches: some buildings stand on the
// floodplain, within a couple of metres above the creek bed, but the town is not in the creek.
TEST(BakeTown, SomeHousesStandOnTheFloodplain) {
    const Town town = generate_town(Recipe{});
    const Terrain& t = town.terrain;
    int low = 0, on_floodplain = 0;
    for (const Building& b : town.buildings) {
        const glm::dvec2 c = b.parts[0].centre;
        const double above_bed = t.height(c.x, c.y) - t.creek_bed(c.x);
        EXPECT_GT(t.creek_distance(c.x, c.y), t.channel_half_width()) << b.id;
        if (t.creek_distance(c.x, c.y) < t.floodplain_half_width()) ++on_floodplain;
        if (above_bed < 3.0) ++low;
    }
    // A creek bank is 1.6 m high and an HQ100 on a small creek rises 1-2 m over it.
    EXPECT_GE(low, 20) << on_floodplain << " buildings on the floodplain";
    EXPECT_LE(low, int(town.buildings.size()) / 4);
}

bool same_part(const BuildingPart& a, const BuildingPart& b) {
    return a.centre == b.centre && a.angle == b.angle && a.length == b.length && a.width == b.width &&
           a.base == b.base && a.eave == b.eave && a.ridge == b.ridge && a.roof == b.roof;
}

TEST(BakeTown, SameSeedSameTownAnotherSeedAnotherTown) {
    const Town& a = small_town();
    const Town b = generate_town(small_recipe());
    ASSERT_EQ(a.buildings.size(), b.buildings.size());
    for (size_t i = 0; i < a.buildings.size(); ++i) {
        const Building &x = a.buildings[i], &y = b.buildings[i];
        ASSERT_EQ(x.id, y.id);
        EXPECT_EQ(x.street, y.street);
        EXPECT_EQ(x.house_number, y.house_number);
        EXPECT_EQ(x.use, y.use);
        EXPECT_EQ(x.year_built, y.year_built);
        EXPECT_EQ(x.residents, y.residents);
        ASSERT_EQ(x.parts.size(), y.parts.size());
        for (size_t k = 0; k < x.parts.size(); ++k)
            EXPECT_TRUE(same_part(x.parts[k], y.parts[k])) << x.id;
    }
    ASSERT_EQ(a.roads.size(), b.roads.size());
    for (size_t i = 0; i < a.roads.size(); ++i) {
        EXPECT_EQ(a.roads[i].name, b.roads[i].name);
        EXPECT_EQ(a.roads[i].points, b.roads[i].points);
    }
    ASSERT_EQ(a.edges.size(), b.edges.size());
    for (size_t i = 0; i < a.edges.size(); ++i)
        EXPECT_EQ(a.edges[i].shape, b.edges[i].shape);

    Recipe other = small_recipe();
    other.seed = 2;
    const Town c = generate_town(other);
    size_t moved = 0;
    for (size_t i = 0; i < std::min(a.buildings.size(), c.buildings.size()); ++i)
        moved += !same_part(a.buildings[i].parts[0], c.buildings[i].parts[0]);
    EXPECT_GT(moved, a.buildings.size() / 2);
    const bool same_roads = a.roads.size() == c.roads.size() &&
                            std::equal(a.roads.begin(), a.roads.end(), c.roads.begin(),
                                       [](const Road& p, const Road& q) { return p.points == q.points; });
    EXPECT_FALSE(same_roads);
}

// ---------------------------------------------------------------------------------------
// 5. build_road_graph on hand-made roads.

Road straight(dvec2 a, dvec2 b, const char* name) {
    Road r;
    r.name = name;
    r.points = {a, b};
    return r;
}

bool has_node(const Town& t, dvec2 p) {
    for (const RoadNode& n : t.nodes)
        if (glm::length(dvec2(n.position) - p) < 1e-6) return true;
    return false;
}

TEST(BakeRoadGraph, CrossingRoadsMeetInOneNode) {
    Town t{Recipe{}};
    t.roads = {straight({-100, 300}, {100, 300}, "A"), straight({0, 200}, {0, 400}, "B")};
    build_road_graph(t);
    EXPECT_EQ(t.nodes.size(), 5u);
    EXPECT_EQ(t.edges.size(), 4u);
    EXPECT_TRUE(has_node(t, {0, 300}));
    EXPECT_EQ(graph_problems(t), "");
    EXPECT_EQ(components(t).size(), 1u);
    for (const RoadEdge& e : t.edges)
        EXPECT_NEAR(e.length, 100, 1e-9);
    for (const RoadNode& n : t.nodes)
        EXPECT_NEAR(n.position.z, t.terrain.height(n.position.x, n.position.y), 1e-9);
}

TEST(BakeRoadGraph, TJunctionSplitsTheThroughRoad) {
    Town t{Recipe{}};
    // A bent through road, the side road ends on its second segment.
    Road a;
    a.name = "A";
    a.points = {{-100, 300}, {0, 300}, {100, 340}};
    t.roads = {a, straight({50, 450}, {50, 320}, "B")};
    build_road_graph(t);
    EXPECT_EQ(t.nodes.size(), 4u);
    EXPECT_EQ(t.edges.size(), 3u);
    EXPECT_TRUE(has_node(t, {50, 320}));
    EXPECT_EQ(graph_problems(t), "");
    EXPECT_EQ(components(t).size(), 1u);
    double total = 0;
    for (const RoadEdge& e : t.edges)
        total += e.length;
    EXPECT_NEAR(total, 100 + std::hypot(100, 40) + 130, 1e-9);
}

TEST(BakeRoadGraph, RoadsThatDoNotMeetStaySeparate) {
    Town t{Recipe{}};
    // End to end with a 3 m gap, and one stopping 3 m short of another.
    t.roads = {straight({-100, 300}, {-3, 300}, "A"), straight({0, 300}, {100, 300}, "B"),
               straight({50, 303}, {50, 400}, "C")};
    build_road_graph(t);
    EXPECT_EQ(t.nodes.size(), 6u);
    EXPECT_EQ(t.edges.size(), 3u);
    EXPECT_EQ(graph_problems(t), "");
    EXPECT_EQ(components(t).size(), 3u);
}

// ---------------------------------------------------------------------------------------
// 6. Tiler.

TriMesh unit_square() {
    TriMesh m;
    m.positions = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}};
    m.normals.assign(4, glm::vec3(0, 0, 1));
    m.colors.assign(4, Rgba8{});
    m.indices = {0, 1, 2, 0, 2, 3};
    return m;
}

TEST(BakeTiler, DistanceToMesh) {
    const TriMesh sq = unit_square();
    EXPECT_NEAR(max_distance_to_mesh({{0.25, 0.75, 0}}, sq), 0, 1e-12);
    EXPECT_NEAR(max_distance_to_mesh({{0.3, 0.6, 2}}, sq), 2, 1e-12);
    EXPECT_NEAR(max_distance_to_mesh({{0.5, 0.5, -1.5}}, sq), 1.5, 1e-12);
    EXPECT_NEAR(max_distance_to_mesh({{3, 0.5, 0}}, sq), 2, 1e-12);             // beside an edge
    EXPECT_NEAR(max_distance_to_mesh({{-3, 0.5, 4}}, sq), 5, 1e-12);            // beside and above
    EXPECT_NEAR(max_distance_to_mesh({{2, 2, 0}}, sq), std::sqrt(2.0), 1e-12);  // off a corner
    EXPECT_NEAR(max_distance_to_mesh({{0.5, -1, 1}}, sq), std::sqrt(2.0), 1e-12);
    // The largest of the points' distances.
    EXPECT_NEAR(max_distance_to_mesh({{0.5, 0.5, 0.1}, {-3, 0.5, 4}, {2, 2, 0}}, sq), 5, 1e-12);
}

struct SyntheticFeature {
    dvec3 lo, hi;
    double block_drop;  // how much lower the coarse block is
};

// Boxes spread over the default extent; lods[1] is the same box `block_drop` lower.
FeatureLayer synthetic_layer(std::vector<SyntheticFeature>& spec) {
    FeatureLayer l;
    l.id = "boxes";
    l.feature_class = {"box", {{"id", PropertyType::string, Access::citizen, "Kennung", "Id"}}};
    for (int i = 0; i < 48; ++i) {
        const double x = -1750 + (i % 8) * 500 + 37 * (i % 3), y = -1500 + (i / 8) * 600 + 23 * (i % 5);
        const double size = 4 + (i * 7) % 37, height = 6 + (i * 5) % 13, ground = 300 - 40 + (i % 9) * 7;
        SyntheticFeature s{{x - size / 2, y - size / 2 * 0.8, ground - 300},
                           {x + size / 2, y + size / 2 * 0.8, ground - 300 + height},
                           0.5 + 0.1 * (i % 17)};
        Feature f;
        f.values = {std::string("F") + std::to_string(i)};
        TriMesh full, block;
        add_box(full, s.lo, s.hi, Rgba8{200, 100, 50, 255});
        add_box(block, s.lo, s.hi - dvec3(0, 0, s.block_drop), Rgba8{200, 100, 50, 255});
        f.lods = {std::move(full), std::move(block)};
        l.features.push_back(std::move(f));
        spec.push_back(s);
    }
    return l;
}

// The features drawn by the leaves under tile `i`.
void leaf_features(const TiledLayer& t, uint32_t i, std::vector<uint32_t>& out) {
    const Tile& tile = t.tiles[i];
    if (tile.children.empty())
        out.insert(out.end(), tile.content.features.begin(), tile.content.features.end());
    for (uint32_t c : tile.children)
        leaf_features(t, c, out);
}

bool box_contains(const Box& b, const dvec3& p, double tol = 1e-6) {
    return p.x >= b.lo.x - tol && p.y >= b.lo.y - tol && p.z >= b.lo.z - tol && p.x <= b.hi.x + tol &&
           p.y <= b.hi.y + tol && p.z <= b.hi.z + tol;
}

void expect_boxes_contain_content(const TiledLayer& layer) {
    for (const Tile& t : layer.tiles) {
        SCOPED_TRACE(t.uri());
        ASSERT_FALSE(t.box.empty());
        size_t outside = 0;
        for (const glm::vec3& p : t.content.positions)
            outside += !box_contains(t.box, t.content.centre + dvec3(p));
        EXPECT_EQ(outside, 0u);
        for (uint32_t c : t.children) {
            ASSERT_LT(c, layer.tiles.size());
            EXPECT_TRUE(box_contains(t.box, layer.tiles[c].box.lo) &&
                        box_contains(t.box, layer.tiles[c].box.hi))
                << layer.tiles[c].uri();
            EXPECT_EQ(layer.tiles[c].level, t.level + 1);
            EXPECT_GE(t.geometric_error - layer.tiles[c].geometric_error, 0.01 - 1e-9)
                << layer.tiles[c].uri();
        }
    }
}

TEST(BakeTiler, FeatureTilesMeasureTheirErrorAndHoldEveryFeatureOnce) {
    std::vector<SyntheticFeature> spec;
    const FeatureLayer layer = synthetic_layer(spec);
    const Recipe recipe;
    const Frame frame = make_frame(recipe);
    TilingOptions o;
    o.max_level = 4;
    o.drop_size = 64;
    o.leaf_triangles = 24;  // two boxes
    o.threads = 2;
    const TiledLayer tiled = tile_features(layer, frame, recipe.extent_m, o);
    ASSERT_FALSE(tiled.tiles.empty());
    EXPECT_EQ(tiled.extent, recipe.extent_m);
    ASSERT_FALSE(tiled.tiles[0].children.empty()) << "the test wants a tree, not a single tile";

    // A feature's full height in the tile frame: what leaving it out costs.
    auto enu_height = [&](const SyntheticFeature& s) {
        double lo = 1e300, hi = -1e300;
        for (int c = 0; c < 8; ++c) {
            const dvec3 p =
                frame.to_enu({c & 1 ? s.hi.x : s.lo.x, c & 2 ? s.hi.y : s.lo.y, c & 4 ? s.hi.z : s.lo.z});
            lo = std::min(lo, p.z);
            hi = std::max(hi, p.z);
        }
        return hi - lo;
    };

    std::vector<uint32_t> all;
    leaf_features(tiled, 0, all);
    std::sort(all.begin(), all.end());
    std::vector<uint32_t> expected(layer.features.size());
    for (uint32_t i = 0; i < expected.size(); ++i)
        expected[i] = i;
    EXPECT_EQ(all, expected) << "every feature exactly once among the leaves";

    int coarse_with_drops = 0, coarse_with_blocks = 0;
    for (uint32_t i = 0; i < tiled.tiles.size(); ++i) {
        const Tile& t = tiled.tiles[i];
        SCOPED_TRACE(t.uri());
        ASSERT_EQ(t.content.feature_ids.size(), t.content.positions.size());
        if (t.children.empty()) {
            EXPECT_EQ(t.geometric_error, 0);
            EXPECT_EQ(t.measured_error, 0);
            // Leaves draw full detail, where it is: positions relative to the tile centre.
            size_t v = 0;
            for (size_t k = 0; k < t.content.features.size(); ++k) {
                const TriMesh& full = layer.features[t.content.features[k]].lods[0];
                for (const dvec3& p : full.positions) {
                    ASSERT_LT(v, t.content.positions.size());
                    EXPECT_LT(glm::length(t.content.centre + dvec3(t.content.positions[v]) - frame.to_enu(p)),
                              1e-3);
                    EXPECT_EQ(t.content.feature_ids[v], float(k));
                    ++v;
                }
            }
            EXPECT_EQ(v, t.content.positions.size());
            continue;
        }
        // A coarse tile: drawn features as blocks, the rest left out.
        std::vector<uint32_t> below;
        leaf_features(tiled, i, below);
        const std::set<uint32_t> drawn(t.content.features.begin(), t.content.features.end());
        double error = 0;
        for (uint32_t f : below) {
            if (drawn.count(f)) {
                error = std::max(error, spec[f].block_drop);
                ++coarse_with_blocks;
            } else {
                // A feature left out costs its largest extent: height or footprint.
                error = std::max(
                    {error, enu_height(spec[f]), spec[f].hi.x - spec[f].lo.x, spec[f].hi.y - spec[f].lo.y});
                ++coarse_with_drops;
                // Only small features are left out.
                EXPECT_LT(spec[f].hi.x - spec[f].lo.x, o.drop_size / double(1 << t.level));
            }
        }
        for (uint32_t f : drawn)
            EXPECT_NE(std::find(below.begin(), below.end(), f), below.end())
                << "a tile draws a feature not below it";
        EXPECT_NEAR(t.measured_error, error, 1e-6);
        EXPECT_GE(t.geometric_error, t.measured_error);
    }
    EXPECT_GT(coarse_with_drops, 0);
    EXPECT_GT(coarse_with_blocks, 0);
    expect_boxes_contain_content(tiled);
    for (const SyntheticFeature& s : spec)
        EXPECT_NEAR(enu_height(s), s.hi.z - s.lo.z, 0.03);  // the frame only tilts a little
}

// Leaves of at most `leaf_features` features: the tree splits until each leaf holds few
// enough (or reaches max_level), and still holds every feature once.
TEST(BakeTiler, LeafFeaturesSplitsUntilLeavesHoldFewFeatures) {
    std::vector<SyntheticFeature> spec;
    const FeatureLayer layer = synthetic_layer(spec);
    const Recipe recipe;
    const Frame frame = make_frame(recipe);
    TilingOptions o;
    o.max_level = 10;
    o.drop_size = 64;
    o.leaf_triangles = 1000000;  // alone it would keep the root a leaf
    o.threads = 2;
    const TiledLayer single = tile_features(layer, frame, recipe.extent_m, o);
    EXPECT_EQ(single.tiles.size(), 1u);

    o.leaf_features = 2;
    const TiledLayer tiled = tile_features(layer, frame, recipe.extent_m, o);
    std::vector<uint32_t> all;
    leaf_features(tiled, 0, all);
    std::sort(all.begin(), all.end());
    ASSERT_EQ(all.size(), layer.features.size());
    for (uint32_t i = 0; i < all.size(); ++i)
        EXPECT_EQ(all[i], i);
    size_t leaves = 0;
    for (const Tile& t : tiled.tiles) {
        if (!t.children.empty()) continue;
        ++leaves;
        EXPECT_LE(t.content.features.size(), 2u) << t.uri();
        EXPECT_LT(t.level, o.max_level) << t.uri();  // the boxes lie apart: no need to go so deep
    }
    EXPECT_GE(leaves, layer.features.size() / 2);
    expect_boxes_contain_content(tiled);
}

// The sample town keeps its tiling; a larger extent gets deeper trees and larger drop
// sizes; the recipe's `tiling` overrides both (docs/twin-bundle.md).
TEST(BakeTiler, TilingDefaultsKeepTheSampleTownAndGrowWithTheExtent) {
    Recipe r;
    struct Expect {
        const char* layer;
        int max_level;
        double drop;
    };
    for (const Expect& e :
         {Expect{"buildings", 4, 8}, Expect{"trees", 4, 16}, Expect{"roads", 3, 0}, Expect{"utilities", 3, 0},
          Expect{"water", 2, 0}, Expect{"planning", 1, 0}, Expect{"lod2_gebaeude", 2, 0}}) {
        SCOPED_TRACE(e.layer);
        const TilingOptions o = tiling_options(e.layer, r);
        EXPECT_EQ(o.max_level, e.max_level);
        EXPECT_EQ(o.drop_size, e.drop);
        EXPECT_EQ(o.leaf_triangles, 4000u);
        EXPECT_EQ(o.leaf_features, 0u);
    }
    r.extent_m = 2048;  // smaller towns keep the sample town's numbers
    EXPECT_EQ(tiling_options("buildings", r).max_level, 4);
    EXPECT_EQ(tiling_options("buildings", r).drop_size, 8);

    r.extent_m = 4 * 4096;
    EXPECT_EQ(tiling_options("buildings", r).max_level, 6);
    EXPECT_EQ(tiling_options("buildings", r).drop_size, 160);
    EXPECT_EQ(tiling_options("roads", r).max_level, 5);
    EXPECT_EQ(tiling_options("roads", r).drop_size, 640);
    EXPECT_EQ(tiling_options("water", r).max_level, 4);

    r.tiling["buildings"].max_level = 9;
    r.tiling["buildings"].leaf_features = 12;
    r.tiling["roads"].drop_size_m = 0;
    r.tiling["roads"].leaf_triangles = 100;
    const TilingOptions b = tiling_options("buildings", r);
    EXPECT_EQ(b.max_level, 9);
    EXPECT_EQ(b.leaf_features, 12u);
    EXPECT_EQ(b.drop_size, 160);  // not set: the default
    const TilingOptions roads = tiling_options("roads", r);
    EXPECT_EQ(roads.max_level, 5);
    EXPECT_EQ(roads.drop_size, 0);
    EXPECT_EQ(roads.leaf_triangles, 100u);
}

TEST(BakeTiler, TerrainTilesAreCloseToTheDem) {
    Recipe r;
    r.extent_m = 1024;
    r.built_up_radius_m = 200;
    r.fine_cell_m = 2;
    r.outer_cell_m = 8;
    r.pond_count = 0;
    const Terrain terrain(r);
    const Frame frame = make_frame(r);
    // As bundle.cpp derives the levels from the recipe's cell sizes.
    TerrainOptions o;
    o.grid = 128;
    o.fine_level = std::clamp(int(std::lround(std::log2(r.extent_m / (o.grid * r.fine_cell_m)))), 1, 8);
    o.outer_level =
        std::clamp(int(std::lround(std::log2(r.extent_m / (o.grid * r.outer_cell_m)))), 0, o.fine_level);
    o.threads = 2;
    const TiledLayer tiled = tile_terrain(terrain, frame, o);
    ASSERT_GT(tiled.tiles.size(), 1u);
    EXPECT_EQ(tiled.extent, r.extent_m);
    double leaf_area = 0, worst_leaf = 0;
    for (const Tile& t : tiled.tiles) {
        SCOPED_TRACE(t.uri());
        EXPECT_FALSE(t.content.positions.empty());
        EXPECT_TRUE(t.content.feature_ids.empty());
        if (!t.children.empty()) continue;
        const double side = r.extent_m / double(1 << t.level);
        leaf_area += side * side;
        // Roads are draped 0.12 m (tracks) to 0.2 m above the DEM: a leaf further off than
        // 0.1 m can bury them. Regression: meshoptimizer's target error is its own metric,
        // not a vertical bound; leaves once measured up to 0.12 m.
        EXPECT_LT(t.measured_error, 0.1);
        worst_leaf = std::max(worst_leaf, t.measured_error);
        // Leaves near the centre are at the fine level.
        const double cx = -r.extent_m / 2 + (t.x + 0.5) * side, cy = -r.extent_m / 2 + (t.y + 0.5) * side;
        if (std::hypot(cx, cy) < r.built_up_radius_m) {
            EXPECT_EQ(t.level, o.fine_level);
        }
    }
    EXPECT_NEAR(leaf_area, r.extent_m * r.extent_m, 1e-6) << "the leaves cover the extent without holes";
    EXPECT_GT(tiled.tiles[0].measured_error, worst_leaf);
    expect_boxes_contain_content(tiled);
    // The root's box spans the land's heights at its corners and centre.
    for (dvec2 p : {dvec2(0, 0), dvec2(-500, -500), dvec2(500, 500), dvec2(-500, 500), dvec2(500, -500)}) {
        const dvec3 enu = frame.to_enu({p.x, p.y, terrain.height(p.x, p.y)});
        EXPECT_TRUE(box_contains(tiled.tiles[0].box, enu, 0.5)) << p.x << ", " << p.y;
    }
}

// ---------------------------------------------------------------------------------------
// 7. glb writer.

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

// ---------------------------------------------------------------------------------------
// 8. StagedOutput.

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

TEST(BakeOutput, RefusesAForeignFolderAndLeavesItAlone) {
    zw::test::TempDir dir;
    const fs::path out = dir.path() / "photos";
    fs::create_directories(out);
    write_text(out / "holiday.jpg", "precious");
    const std::string msg = error_of([&] { StagedOutput s(out); });
    EXPECT_NE(msg.find("photos"), std::string::npos) << msg;
    EXPECT_EQ(read_text(out / "holiday.jpg"), "precious");
    EXPECT_EQ(entries(out), std::vector<std::string>{"holiday.jpg"});
    EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"photos"});

    // A file where the folder should be is refused too.
    write_text(dir.path() / "file", "x");
    EXPECT_NE(error_of([&] { StagedOutput s(dir.path() / "file"); }), "");
    EXPECT_EQ(read_text(dir.path() / "file"), "x");
}

TEST(BakeOutput, UncommittedBakeLeavesThePreviousOutput) {
    zw::test::TempDir dir;
    const fs::path out = dir.path() / "out";
    {
        StagedOutput s(out);  // a new folder
        write_file(s.dir() / "citizen" / "twin.json", std::string("old"));
        s.commit();
    }
    EXPECT_EQ(read_text(out / "citizen" / "twin.json"), "old");
    EXPECT_TRUE(fs::exists(out / bake_marker));
    EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"out"});

    try {
        StagedOutput s(out);
        write_file(s.dir() / "citizen" / "twin.json", std::string("half"));
        throw std::runtime_error("the bake failed");
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(read_text(out / "citizen" / "twin.json"), "old");
    EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"out"}) << "no staging folder left behind";

    {
        StagedOutput s(out);  // a previous bake's output may be replaced
        write_file(s.dir() / "council" / "twin.json", std::string("new"));
        s.commit();
    }
    EXPECT_EQ(read_text(out / "council" / "twin.json"), "new");
    EXPECT_FALSE(fs::exists(out / "citizen")) << "commit replaces the whole folder";
    EXPECT_TRUE(fs::exists(out / bake_marker));
    EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"out"});
}

TEST(BakeOutput, AcceptsAnEmptyFolder) {
    zw::test::TempDir dir;
    const fs::path out = dir.path() / "empty";
    fs::create_directories(out);
    {
        StagedOutput s(out);
        write_file(s.dir() / "a.txt", std::string("a"));
        s.commit();
    }
    EXPECT_EQ(read_text(out / "a.txt"), "a");
}

// --twins (BakeOptions::twins): only the twins named are written, layers none of them
// may hold are not tiled, and an unknown twin is refused before anything is written.
TEST(BakeOutput, WritesOnlyTheTwinsAskedFor) {
    zw::test::TempDir dir;
    Recipe r;  // a hamlet: bakes in a second
    r.extent_m = 1024;
    r.built_up_radius_m = 250;
    r.fine_cell_m = 8;
    r.outer_cell_m = 16;
    r.building_target = 40;
    r.pond_count = 1;
    r.planned_houses = 2;
    BakeOptions o;
    o.out = dir.path() / "out";
    o.twins = {"citizen"};
    const nlohmann::json report = bake(r, {}, o);
    EXPECT_TRUE(fs::exists(o.out / "citizen" / "twin.json"));
    EXPECT_TRUE(fs::exists(o.out / "citizen" / "buildings" / "tileset.json"));
    EXPECT_FALSE(fs::exists(o.out / "council"));
    EXPECT_FALSE(fs::exists(o.out / "administration"));
    ASSERT_TRUE(report["twins"].is_object());
    EXPECT_EQ(report["twins"].size(), 1u);
    EXPECT_TRUE(report["twins"].contains("citizen"));
    EXPECT_TRUE(report["layers"].contains("buildings"));
    EXPECT_FALSE(report["layers"].contains("planning"));   // council and up
    EXPECT_FALSE(report["layers"].contains("utilities"));  // administration only
    EXPECT_EQ(read_text(o.out / "citizen" / "twin.json").find("utilities"), std::string::npos);

    o.out = dir.path() / "never";
    o.twins = {"citizen", "kommune"};
    const std::string msg = error_of([&] { bake(r, {}, o); });
    EXPECT_NE(msg.find("kommune"), std::string::npos) << msg;
    EXPECT_FALSE(fs::exists(o.out));
}

// ---------------------------------------------------------------------------------------
// 9. Frame.

TEST(BakeFrame, OriginAndUpAreWhereTheyShouldBe) {
    const Recipe r;
    const Frame f = make_frame(r);
    EXPECT_LT(glm::length(f.to_enu({0, 0, 0})), 1e-3);
    EXPECT_LT(glm::length(f.to_enu({0, 0, 100}) - dvec3(0, 0, 100)), 1e-3);
    // The origin is the recipe's point, rounded to the centimetre in UTM.
    EXPECT_NEAR(f.origin_geodetic().lat_deg, r.origin_lat_deg, 1e-6);
    EXPECT_NEAR(f.origin_geodetic().lon_deg, r.origin_lon_deg, 1e-6);
    EXPECT_NEAR(f.origin_geodetic().height_m, r.origin_height_m + r.geoid_undulation_m, 1e-9);
    EXPECT_LT(glm::length(dvec3(f.enu_to_ecef()[3]) - zw::geo::geodetic_to_ecef(f.origin_geodetic())), 1e-6);
}

TEST(BakeFrame, AKilometreOfGridIsAKilometreOverTheUtmScaleFactor) {
    const Recipe r;
    const Frame f = make_frame(r);
    const double d = glm::length(f.to_enu({1000, 0, 0}) - f.to_enu({0, 0, 0}));
    // The same from the geodesy module, through ECEF.
    const double h = r.origin_height_m + r.geoid_undulation_m;
    const auto g0 = zw::geo::utm_to_geodetic({f.origin_easting(), f.origin_northing()}, 32, h);
    const auto g1 = zw::geo::utm_to_geodetic({f.origin_easting() + 1000, f.origin_northing()}, 32, h);
    EXPECT_NEAR(d, glm::length(zw::geo::geodetic_to_ecef(g1) - zw::geo::geodetic_to_ecef(g0)), 1e-6);
    // Transverse Mercator: k = k0 (1 + (1 + eta^2) (dlon cos(lat))^2 / 2) at the segment's middle,
    // and the ellipsoidal height h lengthens distances by (1 + h / N).
    const auto gm = zw::geo::utm_to_geodetic({f.origin_easting() + 500, f.origin_northing()}, 32, h);
    const double lat = gm.lat_deg * pi / 180, dlon = (gm.lon_deg - 9.0) * pi / 180;
    const double a = 6378137.0, e2 = 0.00669438002290, ep2 = e2 / (1 - e2);
    const double eta2 = ep2 * std::cos(lat) * std::cos(lat);
    const double l = dlon * std::cos(lat);
    const double k = 0.9996 * (1 + (1 + eta2) * l * l / 2);
    EXPECT_GT(k, 0.9996);
    EXPECT_LT(k, 0.9999);
    const double n = a / std::sqrt(1 - e2 * std::sin(lat) * std::sin(lat));
    EXPECT_NEAR(d, 1000 / k * (1 + h / n), 5e-3);
}

TEST(BakeFrame, RotationIsOrthonormalWithTheGridConvergence) {
    const Recipe r;
    const Frame f = make_frame(r);
    const glm::dmat3 m = f.rotation_at({0, 0, 0});
    const glm::dmat3 mtm = glm::transpose(m) * m;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            EXPECT_NEAR(mtm[i][j], i == j ? 1.0 : 0.0, 1e-9);
    EXPECT_NEAR(glm::determinant(m), 1, 1e-9);
    // East of the central meridian (9 deg) grid north lies east of true north by about
    // dlon * sin(lat): grid east (local x) points a little south of true east.
    const double lat = f.origin_geodetic().lat_deg, lon = f.origin_geodetic().lon_deg;
    const double expected = (lon - 9.0) * std::sin(lat * pi / 180);
    const double gamma_east = std::atan2(-m[0].y, m[0].x) * 180 / pi;
    const double gamma_north = std::atan2(m[1].x, m[1].y) * 180 / pi;
    EXPECT_NEAR(gamma_east, expected, 0.05);
    EXPECT_NEAR(gamma_north, expected, 0.05);
    EXPECT_NEAR(m[2].z, 1, 1e-9);  // up stays up at the origin
    // Directions agree with the frame's points: 10 m along local x.
    const dvec3 moved = f.to_enu({10, 0, 0}) - f.to_enu({0, 0, 0});
    EXPECT_LT(glm::length(glm::normalize(moved) - m * dvec3(1, 0, 0)), 1e-5);
}

}  // namespace
