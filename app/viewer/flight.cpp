#include "app/viewer/flight.h"

#include <algorithm>
#include <cstdio>

namespace zw::viewer {

FlightKey Flight::at(double t) const {
    if (keys.empty()) return {};
    if (t <= keys.front().t) return keys.front();
    if (t >= keys.back().t) return keys.back();
    size_t i = 1;
    while (keys[i].t < t)
        ++i;
    const FlightKey& a = keys[i - 1];
    const FlightKey& b = keys[i];
    double u = (t - a.t) / std::max(b.t - a.t, 1e-9);
    u = u * u * (3.0 - 2.0 * u);  // smoothstep: no jumps in speed at the keys
    return {t, glm::mix(a.eye, b.eye, u), glm::mix(a.target, b.target, u)};
}

void FlyTo::start(const glm::dvec3& eye, const glm::dvec3& target, const glm::dvec3& to_eye,
                  const glm::dvec3& to_target, double seconds) {
    from = {0, eye, target};
    to = {0, to_eye, to_target};
    elapsed = 0;
    duration = std::max(seconds, 1e-3);
    active = true;
}

FlightKey FlyTo::step(double dt) {
    elapsed += std::max(dt, 0.0);
    double u = std::min(elapsed / duration, 1.0);
    if (u >= 1.0) active = false;
    u = u * u * (3.0 - 2.0 * u);
    return {elapsed, glm::mix(from.eye, to.eye, u), glm::mix(from.target, to.target, u)};
}

Flight town_flight() {
    // The sample town: market square near (20, 150), the main road along x = 18..20,
    // the creek around y = -80 (docs/twin-bundle.md).
    Flight f;
    f.keys = {
        {0, {-150, -500, 120}, {20, 150, 0}},    // on the ground south-west of the centre
        {10, {-700, -1500, 700}, {20, 150, 0}},  // take-off: climb back over the town
        {20, {18, -700, 25}, {18, 400, 10}},     // down to the main road, south of the creek
        {35, {18, 700, 15}, {18, 1800, 10}},     // low pass north along the main street
        {42, {30, 800, 20}, {1200, 800, 10}},    // turn east
        {55, {900, 1000, 900}, {0, 0, 0}},       // climb, looking back over the town
    };
    return f;
}

void FlightStats::print() const {
    std::vector<double> s = selection_ms;
    std::sort(s.begin(), s.end());
    const double median = s.empty() ? 0 : s[s.size() / 2];
    const double worst = s.empty() ? 0 : s.back();
    const double p99 = s.empty() ? 0 : s[std::min(s.size() - 1, s.size() * 99 / 100)];
    const double rate = flight_wall_s > 0 ? double(tiles_loaded) / flight_wall_s : 0;
    std::printf("flight: %u frames in %.1f s\n", frames, flight_wall_s);
    std::printf("time to full detail at the start: %.0f ms\n", time_to_full_detail_ms);
    std::printf("selection + culling per frame: median %.3f ms, 99th percentile %.3f ms, worst %.3f ms\n",
                median, p99, worst);
    std::printf("tiles loaded: %llu (%.1f per second)\n", static_cast<unsigned long long>(tiles_loaded),
                rate);
    std::printf("peak tile memory: %.1f MiB of %.1f MiB budget (%.1f %%)\n", peak_bytes / 1048576.0,
                budget / 1048576.0, budget ? 100.0 * double(peak_bytes) / double(budget) : 0.0);
    std::printf("frames over the upload budget: %llu\n",
                static_cast<unsigned long long>(frames_over_upload_budget));
    std::printf(
        "{\"frames\": %u, \"time_to_full_detail_ms\": %.1f, \"selection_ms_median\": %.4f, "
        "\"selection_ms_p99\": %.4f, \"selection_ms_worst\": %.4f, \"tiles_loaded\": %llu, "
        "\"tiles_per_s\": %.2f, \"peak_bytes\": %llu, \"budget_bytes\": %llu, \"frames_over_upload_budget\": "
        "%llu}\n",
        frames, time_to_full_detail_ms, median, p99, worst, static_cast<unsigned long long>(tiles_loaded),
        rate, static_cast<unsigned long long>(peak_bytes), static_cast<unsigned long long>(budget),
        static_cast<unsigned long long>(frames_over_upload_budget));
    std::fflush(stdout);
}

}  // namespace zw::viewer
