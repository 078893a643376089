// A traffic scenario (docs/traffic-scenario.md) run in-process by SUMO through libsumo:
// `zwilling-traffic`, the bake and the viewer's live what-if share it. The only module that
// links libsumo (Debian's `sumo` package: libsumocpp and its headers).
//
// The run inserts the demand's trips itself, each at its departure and routed then under
// the closures in force (SUMO would stop with a fatal error on a vehicle whose departure
// edge is closed); a trip that cannot start (its edge closed, its destination unreachable)
// is counted as not started, with the reason. A closure takes every lane of its edges
// from every vehicle class from from_s to to_s and gives them back as they were; when it
// starts, every vehicle whose remaining route crosses it is rerouted, and one that cannot
// avoid it is taken out of the simulation (stranded). A vehicle on a closed edge when it
// closes drives off it. Vehicles still driving at end_s are counted as running.
//
// Writes into the output folder, whole or not at all (a failed or cancelled run leaves no
// folder, or the previous one untouched): trajectories.zwt (every vehicle each
// sample_step_s, docs/traffic-bundle.md), tripinfo.xml and edgedata.xml (SUMO's),
// edge_measures.json, closures.json (the closures as applied), summary.json, sumo.log
// (SUMO's messages) and, with outputs.fcd, fcd.xml.
//
// libsumo is one simulation per process and not thread-safe: runs are serialised by a
// global mutex (a second run, from any thread, waits for the first to end). Costs SUMO's
// time plus one sample of every vehicle per sample step.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <glm/vec3.hpp>

#include "engine/core/error.h"
#include "engine/scenario/traffic/demand.h"
#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/scenario.h"
#include "engine/scenario/traffic/summary.h"

namespace zw::scenario::sumo {

// A scenario with its network and demand, read and checked against each other
// (read_traffic_inputs), so that the viewer reads them once and runs them many times.
struct TrafficInputs {
    traffic::TrafficScenario scenario;
    traffic::Network network;
    traffic::Demand demand;
};

// Reads the scenario file, its network and its demand, and validates them against each
// other (traffic::validate_traffic_scenario, traffic::validate_demand). Throws zw::Error
// naming the file and the field for anything wrong.
TrafficInputs read_traffic_inputs(const std::string& scenario_path);

// Where a run is, for a progress line or bar.
struct Progress {
    double begin_s = 0, end_s = 0;  // the run's window (end_s: the scenario's or until_s)
    double fraction = 0;            // of the window simulated, 0..1
    uint64_t running = 0;           // vehicles on the roads now
    uint64_t inserted = 0, arrived = 0, not_started = 0, stranded = 0;
    double wall_s = 0;  // since the run started
};

struct TrafficRunOptions {
    std::string scenario;                         // the scenario file ...
    std::shared_ptr<const TrafficInputs> inputs;  // ... or these, already read (then `scenario` is not read)
    std::string out;                              // the output folder (whole or not at all)
    // EPSG:25832 origin of the stored trajectories; default (-netOffset, 0): positions are
    // stored in the net's own coordinates (the twin frame, for networks the bake writes).
    std::optional<glm::dvec3> origin;
    double until_s = 0;       // > begin_s: stop there (seconds of the day) instead of at end_s
    std::optional<bool> fcd;  // overrides the scenario's outputs.fcd
    // SUMO's warnings (emergency braking, teleports, ...) go to sumo.log and, the first five
    // of a kind, to stderr (SUMO has no way to keep them off the console); false: none at all.
    bool sumo_warnings = true;
    // Called after every simulated second, on the running thread, with the simulated time.
    std::function<void(double sim_s, const Progress& progress)> progress;
    // Checked every simulated second; true ends the run (TrafficRunCancelled).
    std::atomic<bool>* cancel = nullptr;
};

// A trip that did not start, and why.
struct NotStarted {
    std::string trip, reason;
};

struct TrafficRunResult {
    std::string out;                      // the output folder, as given
    traffic::TripSummary trips;           // from tripinfo (stranded vehicles count as not arrived)
    uint64_t demand_trips = 0;            // trips in the demand
    uint64_t inserted = 0;                // vehicles that entered the network
    uint64_t arrived = 0;                 // vehicles that reached their destination
    uint64_t running_at_end = 0;          // still driving when the run stopped
    uint64_t stranded = 0;                // taken out: a closure left them no way on
    uint64_t teleports = 0;               // SUMO's teleports (jams, vehicles stuck for 300 s)
    std::vector<NotStarted> not_started;  // in order of departure
    std::map<std::string, uint64_t> not_started_by_reason;
    std::string sumo_version;
    double begin_s = 0, end_s = 0;  // the window simulated
    double wall_s = 0;              // the whole run, reading to writing
    double sim_s_per_wall_s = 0;    // simulated seconds per second of SUMO's stepping and sampling
    std::string summary_json;       // what summary.json holds
};

// Thrown when options.cancel was set: nothing was written.
class TrafficRunCancelled : public Error {
  public:
    TrafficRunCancelled() : Error("the traffic run was cancelled; nothing was written") {}
};

// Runs the scenario and writes its outputs. Throws zw::Error with what to do: for a bad
// scenario, network or demand (naming the file and the field), when SUMO refuses to load or
// fails during the run (its message), when an output cannot be written, and
// TrafficRunCancelled. SUMO is closed again in every case.
TrafficRunResult run_traffic(const TrafficRunOptions& options);

// SUMO's version as libsumo reports it ("SUMO 1.15.0"); loads no simulation.
std::string sumo_version();

}  // namespace zw::scenario::sumo
