// Command-line options of `zwilling`. Parsing is pure (unit-tested).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace zw::viewer {

struct Options {
    std::string model;        // .glb/.gltf; empty: the built-in test scene (or --twin/--tileset)
    std::string twin;         // a twin folder, its twin.json, or an http(s):// URL of either
    std::string department;   // administration twin: the department whose layers are shown
    std::string lang = "de";  // UI language: "de" or "en"
    std::string credentials;  // file with "user:password" (mode 0600) for a served twin
    std::string ca_file;      // extra CA certificates (PEM) for https
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
    bool validation = false;
    std::string gpu;  // device name substring
    bool ui = true;   // ImGui overlay
    // Which panels the overlay opens: stats, tiles, layers, inspector (the twin's banner
    // is always shown with the overlay).
    bool panel_stats = true, panel_tiles = true, panel_layers = true, panel_inspector = true;
    bool vsync = true;
    uint32_t samples = 4;    // MSAA
    uint32_t resize_at = 0;  // windowed tests: shrink the window at this frame
    bool help = false;
};

struct ParseResult {
    Options options;
    std::string error;  // non-empty: a message for the user (exit code 2)
};

ParseResult parse_options(const std::vector<std::string>& args);
const char* usage();

}  // namespace zw::viewer
