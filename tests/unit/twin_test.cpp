// engine/twin: what twin.json says, URIs that must stay inside the twin, who sees which
// layer (the policy), and the credentials file.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "engine/core/error.h"
#include "engine/twin/credentials.h"
#include "engine/twin/manifest.h"
#include "engine/twin/policy.h"
#include "tests/unit/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using zw::test::TempDir;
using namespace zw::twin;

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    ASSERT_TRUE(out.good()) << path;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "no error";
}

const char* const citizen_json = R"J({"format": "zwilling-twin", "format_version": 1,
  "twin": {"id": "citizen", "audience": "public", "title_de": "Bürgerzwilling", "title_en": "Citizens' twin"},
  "town": {"name": "Weisendorf (synthetisch)", "synthetic": true, "description_de": "x", "description_en": "y",
           "seed": 7, "recipe": "assets/weisendorf.json", "future_key": [1, 2]},
  "crs": {"horizontal": "EPSG:25832", "vertical": "heights above sea level (DHHN2016)", "geoid_undulation_m": 47.5},
  "origin": {"easting": 630000, "northing": 5497000, "height": 300, "lat_deg": 49.617, "lon_deg": 10.833},
  "layers": [
  {"id": "terrain", "title_de": "Gelände", "title_en": "Terrain", "group": "base",
   "tileset": "terrain/tileset.json", "default_visible": true},
  {"id": "roads", "title_de": "Straßen", "title_en": "Roads", "group": "base",
   "tileset": "roads/tileset.json", "default_visible": false, "class": "road", "graph": "roads/graph.json",
   "attributes": [{"name": "id", "type": "string", "title_de": "Kennung", "title_en": "Id"},
                  {"name": "name", "type": "string", "title_de": "Name", "title_en": "Name"}],
   "legend": [{"color": "#4f5254", "label_de": "Hauptstraße", "label_en": "Main road"},
              {"color": "red", "label_de": "kaputt", "label_en": "broken"}]}],
  "scenarios": [{"id": "hq100", "kind": "flood", "title_de": "HQ100", "uri": "scenarios/hq100.json", "results": "scenarios/hq100", "public": true}]})J";

// An administration twin with three departments over five layers.
std::string administration_json() {
    return R"J({"format": "zwilling-twin",
  "twin": {"id": "administration", "audience": "staff", "title_de": "Verwaltungszwilling", "title_en": "Administration twin"},
  "town": {"name": "T"}, "origin": {"lat_deg": 49.6, "lon_deg": 10.8, "height": 300},
  "layers": [
   {"id": "terrain", "group": "base", "tileset": "terrain/tileset.json"},
   {"id": "buildings", "group": "base", "tileset": "buildings/tileset.json"},
   {"id": "planning", "group": "planning", "tileset": "planning/tileset.json"},
   {"id": "utilities", "group": "infrastructure", "tileset": "utilities/tileset.json"},
   {"id": "bridge", "group": "import", "tileset": "bridge/tileset.json"}],
  "departments": [
   {"id": "bauamt", "title_de": "Bauamt", "layers": ["planning", "terrain", "buildings", "bridge"]},
   {"id": "bauhof", "title_de": "Bauhof", "layers": ["terrain", "buildings", "utilities", "gone"]},
   {"id": "ordnungsamt", "title_de": "Ordnungsamt", "layers": ["terrain", "utilities"]}]})J";
}

std::vector<std::string> ids(const Grant& g) {
    std::vector<std::string> out;
    for (const Layer* l : g.layers)
        out.push_back(l->id);
    return out;
}

