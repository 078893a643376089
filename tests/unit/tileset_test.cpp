// Parsing tileset.json (every construct and the errors a broken file must give), the
// tileset sniffing test, and implicit tiling: subtree files built here byte by byte,
// their expansion into tiles, and the public samples in ../shared/data when present.
#include "engine/tiles/tileset.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <glm/glm.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "engine/core/error.h"

namespace {

namespace fs = std::filesystem;
using namespace zw::tiles;

std::vector<uint8_t> bytes_of(const std::string& s) {
    return {s.begin(), s.end()};
}

ParsedTileset parse(const std::string& json, const std::string& uri = "/data/town/tileset.json") {
    return parse_tileset(bytes_of(json), uri);
}

// The message of the zw::Error that `f` throws ("" when it throws none).
std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "";
}

std::string parse_error(const std::string& json, const std::string& uri = "/data/town/tileset.json") {
    return error_of([&] { parse(json, uri); });
}

// A tileset around a root tile given as JSON.
std::string with_root(const std::string& root) {
    return R"({"asset": {"version": "1.1"}, "geometricError": 100, "root": )" + root + "}";
}

const std::string unit_box = R"({"box": [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]})";

void expect_vec_near(const glm::dvec3& a, const glm::dvec3& b, double tolerance) {
    EXPECT_NEAR(a.x, b.x, tolerance);
    EXPECT_NEAR(a.y, b.y, tolerance);
    EXPECT_NEAR(a.z, b.z, tolerance);
}

size_t count_tiles(const Tile& t, const std::function<bool(const Tile&)>& pred) {
    size_t n = pred(t) ? 1 : 0;
    for (const auto& c : t.children)
        n += count_tiles(*c, pred);
    return n;
}

// --- tileset.json -------------------------------------------------------------------

TEST(Tileset, MinimalBoxTileset) {
    const ParsedTileset t = parse(R"({"asset": {"version": "1.0"}, "geometricError": 70,
        "root": {"boundingVolume": {"box": [1, 2, 3, 4, 0, 0, 0, 5, 0, 0, 0, 6]}, "geometricError": 7,
                 "content": {"uri": "tiles/root.glb"}}})");
    EXPECT_EQ(t.version, "1.0");
    EXPECT_EQ(t.geometric_error, 70);
    EXPECT_TRUE(t.warnings.empty());
    ASSERT_TRUE(t.root);
    const Tile& root = *t.root;
    expect_vec_near(root.bounds.box.center, {1, 2, 3}, 0);
    expect_vec_near(root.bounds.box.half_axes[2], {0, 0, 6}, 0);
    EXPECT_EQ(root.geometric_error, 7);
    EXPECT_EQ(root.refine, Refine::replace);  // parse_tileset's default parent_refine
    EXPECT_EQ(root.depth, 0u);
    EXPECT_EQ(root.parent, nullptr);
    ASSERT_EQ(root.contents.size(), 1u);
    EXPECT_EQ(root.contents[0].uri, "/data/town/tiles/root.glb");
    EXPECT_FALSE(root.contents[0].bounds);
    EXPECT_EQ(root.contents[0].group, -1);
    ASSERT_TRUE(root.tileset_uri);
    EXPECT_EQ(*root.tileset_uri, "/data/town/tileset.json");
    EXPECT_FALSE(root.implicit);
    EXPECT_FALSE(root.viewer_request_volume);
}

TEST(Tileset, RegionAndSphereVolumes) {
    const ParsedTileset t = parse(with_root(R"({
        "boundingVolume": {"region": [0.189, 0.866, 0.190, 0.867, 200, 400]}, "geometricError": 10,
        "children": [
          {"boundingVolume": {"sphere": [10, 20, 30, 5]}, "geometricError": 1},
          {"boundingVolume": {"sphere": [0, 0, 0, 1], "box": [7, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]},
           "geometricError": 1}]})"));
    const Tile& root = *t.root;
    const Bounds expected = bounds_from_region({0.189, 0.866, 0.190, 0.867, 200, 400});
    expect_vec_near(root.bounds.box.center, expected.box.center, 1e-6);
    EXPECT_GT(glm::length(root.bounds.box.center), 6.3e6);  // ECEF
    ASSERT_EQ(root.children.size(), 2u);
    EXPECT_EQ(root.children[0]->bounds.sphere.radius, 5);
    expect_vec_near(root.children[0]->bounds.sphere.center, {10, 20, 30}, 0);
    // Both given: the box wins, with a warning.
    expect_vec_near(root.children[1]->bounds.box.center, {7, 0, 0}, 0);
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_NE(t.warnings[0].find("root.children[1].boundingVolume"), std::string::npos) << t.warnings[0];
}

TEST(Tileset, TransformsChainAndScaleGeometricError) {
    // root: translate (100, 0, 0) then scale 2; child: scale 3 more.
    const ParsedTileset t = parse(with_root(R"({
        "transform": [2, 0, 0, 0,  0, 2, 0, 0,  0, 0, 2, 0,  100, 0, 0, 1],
        "boundingVolume": {"box": [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]}, "geometricError": 10,
        "children": [{
          "transform": [3, 0, 0, 0,  0, 3, 0, 0,  0, 0, 3, 0,  0, 0, 0, 1],
          "boundingVolume": {"box": [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]}, "geometricError": 2,
          "viewerRequestVolume": {"sphere": [0, 0, 0, 10]},
          "content": {"uri": "c.glb", "boundingVolume": {"box": [0, 1, 0, 0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5]}},
          "children": [{"boundingVolume": {"box": [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]}, "geometricError": 1}]
        }]})"));
    const Tile& root = *t.root;
    expect_vec_near(root.bounds.box.center, {102, 0, 0}, 1e-12);
    expect_vec_near(root.bounds.box.half_axes[0], {2, 0, 0}, 1e-12);
    EXPECT_DOUBLE_EQ(root.geometric_error, 20);
    const Tile& child = *root.children[0];
    EXPECT_EQ(child.parent, &root);
    EXPECT_EQ(child.depth, 1u);
    expect_vec_near(glm::dvec3(child.transform[3]), {100, 0, 0}, 0);
    EXPECT_DOUBLE_EQ(child.transform[0][0], 6);
    expect_vec_near(child.bounds.box.center, {106, 0, 0}, 1e-12);
    expect_vec_near(child.bounds.box.half_axes[1], {0, 6, 0}, 1e-12);
    EXPECT_DOUBLE_EQ(child.geometric_error, 12);
    ASSERT_TRUE(child.viewer_request_volume);
    EXPECT_DOUBLE_EQ(child.viewer_request_volume->sphere.radius, 60);
    ASSERT_EQ(child.contents.size(), 1u);
    ASSERT_TRUE(child.contents[0].bounds);
    expect_vec_near(child.contents[0].bounds->box.center, {100, 6, 0}, 1e-12);
    expect_vec_near(child.contents[0].bounds->box.half_axes[0], {3, 0, 0}, 1e-12);
    // A tile without a transform keeps its parent's.
    const Tile& grandchild = *child.children[0];
    EXPECT_EQ(grandchild.transform, child.transform);
    EXPECT_DOUBLE_EQ(grandchild.geometric_error, 6);
    EXPECT_EQ(grandchild.depth, 2u);
    EXPECT_EQ(grandchild.tileset_uri, root.tileset_uri);  // one shared string
}

