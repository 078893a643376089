// The scripted camera flight of the streaming benchmark (tests/bench/stream.sh): take
// off over the town, a low pass down the main street, a turn, a climb. Positions are
// in the view's local east-north-up frame (a twin's origin is the market square).
#pragma once

#include <vector>

#include <glm/glm.hpp>

#include "app/viewer/config.h"

namespace zw::viewer {

struct FlightKey {
    double t = 0;  // seconds from the start
    glm::dvec3 eye{0.0}, target{0.0};
};

struct Flight {
    std::vector<FlightKey> keys;
    double duration() const { return keys.empty() ? 0 : keys.back().t; }
    // Eye and target at time t (clamped), eased between keys.
    FlightKey at(double t) const;
};

// A short camera move to a new eye and target (world coordinates), eased at both ends:
// the impacts panel flies to a clicked building. Input during the move stops it.
struct FlyTo {
    FlightKey from, to;  // t unused
    double elapsed = 0, duration = config.fly_to_s;
    bool active = false;

    void start(const glm::dvec3& eye, const glm::dvec3& target, const glm::dvec3& to_eye,
               const glm::dvec3& to_target, double seconds = config.fly_to_s);
    // Advances by dt and returns where the camera is now; inactive once arrived.
    FlightKey step(double dt);
};

// The benchmark flight over a twin.
Flight town_flight();

// Per-frame numbers of a flight and the summary printed at its end.
struct FlightStats {
    double time_to_full_detail_ms = -1;  // at the first key, before the flight starts
    std::vector<double> selection_ms;    // per frame: selection + culling (CPU)
    uint64_t tiles_loaded = 0;           // contents loaded during the flight
    double flight_wall_s = 0;
    uint64_t peak_bytes = 0, budget = 0;
    uint64_t frames_over_upload_budget = 0;
    uint32_t frames = 0;
    // One line per figure, for people; and one JSON object for scripts.
    void print() const;
};

}  // namespace zw::viewer
