// libFuzzer target: flood scenario files (engine/scenario/flood_scenario) and the
// measures they apply to a terrain. Bad input must end in zw::Error; any other
// exception, a sanitizer report or a broken invariant below is a finding. Invariants:
// what is read lies within the documented limits (engine/scenario/flood/scenario.h): output times grow
// within (0, duration], series values are finite and bounded, names are printable, and
// the measures edit a 160 m grid without touching cells outside it.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/core/error.h"
#include "engine/core/json_fields.h"
#include "engine/scenario/flood/scenario.h"

namespace {

const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_flood_scenario: invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

void check_series(const zw::scenario::Series& s, double max, const char* what) {
    for (size_t i = 0; i < s.points.size(); ++i) {
        const auto& p = s.points[i];
        if (!(p[0] >= 0 && p[0] <= zw::scenario::max_series_time_s && p[1] >= 0 && p[1] <= max))
            broken_invariant(what, std::to_string(p[0]) + ", " + std::to_string(p[1]));
        if (i > 0 && !(p[0] > s.points[i - 1][0])) broken_invariant(what, "times do not grow");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace zw::scenario;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    FloodScenario s;
    try {
        s = parse_flood_scenario(text, "/fuzz/scenario.json");
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
        return 0;
    }
    if (!(s.duration_s > 0 && s.duration_s <= max_duration_s))
        broken_invariant("duration", std::to_string(s.duration_s));
    if (s.output_times_s.empty() || s.output_times_s.size() > max_outputs + 1)
        broken_invariant("output times", std::to_string(s.output_times_s.size()));
    for (size_t i = 0; i < s.output_times_s.size(); ++i) {
        const double t = s.output_times_s[i];
        if (!(t > 0 && t <= s.duration_s + 1e-6)) broken_invariant("an output time", std::to_string(t));
        if (i > 0 && !(t > s.output_times_s[i - 1]))
            broken_invariant("output times do not grow", std::to_string(t));
    }
    if (!(s.courant > 0 && s.courant <= 1)) broken_invariant("courant", std::to_string(s.courant));
    if (s.manning_grid.empty() && !(s.manning > 0 && s.manning <= max_manning))
        broken_invariant("manning", std::to_string(s.manning));
    for (const std::string* t : {&s.id, &s.title_de, &s.title_en, &s.description_de, &s.description_en})
        if (!zw::core::text_problem(*t, 1 << 20, true).empty()) broken_invariant("text not printable", *t);
    if (s.id.empty()) broken_invariant("an empty id", "");
    for (const Inflow& in : s.inflows) {
        if (in.at.empty() || in.discharge.points.empty()) broken_invariant("an empty inflow", in.name);
        check_series(in.discharge, max_inflow_m3_s, "an inflow's hydrograph");
    }
    check_series(s.rain_mm_per_h, max_rain_mm_per_h, "the rain");
    // The measures on a small grid: cells change only within it, by the measure's amount.
    AsciiGrid g;
    g.ncols = g.nrows = 16;
    g.cellsize = 10;  // 160 m: the seeds' measures land on it
    g.values.assign(256, 100.0);
    try {
        const std::vector<size_t> changed = apply_measures(g, s.measures);
        if (changed.size() != s.measures.size()) broken_invariant("changed per measure", "");
        for (size_t n : changed)
            if (n == 0 || n > 256) broken_invariant("cells changed", std::to_string(n));
        for (double z : g.values)
            if (!std::isfinite(z) || std::abs(z - 100) > 50 * double(s.measures.size()) + 1e-9)
                broken_invariant("a cell out of range", std::to_string(z));
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "measures refused: %s\n", e.what());
    }
    return 0;
}