TEST(Tileset, RefineIsInherited) {
    const std::string leaf = R"({"boundingVolume": )" + unit_box + R"(, "geometricError": 0})";
    const ParsedTileset t = parse(with_root(R"({"boundingVolume": )" + unit_box +
                                            R"(, "geometricError": 4, "refine": "ADD", "children": [
        {"boundingVolume": )" + unit_box + R"(, "geometricError": 2, "children": [)" +
                                            leaf + R"(]},
        {"boundingVolume": )" + unit_box + R"(, "geometricError": 2, "refine": "replace", "children": [)" +
                                            leaf + R"(]},
        {"boundingVolume": )" + unit_box + R"(, "geometricError": 2, "refine": "SOMETIMES"}]})"));
    const Tile& root = *t.root;
    EXPECT_EQ(root.refine, Refine::add);
    EXPECT_EQ(root.children[0]->refine, Refine::add);
    EXPECT_EQ(root.children[0]->children[0]->refine, Refine::add);
    EXPECT_EQ(root.children[1]->refine, Refine::replace);
    EXPECT_EQ(root.children[1]->children[0]->refine, Refine::replace);
    EXPECT_EQ(root.children[2]->refine, Refine::add);  // unknown: inherited, with a warning
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_NE(t.warnings[0].find("root.children[2].refine"), std::string::npos);

    // An external tileset's root inherits the including tile's refinement.
    const ParsedTileset ext =
        parse_tileset(bytes_of(with_root(leaf)), "/d/ext.json", glm::dmat4(1.0), Refine::add, 5);
    EXPECT_EQ(ext.root->refine, Refine::add);
    EXPECT_EQ(ext.root->depth, 5u);
}

TEST(Tileset, ContentsGroupsAndLegacyUrl) {
    const ParsedTileset t =
        parse(with_root(R"({"boundingVolume": )" + unit_box + R"(, "geometricError": 4,
        "contents": [{"uri": "buildings.glb", "group": 1},
                     {"uri": "trees.glb", "boundingVolume": {"sphere": [0, 0, 0, 2]}},
                     {"uri": "https://cdn.example.org/x.glb"}],
        "children": [{"boundingVolume": )" +
                        unit_box + R"(, "geometricError": 0, "content": {"url": "old/style.b3dm"}}]})"),
              "https://example.org/town/tileset.json?key=abc");
    const Tile& root = *t.root;
    ASSERT_EQ(root.contents.size(), 3u);
    EXPECT_EQ(root.contents[0].uri, "https://example.org/town/buildings.glb");
    EXPECT_EQ(root.contents[0].group, 1);
    EXPECT_EQ(root.contents[1].group, -1);
    ASSERT_TRUE(root.contents[1].bounds);
    EXPECT_EQ(root.contents[1].bounds->sphere.radius, 2);
    EXPECT_EQ(root.contents[2].uri, "https://cdn.example.org/x.glb");
    EXPECT_EQ(root.contents[0].state, ContentState::unloaded);
    ASSERT_EQ(root.children[0]->contents.size(), 1u);
    EXPECT_EQ(root.children[0]->contents[0].uri, "https://example.org/town/old/style.b3dm");
}

TEST(Tileset, TheOneZeroMultipleContentsExtension) {
    const ParsedTileset t = parse(with_root(R"({"boundingVolume": )" + unit_box + R"(, "geometricError": 4,
        "extensions": {"3DTILES_multiple_contents": {"contents": [{"uri": "a.glb"}, {"uri": "b.glb"}]}}})"));
    ASSERT_EQ(t.root->contents.size(), 2u);
    EXPECT_EQ(t.root->contents[1].uri, "/data/town/b.glb");
}

TEST(Tileset, UnknownVersionWarnsAndGoesOn) {
    const ParsedTileset t = parse(R"({"asset": {"version": "2.0"}, "geometricError": 1,
        "root": {"boundingVolume": )" +
                                  unit_box + R"(, "geometricError": 0}})");
    EXPECT_EQ(t.version, "2.0");
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_NE(t.warnings[0].find("2.0"), std::string::npos);
}

TEST(Tileset, ErrorsSayWhatAndWhere) {
    const std::string uri = "file:///x/tileset.json";
    std::string e = parse_error("this is not json", uri);
    EXPECT_NE(e.find("'file:///x/tileset.json' is not JSON"), std::string::npos) << e;
    EXPECT_NE(e.find("syntax error"), std::string::npos) << e;
    EXPECT_EQ(e.find("json.exception"), std::string::npos) << e;

    e = parse_error(R"({"asset": {"version": "1.0"}, "geometricError": 1})");
    EXPECT_NE(e.find("no \"root\""), std::string::npos) << e;
    e = parse_error(R"({"asset": {"version": "2.0"}, "meshes": [], "nodes": []})");
    EXPECT_NE(e.find("glTF"), std::string::npos) << e;
    e = parse_error(R"({"asset": {}, "geometricError": 1, "root": {}})");
    EXPECT_NE(e.find("asset.version"), std::string::npos) << e;
    e = parse_error(R"({"asset": {"version": "1.0"}, "root": {}})");
    EXPECT_NE(e.find("geometricError"), std::string::npos) << e;

    auto child_error = [&](const std::string& child) {
        return parse_error(
            with_root(R"({"boundingVolume": )" + unit_box + R"(, "geometricError": 1, "children": [
            {"boundingVolume": )" +
                      unit_box + R"(, "geometricError": 1},
            {"boundingVolume": )" +
                      unit_box + R"(, "geometricError": 1},)" + child + "]}"),
            uri);
    };
    e = child_error(
        R"({"boundingVolume": {"box": [0, 0, 0, 1, 0, 0, 0, "NaN", 0, 0, 0, 1]}, "geometricError": 1})");
    EXPECT_NE(e.find("tileset 'file:///x/tileset.json' is broken: root.children[2].boundingVolume.box"),
              std::string::npos)
        << e;
    EXPECT_NE(e.find("[7]"), std::string::npos) << e;
    e = child_error(
        R"({"boundingVolume": {"box": [0, 0, 0, 1, 0, 0, 0, null, 0, 0, 0, 1]}, "geometricError": 1})");
    EXPECT_NE(e.find("root.children[2].boundingVolume.box has null at [7]"), std::string::npos) << e;
    e = child_error(R"({"boundingVolume": {"box": [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]}, "geometricError": 1})");
    EXPECT_NE(e.find("has 11 numbers, needs 12"), std::string::npos) << e;
    // nlohmann refuses numbers that overflow a double: the file is reported, not an infinity kept.
    e = child_error(
        R"({"boundingVolume": {"box": [0, 0, 0, 1e999, 0, 0, 0, 1, 0, 0, 0, 1]}, "geometricError": 1})");
    EXPECT_NE(e.find("1e999"), std::string::npos) << e;
    e = child_error(R"({"boundingVolume": {"region": [10, 49, 11, 50, 0, 1]}, "geometricError": 1})");
    EXPECT_NE(e.find("radians, not degrees"), std::string::npos) << e;
    e = child_error(R"({"boundingVolume": {}, "geometricError": 1})");
    EXPECT_NE(e.find("root.children[2].boundingVolume has no box, region or sphere"), std::string::npos) << e;
    e = child_error(R"({"geometricError": 1})");
    EXPECT_NE(e.find("root.children[2] has no boundingVolume"), std::string::npos) << e;
    e = child_error(R"({"boundingVolume": )" + unit_box + R"(, "geometricError": -1})");
    EXPECT_NE(e.find("root.children[2].geometricError is negative"), std::string::npos) << e;
    e = child_error(R"({"boundingVolume": )" + unit_box +
                    R"(, "geometricError": 1, "transform": [1, 0, 0]})");
    EXPECT_NE(e.find("root.children[2].transform has 3 numbers, needs 16"), std::string::npos) << e;
}

// A content without a URI is an empty tile: the tileset is read, with one warning for
// all such contents (Tileset.UnusableTransforms... below: the same for transforms).
TEST(Tileset, ContentsWithoutUriAreEmptyTilesWithOneWarning) {
    auto child = [](const std::string& rest) {
        return R"({"boundingVolume": )" + unit_box + R"(, "geometricError": 1)" + rest + "}";
    };
    const auto t =
        parse(with_root(R"({"boundingVolume": )" + unit_box + R"(, "geometricError": 2, "children": [)" +
                        child(R"(, "content": {})") + "," + child(R"(, "content": {"uri": ""})") + "," +
                        child(R"(, "contents": [{"uri": 3}, {"uri": "a.glb"}])") + "," +
                        child(R"(, "content": {"uri": "b.glb"})") + "]}"));
    ASSERT_EQ(t.warnings.size(), 1u);
    const std::string& w = t.warnings[0];
    EXPECT_NE(w.find("root.children[0].content has no uri"), std::string::npos) << w;
    EXPECT_NE(w.find("2 more"), std::string::npos) << w;
    EXPECT_NE(w.find("drawn empty"), std::string::npos) << w;
    ASSERT_EQ(t.root->children.size(), 4u);
    EXPECT_TRUE(t.root->children[0]->contents.empty());
    EXPECT_TRUE(t.root->children[1]->contents.empty());
    ASSERT_EQ(t.root->children[2]->contents.size(), 1u);
    EXPECT_EQ(t.root->children[2]->contents[0].uri, "/data/town/a.glb");
    ASSERT_EQ(t.root->children[3]->contents.size(), 1u);
}

// Transforms that place nothing (all zero, singular, not finite; JavaScript writes NaN
// as null) keep their tile, without content or children, and give one warning; tiny
// and rotated transforms are fine.
TEST(Tileset, UnusableTransformsWarnAndShowNothing) {
    auto child = [](const std::string& transform) {
        return R"({"boundingVolume": )" + unit_box + R"(, "geometricError": 1, "transform": )" + transform +
               R"(, "content": {"uri": "c.glb"}, "children": [{"boundingVolume": )" + unit_box +
               R"(, "geometricError": 0, "content": {"uri": "d.glb"}}]})";
    };
    const std::string zero = "[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]";
    const std::string flat = "[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 5, 5, 1]";
    const std::string dependent = "[1, 1, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]";
    const std::string nan = "[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, null, 0, 0, 0, 0, 1]";
    const std::string huge = "[1e300, 0, 0, 0, 0, 1e300, 0, 0, 0, 0, 1e300, 0, 0, 0, 0, 1]";
    const std::string tiny = "[1e-6, 0, 0, 0, 0, 1e-6, 0, 0, 0, 0, 1e-6, 0, 0, 0, 0, 1]";
    const std::string rotated = "[0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 10, 0, 0, 1]";
    // The root scales by 1e10: `huge` overflows only in the product.
    const std::string root_scale = "[1e10, 0, 0, 0, 0, 1e10, 0, 0, 0, 0, 1e10, 0, 0, 0, 0, 1]";
    const auto t = parse(with_root(
        R"({"boundingVolume": )" + unit_box + R"(, "geometricError": 2, "transform": )" + root_scale +
        R"(, "children": [)" + child(zero) + "," + child(flat) + "," + child(dependent) + "," + child(nan) +
        "," + child(huge) + "," + child(tiny) + "," + child(rotated) + "]}"));
    ASSERT_EQ(t.warnings.size(), 1u);
    const std::string& w = t.warnings[0];
    EXPECT_NE(w.find("root.children[0].transform (all zero) cannot place anything"), std::string::npos) << w;
    EXPECT_NE(w.find("4 more"), std::string::npos) << w;
    ASSERT_EQ(t.root->children.size(), 7u);
    for (size_t i = 0; i < 5; ++i) {
        const Tile& bad = *t.root->children[i];
        EXPECT_TRUE(bad.contents.empty()) << i;
        EXPECT_TRUE(bad.children.empty()) << i;
        EXPECT_EQ(bad.transform, t.root->transform) << i;  // its bounds are finite
        EXPECT_TRUE(std::isfinite(bad.geometric_error)) << i;
    }
    for (size_t i = 5; i < 7; ++i) {
        const Tile& good = *t.root->children[i];
        EXPECT_EQ(good.contents.size(), 1u) << i;
        EXPECT_EQ(good.children.size(), 1u) << i;
    }
}

TEST(Tileset, ExternalTilesetCycleIsRefused) {
    const std::string json = with_root(R"({"boundingVolume": )" + unit_box + R"(, "geometricError": 0})");
    const std::string e = error_of([&] {
        parse_tileset(bytes_of(json), "/d/a.json", glm::dmat4(1.0), Refine::replace, 2,
                      {"/d/a.json", "/d/b.json"});
    });
    EXPECT_NE(
        e.find("external tileset cycle: '/d/a.json' includes '/d/b.json', which includes '/d/a.json' again"),
        std::string::npos)
        << e;
    // Not a cycle: a tileset included twice side by side.
    EXPECT_NO_THROW(
        parse_tileset(bytes_of(json), "/d/c.json", glm::dmat4(1.0), Refine::replace, 2, {"/d/a.json"}));
}

TEST(Tileset, DeepNestingIsBoundedNotACrash) {
    auto nested = [](int levels) {
        std::string s;
        for (int i = 0; i < levels; ++i) {
            s += R"({"boundingVolume": {"sphere": [0, 0, 0, 1]}, "geometricError": 1, "children": [)";
        }
        s += R"({"boundingVolume": {"sphere": [0, 0, 0, 1]}, "geometricError": 0})";
        for (int i = 0; i < levels; ++i)
            s += "]}";
        return with_root(s);
    };
    const ParsedTileset ok = parse(nested(64));
    EXPECT_EQ(count_tiles(*ok.root, [](const Tile&) { return true; }), 65u);
    const std::string e = parse_error(nested(300));
    EXPECT_NE(e.find("more than 256 levels"), std::string::npos) << e;
    // Deep JSON that is no tile tree at all.
    const std::string deep_json = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_NE(parse_error(deep_json).find("more than 1000 levels deep"), std::string::npos);
    // Found by the fuzzer: deep JSON inside a value overflowed the stack when it was printed.
    const std::string deep_refine =
        with_root(R"({"boundingVolume": {"sphere": [0, 0, 0, 1]}, "geometricError": 0,
        "refine": )" +
                  std::string(50000, '[') + std::string(50000, ']') + "}");
    EXPECT_NE(parse_error(deep_refine).find("more than 1000 levels deep"), std::string::npos);
}

TEST(Tileset, LooksLikeTilesetJson) {
    EXPECT_TRUE(looks_like_tileset_json(bytes_of(with_root("{}"))));
    EXPECT_TRUE(looks_like_tileset_json(bytes_of("\xEF\xBB\xBF\n  {\"root\": {}, \"asset\": {}}")));
    // A tileset cut off after its keys still looks like one (the decoder will say more).
    EXPECT_TRUE(looks_like_tileset_json(bytes_of(R"({"asset": {"version": "1.0"}, "root": {"boundingVol)")));
    // glTF has an asset but no root; a nested "root" does not count.
    EXPECT_FALSE(
        looks_like_tileset_json(bytes_of(R"({"asset": {"version": "2.0"}, "scene": 0, "nodes": [{}]})")));
    EXPECT_FALSE(
        looks_like_tileset_json(bytes_of(R"({"asset": {"version": "2.0"}, "extras": {"root": 1}})")));
    EXPECT_FALSE(looks_like_tileset_json(bytes_of(R"([{"asset": 1, "root": 2}])")));
    EXPECT_FALSE(looks_like_tileset_json(bytes_of("glTF\x02\0\0\0")));
    EXPECT_FALSE(looks_like_tileset_json({}));
}

// --- implicit tiling ----------------------------------------------------------------

TEST(Implicit, MortonAndIndexing) {
    EXPECT_EQ(morton2(0, 0), 0u);
    EXPECT_EQ(morton2(1, 0), 1u);
    EXPECT_EQ(morton2(0, 1), 2u);
    EXPECT_EQ(morton2(3, 2), 13u);
    EXPECT_EQ(morton2(0xFFFFFFFFu, 0), 0x5555555555555555ull);
    EXPECT_EQ(morton3(1, 0, 1), 5u);
    EXPECT_EQ(morton3(2, 3, 1), 0b011110u);
    EXPECT_EQ(morton3(0x1FFFFF, 0, 0), 0x1249249249249249ull);
    EXPECT_EQ(Subtree::tile_count(1, false), 1u);
    EXPECT_EQ(Subtree::tile_count(3, false), 21u);
    EXPECT_EQ(Subtree::tile_count(2, true), 9u);
    EXPECT_EQ(Subtree::tile_index(0, 0, false), 0u);
    EXPECT_EQ(Subtree::tile_index(2, 5, false), 10u);
    EXPECT_EQ(Subtree::tile_index(1, 7, true), 8u);
    EXPECT_EQ(expand_template("s/{level}/{x}_{y}_{z}.glb{w}", {3, 4, 5, 6}), "s/3/4_5_6.glb{w}");
}

// A binary .subtree: header, JSON padded to 8 bytes, binary chunk padded to 8 bytes.
std::vector<uint8_t> binary_subtree(std::string json, std::vector<uint8_t> bin) {
    while (json.size() % 8)
        json += ' ';
    while (bin.size() % 8)
        bin.push_back(0);
    std::vector<uint8_t> out = {'s', 'u', 'b', 't', 1, 0, 0, 0};
    auto put64 = [&](uint64_t v) {
        for (int i = 0; i < 8; ++i)
            out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    };
    put64(json.size());
    put64(bin.size());
    out.insert(out.end(), json.begin(), json.end());
    out.insert(out.end(), bin.begin(), bin.end());
    return out;
}

std::vector<uint8_t> no_fetch(const std::string& uri) {
    zw::fail("unexpected fetch of ", uri);
}

// Quadtree, 2 levels per subtree, 4 levels in all, a box root moved by (100, 0, 0).
const std::string quadtree_tileset = R"({"asset": {"version": "1.1"}, "geometricError": 128, "root": {
    "transform": [1, 0, 0, 0,  0, 1, 0, 0,  0, 0, 1, 0,  100, 0, 0, 1],
    "boundingVolume": {"box": [0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0, 2]}, "geometricError": 64, "refine": "ADD",
    "content": {"uri": "content/{level}/{x}_{y}.glb"},
    "implicitTiling": {"subdivisionScheme": "QUADTREE", "subtreeLevels": 2, "availableLevels": 4,
                       "subtrees": {"uri": "subtrees/{level}.{x}.{y}.json"}}}})";

