// A piecewise-linear time series (hydrographs in m^3/s, rain in mm/h): (t in seconds,
// value) points with growing times, constant beyond the first and last; empty is 0.
#pragma once

#include <array>
#include <vector>

namespace zw::scenario {

struct Series {
    std::vector<std::array<double, 2>> points;  // times ascending
    double at(double t) const;
    double integral(double t0, double t1) const;  // exact for the piecewise-linear series
};

}  // namespace zw::scenario
