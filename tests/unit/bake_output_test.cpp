// The bake's staged output (app/bake/output_dir.h): a foreign folder is refused and left
// alone, an uncommitted bake leaves the previous output, and --twins writes only the
// twins asked for.
// Expectations come from geometry, geodesy or the documented contract (docs/twin-bundle.md,
// the headers), not from numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/bake/bundle.h"
#include "app/bake/output_dir.h"
#include "app/bake/recipe.h"
#include "bake_test_util.h"
#include "engine/core/error.h"
#include "temp_dir.h"

namespace {

using namespace zw::bake;
using zw::test::error_of;
using zw::test::read_text;
using zw::test::write_text;
namespace fs = std::filesystem;

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

}  // namespace