TEST(Implicit, TheRootDeclaresTheTiling) {
    const ParsedTileset t = parse(quadtree_tileset, "https://example.org/t/tileset.json");
    const Tile& root = *t.root;
    ASSERT_TRUE(root.implicit);
    const ImplicitTiling& it = *root.implicit;
    EXPECT_FALSE(it.octree);
    EXPECT_EQ(it.subtree_levels, 2u);
    EXPECT_EQ(it.available_levels, 4u);
    EXPECT_EQ(it.subtrees_uri, "https://example.org/t/subtrees/{level}.{x}.{y}.json");
    ASSERT_EQ(it.content_uris.size(), 1u);
    EXPECT_EQ(it.content_uris[0], "https://example.org/t/content/{level}/{x}_{y}.glb");
    EXPECT_FALSE(it.root_is_region);
    expect_vec_near(it.root_box.center, {0, 0, 0}, 0);  // untransformed
    expect_vec_near(it.root_box.half_axes[0], {8, 0, 0}, 0);
    expect_vec_near(glm::dvec3(it.transform[3]), {100, 0, 0}, 0);
    EXPECT_EQ(it.root_geometric_error, 64);
    EXPECT_EQ(it.refine, Refine::add);
    EXPECT_TRUE(root.subtree_pending);
    EXPECT_EQ(root.subtree_uri, "https://example.org/t/subtrees/0.0.0.json");
    EXPECT_TRUE(root.contents.empty());  // they come with the subtree's availability
    expect_vec_near(root.bounds.box.center, {100, 0, 0}, 0);
}

