// The bundle checks (app/bake/check): tiny tilesets, glbs and twins built here, each
// test breaking one rule and asserting the finding it causes.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/bake/bundle.h"
#include "app/bake/check/aho_corasick.h"
#include "app/bake/check/check.h"
#include "app/bake/server_config.h"
#include "engine/core/error.h"
#include "tests/unit/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using zw::bake::check::AhoCorasick;
using zw::bake::check::CheckReport;
using zw::bake::check::Finding;
using zw::bake::check::LeakReport;

// ---- building blocks ---------------------------------------------------------------------

void write_file(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void put_u32(std::string& s, uint32_t v) {
    char b[4];
    std::memcpy(b, &v, 4);
    s.append(b, 4);
}

void pad4(std::string& s, char with) {
    while (s.size() % 4)
        s.push_back(with);
}

// A GLB from its JSON and BIN chunk.
std::string make_glb(const json& j, std::string bin) {
    std::string text = j.dump();
    pad4(text, ' ');
    pad4(bin, '\0');
    std::string out;
    put_u32(out, 0x46546C67);
    put_u32(out, 2);
    put_u32(out, static_cast<uint32_t>(12 + 8 + text.size() + (bin.empty() ? 0 : 8 + bin.size())));
    put_u32(out, static_cast<uint32_t>(text.size()));
    put_u32(out, 0x4E4F534A);
    out += text;
    if (!bin.empty()) {
        put_u32(out, static_cast<uint32_t>(bin.size()));
        put_u32(out, 0x004E4942);
        out += bin;
    }
    return out;
}

struct GlbSpec {
    std::array<double, 3> translation{0, 0, 0};  // glTF frame (y up)
    double half = 1;                             // positions within [-half, half]^3
    size_t vertices = 3;
    std::string cls;  // property table class; none if empty
    std::vector<std::pair<std::string, std::vector<std::string>>> columns;  // string columns
    size_t extra_bytes = 0;  // padding, to break the size budget
};

// One triangle (or `vertices` points cycling over it) with POSITION min/max, one node with
// a translation, and optionally an EXT_structural_metadata property table of strings.
std::string make_triangle_glb(const GlbSpec& spec) {
    const float h = static_cast<float>(spec.half);
    const float tri[3][3] = {{-h, -h, -h}, {h, -h, h}, {0, h, 0}};
    std::string bin;
    for (size_t i = 0; i < spec.vertices; ++i)
        bin.append(reinterpret_cast<const char*>(tri[i % 3]), 12);
    json views = json::array({{{"buffer", 0}, {"byteOffset", 0}, {"byteLength", bin.size()}}});
    json accessors = json::array({{{"bufferView", 0},
                                   {"componentType", 5126},
                                   {"count", spec.vertices},
                                   {"type", "VEC3"},
                                   {"min", {-spec.half, -spec.half, -spec.half}},
                                   {"max", {spec.half, spec.half, spec.half}}}});
    json prim = {{"attributes", {{"POSITION", 0}}}, {"mode", 4}};
    json j = {{"asset", {{"version", "2.0"}}},
              {"scene", 0},
              {"scenes", {{{"nodes", {0}}}}},
              {"nodes", {{{"mesh", 0}, {"translation", spec.translation}}}}};
    auto add_view = [&](const std::string& bytes) {
        pad4(bin, '\0');
        views.push_back({{"buffer", 0}, {"byteOffset", bin.size()}, {"byteLength", bytes.size()}});
        bin += bytes;
        return views.size() - 1;
    };
    if (!spec.cls.empty()) {
        std::string ids;
        for (size_t i = 0; i < spec.vertices; ++i) {
            const float f = 0;
            ids.append(reinterpret_cast<const char*>(&f), 4);
        }
        accessors.push_back({{"bufferView", add_view(ids)},
                             {"componentType", 5126},
                             {"count", spec.vertices},
                             {"type", "SCALAR"}});
        prim["attributes"]["_FEATURE_ID_0"] = 1;
        const size_t rows = spec.columns.empty() ? 1 : spec.columns[0].second.size();
        prim["extensions"]["EXT_mesh_features"]["featureIds"] = {
            {{"featureCount", rows}, {"attribute", 0}, {"propertyTable", 0}}};
        json props = json::object(), table_props = json::object();
        for (const auto& [name, values] : spec.columns) {
            props[name] = {{"type", "STRING"}};
            std::string text, offsets;
            put_u32(offsets, 0);
            for (const auto& v : values) {
                text += v;
                put_u32(offsets, static_cast<uint32_t>(text.size()));
            }
            const size_t tv = add_view(text);
            const size_t ov = add_view(offsets);
            table_props[name] = {{"values", tv}, {"stringOffsets", ov}};
        }
        j["extensionsUsed"] = {"EXT_mesh_features", "EXT_structural_metadata"};
        j["extensions"]["EXT_structural_metadata"] = {
            {"schema", {{"id", "zw"}, {"classes", {{spec.cls, {{"properties", props}}}}}}},
            {"propertyTables", {{{"class", spec.cls}, {"count", rows}, {"properties", table_props}}}}};
    }
    if (spec.extra_bytes) add_view(std::string(spec.extra_bytes, 'x'));
    pad4(bin, '\0');
    j["meshes"] = {{{"primitives", {prim}}}};
    j["accessors"] = accessors;
    j["bufferViews"] = views;
    j["buffers"] = {{{"byteLength", bin.size()}}};
    return make_glb(j, bin);
}

json box(double cx, double cy, double cz, double hx, double hy, double hz) {
    return {{"box", {cx, cy, cz, hx, 0, 0, 0, hy, 0, 0, 0, hz}}};
}

// ENU at roughly 11°E 49.6°N to ECEF: the kind of root transform the bake writes.
json enu_transform() {
    const double lon = 11.0 * M_PI / 180, lat = 49.6 * M_PI / 180;
    const double e[3] = {-std::sin(lon), std::cos(lon), 0};
    const double n[3] = {-std::sin(lat) * std::cos(lon), -std::sin(lat) * std::sin(lon), std::cos(lat)};
    const double u[3] = {std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)};
    const double r = 6366000;
    return {e[0], e[1], e[2], 0, n[0], n[1], n[2], 0, u[0], u[1], u[2], 0, r * u[0], r * u[1], r * u[2], 1};
}

// A valid layer: a root with content and four children, each with a glb inside its box.
struct Layer {
    fs::path dir;
    json tileset;
    std::map<std::string, GlbSpec> glbs;  // file name -> what to write

