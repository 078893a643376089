// The flood solver on the GPU (issue 6, part 2): the scheme of
// engine/scenario/flood/solver.h (HLL on the hydrostatic reconstruction, semi-implicit
// Manning, CFL step, inflows, rain, closed and free sides; first order, or MUSCL + Heun with
// Options::second_order) as Vulkan compute kernels (shaders/flood_*.comp), in double
// precision.
//
// Per step four dispatches: flood_control (the step from the last wave speed by the rule
// that Solver::step_towards uses, one source for both in shaders/flood_step.glsl, and the
// step's inflow and rain depths from the hydrographs uploaded at start), flood_flux (every x and y
// interface), flood_cell (the cell update, friction, sources, tracking and per-workgroup partial sums) and
// flood_reduce (the wave speed for the next step and the volume bookkeeping in double). All but flood_control
// are indirect dispatches that flood_control empties once the time reaches t_end, so batches of steps are
// recorded once and submitted without the CPU looking at any step; the host reads 128 bytes of bookkeeping
// per batch (two batches in flight) and the state only in state(). Second order runs slopes (flood_slope),
// fluxes and the cell kernel twice per step: once on U0 writing the Heun stage, once on the stage finishing
// the step: eight dispatches, about three times the time of a first-order step (lavapipe, 2048 x 2048: 4.7
// vs 14.4 M cell updates/s; tests/bench/flood_gpu_bench.cpp).
//
// Precision: needs shaderFloat64 (lavapipe and most desktop GPUs have it); supported()
// says whether the device has it, and the constructor throws zw::Error otherwise. The
// results agree with Solver to rounding: sums run in another order, and h^(4/3) in the
// friction term comes from a Newton cube root (GLSL has no double pow).
// Not yet: a float32 fallback.
//
// The header carries no Vulkan types; gpu::Context is only named.
#pragma once

#include <memory>
#include <vector>

#include "engine/scenario/flood/solver.h"

namespace zw::gpu {
class Context;
}

namespace zw::flood {

class GpuSolver {
  public:
    // The same contract as Solver's constructor (throws std::invalid_argument for
    // mismatched sizes); also throws zw::Error when the device lacks shaderFloat64 or the
    // grid is too large for one storage buffer. arrival_depth (m): the depth at which arrival_time()
    // records a cell's first wetting. Uploads everything; waits for the upload.
    GpuSolver(gpu::Context& ctx, Grid grid, FloodInputs inputs, Options options, State initial = {},
              double arrival_depth = 0.10);
    ~GpuSolver();
    GpuSolver(const GpuSolver&) = delete;
    GpuSolver& operator=(const GpuSolver&) = delete;

    static bool supported(const gpu::Context& ctx);

    // Steps on the GPU until the time is exactly t_end (as Solver::run_until); returns when
    // the GPU is done.
    void run_until(double t_end);

    // Downloads the water (waits for the GPU).
    State state() const;
    // The largest depth each cell had after any step (m), and the time it first reached
    // arrival_depth (s; -9999: never), downloaded.
    std::vector<double> max_depth() const;
    std::vector<double> arrival_time() const;

    const Grid& grid() const;
    const Stats& stats() const;  // as of the end of the last run_until
    double time() const { return stats().t; }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace zw::flood