TEST(Implicit, BinarySubtreeExpandsIntoTiles) {
    ParsedTileset t = parse(quadtree_tileset, "https://example.org/t/tileset.json");
    Tile& root = *t.root;
    // Tiles: the root and level-1 tiles 0 and 3 (bits 0, 1, 4). Child subtrees (16 bits,
    // Morton order at level 2): 2 (below tile 0) and 13 (below tile 3).
    const std::vector<uint8_t> bin = {0x13, 0, 0, 0, 0, 0, 0, 0, 0x04, 0x20};
    const std::string json = R"({"buffers": [{"byteLength": 10}],
        "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 1}, {"buffer": 0, "byteOffset": 8, "byteLength": 2}],
        "tileAvailability": {"bitstream": 0, "availableCount": 3},
        "contentAvailability": [{"constant": 1}],
        "childSubtreeAvailability": {"bufferView": 1}})";
    const Subtree s = parse_subtree(binary_subtree(json, bin), root.subtree_uri, *root.implicit, no_fetch);
    EXPECT_EQ(s.levels, 2u);
    EXPECT_EQ(s.tile_available, (std::vector<uint8_t>{1, 1, 0, 0, 1}));
    ASSERT_EQ(s.content_available.size(), 1u);
    EXPECT_EQ(s.content_available[0], std::vector<uint8_t>(5, 1));
    ASSERT_EQ(s.child_subtree_available.size(), 16u);
    EXPECT_EQ(s.child_subtree_available[2], 1);
    EXPECT_EQ(s.child_subtree_available[13], 1);
    EXPECT_EQ(std::count(s.child_subtree_available.begin(), s.child_subtree_available.end(), 1), 2);

    expand_subtree(root, s);
    EXPECT_FALSE(root.subtree_pending);
    ASSERT_EQ(root.contents.size(), 1u);
    EXPECT_EQ(root.contents[0].uri, "https://example.org/t/content/0/0_0.glb");
    ASSERT_EQ(root.children.size(), 2u);

    const Tile& a = *root.children[0];
    const Tile& b = *root.children[1];
    EXPECT_EQ(a.coord.level, 1u);
    EXPECT_EQ(a.coord.x, 0u);
    EXPECT_EQ(a.coord.y, 0u);
    EXPECT_EQ(b.coord.x, 1u);
    EXPECT_EQ(b.coord.y, 1u);
    EXPECT_EQ(b.parent, &root);
    EXPECT_EQ(b.depth, 1u);
    EXPECT_EQ(b.implicit, root.implicit);
    EXPECT_EQ(b.tileset_uri, root.tileset_uri);
    EXPECT_EQ(b.refine, Refine::add);
    EXPECT_DOUBLE_EQ(b.geometric_error, 32);
    expect_vec_near(b.bounds.box.center, {104, 4, 0}, 1e-12);
    expect_vec_near(b.bounds.box.half_axes[0], {4, 0, 0}, 1e-12);
    expect_vec_near(b.bounds.box.half_axes[2], {0, 0, 2}, 1e-12);  // quadtree: full height
    ASSERT_EQ(b.contents.size(), 1u);
    EXPECT_EQ(b.contents[0].uri, "https://example.org/t/content/1/1_1.glb");
    EXPECT_FALSE(b.subtree_pending);

    // The roots of the child subtrees: pending, no contents yet.
    ASSERT_EQ(a.children.size(), 1u);
    ASSERT_EQ(b.children.size(), 1u);
    const Tile& c = *b.children[0];
    EXPECT_EQ(c.coord.level, 2u);
    EXPECT_EQ(c.coord.x, 3u);
    EXPECT_EQ(c.coord.y, 2u);
    EXPECT_EQ(morton2(c.coord.x, c.coord.y), 13u);
    EXPECT_TRUE(c.subtree_pending);
    EXPECT_EQ(c.subtree_uri, "https://example.org/t/subtrees/2.3.2.json");
    EXPECT_TRUE(c.contents.empty());
    EXPECT_TRUE(c.children.empty());
    EXPECT_DOUBLE_EQ(c.geometric_error, 16);
    expect_vec_near(c.bounds.box.center, {106, 2, 0}, 1e-12);
    expect_vec_near(c.bounds.box.half_axes[1], {0, 2, 0}, 1e-12);
    EXPECT_EQ(a.children[0]->coord.x, 0u);
    EXPECT_EQ(a.children[0]->coord.y, 1u);

    // The child subtree is a JSON subtree with an external buffer; its last local level
    // is the last available level, so child subtrees beyond it are not created.
    std::vector<std::string> fetched;
    auto fetch = [&](const std::string& uri) {
        fetched.push_back(uri);
        return std::vector<uint8_t>{0x09, 0xFF};  // the root (bit 0) and its child 2 (bit 1 + 2: x 0, y 1)
    };
    const std::string child_json = R"({"buffers": [{"uri": "../buf/2.3.2.bin", "byteLength": 2}],
        "bufferViews": [{"buffer": 0, "byteLength": 1}],
        "tileAvailability": {"bitstream": 0}, "contentAvailability": [{"bitstream": 0}],
        "childSubtreeAvailability": {"constant": 1}})";
    Tile& pending = *root.children[1]->children[0];
    const Subtree cs = parse_subtree(bytes_of(child_json), pending.subtree_uri, *pending.implicit, fetch);
    ASSERT_EQ(fetched.size(), 1u);
    EXPECT_EQ(fetched[0], "https://example.org/t/buf/2.3.2.bin");
    expand_subtree(pending, cs);
    EXPECT_FALSE(pending.subtree_pending);
    ASSERT_EQ(pending.contents.size(), 1u);
    EXPECT_EQ(pending.contents[0].uri, "https://example.org/t/content/2/3_2.glb");
    ASSERT_EQ(pending.children.size(), 1u);
    const Tile& leaf = *pending.children[0];
    EXPECT_EQ(leaf.coord.level, 3u);
    EXPECT_EQ(leaf.coord.x, 6u);
    EXPECT_EQ(leaf.coord.y, 5u);
    EXPECT_EQ(leaf.depth, 3u);
    EXPECT_DOUBLE_EQ(leaf.geometric_error, 8);
    ASSERT_EQ(leaf.contents.size(), 1u);
    EXPECT_EQ(leaf.contents[0].uri, "https://example.org/t/content/3/6_5.glb");
    EXPECT_TRUE(leaf.children.empty());  // level 4 >= availableLevels
}

