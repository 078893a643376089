#include "engine/core/uri.h"

#include <filesystem>

#include <gtest/gtest.h>

using namespace zw::core;

TEST(Uri, Schemes) {
    EXPECT_TRUE(is_http("http://a/b"));
    EXPECT_TRUE(is_http("HTTPS://a/b"));
    EXPECT_FALSE(is_http("file:///a"));
    EXPECT_FALSE(is_http("/http/x"));
    EXPECT_TRUE(is_file_uri("file:///a/b"));
    EXPECT_TRUE(is_file_uri("FILE:///a/b"));
    EXPECT_FALSE(is_file_uri("/a/file"));
}

// RFC 3986 section 5.4.1, the normal examples (those this viewer can meet).
TEST(Uri, ResolveRfcExamples) {
    const std::string base = "http://a/b/c/d;p?q";
    EXPECT_EQ(resolve_uri(base, "g"), "http://a/b/c/g");
    EXPECT_EQ(resolve_uri(base, "./g"), "http://a/b/c/g");
    EXPECT_EQ(resolve_uri(base, "g/"), "http://a/b/c/g/");
    EXPECT_EQ(resolve_uri(base, "/g"), "http://a/g");
    EXPECT_EQ(resolve_uri(base, "//g"), "http://g");
    EXPECT_EQ(resolve_uri(base, "?y"), "http://a/b/c/d;p?y");
    EXPECT_EQ(resolve_uri(base, "g?y"), "http://a/b/c/g?y");
    EXPECT_EQ(resolve_uri(base, "#s"), "http://a/b/c/d;p?q#s");
    EXPECT_EQ(resolve_uri(base, ""), "http://a/b/c/d;p?q");
    EXPECT_EQ(resolve_uri(base, "."), "http://a/b/c/");
    EXPECT_EQ(resolve_uri(base, ".."), "http://a/b/");
    EXPECT_EQ(resolve_uri(base, "../g"), "http://a/b/g");
    EXPECT_EQ(resolve_uri(base, "../../g"), "http://a/g");
    EXPECT_EQ(resolve_uri(base, "../../../g"), "http://a/g");
    EXPECT_EQ(resolve_uri(base, "g;x=1/../y"), "http://a/b/c/y");
}

TEST(Uri, ResolveTilesetCases) {
    const std::string base = "https://tiles.example.org/town/tileset.json?key=abc";
    EXPECT_EQ(resolve_uri(base, "a/b.glb"), "https://tiles.example.org/town/a/b.glb");
    EXPECT_EQ(resolve_uri(base, "../x.glb"), "https://tiles.example.org/x.glb");
    EXPECT_EQ(resolve_uri(base, "/abs/t.glb"), "https://tiles.example.org/abs/t.glb");
    EXPECT_EQ(resolve_uri(base, "//cdn.example.org/p.glb"), "https://cdn.example.org/p.glb");
    EXPECT_EQ(resolve_uri(base, "t.glb?v=2"), "https://tiles.example.org/town/t.glb?v=2");
    // Absolute references are kept, whatever the base.
    EXPECT_EQ(resolve_uri(base, "http://other/x.glb"), "http://other/x.glb");
    EXPECT_EQ(resolve_uri("/data/tileset.json", "https://x/y.glb"), "https://x/y.glb");
    EXPECT_EQ(resolve_uri(base, "data:application/octet-stream;base64,AAAA"),
              "data:application/octet-stream;base64,AAAA");
    // Escapes and template braces stay as they are in URIs.
    EXPECT_EQ(resolve_uri(base, "a%20b/content_{level}__{x}_{y}.glb"),
              "https://tiles.example.org/town/a%20b/content_{level}__{x}_{y}.glb");
}

TEST(Uri, ResolveFileUris) {
    EXPECT_EQ(resolve_uri("file:///data/town/tileset.json", "tiles/0.glb"), "file:///data/town/tiles/0.glb");
    EXPECT_EQ(resolve_uri("file:///data/town/tileset.json", "../../../x.glb"), "file:///x.glb");
    EXPECT_EQ(resolve_uri("file:///data/town/tileset.json", "a%20b.glb"), "file:///data/town/a%20b.glb");
}

TEST(Uri, ResolvePlainPaths) {
    EXPECT_EQ(resolve_uri("/data/town/tileset.json", "tiles/0.glb"), "/data/town/tiles/0.glb");
    EXPECT_EQ(resolve_uri("/data/town/tileset.json", "./tiles/../1.glb"), "/data/town/1.glb");
    EXPECT_EQ(resolve_uri("/data/town/tileset.json", "/other/2.glb"), "/other/2.glb");
    EXPECT_EQ(resolve_uri("/data/tileset.json", "../../../x.glb"), "/x.glb");
    // A relative base stays relative, with the ".." that climb above it.
    EXPECT_EQ(resolve_uri("town/tileset.json", "a/b.glb"), "town/a/b.glb");
    EXPECT_EQ(resolve_uri("tileset.json", "../x.glb"), "../x.glb");
    EXPECT_EQ(resolve_uri("tileset.json", "x.glb"), "x.glb");
    // The result names a file: escapes are decoded, a query dropped, braces kept.
    EXPECT_EQ(resolve_uri("/data/tileset.json", "a%20b.glb?v=1"), "/data/a b.glb");
    EXPECT_EQ(resolve_uri("/data/tileset.json", "content/content_{level}__{x}_{y}.glb"),
              "/data/content/content_{level}__{x}_{y}.glb");
    // Resolving against a result again (a glTF buffer next to its tile).
    EXPECT_EQ(resolve_uri(resolve_uri("/d/tileset.json", "sub/t.gltf"), "t.bin"), "/d/sub/t.bin");
}

