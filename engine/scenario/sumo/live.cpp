#include "engine/scenario/sumo/live.h"

#include <algorithm>
#include <utility>

#include "engine/core/error.h"

namespace zw::scenario::sumo {
namespace {

// The live run that holds SUMO now, said in the message that refuses a second one.
std::mutex busy_mutex;
bool busy = false;
std::string busy_what;

// The closure's id, unique among the scenario's.
std::string unique_id(const traffic::TrafficScenario& sc, const std::string& wanted) {
    const std::string base = wanted.empty() ? "live" : wanted;
    auto taken = [&](const std::string& id) {
        return std::any_of(sc.closures.begin(), sc.closures.end(),
                           [&](const traffic::Closure& c) { return c.id == id; });
    };
    std::string id = base;
    for (int n = 2; taken(id); ++n)
        id = base + "-" + std::to_string(n);
    return id;
}

}  // namespace

bool live_run_running() {
    std::lock_guard<std::mutex> lock(busy_mutex);
    return busy;
}

LiveRun::~LiveRun() {
    cancel();
    wait();
}

void LiveRun::start(LiveRunOptions o) {
    if (o.scenario.empty() && !o.inputs) fail("a live traffic run needs a scenario (its file or its inputs)");
    if (o.out.empty()) fail("a live traffic run needs an output folder");
    if (o.closure.edges.empty()) fail("the road to close names no edge (click a road or pick a street)");
    if (!(o.closure.to_s > o.closure.from_s))
        fail("the road cannot open again at ", o.closure.to_s, " s: that is not after it closes (",
             o.closure.from_s, " s; times are seconds of the day)");
    std::string edges;
    for (const std::string& e : o.closure.edges)
        edges += (edges.empty() ? "" : ", ") + e;
    {
        std::lock_guard<std::mutex> lock(busy_mutex);
        if (busy)
            fail("a live traffic run is already running (", busy_what,
                 "); cancel it or wait until it has finished: SUMO runs one simulation at a time");
        busy = true;
        busy_what =
            "scenario '" + (o.inputs ? o.inputs->scenario.id : o.scenario) + "' with '" + edges + "' closed";
    }
    wait();  // a finished run's worker
    {
        std::lock_guard<std::mutex> lock(mutex_);
        status_ = {};
        status_.state = LiveState::running;
    }
    cancel_ = false;
    fraction_ = 0.0;
    running_ = true;
    worker_ = std::thread([this, o = std::move(o)]() mutable { run(std::move(o)); });
}

void LiveRun::cancel() {
    if (running_) cancel_ = true;
}

void LiveRun::wait() {
    if (worker_.joinable()) worker_.join();
}

LiveStatus LiveRun::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
}

void LiveRun::run(LiveRunOptions o) {
    LiveState state = LiveState::failed;
    std::shared_ptr<const TrafficRunResult> result;
    std::string error, closure_id;
    try {
        std::shared_ptr<const TrafficInputs> base = o.inputs;
        if (!base) base = std::make_shared<const TrafficInputs>(read_traffic_inputs(o.scenario));
        // The scenario with the closure added; the network and the demand as they are.
        auto in = std::make_shared<TrafficInputs>(*base);
        traffic::Closure c = std::move(o.closure);
        c.id = closure_id = unique_id(in->scenario, c.id);
        if (c.kind.empty()) c.kind = "user";
        std::sort(c.edges.begin(), c.edges.end());
        c.edges.erase(std::unique(c.edges.begin(), c.edges.end()), c.edges.end());
        in->scenario.closures.push_back(std::move(c));
        if (!o.id.empty()) in->scenario.id = o.id;
        traffic::validate_traffic_scenario(in->scenario, in->network);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            status_.closure_id = closure_id;
        }
        TrafficRunOptions r;
        r.inputs = std::move(in);
        r.out = o.out;
        r.until_s = o.until_s;
        r.sumo_warnings = o.sumo_warnings;
        r.cancel = &cancel_;
        r.progress = [this](double sim_s, const Progress& p) {
            fraction_ = std::max(fraction_.load(), p.fraction);
            std::lock_guard<std::mutex> lock(mutex_);
            status_.progress = p;
            status_.sim_s = sim_s;
        };
        result = std::make_shared<const TrafficRunResult>(run_traffic(r));
        state = LiveState::finished;
        fraction_ = 1.0;
    } catch (const TrafficRunCancelled& e) {
        state = LiveState::cancelled;
        error = e.what();
    } catch (const std::exception& e) {
        error = e.what();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        status_.state = state;
        status_.result = std::move(result);
        status_.error = std::move(error);
    }
    {
        std::lock_guard<std::mutex> lock(busy_mutex);
        busy = false;
        busy_what.clear();
    }
    running_ = false;
}

}  // namespace zw::scenario::sumo
