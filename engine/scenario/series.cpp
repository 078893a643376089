#include "engine/scenario/series.h"

#include <algorithm>

namespace zw::scenario {

double Series::at(double t) const {
    if (points.empty()) return 0;
    if (t <= points.front()[0]) return points.front()[1];
    if (t >= points.back()[0]) return points.back()[1];
    const auto it = std::upper_bound(points.begin(), points.end(), t,
                                     [](double v, const std::array<double, 2>& p) { return v < p[0]; });
    const auto& b = *it;
    const auto& a = *(it - 1);
    const double w = (t - a[0]) / (b[0] - a[0]);
    return a[1] + w * (b[1] - a[1]);
}

double Series::integral(double t0, double t1) const {
    if (points.empty() || t1 <= t0) return 0;
    double sum = 0;
    const auto piece = [&](double a, double b) {
        a = std::max(a, t0);
        b = std::min(b, t1);
        if (b > a) sum += 0.5 * (at(a) + at(b)) * (b - a);
    };
    piece(-1e300, points.front()[0]);
    for (size_t k = 0; k + 1 < points.size(); ++k)
        piece(points[k][0], points[k + 1][0]);
    piece(points.back()[0], 1e300);
    return sum;
}

}  // namespace zw::scenario
