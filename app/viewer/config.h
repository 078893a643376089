// The viewer's tunables that are not command-line options, in one place with one line
// each (niagara's config.h): what a run waits for and how long, how input feels. The
// command-line options are in options.h.
#pragma once

#include <cstdint>

namespace zw::viewer {

struct Config {
    // Scene.
    // Fog per metre of the built-in village: 400 m wide, it shows no haze with a file's physical default.
    float builtin_fog_density = 0.0012f;
    // Towns and tilesets: the haze thins by e per this many metres above the ground (most of
    // it in the lowest few hundred metres of air), so `--camera above` stays clear.
    float haze_scale_height_m = 400.0f;

    // Streaming.
    // Tile worker threads at least: while one waits for a server, the other decodes.
    unsigned min_stream_workers = 2;
    // Milliseconds between polls while the tilesets' root files load.
    int root_poll_ms = 2;

    // Traffic.
    // Vehicles farther than this from the eye (metres) are not drawn (a car there is ~2 px).
    double traffic_max_distance_m = 3000.0;
    // A click closes the road a car may use nearest to where it meets the ground, within this (metres).
    double traffic_pick_m = 15.0;

    // Headless runs.
    // Frames drawn after a flood load before the last one (ImGui sizes its panels over them).
    uint32_t flood_settle_frames = 3;
    // Milliseconds slept after a frame while a flood loads.
    int flood_wait_ms = 5;
    // Milliseconds slept after a frame while tiles load (--wait-full-detail).
    int detail_wait_ms = 1;
    // How often "waiting for full detail" says how far the loading is, in milliseconds.
    double progress_every_ms = 2000.0;
    // Frames --pick draws: the pick pass, then the result resolved and highlighted.
    int pick_frames = 2;
    // With the overlay: two more, for ImGui to size the inspector to the attributes.
    int pick_frames_ui = 4;
    // Simulated frames per second of the benchmark flight (--flight).
    double flight_fps = 30.0;
    // The overlay's time step in seconds headless, for frames without one.
    double ui_dt = 1.0 / 60.0;

    // Window.
    // Seconds to wait for events while the window is minimised (nothing to draw into).
    double minimised_wait_s = 0.1;
    // --resize-at shrinks the window to resize_to_num / resize_to_den of --size.
    uint32_t resize_to_num = 3, resize_to_den = 4;
    // Seconds of the camera's move to a building clicked in the impacts panel.
    double fly_to_s = 2.0;

    // Input.
    // A press and release closer than this (window pixels) is a click, which picks.
    double click_slop_px = 4.0;
    // Radians turned per window height dragged (a full-height drag turns ~170 degrees).
    double turn_per_height = 3.0;
    // Fly mode turns at this fraction of the orbit's rate.
    double fly_look = 0.5;
    // Orbit distance factor per wheel step.
    double zoom_per_step = 0.85;
    // Fly speed: the orbit distance per second, at least this many metres...
    double fly_min_speed = 5.0;
    // ...times this fraction,
    double fly_speed = 0.5;
    // ...times this with Shift held.
    double fly_fast = 3.0;

    // Overlay.
    // Descriptor sets in ImGui's pool (its font and images).
    uint32_t ui_descriptor_sets = 16;
};

inline constexpr Config config{};

}  // namespace zw::viewer
