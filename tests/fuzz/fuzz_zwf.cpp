// libFuzzer target: the depth frames reader (".zwf", engine/scenario/depth_frames).
// Bad input must end in zw::Error; any other exception, a sanitizer report, more than
// 2 GiB of memory or a broken invariant below is a finding. Invariants: what is read has
// one depth raster of ncols x nrows per time (and velocities for all or none), times
// grow, depths are finite and >= 0, and encoding it and reading it back is the same.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/scenario/flood/depth_frames.h"

namespace {

const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_zwf: invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace zw::scenario;
    const std::vector<uint8_t> bytes(data, data + size);
    DepthFrames f;
    try {
        f = decode_frames(bytes, "fuzz.zwf");
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
        return 0;
    }
    const size_t n = size_t(f.ncols) * f.nrows;
    if (f.depth_m.size() != f.times_s.size())
        broken_invariant("frames per time", std::to_string(f.depth_m.size()));
    if (!f.velocity_ms.empty() && f.velocity_ms.size() != f.times_s.size())
        broken_invariant("velocity frames per time", std::to_string(f.velocity_ms.size()));
    for (size_t k = 0; k < f.depth_m.size(); ++k) {
        if (f.depth_m[k].size() != n) broken_invariant("frame size", std::to_string(k));
        for (float d : f.depth_m[k])
            if (!std::isfinite(d) || d < 0) broken_invariant("a depth", std::to_string(d));
        if (k > 0 && !(f.times_s[k] > f.times_s[k - 1]))
            broken_invariant("times do not grow", std::to_string(k));
    }
    for (const auto& v : f.velocity_ms) {
        if (v.size() != 2 * n) broken_invariant("velocity frame size", std::to_string(v.size()));
        for (float x : v)
            if (!std::isfinite(x)) broken_invariant("a velocity", std::to_string(x));
    }
    std::vector<float> out;
    f.sample(f.times_s.empty() ? 0 : f.times_s.front() + 0.5, out);
    if (out.size() != n) broken_invariant("sample size", std::to_string(out.size()));
    // Written again in our own units and read back: the same grid and times.
    try {
        const DepthFrames again = decode_frames(encode_frames(f), "again.zwf");
        if (again.ncols != f.ncols || again.nrows != f.nrows || again.times_s != f.times_s ||
            again.depth_m.size() != f.depth_m.size() || again.velocity_ms.size() != f.velocity_ms.size())
            broken_invariant("a round trip changed the frames", "");
    } catch (const zw::Error& e) {
        // Depths of another unit may exceed what 1 mm steps hold: clamped, never refused.
        broken_invariant("encode_frames' output does not read back", e.what());
    }
    return 0;
}
