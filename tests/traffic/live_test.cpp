// Live what-if runs (engine/scenario/sumo/live.h) on the grid the run tests use: a run with
// a road closed finishes and no vehicle enters that road while it is closed, the progress
// rises monotonically, a cancel stops it promptly with nothing written, a second start while
// one runs is refused in words; and the road a click means (engine/scenario/traffic/road_pick.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scenario/sumo/live.h"
#include "engine/scenario/traffic/demand_xml.h"
#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/road_pick.h"
#include "engine/scenario/traffic/sumo_xml.h"
#include "tests/traffic/nets.h"
#include "tests/unit/temp_dir.h"

namespace {

using namespace zw::scenario::traffic;
namespace sumo = zw::scenario::sumo;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using zw::test::error_of;
using zw::test::read_text;
using zw::test::write_text;

void flow(Demand& d, const std::string& id, const std::string& from, const std::string& to, double begin_s,
          double period_s, int count) {
    for (int i = 0; i < count; ++i)
        d.trips.push_back({id + "." + std::to_string(i), "car", begin_s + period_s * i, from, to, {}, ""});
}

// A 4 x 3 grid whose middle row is the "Hauptstraße" (A0B0 only for buses), cars east and
// west along it from 21600 to `end_s`, no closure of its own; FCD kept. The scenario's path.
std::string grid_scenario(const fs::path& d, double end_s) {
    std::map<std::string, std::string> extra;
    for (const char* e : {"A1B1", "B1A1", "B1C1", "C1B1", "C1D1", "D1C1"})
        extra[e] = "name=\"Hauptstraße\"";
    extra["A0B0"] = "allow=\"bus\"";
    zw::test::grid_net(d, 4, 3, extra);
    Demand demand;
    demand.types.push_back({"car", "passenger", 0, 0, 0});
    const int n = int((end_s - 21600) / 6);
    flow(demand, "east", "A1B1", "C1D1", 21600, 6, n);
    flow(demand, "west", "D1C1", "B1A1", 21603, 6, n);
    std::stable_sort(demand.trips.begin(), demand.trips.end(),
                     [](const Trip& a, const Trip& b) { return a.depart_s < b.depart_s; });
    write_demand((d / "am.rou.xml").string(), demand);
    return write_text(d / "scenario.json", R"({
  "format": "zwilling-traffic-scenario", "format_version": 1, "id": "grid",
  "network": "grid.net.xml", "demand": "am.rou.xml", "begin_s": 21600, "end_s": )" +
                                               std::to_string(int(end_s)) + R"(, "seed": 3,
  "edge_interval_s": 100, "outputs": {"fcd": true}
})");
}

std::string edge_of_lane(std::string_view lane) {
    return std::string(lane.substr(0, lane.rfind('_')));
}

// Waits until `run` has simulated up to `sim_s` (or ended); false after 60 s.
bool wait_until(const sumo::LiveRun& run, double sim_s) {
    const auto t0 = Clock::now();
    while (run.running() && run.status().sim_s < sim_s)
        if (Clock::now() - t0 > std::chrono::seconds(60))
            return false;
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return true;
}

// Nothing of an output folder `out`: neither it nor a staging folder beside it.
std::vector<std::string> leftovers(const fs::path& out) {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(out.parent_path()))
        if (e.path().filename().string().find(out.filename().string()) != std::string::npos)
            found.push_back(e.path().filename().string());
    return found;
}

