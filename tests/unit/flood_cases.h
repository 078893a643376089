// The validation cases of the flood solvers, shared by the CPU tests
// (tests/unit/flood_test.cpp) and the GPU tests (tests/flood/gpu_flood_test.cpp): flat
// grids, the analytic Stoker middle state, and Thacker's planar surface in a parabolic
// bowl.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "engine/scenario/flood/solver.h"

namespace zw::flood::cases {

inline constexpr double g = gravity;

inline Grid flat_grid(uint32_t nx, uint32_t ny, double dx) {
    Grid grid;
    grid.nx = nx;
    grid.ny = ny;
    grid.dx = dx;
    grid.z.assign(size_t(nx) * ny, 0.0);
    return grid;
}

// Ritter's dam break onto a dry bed: depth at x (dam at 0) and time t, h0 upstream.
inline double ritter_depth(double x, double t, double h0) {
    const double c0 = std::sqrt(g * h0);
    if (x <= -c0 * t) return h0;
    if (x >= 2 * c0 * t) return 0;
    const double q = 2 * c0 - x / t;
    return q * q / (9 * g);
}

struct StokerSolution {
    double hm, um, shock_speed;
};

// Stoker's dam break onto a wet bed, the middle state: the rarefaction from the left
// gives u_m = 2 (c_l - c_m); the shock into the right state gives
// u_m = (h_m - h_r) sqrt(g (h_m + h_r) / (2 h_m h_r)). Bisection on h_m.
inline StokerSolution stoker(double hl, double hr) {
    const auto f = [&](double hm) {
        return 2 * (std::sqrt(g * hl) - std::sqrt(g * hm)) -
               (hm - hr) * std::sqrt(g * (hm + hr) / (2 * hm * hr));
    };
    double lo = hr, hi = hl;
    for (int k = 0; k < 200; ++k) {
        const double mid = 0.5 * (lo + hi);
        (f(mid) > 0 ? lo : hi) = mid;
    }
    const double hm = 0.5 * (lo + hi);
    const double um = 2 * (std::sqrt(g * hl) - std::sqrt(g * hm));
    return {hm, um, hm * um / (hm - hr)};
}

// Thacker's planar surface in a parabolic bowl (a = 1 m, h0 = 0.1 m, e = 0.5) on an
// L x L m square of dx cells centred on the bowl: the bed, the exact depth at any time,
// and the state at t = 0 (the water moving north at e * w).
struct Thacker {
    double a = 1, h0 = 0.1, e = 0.5, L = 4, dx = 0.04;
    double w = std::sqrt(2 * g * 0.1) / 1.0;
    double period = 2 * std::numbers::pi / w;
    uint32_t n = 100;
    Grid grid;
    State init;

    double xy(uint32_t i) const { return (i + 0.5) * dx - L / 2; }
    double exact_h(double x, double y, double t) const {
        const double z = h0 * ((x * x + y * y) / (a * a) - 1);
        const double eta = e * h0 / (a * a) * (2 * x * std::cos(w * t) + 2 * y * std::sin(w * t) - e);
        return std::max(0.0, eta - z);
    }
    Thacker() {
        n = uint32_t(std::lround(L / dx));
        grid = flat_grid(n, n, dx);
        init.h.resize(size_t(n) * n);
        init.hv.resize(size_t(n) * n);
        init.hu.assign(size_t(n) * n, 0.0);
        for (uint32_t j = 0; j < n; ++j)
            for (uint32_t i = 0; i < n; ++i) {
                const size_t c = grid.index(i, j);
                grid.z[c] = h0 * ((xy(i) * xy(i) + xy(j) * xy(j)) / (a * a) - 1);
                init.h[c] = exact_h(xy(i), xy(j), 0);
                init.hv[c] = init.h[c] * e * w;
            }
    }
};

// Every input at once on a 37 x 29 grid of 2 m cells: a sloping, wavy bed partly under
// water, Manning's n per cell, a rain burst, a hydrograph on the east edge, free west and
// south sides. `shared_inflow` adds a second inflow sharing a cell with the first.
struct AllInputs {
    Grid grid = flat_grid(37, 29, 2.0);
    State init;
    FloodInputs in;

    explicit AllInputs(bool shared_inflow = false) {
        for (uint32_t j = 0; j < grid.ny; ++j)
            for (uint32_t i = 0; i < grid.nx; ++i)
                grid.z[grid.index(i, j)] = 0.01 * i + 0.3 * std::sin(0.3 * j) * std::cos(0.2 * i);
        init.h.resize(grid.z.size());
        for (size_t c = 0; c < grid.z.size(); ++c)
            init.h[c] = std::max(0.0, 0.2 - grid.z[c]);
        in.manning.resize(grid.z.size());
        for (size_t c = 0; c < grid.z.size(); ++c)
            in.manning[c] = c % 3 == 0 ? 0.05 : 0.03;
        in.rain_mm_per_h.points = {{0, 0}, {20, 50}, {60, 0}};
        Inflow inflow;
        for (uint32_t j = 10; j < 14; ++j)
            inflow.cells.push_back(grid.index(grid.nx - 1, j));
        inflow.discharge.points = {{0, 0}, {10, 2}, {40, 0}};
        in.inflows.push_back(inflow);
        if (shared_inflow) {
            Inflow second;
            second.cells = {grid.index(grid.nx - 1, 12), grid.index(5, 5)};
            second.discharge.points = {{0, 0.5}};
            in.inflows.push_back(second);
        }
        in.boundaries[size_t(Side::west)] = Boundary::free_outflow;
        in.boundaries[size_t(Side::south)] = Boundary::free_outflow;
    }
};

}  // namespace zw::flood::cases
