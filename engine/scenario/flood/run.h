// A flood scenario file (docs/flood-scenario.md) run from start to end without a window:
// terrain and measures (setup.h), the solver, depth rasters at the output times,
// frames.zwf for playback, max-depth and arrival-time rasters, impacts.csv, and a JSON
// summary (volume balance, steps, wall time, cell updates per second). One run for
// zwilling-flood and the bake; here on the CPU solver, on the GPU's through
// engine/scenario/gpu/flood_run.h.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/scenario/flood/solver.h"

namespace zw::scenario {

struct FloodRunOptions {
    std::string scenario;      // the scenario JSON
    std::string out;           // folder for the rasters and summary.json (created)
    unsigned threads = 0;      // 0: every core
    double until_s = 0;        // > 0: stop there instead of at the scenario's duration
    double arrival_m = 0.10;   // depth at which a cell counts as reached (arrival_time.asc)
    bool quiet = false;        // no progress lines
    bool ascii_frames = true;  // false: no depth_<t>s.asc (frames.zwf holds the same depths)
};

// A solver that runs to each output time by itself and tracks each cell's largest depth
// and arrival time itself (the GPU's), driven instead of the CPU solver, which the run
// steps and watches after every step.
class RunSolver {
  public:
    virtual ~RunSolver() = default;
    virtual void run_until(double t_end) = 0;
    virtual flood::State state() const = 0;
    virtual std::vector<double> max_depth() const = 0;     // m per cell
    virtual std::vector<double> arrival_time() const = 0;  // s per cell; -9999: never reached
    virtual const flood::Stats& stats() const = 0;
    virtual const char* name() const = 0;  // summary.json's "solver"
};
// Makes that solver from the scenario's setup (options with the run's thread count);
// called once the output folder exists.
using MakeRunSolver =
    std::function<std::unique_ptr<RunSolver>(flood::Grid, flood::FloodInputs, flood::Options, flood::State)>;

// Runs it, on the CPU solver or, given `make_solver`, on that one; writes into
// options.out and returns the summary JSON text. Throws zw::Error with what to do on bad
// input. Progress lines go to stderr unless quiet.
std::string run_flood(const FloodRunOptions& options, const MakeRunSolver& make_solver = {});

// The depth raster's name for output time t (s): depth_0000600s.asc, depth_0000000.3s.asc;
// distinct times give distinct names.
std::string depth_file_name(double t);

}  // namespace zw::scenario
