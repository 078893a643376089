// The bake's recipe (app/bake/recipe.h): defaults, refused keys and values with the
// file and key named, imports, the keys for large towns and the memory estimate.
// Expectations come from geometry, geodesy or the documented contract (docs/twin-bundle.md,
// the headers), not from numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/bake/recipe.h"
#include "app/bake/tiler.h"
#include "bake_test_util.h"
#include "engine/core/error.h"
#include "temp_dir.h"

namespace {

using namespace zw::bake;
using glm::dvec3;
using zw::test::error_of;
using zw::test::write_text;
namespace fs = std::filesystem;

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
        {R"({"traffic": {"network": 1}})", "'traffic.network' has the wrong type"},
        {R"({"traffic": true})", "traffic. must be a JSON object"},
        // typos: the nearest known key
        {R"({"buildng_target": 10})", "unknown key 'buildng_target' (did you mean 'building_target'?)"},
        {R"({"origin": {"lat_dg": 49}})", "unknown key 'origin.lat_dg' (did you mean 'lat_deg'?)"},
        {R"({"terrain": {"Fine_Cell_M": 2}})",
         "unknown key 'terrain.Fine_Cell_M' (did you mean 'fine_cell_m'?)"},
        {R"({"creek": {"widht_m": 3}})", "unknown key 'creek.widht_m' (known keys: name, drop_m,"},
        {R"({"traffic": {"netwrok": true}})", "unknown key 'traffic.netwrok' (did you mean 'network'?)"},
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

}  // namespace
