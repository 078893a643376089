// libFuzzer target: the streaming readers of SUMO's XML outputs
// (engine/scenario/traffic/sumo_xml.h). The first byte picks the reader (0 FCD, 1 edgeData,
// 2 tripinfo, 3 the net offset of a network); the rest is written to a file and read. Bad
// input must end in zw::Error; any other exception (none may cross expat), a sanitizer
// report or a broken invariant is a finding. Invariants: every number read is finite; no
// flow and no figure of the trips' summary is NaN.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/core/error.h"
#include "engine/scenario/traffic/summary.h"
#include "engine/scenario/traffic/sumo_xml.h"

namespace {

const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_sumo_xml: invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

void finite(double v, const char* what) {
    if (!std::isfinite(v)) broken_invariant(what, std::to_string(v));
}

const std::string& scratch() {
    static const std::string path =
        (std::filesystem::temp_directory_path() / ("zw_fuzz_sumo_" + std::to_string(getpid()) + ".xml"))
            .string();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace zw::scenario::traffic;
    if (size == 0) return 0;
    {
        std::ofstream out(scratch(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data + 1), std::streamsize(size - 1));
    }
    try {
        switch (data[0] % 4) {
            case 0: {
                FcdCallbacks cb;
                cb.step = [](double t) { finite(t, "a timestep"); };
                cb.vehicle = [](const FcdVehicle& v) {
                    for (double x : {v.x, v.y, v.z, v.angle_deg, v.speed_ms, v.pos_m, v.slope_deg})
                        finite(x, "a vehicle's number");
                };
                read_fcd(scratch(), cb);
                break;
            }
            case 1:
                for (const EdgeInterval& iv : read_edge_data(scratch())) {
                    finite(iv.begin_s, "begin");
                    finite(iv.end_s, "end");
                    for (const EdgeMeasure& m : iv.edges) {
                        for (double x :
                             {m.sampled_s, m.speed_ms, m.density_veh_km, m.waiting_s, m.entered, m.left})
                            finite(x, "an edge's number");
                        if (std::isnan(m.flow_vph)) broken_invariant("flow", m.edge);
                    }
                }
                break;
            case 2: {
                const TripSummary s = summarize_trips(read_tripinfo(scratch()));
                // Sums of finite numbers may overflow to infinity only from huge inputs;
                // the mean and median of finite durations stay finite or infinite, never NaN.
                if (std::isnan(s.mean_travel_time_s) || std::isnan(s.median_travel_time_s))
                    broken_invariant("a NaN in the summary", "");
                break;
            }
            default: {
                const glm::dvec2 o = read_net_offset(scratch());
                finite(o.x, "netOffset");
                finite(o.y, "netOffset");
            }
        }
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
    }
    return 0;
}
