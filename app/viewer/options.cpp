#include "app/viewer/options.h"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <sstream>

#include "app/cli/validators.h"
#include "engine/geo/sun.h"

namespace zw::viewer {
namespace {

using cli::decimal;
using cli::needs;
using cli::number;
using cli::one_of;
using cli::unbounded;
using cli::whole_number;

// A WIDTHxHEIGHT option's check: both within [min, max]; on success written to `w`, `h`.
// `example` goes into the message.
std::function<std::string(const std::string&)> size_check(uint32_t& w, uint32_t& h, uint32_t min_w,
                                                          uint32_t min_h, uint32_t max_w, uint32_t max_h,
                                                          const char* example) {
    return [&w, &h, min_w, min_h, max_w, max_h, example](const std::string& v) -> std::string {
        const size_t x = v.find('x');
        const std::optional<uint32_t> pw = cli::digits(v.substr(0, x));
        const std::optional<uint32_t> ph =
            x == std::string::npos ? std::nullopt : cli::digits(v.substr(x + 1));
        if (!pw || !ph || *pw < min_w || *ph < min_h || *pw > max_w || *ph > max_h)
            return "expects WIDTHxHEIGHT from " + std::to_string(min_w) + "x" + std::to_string(min_h) +
                   " to " + std::to_string(max_w) + "x" + std::to_string(max_h) + ", e.g. " + example +
                   " (got '" + v + "')";
        w = *pw;
        h = *ph;
        return {};
    };
}

bool parse_camera(const std::string& v, std::array<double, 6>& c) {
    std::istringstream in(v);
    std::string part;
    size_t n = 0;
    while (std::getline(in, part, ',')) {
        const std::optional<double> d = decimal(part);
        if (n >= 6 || !d) return false;
        c[n++] = *d;
    }
    return n == 6;
}

// --traffic-close EDGE[@FROM]: a SUMO edge id (printable, no spaces, not inside a junction)
// and when it closes, in seconds of the day ("25200") or as H:MM ("7:00"); nullopt when
// malformed.
std::optional<std::pair<std::string, std::optional<double>>> parse_traffic_close(const std::string& v) {
    const size_t at = v.rfind('@');
    const std::string edge = v.substr(0, at);
    if (edge.empty() || edge.size() > 256 || edge[0] == ':') return std::nullopt;
    for (const unsigned char c : edge)
        if (c <= ' ' || c == 0x7f) return std::nullopt;
    if (at == std::string::npos) return std::pair{edge, std::optional<double>()};
    const std::string from = v.substr(at + 1);
    std::optional<double> s;
    if (const size_t colon = from.find(':'); colon != std::string::npos) {
        const std::optional<uint32_t> h = cli::digits(from.substr(0, colon)),
                                      m = cli::digits(from.substr(colon + 1));
        if (h && m && *m < 60 && from.size() - colon == 3) s = *h * 3600.0 + *m * 60.0;
    } else {
        s = decimal(from);
    }
    if (!s || *s < 0 || *s > 30 * 86400.0) return std::nullopt;
    return std::pair{edge, s};
}

// The options of `zwilling`, written into `o`. Values that CLI11 cannot convert on its own
// (pairs, lists, presets) are parsed in a check: CLI11 runs it once per value, in
// command-line order, and takes a non-empty return as the message for a bad value.
void declare(CLI::App& app, Options& o) {
    app.description(
        "Zwilling: a glTF model, a twin baked by zwilling-bake, or streamed 3D Tiles, in a window or "
        "headless.\n");
    app.footer("Without MODEL, --twin or --tileset the built-in test scene is shown.");
    app.get_formatter()->column_width(30);
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.set_help_flag("-h,--help", "show this text");

    app.add_option("MODEL", o.model, "a .glb or .gltf file to show (instead of --twin or --tileset)")
        ->type_name("");

    app.add_option("--camera",
                   "eye and target in metres, z up: with --twin in the twin's\n"
                   "local east-north-up frame (x east, y north, origin at the town\n"
                   "origin, origin.height in twin.json), with --tileset in such a frame at\n"
                   "the content's centre, else in world coordinates;\n"
                   "--camera above: straight down onto the middle of the content, all of it in view\n"
                   "--camera oblique: from the south-west, looking down ~30 degrees (the default)\n"
                   "--camera street: eye 1.7 m above the local origin, looking north (with --twin:\n"
                   "the town origin; else the content's centre on its lowest level)")
        ->type_name("ex,ey,ez,tx,ty,tz|above|oblique|street")
        ->check([&o](const std::string& v) -> std::string {
            if (v == "above" || v == "oblique" || v == "street") {
                o.camera_preset = v;
                o.camera.reset();
                return {};
            }
            std::array<double, 6> c{};
            if (!parse_camera(v, c))
                return "expects six numbers ex,ey,ez,tx,ty,tz or one of above, oblique, street (got '" + v +
                       "')";
            o.camera = c;
            o.camera_preset.clear();
            return {};
        });
    app.add_option("--size", "window or image size")
        ->type_name("WxH")
        ->default_str(std::to_string(o.width) + "x" + std::to_string(o.height))
        ->check(size_check(o.width, o.height, 1, 1, 16384, 16384, "1920x1080"));
    app.add_option("--msaa", o.samples, "samples per pixel")
        ->type_name("1|2|4|8")
        ->capture_default_str()
        ->check(one_of({"1", "2", "4", "8"}));
    app.add_option("--sun",
                   "light the scene by the sun at this local time (Europe/Berlin, CET/CEST)\n"
                   "over the town: the twin's origin; a geo-referenced tileset's centre; else\n"
                   "(model files, the built-in village) Weisendorf, 49.617 N 10.833 E. Below\n"
                   "the horizon a dim night light. Default: a fixed afternoon light")
        ->type_name("YYYY-MM-DDTHH:MM")
        ->check([&o](const std::string& v) -> std::string {
            if (!geo::parse_civil_minutes(v))
                return "expects a local date and time YYYY-MM-DDTHH:MM, e.g. 2026-06-21T17:00 (got '" + v +
                       "')";
            o.sun = v;
            return {};
        });
    app.add_option("--panels",
                   "open only these panels: any of stats,tiles,layers,inspector,flood,traffic,\n"
                   "views, sun, or none (e.g. --panels layers for a presentation); the twin's banner stays")
        ->type_name("LIST")
        ->check([&o](const std::string& v) -> std::string {
            o.panel_stats = o.panel_tiles = o.panel_layers = o.panel_inspector = o.panel_flood = false;
            o.panels_given = true;
            o.panel_traffic = o.panel_views = o.panel_sun = false;
            std::istringstream in(v);
            std::string part;
            while (std::getline(in, part, ',')) {
                if (part == "stats") {
                    o.panel_stats = true;
                } else if (part == "tiles") {
                    o.panel_tiles = true;
                } else if (part == "layers") {
                    o.panel_layers = true;
                } else if (part == "inspector") {
                    o.panel_inspector = true;
                } else if (part == "flood") {
                    o.panel_flood = true;
                } else if (part == "traffic") {
                    o.panel_traffic = true;
                } else if (part == "views") {
                    o.panel_views = true;
                } else if (part == "sun") {
                    o.panel_sun = true;
                } else if (part != "none") {
                    return "expects a comma-separated list of stats, tiles, layers, inspector, flood, "
                           "traffic, views, sun (or none); got '" +
                           part + "'";
                }
            }
            return {};
        });
    app.add_flag_callback(
        "--no-ui", [&o] { o.ui = false; }, "hide the overlay (also the twin's banner)");
    app.add_flag_callback(
        "--no-vsync", [&o] { o.vsync = false; }, "present as fast as possible");
    app.add_flag("--fullscreen", o.fullscreen,
                 "open fullscreen (F11 switches to and from the window; see --monitor)");
    app.add_option("--monitor", o.monitor,
                   "fullscreen on monitor N (1 is the first); default: the monitor the window is on")
        ->type_name("N")
        ->check(CLI::Range(1, 16));
    app.add_flag("--report", o.report,
                 "the view for a report (with --screenshot and --size up to 3840x2160): no panels;\n"
                 "a title with the scenario, time, twin, date and 'synthetic data' where it applies,\n"
                 "the water-depth legend, north arrow and scale bar");
    app.add_option("--date", o.date, "the date printed on a --report (default: today)")
        ->type_name("YYYY-MM-DD")
        ->check([](const std::string& v) -> std::string {
            int y = 0, m = 0, d = 0;
            char rest = 0;
            if (std::sscanf(v.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 || m < 1 || m > 12 || d < 1 ||
                d > 31)
                return "expects a date YYYY-MM-DD, e.g. 2026-12-06 (got '" + v + "')";
            return {};
        });
    app.add_option("--report-size",
                   "the report PNG that P (or the impacts panels' button) writes:\n"
                   "its size in pixels, independent of the window (default 3840x2160)")
        ->type_name("WxH")
        ->check(size_check(o.report_width, o.report_height, 64, 64, 7680, 4320, "3840x2160"));
    app.add_option("--video-size",
                   "the tour's video that M (or the views panel's button) writes: its size in\n"
                   "pixels (even numbers; default 1920x1080)")
        ->type_name("WxH")
        ->check(size_check(o.video_width, o.video_height, 64, 64, 7680, 4320, "1920x1080"));
    app.add_option("--hide-layers", o.hide_layers, "start with these layers (ids, e.g. trees) hidden")
        ->type_name("ID,...")
        ->delimiter(',');
    app.add_option("--show-layers", o.show_layers,
                   "start with these layers (ids, e.g. utilities) shown, also those hidden by default")
        ->type_name("ID,...")
        ->delimiter(',');
    app.add_option("--press", o.press,
                   "press these keys before the first frame (headless, for tests and scripts): any of\n"
                   "h (hide the overlay, keep the HUD), f1 (keyboard help), f10 (technical panels),\n"
                   "space (play / pause), p (report PNG, see --report-size), t (play the tour),\n"
                   "pagedown / pageup (next / previous view), v (save the view), m (the tour's video\n"
                   "at --video-size and --fps, into --export-dir)")
        ->type_name("KEY,...")
        ->delimiter(',')
        ->check(one_of({"h", "f1", "f10", "f11", "space", "p", "t", "pagedown", "pageup", "v", "m"}));
    app.add_option("--tour", o.tour,
                   "play a tour (docs/tours.md): the id of one of the twin's tours (e.g. rundgang)\n"
                   "or a tour file, such as the views saved with V (ansichten.json). Headless, the\n"
                   "run ends when the tour has ended; with --screenshot its last view is written")
        ->type_name("ID|FILE");
    app.add_option("--address", o.address,
                   "start at this address of the twin, as typed into the address search, e.g.\n"
                   "\"Hauptstraße 12\" (headless: exit 2 when there is none such)")
        ->type_name("STREET NUMBER");
    app.add_option("--video", o.video,
                   "headless: write the run as an H.264 video (MP4) at --fps frames a second of\n"
                   "simulated time; with --tour the whole tour, else --frames frames. With\n"
                   "--wait-full-detail each frame waits for its tiles (slower, every frame sharp)")
        ->type_name("FILE.mp4");
    app.add_option("--fps", o.fps, "frames a second of --video (the time step between its frames)")
        ->capture_default_str()
        ->check(CLI::Range(1u, 240u));
    app.add_option("--gpu", o.gpu, "use the Vulkan device whose name contains NAME")->type_name("NAME");
    app.add_flag("--validation", o.validation, "enable the Vulkan validation layer");
    app.add_option("--lang", o.lang, "language of the overlay")
        ->type_name("de|en")
        ->capture_default_str()
        ->check(one_of({"de", "en"}));
    app.add_option_function<std::string>(
           "--ui-size",
           [&o](const std::string& v) {
               if (const std::optional<UiSize> s = parse_ui_size(v)) o.ui_size = *s;
           },
           "size of the overlay's type: a capital letter is 12 (s), 16 (m) or 20 (l) pixels tall\n"
           "at 1080p, scaled with the window's height (default l: readable from the back of a hall)")
        ->type_name("s|m|l")
        ->check(one_of({"s", "m", "l", "S", "M", "L"}));

    const char* twin = "Twins and tilesets";
    app.add_option("--twin",
                   "open a twin baked by zwilling-bake: the folder with twin.json (or twin.json\n"
                   "itself), e.g. out/town/citizen, or its https:// URL on a server")
        ->type_name("DIR|URL")
        ->group(twin)
        ->check([&o](const std::string& v) -> std::string {
            if (v.empty()) return "needs a twin folder (e.g. out/town/citizen)";
            if (!o.twin.empty()) return "can be given once (got '" + o.twin + "' and '" + v + "')";
            o.twin = v;
            return {};
        });
    app.add_option("--department", o.department,
                   "administration twin: show the layers of this department (e.g. bauhof)")
        ->type_name("NAME")
        ->group(twin)
        ->check(needs("a department id (e.g. bauhof)"));
    app.add_option("--credentials", o.credentials,
                   "user name and password for a served twin: one line 'user:password'\n"
                   "in a file only you can read (chmod 600); never on the command line")
        ->type_name("FILE")
        ->group(twin)
        ->check([](const std::string& v) -> std::string {
            if (v.find(':') != std::string::npos && !std::filesystem::exists(v))
                return "takes a file, not the password itself: write 'user:password' into a file, chmod 600 "
                       "it, and give its path";
            return {};
        });
    app.add_option("--ca-file", o.ca_file, "also trust the CA certificates in FILE (PEM) for https")
        ->type_name("FILE")
        ->group(twin);
    app.add_option("--tileset", o.tilesets,
                   "stream a 3D Tiles 1.0/1.1 tileset.json: a path, file:// or http(s)://\n"
                   "URL (repeatable, each a layer; with --twin, shown on top of it)")
        ->type_name("URI")
        ->group(twin)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->check(needs("a tileset.json path"));
    app.add_option("--max-sse", o.max_sse, "maximum screen-space error in pixels (smaller: more detail)")
        ->type_name("PX")
        ->group(twin)
        ->capture_default_str()
        ->transform(number("a screen-space error in pixels", 0.5, 1000));
    app.add_option("--tile-budget", o.tile_budget_mib, "memory for tile content, CPU + GPU")
        ->type_name("MIB")
        ->group(twin)
        ->capture_default_str()
        ->transform(whole_number("MiB of tile memory", 16));

    const char* headless = "Headless, tests and benchmarks";
    app.add_flag("--headless", o.headless, "render offscreen (no window); use with --screenshot")
        ->group(headless);
    app.add_option("--frames", o.frames, "stop after N frames (headless default: 3)")
        ->type_name("N")
        ->group(headless)
        ->transform(whole_number("a whole number", 1));
    app.add_option("--fixed-dt", o.fixed_dt, "advance the clock S seconds per frame (deterministic output)")
        ->type_name("S")
        ->group(headless)
        ->transform(number("seconds per frame", 0, 10, true));
    app.add_option("--screenshot", o.screenshot, "write the last frame as PNG")
        ->type_name("FILE")
        ->group(headless);
    app.add_option("--ui-text", o.ui_text,
                   "write the overlay's text of the last frame (titles, labels, values)")
        ->type_name("FILE")
        ->group(headless);
    app.add_option("--ui-layout", o.ui_layout,
                   "write the overlay's windows of the last frame as JSON: the window's size, the\n"
                   "type's size and each panel's box in pixels")
        ->type_name("FILE")
        ->group(headless);
    app.add_flag("--wait-full-detail", o.wait_full_detail,
                 "headless: render the screenshot only once everything the view\n"
                 "needs is loaded (deterministic screenshots)")
        ->group(headless);
    app.add_option("--wait-timeout", o.wait_timeout_s, "give up waiting for full detail after S seconds")
        ->type_name("S")
        ->group(headless)
        ->capture_default_str()
        ->transform(number("seconds", 0, unbounded, true));
    app.add_option("--pick",
                   "headless: pick the feature under pixel X,Y of the last frame and print\n"
                   "it (layer, id, attributes) as JSON on stdout")
        ->type_name("X,Y")
        ->group(headless)
        ->check([&o](const std::string& v) -> std::string {
            const size_t comma = v.find(',');
            const std::optional<uint32_t> x = cli::digits(v.substr(0, comma));
            const std::optional<uint32_t> y =
                comma == std::string::npos ? std::nullopt : cli::digits(v.substr(comma + 1));
            if (!x || !y) return "expects pixel coordinates X,Y, e.g. 640,360 (got '" + v + "')";
            o.pick = std::array<uint32_t, 2>{*x, *y};
            return {};
        });
    app.add_flag("--flight", o.flight,
                 "headless benchmark: wait for full detail, fly the scripted path over\n"
                 "the town and print selection time, load rate, memory and upload figures")
        ->group(headless);
    app.add_option("--resize-at", o.resize_at, "windowed tests: shrink the window at frame N")
        ->type_name("N")
        ->group(headless)
        ->transform(whole_number("a frame number", 0));

    app.add_option("--traffic", o.traffic,
                   "show the twin's traffic scenario ID: its vehicles on the timeline\n"
                   "(traffic time = the scenario's begin + the timeline), panel 'traffic'")
        ->type_name("ID")
        ->group("Traffic scenarios (docs/traffic-bundle.md)")
        ->check(needs("a traffic scenario id (e.g. baseline)"));
    app.add_option_function<double>(
           "--traffic-time", [&o](double t) { o.traffic_time = t; },
           "show the traffic at S seconds after the scenario's begin (paused; 5400: 7:30 for a run from "
           "6:00)")
        ->type_name("S")
        ->group("Traffic scenarios (docs/traffic-bundle.md)")
        ->transform(number("seconds after the scenario's begin,", 0, 30 * 86400.0));
    app.add_option("--traffic-roads", o.traffic_roads,
                   "colour the roads by the mean speed (km/h), the flow (vehicles an hour) or the\n"
                   "level of service (A-F, by the speed's share of the limit) at the shown time;\n"
                   "closed roads are hatched red in every mode")
        ->type_name("off|speed|flow|los")
        ->capture_default_str()
        ->group("Traffic scenarios (docs/traffic-bundle.md)")
        ->check(one_of({"off", "speed", "flow", "los"}));
    app.add_option_function<std::string>(
           "--traffic-close",
           [&o](const std::string& v) {
               const auto c = parse_traffic_close(v);
               o.traffic_close_edge = c->first;
               o.traffic_close_from_s = c->second;
           },
           "live what-if: close the road of SUMO edge EDGE (both directions) from FROM (seconds of\n"
           "the day or H:MM; default: the time shown) to the end, run SUMO with it and show the result\n"
           "(headless: the screenshot waits for it)")
        ->type_name("EDGE[@FROM]")
        ->group("Traffic scenarios (docs/traffic-bundle.md)")
        ->check(CLI::Validator(
            [](const std::string& v) -> std::string {
                if (parse_traffic_close(v)) return {};
                return "expects a SUMO edge id, optionally with @ and the time it closes in seconds of the "
                       "day "
                       "or as H:MM (e.g. -e12@7:00; got '" +
                       v + "')";
            },
            ""));
    app.add_option("--traffic-b", o.traffic_b,
                   "compare the traffic scenario with scenario ID (B): its vehicles right of the\n"
                   "split, the impacts of B against A in the panel")
        ->type_name("ID")
        ->group("Traffic scenarios (docs/traffic-bundle.md)")
        ->check(needs("a traffic scenario id (e.g. traffic-hauptstrasse)"));
    app.add_option("--traffic-show", o.traffic_show,
                   "which vehicles are shown: a, b or split (A left, B right; default with --traffic-b)")
        ->type_name("WHAT")
        ->group("Traffic scenarios (docs/traffic-bundle.md)")
        ->check(one_of({"a", "b", "split"}));

    const char* flood = "Flood scenarios (docs/flood-scenario.md)";
    app.add_option("--flood", o.flood,
                   "show the twin's flood scenario ID (e.g. hq100-baseline): the water,\n"
                   "the timeline, impacts and plots (panel 'flood')")
        ->type_name("ID")
        ->group(flood)
        ->check(needs("a flood scenario id (e.g. hq100-baseline)"));
    app.add_option("--flood-compare", o.flood_compare,
                   "compare with scenario ID: A left, B right of a split (default middle)")
        ->type_name("ID")
        ->group(flood)
        ->check(needs("a flood scenario id (e.g. hq100-baseline)"));
    app.add_option_function<double>(
           "--flood-split", [&o](double f) { o.flood_split = f; },
           "where B begins, 0..1 of the width (with --flood-compare)")
        ->type_name("F")
        ->group(flood)
        ->transform(number("a fraction of the width", 0, 1));
    app.add_option_function<double>(
           "--flood-time", [&o](double t) { o.flood_time = t; },
           "show the flood at S seconds after its start (paused; up to 30 days)")
        ->type_name("S")
        ->group(flood)
        ->transform(number("seconds after the flood's start,", 0, 30 * 86400.0));
    app.add_option("--flood-export-csv", o.flood_export_csv,
                   "write the impacts of --flood's scenario as CSV and exit (no window;\n"
                   "an existing FILE is kept: FILE-2.csv, ... is written instead)")
        ->type_name("FILE")
        ->group(flood)
        ->check(needs("a CSV file name"));
    app.add_option("--flood-import",
                   "play a folder of ESRI ASCII depth rasters (depth_<s>s.asc,\n"
                   "or numbered like LISFLOOD-FP's res-0001.wd with INTERVAL_S seconds\n"
                   "between numbers); its ground: terrain.asc or dem.asc in DIR, else the\n"
                   "twin's flood terrain when on the same grid")
        ->type_name("DIR[,INTERVAL_S]")
        ->group(flood)
        ->check([&o](const std::string& v) -> std::string {
            const size_t comma = v.rfind(',');
            std::string folder = v;
            if (comma != std::string::npos) {
                folder = v.substr(0, comma);
                const std::optional<double> interval = decimal(v.substr(comma + 1));
                if (!interval || !(*interval > 0))
                    return "expects DIR or DIR,INTERVAL_S with the seconds between two numbered "
                           "rasters, e.g. results,300 (got '" +
                           v + "')";
                o.flood_import_interval_s = *interval;
            }
            if (folder.empty()) return "needs a folder of depth rasters";
            o.flood_import = folder;
            return {};
        });
    app.add_option("--export-dir", o.export_dir,
                   "where the flood panel's CSV and PNG exports go (.: the current folder)")
        ->type_name("DIR")
        ->group(flood)
        ->capture_default_str()
        ->check(needs("a folder"));
    app.add_option("--flood-live-wall",
                   "live mode: a mobile wall along these points (EPSG:25832)\n"
                   "on --flood's scenario, the solver run while the view draws it")
        ->type_name("E,N;E,N[;...]")
        ->group(flood)
        ->check([&o](const std::string& v) -> std::string {
            o.flood_live_wall.clear();
            for (size_t b = 0; b <= v.size();) {
                const size_t e = std::min(v.find(';', b), v.size());
                const std::string pt = v.substr(b, e - b);
                const size_t comma = pt.find(',');
                const std::optional<double> x = decimal(pt.substr(0, comma));
                const std::optional<double> y =
                    comma == std::string::npos ? std::nullopt : decimal(pt.substr(comma + 1));
                if (!x || !y)
                    return "expects points EASTING,NORTHING separated by ';', e.g. "
                           "632400,5497700;632400,5497900 (got '" +
                           pt + "')";
                o.flood_live_wall.push_back({*x, *y});
                b = e + 1;
            }
            if (o.flood_live_wall.size() < 2) return "needs two points or more (a wall is a line)";
            return {};
        });
    app.add_option("--flood-live-height", o.flood_live_height_m, "the live wall's height in metres")
        ->type_name("M")
        ->group(flood)
        ->capture_default_str()
        ->transform(number("metres", 0, 20, true));
    app.add_option("--flood-live-until", o.flood_live_until_s,
                   "stop the live run at S seconds (default: the scenario's duration);\n"
                   "headless, the screenshot waits for it")
        ->type_name("S")
        ->group(flood)
        ->transform(number("simulated seconds", 0, unbounded, true));
    app.add_option("--flood-live-depth", o.flood_live_depth,
                   "write the live run's last depth as an ESRI ASCII grid")
        ->type_name("FILE")
        ->group(flood);
}

// The message for a parse error: "--option expects ...", as the checks above word it.
std::string message(const CLI::App& app, const CLI::ParseError& e, const Options& o) {
    std::string m = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
        const std::vector<std::string> extra = app.remaining();
        const std::string& first = extra.empty() ? m : extra.front();
        if (!first.empty() && first[0] == '-')
            return "unknown option '" + first + "' (zwilling --help lists the options)";
        return "only one model file can be given (got '" + o.model + "' and '" + first + "')";
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
        // "--size: 1 required WxH missing": the value is missing at the end.
        const std::string name = m.substr(0, m.find(':'));
        if (const CLI::Option* opt = app.get_option_no_throw(name))
            return name + " needs " + opt->get_type_name() + " (zwilling --help lists the options)";
        return m;
    }
    // ValidationError: "--size: expects ...".
    if (const size_t colon = m.find(": "); colon != std::string::npos && m.rfind("--", 0) == 0)
        m.erase(colon, 1);
    return m;
}

}  // namespace

std::string usage() {
    Options o;
    CLI::App app("", "zwilling");
    declare(app, o);
    std::string help = app.help();
    // CLI11 2.1 puts two empty lines between groups of options.
    for (size_t at; (at = help.find("\n\n\n")) != std::string::npos;)
        help.erase(at, 1);
    return help;
}

ParseResult parse_options(const std::vector<std::string>& args) {
    ParseResult r;
    Options& o = r.options;
    CLI::App app("", "zwilling");
    declare(app, o);
    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them from the back
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        o.help = true;
        return r;
    } catch (const CLI::ParseError& e) {
        r.error = message(app, e, o);
        return r;
    }
    if (!o.model.empty() && (!o.twin.empty() || !o.tilesets.empty())) {
        r.error = "give either a model file ('" + o.model + "') or --twin/--tileset, not both";
        return r;
    }
    if (o.flight && (!o.headless || (o.twin.empty() && o.tilesets.empty()))) {
        r.error = "--flight needs --headless and --twin or --tileset";
        return r;
    }
    if (o.pick && !o.headless) {
        r.error = "--pick needs --headless (in the window, click a feature)";
        return r;
    }
    if (o.pick && ((*o.pick)[0] >= o.width || (*o.pick)[1] >= o.height)) {
        r.error = "--pick " + std::to_string((*o.pick)[0]) + "," + std::to_string((*o.pick)[1]) +
                  " lies outside the " + std::to_string(o.width) + "x" + std::to_string(o.height) + " image";
        return r;
    }
    if (!o.department.empty() && o.twin.empty()) {
        r.error = "--department needs --twin (the administration twin)";
        return r;
    }
    if ((!o.flood.empty() || !o.flood_compare.empty() || !o.flood_import.empty() ||
         !o.flood_export_csv.empty()) &&
        o.twin.empty()) {
        r.error = std::string(!o.flood.empty()           ? "--flood"
                              : !o.flood_compare.empty() ? "--flood-compare"
                              : !o.flood_import.empty()  ? "--flood-import"
                                                         : "--flood-export-csv") +
                  " needs --twin (the twin whose flood scenarios and coordinates are used)";
        return r;
    }
    if (!o.traffic.empty() && o.twin.empty()) {
        r.error = "--traffic needs --twin (the twin whose traffic scenarios and coordinates are used)";
        return r;
    }
    if (!o.flood_compare.empty() && o.flood.empty() && o.flood_import.empty()) {
        r.error = "--flood-compare needs --flood (scenario A, left of the split)";
        return r;
    }
    if (o.flood_split && o.flood_compare.empty()) {
        r.error = "--flood-split needs --flood-compare (the split is between A and B)";
        return r;
    }
    if ((o.flood_live_until_s > 0 || !o.flood_live_depth.empty()) && o.flood_live_wall.empty()) {
        r.error = std::string(o.flood_live_until_s > 0 ? "--flood-live-until" : "--flood-live-depth") +
                  " needs --flood-live-wall (the wall of the live run)";
        return r;
    }
    if (!o.flood_live_wall.empty() && o.flood.empty()) {
        r.error = "--flood-live-wall needs --flood ID (the scenario the wall is added to)";
        return r;
    }
    if (!o.traffic_b.empty() && o.traffic.empty()) {
        r.error = "--traffic-b needs --traffic ID (scenario A, left of the split)";
        return r;
    }
    if (!o.traffic_show.empty() && o.traffic_show != "a" && o.traffic_b.empty()) {
        r.error = "--traffic-show " + o.traffic_show + " needs --traffic-b ID (the scenario compared)";
        return r;
    }
    if (o.traffic_time && o.traffic.empty()) {
        r.error = "--traffic-time needs --traffic ID";
        return r;
    }
    if (o.traffic_roads != "off" && o.traffic.empty()) {
        r.error = "--traffic-roads needs --traffic ID (the scenario whose roads are coloured)";
        return r;
    }
    if (!o.traffic_close_edge.empty() && o.traffic.empty()) {
        r.error = "--traffic-close needs --traffic ID (the scenario the road is closed in)";
        return r;
    }
    if (o.traffic_time && o.flood_time) {
        r.error = "--traffic-time and --flood-time both set the one timeline: give one of them";
        return r;
    }
    if ((o.flood_time || !o.flood_export_csv.empty()) && o.flood.empty() && o.flood_import.empty()) {
        r.error = std::string(o.flood_time ? "--flood-time" : "--flood-export-csv") +
                  " needs --flood ID (or --flood-import)";
        return r;
    }
    if (!o.flood_export_csv.empty() && (o.flood_export_csv.size() < 4 ||
                                        o.flood_export_csv.substr(o.flood_export_csv.size() - 4) != ".csv")) {
        r.error = "--flood-export-csv expects a file name ending in .csv (got '" + o.flood_export_csv + "')";
        return r;
    }
    if (!o.video.empty() && !o.headless) {
        r.error = "--video needs --headless (the video is rendered offscreen, frame by frame)";
        return r;
    }
    if (o.video_width % 2 || o.video_height % 2) {
        r.error = "--video-size needs even numbers for H.264 (got " + std::to_string(o.video_width) + "x" +
                  std::to_string(o.video_height) + ")";
        return r;
    }
    if (!o.video.empty() && (o.width % 2 || o.height % 2)) {
        r.error = "--video needs an even --size for H.264 (got " + std::to_string(o.width) + "x" +
                  std::to_string(o.height) + "), e.g. 1920x1080";
        return r;
    }
    // Headless without --frames: six frames. ImGui sizes a panel over its first two; the docked
    // layout places it by its size in the frame before, and its text wraps again at its
    // column's width, which may change its height once more.
    if (o.headless && app.count("--frames") == 0) o.frames = 6;
    return r;
}

}  // namespace zw::viewer
