// Static 3D Tiles loading (engine/tiles/static_tileset.h): the finest level of a
// tileset, transforms, refinement, refused URIs, warnings, and twin bundles.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "engine/core/error.h"
#include "engine/geo/geo.h"
#include "engine/render/model.h"
#include "engine/render/test_scene.h"
#include "engine/tiles/static_tileset.h"
#include "tests/unit/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using zw::render::Model;
using zw::test::TempDir;
using zw::tiles::TilesetReport;

// The public 3D Tiles samples in ../shared/data (absent on some machines: tests skip).
fs::path samples_dir() {
    if (const char* env = std::getenv("ZW_3D_TILES_SAMPLES")) return env;
    return (fs::path(__FILE__).parent_path() / "../../../shared/data/3d-tiles-samples").lexically_normal();
}

#define NEED_SAMPLE(rel)                           \
    const fs::path sample = samples_dir() / (rel); \
    if (!fs::exists(sample)) GTEST_SKIP() << "public sample not here: " << sample.string()

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    ASSERT_TRUE(out.good()) << path;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

bool any_warning_has(const TilesetReport& r, const std::string& a, const std::string& b = "") {
    for (const auto& w : r.warnings)
        if (contains(w, a) && contains(w, b)) return true;
    return false;
}

std::string all_warnings(const TilesetReport& r) {
    std::string s;
    for (const auto& w : r.warnings)
        s += w + "\n";
    return s;
}

// One triangle (0,0,0), (1,0,0), (0,1,0) in glTF's y-up: (0,0,0), (1,0,0), (0,0,1) z-up.
const char* triangle_gltf =
    R"({"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
 "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
 "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
   "min": [0, 0, 0], "max": [1, 1, 0]}],
 "bufferViews": [{"buffer": 0, "byteLength": 36}],
 "buffers": [{"byteLength": 36,
  "uri": "data:application/octet-stream;base64,AAAAAAAAAAAAAAAAAACAPwAAAAAAAAAAAAAAAAAAgD8AAAAA"}]})";

// A column-major 3D Tiles transform that translates by t.
std::string translation(double x, double y, double z) {
    return "[1,0,0,0, 0,1,0,0, 0,0,1,0, " + std::to_string(x) + "," + std::to_string(y) + "," +
           std::to_string(z) + ",1]";
}

std::string tile(const std::string& extra) {
    return R"({"boundingVolume": {"box": [0,0,0, 1,0,0, 0,1,0, 0,0,1]}, "geometricError": 0)" +
           (extra.empty() ? "" : ", " + extra) + "}";
}

std::string tileset(const std::string& root, const std::string& version = "1.1") {
    return R"({"asset": {"version": ")" + version + R"("}, "geometricError": 10, "root": )" + root + "}";
}

void expect_near(const glm::dvec3& a, const glm::dvec3& b, double eps = 1e-9) {
    EXPECT_NEAR(a.x, b.x, eps);
    EXPECT_NEAR(a.y, b.y, eps);
    EXPECT_NEAR(a.z, b.z, eps);
}

const std::vector<uint8_t>& scene_glb() {
    static const std::vector<uint8_t> glb = zw::render::make_test_scene_glb();
    return glb;
}

