// A road closure of a traffic scenario: edges closed to every vehicle for a time (a
// construction site, a flooded road, a road the user closed in the viewer). Pure data.
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace zw::scenario::traffic {

struct Closure {
    std::string id;                  // names it in lists and messages
    std::vector<std::string> edges;  // SUMO edge ids (both directions are listed where both close)
    double from_s = 0;               // seconds of the day; closed from here ...
    double to_s = std::numeric_limits<double>::infinity();  // ... until here (reopened)
    std::string kind;                                       // "construction", "flood", "user"
    std::string reason_de, reason_en;
    bool open_at(double t_s) const { return t_s < from_s || t_s >= to_s; }
};

}  // namespace zw::scenario::traffic
