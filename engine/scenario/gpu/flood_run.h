// zwilling-flood's run: the run of engine/scenario/flood/run.h on the solver the user
// chose, the CPU's or the Vulkan compute solver (flood_solver.h) on a headless device.
// The header carries no Vulkan types.
#pragma once

#include <string>

#include "engine/scenario/flood/run.h"

namespace zw::flood {

struct RunOptions : scenario::FloodRunOptions {
    bool gpu = false;         // the Vulkan compute solver (GpuSolver) instead of the CPU's
    bool validation = false;  // with gpu: the Vulkan validation layer on
};

// scenario::run_flood on the chosen solver; with gpu it creates a headless Vulkan device
// first (throws zw::Error when there is none or it lacks shaderFloat64). Returns the
// summary JSON text.
std::string run(const RunOptions& options);

}  // namespace zw::flood
