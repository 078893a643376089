// zwilling-flood: runs a flood scenario file (docs/flood-scenario.md) without a window:
// terrain and measures, the CPU solver, depth rasters at the output times, max-depth and
// arrival-time rasters, and a JSON summary (volume balance, steps, wall time, cell updates
// per second).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zw::flood_app {

struct RunOptions {
    std::string scenario;      // the scenario JSON
    std::string out;           // folder for the rasters and summary.json (created)
    unsigned threads = 0;      // 0: every core
    double until_s = 0;        // > 0: stop there instead of at the scenario's duration
    double arrival_m = 0.10;   // depth at which a cell counts as reached (arrival_time.asc)
    bool quiet = false;        // no progress lines
    bool gpu = false;          // the Vulkan compute solver (engine/scenario/gpu/flood_solver.h)
    bool validation = false;   // with gpu: the Vulkan validation layer on
    bool ascii_frames = true;  // false: no depth_<t>s.asc (frames.zwf holds the same depths)
};

// Runs it; throws zw::Error with what to do on bad input. Returns the summary JSON text.
std::string run(const RunOptions& options);

// The depth raster's name for output time t (s): depth_0000600s.asc, depth_0000000.3s.asc;
// distinct times give distinct names.
std::string depth_file_name(double t);

}  // namespace zw::flood_app
