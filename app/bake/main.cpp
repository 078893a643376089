// zwilling-bake: bakes the synthetic sample town (and imported models and CityGML)
// into the three twin bundles; `zwilling-bake check DIR` checks a baked folder.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "app/bake/bundle.h"
#include "app/bake/check/check.h"
#include "app/bake/flood_export.h"
#include "app/bake/import/import.h"
#include "app/bake/server_config.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

namespace {

namespace fs = std::filesystem;
using namespace zw::bake;

const char* usage =
    "usage: zwilling-bake [--recipe FILE] [--seed N] [--out DIR] [--jobs N] [--twins LIST] [IMPORT...]\n"
    "       zwilling-bake check DIR\n"
    "       zwilling-bake --server-config DIR [--server-out DIR] [--server-... VALUE]\n"
    "\n"
    "Bakes a deterministic synthetic town (the recipe, default assets/weisendorf.json)\n"
    "into three twin bundles DIR/citizen, DIR/council and DIR/administration (default\n"
    "DIR: out/town). Nothing is written unless the whole bake succeeds.\n"
    "\n"
    "  --recipe FILE   town recipe (JSON, see docs/twin-bundle.md and assets/)\n"
    "  --seed N        overrides the recipe's seed: another seed, another town\n"
    "  --out DIR       output folder; replaced as a whole, refused if it holds other files\n"
    "  --jobs N        worker threads (default: all cores)\n"
    "  --twins LIST    only these twins, comma-separated: citizen, council, administration\n"
    "                  (default: all three); layers none of them holds are not tiled\n"
    "  --no-flood      leave out the flood scenarios (with the recipe's \"flood_scenarios\": true\n"
    "                  the bake runs the HQ100 baseline and the retention basin, about a minute each)\n"
    "  --flood-export DIR  instead of the twins: the town's HQ100 flood scenarios for zwilling-flood\n"
    "                  (valley raster with buildings burned in, sites, baseline and retention basin)\n"
    "  --flood-cell M  the flood raster's cell for --flood-export (default 10 m)\n"
    "  --max-memory GIB  refuse a recipe whose bake is estimated to need more (default: this\n"
    "                  machine's memory); the message says the estimate and its parts\n"
    "\n"
    "Imports (repeatable; each becomes its own layer):\n"
    "  --model FILE --at E,N,H [--rotate DEG] [--scale S]\n"
    "                  a glTF/glb/OBJ/FBX model placed at EPSG:25832 easting, northing and\n"
    "                  height above sea level, turned DEG counter-clockwise seen from above\n"
    "  --citygml FILE  CityGML LoD2 buildings in EPSG:25832\n"
    "  --layer ID      layer id of the import before it (default: import / citygml_buildings)\n"
    "  --access TWIN   lowest twin that holds the import before it: citizen, council or\n"
    "                  administration (default: council for models, citizen for CityGML)\n"
    "\n";

// After the server options.
const char* usage_tail =
    "\n"
    "--server-config DIR: writes only the server configuration for the twins in DIR (a\n"
    "bake's output), into DIR/server/ or the folder given with --server-out.\n"
    "\n"
    "check DIR: checks every twin's tilesets (fields, bounding volumes, geometric error,\n"
    "URIs, tile budgets), scans citizen/ and council/ for anything they may not hold, and\n"
    "proves that server/zwilling.conf lets each login read exactly what the manifests grant.\n"
    "Exit codes: 0 done, 1 bake or check failed (the message says why), 2 usage error.\n";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "zwilling-bake: %s\n(see zwilling-bake --help)\n", message.c_str());
    return 2;
}

Access parse_access(const std::string& s) {
    if (s == "citizen") return Access::citizen;
    if (s == "council") return Access::council;
    if (s == "administration") return Access::administration;
    zw::fail("--access expects citizen, council or administration, not '", s, "'");
}

