#include "engine/scenario/traffic/summary.h"

#include <algorithm>

namespace zw::scenario::traffic {

TripSummary summarize_trips(const std::vector<TripInfo>& trips) {
    TripSummary s;
    std::vector<double> durations;
    double time_loss_s = 0, waiting_s = 0, length_m = 0;
    for (const TripInfo& t : trips) {
        ++s.vehicles;
        if (!t.arrived()) continue;
        durations.push_back(t.duration_s);
        time_loss_s += t.time_loss_s;
        waiting_s += t.waiting_s;
        length_m += t.route_length_m;
    }
    s.arrived = durations.size();
    s.time_loss_vh = time_loss_s / 3600.0;
    s.waiting_vh = waiting_s / 3600.0;
    s.vehicle_km = length_m / 1000.0;
    if (durations.empty()) return s;
    double sum = 0;
    for (double d : durations)
        sum += d;
    s.mean_travel_time_s = sum / double(durations.size());
    const size_t mid = durations.size() / 2;
    std::nth_element(durations.begin(), durations.begin() + std::ptrdiff_t(mid), durations.end());
    s.median_travel_time_s = durations[mid];
    if (durations.size() % 2 == 0) {
        const double below = *std::max_element(durations.begin(), durations.begin() + std::ptrdiff_t(mid));
        s.median_travel_time_s = (below + durations[mid]) / 2;
    }
    return s;
}

nlohmann::json summary_json(const TripSummary& s) {
    return {{"vehicles", s.vehicles},
            {"arrived", s.arrived},
            {"mean_travel_time_s", s.mean_travel_time_s},
            {"median_travel_time_s", s.median_travel_time_s},
            {"time_loss_vh", s.time_loss_vh},
            {"waiting_vh", s.waiting_vh},
            {"vehicle_km", s.vehicle_km}};
}

}  // namespace zw::scenario::traffic