TEST(LiveRun, FinishesWithTheRoadClosedAndProgressRising) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    const std::string scenario = grid_scenario(d, 22200);
    const auto inputs = std::make_shared<const sumo::TrafficInputs>(sumo::read_traffic_inputs(scenario));
    sumo::LiveRun run;
    sumo::LiveRunOptions o;
    o.inputs = inputs;
    o.closure.edges = segment_edges(inputs->network, "B1C1");
    o.closure.from_s = 21800;
    o.closure.reason_de = "Hauptstraße gesperrt";
    o.out = (d / "live").string();
    o.id = "grid-live";
    ASSERT_EQ(o.closure.edges, (std::vector<std::string>{"B1C1", "C1B1"}));
    run.start(o);
    EXPECT_TRUE(run.running());
    EXPECT_TRUE(sumo::live_run_running());
    // The progress, as a viewer polls it: never falling, up to 1 at the end.
    double last_fraction = 0, last_sim = 0;
    size_t polls = 0, falls = 0;
    while (run.running()) {
        const double f = run.fraction();
        const sumo::LiveStatus s = run.status();
        if (f < last_fraction || s.sim_s < last_sim) ++falls;
        last_fraction = f;
        last_sim = s.sim_s;
        ++polls;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    run.wait();
    EXPECT_EQ(falls, 0u);
    EXPECT_GT(polls, 2u);
    const sumo::LiveStatus s = run.status();
    ASSERT_EQ(s.state, sumo::LiveState::finished) << s.error;
    EXPECT_FALSE(sumo::live_run_running());
    EXPECT_EQ(run.fraction(), 1.0);
    EXPECT_EQ(s.sim_s, 22200);
    EXPECT_EQ(s.closure_id, "live");
    ASSERT_TRUE(s.result);
    EXPECT_EQ(s.result->out, o.out);
    EXPECT_GT(s.result->inserted, 150u);
    EXPECT_EQ(s.result->inserted, s.result->arrived + s.result->running_at_end + s.result->stranded);

    // closures.json lists the user's closure as applied; summary.json names the live run.
    const nlohmann::json c = nlohmann::json::parse(read_text(d / "live" / "closures.json"));
    ASSERT_EQ(c["closures"].size(), 1u);
    EXPECT_EQ(c["closures"][0]["id"], "live");
    EXPECT_EQ(c["closures"][0]["kind"], "user");
    EXPECT_EQ(c["closures"][0]["reason_de"], "Hauptstraße gesperrt");
    EXPECT_TRUE(c["closures"][0]["to_s"].is_null());
    EXPECT_EQ(c["closures"][0]["applied_from_s"], 21800);
    EXPECT_GT(c["closures"][0]["rerouted"].get<int>(), 0);
    EXPECT_EQ(nlohmann::json::parse(read_text(d / "live" / "summary.json"))["scenario"], "grid-live");

    // No vehicle enters the closed road once it is closed (run_test's check on SUMO's FCD):
    // one seen on it then was on it already the second before; before, vehicles used it.
    const std::set<std::string> closed = {"B1C1", "C1B1"};
    std::set<std::string> on_before, on_during;
    size_t used_before = 0;
    double t = 0;
    FcdCallbacks cb;
    cb.step = [&](double time) { t = time; };
    cb.vehicle = [&](const FcdVehicle& v) {
        if (!closed.count(edge_of_lane(v.lane))) return;
        if (t < 21800) ++used_before;
        if (t == 21799) on_before.insert(std::string(v.id));
        if (t >= 21800) on_during.insert(std::string(v.id));
    };
    read_fcd((d / "live" / "fcd.xml").string(), cb);
    EXPECT_GT(used_before, 100u);
    for (const std::string& id : on_during)
        EXPECT_TRUE(on_before.count(id)) << id << " entered the closed road while it was closed";

    // The same LiveRun runs again once the first has finished (a new closure, a new folder).
    o.closure.edges = {"C1D1"};
    o.closure.from_s = 21700;
    o.closure.to_s = 21900;
    o.out = (d / "live2").string();
    o.until_s = 21950;
    run.start(o);
    run.wait();
    EXPECT_EQ(run.status().state, sumo::LiveState::finished) << run.status().error;
    EXPECT_TRUE(fs::exists(d / "live2" / "summary.json"));
}

TEST(LiveRun, CancelStopsPromptlyAndWritesNothing) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    sumo::LiveRun run;
    sumo::LiveRunOptions o;
    o.scenario = grid_scenario(d, 25200);  // an hour: far longer than the test waits
    o.closure.edges = {"B1C1", "C1B1"};
    o.closure.from_s = 21700;
    o.out = (d / "live").string();
    run.start(o);
    ASSERT_TRUE(wait_until(run, 21800));
    ASSERT_TRUE(run.running()) << "the hour ran out before the cancel";
    const auto t0 = Clock::now();
    run.cancel();
    run.wait();
    const double stop_s = std::chrono::duration<double>(Clock::now() - t0).count();
    EXPECT_LT(stop_s, 2.0);
    const sumo::LiveStatus s = run.status();
    EXPECT_EQ(s.state, sumo::LiveState::cancelled);
    EXPECT_EQ(s.error, "the traffic run was cancelled; nothing was written");
    EXPECT_FALSE(s.result);
    EXPECT_LT(s.sim_s, 25200);
    EXPECT_FALSE(fs::exists(d / "live"));
    EXPECT_EQ(leftovers(d / "live"), std::vector<std::string>{});
    EXPECT_FALSE(sumo::live_run_running());
    std::printf("[ live cancel ] stopped %.3f s after the cancel, at %.0f s of the day\n", stop_s, s.sim_s);
}

