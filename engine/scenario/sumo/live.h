// A live what-if: a traffic scenario run again with one more closure (a road the user
// closed in the viewer), by SUMO on a worker thread (run.h's run_traffic), watched while it
// runs: its progress, a cancel, and at the end the output folder and its figures, or what
// went wrong. The viewer's "Straße sperren / Close a road" starts one; the result is a
// traffic bundle (docs/traffic-bundle.md) like any other run's.
//
// One at a time in the process: libsumo holds one simulation per process, and a second
// live run would only wait for the first (run.h serialises runs). So start() refuses a
// second one, from any LiveRun, while one is running, with a message saying so; runs that
// are not live (the bake, zwilling-traffic) still wait for each other as run.h says.
//
// The output folder is written whole or not at all (run.h): a cancelled or failed run
// leaves no folder (or the previous one untouched), and nothing half-written beside it.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/scenario/sumo/run.h"
#include "engine/scenario/traffic/closure.h"

namespace zw::scenario::sumo {

struct LiveRunOptions {
    std::string scenario;                         // the scenario file ...
    std::shared_ptr<const TrafficInputs> inputs;  // ... or these, already read (then `scenario` is not read)
    // Added to the scenario's closures. An empty id becomes "live" (with a number where the
    // scenario has one of that id already), an empty kind "user"; its edges must be normal
    // edges of the network, to_s after from_s (traffic::validate_traffic_scenario).
    traffic::Closure closure;
    std::string out;     // the output folder (run.h: whole or not at all)
    std::string id;      // the run's scenario id in summary.json and closures.json ("" : the scenario's)
    double until_s = 0;  // as TrafficRunOptions::until_s (0: the scenario's end_s)
    bool sumo_warnings = false;  // as TrafficRunOptions (off: a viewer has no console to fill)
};

enum class LiveState { idle, running, finished, failed, cancelled };

// A copy of where a live run is.
struct LiveStatus {
    LiveState state = LiveState::idle;
    Progress progress;  // the last one (fraction 0 before the first simulated second)
    double sim_s = 0;   // the simulated time reached (seconds of the day; 0 before the first)
    std::shared_ptr<const TrafficRunResult> result;  // finished: the output folder and figures
    std::string error;                               // failed: what went wrong, with what to do
    std::string closure_id;                          // the closure as added (its id made unique)
};

class LiveRun {
  public:
    LiveRun() = default;
    // Cancels a run still going and waits for it (at most about one simulated second).
    ~LiveRun();
    LiveRun(const LiveRun&) = delete;
    LiveRun& operator=(const LiveRun&) = delete;

    // Starts the run on a worker thread and returns at once; the inputs are read (when only
    // `scenario` is given), the closure checked and SUMO loaded on that thread, and what
    // fails there ends as LiveState::failed with the message. Throws zw::Error, starting
    // nothing, when a live run (this one's or another LiveRun's) is still running, when
    // neither `scenario` nor `inputs` or no `out` is given, and when the closure has no edges
    // or does not end after it starts. A finished run's status is replaced.
    void start(LiveRunOptions options);
    // Asks the run to stop after the current simulated second (LiveState::cancelled,
    // nothing written); returns at once. Nothing to do when none runs.
    void cancel();
    // Waits for the worker to end (returns at once when none was started).
    void wait();

    bool running() const { return running_.load(); }
    // The fraction of the window simulated, 0..1: rises monotonically during a run; cheap
    // (an atomic), for a progress bar every frame.
    double fraction() const { return fraction_.load(); }
    LiveStatus status() const;

  private:
    void run(LiveRunOptions options);

    mutable std::mutex mutex_;
    LiveStatus status_;
    std::atomic<bool> running_{false}, cancel_{false};
    std::atomic<double> fraction_{0.0};
    std::thread worker_;
};

// Whether any live run in this process is running now.
bool live_run_running();

}  // namespace zw::scenario::sumo