TEST(TwinManifest, ReadsTownTwinOriginLayersAndScenarios) {
    TempDir dir;
    write_text(dir.path() / "citizen" / "twin.json", citizen_json);
    for (const fs::path& p : {dir.path() / "citizen", dir.path() / "citizen" / "twin.json"}) {
        const Manifest m = load_manifest(p.string());
        EXPECT_EQ(m.root, (dir.path() / "citizen").string() + "/");
        EXPECT_EQ(m.id, "citizen");
        EXPECT_EQ(m.audience, Audience::public_);
        EXPECT_EQ(m.title_de, "Bürgerzwilling");
        EXPECT_EQ(m.town, "Weisendorf (synthetisch)");
        EXPECT_TRUE(m.synthetic);
        EXPECT_DOUBLE_EQ(m.origin.lat_deg, 49.617);
        EXPECT_DOUBLE_EQ(m.origin.height_m, 347.5);  // height + geoid undulation
        ASSERT_EQ(m.layers.size(), 2u);
        EXPECT_EQ(m.layers[0].tileset, (dir.path() / "citizen" / "terrain" / "tileset.json").string());
        EXPECT_TRUE(m.layers[0].default_visible);
        const Layer& roads = m.layers[1];
        EXPECT_EQ(roads.feature_class, "road");
        EXPECT_EQ(roads.graph, (dir.path() / "citizen" / "roads" / "graph.json").string());
        ASSERT_EQ(roads.attributes.size(), 2u);
        EXPECT_EQ(roads.attributes[0].title_de, "Kennung");
        ASSERT_EQ(roads.legend.size(), 1u);  // "red" is not #rrggbb: left out with a warning
        EXPECT_EQ(roads.legend[0].rgb, 0x4f5254u);
        EXPECT_EQ(m.warnings.size(), 1u);
        ASSERT_EQ(m.scenarios.size(), 1u);
        EXPECT_TRUE(m.scenarios[0].is_public);
        EXPECT_EQ(m.scenarios[0].uri, (dir.path() / "citizen" / "scenarios" / "hq100.json").string());
        EXPECT_EQ(m.scenarios[0].results, (dir.path() / "citizen" / "scenarios" / "hq100").string() + "/");
    }
}

TEST(TwinManifest, ServedTwinResolvesAgainstItsOrigin) {
    EXPECT_EQ(manifest_uri("https://twin.example.org/citizen/"),
              "https://twin.example.org/citizen/twin.json");
    EXPECT_EQ(manifest_uri("https://twin.example.org/citizen"), "https://twin.example.org/citizen/twin.json");
    EXPECT_EQ(manifest_uri("https://h/council/twin.json"), "https://h/council/twin.json");
    const Manifest m = parse_manifest(citizen_json, "https://twin.example.org:8443/citizen/twin.json");
    EXPECT_EQ(m.root, "https://twin.example.org:8443/citizen/");
    EXPECT_EQ(m.layers[1].tileset, "https://twin.example.org:8443/citizen/roads/tileset.json");
}

TEST(TwinManifest, UrisThatLeaveTheTwinAreRefused) {
    const std::string root = "https://h/citizen/";
    const std::string base = root + "twin.json";
    EXPECT_EQ(resolve_confined(root, base, "a/./b%20c.json", "x"), "https://h/citizen/a/b%20c.json");
    EXPECT_EQ(resolve_confined(root, base, "a/../b.json", "x"), "https://h/citizen/b.json");
    for (const char* bad :
         {"../council/twin.json", "a/../../council/x", "%2e%2e/council/x", "a/%2E%2E/%2e%2e/x",
          "..%2fcouncil/x", "/citizen/x", "//evil.example/x", "https://evil.example/x", "http://h/citizen/x",
          "file:///etc/passwd", "data:,x", "", "a\\..\\..\\x", "a/%5c..%5c../x"})
        EXPECT_THROW(resolve_confined(root, base, bad, "layers[0].tileset"), zw::Error) << bad;
    // The same on disk.
    for (const char* bad : {"../council/twin.json", "%2e%2e/x", "/etc/passwd", "C:/x", "file:///x"})
        EXPECT_THROW(resolve_confined("/data/citizen/", "/data/citizen/twin.json", bad, "x"), zw::Error)
            << bad;

    // In a manifest, the message names the field.
    std::string text = citizen_json;
    text.replace(text.find("roads/tileset.json"), 18, "../administration/utilities/tileset.json");
    const std::string e = error_of([&] { parse_manifest(text, "/data/citizen/twin.json"); });
    EXPECT_TRUE(contains(e, "layers[1].tileset") && contains(e, "outside")) << e;
    text = citizen_json;
    text.replace(text.find("scenarios/hq100.json"), 20, "https://evil.example/s.json");
    const std::string e2 = error_of([&] { parse_manifest(text, "/data/citizen/twin.json"); });
    EXPECT_TRUE(contains(e2, "scenarios[0].uri")) << e2;
    text = citizen_json;
    text.replace(text.find(R"("results": "scenarios/hq100")"), 28, R"("results": "../council/scenarios/")");
    const std::string e3 = error_of([&] { parse_manifest(text, "/data/citizen/twin.json"); });
    EXPECT_TRUE(contains(e3, "scenarios[0].results") && contains(e3, "outside")) << e3;
}