TEST(Implicit, AnUnavailableSubtreeRootStaysEmpty) {
    ParsedTileset t = parse(quadtree_tileset);
    const std::string json =
        R"({"tileAvailability": {"constant": 0}, "contentAvailability": [{"constant": 0}],
        "childSubtreeAvailability": {"constant": 0}})";
    const Subtree s = parse_subtree(bytes_of(json), t.root->subtree_uri, *t.root->implicit, no_fetch);
    expand_subtree(*t.root, s);
    EXPECT_FALSE(t.root->subtree_pending);
    EXPECT_TRUE(t.root->contents.empty());
    EXPECT_TRUE(t.root->children.empty());
}

TEST(Implicit, OctreeWithTwoContents) {
    ParsedTileset t = parse(R"({"asset": {"version": "1.1"}, "geometricError": 10, "root": {
        "boundingVolume": {"box": [0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]}, "geometricError": 10,
        "contents": [{"uri": "a/{level}_{x}_{y}_{z}.glb", "group": 0}, {"uri": "b/{level}_{x}_{y}_{z}.glb"}],
        "implicitTiling": {"subdivisionScheme": "OCTREE", "subtreeLevels": 2, "availableLevels": 2,
                           "subtrees": {"uri": "{level}/{x}/{y}/{z}.subtree"}}}})");
    Tile& root = *t.root;
    EXPECT_TRUE(root.implicit->octree);
    EXPECT_EQ(root.subtree_uri, "/data/town/0/0/0/0.subtree");
    // Every tile available; content a everywhere, content b only on child 5 (bit 6).
    const std::string json = R"({"buffers": [{"byteLength": 2}],
        "bufferViews": [{"buffer": 0, "byteLength": 2}],
        "tileAvailability": {"constant": 1},
        "contentAvailability": [{"constant": 1}, {"bitstream": 0}],
        "childSubtreeAvailability": {"constant": 0}})";
    const Subtree s =
        parse_subtree(binary_subtree(json, {0x40, 0x00}), root.subtree_uri, *root.implicit, no_fetch);
    EXPECT_EQ(s.child_subtree_available.size(), 64u);
    expand_subtree(root, s);
    ASSERT_EQ(root.children.size(), 8u);
    ASSERT_EQ(root.contents.size(), 1u);
    EXPECT_EQ(root.contents[0].group, 0);
    for (unsigned i = 0; i < 8; ++i) {
        const Tile& c = *root.children[i];
        EXPECT_EQ(c.coord.x, i & 1u);
        EXPECT_EQ(c.coord.y, (i >> 1) & 1u);
        EXPECT_EQ(c.coord.z, (i >> 2) & 1u);
        EXPECT_EQ(c.contents.size(), i == 5 ? 2u : 1u);
        expect_vec_near(c.bounds.box.center, subdivide(Obb{{0, 0, 0}, glm::dmat3(2.0)}, i, true).center,
                        1e-12);
        expect_vec_near(c.bounds.box.half_axes[2], {0, 0, 1}, 1e-12);
        EXPECT_TRUE(c.children.empty());
    }
    EXPECT_EQ(root.children[5]->contents[1].uri, "/data/town/b/1_1_0_1.glb");
    EXPECT_EQ(root.children[5]->contents[1].group, -1);
}

