// Plane geometry of scenario inputs (points in metres of the terrain grid's system):
// distance to a segment, point in polygon and the length of a line, for measures and sites.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace zw::scenario {

using Point = std::array<double, 2>;  // x (easting), y (northing), metres

inline double distance_to_segment(Point p, Point a, Point b) {
    const double dx = b[0] - a[0], dy = b[1] - a[1];
    const double len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp(((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2, 0.0, 1.0) : 0.0;
    return std::hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

// Even-odd rule; `poly` is closed implicitly (last point to first).
inline bool inside_polygon(Point p, const std::vector<Point>& poly) {
    bool in = false;
    for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        const Point& a = poly[i];
        const Point& b = poly[j];
        if ((a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0])
            in = !in;
    }
    return in;
}

// The length of a polyline (0 for fewer than two points).
inline double polyline_length(const std::vector<Point>& line) {
    double l = 0;
    for (size_t i = 1; i < line.size(); ++i)
        l += std::hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
    return l;
}

}  // namespace zw::scenario
