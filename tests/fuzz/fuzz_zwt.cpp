// libFuzzer target: the trajectory bundle reader (trajectories.zwt,
// engine/scenario/traffic/trajectories.h). The input is written to a file (the reader
// seeks in files), opened, every chunk decoded and a few times played. Bad input must end
// in zw::Error; any other exception, a sanitizer report, more than 2 GiB of memory or a
// broken invariant below is a finding. Invariants: chunks hold their index's counts and
// times within [t0, t1], samples name vehicles in the table, ascending at each time, each
// between its first and last sample time; played states are finite, ascending by vehicle,
// headings in [0, 360) and speeds >= 0.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/scenario/traffic/trajectories.h"

namespace {

const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_zwt: invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

const std::string& scratch() {
    static const std::string path =
        (std::filesystem::temp_directory_path() / ("zw_fuzz_zwt_" + std::to_string(getpid()) + ".zwt"))
            .string();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace zw::scenario::traffic;
    {
        std::ofstream out(scratch(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    }
    try {
        TrajectoryReader r = TrajectoryReader::open(scratch(), 2);
        const auto& vehicles = r.vehicles();
        for (size_t k = 0; k < r.chunks().size(); ++k) {
            const ChunkInfo& info = r.chunks()[k];
            const auto c = r.chunk(k);
            if (c->times_s.size() != info.times || c->samples.size() != info.samples ||
                c->first.size() != c->times_s.size() + 1 || c->first.back() != c->samples.size())
                broken_invariant("chunk counts", std::to_string(k));
            for (size_t i = 0; i < c->times_s.size(); ++i) {
                const double t = c->times_s[i];
                if (!(t >= info.t0_s && t <= info.t1_s))
                    broken_invariant("a time outside its chunk", std::to_string(t));
                for (uint32_t j = c->first[i]; j < c->first[i + 1]; ++j) {
                    const Sample& s = c->samples[j];
                    if (s.vehicle >= vehicles.size())
                        broken_invariant("vehicle number", std::to_string(s.vehicle));
                    if (j > c->first[i] && !(c->samples[j - 1].vehicle < s.vehicle))
                        broken_invariant("vehicles not ascending", std::to_string(j));
                    if (t < vehicles[s.vehicle].first_s || t > vehicles[s.vehicle].last_s)
                        broken_invariant("a sample outside its vehicle's times", std::to_string(t));
                }
            }
        }
        std::vector<VehicleState> states;
        for (int i = 0; i <= 8; ++i) {
            r.state_at(r.begin_s() + (r.end_s() - r.begin_s()) * i / 8.0 + (i % 2) * 0.37, states);
            for (size_t j = 0; j < states.size(); ++j) {
                const VehicleState& v = states[j];
                if (v.vehicle >= vehicles.size() || (j > 0 && !(states[j - 1].vehicle < v.vehicle)))
                    broken_invariant("played vehicles", std::to_string(v.vehicle));
                if (!std::isfinite(v.position.x) || !std::isfinite(v.position.y) ||
                    !std::isfinite(v.position.z) || !(v.angle_deg >= 0 && v.angle_deg < 360) ||
                    !(v.speed_ms >= 0))
                    broken_invariant("a played state", std::to_string(v.angle_deg));
            }
        }
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
    }
    return 0;
}
