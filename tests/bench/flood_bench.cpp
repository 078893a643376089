// Cell updates per second of the CPU flood solver (engine/scenario/flood) with 1 and 2
// threads, first and second order, on a 512 x 512 and a 2048 x 2048 synthetic domain: a
// valley with a wet channel, rain and friction, so wet and dry cells mix. Short runs (a
// fixed number of steps after a warm-up step). Run by hand (release build):
//   build/release/tests/bench/zw_flood_bench [steps]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "engine/scenario/flood/solver.h"

namespace {

using namespace zw::flood;

double cells_per_second(uint32_t n, unsigned threads, bool second_order, int steps) {
    Grid grid;
    grid.nx = grid.ny = n;
    grid.dx = 2;
    grid.z.resize(size_t(n) * n);
    State init;
    init.h.resize(grid.z.size());
    for (uint32_t j = 0; j < n; ++j)
        for (uint32_t i = 0; i < n; ++i) {
            const double x = double(i) / n, y = double(j) / n;
            const double z = 5 * std::abs(x - 0.5) + 2 * y + 0.3 * std::sin(40 * x) * std::cos(30 * y);
            grid.z[grid.index(i, j)] = z;
            init.h[grid.index(i, j)] = std::max(0.0, 1.5 - z);
        }
    FloodInputs in;
    in.manning_constant = 0.035;
    in.rain_mm_per_h.points = {{0, 30}};
    in.boundaries[size_t(Side::south)] = Boundary::free_outflow;
    Options opt;
    opt.threads = threads;
    opt.second_order = second_order;
    Solver s(grid, in, opt, init);
    s.step();
    const uint64_t before = s.stats().cell_updates;
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < steps; ++k)
        s.step();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return double(s.stats().cell_updates - before) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
    const int steps = argc > 1 ? std::atoi(argv[1]) : 20;
    std::printf("%-10s %-6s %14s %14s %8s\n", "domain", "order", "1 thread", "2 threads", "ratio");
    for (uint32_t n : {512u, 2048u})
        for (bool second : {false, true}) {
            const int k = n > 1024 ? std::max(1, steps / 8) : steps;
            const double one = cells_per_second(n, 1, second, k);
            const double two = cells_per_second(n, 2, second, k);
            std::printf("%4ux%-5u %-6s %11.2f M/s %11.2f M/s %7.2fx\n", n, n, second ? "2nd" : "1st",
                        one / 1e6, two / 1e6, two / one);
        }
    return 0;
}
