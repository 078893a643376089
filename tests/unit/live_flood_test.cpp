// The live flood run (engine/scenario/flood/live.h): what it publishes is what the solver
// computes; a wall drawn across a channel holds the water back; starting again begins at
// t = 0; stopping ends the worker.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "engine/core/error.h"
#include "engine/scenario/flood/live.h"
#include "engine/scenario/flood/setup.h"

namespace {

using namespace zw::scenario;

// A channel 40 m long, 10 m wide, 1 m cells, sloping gently east; water enters across the
// western edge and leaves in the east.
struct Channel {
    FloodScenario sc;
    AsciiGrid terrain;
    Channel() {
        terrain.ncols = 40;
        terrain.nrows = 10;
        terrain.cellsize = 1;
        terrain.nodata = -9999;
        terrain.values.resize(400);
        for (uint32_t r = 0; r < 10; ++r)
            for (uint32_t c = 0; c < 40; ++c)
                terrain.at(c, r) = 10 - 0.01 * c;
        sc.path = "channel.json";
        sc.terrain = "channel.asc";
        sc.manning = 0.03;
        sc.boundaries[1] = Boundary::free_outflow;  // east
        Inflow in;
        in.name = "west";
        for (int r = 0; r < 10; ++r)
            in.at.push_back({0.5, r + 0.5});
        in.discharge.points = {{0, 2}, {1000, 2}};
        sc.inflows.push_back(in);
        sc.duration_s = 120;
    }
    static Measure wall() {
        Measure m;
        m.kind = Measure::Kind::mobile_wall;
        m.name = "wall";
        m.points = {{20.5, -1}, {20.5, 11}};
        m.height_m = 5;
        return m;
    }
};

LiveFlood::Snapshot wait_finished(const LiveFlood& live) {
    LiveFlood::Snapshot s;
    for (int i = 0; i < 3000 && !(s.finished); ++i) {
        live.latest(s);
        if (!s.finished) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return s;
}

TEST(LiveFlood, PublishesWhatTheSolverComputes) {
    Channel ch;
    const FloodSetup setup = make_flood_setup(ch.sc, ch.terrain, {});
    zw::flood::Solver direct(setup.grid, setup.inputs, setup.options, setup.initial);
    direct.run_until(60);

    LiveFlood live;
    live.start(setup, 60, 0.0);
    const LiveFlood::Snapshot s = wait_finished(live);
    ASSERT_TRUE(s.finished) << s.error;
    EXPECT_TRUE(s.error.empty()) << s.error;
    EXPECT_DOUBLE_EQ(s.t_s, 60);
    ASSERT_EQ(s.depth.size(), 400u);
    for (size_t i = 0; i < 400; ++i)
        ASSERT_EQ(s.depth[i], float(direct.state().h[i])) << "cell " << i;
    EXPECT_GT(s.sim_per_wall, 0);
    EXPECT_FALSE(live.running());
}

TEST(LiveFlood, AWallAcrossTheChannelHoldsTheWaterBack) {
    Channel ch;
    LiveFlood open, walled;
    // The solver's first step on the dry channel is its longest (max_dt, 60 s); then the front runs.
    open.start(make_flood_setup(ch.sc, ch.terrain, {}), 120, 0.05);
    walled.start(make_flood_setup(ch.sc, ch.terrain, {Channel::wall()}), 120, 0.05);
    const LiveFlood::Snapshot a = wait_finished(open), b = wait_finished(walled);
    ASSERT_TRUE(a.finished && b.finished);
    auto depth = [](const LiveFlood::Snapshot& s, uint32_t c) { return s.depth[5 * 40 + c]; };
    EXPECT_GT(depth(a, 30), 0.01f);         // without the wall the water has passed x = 30 m
    EXPECT_EQ(depth(b, 30), 0.0f);          // behind the wall it stays dry
    EXPECT_GT(depth(b, 15), depth(a, 15));  // and backs up in front of it
}

// The live run of loaded results (live_setup): the first stored frame at 0:00 is the
// water it starts from, the drawn wall is a mobile wall of the given height, and what
// cannot run live is refused in words.
TEST(LiveFlood, SetupOfLoadedResultsWithADrawnWall) {
    Channel ch;
    FloodData d;
    d.has_scenario = true;
    d.scenario = ch.sc;
    d.ground = ch.terrain;
    AsciiGrid h0 = ch.terrain;
    std::fill(h0.values.begin(), h0.values.end(), 0.25);  // exact as the frames' float
    add_frame(d.frames, 0.0, h0);
    const FloodSetup plain = live_setup(d, {{20.5, -1}}, 5);  // one point: no wall yet
    const FloodSetup walled = live_setup(d, Channel::wall().points, 5);
    const FloodSetup direct = make_flood_setup(ch.sc, ch.terrain, {Channel::wall()}, nullptr, &h0);
    EXPECT_EQ(walled.grid.z, direct.grid.z);
    EXPECT_EQ(walled.initial.h, direct.initial.h);
    EXPECT_NE(plain.grid.z, walled.grid.z);
    ASSERT_FALSE(walled.initial.h.empty());
    EXPECT_EQ(walled.initial.h[0], 0.25) << "from the stored frame at 0:00";
    d.scenario.manning_grid = "n.asc";
    EXPECT_THROW(live_setup(d, {}, 1), zw::Error);
    d.has_scenario = false;
    EXPECT_THROW(live_setup(d, {}, 1), zw::Error);
}

TEST(LiveFlood, StartingAgainBeginsAtZeroAndStopEndsTheRun) {
    Channel ch;
    LiveFlood live;
    live.start(make_flood_setup(ch.sc, ch.terrain, {}), 1e9, 0.0);  // would run for ever
    LiveFlood::Snapshot s;
    while (s.t_s < 5)
        live.latest(s);
    const uint64_t before = s.version;
    // Publishing only at the start (and the end), so that the first publication is read.
    live.start(make_flood_setup(ch.sc, ch.terrain, {Channel::wall()}), 1e9, 1e9);
    LiveFlood::Snapshot again;
    again.version = before;
    while (!live.latest(again))
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_GT(again.version, before);
    EXPECT_EQ(again.t_s, 0);  // the new run starts at t = 0
    EXPECT_GT(s.t_s, 0);
    live.stop();
    EXPECT_FALSE(live.running());
    LiveFlood::Snapshot last;
    live.latest(last);
    EXPECT_FALSE(last.finished);
    EXPECT_TRUE(last.error.empty());
}

}  // namespace