TEST(Implicit, RegionRootSubdividesInLongitudeAndLatitude) {
    ParsedTileset t = parse(R"({"asset": {"version": "1.1"}, "geometricError": 10, "root": {
        "boundingVolume": {"region": [0.18, 0.86, 0.20, 0.87, 0, 300]}, "geometricError": 10,
        "implicitTiling": {"subdivisionScheme": "QUADTREE", "subtreeLevels": 3, "availableLevels": 3,
                           "subtrees": {"uri": "{level}.{x}.{y}.subtree"}}}})");
    Tile& root = *t.root;
    EXPECT_TRUE(root.implicit->root_is_region);
    const std::string json =
        R"({"tileAvailability": {"constant": 1}, "childSubtreeAvailability": {"constant": 0}})";
    expand_subtree(root, parse_subtree(bytes_of(json), root.subtree_uri, *root.implicit, no_fetch));
    EXPECT_EQ(count_tiles(root, [](const Tile&) { return true; }), 21u);
    const Region r{0.18, 0.86, 0.20, 0.87, 0, 300};
    const Tile& ne_sw = *root.children[3]->children[0];  // north-east, then its south-west
    EXPECT_EQ(ne_sw.coord.x, 2u);
    EXPECT_EQ(ne_sw.coord.y, 2u);
    const Bounds expected = bounds_from_region(subdivide(subdivide(r, 3, false), 0, false));
    expect_vec_near(ne_sw.bounds.box.center, expected.box.center, 1e-6);
    expect_vec_near(ne_sw.bounds.box.half_axes[0], expected.box.half_axes[0], 1e-6);
}

