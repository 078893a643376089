// libFuzzer target: the ESRI ASCII grid reader and writer (engine/scenario/ascii_grid).
// Bad input must end in zw::Error; any other exception, a sanitizer report or a broken
// invariant below is a finding. Invariants: a grid that is read has ncols x nrows finite
// values, and writing it and reading it back gives the same grid (values to 3 decimals,
// however large they are: the writer once copied stack bytes for values above 1e60).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/core/error.h"
#include "engine/scenario/ascii_grid.h"

namespace {

const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_ascii_grid: invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    using namespace zw::scenario;
    AsciiGrid g;
    try {
        g = parse_ascii_grid(text, "fuzz.asc");
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
        return 0;
    }
    if (g.ncols == 0 || g.nrows == 0 || g.values.size() != size_t(g.ncols) * g.nrows)
        broken_invariant("size", std::to_string(g.ncols) + " x " + std::to_string(g.nrows));
    if (!(g.cellsize > 0) || !std::isfinite(g.xllcorner) || !std::isfinite(g.yllcorner))
        broken_invariant("header", std::to_string(g.cellsize));
    for (double v : g.values)
        if (!std::isfinite(v)) broken_invariant("a value is not finite", std::to_string(v));
    // Round trip through the writer.
    const std::string written = format_ascii_grid(g, 3);
    AsciiGrid back;
    try {
        back = parse_ascii_grid(written, "written.asc");
    } catch (const zw::Error& e) {
        broken_invariant("the writer's output does not read back", e.what());
    }
    if (back.ncols != g.ncols || back.nrows != g.nrows || back.nodata.has_value() != g.nodata.has_value())
        broken_invariant("the written grid has another shape", written.substr(0, 200));
    for (size_t i = 0; i < g.values.size(); ++i) {
        const double a = g.values[i], b = back.values[i];
        if (g.is_nodata(a)) {
            if (!back.is_nodata(b)) broken_invariant("NODATA lost", std::to_string(i));
            continue;
        }
        // %.3f rounds to 0.0005; a large value is printed with all its digits (exact to
        // the double's own rounding when read back).
        if (!(std::abs(a - b) <= 0.0005 + std::abs(a) * 1e-15) && !back.is_nodata(b))
            broken_invariant("a value changed", std::to_string(a) + " -> " + std::to_string(b));
    }
    return 0;
}
