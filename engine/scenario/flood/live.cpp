#include "engine/scenario/flood/live.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "engine/core/error.h"

namespace zw::scenario {

LiveFlood::~LiveFlood() {
    stop();
}

void LiveFlood::stop() {
    stop_ = true;
    if (worker_.joinable()) worker_.join();
    running_ = false;
}

void LiveFlood::start(FloodSetup setup, double until_s, double publish_wall_s) {
    stop();
    {
        std::lock_guard lock(mutex_);
        published_ = Snapshot{};  // nothing of the old run is handed out any more
    }
    stop_ = false;
    running_ = true;
    worker_ = std::thread([this, s = std::move(setup), until_s, publish_wall_s]() mutable {
        run(std::move(s), until_s, publish_wall_s);
    });
}

bool LiveFlood::latest(Snapshot& out) const {
    std::lock_guard lock(mutex_);
    if (published_.version == 0 || published_.version == out.version) return false;
    out = published_;
    return true;
}

void LiveFlood::run(FloodSetup setup, double until_s, double publish_wall_s) {
    using Clock = std::chrono::steady_clock;
    const auto wall0 = Clock::now();
    auto last = wall0;
    try {
        flood::Solver solver(std::move(setup.grid), std::move(setup.inputs), setup.options,
                             std::move(setup.initial));
        auto publish = [&](bool finished) {
            const double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
            std::lock_guard lock(mutex_);
            const std::vector<double>& h = solver.state().h;
            published_.depth.assign(h.begin(), h.end());
            published_.velocity.assign(2 * h.size(), 0.0f);
            for (size_t i = 0; i < h.size(); ++i)
                if (h[i] > 0.01) {
                    published_.velocity[2 * i] = float(solver.state().hu[i] / h[i]);
                    published_.velocity[2 * i + 1] = float(solver.state().hv[i] / h[i]);
                }
            published_.t_s = solver.time();
            published_.sim_per_wall = wall > 0 ? solver.time() / wall : 0;
            published_.finished = finished;
            published_.error.clear();
            published_.version = ++versions_;
        };
        publish(false);
        while (!stop_ && solver.time() < until_s) {
            if (solver.step_towards(until_s) <= 0) break;  // the steps zwilling-flood takes
            if (std::chrono::duration<double>(Clock::now() - last).count() >= publish_wall_s) {
                last = Clock::now();
                publish(false);
            }
        }
        if (!stop_) publish(true);
    } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        published_.error = e.what();
        published_.finished = true;
        published_.version = ++versions_;
    }
    running_ = false;
}

FloodSetup live_setup(const FloodData& a, const std::vector<Point>& wall, double wall_height_m) {
    if (!a.has_scenario)
        fail("flood scenario '", a.source.id, "' is an import without a scenario: no live run");
    if (!a.scenario.manning_grid.empty())
        fail("the scenario's Manning grid is not part of the bundle; live runs need a constant n");
    // The water at t = 0 (the first stored frame), on the ground (its measures applied).
    AsciiGrid initial = a.ground;
    std::fill(initial.values.begin(), initial.values.end(), 0.0);
    if (!a.frames.times_s.empty() && a.frames.times_s[0] == 0 &&
        a.frames.depth_m[0].size() == initial.values.size())
        for (size_t i = 0; i < initial.values.size(); ++i)
            initial.values[i] = a.frames.depth_m[0][i];
    std::vector<Measure> measures;
    if (wall.size() >= 2) {
        Measure m;
        m.kind = Measure::Kind::mobile_wall;
        m.name = "live";
        m.points = wall;
        m.height_m = wall_height_m;
        measures.push_back(m);
    }
    return make_flood_setup(a.scenario, a.ground, measures, nullptr, &initial);
}

}  // namespace zw::scenario
