#include "app/bake/flood_bundle.h"

#include <fstream>
#include <iterator>

#include "app/bake/critical_sites.h"
#include "app/bake/flood_export.h"
#include "app/bake/output_dir.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/impacts.h"
#include "engine/scenario/flood/run.h"

namespace zw::bake {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read '", path.string(), "'");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

json read_json(const fs::path& path) {
    return json::parse(read_text(path));
}

void copy_into(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) fail("cannot copy '", from.string(), "' to '", to.string(), "': ", ec.message());
}

// The summary a twin gets: the run's numbers without the machine's (wall time, threads:
// the bake is deterministic), and the impacts over the sites this twin holds (what the
// sites leave out, the impacts leave out too).
json twin_summary(json run, const scenario::Impacts& im, const std::vector<scenario::Site>& sites) {
    for (const char* machine : {"wall_s", "cell_updates_per_s", "threads", "solver"})
        run.erase(machine);
    run["impacts"] = scenario::impacts_json(im, sites);
    return run;
}

}  // namespace

json twin_sites(const json& all_sites, const FloodTwin& twin) {
    // What the twin may not hold is left out of the file, not just hidden.
    json sites = all_sites;
    for (json& s : sites) {
        if (!twin.residents) s.erase("residents");
        if (!twin.critical) s.erase("critical");
        const auto id = s.find("id");
        if (id == s.end() || !id->is_string()) continue;
        const auto generic = twin.unnamed_critical.find(id->get<std::string>());
        if (generic == twin.unnamed_critical.end()) continue;
        s["id"] = generic->second;
        s["name"] = generic_public_use;
        s["kind"] = generic_public_use;
        if (twin.critical) s["critical"] = false;
    }
    return sites;
}

FloodBundle bake_flood(const Recipe& recipe, const std::vector<FloodTwin>& twins, const fs::path& work,
                       unsigned threads) {
    std::error_code ec;
    fs::remove_all(work, ec);
    const fs::path inputs = work / "inputs";
    const json exported = export_flood_scenarios(recipe, inputs);
    const std::vector<std::string> ids = {"hq100-baseline", "hq100-measures"};

    FloodBundle out;
    std::map<std::string, json> runs;  // id -> the runner's summary
    for (const std::string& id : ids) {
        core::info("bake: flood scenario ", id, " (", exported["ncols"], " x ", exported["nrows"],
                   " cells of ", exported["cell_m"], " m, 6 h of HQ100)...");
        scenario::FloodRunOptions o;
        o.scenario = (inputs / (id + ".json")).string();
        o.out = (work / id).string();
        o.threads = std::max(1u, threads);
        o.ascii_frames = false;
        o.quiet = true;
        runs[id] = json::parse(scenario::run_flood(o));
        const json& r = runs[id];
        out.report[id] = {{"wall_s", r["wall_s"]},
                          {"steps", r["steps"]},
                          {"cell_updates", r["cell_updates"]},
                          {"cell_updates_per_s", r["cell_updates_per_s"]},
                          {"threads", r["threads"]},
                          {"relative_volume_error", r["volume_m3"]["relative_error"]},
                          {"impacts", r["impacts"]}};
        core::info("bake: ", id, ": ", r["steps"], " steps in ", std::lround(r["wall_s"].get<double>()),
                   " s; ", r["impacts"]["over_10cm"], " buildings over 10 cm, ", r["impacts"]["over_50cm"],
                   " over 50 cm");
    }

    const json all_sites = read_json(inputs / "sites.json");
    for (const FloodTwin& twin : twins) {
        const fs::path dir = twin.dir / "scenarios" / "hq100";
        fs::create_directories(dir, ec);
        if (ec) fail("cannot create '", dir.string(), "': ", ec.message());
        copy_into(inputs / "terrain.asc", dir / "terrain.asc");
        copy_into(inputs / "initial_depth.asc", dir / "initial_depth.asc");
        const std::string sites_text = twin_sites(all_sites, twin).dump(1) + "\n";
        write_file(dir / "sites.json", sites_text);
        const std::vector<scenario::Site> parsed =
            scenario::parse_sites(sites_text, (dir / "sites.json").string());

        json entries = json::array();
        for (const std::string& id : ids) {
            const json sc = read_json(inputs / (id + ".json"));
            const bool is_public = sc.value("public", false);
            if (!is_public && !twin.all_scenarios) continue;
            write_file(dir / (id + ".json"), sc.dump(1) + "\n");
            const fs::path results = dir / id;
            fs::create_directories(results, ec);
            if (ec) fail("cannot create '", results.string(), "': ", ec.message());
            for (const char* f : {"frames.zwf", "max_depth.asc", "arrival_time.asc"})
                copy_into(work / id / f, results / f);
            const scenario::Impacts im = scenario::compute_impacts(
                scenario::read_ascii_grid((results / "max_depth.asc").string()),
                scenario::read_ascii_grid((results / "arrival_time.asc").string()), parsed, 0.10, 0.50);
            write_file(results / "impacts.csv", scenario::impacts_csv(im, parsed));
            write_file(results / "summary.json", twin_summary(runs[id], im, parsed).dump(1) + "\n");
            entries.push_back({{"id", id},
                               {"kind", "flood"},
                               {"title_de", sc.value("title_de", id)},
                               {"title_en", sc.value("title_en", id)},
                               {"uri", "scenarios/hq100/" + id + ".json"},
                               {"results", "scenarios/hq100/" + id + "/"},
                               {"public", is_public}});
        }
        out.scenarios[twin.id] = entries;
    }
    fs::remove_all(work, ec);
    return out;
}

}  // namespace zw::bake
