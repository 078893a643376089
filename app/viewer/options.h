// Command-line options of `zwilling`. Parsing is pure (unit-tested).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "app/viewer/fonts.h"

namespace zw::viewer {

struct Options {
    std::string model;           // .glb/.gltf; empty: the built-in test scene (or --twin/--tileset)
    std::string twin;            // a twin folder, its twin.json, or an http(s):// URL of either
    std::string department;      // administration twin: the department whose layers are shown
    std::string lang = "de";     // UI language: "de" or "en"
    UiSize ui_size = UiSize::l;  // the overlay's type (fonts.h): L is the presenter's
    std::string credentials;     // file with "user:password" (mode 0600) for a served twin
    std::string ca_file;         // extra CA certificates (PEM) for https
    std::optional<std::array<uint32_t, 2>> pick;  // headless: pick the feature at pixel x,y, print JSON
    std::vector<std::string> tilesets;            // 3D Tiles tileset.json paths or URLs, streamed
    bool wait_full_detail = false;                // headless: screenshot once the view is fully loaded
    double wait_timeout_s = 300;
    double max_sse = 16;  // pixels
    uint32_t tile_budget_mib = 512;
    bool flight = false;    // headless: fly the benchmark path and print its figures
    bool headless = false;  // offscreen, no window or surface
    uint32_t width = 1280, height = 720;
    uint32_t frames = 0;  // 0: until the window closes (headless: 3)
    double fixed_dt = 0;  // > 0: deterministic clock, seconds per frame
    // Eye xyz, target xyz in metres, in the local frame: east-north-up at the twin origin
    // with --twin (at the content centre with only --tileset), world coordinates otherwise.
    std::optional<std::array<double, 6>> camera;
    std::string camera_preset;  // "above", "oblique" or "street" (instead of `camera`)
    std::string screenshot;     // PNG of the last frame
    std::string ui_layout;      // the overlay's windows of the last frame as JSON (tests: nothing overlaps)
    std::string ui_text;        // the overlay's text of the last frame (tests: exact labels and counts)
    bool validation = false;
    std::string gpu;  // device name substring
    bool ui = true;   // ImGui overlay
    // Which panels the overlay opens: stats, tiles, layers, inspector (the twin's banner
    // is always shown with the overlay).
    bool panel_stats = true, panel_tiles = true, panel_layers = true, panel_inspector = true;
    // --panels was given: the citizens' twin then shows the technical panels it names.
    bool panels_given = false;
    bool fullscreen = false;  // --fullscreen (F11 toggles)
    bool report = false;      // --report: title, legend, north arrow, scale bar; no panels
    std::string date;         // --date YYYY-MM-DD on a report (default: today)
    uint32_t report_width = 3840, report_height = 2160;  // P in the viewer: the report PNG's size
    uint32_t video_width = 1920, video_height = 1080;    // M in the viewer: the tour video's size
    std::vector<std::string> hide_layers, show_layers;   // layer ids hidden / shown at the start
    uint32_t monitor = 0;                                // --monitor N, 1-based; 0: the window's own
    std::vector<std::string> press;  // --press: key names (input.h key_intent) before the first frame
    bool panel_flood = true;         // timeline, impacts and plots of the flood scenarios (a twin with some)
    bool panel_traffic = true;       // the traffic panel (a twin with traffic scenarios)
    bool panel_views = true;         // views and tours (tour.h)
    bool panel_sun = true;           // the sun by date and time (lighting.h)
    std::string tour;                // --tour: a tour of the twin (its id) or a tour file, played
    std::string video;               // --video: headless frames as H.264 (app/viewer/video.h)
    std::string address;             // --address: start at this address of the twin (street and number)
    uint32_t fps = 30;               // its frames a second
    // Traffic scenario of the twin (app/viewer/traffic.h): its vehicles on the timeline.
    std::string traffic;
    // Traffic scenario B compared with it (the traffic panel's impacts; its vehicles right
    // of the split), and what is shown: "a", "b" or "split" (empty: split with a B, else a).
    std::string traffic_b;
    std::string traffic_show;
    // Flood scenarios of the twin (docs/flood-scenario.md): A shown, B compared in a split view.
    std::string flood;                   // scenario id shown (A)
    std::string flood_compare;           // scenario id compared (B), split at flood_split
    std::optional<double> flood_split;   // 0..1 of the width where B begins (default 0.5)
    std::optional<double> flood_time;    // simulated seconds shown (paused there)
    std::optional<double> traffic_time;  // seconds after the traffic scenario's begin shown (paused there)
    // What the traffic's roads are coloured by: "off", "speed", "flow" or "los"
    // (app/viewer/traffic_roads_model.h).
    std::string traffic_roads = "off";
    // --traffic-close EDGE[@FROM]: a live what-if at startup (app/viewer/traffic_live.h): the road
    // of that edge (both directions) closed from FROM (seconds of the day; default: the time
    // shown) to the end, run by SUMO, its result shown once done (a headless screenshot waits).
    std::string traffic_close_edge;
    std::optional<double> traffic_close_from_s;
    std::string flood_export_csv;        // headless: write A's impacts CSV here and exit
    std::string flood_import;            // a folder of ESRI ASCII depth rasters played as A
    double flood_import_interval_s = 0;  // seconds per number of numbered rasters (LISFLOOD-FP)
    std::string export_dir = ".";        // where the flood panel's CSV and PNG exports go
    // Live mode headless (tests, scripted demos): a mobile wall along these points
    // (easting, northing in EPSG:25832) on scenario A, the solver run live until
    // flood_live_until_s (0: the scenario's duration), its depth then written as ESRI ASCII.
    std::vector<std::array<double, 2>> flood_live_wall;
    double flood_live_height_m = 1.0;
    double flood_live_until_s = 0;
    std::string flood_live_depth;
    bool vsync = true;
    uint32_t samples = 4;  // MSAA
    // --sun YYYY-MM-DDTHH:MM: the sun at that Europe/Berlin time over the town (checked
    // here, applied by app/viewer/lighting.h); empty: the renderer's default light.
    std::string sun;
    uint32_t resize_at = 0;  // windowed tests: shrink the window at this frame
    bool help = false;
};

struct ParseResult {
    Options options;
    std::string error;  // non-empty: a message for the user (exit code 2)
};

// The options in `args` (argv without the program name), checked; --help gives `help`.
ParseResult parse_options(const std::vector<std::string>& args);
// The --help text, generated by CLI11 from the options' declarations.
std::string usage();

}  // namespace zw::viewer