TEST(AppendModel, RebasesEveryIndexAndMergesBounds) {
    const Model a = zw::render::load_model_from_glb(scene_glb(), "a");
    glm::dmat4 far(1.0);
    far[3] = {5000, 0, 0, 1};
    Model b = zw::render::load_model_from_glb(scene_glb(), "b", {far});
    ASSERT_FALSE(a.textures.empty());
    ASSERT_FALSE(a.images.empty());
    const Model b_copy = b;

    Model all = a;
    zw::tiles::append_model(all, std::move(b));
    EXPECT_EQ(all.name, "a");
    EXPECT_EQ(all.vertices.size(), 2 * a.vertices.size());
    EXPECT_EQ(all.indices.size(), 2 * a.indices.size());
    EXPECT_EQ(all.meshes.size(), 2 * a.meshes.size());
    EXPECT_EQ(all.instances.size(), 2 * a.instances.size());
    EXPECT_EQ(all.materials.size(), 2 * a.materials.size());
    EXPECT_EQ(all.textures.size(), 2 * a.textures.size());
    EXPECT_EQ(all.images.size(), 2 * a.images.size());
    EXPECT_EQ(all.triangle_count(), 2 * a.triangle_count());
    for (size_t i = 0; i < b_copy.meshes.size(); ++i) {
        const auto& m = all.meshes[a.meshes.size() + i];
        for (size_t p = 0; p < m.primitives.size(); ++p) {
            const auto& want = b_copy.meshes[i].primitives[p];
            EXPECT_EQ(m.primitives[p].first_vertex, want.first_vertex + a.vertices.size());
            EXPECT_EQ(m.primitives[p].first_index, want.first_index + a.indices.size());
            EXPECT_EQ(m.primitives[p].material, want.material + a.materials.size());
        }
    }
    for (size_t i = 0; i < b_copy.instances.size(); ++i)
        EXPECT_EQ(all.instances[a.instances.size() + i].mesh, b_copy.instances[i].mesh + a.meshes.size());
    for (size_t i = 0; i < b_copy.materials.size(); ++i) {
        const int t = b_copy.materials[i].base_color_texture;
        EXPECT_EQ(all.materials[a.materials.size() + i].base_color_texture,
                  t < 0 ? t : t + int(a.textures.size()));
    }
    for (size_t i = 0; i < b_copy.textures.size(); ++i)
        EXPECT_EQ(all.textures[a.textures.size() + i].image, b_copy.textures[i].image + a.images.size());
    expect_near(all.bounds.min, a.bounds.min);
    expect_near(all.bounds.max, b_copy.bounds.max);
}

TEST(AppendModel, IntoAnEmptyModelKeepsThePart) {
    Model all;
    const Model a = zw::render::load_model_from_glb(scene_glb(), "a");
    zw::tiles::append_model(all, Model(a));
    EXPECT_EQ(all.name, "a");
    EXPECT_EQ(all.triangle_count(), a.triangle_count());
    expect_near(all.bounds.min, a.bounds.min);
    expect_near(all.bounds.max, a.bounds.max);
}

TEST(StaticTileset, TransformsChainParentTimesChild) {
    TempDir dir;
    write_text(dir.path() / "tri.gltf", triangle_gltf);
    // Root: scale 2 then move to (1000, 2000, 3000); child: move (10, 0, 0) in the root's frame.
    const std::string root_transform = "[2,0,0,0, 0,2,0,0, 0,0,2,0, 1000,2000,3000,1]";
    write_text(
        dir.path() / "tileset.json",
        tileset(tile(
            R"("refine": "REPLACE", "transform": )" + root_transform + R"(, "children": [)" +
            tile(R"("transform": )" + translation(10, 0, 0) + R"(, "content": {"uri": "tri.gltf"})") + "]")));
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(dir.path() / "tileset.json", &report);
    EXPECT_EQ(report.tiles, 2u);
    EXPECT_EQ(report.contents_loaded, 1u);
    EXPECT_TRUE(report.warnings.empty()) << all_warnings(report);
    ASSERT_EQ(m.instances.size(), 1u);
    // z-up triangle (0,0,0)-(1,0,1), moved by 10 in the child, then scaled and moved by the root.
    expect_near(m.bounds.min, {1020, 2000, 3000});
    expect_near(m.bounds.max, {1022, 2000, 3002});
}

TEST(StaticTileset, ReplaceTakesTheLeavesAddTakesEverything) {
    TempDir dir;
    write_text(dir.path() / "coarse.gltf", triangle_gltf);
    write_text(dir.path() / "fine" / "a.gltf", triangle_gltf);
    write_text(dir.path() / "fine" / "b.gltf", triangle_gltf);
    auto tree = [](const std::string& refine) {
        return tileset(
            tile(R"("refine": ")" + refine + R"(", "content": {"uri": "coarse.gltf"}, "children": [)" +
                 tile(R"("content": {"uri": "fine/a.gltf"})") + ", " +
                 tile(R"("transform": )" + translation(5, 0, 0) + R"(, "content": {"uri": "fine/b.gltf"})") +
                 "]"));
    };
    write_text(dir.path() / "replace.json", tree("REPLACE"));
    write_text(dir.path() / "add.json", tree("ADD"));

    TilesetReport replace;
    const Model r = zw::tiles::load_tileset(dir.path() / "replace.json", &replace);
    EXPECT_EQ(replace.contents_loaded, 2u);
    EXPECT_EQ(r.instances.size(), 2u);
    expect_near(r.bounds.min, {0, 0, 0});
    expect_near(r.bounds.max, {6, 0, 1});

    TilesetReport add;
    const Model a = zw::tiles::load_tileset(dir.path() / "add.json", &add);
    EXPECT_EQ(add.contents_loaded, 3u);
    EXPECT_EQ(a.instances.size(), 3u);
    EXPECT_TRUE(add.warnings.empty()) << all_warnings(add);
}