    explicit Layer(fs::path d) : dir(std::move(d)) {
        json children = json::array();
        int i = 0;
        for (double cx : {-5.0, 5.0})
            for (double cy : {-5.0, 5.0}) {
                const std::string name = "L1_" + std::to_string(i++) + ".glb";
                children.push_back({{"boundingVolume", box(cx, cy, 0, 5, 5, 10)},
                                    {"geometricError", 0},
                                    {"content", {{"uri", name}}}});
                GlbSpec g;
                g.translation = {cx, 0, -cy};  // glTF (x, y, z) is (x, -z, y) in the tile frame
                g.half = 2;
                glbs[name] = g;
            }
        tileset = {{"asset", {{"version", "1.1"}}},
                   {"geometricError", 20},
                   {"root",
                    {{"transform", enu_transform()},
                     {"boundingVolume", box(0, 0, 0, 10, 10, 10)},
                     {"geometricError", 8},
                     {"refine", "REPLACE"},
                     {"content", {{"uri", "L0_0_0.glb"}}},
                     {"children", children}}}};
        GlbSpec root;
        root.translation = {2, 1, -3};  // -> (2, 3, 1); the triangle reaches 7 m out of 10
        root.half = 5;
        glbs["L0_0_0.glb"] = root;
    }

    void write() const {
        write_file(dir / "tileset.json", tileset.dump(1));
        for (const auto& [name, spec] : glbs)
            write_file(dir / name, make_triangle_glb(spec));
    }
};

std::string list(const std::vector<Finding>& findings) {
    std::string s;
    for (const auto& f : findings)
        s += "  " + f.file + ": " + f.message + "\n";
    return s.empty() ? "  (none)\n" : s;
}

// Whether some finding is in `file` and contains every one of `parts`.
::testing::AssertionResult has_finding(const std::vector<Finding>& findings, const std::string& file,
                                       std::initializer_list<std::string> parts) {
    for (const auto& f : findings) {
        if (f.file != file) continue;
        bool all = true;
        for (const auto& p : parts)
            all = all && f.message.find(p) != std::string::npos;
        if (all) return ::testing::AssertionSuccess();
    }
    std::string want;
    for (const auto& p : parts)
        want += " '" + p + "'";
    return ::testing::AssertionFailure() << "no finding in " << file << " with" << want << "; findings:\n"
                                         << list(findings);
}

CheckReport check_layer(const Layer& layer, const fs::path& root) {
    layer.write();
    return zw::bake::check::check_tileset(layer.dir / "tileset.json", root);
}

// ---- tilesets ----------------------------------------------------------------------------

TEST(BakeCheckTileset, ValidTilesetHasNoFindings) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "buildings");
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(r.findings.empty()) << list(r.findings);
    EXPECT_EQ(r.tilesets, 1u);
    EXPECT_EQ(r.tiles, 5u);
    EXPECT_EQ(r.glbs, 5u);
}

TEST(BakeCheckTileset, MissingGeometricError) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    layer.tileset["root"]["children"][2].erase("geometricError");
    layer.tileset.erase("geometricError");
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"root.children[2]", "geometricError is missing"}));
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"top-level geometricError is missing"}));
    EXPECT_EQ(r.findings.size(), 2u) << list(r.findings);
}

TEST(BakeCheckTileset, ChildErrorNotSmallerThanParent) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    layer.tileset["root"]["children"][1]["geometricError"] = 8;
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(
        has_finding(r.findings, "b/tileset.json", {"root.children[1]", "not smaller than its parent's 8"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

TEST(BakeCheckTileset, NegativeErrorAndBadRefine) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    layer.tileset["root"]["children"][0]["geometricError"] = -1;
    layer.tileset["root"]["children"][3]["refine"] = "replace";
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"root.children[0]", "not a finite number >= 0"}));
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"root.children[3]", "\"ADD\" or \"REPLACE\""}));
    EXPECT_EQ(r.findings.size(), 2u) << list(r.findings);
}

TEST(BakeCheckTileset, MissingRequiredFields) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    layer.tileset["root"].erase("refine");
    layer.tileset["root"]["children"][0].erase("boundingVolume");
    layer.tileset.erase("asset");
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"root: the root tile has no refine"}));
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"root.children[0]: boundingVolume is missing"}));
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"asset.version is missing"}));
    EXPECT_EQ(r.findings.size(), 3u) << list(r.findings);

    layer.tileset.erase("root");
    const CheckReport r2 = check_layer(layer, tmp.path());
    EXPECT_TRUE(has_finding(r2.findings, "b/tileset.json", {"root tile is missing"}));
}

TEST(BakeCheckTileset, ChildBoxOutsideParent) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    // 5 + 5.01 reaches 10.01 m: 1 cm over, beyond the 1 mm tolerance.
    layer.tileset["root"]["children"][3]["boundingVolume"] = box(5.01, 5, 0, 5, 5, 10);
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(
        has_finding(r.findings, "b/tileset.json", {"root.children[3]", "0.01 m outside its parent's box"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);

    // Half a millimetre over is within the tolerance.
    layer.tileset["root"]["children"][3]["boundingVolume"] = box(5.0005, 5, 0, 5, 5, 10);
    const CheckReport r2 = check_layer(layer, tmp.path());
    EXPECT_TRUE(r2.findings.empty()) << list(r2.findings);
}

TEST(BakeCheckTileset, ChildTransformIsApplied) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    // The child's frame is at the child's centre (-5, 5): a box at its own origin is the same
    // box as before; moved 1 m further east it leaves the parent.
    json& child = layer.tileset["root"]["children"][1];
    child["transform"] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -5, 5, 0, 1};
    child["boundingVolume"] = box(0, 0, 0, 5, 5, 10);
    layer.glbs["L1_1.glb"].translation = {0, 0, 0};
    EXPECT_TRUE(check_layer(layer, tmp.path()).findings.empty());
    child["transform"][12] = -6;
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(
        has_finding(r.findings, "b/tileset.json", {"root.children[1]", "1 m outside its parent's box"}));
}

