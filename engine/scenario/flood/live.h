// A flood run that is watched while it runs: the solver steps on a worker thread from
// t = 0 and publishes the depths every so often, so that a view can show the water
// growing (the viewer's live mode, where the user draws a mobile wall and sees what it
// does). Starting again (a changed wall) stops the old run first. Pure code.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/scenario/flood/results.h"
#include "engine/scenario/flood/setup.h"

namespace zw::scenario {

class LiveFlood {
  public:
    LiveFlood() = default;
    ~LiveFlood();
    LiveFlood(const LiveFlood&) = delete;
    LiveFlood& operator=(const LiveFlood&) = delete;

    // (Re)starts from t = 0 on a worker thread, until `until_s` simulated seconds; from
    // then on latest() hands out only the new run's publications.
    // Depths are published at most every `publish_wall_s` seconds of wall time, and at
    // the end.
    void start(FloodSetup setup, double until_s, double publish_wall_s = 0.1);
    // Stops and joins the worker (the last published depths stay).
    void stop();

    struct Snapshot {
        uint64_t version = 0;         // grows with every publication; 0: none yet
        double t_s = 0;               // simulated time of `depth`
        std::vector<float> depth;     // m per cell, row-major, row 0 south
        std::vector<float> velocity;  // 2 per cell: east, north (m/s); 0 where shallower than 1 cm
        double sim_per_wall = 0;      // simulated seconds per wall second so far
        bool finished = false;        // reached until_s
        std::string error;            // the solver refused the setup (message)
    };
    // Copies the latest publication into `out` when it is newer than out.version.
    bool latest(Snapshot& out) const;
    bool running() const { return running_.load(); }

  private:
    void run(FloodSetup setup, double until_s, double publish_wall_s);

    mutable std::mutex mutex_;
    Snapshot published_;
    uint64_t versions_ = 0;  // publications across runs (versions never repeat)
    std::atomic<bool> stop_{false}, running_{false};
    std::thread worker_;
};

// The live run of a loaded scenario (load_flood) with a mobile wall along `wall` (two
// points or more; fewer: no wall), `wall_height_m` high: on the scenario's ground (its
// measures applied), from the water of its first stored frame when that is at t = 0 (else
// dry). Throws zw::Error when `data` has no scenario (an import) or the scenario needs a
// Manning grid (not part of a bundle).
FloodSetup live_setup(const FloodData& data, const std::vector<Point>& wall, double wall_height_m);

}  // namespace zw::scenario
