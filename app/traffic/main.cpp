// zwilling-traffic: runs a traffic scenario file with SUMO (engine/scenario/sumo/run.h), or
// imports a town's own SUMO run (engine/scenario/traffic/import.h), from the command line.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "app/cli/validators.h"
#include "engine/core/error.h"
#include "engine/scenario/sumo/run.h"
#include "engine/scenario/traffic/import.h"

namespace {

using zw::cli::above_zero;

struct Options {
    std::string scenario, out;
    bool fcd = false, quiet = false;
    double until_s = 0;
    zw::scenario::traffic::SumoImportOptions import;
};

void declare(CLI::App& app, CLI::App& import, Options& o) {
    app.description(
        "Runs a traffic scenario (docs/traffic-scenario.md) with SUMO and writes into DIR:\n"
        "  trajectories.zwt      every vehicle each sample step, for playback (docs/traffic-bundle.md)\n"
        "  edge_measures.json    flow, speed, density, waiting time per road and interval\n"
        "  summary.json          trips, travel times, delay; vehicles inserted, arrived, running,\n"
        "                        stranded by closures, not started (with reasons); wall time\n"
        "  closures.json         the closures as applied\n"
        "  tripinfo.xml, edgedata.xml, sumo.log   SUMO's own outputs (and fcd.xml with --fcd)\n"
        "DIR is written whole or not at all.\n\n"
        "zwilling-traffic import --net NET --fcd FCD --out DIR turns a SUMO run made elsewhere\n"
        "into the same files (zwilling-traffic import --help).\n");
    app.get_formatter()->column_width(26);
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.set_help_flag("-h,--help", "show this text");
    app.add_option("SCENARIO", o.scenario, "the scenario file (JSON)")->type_name("");
    app.add_option("--out", o.out, "folder for the outputs (needed)")->type_name("DIR");
    app.add_flag("--fcd", o.fcd, "also keep SUMO's FCD output (fcd.xml; large)");
    app.add_option("--until", o.until_s,
                   "stop at S seconds of the day (SUMO's time, as the scenario's\n"
                   "begin_s and end_s) instead of end_s")
        ->type_name("S")
        ->transform(above_zero("seconds of the day"));
    app.add_flag("--quiet", o.quiet, "no progress lines, and no SUMO warnings (in sumo.log neither)");

    import.description("imports a SUMO run made elsewhere (import --help)");
    import.footer(
        "Turns a SUMO run made elsewhere (a town's own model) into the files zwilling-traffic\n"
        "writes, so that the viewer plays it like one of ours: trajectories.zwt from the FCD\n"
        "output, edge_measures.json from edgeData, summary.json (with the trips of a tripinfo).\n"
        "DIR is written whole or not at all.");
    import.get_formatter()->column_width(26);
    import.set_help_flag("-h,--help", "show this text");
    import.add_option("--net", o.import.net, "the run's network (.net.xml; needed): its netOffset")
        ->type_name("NET");
    import.add_option("--fcd", o.import.fcd, "its FCD output (needed)")->type_name("FCD");
    import.add_option("--edgedata", o.import.edgedata, "its edgeData output")->type_name("FILE");
    import.add_option("--tripinfo", o.import.tripinfo, "its tripinfo output")->type_name("FILE");
    import.add_option("--routes", o.import.routes, "its route file: the vClass of each vehicle type")
        ->type_name("FILE");
    const char* ground =
        "terrain heights (ESRI ASCII grid, EPSG:25832, m above sea level,\n"
        "e.g. the twin's scenarios/hq100/terrain.asc): vehicles without z\n"
        "(a network without heights) are put on it";
    import.add_option("--ground", o.import.ground, ground)->type_name("ASC");
    import.add_option("--out", o.import.out, "folder for the outputs (needed)")->type_name("DIR");
}

// Parses argv into the options bound in `app`: the message for a usage error (exit code 2),
// "" when they are fine, nullopt for --help (`help` says whose).
std::optional<std::string> parse(CLI::App& app, CLI::App& import, const Options& o, int argc, char** argv,
                                 CLI::App*& help) {
    help = &app;
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        if (import.parsed()) help = &import;
        return std::nullopt;
    } catch (const CLI::ExtrasError&) {
        CLI::App& in = import.parsed() ? import : app;
        help = &in;
        const std::string extra = in.remaining().empty() ? app.remaining().front() : in.remaining().front();
        if (!import.parsed() && (extra.empty() || extra[0] != '-'))
            return "only one scenario file can be given (got '" + o.scenario + "' and '" + extra + "')";
        return "unknown option '" + extra + "' (zwilling-traffic " + (import.parsed() ? "import " : "") +
               "--help lists the options)";
    } catch (const CLI::ArgumentMismatch& e) {
        // "--out: 1 required DIR missing"
        help = import.parsed() ? &import : &app;
        const std::string name = std::string(e.what()).substr(0, std::string(e.what()).find(':'));
        const CLI::Option* opt = help->get_option_no_throw(name);
        return name + " needs " + (opt ? opt->get_type_name() : std::string("a value"));
    } catch (const CLI::ParseError& e) {
        help = import.parsed() ? &import : &app;
        std::string m = e.what();  // "--until: expects ..."
        if (const size_t colon = m.find(": "); colon != std::string::npos) m.erase(colon, 1);
        return m;
    }
    if (import.parsed()) {
        help = &import;
        if (o.import.net.empty()) return "import needs --net NET (the run's .net.xml)";
        if (o.import.fcd.empty()) return "import needs --fcd FCD (the run's FCD output)";
        if (o.import.out.empty()) return "import needs --out DIR (the folder for the outputs)";
        return "";
    }
    if (o.scenario.empty()) return "no scenario file given";
    if (o.out.empty()) return "--out DIR is needed (the folder for the outputs)";
    return "";
}

