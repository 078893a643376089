#version 450
// Chooses the step (flood_step.glsl, as Solver::step_towards does) from the wave speed that the
// last flood_reduce.comp found, and the source depths of the step; or ends the run by
// writing empty indirect dispatches. One invocation.
#include "flood_common.glsl"

layout(local_size_x = 1) in;

// Series::at and Series::integral (engine/scenario/series.cpp), same arithmetic.
double series_at(uint first, uint count, double x) {
    if (x <= series[first].x) return series[first].y;
    if (x >= series[first + count - 1].x) return series[first + count - 1].y;
    uint k = first;
    while (series[k + 1].x <= x) ++k;
    const dvec2 a = series[k], b = series[k + 1];
    const double w = (x - a.x) / (b.x - a.x);
    return a.y + w * (b.y - a.y);
}

double piece(uint first, uint count, double a, double b, double t0, double t1) {
    a = max(a, t0);
    b = min(b, t1);
    return b > a ? 0.5 * (series_at(first, count, a) + series_at(first, count, b)) * (b - a) : 0.0;
}

double series_integral(uint first, uint count, double t0, double t1) {
    if (count == 0 || t1 <= t0) return 0.0;
    double sum = 0.0;
    sum += piece(first, count, -1e300lf, series[first].x, t0, t1);
    for (uint k = first; k + 1 < first + count; ++k)
        sum += piece(first, count, series[k].x, series[k + 1].x, t0, t1);
    sum += piece(first, count, series[first + count - 1].x, 1e300lf, t0, t1);
    return sum;
}

void main() {
    // The rule of Solver::step_towards (flood_step.glsl), from the same wave speed.
    const double cfl = max_speed > 0 ? pc.courant * pc.dx / max_speed : pc.max_dt;
    const double step_dt = flood_step_dt(t, pc.t_end, cfl, pc.max_dt);
    dt = step_dt;
    const uint sizes[9] = uint[9](pc.flux_groups_x, pc.flux_groups_y, 1, pc.groups_x, pc.groups_y, 1, 1, 1, 1);
    for (uint k = 0; k < 9; ++k)
        indirect[k] = step_dt > 0 ? sizes[k] : 0;
    if (step_dt == 0) return;

    const double area = pc.dx * pc.dx;
    for (uint k = 0; k < pc.inflows; ++k) {
        const uint count = index_data[3 * k + 1], cells = index_data[3 * k + 2];
        const double volume = series_integral(index_data[3 * k], count, t, t + step_dt);
        const double depth = volume / (double(cells) * area);
        inflow_depth[k] = depth;
        inflow_volume += depth * double(cells) * area;
    }
    const double rain = series_integral(0, pc.rain_points, t, t + step_dt) / 3.6e6lf;
    rain_depth = rain;
    rain_volume += rain * area * double(pc.nx * pc.ny);
}