TEST(Uri, PercentDecode) {
    EXPECT_EQ(percent_decode("a%20b%2Fc"), "a b/c");
    EXPECT_EQ(percent_decode("100%"), "100%");
    EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
    EXPECT_EQ(percent_decode("%C3%A4"), "\xC3\xA4");
}

TEST(Uri, FilePathOf) {
    EXPECT_EQ(file_path_of("file:///data/a%20b.glb"), "/data/a b.glb");
    EXPECT_EQ(file_path_of("file://localhost/data/x.glb"), "/data/x.glb");
    EXPECT_EQ(file_path_of("file:///data/x.glb?v=1#f"), "/data/x.glb");
    EXPECT_EQ(file_path_of("file://server/share/x.glb"), "");
    EXPECT_EQ(file_path_of("/data/content_{level}.glb"), "/data/content_{level}.glb");
    EXPECT_EQ(file_path_of("rel/x.glb"), "rel/x.glb");
    EXPECT_EQ(file_path_of("https://a/b.glb"), "");
    EXPECT_EQ(file_path_of("data:text/plain,hi"), "");
}

TEST(Uri, Normalize) {
    EXPECT_EQ(normalize_uri("https://a/b/tileset.json"), "https://a/b/tileset.json");
    EXPECT_EQ(normalize_uri("file:/data/./x/../tileset.json"), "file:///data/tileset.json");
    EXPECT_EQ(normalize_uri("file://localhost/data/tileset.json"), "file:///data/tileset.json");
    EXPECT_EQ(normalize_uri("/data/./town/../tileset.json"), "/data/tileset.json");
    const std::string rel = normalize_uri("town/tileset.json");
    EXPECT_EQ(rel,
              (std::filesystem::current_path() / "town/tileset.json").lexically_normal().generic_string());
    EXPECT_EQ(normalize_uri(""), "");
}

TEST(Uri, DisplayHidesSecrets) {
    EXPECT_EQ(display_uri("https://user:pw@tiles.example.org/t/tileset.json?key=secret#x"),
              "https://tiles.example.org/t/tileset.json");
    EXPECT_EQ(display_uri("/data/odd?name.json"), "/data/odd?name.json");
    EXPECT_EQ(display_uri("file:///data/tileset.json"), "file:///data/tileset.json");
}

TEST(Uri, InsideRootRefusesEscapes) {
    using zw::core::uri_inside;
    EXPECT_TRUE(uri_inside("https://h/citizen/", "https://h/citizen/roads/L0_0_0.glb"));
    EXPECT_TRUE(uri_inside("https://h/citizen/", "https://h/citizen/a%20b.glb?v=1"));
    EXPECT_TRUE(uri_inside("/data/citizen/", "/data/citizen/terrain/tileset.json"));
    EXPECT_FALSE(uri_inside("https://h/citizen/", "https://h/council/twin.json"));
    EXPECT_FALSE(uri_inside("https://h/citizen/", "https://h/citizen"));           // the folder itself
    EXPECT_FALSE(uri_inside("https://h/citizen/", "https://h/citizenx/a.glb"));    // a sibling folder
    EXPECT_FALSE(uri_inside("https://h/citizen/", "https://evil/citizen/a.glb"));  // another host
    EXPECT_FALSE(uri_inside("https://h/citizen/", "https://h/citizen/%2e%2e/council/twin.json"));
    EXPECT_FALSE(uri_inside("https://h/citizen/", "https://h/citizen/a/%2E%2E/%2e%2E/x"));
    EXPECT_FALSE(uri_inside("https://h/citizen/", "https://h/citizen/..%2fcouncil/x"));
    EXPECT_FALSE(uri_inside("https://h/citizen/", "https://h/citizen/a%5c..%5c..%5cx"));
    EXPECT_FALSE(uri_inside("https://h/citizen/", "https://h/citizen/a%00.glb"));
    EXPECT_FALSE(uri_inside("/data/citizen/", "/data/citizen/../council/x"));
    EXPECT_FALSE(uri_inside("/data/citizen", "/data/citizen/x"));  // a root must end in '/'
    EXPECT_EQ(zw::core::uri_folder("https://h/a/twin.json?x=1"), "https://h/a/");
    EXPECT_EQ(zw::core::uri_folder("/data/citizen/twin.json"), "/data/citizen/");
}
