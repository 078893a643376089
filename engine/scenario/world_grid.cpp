#include "engine/scenario/world_grid.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/geo/geo.h"
#include "engine/geo/utm.h"

namespace zw::scenario {

glm::dvec3 world_of(double easting, double northing, double height_asl, double geoid_undulation_m) {
    return geo::geodetic_to_ecef(
        geo::utm_to_geodetic({easting, northing}, geo::epsg25832_zone, height_asl + geoid_undulation_m));
}

WorldGrid world_grid(const AsciiGrid& ground, double undulation) {
    WorldGrid w;
    w.nx = ground.ncols;
    w.ny = ground.nrows;
    w.cell_m = float(ground.cellsize);
    double lowest = std::numeric_limits<double>::infinity(), sum = 0;
    size_t valid = 0;
    for (double v : ground.values)
        if (!ground.is_nodata(v) && std::isfinite(v)) {
            lowest = std::min(lowest, v);
            sum += v;
            ++valid;
        }
    if (valid == 0) return w;
    const double cs = ground.cellsize;
    const double ce = ground.xllcorner + 0.5 * cs * ground.ncols,
                 cn = ground.yllcorner + 0.5 * cs * ground.nrows;
    const double ch = sum / double(valid);
    w.origin = world_of(ce, cn, ch, undulation);
    w.east = glm::vec3(
        glm::normalize(world_of(ce + cs, cn, ch, undulation) - world_of(ce - cs, cn, ch, undulation)));
    w.north = glm::vec3(
        glm::normalize(world_of(ce, cn + cs, ch, undulation) - world_of(ce, cn - cs, ch, undulation)));
    const geo::Geodetic c = geo::utm_to_geodetic({ce, cn}, geo::epsg25832_zone, ch + undulation);
    w.up = glm::vec3(glm::normalize(glm::dvec3(geo::enu_to_ecef(c)[2])));
    w.ground.resize(size_t(w.nx) * w.ny);
    for (uint32_t r = 0; r < w.ny; ++r)
        for (uint32_t col = 0; col < w.nx; ++col) {
            double h = ground.at(col, r);
            if (ground.is_nodata(h) || !std::isfinite(h)) h = lowest;
            const glm::dvec3 p = world_of(ground.xllcorner + (col + 0.5) * cs,
                                          ground.yllcorner + (r + 0.5) * cs, h, undulation);
            w.ground[size_t(r) * w.nx + col] = glm::vec3(p - w.origin);
        }
    return w;
}

std::optional<Point> ground_hit(const AsciiGrid& ground, const WorldGrid& g, const glm::dvec3& eye,
                                glm::dvec3 dir) {
    if (g.nx == 0 || g.ground.size() != size_t(g.nx) * g.ny || ground.values.size() != g.ground.size())
        return std::nullopt;
    dir = glm::normalize(dir);
    const glm::dvec3 east(g.east), north(g.north), up(g.up);
    const glm::dvec3 base = g.origin + glm::dvec3(g.ground[0]);
    const double cell = g.cell_m;
    for (double s = 0; s < 30000; s += 0.5 * cell) {
        const glm::dvec3 p = eye + dir * s;
        const long c = std::lround(glm::dot(p - base, east) / cell);
        const long r = std::lround(glm::dot(p - base, north) / cell);
        if (c < 0 || r < 0 || c >= long(g.nx) || r >= long(g.ny)) continue;
        const size_t i = size_t(r) * g.nx + size_t(c);
        if (ground.is_nodata(ground.values[i])) continue;
        if (glm::dot(p - (g.origin + glm::dvec3(g.ground[i])), up) <= 0)
            return Point{ground.xllcorner + (double(c) + 0.5) * ground.cellsize,
                         ground.yllcorner + (double(r) + 0.5) * ground.cellsize};
    }
    return std::nullopt;
}

}  // namespace zw::scenario
