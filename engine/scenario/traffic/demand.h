// Traffic demand as plain data: the vehicle types and the trips of a run, whether read
// from a SUMO route file (demand_xml.h) or made for a town (town_demand.h). The runner
// (engine/scenario/sumo/run.h) inserts each trip at its departure, routed then under the
// closures in force. Pure data.
#pragma once

#include <string>
#include <vector>

namespace zw::scenario::traffic {

// A SUMO vehicle type (<vType>); what is not set here is SUMO's default for the vClass.
struct VehicleType {
    std::string id;                    // "car", "van", "truck", "bus", "fire_engine", ...
    std::string vclass = "passenger";  // SUMO's vClass: passenger, delivery, truck, bus, emergency, ...
    double length_m = 0;               // 0: SUMO's default for the vClass
    double max_speed_ms = 0;           // 0: SUMO's default
    double speed_factor = 0;           // 0: SUMO's default (drivers' spread around the limit)
};

// One vehicle's trip.
struct Trip {
    std::string id;                  // unique within a demand
    std::string type;                // a VehicleType id
    double depart_s = 0;             // seconds of the day (SUMO's simulation time)
    std::string from, to;            // edge ids
    std::vector<std::string> route;  // fixed edges from `from` to `to`; empty: routed at departure
    // Why it is made ("work", "school", "shopping", "through", "bus", "delivery", "farm")
    // for a synthetic demand; empty for trips read from a file.
    std::string purpose;
};

struct Demand {
    std::vector<VehicleType> types;
    std::vector<Trip> trips;  // ascending by depart_s (ties: in the order made or read)
};

}  // namespace zw::scenario::traffic