std::string clock_text(double s) {
    const auto t = long(std::floor(s));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    return buf;
}

int run(const Options& o) {
    namespace sumo = zw::scenario::sumo;
    std::shared_ptr<const sumo::TrafficInputs> inputs;
    try {
        inputs = std::make_shared<const sumo::TrafficInputs>(sumo::read_traffic_inputs(o.scenario));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "zwilling-traffic: %s\n", e.what());
        return 2;
    }
    if (o.until_s > 0 && !(o.until_s > inputs->scenario.begin_s)) {
        std::fprintf(stderr,
                     "zwilling-traffic: --until %s is not after the scenario's begin_s (%s s; times are "
                     "seconds of the day)\n",
                     zw::cli::text(o.until_s).c_str(), zw::cli::text(inputs->scenario.begin_s).c_str());
        return 2;
    }
    sumo::TrafficRunOptions ro;
    ro.inputs = inputs;
    ro.out = o.out;
    ro.until_s = o.until_s;
    if (o.fcd) ro.fcd = true;
    ro.sumo_warnings = !o.quiet;
    // A line every tenth of the run, or every five seconds when it is slow.
    using Clock = std::chrono::steady_clock;
    auto last_line = Clock::now();
    int last_tenth = 0;
    if (!o.quiet)
        ro.progress = [&](double t, const sumo::Progress& p) {
            const int tenth = int(std::floor(p.fraction * 10 + 1e-9));
            if (tenth <= last_tenth && Clock::now() - last_line < std::chrono::seconds(5)) return;
            last_tenth = std::max(last_tenth, tenth);
            last_line = Clock::now();
            std::fprintf(
                stderr,
                "zwilling-traffic: %5.1f %%  %s, %llu vehicles running, %llu inserted, %llu arrived, "
                "%.1f s wall\n",
                100.0 * p.fraction, clock_text(t).c_str(), static_cast<unsigned long long>(p.running),
                static_cast<unsigned long long>(p.inserted), static_cast<unsigned long long>(p.arrived),
                p.wall_s);
        };
    try {
        const sumo::TrafficRunResult r = sumo::run_traffic(ro);
        if (!o.quiet)
            std::fprintf(
                stderr,
                "zwilling-traffic: %s to %s: %llu vehicles inserted, %llu arrived, %llu running at the end, "
                "%llu stranded by closures, %zu trips not started; mean travel time %.0f s; "
                "%.0fx real time (%.1f s wall). Wrote %s\n",
                clock_text(r.begin_s).c_str(), clock_text(r.end_s).c_str(),
                static_cast<unsigned long long>(r.inserted), static_cast<unsigned long long>(r.arrived),
                static_cast<unsigned long long>(r.running_at_end),
                static_cast<unsigned long long>(r.stranded), r.not_started.size(), r.trips.mean_travel_time_s,
                r.sim_s_per_wall_s, r.wall_s, o.out.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "zwilling-traffic error: %s\n", e.what());
        return 1;
    }
}

int import_run(const Options& o) {
    try {
        const auto r = zw::scenario::traffic::import_sumo_run(o.import);
        std::fprintf(stderr,
                     "zwilling-traffic import: %llu time steps, %u vehicles, %llu samples; %zu edges x %zu "
                     "intervals. Wrote %s\n",
                     static_cast<unsigned long long>(r.fcd.steps), r.trajectories.vehicles,
                     static_cast<unsigned long long>(r.fcd.samples), r.edges, r.intervals,
                     o.import.out.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "zwilling-traffic import error: %s\n", e.what());
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app("", "zwilling-traffic");
    CLI::App* import = app.add_subcommand("import");
    app.require_subcommand(0, 1);
    declare(app, *import, o);
    CLI::App* help = &app;
    const std::optional<std::string> error = parse(app, *import, o, argc, argv, help);
    // CLI11 names a subcommand's usage after the subcommand alone.
    std::string text = help->help();
    if (help == import)
        if (const size_t at = text.find("Usage: import"); at != std::string::npos)
            text.insert(at + 7, "zwilling-traffic ");
    if (!error) {
        std::fputs(text.c_str(), stdout);
        return 0;
    }
    if (!error->empty()) {
        std::fprintf(stderr, "zwilling-traffic: %s\n%s", error->c_str(), text.c_str());
        return 2;
    }
    return import->parsed() ? import_run(o) : run(o);
}