TEST(StaticTileset, RefineIsInheritedAndContentsListsAreRead) {
    TempDir dir;
    write_text(dir.path() / "a.gltf", triangle_gltf);
    write_text(dir.path() / "b.gltf", triangle_gltf);
    // ADD at the root, inherited by the middle tile: all three levels are drawn.
    write_text(dir.path() / "tileset.json",
               tileset(tile(R"("refine": "ADD", "content": {"uri": "a.gltf"}, "children": [)" +
                            tile(R"("contents": [{"uri": "a.gltf"}, {"uri": "b.gltf"}], "children": [)" +
                                 tile(R"("content": {"uri": "b.gltf"})") + "]") +
                            "]")));
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(dir.path() / "tileset.json", &report);
    EXPECT_EQ(report.contents_loaded, 4u);
    EXPECT_EQ(m.instances.size(), 4u);
}

TEST(StaticTileset, MissingLeafFallsBackToItsParentWithAWarning) {
    TempDir dir;
    write_text(dir.path() / "coarse.gltf", triangle_gltf);
    write_text(dir.path() / "tileset.json",
               tileset(tile(R"("refine": "REPLACE", "content": {"uri": "coarse.gltf"}, "children": [)" +
                            tile(R"("content": {"uri": "fine_missing.glb"})") + "]")));
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(dir.path() / "tileset.json", &report);
    EXPECT_EQ(report.contents_failed, 1u);
    EXPECT_EQ(report.contents_loaded, 1u);
    EXPECT_EQ(m.instances.size(), 1u);
    ASSERT_EQ(report.warnings.size(), 1u) << all_warnings(report);
    EXPECT_TRUE(any_warning_has(report, "fine_missing.glb", "does not exist")) << all_warnings(report);
}

TEST(StaticTileset, BrokenTileIsAWarningAndTheRestLoads) {
    TempDir dir;
    write_text(dir.path() / "ok.gltf", triangle_gltf);
    write_text(dir.path() / "broken.glb", "glTF but not really");
    write_text(dir.path() / "tileset.json", tileset(tile(R"("refine": "ADD", "children": [)" +
                                                         tile(R"("content": {"uri": "broken.glb"})") + ", " +
                                                         tile(R"("content": {"uri": "ok.gltf"})") + "]")));
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(dir.path() / "tileset.json", &report);
    EXPECT_EQ(m.instances.size(), 1u);
    EXPECT_EQ(report.contents_failed, 1u);
    EXPECT_TRUE(any_warning_has(report, "'broken.glb' not loaded")) << all_warnings(report);
}

