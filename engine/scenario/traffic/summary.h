// What a traffic scenario's trips add up to, from SUMO's tripinfo output: the figures of a
// scenario's summary.json and of the viewer's impacts. Pure code.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scenario/traffic/sumo_xml.h"

namespace zw::scenario::traffic {

// Travel times, delay and distance are those of the arrived trips; `vehicles` counts every
// trip in the tripinfo (SUMO writes unfinished ones only with write-unfinished).
struct TripSummary {
    uint64_t vehicles = 0;
    uint64_t arrived = 0;
    double mean_travel_time_s = 0;    // 0 without arrived trips
    double median_travel_time_s = 0;  // the middle one, or the mean of the two middle ones
    double time_loss_vh = 0;          // total delay (SUMO's timeLoss), vehicle-hours
    double waiting_vh = 0;            // total standing time, vehicle-hours
    double vehicle_km = 0;            // total route length
};

// Sums `trips`. Linear (the median: nth_element on a copy of the durations).
TripSummary summarize_trips(const std::vector<TripInfo>& trips);

// {"vehicles", "arrived", "mean_travel_time_s", "median_travel_time_s", "time_loss_vh",
// "waiting_vh", "vehicle_km"} as numbers (docs/traffic-bundle.md).
nlohmann::json summary_json(const TripSummary& summary);

}  // namespace zw::scenario::traffic
