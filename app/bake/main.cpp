// zwilling-bake: bakes the synthetic sample town (and imported models and CityGML)
// into the three twin bundles; `zwilling-bake check DIR` checks a baked folder.
#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
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
#include "app/cli/validators.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

namespace {

namespace fs = std::filesystem;
namespace cli = zw::cli;
using namespace zw::bake;

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

// --model FILE or --citygml FILE, with the options after it.
struct Import {
    bool citygml = false;
    ModelImport model;
    CityGmlImport city;
    bool have_at = false;
};
// What the command line asks for: a bake (the default), `check DIR` or --server-config DIR.
struct Args {
    std::string recipe = ZW_DEFAULT_RECIPE;
    std::string out = "out/town";
    std::optional<uint64_t> seed;
    int jobs = int(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::string> twins;  // empty: all three
    std::string flood_out;           // --flood-export DIR
    bool no_flood = false;
    bool no_traffic = false;
    std::optional<double> max_memory_gib;
    FloodExportOptions flood;
    std::vector<Import> imports;  // in command-line order
    ServerOptions server;
    std::string server_config;  // --server-config DIR
    std::string server_out;     // empty: DIR/server
    std::string check;          // check DIR
};

// Runs `take`; a zw::Error it throws (the bake's own checks word them) is the message.
std::string taken(const std::function<void()>& take) {
    try {
        take();
        return {};
    } catch (const zw::Error& e) {
        return e.what();
    }
}

// The options, written into `a`; returns the `check` subcommand. Import options act on the
// import before them, so they run as they are parsed, in command-line order.
CLI::App* declare(CLI::App& app, Args& a) {
    app.description(
        "Bakes a deterministic synthetic town (the recipe, default assets/weisendorf.json)\n"
        "into three twin bundles DIR/citizen, DIR/council and DIR/administration (default\n"
        "DIR: out/town). Nothing is written unless the whole bake succeeds.\n"
        "  zwilling-bake [--recipe FILE] [--seed N] [--out DIR] [--jobs N] [--twins LIST] [IMPORT...]\n"
        "  zwilling-bake check DIR\n"
        "  zwilling-bake --server-config DIR [--server-out DIR] [--server-... VALUE]\n");
    app.footer("Exit codes: 0 done, 1 bake or check failed (the message says why), 2 usage error.");
    app.get_formatter()->column_width(24);
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.set_help_flag("-h,--help", "show this text");

    const char* bake = "Bake";
    app.add_option("--recipe", a.recipe, "town recipe (JSON, see docs/twin-bundle.md and assets/)")
        ->type_name("FILE")
        ->group(bake);
    app.add_option("--seed", "overrides the recipe's seed: another seed, another town")
        ->type_name("N")
        ->group(bake)
        ->transform(
            cli::whole_number("a whole number", 0, uint64_t(1) << 53, cli::Written::digits_or_decimal))
        ->each([&a](const std::string& v) { a.seed = std::stoull(v); });
    app.add_option("--out", a.out, "output folder; replaced as a whole, refused if it holds other files")
        ->type_name("DIR")
        ->group(bake)
        ->capture_default_str();
    app.add_option("--jobs", a.jobs, "worker threads (default: all cores)")
        ->type_name("N")
        ->group(bake)
        ->transform(cli::whole_number("a number of threads", 1, 1024, cli::Written::digits_or_decimal));
    app.add_option("--twins",
                   "only these twins, comma-separated: citizen, council, administration\n"
                   "(default: all three); layers none of them holds are not tiled")
        ->type_name("LIST")
        ->group(bake)
        ->check([&a](const std::string& v) -> std::string {
            a.twins.clear();
            for (size_t b = 0; b <= v.size();) {
                const size_t e = std::min(v.find(',', b), v.size());
                const std::string id = v.substr(b, e - b);
                if (id != "citizen" && id != "council" && id != "administration")
                    return "expects citizen, council and/or administration, not '" + id + "'";
                a.twins.push_back(id);
                b = e + 1;
            }
            return {};
        });
    app.add_flag("--no-flood", a.no_flood,
                 "leave out the flood scenarios (with the recipe's \"flood_scenarios\": true\n"
                 "the bake runs the HQ100 baseline and the retention basin, about a minute each)")
        ->group(bake);
    app.add_flag("--no-traffic", a.no_traffic,
                 "leave out the traffic network (with the recipe's \"traffic\": {\"network\": true}\n"
                 "the bake builds it with SUMO's netconvert, from Debian's sumo package)")
        ->group(bake);
    app.add_option("--flood-export", a.flood_out,
                   "instead of the twins: the town's HQ100 flood scenarios for zwilling-flood\n"
                   "(valley raster with buildings burned in, sites, baseline and retention basin)")
        ->type_name("DIR")
        ->group(bake);
    app.add_option("--flood-cell", a.flood.cell_m, "the flood raster's cell in metres for --flood-export")
        ->type_name("M")
        ->group(bake)
        ->capture_default_str()
        ->transform(cli::number("a number"));
    app.add_option("--max-memory",
                   "refuse a recipe whose bake is estimated to need more (default: this\n"
                   "machine's memory); the message says the estimate and its parts")
        ->type_name("GIB")
        ->group(bake)
        ->transform(cli::number("GiB", 0, 1e6, true))
        ->each([&a](const std::string& v) { a.max_memory_gib = std::stod(v); });

    const char* imports = "Imports (repeatable; each becomes its own layer)";
    auto import_option = [&](const std::string& name, const std::string& type, const std::string& help,
                             std::function<std::string(const std::string&)> take) {
        app.add_option(name, help)
            ->type_name(type)
            ->group(imports)
            ->trigger_on_parse()
            ->check(std::move(take));
    };
    // The import before an option that describes it.
    auto last = [&a](const std::string& option, bool model_only) -> Import& {
        if (a.imports.empty())
            zw::fail(option, " belongs to an import: give --model FILE or --citygml FILE first");
        if (model_only && a.imports.back().citygml)
            zw::fail(option, " is for --model imports; CityGML files carry their own coordinates");
        return a.imports.back();
    };
    import_option("--model", "FILE",
                  "a glTF/glb/OBJ/FBX model, placed with --at E,N,H [--rotate DEG] [--scale S]",
                  [&a](const std::string& v) {
                      Import imp;
                      imp.model.file = v;
                      a.imports.push_back(imp);
                      return std::string();
                  });
    import_option(
        "--at", "E,N,H",
        "where the model before it stands: EPSG:25832 easting, northing and\nheight above sea level",
        [last](const std::string& v) {
            return taken([&] {
                Import& imp = last("--at", true);
                double e, n, h;
                char extra;
                if (std::sscanf(v.c_str(), "%lf,%lf,%lf%c", &e, &n, &h, &extra) != 3)
                    zw::fail("--at expects EASTING,NORTHING,HEIGHT in EPSG:25832 metres, not '", v, "'");
                imp.model.position = {e, n, h};
                imp.have_at = true;
            });
        });
    import_option("--rotate", "DEG", "turns the model before it DEG counter-clockwise seen from above",
                  [last](const std::string& v) {
                      return taken([&] {
                          Import& imp = last("--rotate", true);
                          const std::optional<double> d = cli::decimal(v);
                          if (!d) zw::fail("--rotate expects a number, not '", v, "'");
                          imp.model.rotation_deg = *d;
                      });
                  });
    import_option("--scale", "S", "model units to metres of the model before it",
                  [last](const std::string& v) {
                      return taken([&] {
                          Import& imp = last("--scale", true);
                          const std::optional<double> d = cli::decimal(v);
                          if (!d) zw::fail("--scale expects a number, not '", v, "'");
                          imp.model.scale = *d;
                      });
                  });
    import_option("--crs", "CRS", "the coordinate system of --at (only EPSG:25832)",
                  [last](const std::string& v) { return taken([&] { last("--crs", true).model.crs = v; }); });
    import_option("--citygml", "FILE", "CityGML LoD2 buildings in EPSG:25832", [&a](const std::string& v) {
        Import imp;
        imp.citygml = true;
        imp.city.file = v;
        a.imports.push_back(imp);
        return std::string();
    });
    import_option("--layer", "ID", "layer id of the import before it (default: import / citygml_buildings)",
                  [last](const std::string& v) {
                      return taken([&] {
                          Import& imp = last("--layer", false);
                          (imp.citygml ? imp.city.layer_id : imp.model.layer_id) = v;
                      });
                  });
    import_option("--access", "TWIN",
                  "lowest twin that holds the import before it: citizen, council or\n"
                  "administration (default: council for models, citizen for CityGML)",
                  [last](const std::string& v) {
                      return taken([&] {
                          Import& imp = last("--access", false);
                          (imp.citygml ? imp.city.access : imp.model.access) = parse_access(v);
                      });
                  });

    const char* server =
        "Server configuration (OUT/server/zwilling.conf, an nginx site; see docs/serving.md)";
    auto server_option = [&](const std::string& name, const std::string& type, const std::string& help) {
        app.add_option(name, help)->type_name(type)->group(server)->check([&a, name](const std::string& v) {
            return taken([&] {
                parse_server_option(
                    name, [&] { return v; }, a.server);
            });
        });
    };
    const ServerOptions defaults;
    server_option("--server-root", "DIR",
                  "where the twins lie on the server (default " + defaults.root + ")");
    server_option("--server-name", "NAME", "host name of the twins' URLs (default " + defaults.name + ")");
    server_option("--server-address", "IP", "listen on this address only (default: all IPv4 and IPv6)");
    server_option("--server-port", "N", "https port (default " + std::to_string(defaults.port) + ")");
    server_option("--server-cert", "FILE", "certificate, PEM (default " + defaults.certificate + ")");
    server_option("--server-key", "FILE", "its private key, PEM (default " + defaults.key + ")");
    server_option("--server-users", "DIR",
                  "htpasswd files citizen, council, administration\n(default " + defaults.users + ")");
    app.add_option("--server-config", a.server_config,
                   "instead of a bake: write only the server configuration for the twins\n"
                   "in DIR (a bake's output)")
        ->type_name("DIR")
        ->group(server);
    app.add_option("--server-out", a.server_out, "with --server-config: write it here (default: DIR/server)")
        ->type_name("DIR")
        ->group(server);

    CLI::App* check = app.add_subcommand(
        "check",
        "check DIR, a bake's output: every twin's tilesets (fields, bounding volumes,\n"
        "geometric error, URIs, tile budgets); scans citizen/ and council/ for anything they\n"
        "may not hold, and proves that server/zwilling.conf lets each login read exactly what\n"
        "the manifests grant");
    check->add_option("DIR", a.check, "a bake's output folder")->type_name("")->required();
    return check;
}

// The message for a parse error: "--option expects ...".
std::string message(const CLI::App& app, const CLI::ParseError& e) {
    const std::string m = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e))
        return "unknown argument '" + (app.remaining().empty() ? m : app.remaining().front()) + "'";
    const size_t colon = m.find(": ");
    if (m.rfind("--", 0) != 0 || colon == std::string::npos) return m;
    const std::string name = m.substr(0, colon), rest = m.substr(colon + 2);
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
        // "--out: 1 required DIR missing"
        const CLI::Option* opt = app.get_option_no_throw(name);
        return name + " needs " + (opt ? opt->get_type_name() : "a value");
    }
    // "--seed: expects ...", "--access: --access expects ..."
    return rest.rfind(name, 0) == 0 ? rest : name + " " + rest;
}

