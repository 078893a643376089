// The CPU shallow-water solver (issue 6): the 2D shallow-water equations by finite
// volumes on a regular raster. Godunov fluxes from an HLL Riemann solver on the
// hydrostatic reconstruction of Audusse et al. (2004): well-balanced (a lake at rest stays
// at rest to rounding) and depth-positive over wetting and drying; Manning friction
// treated semi-implicitly; adaptive time step from the CFL condition; first order in space,
// or MUSCL (minmod on h, eta, u, v) + Heun in time as an option. Pure C++, no GPU types.
//
// Units: metres, seconds, m^3/s; depth h (m), discharges hu, hv (m^2/s) per cell.
// Layout: row-major, cell (i, j) at index j * nx + i, column i grows east (+x), row j
// grows north (+y): row 0 is the southern row, as in zw::scenario.
//
// Cost: one step is O(nx * ny) (about three times that for second order) and allocates
// nothing beyond starting its worker threads (std::thread per phase when threads > 1).
// Measured (tests/bench/flood_bench.cpp, -O2, 2 cores): ~18 M cell updates/s per thread at
// first order, ~6 M at second order; 1.7-1.9x with 2 threads.
// Sources (rain, inflows) enter after the flux update as water at rest; negative rates
// remove water (a cell cannot go below zero: the shortfall is counted in Stats::clamped,
// which the volume error includes).
// Results are bit-identical for any thread count: fluxes are computed once per interface
// into arrays, cells are updated from them, and every sum runs per row, then over the rows
// in order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/scenario/series.h"

namespace zw::flood {

constexpr double gravity = 9.81;  // m/s^2

// The raster: nx * ny square cells of dx metres, bed elevation z (m) per cell.
struct Grid {
    uint32_t nx = 0, ny = 0;
    double dx = 1;
    std::vector<double> z;  // nx * ny, row-major
    size_t index(uint32_t i, uint32_t j) const { return size_t(j) * nx + i; }
};

using Series = scenario::Series;  // (t in s, value), piecewise linear

// A hydrograph Q(t) in m^3/s entering through a list of cells: its volume per step is the
// exact integral of Q over the step, spread evenly over the cells as a source of water at
// rest (no momentum).
struct Inflow {
    std::vector<size_t> cells;  // cell indices, usually along the boundary
    Series discharge;           // m^3/s
};

enum class Side { west = 0, east = 1, south = 2, north = 3 };
enum class Boundary {
    closed,        // a reflective wall: no flow through it
    free_outflow,  // zero gradient: water leaves (or enters) at the cell's own state; counted
};

struct FloodInputs {
    std::vector<double> manning;  // s/m^(1/3) per cell; empty: manning_constant everywhere
    double manning_constant = 0;  // s/m^(1/3); 0: no friction
    std::vector<Inflow> inflows;
    Series rain_mm_per_h;  // rainfall intensity on every cell, mm/h
    std::array<Boundary, 4> boundaries{Boundary::closed, Boundary::closed, Boundary::closed,
                                       Boundary::closed};  // indexed by Side
};

// The largest Courant number the scheme is stable for. The step's wave speed is the larger
// of the two directions' (above), and a 2D cell update takes both directions' fluxes at
// once, so the usual bound of 1 halves; MUSCL + Heun keeps the first-order bound. At 0.9
// a second-order 2D dam break blows up.
constexpr double max_courant = 0.5;

struct Options {
    double courant = 0.5;       // dt = courant * dx / max(|u| + sqrt(g h), |v| + sqrt(g h)); (0, max_courant]
    double max_dt = 60;         // s, an upper bound on every step
    double dry_depth = 1e-6;    // m; at or below it a cell has no velocity (hu = hv = 0)
    bool second_order = false;  // MUSCL (minmod) in space + Heun in time
    unsigned threads = 1;       // rows are split into this many contiguous blocks (0 acts as 1)
};

// The water per cell (row-major like Grid::z).
struct State {
    std::vector<double> h, hu, hv;
};

// Volume bookkeeping in m^3, all in double precision.
struct Stats {
    double t = 0;                 // s, simulated time
    uint64_t steps = 0;           // steps taken
    uint64_t cell_updates = 0;    // cells * steps (each Heun step counts once)
    double last_dt = 0;           // s
    double storage0 = 0;          // water on the grid at the start
    double storage = 0;           // water on the grid now
    double inflow = 0;            // total entered through the hydrographs
    double rain = 0;              // total fallen as rain
    double outflow = 0;           // total left through free boundaries (negative: entered)
    double clamped = 0;           // added by lifting negative depths to zero (an error: below)
    double max_volume_error = 0;  // the largest relative_volume_error() seen after any step
    // |storage - storage0 - inflow - rain + outflow| / max(inflow + rain, storage0): the
    // water lifted into `clamped` is part of the error, not forgiven (a stable run lifts
    // only rounding; a sink asked for more than a cell holds shows here too)
    double relative_volume_error() const;
};

// Throws std::invalid_argument unless courant is in (0, max_courant] and max_dt > 0.
void check_options(const Options& options);

class Solver {
  public:
    // Throws std::invalid_argument when the sizes disagree (z, manning, initial state) or an
    // inflow cell lies outside the grid. `initial` may be empty (a dry start) or hold h only
    // (water at rest).
    Solver(Grid grid, FloodInputs inputs, Options options, State initial = {});

    // One step of length min(CFL step, max_dt, dt_limit); returns the step taken (s).
    double step(double dt_limit = 1e300);
    // One step towards t_end by the stepping rule shared with GpuSolver
    // (shaders/flood_step.glsl): the stable step, shortened to land exactly on t_end, and
    // the last two steps before it evened out. Returns the step taken (0 at t_end). Callers
    // that look at every step (the runner, the live mode) use this, so that they take the
    // same steps as run_until and as the GPU.
    double step_towards(double t_end);
    // Steps until the time is exactly t_end: step_towards(t_end) until there.
    void run_until(double t_end);

    const Grid& grid() const { return grid_; }
    const State& state() const { return state_; }
    const Stats& stats() const { return stats_; }
    double time() const { return stats_.t; }
    // The stable step for the current state (s): courant * dx / the fastest wave speed.
    double cfl_dt() const;

  private:
    struct Flux {
        double mass, mom_l, mom_r, trans;
    };
    template <typename F>
    void parallel_rows(uint32_t rows, F&& f) const;
    void compute_slopes(const State& s);
    void compute_fluxes(const State& s);
    void apply_fluxes(const State& from, State& to, double dt);
    double boundary_flux() const;  // m^3/s leaving through the free boundaries
    void finish_step(double dt);

    Grid grid_;
    FloodInputs inputs_;
    Options options_;
    State state_, stage_, next_;
    std::vector<Flux> fx_, fy_;                                  // (nx+1)*ny and nx*(ny+1)
    std::vector<double> slope_x_[4], slope_y_[4];                // h, eta, u, v per cell (second order)
    std::vector<double> row_storage_, row_speed_, row_clamped_;  // per row
    std::vector<double> manning2_;                               // n^2 per cell
    Stats stats_;
    double max_speed_ = 0;
};

}  // namespace zw::flood