TEST(StaticTileset, UrisLeavingTheFolderAreRefused) {
    TempDir dir;
    write_text(dir.path() / "outside.gltf", triangle_gltf);
    write_text(dir.path() / "set" / "inside.gltf", triangle_gltf);
    const std::string abs = (dir.path() / "outside.gltf").string();
    write_text(
        dir.path() / "set" / "tileset.json",
        tileset(tile(R"("refine": "ADD", "children": [)" + tile(R"("content": {"uri": "../outside.gltf"})") +
                     ", " + tile(R"("content": {"uri": "sub/../../outside.gltf"})") + ", " +
                     tile(R"("content": {"uri": ")" + abs + R"("})") + ", " +
                     tile(R"("content": {"uri": "https://example.org/x.glb"})") + ", " +
                     tile(R"("content": {"uri": "sub/../inside.gltf"})") + "]")));
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(dir.path() / "set" / "tileset.json", &report);
    EXPECT_EQ(m.instances.size(), 1u);  // only the harmless sub/../inside.gltf
    EXPECT_EQ(report.contents_failed, 4u);
    EXPECT_TRUE(any_warning_has(report, "'../outside.gltf'", "outside")) << all_warnings(report);
    EXPECT_TRUE(any_warning_has(report, "'sub/../../outside.gltf'", "outside")) << all_warnings(report);
    EXPECT_TRUE(any_warning_has(report, abs, "absolute")) << all_warnings(report);
    EXPECT_TRUE(any_warning_has(report, "https://example.org/x.glb", "not a relative file"))
        << all_warnings(report);
}

TEST(ResolveInside, AcceptsRelativeAndDecodesPercent) {
    const fs::path base = "/data/twin";
    EXPECT_EQ(zw::tiles::resolve_inside(base, "terrain/tileset.json"),
              fs::path("/data/twin/terrain/tileset.json"));
    EXPECT_EQ(zw::tiles::resolve_inside(base, "./a%20b.glb"), fs::path("/data/twin/a b.glb"));
    EXPECT_EQ(zw::tiles::resolve_inside(base, "x.glb?v=2"), fs::path("/data/twin/x.glb"));
    for (const char* bad :
         {"../x.glb", "a/../../x.glb", "/etc/passwd", "C:/x.glb", "file:///x.glb", "", ".", "%2e%2e/x.glb"})
        EXPECT_THROW(zw::tiles::resolve_inside(base, bad), zw::Error) << bad;
}

TEST(StaticTileset, UnsupportedContentGivesOneWarning) {
    TempDir dir;
    write_text(dir.path() / "ok.gltf", triangle_gltf);
    for (const char* f : {"a.b3dm", "b.b3dm", "c.pnts", "d.json"})
        write_text(dir.path() / f, "{}");
    write_text(dir.path() / "tileset.json",
               tileset(tile(R"("refine": "ADD", "children": [)" + tile(R"("content": {"uri": "a.b3dm"})") +
                            ", " + tile(R"("content": {"uri": "b.b3dm"})") + ", " +
                            tile(R"("content": {"uri": "c.pnts"})") + ", " +
                            tile(R"("content": {"uri": "d.json"})") + ", " +
                            tile(R"("content": {"uri": "ok.gltf"})") + "]")));
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(dir.path() / "tileset.json", &report);
    EXPECT_EQ(m.instances.size(), 1u);
    EXPECT_EQ(report.contents_skipped, 4u);
    ASSERT_EQ(report.warnings.size(), 1u) << all_warnings(report);
    EXPECT_TRUE(any_warning_has(report, "2 b3dm", "1 external tilesets")) << all_warnings(report);
    EXPECT_TRUE(any_warning_has(report, "1 pnts")) << all_warnings(report);
}

TEST(StaticTileset, MissingOrBrokenTilesetJsonIsAnErrorNamingTheFile) {
    TempDir dir;
    auto message = [](const fs::path& p) {
        try {
            zw::tiles::load_tileset(p);
        } catch (const zw::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const auto missing = dir.path() / "nope" / "tileset.json";
    EXPECT_TRUE(contains(message(missing), missing.string())) << message(missing);
    EXPECT_TRUE(contains(message(missing), "does not exist")) << message(missing);

    const auto garbage = dir.path() / "garbage.json";
    write_text(garbage, "{\"asset\": {\"version\": \"1.1\"}, \"root\": ");
    EXPECT_TRUE(contains(message(garbage), garbage.string())) << message(garbage);
    EXPECT_TRUE(contains(message(garbage), "not valid JSON")) << message(garbage);

    const auto no_root = dir.path() / "no_root.json";
    write_text(no_root, R"({"asset": {"version": "1.1"}})");
    EXPECT_TRUE(contains(message(no_root), "not a 3D Tiles tileset")) << message(no_root);

    const auto bad_transform = dir.path() / "bad_transform.json";
    write_text(bad_transform, tileset(tile(R"("transform": [1, 2, 3])")));
    EXPECT_TRUE(contains(message(bad_transform), "16 numbers")) << message(bad_transform);

    EXPECT_TRUE(contains(message(dir.path()), "folder")) << message(dir.path());
}

// Public samples: what a real-world tileset gives.

TEST(StaticTilesetSamples, DiscreteLodWithItsMissingFinestTile) {
    NEED_SAMPLE("1.0/TilesetWithDiscreteLOD/tileset.json");
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(sample, &report);
    EXPECT_EQ(report.tiles, 3u);
    // The finest tile is missing on purpose: one warning naming it; the coarser levels
    // it falls back to are b3dm, which this loader skips (one more warning).
    EXPECT_EQ(report.contents_failed, 1u);
    EXPECT_TRUE(any_warning_has(report, "dragon_high.b3dm", "does not exist")) << all_warnings(report);
    EXPECT_EQ(report.contents_skipped, 2u);
    EXPECT_TRUE(any_warning_has(report, "2 b3dm")) << all_warnings(report);
    EXPECT_EQ(report.warnings.size(), 2u) << all_warnings(report);
    EXPECT_TRUE(m.instances.empty());
    EXPECT_FALSE(m.materials.empty());
}

TEST(StaticTilesetSamples, MultipleContentsLoadsTheTrianglesAndWarnsAboutThePoints) {
    NEED_SAMPLE("1.1/MultipleContents/tileset.json");
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(sample, &report);
    EXPECT_EQ(report.contents_loaded, 1u);
    EXPECT_EQ(report.contents_failed, 1u);  // planePoints.glb: points only, nothing to draw yet
    EXPECT_TRUE(any_warning_has(report, "planePoints.glb")) << all_warnings(report);
    EXPECT_GT(m.triangle_count(), 0u);
    // The plane lies in the box [0,1] x [-1,0] at z ~ 0 of the tileset frame.
    EXPECT_GT(m.bounds.min.x, -0.01);
    EXPECT_LT(m.bounds.max.x, 1.01);
    EXPECT_GT(m.bounds.min.y, -1.01);
    EXPECT_LT(m.bounds.max.y, 0.01);
}

TEST(StaticTilesetSamples, ImplicitTilingIsSkippedWithAWarning) {
    NEED_SAMPLE("1.1/SparseImplicitQuadtree/tileset.json");
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(sample, &report);
    EXPECT_TRUE(m.instances.empty());
    EXPECT_TRUE(any_warning_has(report, "implicit")) << all_warnings(report);
}

TEST(StaticTilesetSamples, GltfWithFeatureIds) {
    NEED_SAMPLE("glTF/EXT_mesh_features/FeatureIdAttribute/tileset.json");
    TilesetReport report;
    const Model m = zw::tiles::load_tileset(sample, &report);
    EXPECT_EQ(report.contents_loaded, 1u);
    EXPECT_GT(m.triangle_count(), 0u);
    EXPECT_TRUE(report.warnings.empty()) << all_warnings(report);
}

// Twin bundles.

const zw::geo::Geodetic origin{49.617, 10.833, 300.0 + 47.5};  // height a.s.l. + undulation

std::string enu_transform() {
    const glm::dmat4 m = zw::geo::enu_to_ecef(origin);
    std::string s = "[";
    char buf[64];
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) {
            std::snprintf(buf, sizeof buf, "%.17g", m[c][r]);
            s += std::string(buf) + (c == 3 && r == 3 ? "]" : ",");
        }
    return s;
}

// A citizen twin with a visible terrain layer (a triangle 100 m east of the origin)
// and a hidden roads layer.
void write_twin(const fs::path& dir, const std::string& layers_override = "") {
    write_text(dir / "terrain" / "L0_0_0.gltf", triangle_gltf);
    write_text(dir / "terrain" / "tileset.json",
               tileset(tile(R"("refine": "REPLACE", "transform": )" + enu_transform() + R"(, "children": [)" +
                            tile(R"("transform": )" + translation(100, 0, 0) +
                                 R"(, "content": {"uri": "L0_0_0.gltf"})") +
                            "]")));
    write_text(dir / "roads" / "L0_0_0.gltf", triangle_gltf);
    write_text(dir / "roads" / "tileset.json", tileset(tile(R"("transform": )" + enu_transform() +
                                                            R"(, "content": {"uri": "L0_0_0.gltf"})")));
    const std::string layers = layers_override.empty() ? R"([
      {"id": "terrain", "title_de": "Gelände", "title_en": "Terrain", "group": "base",
       "tileset": "terrain/tileset.json", "default_visible": true},
      {"id": "roads", "title_de": "Straßen", "title_en": "Roads", "group": "base",
       "tileset": "roads/tileset.json", "default_visible": false}])"
                                                       : layers_override;
    write_text(dir / "twin.json", R"J({"format": "zwilling-twin", "format_version": 1,
      "twin": {"id": "citizen", "audience": "public", "title_de": "Bürgerzwilling", "title_en": "Citizens' twin"},
      "town": {"name": "Weisendorf (synthetisch)", "synthetic": true, "description_de": "x", "description_en": "y",
               "seed": 7, "recipe": "assets/weisendorf.json", "future_key": [1, 2]},
      "crs": {"horizontal": "EPSG:25832", "vertical": "heights above sea level (DHHN2016)", "geoid_undulation_m": 47.5},
      "origin": {"easting": 630000, "northing": 5497000, "height": 300, "lat_deg": 49.617, "lon_deg": 10.833},
      "layers": )J" + layers + "}");
}