TEST(Implicit, BrokenSubtreesSayWhy) {
    ParsedTileset t = parse(quadtree_tileset);
    const ImplicitTiling& it = *t.root->implicit;
    const std::string uri = "/data/town/subtrees/0.0.0.subtree";
    const std::string json =
        R"({"buffers": [{"byteLength": 8}], "bufferViews": [{"buffer": 0, "byteLength": 1}],
        "tileAvailability": {"bitstream": 0}, "contentAvailability": [{"constant": 0}],
        "childSubtreeAvailability": {"constant": 0}})";
    const std::vector<uint8_t> good = binary_subtree(json, {0x01});
    ASSERT_NO_THROW(parse_subtree(good, uri, it, no_fetch));

    auto error = [&](const std::vector<uint8_t>& bytes) {
        return error_of([&] { parse_subtree(bytes, uri, it, no_fetch); });
    };
    std::string e = error(std::vector<uint8_t>(good.begin(), good.end() - 12));
    EXPECT_NE(e.find("subtree '/data/town/subtrees/0.0.0.subtree' is truncated"), std::string::npos) << e;
    e = error(std::vector<uint8_t>(good.begin(), good.begin() + 10));
    EXPECT_NE(e.find("truncated"), std::string::npos) << e;
    std::vector<uint8_t> v2 = good;
    v2[4] = 2;
    EXPECT_NE(error(v2).find("version 2"), std::string::npos);
    EXPECT_NE(error(bytes_of("glTF....")).find("neither a binary subtree"), std::string::npos);
    // childSubtreeAvailability needs 16 bits = 2 bytes; its view has 1.
    const std::string short_view =
        R"({"buffers": [{"byteLength": 8}], "bufferViews": [{"buffer": 0, "byteLength": 1}],
        "tileAvailability": {"constant": 1}, "contentAvailability": [{"constant": 0}],
        "childSubtreeAvailability": {"bitstream": 0}})";
    e = error(binary_subtree(short_view, {0x01}));
    EXPECT_NE(e.find("childSubtreeAvailability needs 2 bytes (16 bits), its buffer view has 1"),
              std::string::npos)
        << e;
    const std::string outside =
        R"({"buffers": [{"byteLength": 8}], "bufferViews": [{"buffer": 0, "byteOffset": 6, "byteLength": 4}],
        "tileAvailability": {"bitstream": 0}, "contentAvailability": [{"constant": 0}],
        "childSubtreeAvailability": {"constant": 0}})";
    e = error(binary_subtree(outside, {0x01}));
    EXPECT_NE(e.find("lies outside buffers[0]"), std::string::npos) << e;
    const std::string no_content =
        R"({"tileAvailability": {"constant": 1}, "childSubtreeAvailability": {"constant": 0}})";
    e = error(bytes_of(no_content));
    EXPECT_NE(e.find("contentAvailability"), std::string::npos) << e;
    const std::string bad_constant =
        R"({"tileAvailability": {"constant": 2}, "contentAvailability": [{"constant": 0}],
        "childSubtreeAvailability": {"constant": 0}})";
    EXPECT_NE(error(bytes_of(bad_constant)).find("not 0 or 1"), std::string::npos);
    // Found by the fuzzer: a deeply nested constant overflowed the stack when printed.
    const std::string deep_constant =
        R"({"tileAvailability": {"constant": )" + std::string(50000, '[') + std::string(50000, ']') + "}}";
    EXPECT_NE(error(bytes_of(deep_constant)).find("more than 1000 levels deep"), std::string::npos);
    // A failing fetch of an external buffer passes its error on.
    const std::string external = R"({"buffers": [{"uri": "missing.bin", "byteLength": 1}],
        "bufferViews": [{"buffer": 0, "byteLength": 1}], "tileAvailability": {"bitstream": 0},
        "contentAvailability": [{"constant": 0}], "childSubtreeAvailability": {"constant": 0}})";
    e = error(bytes_of(external));
    EXPECT_NE(e.find("unexpected fetch of /data/town/subtrees/missing.bin"), std::string::npos) << e;
}

