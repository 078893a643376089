#include "app/viewer/options.h"

#include <charconv>
#include <filesystem>
#include <sstream>

namespace zw::viewer {
namespace {

bool parse_number(const std::string& s, double& out) {
    std::istringstream in(s);
    in >> out;
    return !in.fail() && in.eof();
}

bool parse_uint(const std::string& s, uint32_t& out) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

const char* usage() {
    return "usage: zwilling [MODEL.glb|MODEL.gltf] [options]\n"
           "       zwilling --twin DIR [options]\n"
           "  --twin DIR|URL        open a twin baked by zwilling-bake: the folder with twin.json (or\n"
           "                        twin.json itself), e.g. out/town/citizen, or its https:// URL on a "
           "server\n"
           "  --department NAME     administration twin: show the layers of this department (e.g. bauhof)\n"
           "  --credentials FILE    user name and password for a served twin: one line 'user:password'\n"
           "                        in a file only you can read (chmod 600); never on the command line\n"
           "  --ca-file FILE        also trust the CA certificates in FILE (PEM) for https\n"
           "  --lang de|en          language of the overlay (default de)\n"
           "  --pick X,Y            headless: pick the feature under pixel X,Y of the last frame and print\n"
           "                        it (layer, id, attributes) as JSON on stdout\n"
           "  --tileset URI         stream a 3D Tiles 1.0/1.1 tileset.json: a path, file:// or http(s)://\n"
           "                        URL (repeatable, each a layer; with --twin, shown on top of it)\n"
           "  --wait-full-detail    headless: render the screenshot only once everything the view\n"
           "                        needs is loaded (deterministic screenshots)\n"
           "  --wait-timeout S      give up waiting for full detail after S seconds (default 300)\n"
           "  --max-sse PX          maximum screen-space error in pixels (default 16; smaller: more detail)\n"
           "  --tile-budget MIB     memory for tile content, CPU + GPU (default 512)\n"
           "  --flight              headless benchmark: wait for full detail, fly the scripted path over\n"
           "                        the town and print selection time, load rate, memory and upload figures\n"
           "  --headless            render offscreen (no window); use with --screenshot\n"
           "  --size WxH            window or image size (default 1280x720)\n"
           "  --frames N            stop after N frames (headless default: 3)\n"
           "  --fixed-dt S          advance the clock S seconds per frame (deterministic output)\n"
           "  --camera ex,ey,ez,tx,ty,tz   eye and target in metres, z up: with --twin in the twin's\n"
           "                        local east-north-up frame (x east, y north, origin at the town\n"
           "                        origin, origin.height in twin.json), with --tileset in such a frame at\n"
           "                        the content's centre, else in world coordinates\n"
           "  --camera above        straight down onto the middle of the content, all of it in view\n"
           "  --camera oblique      from the south-west, looking down ~30 degrees (the default)\n"
           "  --camera street       eye 1.7 m above the local origin, looking north (with --twin: the\n"
           "                        town origin; else the content's centre on its lowest level)\n"
           "  --screenshot FILE     write the last frame as PNG\n"
           "  --ui-text FILE        write the overlay's text of the last frame (titles, labels, values)\n"
           "  --validation          enable the Vulkan validation layer\n"
           "  --gpu NAME            use the Vulkan device whose name contains NAME\n"
           "  --msaa N              samples per pixel: 1, 2, 4 or 8 (default 4)\n"
           "  --panels LIST         open only these panels: any of stats,tiles,layers,inspector,flood, or\n"
           "                        none (e.g. --panels layers for a presentation); the twin's banner stays\n"
           "  --flood ID            show the twin's flood scenario ID (e.g. hq100-baseline): the water,\n"
           "                        the timeline, impacts and plots (panel 'flood')\n"
           "  --flood-compare ID    compare with scenario ID: A left, B right of a split (default middle)\n"
           "  --flood-split F       where B begins, 0..1 of the width (with --flood-compare)\n"
           "  --flood-time S        show the flood at S seconds after its start (paused)\n"
           "  --flood-export-csv FILE  write the impacts of --flood's scenario as CSV and exit (no window;\n"
           "                        an existing FILE is kept: FILE-2.csv, ... is written instead)\n"
           "  --flood-import DIR[,INTERVAL_S]  play a folder of ESRI ASCII depth rasters (depth_<s>s.asc,\n"
           "                        or numbered like LISFLOOD-FP's res-0001.wd with INTERVAL_S seconds\n"
           "                        between numbers); its ground: terrain.asc or dem.asc in DIR, else the\n"
           "                        twin's flood terrain when on the same grid\n"
           "  --export-dir DIR      where the flood panel's CSV and PNG exports go (default: here)\n"
           "  --flood-live-wall E,N;E,N[;...]  live mode: a mobile wall along these points (EPSG:25832)\n"
           "                        on --flood's scenario, the solver run while the view draws it\n"
           "  --flood-live-height M the live wall's height (default 1 m)\n"
           "  --flood-live-until S  stop the live run at S seconds (default: the scenario's duration);\n"
           "                        headless, the screenshot waits for it\n"
           "  --flood-live-depth FILE  write the live run's last depth as an ESRI ASCII grid\n"
           "  --no-ui               hide the overlay (also the twin's banner)\n"
           "  --no-vsync            present as fast as possible\n"
           "  --help                show this text\n"
           "Without MODEL, --twin or --tileset the built-in test scene is shown.\n";
}

ParseResult parse_options(const std::vector<std::string>& args) {
    ParseResult r;
    Options& o = r.options;
    bool frames_given = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* what) -> const std::string* {
            if (i + 1 >= args.size()) {
                r.error = a + " needs " + what;
                return nullptr;
            }
            return &args[++i];
        };
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--headless") {
            o.headless = true;
        } else if (a == "--validation") {
            o.validation = true;
        } else if (a == "--no-ui") {
            o.ui = false;
        } else if (a == "--no-vsync") {
            o.vsync = false;
        } else if (a == "--size") {
            const std::string* v = value("WIDTHxHEIGHT");
            if (!v) return r;
            const auto x = v->find('x');
            if (x == std::string::npos || !parse_uint(v->substr(0, x), o.width) ||
                !parse_uint(v->substr(x + 1), o.height) || o.width == 0 || o.height == 0 || o.width > 16384 ||
                o.height > 16384) {
                r.error = "--size expects WIDTHxHEIGHT, e.g. 1920x1080 (got '" + *v + "')";
                return r;
            }
        } else if (a == "--frames") {
            const std::string* v = value("a frame count");
            if (!v) return r;
            if (!parse_uint(*v, o.frames) || o.frames == 0) {
                r.error = "--frames expects a positive whole number (got '" + *v + "')";
                return r;
            }
            frames_given = true;
        } else if (a == "--fixed-dt") {
            const std::string* v = value("seconds per frame");
            if (!v) return r;
            if (!parse_number(*v, o.fixed_dt) || o.fixed_dt <= 0 || o.fixed_dt > 10) {
                r.error =
                    "--fixed-dt expects seconds per frame between 0 and 10, e.g. 0.016 (got '" + *v + "')";
                return r;
            }
        } else if (a == "--camera") {
            const std::string* v = value("ex,ey,ez,tx,ty,tz or above, oblique, street");
            if (!v) return r;
            if (*v == "above" || *v == "oblique" || *v == "street") {
                o.camera_preset = *v;
                o.camera.reset();
                continue;
            }
            std::array<double, 6> c{};
            std::istringstream in(*v);
            std::string part;
            size_t n = 0;
            bool ok = true;
            while (std::getline(in, part, ',')) {
                if (n >= 6 || !parse_number(part, c[n])) ok = false;
                ++n;
            }
            if (!ok || n != 6) {
                r.error =
                    "--camera expects six numbers ex,ey,ez,tx,ty,tz or one of above, oblique, street (got '" +
                    *v + "')";
                return r;
            }
            o.camera = c;
            o.camera_preset.clear();
        } else if (a == "--twin") {
            const std::string* v = value("a twin folder (e.g. out/town/citizen)");
            if (!v) return r;
            if (!o.twin.empty()) {
                r.error = "--twin can be given once (got '" + o.twin + "' and '" + *v + "')";
                return r;
            }
            if (v->empty()) {
                r.error = "--twin needs a twin folder (e.g. out/town/citizen)";
                return r;
            }
            o.twin = *v;
        } else if (a == "--department") {
            const std::string* v = value("a department id (e.g. bauhof)");
            if (!v) return r;
            if (v->empty()) {
                r.error = "--department needs a department id (e.g. bauhof)";
                return r;
            }
            o.department = *v;
        } else if (a == "--lang") {
            const std::string* v = value("de or en");
            if (!v) return r;
            if (*v != "de" && *v != "en") {
                r.error = "--lang expects de or en (got '" + *v + "')";
                return r;
            }
            o.lang = *v;
        } else if (a == "--credentials") {
            const std::string* v = value("a file holding user:password (chmod 600)");
            if (!v) return r;
            if (v->find(':') != std::string::npos && !std::filesystem::exists(*v)) {
                r.error =
                    "--credentials takes a file, not the password itself: write 'user:password' into a "
                    "file, chmod 600 it, and give its path";
                return r;
            }
            o.credentials = *v;
        } else if (a == "--ca-file") {
            const std::string* v = value("a PEM file of CA certificates");
            if (!v) return r;
            o.ca_file = *v;
        } else if (a == "--pick") {
            const std::string* v = value("pixel X,Y");
            if (!v) return r;
            const auto comma = v->find(',');
            uint32_t x = 0, y = 0;
            if (comma == std::string::npos || !parse_uint(v->substr(0, comma), x) ||
                !parse_uint(v->substr(comma + 1), y)) {
                r.error = "--pick expects pixel coordinates X,Y, e.g. 640,360 (got '" + *v + "')";
                return r;
            }
            o.pick = std::array<uint32_t, 2>{x, y};
        } else if (a == "--panels") {
            const std::string* v = value("a list such as layers,inspector");
            if (!v) return r;
            o.panel_stats = o.panel_tiles = o.panel_layers = o.panel_inspector = o.panel_flood = false;
            std::istringstream in(*v);
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
                } else if (part != "none") {
                    r.error =
                        "--panels expects a comma-separated list of stats, tiles, layers, inspector, flood "
                        "(or none); got '" +
                        part + "'";
                    return r;
                }
            }
        } else if (a == "--flood" || a == "--flood-compare") {
            const std::string* v = value("a flood scenario id (e.g. hq100-baseline)");
            if (!v) return r;
            if (v->empty()) {
                r.error = a + " needs a flood scenario id (e.g. hq100-baseline)";
                return r;
            }
            (a == "--flood" ? o.flood : o.flood_compare) = *v;
        } else if (a == "--flood-split") {
            const std::string* v = value("a fraction of the width, e.g. 0.5");
            if (!v) return r;
            double f = 0;
            if (!parse_number(*v, f) || !(f >= 0 && f <= 1)) {
                r.error = "--flood-split expects a fraction of the width between 0 and 1, e.g. 0.5 (got '" +
                          *v + "')";
                return r;
            }
            o.flood_split = f;
        } else if (a == "--flood-time") {
            const std::string* v = value("seconds after the start, e.g. 10800");
            if (!v) return r;
            double t = 0;
            if (!parse_number(*v, t) || !(t >= 0 && t <= 30 * 86400.0)) {
                r.error = "--flood-time expects seconds after the flood's start, e.g. 10800 for 3 h (got '" +
                          *v + "')";
                return r;
            }
            o.flood_time = t;
        } else if (a == "--flood-export-csv") {
            const std::string* v = value("a CSV file name");
            if (!v) return r;
            if (v->empty()) {
                r.error = "--flood-export-csv needs a CSV file name";
                return r;
            }
            o.flood_export_csv = *v;
        } else if (a == "--flood-import") {
            const std::string* v = value("a folder of depth rasters[,seconds between numbered rasters]");
            if (!v) return r;
            const auto comma = v->rfind(',');
            std::string folder = *v;
            if (comma != std::string::npos) {
                folder = v->substr(0, comma);
                if (!parse_number(v->substr(comma + 1), o.flood_import_interval_s) ||
                    !(o.flood_import_interval_s > 0)) {
                    r.error =
                        "--flood-import expects DIR or DIR,INTERVAL_S with the seconds between two numbered "
                        "rasters, e.g. results,300 (got '" +
                        *v + "')";
                    return r;
                }
            }
            if (folder.empty()) {
                r.error = "--flood-import needs a folder of depth rasters";
                return r;
            }
            o.flood_import = folder;
        } else if (a == "--flood-live-wall") {
            const std::string* v = value("points E,N;E,N in EPSG:25832 metres");
            if (!v) return r;
            o.flood_live_wall.clear();
            for (size_t b = 0; b <= v->size();) {
                const size_t e = std::min(v->find(';', b), v->size());
                const std::string pt = v->substr(b, e - b);
                const size_t comma = pt.find(',');
                double x = 0, y = 0;
                if (comma == std::string::npos || !parse_number(pt.substr(0, comma), x) ||
                    !parse_number(pt.substr(comma + 1), y)) {
                    r.error =
                        "--flood-live-wall expects points EASTING,NORTHING separated by ';', e.g. "
                        "632400,5497700;632400,5497900 (got '" +
                        pt + "')";
                    return r;
                }
                o.flood_live_wall.push_back({x, y});
                b = e + 1;
            }
            if (o.flood_live_wall.size() < 2) {
                r.error = "--flood-live-wall needs two points or more (a wall is a line)";
                return r;
            }
        } else if (a == "--flood-live-height" || a == "--flood-live-until") {
            const std::string* v = value("a number");
            if (!v) return r;
            double x = 0;
            const bool height = a == "--flood-live-height";
            if (!parse_number(*v, x) || !(x > 0) || (height && x > 20)) {
                r.error = a +
                          (height ? " expects metres above 0 and up to 20, e.g. 1.2"
                                  : " expects simulated seconds above 0, e.g. 10800") +
                          " (got '" + *v + "')";
                return r;
            }
            (height ? o.flood_live_height_m : o.flood_live_until_s) = x;
        } else if (a == "--flood-live-depth") {
            const std::string* v = value("an ESRI ASCII file name");
            if (!v) return r;
            o.flood_live_depth = *v;
        } else if (a == "--export-dir") {
            const std::string* v = value("a folder");
            if (!v) return r;
            if (v->empty()) {
                r.error = "--export-dir needs a folder";
                return r;
            }
            o.export_dir = *v;
        } else if (a == "--tileset") {
            const std::string* v = value("a tileset.json");
            if (!v) return r;
            if (v->empty()) {
                r.error = "--tileset needs a tileset.json path";
                return r;
            }
            o.tilesets.push_back(*v);
        } else if (a == "--flight") {
            o.flight = true;
        } else if (a == "--wait-full-detail") {
            o.wait_full_detail = true;
        } else if (a == "--max-sse") {
            const std::string* v = value("pixels, e.g. 16");
            if (!v) return r;
            if (!parse_number(*v, o.max_sse) || !(o.max_sse >= 0.5 && o.max_sse <= 1000)) {
                r.error = "--max-sse expects a screen-space error in pixels between 0.5 and 1000 (got '" +
                          *v + "')";
                return r;
            }
        } else if (a == "--tile-budget") {
            const std::string* v = value("MiB, e.g. 512");
            if (!v) return r;
            if (!parse_uint(*v, o.tile_budget_mib) || o.tile_budget_mib < 16) {
                r.error = "--tile-budget expects MiB of tile memory, at least 16 (got '" + *v + "')";
                return r;
            }
        } else if (a == "--wait-timeout") {
            const std::string* v = value("seconds");
            if (!v) return r;
            if (!parse_number(*v, o.wait_timeout_s) || !(o.wait_timeout_s > 0)) {
                r.error = "--wait-timeout expects seconds, e.g. 120 (got '" + *v + "')";
                return r;
            }
        } else if (a == "--screenshot") {
            const std::string* v = value("a PNG file name");
            if (!v) return r;
            o.screenshot = *v;
        } else if (a == "--ui-text") {
            const std::string* v = value("a text file name");
            if (!v) return r;
            o.ui_text = *v;
        } else if (a == "--gpu") {
            const std::string* v = value("a device name");
            if (!v) return r;
            o.gpu = *v;
        } else if (a == "--msaa") {
            const std::string* v = value("1, 2, 4 or 8");
            if (!v) return r;
            if (!parse_uint(*v, o.samples) ||
                (o.samples != 1 && o.samples != 2 && o.samples != 4 && o.samples != 8)) {
                r.error = "--msaa expects 1, 2, 4 or 8 (got '" + *v + "')";
                return r;
            }
        } else if (a == "--resize-at") {
            const std::string* v = value("a frame number");
            if (!v) return r;
            if (!parse_uint(*v, o.resize_at)) {
                r.error = "--resize-at expects a frame number (got '" + *v + "')";
                return r;
            }
        } else if (!a.empty() && a[0] == '-') {
            r.error = "unknown option '" + a + "' (zwilling --help lists the options)";
            return r;
        } else if (o.model.empty()) {
            o.model = a;
        } else {
            r.error = "only one model file can be given (got '" + o.model + "' and '" + a + "')";
            return r;
        }
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
    // Headless without --frames: three frames, because ImGui sizes its panels over the first two.
    if (o.headless && !frames_given) o.frames = 3;
    return r;
}

}  // namespace zw::viewer