TEST(TwinManifest, MessagesNameTheField) {
    auto message = [](const std::string& text) {
        return error_of([&] { parse_manifest(text, "/t/twin.json"); });
    };
    std::string t = citizen_json;
    t.replace(t.find(R"("audience": "public")"), 20, R"("audience": "staff")");
    EXPECT_TRUE(contains(message(t), "twin.audience")) << message(t);
    t = citizen_json;
    t.replace(t.find(R"("id": "roads")"), 13, R"("id": "terrain")");
    EXPECT_TRUE(contains(message(t), "layers[1].id")) << message(t);
    t = citizen_json;
    t.replace(t.find(R"("default_visible": false)"), 24, R"("default_visible": "no")");
    EXPECT_TRUE(contains(message(t), "layers[1].default_visible")) << message(t);
    EXPECT_TRUE(contains(message(R"({"format": "something-else"})"), "zwilling-twin"));
    EXPECT_TRUE(contains(message(R"({"format": )"), "not valid JSON"));
    EXPECT_TRUE(contains(message(std::string(5000, '[') + std::string(5000, ']')), "deeper"));
    const std::string no_origin = message(R"({"format": "zwilling-twin",
        "twin": {"id": "citizen", "audience": "public"}, "layers": []})");
    EXPECT_TRUE(contains(no_origin, "origin.lat_deg")) << no_origin;
    // Departments belong to the administration twin only.
    t = citizen_json;
    t.insert(t.rfind('}'), R"(, "departments": [{"id": "bauhof", "layers": ["terrain"]}])");
    EXPECT_TRUE(contains(message(t), "departments")) << message(t);
}

TEST(TwinManifest, WrongFolderSaysWhatToOpen) {
    TempDir dir;
    write_text(dir.path() / "citizen" / "twin.json", citizen_json);
    write_text(dir.path() / "council" / "twin.json", citizen_json);
    const std::string bundle = error_of([&] { manifest_uri(dir.path().string()); });
    EXPECT_TRUE(contains(bundle, "citizen") && contains(bundle, "council") &&
                contains(bundle, "bundle folder"))
        << bundle;
    fs::create_directories(dir.path() / "citizen" / "terrain");
    const std::string nothing =
        error_of([&] { manifest_uri((dir.path() / "citizen" / "terrain").string()); });
    EXPECT_TRUE(contains(nothing, "has no twin.json")) << nothing;
    const std::string missing = error_of([&] { manifest_uri((dir.path() / "nope").string()); });
    EXPECT_TRUE(contains(missing, "no such file or folder")) << missing;
}

