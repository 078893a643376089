#include "engine/scenario/flood/run.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/depth_frames.h"
#include "engine/scenario/flood/impacts.h"
#include "engine/scenario/flood/scenario.h"
#include "engine/scenario/flood/setup.h"

namespace zw::scenario {

using nlohmann::json;
namespace fs = std::filesystem;

// depth_<t>s.asc with t in seconds, at least 7 digits before the point and as many after it
// as t needs to be read back exactly (the shortest such decimal): 0.3 s, 0.6 s and 1.2 s are
// depth_0000000.3s.asc, ... and 600 s is depth_0000600s.asc. Distinct times give distinct
// names.
std::string depth_file_name(double t) {
    char digits[64];
    const auto r = std::to_chars(digits, digits + sizeof digits, t, std::chars_format::fixed);
    std::string d(digits, r.ec == std::errc() ? r.ptr : digits);
    const size_t point = d.find('.');
    const size_t whole = point == std::string::npos ? d.size() : point;
    if (whole < 7) d.insert(0, 7 - whole, '0');
    return "depth_" + d + "s.asc";
}

namespace {

// The output times of a run that ends at `end`: the scenario's up to there, and `end`
// itself (the end of the run is always an output, also when --until cuts the run short).
std::vector<double> output_times(const std::vector<double>& scenario_times, double end) {
    std::vector<double> times;
    for (double t : scenario_times)
        if (t < end) times.push_back(t);
    times.push_back(end);
    return times;
}

}  // namespace

std::string run_flood(const FloodRunOptions& o, const MakeRunSolver& make_solver) {
    using Clock = std::chrono::steady_clock;
    const auto wall0 = Clock::now();
    const FloodScenario sc = read_flood_scenario(o.scenario);
    const AsciiGrid terrain = read_ascii_grid(sc.terrain);
    const std::vector<Site> sites = sc.sites.empty() ? std::vector<Site>{} : read_sites(sc.sites);
    const double end = o.until_s > 0 ? std::min(o.until_s, sc.duration_s) : sc.duration_s;
    const std::vector<double> times = output_times(sc.output_times_s, end);
    std::optional<AsciiGrid> manning, initial_depth;
    if (!sc.manning_grid.empty()) manning = read_ascii_grid(sc.manning_grid);
    if (!sc.initial_depth.empty()) initial_depth = read_ascii_grid(sc.initial_depth);
    FloodSetup setup = make_flood_setup(sc, terrain, sc.measures, manning ? &*manning : nullptr,
                                        initial_depth ? &*initial_depth : nullptr);
    const std::vector<size_t>& changed = setup.changed;
    const size_t outside = setup.cells_outside;
    flood::Grid grid = std::move(setup.grid);
    flood::FloodInputs in = std::move(setup.inputs);
    flood::State initial = std::move(setup.initial);
    flood::Options so = setup.options;
    so.threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());

    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec) fail("cannot create the output folder '", o.out, "': ", ec.message());

    // Another solver (the GPU's) runs to each output time by itself, tracks the max depth
    // and arrival time itself and is read back only at the output times.
    std::unique_ptr<flood::Solver> cpu;
    std::unique_ptr<RunSolver> other;
    if (make_solver) {
        other = make_solver(std::move(grid), std::move(in), so, std::move(initial));
        if (!other) fail("no solver for flood scenario '", sc.id, "'");
    } else {
        cpu = std::make_unique<flood::Solver>(std::move(grid), std::move(in), so, std::move(initial));
    }
    const size_t n = terrain.values.size();
    AsciiGrid depth = terrain;  // shape, place, NODATA
    depth.nodata = -9999;
    AsciiGrid max_depth = depth, arrival = depth;
    std::fill(max_depth.values.begin(), max_depth.values.end(), 0.0);
    std::fill(arrival.values.begin(), arrival.values.end(), -9999.0);
    auto track = [&] {
        if (!cpu) return;
        const std::vector<double>& h = cpu->state().h;
        for (size_t i = 0; i < n; ++i) {
            max_depth.values[i] = std::max(max_depth.values[i], h[i]);
            if (arrival.values[i] < 0 && h[i] >= o.arrival_m) arrival.values[i] = cpu->time();
        }
    };
    auto masked = [&](AsciiGrid& g) {
        for (size_t i = 0; i < n; ++i)
            if (terrain.is_nodata(terrain.values[i])) g.values[i] = -9999;
    };
    track();

    json outputs = json::array();
    DepthFrames frames;  // the same rasters, for playback (frames.zwf), from t = 0
    // A frame of depths and velocities (0 where shallower than 1 cm: no flow to show).
    auto add_frame = [&](double t) {
        const flood::State s = other ? other->state() : cpu->state();
        depth.values = s.h;
        masked(depth);
        scenario::add_frame(frames, t, depth);
        std::vector<float> v(2 * n, 0.0f);
        for (size_t i = 0; i < n; ++i)
            if (depth.values[i] > 0.01) {
                v[2 * i] = float(s.hu[i] / s.h[i]);
                v[2 * i + 1] = float(s.hv[i] / s.h[i]);
            }
        frames.velocity_ms.push_back(std::move(v));
    };
    add_frame(0);
    auto last_report = Clock::now();
    for (double t_out : times) {
        if (other) other->run_until(t_out);
        // Step by step with the rule that run_until and the GPU use (Solver::step_towards).
        while (cpu && cpu->time() < t_out) {
            if (cpu->step_towards(t_out) <= 0) break;
            track();
            if (!o.quiet && Clock::now() - last_report > std::chrono::seconds(2)) {
                last_report = Clock::now();
                const double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
                std::fprintf(stderr,
                             "zwilling-flood: %5.1f %%  t = %.0f of %.0f s, %llu steps, %.0f s wall\n",
                             100.0 * cpu->time() / end, cpu->time(), end,
                             static_cast<unsigned long long>(cpu->stats().steps), wall);
            }
        }
        add_frame(t_out);
        const std::string name = depth_file_name(t_out);
        if (o.ascii_frames) write_ascii_grid((fs::path(o.out) / name).string(), depth, 3);
        json entry = {{"t_s", t_out}};
        if (o.ascii_frames) entry["file"] = name;
        if (!sites.empty()) entry["sites_over_10cm"] = count_flooded(depth, sites, 0.10);
        outputs.push_back(entry);
    }
    if (other) {
        max_depth.values = other->max_depth();
        arrival.values = other->arrival_time();
    }
    masked(max_depth);
    masked(arrival);
    write_ascii_grid((fs::path(o.out) / "max_depth.asc").string(), max_depth, 3);
    write_ascii_grid((fs::path(o.out) / "arrival_time.asc").string(), arrival, 1);

    {
        const std::vector<uint8_t> zwf = encode_frames(frames);
        std::ofstream out(fs::path(o.out) / "frames.zwf", std::ios::binary);
        out.write(reinterpret_cast<const char*>(zwf.data()), std::streamsize(zwf.size()));
        if (!out) fail("cannot write '", (fs::path(o.out) / "frames.zwf").string(), "' (disk full?)");
    }
    json impacts;
    if (!sites.empty()) {
        const Impacts im = compute_impacts(max_depth, arrival, sites, 0.10, 0.50);
        const std::string csv = impacts_csv(im, sites);
        std::ofstream(fs::path(o.out) / "impacts.csv") << csv;
        impacts = impacts_json(im, sites);
    }
    const flood::Stats& st = other ? other->stats() : cpu->stats();
    const double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
    json measures = json::array();
    for (size_t i = 0; i < sc.measures.size(); ++i)
        measures.push_back({{"name", sc.measures[i].name}, {"cells_changed", changed[i]}});
    json summary = {{"scenario", sc.id},
                    {"grid",
                     {{"ncols", terrain.ncols},
                      {"nrows", terrain.nrows},
                      {"cellsize_m", terrain.cellsize},
                      {"cells_outside", outside}}},
                    {"simulated_s", st.t},
                    {"steps", st.steps},
                    {"threads", so.threads},
                    {"second_order", so.second_order},
                    {"wall_s", wall},
                    {"cell_updates", st.cell_updates},
                    {"cell_updates_per_s", wall > 0 ? double(st.cell_updates) / wall : 0.0},
                    {"volume_m3",
                     {{"storage_start", st.storage0},
                      {"storage_end", st.storage},
                      {"inflow", st.inflow},
                      {"rain", st.rain},
                      {"outflow", st.outflow},
                      {"lifted", st.clamped},
                      {"relative_error", st.relative_volume_error()},
                      {"max_relative_error", st.max_volume_error}}},
                    {"measures", measures},
                    {"outputs", outputs}};
    if (!impacts.is_null()) summary["impacts"] = impacts;
    summary["solver"] = other ? other->name() : "cpu";
    const std::string text = summary.dump(1);
    std::ofstream(fs::path(o.out) / "summary.json") << text << "\n";
    if (!o.quiet)
        std::fprintf(
            stderr,
            "zwilling-flood: %s: %.0f s simulated in %llu steps, %.2f s wall (%.2f M cell updates/s); "
            "volume error %.2e; wrote %zu depth rasters to %s\n",
            sc.id.c_str(), st.t, static_cast<unsigned long long>(st.steps), wall,
            wall > 0 ? double(st.cell_updates) / wall / 1e6 : 0.0, st.relative_volume_error(), outputs.size(),
            o.out.c_str());
    return text;
}

}  // namespace zw::scenario
