// Command-line parsing of the viewer.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "app/viewer/options.h"

namespace {

using zw::viewer::parse_options;
using zw::viewer::ParseResult;

ParseResult parse(std::vector<std::string> args) {
    return parse_options(args);
}

// The parse failed with a message that names `option`.
void expect_error_naming(const std::vector<std::string>& args, const std::string& option) {
    const ParseResult r = parse_options(args);
    std::string joined;
    for (const auto& a : args)
        joined += a + " ";
    ASSERT_FALSE(r.error.empty()) << "accepted: " << joined;
    EXPECT_NE(r.error.find(option), std::string::npos) << "'" << r.error << "' for: " << joined;
}

TEST(Options, Defaults) {
    const ParseResult r = parse({});
    ASSERT_TRUE(r.error.empty()) << r.error;
    const auto& o = r.options;
    EXPECT_TRUE(o.model.empty());
    EXPECT_FALSE(o.headless);
    EXPECT_EQ(o.width, 1280u);
    EXPECT_EQ(o.height, 720u);
    EXPECT_EQ(o.frames, 0u);
    EXPECT_EQ(o.fixed_dt, 0.0);
    EXPECT_FALSE(o.camera.has_value());
    EXPECT_TRUE(o.screenshot.empty());
    EXPECT_FALSE(o.validation);
    EXPECT_TRUE(o.gpu.empty());
    EXPECT_TRUE(o.ui);
    EXPECT_TRUE(o.vsync);
    EXPECT_EQ(o.samples, 4u);
    EXPECT_FALSE(o.help);
}

TEST(Options, Size) {
    const ParseResult r = parse({"--size", "1920x1080"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.width, 1920u);
    EXPECT_EQ(r.options.height, 1080u);
}

TEST(Options, BadSizeIsAnError) {
    for (const char* bad : {"1920", "1920x", "x1080", "0x1080", "1920x0", "1920*1080", "wide x high", "-5x10",
                            "1920x1080x3", ""})
        expect_error_naming({"--size", bad}, "--size");
    expect_error_naming({"--size"}, "--size");  // no value
}

TEST(Options, Frames) {
    const ParseResult r = parse({"--frames", "42"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.frames, 42u);
}

TEST(Options, BadFramesIsAnError) {
    for (const char* bad : {"0", "-3", "2.5", "many", "", "10frames"})
        expect_error_naming({"--frames", bad}, "--frames");
    expect_error_naming({"--frames"}, "--frames");
}

TEST(Options, HeadlessDefaultsToSixFrames) {
    const ParseResult r = parse({"--headless"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_TRUE(r.options.headless);
    EXPECT_EQ(r.options.frames, 6u)
        << "ImGui sizes a panel over two frames, the docked layout places it in a third";

    // An explicit count wins, in either order.
    EXPECT_EQ(parse({"--headless", "--frames", "10"}).options.frames, 10u);
    EXPECT_EQ(parse({"--frames", "1", "--headless"}).options.frames, 1u);
}

TEST(Options, PresenterKeysFullscreenAndMonitor) {
    const ParseResult r =
        parse({"--headless", "--press", "h,f1", "--press", "space", "--fullscreen", "--monitor", "2"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.press, (std::vector<std::string>{"h", "f1", "space"}));
    EXPECT_TRUE(r.options.fullscreen);
    EXPECT_EQ(r.options.monitor, 2u);
    EXPECT_FALSE(r.options.panels_given);
    EXPECT_TRUE(parse({"--panels", "stats"}).options.panels_given);
    EXPECT_FALSE(parse({"--press", "x"}).error.empty()) << "an unknown key is refused";
    EXPECT_FALSE(parse({"--monitor", "0"}).error.empty()) << "monitors count from 1";
}

TEST(Options, ReportAndItsDate) {
    const ParseResult r = parse({"--headless", "--report", "--date", "2026-12-06"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_TRUE(r.options.report);
    EXPECT_EQ(r.options.date, "2026-12-06");
    EXPECT_FALSE(parse({"--date", "6.12.2026"}).error.empty());
    EXPECT_FALSE(parse({"--date", "2026-13-01"}).error.empty());
    EXPECT_FALSE(parse({"--date", "2026-12-06x"}).error.empty());
}

TEST(Options, Camera) {
    const ParseResult r = parse({"--camera", "1,2.5,-3,40,5e1,0"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    ASSERT_TRUE(r.options.camera.has_value());
    const std::array<double, 6> want{1, 2.5, -3, 40, 50, 0};
    EXPECT_EQ(*r.options.camera, want);
}

TEST(Options, CameraNeedsSixNumbers) {
    for (const char* bad : {"1,2,3,4,5", "1,2,3,4,5,6,7", "1,2,3,4,5,x", "", "1;2;3;4;5;6"})
        expect_error_naming({"--camera", bad}, "--camera");
}

TEST(Options, UnknownOptionIsNamed) {
    expect_error_naming({"--bogus"}, "--bogus");
    expect_error_naming({"scene.glb", "--headles"}, "--headles");
}

TEST(Options, ModelFile) {
    const ParseResult r = parse({"--headless", "city.glb", "--no-ui"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.model, "city.glb");
    EXPECT_FALSE(r.options.ui);
}

TEST(Options, TwoModelFilesAreAnError) {
    const ParseResult r = parse({"a.glb", "b.gltf"});
    ASSERT_FALSE(r.error.empty());
    EXPECT_NE(r.error.find("a.glb"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("b.gltf"), std::string::npos) << r.error;
}

TEST(Options, Msaa) {
    for (uint32_t n : {1u, 2u, 4u, 8u}) {
        const ParseResult r = parse({"--msaa", std::to_string(n)});
        ASSERT_TRUE(r.error.empty()) << r.error;
        EXPECT_EQ(r.options.samples, n);
    }
    for (const char* bad : {"3", "0", "16", "four"})
        expect_error_naming({"--msaa", bad}, "--msaa");
}

TEST(Options, SunTakesALocalDateAndTime) {
    EXPECT_TRUE(parse({}).options.sun.empty());  // the renderer's default light, goldens unchanged
    const ParseResult r = parse({"--sun", "2026-06-21T17:00"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.sun, "2026-06-21T17:00");
    for (const char* bad :
         {"17:00", "2026-06-21", "2026-06-21 17:00", "2026-02-30T12:00", "2026-06-21T25:00"}) {
        expect_error_naming({"--sun", bad}, "--sun");
        EXPECT_NE(parse({"--sun", bad}).error.find("YYYY-MM-DDTHH:MM"), std::string::npos) << bad;
    }
}

TEST(Options, Flags) {
    const ParseResult r = parse(
        {"--validation", "--no-vsync", "--gpu", "RTX", "--screenshot", "out/shot.png", "--fixed-dt", "0.02"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_TRUE(r.options.validation);
    EXPECT_FALSE(r.options.vsync);
    EXPECT_EQ(r.options.gpu, "RTX");
    EXPECT_EQ(r.options.screenshot, "out/shot.png");
    EXPECT_DOUBLE_EQ(r.options.fixed_dt, 0.02);
    EXPECT_TRUE(parse({"--help"}).options.help);
}

TEST(Options, TwinAndTilesets) {
    const ParseResult r =
        parse({"--twin", "out/town/citizen", "--tileset", "a/tileset.json", "--tileset", "b/tileset.json"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.twin, "out/town/citizen");
    const std::vector<std::string> want{"a/tileset.json", "b/tileset.json"};
    EXPECT_EQ(r.options.tilesets, want);
    EXPECT_TRUE(r.options.model.empty());
    EXPECT_TRUE(parse({}).options.twin.empty());
    EXPECT_TRUE(parse({}).options.tilesets.empty());
}

TEST(Options, BadTwinOrTilesetIsAnError) {
    expect_error_naming({"--twin"}, "--twin");
    expect_error_naming({"--twin", ""}, "--twin");
    expect_error_naming({"--twin", "a", "--twin", "b"}, "--twin");
    expect_error_naming({"--tileset"}, "--tileset");
    expect_error_naming({"--tileset", ""}, "--tileset");
    // A model file and a twin at once: which one?
    expect_error_naming({"town.glb", "--twin", "out/town/citizen"}, "--twin");
    expect_error_naming({"--tileset", "t.json", "town.glb"}, "town.glb");
}

TEST(Options, CameraPresets) {
    for (const char* preset : {"above", "oblique", "street"}) {
        const ParseResult r = parse({"--camera", preset});
        ASSERT_TRUE(r.error.empty()) << r.error;
        EXPECT_EQ(r.options.camera_preset, preset);
        EXPECT_FALSE(r.options.camera.has_value());
    }
    // The last --camera wins, whichever form.
    const ParseResult numbers_last = parse({"--camera", "street", "--camera", "1,2,3,4,5,6"});
    ASSERT_TRUE(numbers_last.error.empty()) << numbers_last.error;
    EXPECT_TRUE(numbers_last.options.camera.has_value());
    EXPECT_TRUE(numbers_last.options.camera_preset.empty());
    const ParseResult preset_last = parse({"--camera", "1,2,3,4,5,6", "--camera", "above"});
    EXPECT_FALSE(preset_last.options.camera.has_value());
    EXPECT_EQ(preset_last.options.camera_preset, "above");
    for (const char* bad : {"Above", "top", "street,1"})
        expect_error_naming({"--camera", bad}, "--camera");
}

TEST(Options, UsageDocumentsTwinAndCameraPresets) {
    const std::string u = zw::viewer::usage();
    for (const char* s : {"--twin DIR", "--tileset URI", "--wait-full-detail", "--camera above",
                          "--camera street", "east-north-up"})
        EXPECT_NE(u.find(s), std::string::npos) << s;
}

TEST(Options, BadFixedDtIsAnError) {
    for (const char* bad : {"0", "-0.1", "soon", "100"})
        expect_error_naming({"--fixed-dt", bad}, "--fixed-dt");
}

TEST(Options, TwinAccessOptions) {
    const auto r = parse({"--twin", "https://h/administration/", "--department", "bauhof", "--lang", "en",
                          "--ca-file", "ca.pem", "--panels", "layers,inspector"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.department, "bauhof");
    EXPECT_EQ(r.options.lang, "en");
    EXPECT_EQ(r.options.ca_file, "ca.pem");
    EXPECT_TRUE(r.options.panel_layers && r.options.panel_inspector);
    EXPECT_FALSE(r.options.panel_stats || r.options.panel_tiles);
    EXPECT_EQ(parse({}).options.lang, "de");
    EXPECT_NE(parse({"--lang", "fr"}).error.find("de or en"), std::string::npos);
    EXPECT_NE(parse({"--panels", "stats,bogus"}).error.find("bogus"), std::string::npos);
    EXPECT_NE(parse({"--department", "bauhof"}).error.find("--twin"), std::string::npos);
    // A password on the command line is refused: it would be visible to every user.
    const auto pw = parse({"--twin", "https://h/citizen/", "--credentials", "citizen:secret"});
    EXPECT_NE(pw.error.find("not the password itself"), std::string::npos) << pw.error;
}

TEST(Options, PickNeedsHeadlessAndAPixelInTheImage) {
    const auto r = parse({"--headless", "--size", "640x480", "--pick", "320,200"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ((*r.options.pick)[0], 320u);
    EXPECT_EQ((*r.options.pick)[1], 200u);
    EXPECT_NE(parse({"--pick", "1,2"}).error.find("--headless"), std::string::npos);
    EXPECT_NE(parse({"--headless", "--size", "640x480", "--pick", "640,10"}).error.find("outside"),
              std::string::npos);
    EXPECT_NE(parse({"--headless", "--pick", "12"}).error.find("X,Y"), std::string::npos);
}

TEST(Options, FloodScenarios) {
    const auto r = parse({"--twin", "out/town/council", "--flood", "hq100-baseline", "--flood-compare",
                          "hq100-measures", "--flood-split", "0.4", "--flood-time", "10800", "--panels",
                          "flood", "--export-dir", "/tmp/x"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    const auto& o = r.options;
    EXPECT_EQ(o.flood, "hq100-baseline");
    EXPECT_EQ(o.flood_compare, "hq100-measures");
    EXPECT_DOUBLE_EQ(*o.flood_split, 0.4);
    EXPECT_DOUBLE_EQ(*o.flood_time, 10800.0);
    EXPECT_EQ(o.export_dir, "/tmp/x");
    EXPECT_TRUE(o.panel_flood);
    EXPECT_FALSE(o.panel_layers || o.panel_stats || o.panel_tiles || o.panel_inspector);
    EXPECT_TRUE(parse({}).options.panel_flood) << "open by default";
    EXPECT_EQ(parse({}).options.export_dir, ".");
    EXPECT_FALSE(parse({"--panels", "layers"}).options.panel_flood);
}

TEST(Options, TrafficScenario) {
    const auto r = parse({"--twin", "out/town/council", "--traffic", "baseline", "--panels", "traffic"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.traffic, "baseline");
    EXPECT_TRUE(r.options.panel_traffic);
    EXPECT_FALSE(r.options.panel_flood || r.options.panel_layers);
    EXPECT_TRUE(parse({}).options.panel_traffic) << "open by default";
    EXPECT_FALSE(parse({"--panels", "flood"}).options.panel_traffic);
    expect_error_naming({"--traffic", "baseline"}, "--twin");
    expect_error_naming({"--twin", "out/town/council", "--traffic", ""}, "traffic scenario id");
    const auto t = parse({"--twin", "out/town/council", "--traffic", "baseline", "--traffic-time", "5400"});
    ASSERT_TRUE(t.error.empty()) << t.error;
    EXPECT_DOUBLE_EQ(*t.options.traffic_time, 5400.0);
    expect_error_naming({"--twin", "out/town/council", "--traffic-time", "60"}, "--traffic ID");
    expect_error_naming({"--twin", "out/town/council", "--traffic", "b", "--traffic-time", "-1"},
                        "--traffic-time");
    expect_error_naming({"--twin", "out/town/council", "--traffic", "b", "--traffic-time", "60", "--flood",
                         "a", "--flood-time", "60"},
                        "--flood-time");
}

TEST(Options, TrafficRoadsColouring) {
    EXPECT_EQ(parse({}).options.traffic_roads, "off") << "roads are not coloured unless asked";
    for (const char* mode : {"off", "speed", "flow", "los"}) {
        const auto r =
            parse({"--twin", "out/town/council", "--traffic", "baseline", "--traffic-roads", mode});
        ASSERT_TRUE(r.error.empty()) << mode << ": " << r.error;
        EXPECT_EQ(r.options.traffic_roads, mode);
    }
    for (const char* bad : {"LOS", "speed,flow", "", "level"})
        expect_error_naming({"--twin", "out/town/council", "--traffic", "b", "--traffic-roads", bad},
                            "--traffic-roads");
    expect_error_naming({"--twin", "out/town/council", "--traffic-roads", "speed"}, "--traffic ID");
}

// --traffic-close EDGE[@FROM]: the live what-if at startup.
TEST(Options, TrafficClose) {
    const std::vector<std::string> base = {"--twin", "out/town/council", "--traffic", "traffic-baseline"};
    auto with = [&](std::vector<std::string> more) {
        std::vector<std::string> args = base;
        args.insert(args.end(), more.begin(), more.end());
        return parse(args);
    };
    const auto plain = with({"--traffic-close", "e12"});
    ASSERT_TRUE(plain.error.empty()) << plain.error;
    EXPECT_EQ(plain.options.traffic_close_edge, "e12");
    EXPECT_FALSE(plain.options.traffic_close_from_s);
    const auto hmm = with({"--traffic-close=-e12@7:05"});
    ASSERT_TRUE(hmm.error.empty()) << hmm.error;
    EXPECT_EQ(hmm.options.traffic_close_edge, "-e12");
    EXPECT_DOUBLE_EQ(*hmm.options.traffic_close_from_s, 25500.0);
    const auto seconds = with({"--traffic-close", "B1C1@21800.5"});
    ASSERT_TRUE(seconds.error.empty()) << seconds.error;
    EXPECT_DOUBLE_EQ(*seconds.options.traffic_close_from_s, 21800.5);
    for (const char* bad : {"", "@7:00", ":J1_0", "e1@", "e1@7:5", "e1@7:60", "e1@soon", "e1@-5", "a b"})
        expect_error_naming({"--twin", "out/town/council", "--traffic", "b", "--traffic-close", bad},
                            "--traffic-close");
    expect_error_naming({"--twin", "out/town/council", "--traffic-close", "e12"}, "--traffic ID");
}

TEST(Options, TrafficCompare) {
    const auto r = parse({"--twin", "t", "--traffic", "a1", "--traffic-b", "b1", "--traffic-show", "b"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.traffic_b, "b1");
    EXPECT_EQ(r.options.traffic_show, "b");
    EXPECT_TRUE(parse({"--twin", "t", "--traffic", "a1", "--traffic-b", "b1"}).options.traffic_show.empty());
    EXPECT_TRUE(parse({"--twin", "t", "--traffic", "a1", "--traffic-show", "a"}).error.empty());
    expect_error_naming({"--twin", "t", "--traffic-b", "b1"}, "--traffic ID");
    expect_error_naming({"--twin", "t", "--traffic", "a1", "--traffic-show", "split"}, "--traffic-b");
    expect_error_naming({"--twin", "t", "--traffic", "a1", "--traffic-b", "b1", "--traffic-show", "left"},
                        "a, b or split");
    expect_error_naming({"--twin", "t", "--traffic", "a1", "--traffic-b", ""}, "traffic scenario id");
}

TEST(Options, FloodOptionsNeedWhatTheyBuildOn) {
    const std::string twin = "out/town/council";
    expect_error_naming({"--flood", "hq100-baseline"}, "--twin");
    expect_error_naming({"--twin", twin, "--flood-compare", "hq100-measures"}, "--flood");
    expect_error_naming({"--twin", twin, "--flood", "a", "--flood-split", "0.5"}, "--flood-compare");
    expect_error_naming({"--twin", twin, "--flood-time", "60"}, "--flood ID");
    expect_error_naming({"--twin", twin, "--flood-export-csv", "x.csv"}, "--flood ID");
    for (const char* bad : {"-0.1", "1.5", "half", ""})
        expect_error_naming({"--twin", twin, "--flood", "a", "--flood-compare", "b", "--flood-split", bad},
                            "--flood-split");
    for (const char* bad : {"-1", "3h", ""})
        expect_error_naming({"--twin", twin, "--flood", "a", "--flood-time", bad}, "--flood-time");
    expect_error_naming({"--twin", twin, "--flood", "a", "--flood-export-csv", "impacts.txt"},
                        "--flood-export-csv");
    expect_error_naming({"--twin", twin, "--flood", ""}, "--flood");
    expect_error_naming({"--twin", twin, "--flood"}, "--flood");
}

TEST(Options, FloodLiveWall) {
    auto r =
        parse({"--twin", "t", "--flood", "a", "--flood-live-wall", "632400,5497700;632410.5,5497900",
               "--flood-live-height", "1.5", "--flood-live-until", "3600", "--flood-live-depth", "d.asc"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    ASSERT_EQ(r.options.flood_live_wall.size(), 2u);
    EXPECT_DOUBLE_EQ(r.options.flood_live_wall[1][0], 632410.5);
    EXPECT_DOUBLE_EQ(r.options.flood_live_wall[1][1], 5497900.0);
    EXPECT_DOUBLE_EQ(r.options.flood_live_height_m, 1.5);
    EXPECT_DOUBLE_EQ(r.options.flood_live_until_s, 3600.0);
    EXPECT_EQ(r.options.flood_live_depth, "d.asc");
    for (const char* bad : {"632400,5497700", "632400;5497700", "1,2;x,3", "1,2;;3,4", ""})
        expect_error_naming({"--twin", "t", "--flood", "a", "--flood-live-wall", bad}, "--flood-live-wall");
    expect_error_naming({"--twin", "t", "--flood-live-wall", "1,2;3,4"}, "--flood ID");
    expect_error_naming({"--twin", "t", "--flood", "a", "--flood-live-until", "60"}, "--flood-live-wall");
    for (const char* bad : {"0", "-1", "25", "high"})
        expect_error_naming(
            {"--twin", "t", "--flood", "a", "--flood-live-wall", "1,2;3,4", "--flood-live-height", bad},
            "--flood-live-height");
}

TEST(Options, FloodImport) {
    auto r = parse({"--twin", "t", "--flood-import", "lisflood/results,300"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.flood_import, "lisflood/results");
    EXPECT_DOUBLE_EQ(r.options.flood_import_interval_s, 300.0);
    r = parse({"--twin", "t", "--flood-import", "ours", "--flood-time", "600"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.flood_import, "ours");
    EXPECT_EQ(r.options.flood_import_interval_s, 0.0);
    for (const char* bad : {"dir,0", "dir,-5", "dir,x", ",300"})
        expect_error_naming({"--twin", "t", "--flood-import", bad}, "--flood-import");
    expect_error_naming({"--flood-import", "dir"}, "--twin");
}

TEST(Options, OutOfRangeNamesTheOptionAndTheRange) {
    const std::string twin = "out/town/council";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"--max-sse", "0.4"}, "from 0.5 to 1000"},
        {{"--max-sse", "1001"}, "from 0.5 to 1000"},
        {{"--fixed-dt", "11"}, "above 0 and up to 10"},
        {{"--tile-budget", "15"}, "at least 16"},
        {{"--frames", "0"}, "at least 1"},
        {{"--wait-timeout", "0"}, "above 0"},
        {{"--size", "16385x100"}, "16384x16384"},
        {{"--msaa", "16"}, "1, 2, 4 or 8"},
        {{"--lang", "fr"}, "de or en"},
        {{"--twin", twin, "--flood", "a", "--flood-compare", "b", "--flood-split", "1.5"}, "from 0 to 1"},
        {{"--twin", twin, "--flood", "a", "--flood-time", "3000000"}, "from 0 to 2592000"},
        {{"--twin", twin, "--flood", "a", "--flood-live-wall", "1,2;3,4", "--flood-live-height", "21"},
         "above 0 and up to 20"},
        {{"--twin", twin, "--flood", "a", "--flood-live-wall", "1,2;3,4", "--flood-live-until", "0"},
         "above 0"},
    };
    for (const auto& [args, range] : cases) {
        const std::string option = args[args.size() - 2];
        const ParseResult r = parse(args);
        ASSERT_FALSE(r.error.empty()) << option << " " << args.back();
        EXPECT_EQ(r.error.rfind(option + " ", 0), 0u) << r.error;
        EXPECT_NE(r.error.find(range), std::string::npos) << r.error;
        EXPECT_NE(r.error.find("'" + args.back() + "'"), std::string::npos) << r.error;
    }
}

TEST(Options, NotANumberIsAnError) {
    for (const char* bad : {"nan", "inf", "-inf", "0x1p3", " 2", "2 ", "1,5"}) {
        expect_error_naming({"--max-sse", bad}, "--max-sse");
        expect_error_naming({"--wait-timeout", bad}, "--wait-timeout");
    }
    for (const char* bad : {"0x10", "1e2", "16.0", "+16", "4294967296"})
        expect_error_naming({"--tile-budget", bad}, "--tile-budget");
}

TEST(Options, MissingValueNamesTheOption) {
    for (const char* option : {"--twin",
                               "--department",
                               "--credentials",
                               "--ca-file",
                               "--tileset",
                               "--lang",
                               "--max-sse",
                               "--tile-budget",
                               "--camera",
                               "--size",
                               "--msaa",
                               "--panels",
                               "--gpu",
                               "--frames",
                               "--fixed-dt",
                               "--screenshot",
                               "--ui-text",
                               "--wait-timeout",
                               "--pick",
                               "--resize-at",
                               "--flood",
                               "--flood-compare",
                               "--flood-split",
                               "--flood-time",
                               "--flood-export-csv",
                               "--flood-import",
                               "--export-dir",
                               "--flood-live-wall",
                               "--flood-live-height",
                               "--flood-live-until",
                               "--flood-live-depth"})
        expect_error_naming({"--headless", option}, std::string(option) + " needs");
}

TEST(Options, ValuesWithEqualsSign) {
    const ParseResult r = parse({"--size=640x480", "--frames=5", "--twin=out/town/citizen", "--max-sse=2"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.width, 640u);
    EXPECT_EQ(r.options.frames, 5u);
    EXPECT_EQ(r.options.twin, "out/town/citizen");
    EXPECT_EQ(r.options.max_sse, 2.0);
}

TEST(Options, NumbersAreReadAsWritten) {
    // Decimal, not octal; and the double nearest to the decimal (long double conversion
    // would round this one differently in the last bit).
    EXPECT_EQ(parse({"--frames", "010"}).options.frames, 10u);
    EXPECT_EQ(parse({"--max-sse", "79176.4837e-2"}).options.max_sse, 791.764837);
    EXPECT_EQ(parse({"--fixed-dt", "0.016"}).options.fixed_dt, 0.016);
    const auto r = parse({"--headless", "--camera", "-150,-260,160,0,0,0"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ((*r.options.camera)[0], -150.0);
}

TEST(Options, RepeatedOptionsTheLastWins) {
    const ParseResult r = parse({"--size", "100x100", "--size", "200x300", "--max-sse", "2", "--max-sse", "3",
                                 "--panels", "layers", "--panels", "stats"});
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.options.width, 200u);
    EXPECT_EQ(r.options.height, 300u);
    EXPECT_EQ(r.options.max_sse, 3.0);
    EXPECT_TRUE(r.options.panel_stats);
    EXPECT_FALSE(r.options.panel_layers);
    // A bad value is an error even when a later one is good.
    expect_error_naming({"--size", "12", "--size", "200x300"}, "--size");
}

TEST(Options, HelpListsEveryOption) {
    const std::string u = zw::viewer::usage();
    std::istringstream options(
        "MODEL --twin --department --credentials --ca-file --tileset --lang --max-sse "
        "--tile-budget --camera --size --msaa --panels --no-ui --no-vsync --gpu --validation "
        "--headless --frames --fixed-dt --screenshot --ui-text --wait-full-detail --wait-timeout "
        "--pick --flight --resize-at --flood --flood-compare --flood-split --flood-time "
        "--flood-export-csv --flood-import --export-dir --flood-live-wall --flood-live-height "
        "--flood-live-until --flood-live-depth ");
    for (std::string option; options >> option;)
        EXPECT_NE(u.find("\n  " + option + " "), std::string::npos) << option;
    EXPECT_NE(u.find("\n  -h,--help "), std::string::npos);
    // Defaults come from Options itself.
    for (const char* s : {"--size WxH=1280x720", "--max-sse PX=16", "--tile-budget MIB=512",
                          "--msaa 1|2|4|8=4", "--lang de|en=de", "--wait-timeout S=300"})
        EXPECT_NE(u.find(s), std::string::npos) << s;
}

TEST(Options, HelpWinsOverUnknownOptions) {
    EXPECT_TRUE(parse({"--bogus", "--help"}).options.help);
    EXPECT_TRUE(parse({"-h"}).options.help);
    EXPECT_TRUE(parse({"-h"}).error.empty());
}

}  // namespace
