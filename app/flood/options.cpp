#include "app/flood/options.h"

#include <charconv>
#include <cmath>

namespace zw::flood_app {
namespace {

bool parse_number(const std::string& s, double& out) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

}  // namespace

const char* usage() {
    return "usage: zwilling-flood SCENARIO.json --out DIR [options]\n"
           "Runs a flood scenario (docs/flood-scenario.md) on the CPU (or --gpu) and writes into DIR:\n"
           "  depth_<t>s.asc        water depth (m) at each output time, ESRI ASCII grids\n"
           "  frames.zwf            the same depths, 1 mm steps, compressed, for playback in the viewer\n"
           "  max_depth.asc         the largest depth each cell saw\n"
           "  arrival_time.asc      when each cell first got --arrival-depth of water (s; NODATA: never)\n"
           "  summary.json          volume balance, steps, wall time, cell updates per second\n"
           "  impacts.csv           with \"sites\" in the scenario: per site max depth and first wetting\n"
           "options:\n"
           "  --threads N           solver threads (default: every core)\n"
           "  --until S             stop after S simulated seconds (default: the scenario's duration_s);\n"
           "                        S is always an output time\n"
           "  --arrival-depth M     depth that counts as reached for arrival_time.asc (default 0.10)\n"
           "  --quiet               no progress lines\n"
           "  --gpu                 the solver as Vulkan compute kernels (first or second order, float64)\n"
           "  --validation          with --gpu: the Vulkan validation layer on\n"
           "  --help                show this text\n";
}

ParseResult parse_args(const std::vector<std::string>& args) {
    ParseResult r;
    flood::RunOptions& o = r.options;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* what) -> const std::string* {
            if (i + 1 >= args.size()) {
                r.error = a + " needs " + what;
                return nullptr;
            }
            return &args[++i];
        };
        double v = 0;
        if (a == "--help" || a == "-h") {
            r.help = true;
        } else if (a == "--out") {
            const std::string* s = value("a folder");
            if (!s) return r;
            o.out = *s;
        } else if (a == "--threads") {
            const std::string* s = value("a thread count");
            if (!s) return r;
            if (!parse_number(*s, v) || v < 1 || v > 256 || v != std::floor(v)) {
                r.error = "--threads expects a whole number from 1 to 256 (got '" + *s + "')";
                return r;
            }
            o.threads = unsigned(v);
        } else if (a == "--until") {
            const std::string* s = value("seconds");
            if (!s) return r;
            if (!parse_number(*s, v) || !(v > 0)) {
                r.error = "--until expects simulated seconds above 0 (got '" + *s + "')";
                return r;
            }
            o.until_s = v;
        } else if (a == "--arrival-depth") {
            const std::string* s = value("metres");
            if (!s) return r;
            if (!parse_number(*s, v) || !(v > 0)) {
                r.error = "--arrival-depth expects metres above 0 (got '" + *s + "')";
                return r;
            }
            o.arrival_m = v;
        } else if (a == "--quiet") {
            o.quiet = true;
        } else if (a == "--gpu") {
            o.gpu = true;
        } else if (a == "--validation") {
            o.validation = true;
        } else if (!a.empty() && a[0] == '-') {
            r.error = "unknown option '" + a + "' (zwilling-flood --help lists the options)";
            return r;
        } else if (o.scenario.empty()) {
            o.scenario = a;
        } else {
            r.error = "only one scenario file can be given (got '" + o.scenario + "' and '" + a + "')";
            return r;
        }
    }
    if (r.help) return r;
    if (o.scenario.empty())
        r.error = "no scenario file given";
    else if (o.out.empty())
        r.error = "--out DIR is needed (the folder for the rasters and summary.json)";
    return r;
}

}  // namespace zw::flood_app
