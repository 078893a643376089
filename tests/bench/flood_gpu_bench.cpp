// Cell updates per second of the Vulkan compute flood solver (engine/scenario/flood/
// gpu_solver.h) next to the CPU solver with 1 thread, first and second order, on the domain
// of flood_bench.cpp (a valley with a wet channel, rain, friction, a free side) at 512 x 512
// and 2048 x 2048; ratios measured in one run. A second-order step counts once. The GPU is timed over whole
// run_until calls (submission, the steps, the wait), after a warm-up call. Run by hand (release build):
//   build/release/tests/bench/zw_flood_gpu_bench [steps] [--gpu NAME]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/gpu/context.h"
#include "engine/scenario/flood/solver.h"
#include "engine/scenario/gpu/flood_solver.h"

namespace {

using namespace zw::flood;
using Clock = std::chrono::steady_clock;

struct Case {
    Grid grid;
    FloodInputs in;
    State init;
};

Case make_case(uint32_t n) {
    Case k;
    k.grid.nx = k.grid.ny = n;
    k.grid.dx = 2;
    k.grid.z.resize(size_t(n) * n);
    k.init.h.resize(k.grid.z.size());
    for (uint32_t j = 0; j < n; ++j)
        for (uint32_t i = 0; i < n; ++i) {
            const double x = double(i) / n, y = double(j) / n;
            const double z = 5 * std::abs(x - 0.5) + 2 * y + 0.3 * std::sin(40 * x) * std::cos(30 * y);
            k.grid.z[k.grid.index(i, j)] = z;
            k.init.h[k.grid.index(i, j)] = std::max(0.0, 1.5 - z);
        }
    k.in.manning_constant = 0.035;
    k.in.rain_mm_per_h.points = {{0, 30}};
    k.in.boundaries[size_t(Side::south)] = Boundary::free_outflow;
    return k;
}

Options order(bool second_order) {
    Options opt;
    opt.second_order = second_order;
    return opt;
}

double cpu_rate(const Case& k, bool second_order, int steps) {
    Solver s(k.grid, k.in, order(second_order), k.init);
    s.step();
    const uint64_t before = s.stats().cell_updates;
    const auto t0 = Clock::now();
    for (int i = 0; i < steps; ++i)
        s.step();
    return double(s.stats().cell_updates - before) / std::chrono::duration<double>(Clock::now() - t0).count();
}

double gpu_rate(zw::gpu::Context& ctx, const Case& k, bool second_order, int steps) {
    GpuSolver s(ctx, k.grid, k.in, order(second_order), k.init);
    s.run_until(1e-3);  // warm-up: first submission
    const double dt = s.stats().last_dt;
    const uint64_t before = s.stats().cell_updates;
    const auto t0 = Clock::now();
    s.run_until(s.time() + steps * dt);  // about `steps` steps (dt changes little)
    return double(s.stats().cell_updates - before) / std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    int steps = 64;
    std::string gpu_name;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--gpu" && i + 1 < argc)
            gpu_name = argv[++i];
        else
            steps = std::max(1, std::atoi(argv[i]));
    }
    zw::gpu::Context ctx(zw::gpu::ContextOptions{false, gpu_name, {}, {}, false});
    if (!GpuSolver::supported(ctx)) {
        std::fprintf(stderr, "%s has no shaderFloat64: the GPU flood solver cannot run on it\n",
                     ctx.device_info().name.c_str());
        return 1;
    }
    std::printf("%-10s %-6s %16s %16s %8s   (float64 on the GPU)\n", "domain", "order", "CPU 1 thread",
                "Vulkan", "ratio");
    for (uint32_t n : {512u, 2048u}) {
        const Case k = make_case(n);
        const int s = n > 1024 ? std::max(1, steps / 8) : steps;
        for (bool second : {false, true}) {
            const double cpu = cpu_rate(k, second, s);
            const double gpu = gpu_rate(ctx, k, second, s);
            std::printf("%4ux%-5u %-6s %13.2f M/s %13.2f M/s %7.2fx\n", n, n, second ? "2nd" : "1st",
                        cpu / 1e6, gpu / 1e6, gpu / cpu);
        }
    }
    return 0;
}