TEST(BakeCheckTileset, ContentOutsideBoxByNodeTranslation) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    // glTF z = -1 is tile-frame y = +1: the child box (y from 0 to 10) then holds the
    // triangle (half 2, y from -1 to 3) but for 1 m. (Were the turn taken the wrong way,
    // it would be 3 m.)
    layer.glbs["L1_1.glb"].translation = {-5, 0, -1};
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(has_finding(r.findings, "b/L1_1.glb", {"nodes[0]", "1 m outside the tile's bounding box"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

TEST(BakeCheckTileset, ContentThroughNodeHierarchy) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    layer.write();
    // A parent node with a 90° turn about y and a scale of 2 around the mesh node: glTF
    // (x, y, z) -> 2 (z, y, -x), then (x, -z, y) in the tile frame. The bounds (+-5, +-5,
    // +-4) land on (+-8, +-10, +-10): inside the root box (half 10), touching it.
    json j = {{"asset", {{"version", "2.0"}}},
              {"scene", 0},
              {"scenes", {{{"nodes", {0}}}}},
              {"nodes",
               {{{"children", {1}},
                 {"rotation", {0, std::sin(M_PI / 4), 0, std::cos(M_PI / 4)}},
                 {"scale", {2, 2, 2}}},
                {{"mesh", 0}, {"translation", {0, 0, 0}}}}},
              {"meshes", {{{"primitives", {{{"attributes", {{"POSITION", 0}}}}}}}}},
              {"accessors",
               {{{"componentType", 5126},
                 {"count", 3},
                 {"type", "VEC3"},
                 {"min", {-5, -5, -4}},
                 {"max", {5, 5, 4}}}}}};
    write_file(layer.dir / "L0_0_0.glb", make_glb(j, ""));
    CheckReport r = zw::bake::check::check_tileset(layer.dir / "tileset.json", tmp.path());
    EXPECT_TRUE(r.findings.empty()) << list(r.findings);
    // glTF z 1.5 turns to glTF x 3 after the scale, which is 3 m east: the box ends 1 m short.
    j["nodes"][1]["translation"] = {0, 0, 1.5};
    write_file(layer.dir / "L0_0_0.glb", make_glb(j, ""));
    r = zw::bake::check::check_tileset(layer.dir / "tileset.json", tmp.path());
    EXPECT_TRUE(has_finding(r.findings, "b/L0_0_0.glb", {"nodes[1]", "1 m outside the tile's bounding box"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

TEST(BakeCheckTileset, UriEscapingTheRoot) {
    zw::test::TempDir tmp;
    const fs::path root = tmp.path() / "twin";
    Layer layer(root / "b");
    write_file(tmp.path() / "outside.glb", make_triangle_glb({}));
    GlbSpec at_child3;
    at_child3.translation = {5, 0, -5};
    write_file(root / "b" / "elsewhere.glb", make_triangle_glb(at_child3));
    layer.tileset["root"]["children"][0]["content"]["uri"] = "../../outside.glb";
    layer.tileset["root"]["children"][1]["content"]["uri"] = (tmp.path() / "outside.glb").string();
    layer.tileset["root"]["children"][2]["content"]["uri"] = "https://example.org/L1_2.glb";
    layer.tileset["root"]["children"][3]["content"]["uri"] = "sub/../elsewhere.glb";  // fine: stays inside
    const CheckReport r = check_layer(layer, root);
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"root.children[0].content", "resolves outside"}));
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"root.children[1].content", "absolute path"}));
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"root.children[2].content", "has a scheme"}));
    EXPECT_EQ(r.findings.size(), 3u) << list(r.findings);
}

TEST(BakeCheckTileset, MissingContentFile) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    layer.tileset["root"]["children"][2]["content"]["uri"] = "L9_9_9.glb";
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json",
                            {"root.children[2].content", "'L9_9_9.glb'", "does not exist"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

TEST(BakeCheckTileset, GlbBudgets) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    layer.glbs["L1_0.glb"].vertices = 65537;
    layer.glbs["L1_1.glb"].vertices = 65536;  // exactly the budget: fine
    layer.glbs["L1_2.glb"].extra_bytes = 2 * 1024 * 1024;
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(
        has_finding(r.findings, "b/L1_0.glb", {"meshes[0].primitives[0]", "65537 vertices", "65536"}));
    EXPECT_TRUE(has_finding(r.findings, "b/L1_2.glb", {"over the budget of 2097152"}));
    EXPECT_EQ(r.findings.size(), 2u) << list(r.findings);
}

TEST(BakeCheckTileset, GlbContainerErrors) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    layer.write();
    std::string glb = make_triangle_glb({});
    std::string bad_magic = glb, bad_version = glb, truncated = glb.substr(0, glb.size() - 8);
    bad_magic[0] = 'x';
    bad_version[4] = 1;
    write_file(layer.dir / "L1_0.glb", bad_magic);
    write_file(layer.dir / "L1_1.glb", bad_version);
    write_file(layer.dir / "L1_2.glb", truncated);
    const CheckReport r = zw::bake::check::check_tileset(layer.dir / "tileset.json", tmp.path());
    EXPECT_TRUE(has_finding(r.findings, "b/L1_0.glb", {"magic"}));
    EXPECT_TRUE(has_finding(r.findings, "b/L1_1.glb", {"version 1, not 2"}));
    EXPECT_TRUE(has_finding(r.findings, "b/L1_2.glb", {"header says"}));
}

TEST(BakeCheckTileset, NanAndInfinityInBoxesAndTransforms) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    // nlohmann::json writes a NaN or an infinity as null.
    layer.tileset["root"]["children"][0]["boundingVolume"]["box"][4] =
        std::numeric_limits<double>::quiet_NaN();
    layer.tileset["root"]["transform"][0] = std::numeric_limits<double>::infinity();
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json",
                            {"root.children[0]", "boundingVolume.box[4] is not a finite number", "null"}));
    EXPECT_TRUE(has_finding(r.findings, "b/tileset.json", {"root", "transform[0] is not a finite number"}));
    EXPECT_EQ(r.findings.size(), 2u) << list(r.findings);

    // A literal too large for a double makes the file unreadable JSON.
    std::string text = layer.tileset.dump();
    text.replace(text.find("null"), 4, "1e400");
    write_file(layer.dir / "tileset.json", text);
    const CheckReport r2 = zw::bake::check::check_tileset(layer.dir / "tileset.json", tmp.path());
    EXPECT_TRUE(has_finding(r2.findings, "b/tileset.json", {"is not valid JSON"}));
}