TEST(LoadTwin, ReadsTheManifestAndLoadsVisibleLayersInEcef) {
    TempDir dir;
    write_twin(dir.path() / "citizen");
    for (const fs::path& p : {dir.path() / "citizen", dir.path() / "citizen" / "twin.json"}) {
        zw::tiles::TwinInfo info;
        const Model m = zw::tiles::load_twin(p, &info);
        EXPECT_EQ(info.id, "citizen");
        EXPECT_EQ(info.title_de, "Bürgerzwilling");
        EXPECT_EQ(info.title_en, "Citizens' twin");
        EXPECT_EQ(info.town, "Weisendorf (synthetisch)");
        EXPECT_TRUE(info.synthetic);
        EXPECT_DOUBLE_EQ(info.origin.lat_deg, 49.617);
        EXPECT_DOUBLE_EQ(info.origin.lon_deg, 10.833);
        EXPECT_DOUBLE_EQ(info.origin.height_m, 347.5);
        ASSERT_EQ(info.layers.size(), 2u);
        EXPECT_EQ(info.layers[0].title_de, "Gelände");
        EXPECT_TRUE(info.layers[0].loaded);
        EXPECT_FALSE(info.layers[1].default_visible);
        EXPECT_FALSE(info.layers[1].loaded);
        EXPECT_EQ(m.instances.size(), 1u);  // roads are hidden by default
        // The triangle sits 100 m east of the origin, in ECEF.
        const glm::dmat4 to_local = glm::inverse(zw::geo::enu_to_ecef(origin));
        const auto& inst = m.instances[0];
        const auto box = zw::render::transform_aabb(m.meshes[inst.mesh].bounds, to_local * inst.world);
        expect_near(box.min, {100, 0, 0}, 1e-6);
        expect_near(box.max, {101, 0, 1}, 1e-6);
        EXPECT_GT(glm::length(m.bounds.center()), 6.3e6);
    }
}