int run_check(const fs::path& dir) {
    int problems = 0;
    auto print = [&](const std::string& where, const std::vector<check::Finding>& findings) {
        size_t shown = 0;
        for (const check::Finding& f : findings) {
            if (shown++ < 20)
                std::fprintf(stderr, "  %s/%s: %s\n", where.c_str(), f.file.c_str(), f.message.c_str());
        }
        if (findings.size() > 20) std::fprintf(stderr, "  ... and %zu more\n", findings.size() - 20);
        problems += int(findings.size());
    };
    // A bake with --twins leaves the others out; its report lists the twins it wrote.
    nlohmann::json report;
    if (std::ifstream in(dir / "bake-report.json"); in) report = nlohmann::json::parse(in, nullptr, false);
    const bool partial = report.is_object() && report.contains("twins") && report["twins"].is_object() &&
                         report["twins"].size() < twin_specs().size();
    for (const TwinSpec& twin : twin_specs()) {
        const fs::path t = dir / twin.id;
        if (partial && !report["twins"].contains(twin.id) && !fs::exists(t)) {
            std::printf("check %s: not baked (bake-report.json lists only the twins written)\n",
                        twin.id.c_str());
            continue;
        }
        if (!fs::exists(t / "twin.json")) {
            std::fprintf(stderr, "  %s: missing (no twin.json)\n", t.c_str());
            ++problems;
            continue;
        }
        const check::CheckReport r = check::check_twin(t);
        std::printf("check %s: %zu tilesets, %zu tiles, %zu glb files, %zu findings\n", twin.id.c_str(),
                    r.tilesets, r.tiles, r.glbs, r.findings.size());
        print(twin.id, r.findings);
    }
    for (const char* twin : {"citizen", "council"}) {
        if (!fs::exists(dir / "administration" / "twin.json") || !fs::exists(dir / twin / "twin.json"))
            continue;
        const check::LeakReport r = check::leak_scan(dir / "administration", dir / twin);
        std::printf("leak scan %s: %zu restricted strings searched in %zu files (%.1f MB), %zu findings\n",
                    twin, r.tokens, r.files_scanned, double(r.bytes_scanned) / 1e6, r.findings.size());
        print(twin, r.findings);
    }
    {
        // The server: every credential against every file, as the written site answers.
        const check::ConfinementReport r = check::check_confinement(dir, dir / "server" / "zwilling.conf");
        std::printf("server confinement: %zu files x %zu credentials, %zu findings\n", r.files, r.credentials,
                    r.findings.size());
        print(dir.string(), r.findings);
    }
    if (problems) {
        std::fprintf(stderr, "zwilling-bake check: %d problems in %s\n", problems, dir.c_str());
        return 1;
    }
    std::printf("zwilling-bake check: %s is fine\n", dir.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(usage, stdout);
        std::fputs(server_options_usage, stdout);
        std::fputs(usage_tail, stdout);
        return 0;
    }
    try {
        if (!args.empty() && args[0] == "check") {
            if (args.size() != 2) return usage_error("check expects one folder: zwilling-bake check DIR");
            return run_check(args[1]);
        }
        ServerOptions server;
        if (!args.empty() && args[0] == "--server-config") {
            if (args.size() < 2) return usage_error("--server-config expects the folder of a bake");
            fs::path server_out = fs::path(args[1]) / "server";
            for (size_t i = 2; i < args.size(); ++i) {
                const std::string& a = args[i];
                auto value = [&]() -> std::string {
                    if (i + 1 >= args.size()) zw::fail(a, " expects a value");
                    return args[++i];
                };
                if (a == "--server-out") {
                    server_out = value();
                } else if (!parse_server_option(a, value, server)) {
                    return usage_error("unknown argument '" + a + "' for --server-config");
                }
            }
            std::printf("wrote %s\n", write_server_config(args[1], server, server_out).c_str());
            return 0;
        }
        fs::path recipe_path = ZW_DEFAULT_RECIPE;
        fs::path out = "out/town";
        std::optional<uint64_t> seed;
        int jobs = int(std::max(1u, std::thread::hardware_concurrency()));
        std::vector<std::string> twins;
        fs::path flood_out;
        bool no_flood = false;
        std::optional<double> max_memory_gib;
        FloodExportOptions flood;
        struct Import {
            bool citygml = false;
            ModelImport model;
            CityGmlImport city;
            bool have_at = false;
        };
        std::vector<Import> imports;
        for (size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= args.size()) zw::fail(a, " expects a value");
                return args[++i];
            };
            auto number = [&](const std::string& v) {
                try {
                    size_t used = 0;
                    const double d = std::stod(v, &used);
                    if (used != v.size()) throw std::invalid_argument(v);
                    return d;
                } catch (const std::exception&) {
                    zw::fail(a, " expects a number, not '", v, "'");
                }
            };
            if (a == "--recipe") {
                recipe_path = value();
            } else if (a == "--out") {
                out = value();
            } else if (a == "--seed") {
                const double s = number(value());
                // Up to 2^53: every whole number a double holds exactly.
                if (!(s >= 0 && s <= 9007199254740992.0) || s != std::floor(s))
                    zw::fail("--seed expects a whole number from 0 to 2^53");
                seed = uint64_t(s);
            } else if (a == "--jobs") {
                const double n = number(value());
                if (!(n >= 1 && n <= 1024)) zw::fail("--jobs expects a number of threads from 1 to 1024");
                jobs = int(n);
            } else if (a == "--max-memory") {
                const double g = number(value());
                if (!(g > 0 && g <= 1e6)) zw::fail("--max-memory expects GiB above 0");
                max_memory_gib = g;
            } else if (a == "--twins") {
                const std::string v = value();
                twins.clear();
                for (size_t b = 0; b <= v.size();) {
                    const size_t e = std::min(v.find(',', b), v.size());
                    const std::string id = v.substr(b, e - b);
                    if (id != "citizen" && id != "council" && id != "administration")
                        return usage_error("--twins expects citizen, council and/or administration, not '" +
                                           id + "'");
                    twins.push_back(id);
                    b = e + 1;
                }
            } else if (a == "--no-flood") {
                no_flood = true;
            } else if (a == "--flood-export") {
                flood_out = value();
            } else if (a == "--flood-cell") {
                flood.cell_m = number(value());
            } else if (parse_server_option(a, value, server)) {
                continue;  // a --server-* option, taken
            } else if (a == "--model") {
                Import imp;
                imp.model.file = value();
                imports.push_back(imp);
            } else if (a == "--citygml") {
                Import imp;
                imp.citygml = true;
                imp.city.file = value();
                imports.push_back(imp);
            } else if (a == "--at" || a == "--rotate" || a == "--scale" || a == "--layer" ||
                       a == "--access" || a == "--crs") {
                if (imports.empty())
                    zw::fail(a, " belongs to an import: give --model FILE or --citygml FILE first");
                Import& imp = imports.back();
                const std::string v = value();
                if (a == "--layer") {
                    (imp.citygml ? imp.city.layer_id : imp.model.layer_id) = v;
                } else if (a == "--access") {
                    (imp.citygml ? imp.city.access : imp.model.access) = parse_access(v);
                } else if (imp.citygml) {
                    zw::fail(a, " is for --model imports; CityGML files carry their own coordinates");
                } else if (a == "--at") {
                    double e, n, h;
                    char extra;
                    if (std::sscanf(v.c_str(), "%lf,%lf,%lf%c", &e, &n, &h, &extra) != 3)
                        zw::fail("--at expects EASTING,NORTHING,HEIGHT in EPSG:25832 metres, not '", v, "'");
                    imp.model.position = {e, n, h};
                    imp.have_at = true;
                } else if (a == "--rotate") {
                    imp.model.rotation_deg = number(v);
                } else if (a == "--scale") {
                    imp.model.scale = number(v);
                } else {
                    imp.model.crs = v;
                }
            } else {
                return usage_error("unknown argument '" + a + "'");
            }
        }
        const auto start = std::chrono::steady_clock::now();
        Recipe recipe = load_recipe(recipe_path);
        if (seed) recipe.seed = *seed;
        {
            // Refused before any work: a recipe that would not fit is a typo or needs a
            // bigger machine, not an hour of swapping.
            Recipe planned = recipe;
            if (no_flood) planned.flood_scenarios = false;
            const double physical = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
            if (max_memory_gib)
                check_bake_memory(planned, *max_memory_gib * double(uint64_t(1) << 30), "--max-memory");
            else if (physical > 0)
                check_bake_memory(planned, physical, "this machine's memory");
        }
        if (!flood_out.empty()) {
            // Only the flood scenarios (docs/flood-scenario.md), no twins.
            const nlohmann::json r = export_flood_scenarios(recipe, flood_out, flood);
            std::printf("wrote the HQ100 scenarios (%s x %s cells of %s m, %s sites) into %s\n",
                        r["ncols"].dump().c_str(), r["nrows"].dump().c_str(), r["cell_m"].dump().c_str(),
                        r["sites"].dump().c_str(), flood_out.string().c_str());
            return 0;
        }
        const Frame frame = make_frame(recipe);
        const LocalOrigin origin{frame.origin_easting(), frame.origin_northing(), frame.origin_height()};
        std::vector<FeatureLayer> layers;
        for (const ImportSpec& s : recipe.imports) {
            if (s.kind == ImportSpec::Kind::model) {
                ModelImport m;
                m.file = s.file;
                m.crs = s.crs;
                m.position = s.position;
                m.rotation_deg = s.rotation_deg;
                m.scale = s.scale;
                m.layer_id = s.layer_id;
                m.title_de = s.title_de;
                m.title_en = s.title_en;
                m.access = parse_access(s.access);
                layers.push_back(import_model(m, origin));
            } else {
                CityGmlImport c;
                c.file = s.file;
                c.layer_id = s.layer_id;
                c.title_de = s.title_de;
                c.title_en = s.title_en;
                c.access = parse_access(s.access);
                layers.push_back(import_citygml(c, origin));
            }
        }
        for (const Import& imp : imports) {
            if (imp.citygml) {
                layers.push_back(import_citygml(imp.city, origin));
            } else {
                if (!imp.have_at)
                    zw::fail("--model ", imp.model.file.string(),
                             " needs --at EASTING,NORTHING,HEIGHT (EPSG:25832)");
                layers.push_back(import_model(imp.model, origin));
            }
        }
        for (size_t i = 0; i < layers.size(); ++i)
            for (size_t j = 0; j < i; ++j)
                if (layers[i].id == layers[j].id)
                    zw::fail("two imports use the layer id '", layers[i].id, "'; give each its own --layer");
        for (FeatureLayer& l : layers) {
            static const char* reserved[] = {"terrain", "buildings", "roads",
                                             "water",   "planning",  "utilities"};
            for (const char* r : reserved)
                if (l.id == r)
                    zw::fail("the layer id '", l.id, "' is taken by the town; choose another --layer");
            l.group = "import";
        }
        BakeOptions options;
        options.out = out;
        options.threads = jobs;
        options.twins = twins;
        options.flood = !no_flood;
        const nlohmann::json report = bake(recipe, std::move(layers), options);
        write_server_config(out, server, out / "server");
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::string sizes;
        for (const TwinSpec& twin : twin_specs()) {
            if (!report["twins"].contains(twin.id)) continue;
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s%s %.1f MB", sizes.empty() ? "" : ", ", twin.id.c_str(),
                          report["twins"][twin.id]["bytes"].get<double>() / 1e6);
            sizes += buf;
        }
        std::printf("baked '%s' (seed %llu) into %s in %.1f s: %s\n", recipe.name.c_str(),
                    (unsigned long long)recipe.seed, fs::absolute(out).lexically_normal().c_str(), secs,
                    sizes.c_str());
        return 0;
    } catch (const zw::Error& e) {
        std::fprintf(stderr, "zwilling-bake: %s\n", e.what());
        return 1;
    }
}
