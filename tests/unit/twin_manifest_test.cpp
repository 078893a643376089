// Twin manifests (engine/tiles/twin_manifest.h): what twin.json says, the messages for
// a wrong folder, and layer URIs that must stay inside the twin.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/core/error.h"
#include "engine/tiles/twin_manifest.h"
#include "tests/unit/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using zw::test::TempDir;

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    ASSERT_TRUE(out.good()) << path;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// A citizens' twin with a visible terrain layer and a hidden roads layer.
void write_twin(const fs::path& dir) {
    write_text(dir / "twin.json", R"J({"format": "zwilling-twin", "format_version": 1,
      "twin": {"id": "citizen", "audience": "public", "title_de": "Bürgerzwilling", "title_en": "Citizens' twin"},
      "town": {"name": "Weisendorf (synthetisch)", "synthetic": true, "description_de": "x", "description_en": "y",
               "seed": 7, "recipe": "assets/weisendorf.json", "future_key": [1, 2]},
      "crs": {"horizontal": "EPSG:25832", "vertical": "heights above sea level (DHHN2016)", "geoid_undulation_m": 47.5},
      "origin": {"easting": 630000, "northing": 5497000, "height": 300, "lat_deg": 49.617, "lon_deg": 10.833},
      "layers": [
      {"id": "terrain", "title_de": "Gelände", "title_en": "Terrain", "group": "base",
       "tileset": "terrain/tileset.json", "default_visible": true},
      {"id": "roads", "title_de": "Straßen", "title_en": "Roads", "group": "base",
       "tileset": "roads/tileset.json", "default_visible": false}]})J");
}

TEST(TwinManifest, ReadsTownTwinOriginAndLayers) {
    TempDir dir;
    write_twin(dir.path() / "citizen");
    for (const fs::path& p : {dir.path() / "citizen", dir.path() / "citizen" / "twin.json"}) {
        const zw::tiles::TwinInfo info = zw::tiles::read_twin(p);
        EXPECT_EQ(info.folder, dir.path() / "citizen");
        EXPECT_EQ(info.id, "citizen");
        EXPECT_EQ(info.title_de, "Bürgerzwilling");
        EXPECT_EQ(info.title_en, "Citizens' twin");
        EXPECT_EQ(info.town, "Weisendorf (synthetisch)");
        EXPECT_TRUE(info.synthetic);
        EXPECT_DOUBLE_EQ(info.origin.lat_deg, 49.617);
        EXPECT_DOUBLE_EQ(info.origin.lon_deg, 10.833);
        EXPECT_DOUBLE_EQ(info.origin.height_m, 347.5);  // height + geoid undulation
        ASSERT_EQ(info.layers.size(), 2u);
        EXPECT_EQ(info.layers[0].title_de, "Gelände");
        EXPECT_EQ(info.layers[0].tileset, "terrain/tileset.json");
        EXPECT_TRUE(info.layers[0].default_visible);
        EXPECT_FALSE(info.layers[1].default_visible);
    }
}

TEST(TwinManifest, WrongFolderSaysWhatToOpen) {
    TempDir dir;
    write_twin(dir.path() / "citizen");
    write_twin(dir.path() / "council");
    auto message = [](const fs::path& p) {
        try {
            zw::tiles::read_twin(p);
        } catch (const zw::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    // The bundle folder instead of one twin: name the twins in it.
    const std::string bundle = message(dir.path());
    EXPECT_TRUE(contains(bundle, "citizen") && contains(bundle, "council")) << bundle;
    fs::create_directories(dir.path() / "citizen" / "terrain");
    const std::string nothing = message(dir.path() / "citizen" / "terrain");
    EXPECT_TRUE(contains(nothing, "has no twin.json")) << nothing;
    const std::string missing = message(dir.path() / "nope");
    EXPECT_TRUE(contains(missing, "does not exist")) << missing;

    write_text(dir.path() / "other" / "twin.json", R"({"format": "something-else"})");
    EXPECT_TRUE(contains(message(dir.path() / "other"), "zwilling-twin")) << message(dir.path() / "other");
    write_text(dir.path() / "noorigin" / "twin.json", R"({"format": "zwilling-twin", "layers": []})");
    EXPECT_TRUE(contains(message(dir.path() / "noorigin"), "origin.lat_deg"))
        << message(dir.path() / "noorigin");
    write_text(dir.path() / "broken" / "twin.json", R"({"format": )");
    EXPECT_TRUE(contains(message(dir.path() / "broken"), "twin.json")) << message(dir.path() / "broken");
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

}  // namespace