TEST(LoadTwin, BrokenLayerIsAWarningUnlessNothingIsLeft) {
    TempDir dir;
    write_twin(dir.path(), R"([
      {"id": "terrain", "title_de": "Gelände", "title_en": "Terrain", "tileset": "terrain/tileset.json",
       "default_visible": true},
      {"id": "evil", "title_de": "x", "title_en": "x", "tileset": "../elsewhere/tileset.json", "default_visible": true},
      {"id": "gone", "title_de": "x", "title_en": "x", "tileset": "gone/tileset.json", "default_visible": true}])");
    zw::tiles::TwinInfo info;
    const Model m = zw::tiles::load_twin(dir.path(), &info);
    EXPECT_EQ(m.instances.size(), 1u);
    EXPECT_TRUE(any_warning_has(info.report, "'evil'", "outside")) << all_warnings(info.report);
    EXPECT_TRUE(any_warning_has(info.report, "'gone'", "does not exist")) << all_warnings(info.report);
    EXPECT_FALSE(info.layers[1].loaded);

    TempDir empty;
    write_twin(empty.path(), R"([{"id": "gone", "tileset": "gone/tileset.json", "default_visible": true}])");
    try {
        zw::tiles::load_twin(empty.path());
        FAIL() << "a twin with nothing to draw loaded";
    } catch (const zw::Error& e) {
        EXPECT_TRUE(contains(e.what(), "nothing to draw") || contains(e.what(), "none of its")) << e.what();
    }
}

TEST(LoadTwin, WrongFolderSaysWhatToOpen) {
    TempDir dir;
    write_twin(dir.path() / "citizen");
    write_twin(dir.path() / "council");
    auto message = [](const fs::path& p) {
        try {
            zw::tiles::load_twin(p);
        } catch (const zw::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    // The bundle folder instead of one twin: name the twins in it.
    const std::string bundle = message(dir.path());
    EXPECT_TRUE(contains(bundle, "citizen") && contains(bundle, "council")) << bundle;
    const std::string nothing = message(dir.path() / "citizen" / "terrain");
    EXPECT_TRUE(contains(nothing, "has no twin.json")) << nothing;
    const std::string missing = message(dir.path() / "nope");
    EXPECT_TRUE(contains(missing, "does not exist")) << missing;

    write_text(dir.path() / "other" / "twin.json", R"({"format": "something-else"})");
    EXPECT_TRUE(contains(message(dir.path() / "other"), "zwilling-twin")) << message(dir.path() / "other");
    write_text(dir.path() / "noorigin" / "twin.json", R"({"format": "zwilling-twin", "layers": []})");
    EXPECT_TRUE(contains(message(dir.path() / "noorigin"), "origin.lat_deg"))
        << message(dir.path() / "noorigin");
}

}  // namespace