TEST(Implicit, HostileTilingIsRefused) {
    auto tiling_error = [](const std::string& implicit) {
        return parse_error(R"({"asset": {"version": "1.1"}, "geometricError": 1, "root": {
            "boundingVolume": {"box": [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]}, "geometricError": 1,
            "implicitTiling": )" +
                           implicit + "}}");
    };
    std::string e = tiling_error(
        R"({"subdivisionScheme": "QUADTREE", "subtreeLevels": 40, "availableLevels": 40, "subtrees": {"uri": "s"}})");
    EXPECT_NE(e.find("root.implicitTiling.subtreeLevels is 40"), std::string::npos) << e;
    e = tiling_error(
        R"({"subdivisionScheme": "HEXTREE", "subtreeLevels": 2, "availableLevels": 2, "subtrees": {"uri": "s"}})");
    EXPECT_NE(e.find("HEXTREE"), std::string::npos) << e;
    e = tiling_error(
        R"({"subdivisionScheme": "OCTREE", "subtreeLevels": 0, "availableLevels": 2, "subtrees": {"uri": "s"}})");
    EXPECT_NE(e.find("subtreeLevels must be an integer >= 1"), std::string::npos) << e;
    e = tiling_error(R"({"subdivisionScheme": "OCTREE", "subtreeLevels": 2, "availableLevels": 2})");
    EXPECT_NE(e.find("subtrees.uri"), std::string::npos) << e;
}

// --- the public samples (../shared/data; absent on some machines) ------------------------

fs::path samples_dir() {
    return (fs::path(ZW_SHARED_DATA) / "3d-tiles-samples").lexically_normal();
}

std::vector<uint8_t> read_file(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

TEST(Tileset, SampleDiscreteLodScalesGeometricError) {
    const fs::path path = samples_dir() / "1.0/TilesetWithDiscreteLOD/tileset.json";
    if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
    const ParsedTileset t = parse_tileset(read_file(path), path.generic_string());
    EXPECT_EQ(t.version, "1.0");
    const Tile& root = *t.root;
    const double scale = max_scale(root.transform);
    EXPECT_NEAR(scale, 100.0, 0.1);
    EXPECT_NEAR(root.geometric_error, 1.0 * scale, 1e-9);
    ASSERT_EQ(root.children.size(), 1u);
    EXPECT_NEAR(root.children[0]->geometric_error, 0.1 * scale, 1e-9);
    ASSERT_EQ(root.children[0]->children.size(), 1u);
    EXPECT_EQ(root.children[0]->children[0]->geometric_error, 0);
    EXPECT_EQ(root.children[0]->children[0]->depth, 2u);
    expect_vec_near(root.bounds.box.center, glm::dvec3(root.transform[3]), 1e-6);
    EXPECT_NEAR(glm::length(root.bounds.box.half_axes[0]), 709.55, 0.1);
    EXPECT_EQ(root.contents[0].uri, (path.parent_path() / "dragon_low.b3dm").generic_string());
}

TEST(Implicit, SampleSparseImplicitQuadtree) {
    const fs::path dir = samples_dir() / "1.1/SparseImplicitQuadtree";
    if (!fs::exists(dir / "tileset.json")) GTEST_SKIP() << dir << " is absent";
    ParsedTileset t = parse_tileset(read_file(dir / "tileset.json"), (dir / "tileset.json").generic_string());
    Tile& root = *t.root;
    ASSERT_TRUE(root.implicit);
    EXPECT_EQ(root.implicit->subtree_levels, 3u);
    EXPECT_EQ(root.implicit->available_levels, 6u);
    ASSERT_TRUE(fs::exists(root.subtree_uri)) << root.subtree_uri;

    // subtreeInfo.md: subtree 0.0.0 has 7 available tiles and 8 child subtrees.
    const Subtree s = parse_subtree(read_file(root.subtree_uri), root.subtree_uri, *root.implicit, no_fetch);
    expand_subtree(root, s);
    auto all = [](const Tile&) { return true; };
    auto pending = [](const Tile& x) { return x.subtree_pending; };
    EXPECT_EQ(count_tiles(root, all), 15u);
    EXPECT_EQ(count_tiles(root, pending), 8u);
    EXPECT_EQ(count_tiles(root, [](const Tile& x) { return !x.contents.empty(); }), 0u);

    // Every child subtree exists on disk; expanding them all gives the README's 32
    // level-5 tiles with content, each with a file.
    std::vector<Tile*> roots;
    std::function<void(Tile&)> collect = [&](Tile& x) {
        if (x.subtree_pending) roots.push_back(&x);
        for (auto& c : x.children)
            collect(*c);
    };
    collect(root);
    for (Tile* r : roots) {
        EXPECT_EQ(r->coord.level, 3u);
        ASSERT_TRUE(fs::exists(r->subtree_uri)) << r->subtree_uri;
        expand_subtree(*r, parse_subtree(read_file(r->subtree_uri), r->subtree_uri, *r->implicit, no_fetch));
    }
    size_t with_content = 0;
    std::function<void(const Tile&)> check = [&](const Tile& x) {
        for (const TileContent& c : x.contents) {
            ++with_content;
            EXPECT_EQ(x.coord.level, 5u);
            EXPECT_TRUE(fs::exists(c.uri)) << c.uri;
        }
        EXPECT_FALSE(x.subtree_pending);
        // Children lie inside their parent (the unit square, z up to 0.0125).
        for (const auto& c : x.children) {
            EXPECT_TRUE(contains(x.bounds.box, c->bounds.box.center));
            check(*c);
        }
    };
    check(root);
    EXPECT_EQ(with_content, 32u);
}

TEST(Tileset, SampleMultipleContents) {
    const fs::path path = samples_dir() / "1.1/MultipleContents/tileset.json";
    if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
    const ParsedTileset t = parse_tileset(read_file(path), path.generic_string());
    ASSERT_EQ(t.root->contents.size(), 2u);
    EXPECT_EQ(t.root->contents[1].uri, (path.parent_path() / "planePoints.glb").generic_string());
}

}  // namespace