TEST(BakeCheckTileset, RegionIsReportedAsUnsupported) {
    zw::test::TempDir tmp;
    Layer layer(tmp.path() / "b");
    layer.tileset["root"]["children"][0]["boundingVolume"] = {{"region", {0.1, 0.8, 0.2, 0.9, 0, 100}}};
    const CheckReport r = check_layer(layer, tmp.path());
    EXPECT_TRUE(
        has_finding(r.findings, "b/tileset.json", {"root.children[0]", "region", "supports only box"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

TEST(BakeCheckTileset, ExternalTilesetIsFollowed) {
    zw::test::TempDir tmp;
    Layer outer(tmp.path() / "b");
    Layer inner(tmp.path() / "b" / "sub");
    inner.tileset["root"]["children"][0]["geometricError"] = 9;
    outer.tileset["root"]["children"][0]["content"]["uri"] = "sub/tileset.json";
    inner.write();
    const CheckReport r = check_layer(outer, tmp.path());
    EXPECT_EQ(r.tilesets, 2u);
    EXPECT_EQ(r.tiles, 10u);
    EXPECT_TRUE(has_finding(r.findings, "b/sub/tileset.json", {"root.children[0]", "not smaller"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

// ---- Aho-Corasick ------------------------------------------------------------------------

using Matches = std::vector<std::pair<size_t, uint64_t>>;

Matches all_matches(const AhoCorasick& ac, std::string_view text) {
    Matches m;
    ac.scan(text, [&](size_t p, uint64_t at) { m.push_back({p, at}); });
    std::sort(m.begin(), m.end());
    return m;
}

TEST(BakeCheckAhoCorasick, OverlappingAndNestedPatterns) {
    AhoCorasick ac;
    const size_t he = ac.add("he"), she = ac.add("she"), his = ac.add("his"), hers = ac.add("hers");
    ac.build();
    EXPECT_EQ(all_matches(ac, "ushers"), (Matches{{he, 2}, {she, 1}, {hers, 2}}));
    EXPECT_EQ(all_matches(ac, "hishe"), (Matches{{he, 3}, {she, 2}, {his, 0}}));
    EXPECT_TRUE(all_matches(ac, "hxsxe").empty());
}

TEST(BakeCheckAhoCorasick, RepeatsSuffixesAndPieces) {
    AhoCorasick ac;
    const size_t a = ac.add("a"), aa = ac.add("aa"), aaa = ac.add("aaa"), aa2 = ac.add("aa");
    const size_t bin = ac.add(std::string("\0\xff", 2));
    ac.build();
    const Matches m = all_matches(ac, "aaaa");
    EXPECT_EQ(std::count_if(m.begin(), m.end(), [&](auto& x) { return x.first == a; }), 4);
    EXPECT_EQ(std::count_if(m.begin(), m.end(), [&](auto& x) { return x.first == aa; }), 3);
    EXPECT_EQ(std::count_if(m.begin(), m.end(), [&](auto& x) { return x.first == aa2; }), 3);
    EXPECT_EQ(std::count_if(m.begin(), m.end(), [&](auto& x) { return x.first == aaa; }), 2);
    // A match split over two pieces of one stream is still found, at its stream offset.
    AhoCorasick::State s;
    Matches pieces;
    const auto on = [&](size_t p, uint64_t at) { pieces.push_back({p, at}); };
    ac.scan(std::string("xyz\0", 4), s, on);
    ac.scan(std::string("\xff", 1), s, on);
    EXPECT_EQ(pieces, (Matches{{bin, 3}}));
}

TEST(BakeCheckAhoCorasick, ThousandsOfTokensOverMegabytes) {
    std::mt19937 rng(7);
    AhoCorasick ac;
    std::vector<std::string> tokens;
    for (int i = 0; i < 3000; ++i) {
        std::string t;
        const int len = 6 + static_cast<int>(rng() % 20);
        for (int k = 0; k < len; ++k)
            t.push_back(static_cast<char>('a' + rng() % 26));
        tokens.push_back(t);
        ac.add(t);
    }
    ac.build();
    std::string data(4 << 20, '\0');
    for (auto& c : data)
        c = static_cast<char>(rng() % 7);  // bytes no token holds
    const std::vector<size_t> planted{17, 1234, 2999};
    for (size_t i = 0; i < planted.size(); ++i)
        data.replace(100000 + i * 1000000, tokens[planted[i]].size(), tokens[planted[i]]);
    const auto start = std::chrono::steady_clock::now();
    const Matches m = all_matches(ac, data);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_EQ(m.size(), 3u);
    for (size_t i = 0; i < planted.size(); ++i)
        EXPECT_EQ(m[i], (std::pair<size_t, uint64_t>{planted[i], 100000 + i * 1000000}));
    RecordProperty("scan_mb_per_s", std::to_string(4.0 / s));
}

// ---- twins and the leak scan -------------------------------------------------------------

json attribute(const std::string& name) {
    return {{"name", name}, {"type", "string"}, {"title_de", name}, {"title_en", name}};
}

json manifest(const std::string& twin_id, const json& layers) {
    const std::map<std::string, std::string> audience{
        {"citizen", "public"}, {"council", "council"}, {"administration", "staff"}};
    return {{"format", "zwilling-twin"},
            {"format_version", 1},
            {"twin",
             {{"id", twin_id},
              {"audience", audience.at(twin_id)},
              {"title_de", "Zwilling"},
              {"title_en", "Twin"}}},
            {"town",
             {{"name", "Weisendorf (synthetisch)"},
              {"synthetic", true},
              {"description_de", "Eine erfundene Stadt."},
              {"description_en", "A made-up town."},
              {"seed", 42},
              {"recipe", "default"}}},
            {"crs",
             {{"horizontal", "EPSG:25832"},
              {"vertical", "heights above sea level (DHHN2016)"},
              {"geoid_undulation_m", 47.9}}},
            {"origin",
             {{"easting", 630000.0},
              {"northing", 5497000.0},
              {"height", 300.0},
              {"lat_deg", 49.6},
              {"lon_deg", 11.0},
              {"ecef", {4.0e6, 8.0e5, 4.8e6}}}},
            {"layers", layers}};
}

json layer_entry(const std::string& id, const std::string& cls, const std::vector<std::string>& attrs) {
    json a = json::array();
    for (const auto& n : attrs)
        a.push_back(attribute(n));
    return {{"id", id},
            {"title_de", id},
            {"title_en", id},
            {"group", id == "utilities" ? "infrastructure" : "base"},
            {"tileset", id + "/tileset.json"},
            {"default_visible", true},
            {"class", cls},
            {"attributes", a},
            {"legend", {{{"color", "#a0b0c0"}, {"label_de", "Alle"}, {"label_en", "All"}}}}};
}

// One layer folder with a single-tile tileset and one glb holding `columns`.
void write_feature_layer(const fs::path& dir, const std::string& cls,
                         const std::vector<std::pair<std::string, std::vector<std::string>>>& columns) {
    const json ts = {{"asset", {{"version", "1.1"}}},
                     {"geometricError", 10},
                     {"root",
                      {{"boundingVolume", box(0, 0, 0, 10, 10, 10)},
                       {"geometricError", 0},
                       {"refine", "REPLACE"},
                       {"content", {{"uri", "L0_0_0.glb"}}}}}};
    write_file(dir / "tileset.json", ts.dump(1));
    GlbSpec g;
    g.cls = cls;
    g.columns = columns;
    write_file(dir / "L0_0_0.glb", make_triangle_glb(g));
}

using Columns = std::vector<std::pair<std::string, std::vector<std::string>>>;

const Columns kFullBuildings{{"id", {"b_0001", "b_0002"}},
                             {"street", {"Lindenstraße", "Kirchweg"}},
                             {"owner_category", {"Stadtwerke Eigentum", "privat"}}};
const Columns kCitizenBuildings{{"id", {"b_0001", "b_0002"}}, {"street", {"Lindenstraße", "Kirchweg"}}};

// OUT/administration with buildings and utilities; OUT/citizen with buildings only.
struct Twins {
    zw::test::TempDir tmp;
    fs::path full = tmp.path() / "administration";
    fs::path citizen = tmp.path() / "citizen";

    Twins() {
        write_file(full / "twin.json",
                   manifest("administration",
                            {layer_entry("buildings", "building", {"id", "street", "owner_category"}),
                             layer_entry("utilities", "utility", {"id", "material"})})
                       .dump(1));
        write_feature_layer(full / "buildings", "building", kFullBuildings);
        // "Kirchweg" is a material here and a street in buildings: the citizen twin holds it.
        write_feature_layer(full / "utilities", "utility",
                            {{"id", {"u_0001", "u_0002"}}, {"material", {"Gusseisen", "Kirchweg"}}});
        write_citizen(kCitizenBuildings);
    }
    void write_citizen(const Columns& columns) const {
        write_file(citizen / "twin.json",
                   manifest("citizen", json::array({layer_entry("buildings", "building", {"id", "street"})}))
                       .dump(1));
        write_feature_layer(citizen / "buildings", "building", columns);
    }
    LeakReport scan() const { return zw::bake::check::leak_scan(full, citizen); }
};

TEST(BakeCheckTwin, ValidTwinsHaveNoFindings) {
    Twins t;
    const CheckReport c = zw::bake::check::check_twin(t.citizen);
    EXPECT_TRUE(c.findings.empty()) << list(c.findings);
    EXPECT_EQ(c.tilesets, 1u);
    EXPECT_EQ(c.glbs, 1u);
    const CheckReport a = zw::bake::check::check_twin(t.full);
    EXPECT_TRUE(a.findings.empty()) << list(a.findings);
    EXPECT_EQ(a.tilesets, 2u);
}

TEST(BakeCheckTwin, ManifestErrors) {
    Twins t;
    json m = manifest("citizen", {layer_entry("buildings", "building", {"id", "street", "owner_category"}),
                                  layer_entry("utilities", "utility", {"id"})});
    m.erase("crs");
    m["format_version"] = "1";
    m["layers"][0]["tileset"] = "../administration/buildings/tileset.json";
    m["layers"][1]["legend"][0]["color"] = "red";
    write_file(t.citizen / "twin.json", m.dump());
    write_feature_layer(t.citizen / "utilities", "utility", {{"id", {"u_0001"}}});
    const CheckReport r = zw::bake::check::check_twin(t.citizen);
    EXPECT_TRUE(has_finding(r.findings, "twin.json", {"crs.horizontal is missing"}));
    EXPECT_TRUE(has_finding(r.findings, "twin.json", {"crs.geoid_undulation_m is missing"}));
    EXPECT_TRUE(has_finding(r.findings, "twin.json", {"format_version is not the integer 1"}));
    EXPECT_TRUE(has_finding(r.findings, "twin.json", {"layers[0] (buildings).tileset", "resolves outside"}));
    EXPECT_TRUE(has_finding(r.findings, "twin.json", {"citizen twin may not hold layer 'utilities'"}));
    EXPECT_TRUE(has_finding(r.findings, "twin.json", {"may not hold attribute 'owner_category'"}));
    EXPECT_TRUE(has_finding(r.findings, "twin.json", {"legend[0].color"}));
}

TEST(BakeCheckTwin, PropertyColumnNotInManifest) {
    Twins t;
    t.write_citizen(kFullBuildings);
    const CheckReport r = zw::bake::check::check_twin(t.citizen);
    EXPECT_TRUE(
        has_finding(r.findings, "buildings/L0_0_0.glb", {"column 'owner_category'", "not an attribute"}));
}

TEST(BakeCheckLeak, CleanTwinHasNoFindings) {
    Twins t;
    const LeakReport r = t.scan();
    EXPECT_TRUE(r.findings.empty()) << list(r.findings);
    // utilities, utility, owner_category, Stadtwerke Eigentum, privat, u_0001, u_0002,
    // Gusseisen; "material" (a glTF key word) and "Kirchweg" (a street too) are skipped.
    EXPECT_EQ(r.tokens, 8u);
    EXPECT_EQ(r.tokens_skipped, 2u);
    EXPECT_EQ(r.files_scanned, 3u);
    EXPECT_GT(r.bytes_scanned, 0u);
}

TEST(BakeCheckLeak, LayerIdInJson) {
    Twins t;
    json ts = json::parse(std::ifstream(t.citizen / "buildings" / "tileset.json"));
    ts["asset"]["extras"] = {{"note", "see also utilities"}};
    write_file(t.citizen / "buildings" / "tileset.json", ts.dump());
    const LeakReport r = t.scan();
    EXPECT_TRUE(
        has_finding(r.findings, "buildings/tileset.json", {"'utilities'", "id of layer 'utilities'"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

TEST(BakeCheckLeak, AttributeNameInGlb) {
    Twins t;
    t.write_citizen({{"id", {"b_0001"}}, {"street", {"Kirchweg"}}, {"owner_category", {"k. A."}}});
    const LeakReport r = t.scan();
    EXPECT_TRUE(has_finding(r.findings, "buildings/L0_0_0.glb", {"'owner_category'", "name of attribute"}));
    EXPECT_TRUE(has_finding(r.findings, "buildings/L0_0_0.glb", {"metadata property 'owner_category'"}));
}

TEST(BakeCheckLeak, GlbKeywordAttributeIsFoundStructurally) {
    Twins t;
    t.write_citizen({{"id", {"b_0001"}}, {"street", {"Kirchweg"}}, {"material", {"Ziegel"}}});
    const LeakReport r = t.scan();
    EXPECT_TRUE(has_finding(r.findings, "buildings/L0_0_0.glb", {"metadata property 'material'"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

TEST(BakeCheckLeak, RestrictedValueInBinaryChunk) {
    Twins t;
    t.write_citizen({{"id", {"b_0001", "b_0002"}}, {"street", {"Kirchweg", "Stadtwerke Eigentum"}}});
    const LeakReport r = t.scan();
    ASSERT_TRUE(has_finding(r.findings, "buildings/L0_0_0.glb",
                            {"'Stadtwerke Eigentum'", "value of attribute 'owner_category'", "at byte"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
    // It was found in the BIN chunk, past the JSON.
    std::ifstream in(t.citizen / "buildings" / "L0_0_0.glb", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    uint32_t json_length = 0;
    std::memcpy(&json_length, bytes.data() + 12, 4);
    EXPECT_GT(bytes.find("Stadtwerke Eigentum"), 20u + json_length);
    EXPECT_TRUE(has_finding(r.findings, "buildings/L0_0_0.glb",
                            {"at byte " + std::to_string(bytes.find("Stadtwerke"))}));
}

TEST(BakeCheckLeak, EscapedJsonStringIsFound) {
    Twins t;
    // A non-ASCII restricted value, written by a JSON library that escapes it.
    write_feature_layer(
        t.full / "buildings", "building",
        {{"id", {"b_0001"}}, {"street", {"Kirchweg"}}, {"owner_category", {"Bürgerstiftung"}}});
    json ts = json::parse(std::ifstream(t.citizen / "buildings" / "tileset.json"));
    ts["asset"]["extras"] = {{"owner", "Bürgerstiftung"}};
    write_file(t.citizen / "buildings" / "tileset.json", ts.dump(-1, ' ', true));
    const LeakReport r = t.scan();
    EXPECT_TRUE(
        has_finding(r.findings, "buildings/tileset.json", {"'Bürgerstiftung'", "escaped JSON string"}));
}

TEST(BakeCheckLeak, UnlistedLayerFolder) {
    Twins t;
    write_file(t.citizen / "utilities" / "readme.txt", "nothing here");
    const LeakReport r = t.scan();
    EXPECT_TRUE(has_finding(r.findings, "utilities", {"folder that twin.json does not list"}));
    EXPECT_EQ(r.findings.size(), 1u) << list(r.findings);
}

// The bundle's scenarios/ folder holds the traffic network also where twin.json lists no
// scenario: the folder is not a finding, what lies in it is scanned like the rest.
TEST(BakeCheckLeak, ScenarioFolderWithoutAListedScenarioIsScanned) {
    Twins t;
    write_file(t.citizen / "scenarios" / "traffic" / "network.net.xml", "<net><edge id=\"e0\"/></net>\n");
    LeakReport r = t.scan();
    EXPECT_TRUE(r.findings.empty()) << list(r.findings);
    write_file(t.citizen / "scenarios" / "traffic" / "network.net.xml",
               "<net><edge name=\"Gusseisen\"/></net>\n");
    r = t.scan();
    EXPECT_TRUE(has_finding(r.findings, "scenarios/traffic/network.net.xml", {"'Gusseisen'"}))
        << list(r.findings);
}

TEST(BakeCheckLeak, DepartmentNamesStayInTheAdministrationTwin) {
    Twins t;
    json m = json::parse(std::ifstream(t.full / "twin.json"));
    m["departments"] = {{{"id", "bauhof"},
                         {"title_de", "Bauhof"},
                         {"title_en", "Building yard"},
                         {"layers", {"buildings", "utilities"}}}};
    write_file(t.full / "twin.json", m.dump(1));
    EXPECT_TRUE(t.scan().findings.empty()) << list(t.scan().findings);
    json ts = json::parse(std::ifstream(t.citizen / "buildings" / "tileset.json"));
    ts["asset"]["extras"] = {{"contact", "Building yard, ext. 12"}};
    write_file(t.citizen / "buildings" / "tileset.json", ts.dump());
    const LeakReport r = t.scan();
    EXPECT_TRUE(has_finding(r.findings, "buildings/tileset.json", {"'Building yard'", "department title_en"}))
        << list(r.findings);
}

TEST(BakeCheckLeak, BytesHiddenOutsideTheBufferViews) {
    Twins t;
    const fs::path glb = t.citizen / "buildings" / "L0_0_0.glb";
    std::string bytes;
    {
        std::ifstream in(glb, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    // Zero padding at the end of the BIN chunk is fine; non-zero bytes there are not.
    auto append_to_bin = [&](const std::string& extra) {
        std::string b = bytes;
        uint32_t json_length = 0, bin_length = 0, total = 0;
        std::memcpy(&json_length, b.data() + 12, 4);
        const size_t bin_header = 20 + json_length;
        std::memcpy(&bin_length, b.data() + bin_header, 4);
        ASSERT_EQ(bin_header + 8 + bin_length, b.size());
        b += extra;
        bin_length += uint32_t(extra.size());
        total = uint32_t(b.size());
        std::memcpy(b.data() + bin_header, &bin_length, 4);
        std::memcpy(b.data() + 8, &total, 4);
        write_file(glb, b);
    };
    append_to_bin(std::string(8, '\0'));
    EXPECT_TRUE(t.scan().findings.empty()) << list(t.scan().findings);
    append_to_bin(std::string("\x07\x00\x00\x00\x2a\x00\x00\x00", 8));  // e.g. residents 7 and 42
    const LeakReport r = t.scan();
    EXPECT_TRUE(
        has_finding(r.findings, "buildings/L0_0_0.glb", {"2 non-zero bytes", "outside every buffer view"}))
        << list(r.findings);
}

// ---- the server's confinement ------------------------------------------------------------

// A bake's output with an administration twin whose departments hold import layers with
// ids chosen to meet by name: a prefix of another ("road", "roads"), a department's name
// ("bauhof", a layer of the Bauamt), punctuation ("a-b", "x_1"); the scenarios; a folder
// no manifest lists; citizen and council twins; the bake's own files.
struct ServedBundle {
    zw::test::TempDir tmp;
    fs::path out = tmp.path() / "out";
    json admin;

    static json layer(const std::string& id) { return {{"id", id}, {"tileset", id + "/tileset.json"}}; }
    static json minimal(const std::string& twin, const json& layers) {
        return {{"twin", {{"id", twin}}}, {"layers", layers}};
    }

    ServedBundle() {
        admin = minimal("administration",
                        json::array({layer("terrain"), layer("road"), layer("roads"), layer("bauhof"),
                                     layer("a-b"), layer("x_1"), layer("utilities")}));
        admin["departments"] = {{{"id", "bauamt"}, {"layers", {"terrain", "roads", "bauhof"}}},
                                {{"id", "bauhof"}, {"layers", {"terrain", "road", "utilities", "x_1"}}},
                                {{"id", "ordnungsamt"}, {"layers", json::array({"terrain", "a-b"})}}};
        admin["scenarios"] = {{{"id", "hq100-baseline"},
                               {"uri", "scenarios/hq100/hq100-baseline.json"},
                               {"results", "scenarios/hq100/hq100-baseline/"}}};
        for (const json& l : admin["layers"]) {
            const std::string id = l["id"];
            write_file(out / "administration" / id / "tileset.json", "{}");
            write_file(out / "administration" / id / "L0_0_0.glb", "glTF");
        }
        for (const char* f : {"hq100-baseline.json", "terrain.asc", "hq100-baseline/summary.json"})
            write_file(out / "administration" / "scenarios" / "hq100" / f, "x");
        write_file(out / "administration" / "stray" / "L0_0_0.glb", "glTF");
        for (const char* twin : {"citizen", "council"}) {
            write_file(out / twin / "twin.json", minimal(twin, json::array({layer("buildings")})).dump());
            write_file(out / twin / "buildings" / "tileset.json", "{}");
        }
        write_file(out / "bake-report.json", "{}");
        write_file(out / ".zwilling-bake", "");
        write_admin();
    }
    void write_admin() const { write_file(out / "administration" / "twin.json", admin.dump(1)); }
    fs::path write_config() const {
        zw::bake::ServerOptions options;
        options.root = "/srv/zwilling/town";
        return zw::bake::write_server_config(out, options, out / "server");
    }
    std::string config_text() const {
        std::ifstream in(out / "server" / "zwilling.conf", std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    zw::bake::check::ConfinementReport check() const {
        return zw::bake::check::check_confinement(out, out / "server" / "zwilling.conf");
    }
};

std::set<std::string> staff(std::initializer_list<const char*> departments) {
    std::set<std::string> out;
    for (const char* d : departments) {
        out.insert(std::string("administration:") + d);
        out.insert(std::string("administration:") + d + ".person");
    }
    return out;
}

// Every credential against every file, as the written site answers: each department reads
// its own layers' folders, twin.json and the scenarios, and nothing by name coincidence.
TEST(BakeCheckConfinement, DepartmentsStayApartWhateverTheLayerIsCalled) {
    ServedBundle b;
    b.write_config();
    const auto r = b.check();
    EXPECT_TRUE(r.findings.empty()) << list(r.findings);
    // 3 x 2 of every twin's users ("user", "nobody") and 3 x 4 per department id, plus no login.
    EXPECT_EQ(r.credentials, 1u + 3u * (2u + 3u * 4u));
    auto readers = [&](const std::string& file) {
        const auto it = r.readers.find(file);
        return it == r.readers.end() ? std::set<std::string>() : it->second;
    };
    EXPECT_EQ(readers("administration/road/tileset.json"), staff({"bauhof"}));
    EXPECT_EQ(readers("administration/roads/L0_0_0.glb"), staff({"bauamt"}));
    EXPECT_EQ(readers("administration/bauhof/tileset.json"), staff({"bauamt"}));  // a layer, not a department
    EXPECT_EQ(readers("administration/a-b/tileset.json"), staff({"ordnungsamt"}));
    EXPECT_EQ(readers("administration/x_1/tileset.json"), staff({"bauhof"}));
    EXPECT_EQ(readers("administration/utilities/L0_0_0.glb"), staff({"bauhof"}));
    EXPECT_EQ(readers("administration/terrain/L0_0_0.glb"), staff({"bauamt", "bauhof", "ordnungsamt"}));
    EXPECT_EQ(readers("administration/twin.json"), staff({"bauamt", "bauhof", "ordnungsamt"}));
    EXPECT_EQ(readers("administration/scenarios/hq100/terrain.asc"),
              staff({"bauamt", "bauhof", "ordnungsamt"}));
    EXPECT_EQ(readers("administration/scenarios/hq100/hq100-baseline/summary.json"),
              staff({"bauamt", "bauhof", "ordnungsamt"}));
    for (const char* nobody :
         {"administration/stray/L0_0_0.glb", "bake-report.json", ".zwilling-bake", "server/zwilling.conf"})
        EXPECT_EQ(readers(nobody), std::set<std::string>()) << nobody;
    const std::set<std::string> citizens = readers("citizen/twin.json");
    EXPECT_EQ(citizens.size(), 14u);
    for (const std::string& c : citizens)
        EXPECT_EQ(c.rfind("citizen:", 0), 0u) << c;
    EXPECT_EQ(readers("council/buildings/tileset.json").size(), 14u);
}

// A site that grants more (or less, or to the wrong login) than the manifests is reported
// with the file and both sets, however the rule came about.
TEST(BakeCheckConfinement, WiderOrWrongGrantsAreReported) {
    ServedBundle b;
    b.write_config();
    const std::string good = b.config_text();
    auto with = [&](const std::string& from, const std::string& to) {  // every occurrence
        std::string text = good;
        EXPECT_NE(text.find(from), std::string::npos) << from;
        for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
        write_file(b.out / "server" / "zwilling.conf", text);
        return b.check();
    };
    // The old rule: the scenarios' top folder for every department, and a layer that lives there.
    const json original = b.admin;
    b.admin["layers"].push_back(ServedBundle::layer("scenarios"));
    b.admin["departments"][0]["layers"].push_back("scenarios");
    b.write_admin();
    write_file(b.out / "administration" / "scenarios" / "tileset.json", "{}");
    auto r = with("scenarios\\\\/hq100\\\\/", "scenarios\\\\/");
    EXPECT_TRUE(has_finding(r.findings, "administration/scenarios/tileset.json",
                            {"administration:bauhof",
                             "but the manifests grant {administration:bauamt, "
                             "administration:bauamt.person}"}));
    b.admin = original;
    b.write_admin();
    // The Bauhof also given the Bauamt's "roads" (a name like its own "road").
    r = with("bauhof/administration/(", "bauhof/administration/(roads\\\\/|");
    EXPECT_TRUE(
        has_finding(r.findings, "administration/roads/tileset.json",
                    {"lets {administration:bauamt, administration:bauamt.person, administration:bauhof, "
                     "administration:bauhof.person} read it"}));
    // The citizens' folder behind the council's logins.
    r = with("htpasswd/citizen;", "htpasswd/council;");
    EXPECT_TRUE(has_finding(r.findings, "citizen/twin.json", {"lets {council:", "grant {citizen:"}));
    // A user name with two dots is no person of a department.
    r = with("(\\\\.[A-Za-z0-9_-]+)?$\" bauhof", "(\\\\.[A-Za-z0-9_.-]+)?$\" bauhof");
    EXPECT_TRUE(has_finding(r.findings, "administration/road/tileset.json", {"administration:bauhof.a.b"}));
    // What zwilling-bake does not write cannot be proven.
    r = with("        try_files $uri =404;", "        alias /srv/other/;\n        try_files $uri =404;");
    EXPECT_TRUE(has_finding(r.findings, "server/zwilling.conf", {"'alias' in a location", "cannot prove"}));
    r = with("server {", "server {\n    location ~ \\.glb$ {\n        try_files $uri =404;\n    }");
    EXPECT_TRUE(has_finding(r.findings, "server/zwilling.conf", {"not a plain prefix"}));
    fs::remove(b.out / "server" / "zwilling.conf");
    EXPECT_TRUE(has_finding(b.check().findings, "server/zwilling.conf", {"--server-config"}));
}

// Ids that would share a folder, a path or a rule with the bundle, or that nginx or a
// case-insensitive disk would read differently: refused by the one rule of the bake, the
// server configuration and the check, with the field and what to do.
TEST(BakeCheckConfinement, ReservedAndHostileLayerIdsAreRefused) {
    for (const char* ok : {"road", "roads", "bauhof", "a-b", "x_1", "lod2_gebaeude", "0", "import"})
        EXPECT_EQ(zw::bake::layer_id_problem(ok), "") << ok;
    const std::vector<std::string> hostile = {"scenarios", "server",
                                              "twin.json", "bake-report.json",
                                              "citizen",   "administration",
                                              "..",        ".",
                                              "a/b",       "a b",
                                              "Roads",     "m\xc3\xbcll",
                                              "a.*",       "a|b",
                                              "",          "-x",
                                              "_x",        std::string(65, 'a'),
                                              "a\nb",      std::string("a\0b", 3)};
    for (const std::string& id : hostile) {
        SCOPED_TRACE(zw::bake::printable_id(id));
        const std::string problem = zw::bake::layer_id_problem(id);
        EXPECT_NE(problem, "");
        ServedBundle b;
        b.admin["layers"].push_back(ServedBundle::layer(id));
        b.admin["departments"][0]["layers"].push_back(id);
        b.write_admin();
        try {
            b.write_config();
            ADD_FAILURE() << "the server configuration was written";
        } catch (const zw::Error& e) {
            const std::string m = e.what();
            EXPECT_NE(m.find("administration/twin.json': layers[7].id"), std::string::npos) << m;
            EXPECT_NE(m.find(problem), std::string::npos) << m;
        }
        json full = manifest("administration", json::array({layer_entry("buildings", "building", {"id"})}));
        full["layers"].push_back(layer_entry(id, "imported_model", {"id"}));
        write_file(b.tmp.path() / "check" / "twin.json", full.dump());
        const CheckReport c = zw::bake::check::check_twin(b.tmp.path() / "check");
        EXPECT_TRUE(has_finding(c.findings, "twin.json", {"layers[1].id", problem}));
    }
    EXPECT_NE(zw::bake::layer_id_problem("scenarios").find("every department"), std::string::npos);
}

// A manifest the rules could only confine by a name: refused, naming the field.
TEST(BakeCheckConfinement, ManifestsThatWouldShareAFolderAreRefused) {
    auto refused = [](const std::function<void(json&)>& change, const std::string& expected) {
        ServedBundle b;
        change(b.admin);
        b.write_admin();
        try {
            b.write_config();
        } catch (const zw::Error& e) {
            return std::string(e.what()).find(expected) != std::string::npos
                       ? ::testing::AssertionSuccess()
                       : ::testing::AssertionFailure() << e.what();
        }
        return ::testing::AssertionFailure() << "written";
    };
    EXPECT_TRUE(refused([](json& m) { m["scenarios"][0]["uri"] = "utilities/flood.json"; },
                        "scenarios[0].uri 'utilities/flood.json' lies in the folder of layer 'utilities'"));
    EXPECT_TRUE(refused([](json& m) { m["scenarios"][0]["results"] = "roads/"; },
                        "scenarios[0].results 'roads/' lies in the folder of layer 'roads'"));
    EXPECT_TRUE(
        refused([](json& m) { m["scenarios"][0]["uri"] = "flood.json"; }, "not in a folder of its own"));
    EXPECT_TRUE(refused([](json& m) { m["scenarios"][0]["uri"] = "scenarios/../utilities/x.json"; },
                        "not in a folder of its own"));
    EXPECT_TRUE(refused([](json& m) { m["layers"][1]["tileset"] = "roads/tileset.json"; },
                        "layers[1].tileset \"roads/tileset.json\" is not in the layer's folder 'road/'"));
    EXPECT_TRUE(refused([](json& m) { m["layers"][2]["graph"] = "road/graph.json"; },
                        "layers[2].graph \"road/graph.json\" is not in the layer's folder 'roads/'"));
    EXPECT_TRUE(refused([](json& m) { m["departments"][1]["layers"].push_back("planning"); },
                        "departments[1].layers names 'planning', which is not a layer of this twin"));
    EXPECT_TRUE(refused([](json& m) { m["departments"][1]["id"] = "bau.hof"; }, "cannot start a user name"));
    EXPECT_TRUE(refused([](json& m) { m["departments"][1]["id"] = "bauamt"; }, "'bauamt' is given twice"));
    EXPECT_TRUE(refused([](json& m) { m["layers"].push_back(ServedBundle::layer("road")); },
                        "layers[7].id 'road' is given twice"));
    // The check says the same of a scenario in a layer's folder, whatever the site grants.
    ServedBundle b;
    b.write_config();
    b.admin["scenarios"][0]["results"] = "utilities/";
    b.write_admin();
    EXPECT_TRUE(has_finding(b.check().findings, "administration/twin.json",
                            {"scenarios[0].results 'utilities/' lies in the folder of layer 'utilities'"}));
}

// TLS 1.3 or 1.2 with ECDHE and AEAD only, and HSTS: in the site as written.
TEST(BakeCheckConfinement, SiteAllowsOnlyModernTls) {
    ServedBundle b;
    b.write_config();
    const std::string text = b.config_text();
    EXPECT_NE(text.find("    ssl_protocols TLSv1.2 TLSv1.3;\n"), std::string::npos);
    const size_t at = text.find("    ssl_ciphers ");
    ASSERT_NE(at, std::string::npos);
    std::stringstream suites(text.substr(at + 16, text.find(';', at) - at - 16));
    int n = 0;
    for (std::string suite; std::getline(suites, suite, ':'); ++n) {
        EXPECT_EQ(suite.rfind("ECDHE-", 0), 0u) << suite;
        EXPECT_TRUE(suite.find("-GCM-") != std::string::npos ||
                    suite.find("CHACHA20-POLY1305") != std::string::npos)
            << suite;
    }
    EXPECT_GE(n, 2);
    EXPECT_NE(text.find("    add_header Strict-Transport-Security \"max-age=31536000\" always;\n"),
              std::string::npos);
}

}  // namespace