TEST(LiveRun, ASecondStartWhileOneRunsIsRefused) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    sumo::LiveRun first, second;
    sumo::LiveRunOptions o;
    o.scenario = grid_scenario(d, 25200);
    o.closure.edges = {"B1C1"};
    o.closure.from_s = 21700;
    o.out = (d / "first").string();
    first.start(o);
    o.out = (d / "second").string();
    const std::string refused =
        "a live traffic run is already running (scenario '" + o.scenario +
        "' with 'B1C1' closed); cancel it or wait until it has finished: SUMO runs one simulation at a time";
    EXPECT_EQ(error_of([&] { second.start(o); }), refused);
    EXPECT_EQ(error_of([&] { first.start(o); }), refused);
    EXPECT_EQ(second.status().state, sumo::LiveState::idle);
    first.cancel();
    first.wait();
    EXPECT_EQ(first.status().state, sumo::LiveState::cancelled);
    // Free again: the second starts now (and is cancelled by its destructor).
    o.until_s = 21700;
    second.start(o);
    second.wait();
    EXPECT_EQ(second.status().state, sumo::LiveState::finished) << second.status().error;
    EXPECT_FALSE(fs::exists(d / "first"));
}

TEST(LiveRun, BadClosuresAreRefusedInWords) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    sumo::LiveRun run;
    sumo::LiveRunOptions o;
    o.scenario = grid_scenario(d, 21700);
    o.out = (d / "live").string();
    EXPECT_EQ(error_of([&] { run.start(o); }),
              "the road to close names no edge (click a road or pick a street)");
    o.closure.edges = {"B1C1"};
    o.closure.from_s = 21700;
    o.closure.to_s = 21650;
    EXPECT_EQ(error_of([&] { run.start(o); }),
              "the road cannot open again at 21650 s: that is not after it closes (21700 s; times are "
              "seconds of the day)");
    // An edge the network lacks: the run fails on its thread, with the scenario's message.
    o.closure.edges = {"B1C9"};
    o.closure.to_s = 21800;
    run.start(o);
    run.wait();
    const sumo::LiveStatus s = run.status();
    EXPECT_EQ(s.state, sumo::LiveState::failed);
    EXPECT_EQ(s.error, "traffic scenario '" + o.scenario +
                           "': closures[0].edges[0]: no edge 'B1C9' in the network 'grid.net.xml' (did you "
                           "mean 'B1C1'?)");
    EXPECT_FALSE(fs::exists(d / "live"));
}

// The road a click means: the nearest lane a car may use, the road's two directions, the
// streets by name.
TEST(RoadPick, NearestEdgeAtKnownPoints) {
    zw::test::TempDir dir;
    const fs::path d = dir.path();
    grid_scenario(d, 21700);
    const Network net = read_network(d / "grid.net.xml");
    const double x0 = zw::test::grid_x0, y0 = zw::test::grid_y0;
    // Lanes lie right of the road's centre line: eastbound south of it, westbound north.
    auto nearest = [&](double x, double y, double max_m = 15) {
        const auto hit = nearest_edge(net, {x, y}, "passenger", max_m);
        return hit ? hit->edge->id : std::string("none");
    };
    EXPECT_EQ(nearest(x0 + 300, y0 + 200 - 2), "B1C1");
    EXPECT_EQ(nearest(x0 + 300, y0 + 200 + 2), "C1B1");
    EXPECT_EQ(nearest(x0 + 500, y0 + 400 + 3), "D2C2");
    EXPECT_EQ(nearest(x0 + 200 + 2, y0 + 100), "B0B1");  // northbound: east of the centre line
    EXPECT_EQ(nearest(x0 + 200 - 2, y0 + 100), "B1B0");  // southbound: west of it
    // Between the roads: nothing within 15 m, the nearest beyond that.
    EXPECT_EQ(nearest(x0 + 100, y0 + 100), "none");
    EXPECT_NE(nearest(x0 + 100, y0 + 100, 1000), "none");
    // A lane only buses may use is not a car's: the other direction is nearest.
    EXPECT_EQ(nearest(x0 + 100, y0 - 2), "B0A0");
    EXPECT_EQ(nearest_edge(net, {x0 + 100, y0 - 2}, "bus")->edge->id, "A0B0");
    const auto hit = nearest_edge(net, {x0 + 300, y0 + 200 - 2});
    ASSERT_TRUE(hit);
    EXPECT_LT(hit->distance_m, 1.0);
    EXPECT_NEAR(hit->point.x, x0 + 300, 1e-6);
    EXPECT_FALSE(nearest_edge(net, {std::nan(""), y0}));

    EXPECT_EQ(segment_edges(net, "B1C1"), (std::vector<std::string>{"B1C1", "C1B1"}));
    EXPECT_EQ(segment_edges(net, "nowhere"), std::vector<std::string>{});
    EXPECT_EQ(street_names(net), std::vector<std::string>{"Hauptstraße"});
    EXPECT_EQ(street_edges(net, "Hauptstraße").size(), 6u);
    EXPECT_EQ(street_edges(net, ""), std::vector<std::string>{});
}

}  // namespace