TEST(TwinPolicy, EachTwinAndDepartmentSeesExactlyItsLayers) {
    const Manifest citizen = parse_manifest(citizen_json, "/t/citizen/twin.json");
    EXPECT_EQ(ids(grant(citizen, "")), (std::vector<std::string>{"terrain", "roads"}));
    EXPECT_TRUE(contains(error_of([&] { grant(citizen, "bauhof"); }), "no departments"));

    const Manifest admin = parse_manifest(administration_json(), "/t/administration/twin.json");
    // Drawing order of the twin, not the department's listing order; unknown ids skipped.
    EXPECT_EQ(ids(grant(admin, "bauamt")),
              (std::vector<std::string>{"terrain", "buildings", "planning", "bridge"}));
    EXPECT_EQ(ids(grant(admin, "bauhof")), (std::vector<std::string>{"terrain", "buildings", "utilities"}));
    EXPECT_EQ(ids(grant(admin, "ordnungsamt")), (std::vector<std::string>{"terrain", "utilities"}));
    EXPECT_EQ(grant(admin, "bauhof").department->title_de, "Bauhof");
    const std::string none = error_of([&] { grant(admin, ""); });
    EXPECT_TRUE(contains(none, "--department") && contains(none, "bauamt") && contains(none, "ordnungsamt"))
        << none;
    const std::string wrong = error_of([&] { grant(admin, "kaemmerei"); });
    EXPECT_TRUE(contains(wrong, "kaemmerei") && contains(wrong, "bauhof")) << wrong;

    const Grant g = grant(admin, "bauamt");
    EXPECT_EQ(group_order(g.layers), (std::vector<std::string>{"base", "planning", "import"}));
}

TEST(TwinPolicy, TheBakedSampleTownGrantsWhatTheDocsSay) {
    // Runs as ctest town.policy, after the bake fixture, with ZW_TOWN_DIR set; the plain
    // unit-test run has no baked town and skips it.
    const char* dir = std::getenv("ZW_TOWN_DIR");
    if (!dir) GTEST_SKIP() << "ZW_TOWN_DIR not set (ctest runs this as town.policy)";
    ASSERT_TRUE(fs::exists(fs::path(dir) / "administration" / "twin.json")) << dir;
    const Manifest admin = load_manifest((fs::path(dir) / "administration").string());
    std::set<std::string> all;
    for (const Layer& l : admin.layers)
        all.insert(l.id);
    EXPECT_TRUE(all.count("utilities") && all.count("planning"));
    for (const Department& d : admin.departments) {
        const Grant g = grant(admin, d.id);
        const bool utilities =
            std::any_of(g.layers.begin(), g.layers.end(), [](auto* l) { return l->id == "utilities"; });
        EXPECT_EQ(utilities, d.id == "bauhof" || d.id == "ordnungsamt") << d.id;
    }
    for (const char* twin : {"citizen", "council"}) {
        const Manifest m = load_manifest((fs::path(dir) / twin).string());
        for (const Layer* l : grant(m, "").layers)
            EXPECT_NE(l->id, "utilities") << twin;
        EXPECT_TRUE(m.departments.empty()) << twin;
    }
}

TEST(TwinCredentials, ReadsUserAndPasswordFromAPrivateFile) {
    TempDir dir;
    const fs::path f = dir.path() / "cred";
    write_text(f, "\nbauhof.meier:pa:ss word\r\n");
    ::chmod(f.c_str(), 0600);
    const zw::core::Credentials c = read_credentials_file(f.string());
    EXPECT_EQ(c.user, "bauhof.meier");
    EXPECT_EQ(c.password, "pa:ss word");

    ::chmod(f.c_str(), 0644);
    const std::string open = error_of([&] { read_credentials_file(f.string()); });
    EXPECT_TRUE(contains(open, "chmod 600") && contains(open, "644")) << open;
    write_text(f, "no colon here\n");
    ::chmod(f.c_str(), 0600);
    EXPECT_TRUE(contains(error_of([&] { read_credentials_file(f.string()); }), "user:password"));
    write_text(f, "");
    EXPECT_TRUE(contains(error_of([&] { read_credentials_file(f.string()); }), "empty"));
    EXPECT_TRUE(
        contains(error_of([&] { read_credentials_file((dir.path() / "missing").string()); }), "cannot read"));
}

}  // namespace