// Options given that do not go with `check` or --server-config; empty when fine.
std::string mode_error(const CLI::App& app, const CLI::App& check) {
    const bool server_config = app.count("--server-config") > 0;
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->count() == 0) continue;
        if (check.parsed()) return "check expects one folder: zwilling-bake check DIR";
        if (server_config && opt->get_group().rfind("Server", 0) != 0)
            return opt->get_name() +
                   " does not go with --server-config (it writes only the server "
                   "configuration)";
    }
    if (!server_config && app.count("--server-out") > 0) return "--server-out needs --server-config DIR";
    return {};
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
    Args a;
    CLI::App app("", "zwilling-bake");
    const CLI::App* check = declare(app, a);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::string help = app.help();
        // CLI11 2.1 puts two empty lines between groups of options.
        for (size_t at; (at = help.find("\n\n\n")) != std::string::npos;)
            help.erase(at, 1);
        std::fputs(help.c_str(), stdout);
        return 0;
    } catch (const CLI::ParseError& e) {
        if (check->parsed()) return usage_error("check expects one folder: zwilling-bake check DIR");
        return usage_error(message(app, e));
    }
    if (const std::string m = mode_error(app, *check); !m.empty()) return usage_error(m);
    try {
        if (check->parsed()) return run_check(a.check);
        if (app.count("--server-config")) {
            const fs::path server_out =
                a.server_out.empty() ? fs::path(a.server_config) / "server" : fs::path(a.server_out);
            std::printf("wrote %s\n", write_server_config(a.server_config, a.server, server_out).c_str());
            return 0;
        }
        const fs::path recipe_path = a.recipe;
        const fs::path out = a.out;
        const fs::path flood_out = a.flood_out;
        const FloodExportOptions& flood = a.flood;
        const std::vector<Import>& imports = a.imports;
        const ServerOptions& server = a.server;
        const auto start = std::chrono::steady_clock::now();
        Recipe recipe = load_recipe(recipe_path);
        if (a.seed) recipe.seed = *a.seed;
        {
            // Refused before any work: a recipe that would not fit is a typo or needs a
            // bigger machine, not an hour of swapping.
            Recipe planned = recipe;
            if (a.no_flood) planned.flood_scenarios = false;
            const double physical = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
            if (a.max_memory_gib)
                check_bake_memory(planned, *a.max_memory_gib * double(uint64_t(1) << 30), "--max-memory");
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
        options.threads = a.jobs;
        options.twins = a.twins;
        options.flood = !a.no_flood;
        options.traffic = !a.no_traffic;
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
