// zwilling-flood: runs a flood scenario file (engine/scenario/gpu/flood_run.h) from the command line.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include "app/cli/validators.h"
#include "engine/core/error.h"
#include "engine/scenario/gpu/flood_run.h"

namespace {

using zw::cli::above_zero;
using zw::cli::whole_number;

void declare(CLI::App& app, zw::flood::RunOptions& o) {
    app.description(
        "Runs a flood scenario (docs/flood-scenario.md) on the CPU (or --gpu) and writes into DIR:\n"
        "  depth_<t>s.asc        water depth (m) at each output time, ESRI ASCII grids\n"
        "  frames.zwf            the same depths, 1 mm steps, compressed, for playback in the viewer\n"
        "  max_depth.asc         the largest depth each cell saw\n"
        "  arrival_time.asc      when each cell first got --arrival-depth of water (s; NODATA: never)\n"
        "  summary.json          volume balance, steps, wall time, cell updates per second\n"
        "  impacts.csv           with \"sites\" in the scenario: per site max depth and first wetting\n");
    app.get_formatter()->column_width(26);
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.set_help_flag("-h,--help", "show this text");
    app.add_option("SCENARIO", o.scenario, "the scenario file (JSON)")->type_name("");
    app.add_option("--out", o.out, "folder for the rasters and summary.json (created; needed)")
        ->type_name("DIR");
    app.add_option("--threads", o.threads, "solver threads (default: every core)")
        ->type_name("N")
        ->transform(whole_number("a whole number", 1, 256, zw::cli::Written::digits_or_decimal));
    app.add_option("--until", o.until_s,
                   "stop after S simulated seconds (default: the scenario's duration_s);\n"
                   "S is always an output time")
        ->type_name("S")
        ->transform(above_zero("simulated seconds"));
    app.add_option("--arrival-depth", o.arrival_m,
                   "depth in metres that counts as reached for arrival_time.asc")
        ->type_name("M")
        ->capture_default_str()
        ->transform(above_zero("metres"));
    app.add_flag("--quiet", o.quiet, "no progress lines");
    app.add_flag("--gpu", o.gpu, "the solver as Vulkan compute kernels (first or second order, float64)");
    app.add_flag("--validation", o.validation, "with --gpu: the Vulkan validation layer on");
}

// Parses argv into the options bound in `app`: the message for a usage error (exit code 2),
// "" when they are fine, nullopt for --help.
std::optional<std::string> parse(CLI::App& app, const zw::flood::RunOptions& o, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        return std::nullopt;
    } catch (const CLI::ExtrasError&) {
        const std::string extra = app.remaining().front();
        if (extra.empty() || extra[0] != '-')
            return "only one scenario file can be given (got '" + o.scenario + "' and '" + extra + "')";
        return "unknown option '" + extra + "' (zwilling-flood --help lists the options)";
    } catch (const CLI::ArgumentMismatch& e) {
        // "--out: 1 required DIR missing"
        const std::string name = std::string(e.what()).substr(0, std::string(e.what()).find(':'));
        return name + " needs " + app.get_option(name)->get_type_name();
    } catch (const CLI::ParseError& e) {
        std::string m = e.what();  // "--until: expects ..."
        if (const size_t colon = m.find(": "); colon != std::string::npos) m.erase(colon, 1);
        return m;
    }
    if (o.scenario.empty()) return "no scenario file given";
    if (o.out.empty()) return "--out DIR is needed (the folder for the rasters and summary.json)";
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    zw::flood::RunOptions o;
    CLI::App app("", "zwilling-flood");
    declare(app, o);
    const std::optional<std::string> error = parse(app, o, argc, argv);
    if (!error) {
        std::fputs(app.help().c_str(), stdout);
        return 0;
    }
    if (!error->empty()) {
        std::fprintf(stderr, "zwilling-flood: %s\n%s", error->c_str(), app.help().c_str());
        return 2;
    }
    try {
        zw::flood::run(o);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "zwilling-flood error: %s\n", e.what());
        return 1;
    }
}
