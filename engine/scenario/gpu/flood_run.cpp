#include "engine/scenario/gpu/flood_run.h"

#include <memory>
#include <utility>

#include "engine/gpu/context.h"
#include "engine/scenario/gpu/flood_solver.h"

namespace zw::flood {
namespace {

// GpuSolver on a Context of its own, as the run drives it: to each output time, read back
// only there; it tracks the max depth and arrival time itself.
class GpuRunSolver final : public scenario::RunSolver {
  public:
    GpuRunSolver(const RunOptions& o, Grid grid, FloodInputs inputs, Options options, State initial)
        : ctx_(std::make_unique<gpu::Context>(gpu::ContextOptions{o.validation, "", {}, {}, o.quiet})),
          solver_(*ctx_, std::move(grid), std::move(inputs), options, std::move(initial), o.arrival_m) {}

    void run_until(double t_end) override { solver_.run_until(t_end); }
    State state() const override { return solver_.state(); }
    std::vector<double> max_depth() const override { return solver_.max_depth(); }
    std::vector<double> arrival_time() const override { return solver_.arrival_time(); }
    const Stats& stats() const override { return solver_.stats(); }
    const char* name() const override { return "vulkan compute (float64)"; }

  private:
    std::unique_ptr<gpu::Context> ctx_;  // before solver_: destroyed after it
    GpuSolver solver_;
};

}  // namespace

std::string run(const RunOptions& o) {
    if (!o.gpu) return scenario::run_flood(o);
    return scenario::run_flood(o, [&o](Grid grid, FloodInputs inputs, Options options, State initial) {
        return std::make_unique<GpuRunSolver>(o, std::move(grid), std::move(inputs), options,
                                              std::move(initial));
    });
}

}  // namespace zw::flood
