#include "app/bake/surface.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace zw::bake {

scenario::AsciiGrid surface_grid(const Town& town, const Frame& frame, double extent_m) {
    scenario::AsciiGrid g;
    g.cellsize = std::max(10.0, extent_m / 1000.0);
    // The frame's east-north-up axes are turned against the bake's grid (convergence):
    // a little more than the extent covers every corner.
    const double half = 0.5 * extent_m * 1.05;
    g.ncols = g.nrows = uint32_t(std::ceil(2.0 * half / g.cellsize));
    g.xllcorner = g.yllcorner = -0.5 * g.ncols * g.cellsize;
    const double nodata = -9999;
    g.nodata = nodata;
    g.values.assign(size_t(g.ncols) * g.nrows, nodata);
    auto add = [&](const glm::dvec3& local) {
        const glm::dvec3 enu = frame.to_enu(local);
        const double c = std::floor((enu.x - g.xllcorner) / g.cellsize);
        const double r = std::floor((enu.y - g.yllcorner) / g.cellsize);
        if (c < 0 || r < 0 || c >= g.ncols || r >= g.nrows) return;
        double& v = g.at(uint32_t(c), uint32_t(r));
        if (v == nodata || enu.z > v) v = enu.z;
    };
    // Ground: samples at half a cell cover every cell.
    const double step = 0.5 * g.cellsize;
    const double h = town.terrain.half_extent();
    for (double y = -h; y <= h; y += step)
        for (double x = -h; x <= h; x += step)
            add({x, y, town.terrain.height(x, y)});
    // Roofs: each part's footprint at its highest point, sampled finer than a cell.
    for (const Building& b : town.buildings)
        for (const BuildingPart& p : b.parts) {
            const double top = std::max(p.eave, p.ridge);
            const glm::dvec2 along(std::cos(p.angle), std::sin(p.angle)), across(-along.y, along.x);
            const int nl = std::max(1, int(std::ceil(p.length / (0.4 * g.cellsize))));
            const int nw = std::max(1, int(std::ceil(p.width / (0.4 * g.cellsize))));
            for (int i = 0; i <= nl; ++i)
                for (int j = 0; j <= nw; ++j) {
                    const glm::dvec2 q = p.centre + along * (p.length * (double(i) / nl - 0.5)) +
                                         across * (p.width * (double(j) / nw - 0.5));
                    add({q.x, q.y, top});
                }
        }
    // Tree tops: the crown's centre and its rim.
    for (const Tree& t : town.trees) {
        const double top = t.ground + t.height;
        add({t.position.x, t.position.y, top});
        for (int k = 0; k < 8; ++k) {
            const double a = k * 0.25 * 3.14159265358979;
            add({t.position.x + t.crown_radius * std::cos(a), t.position.y + t.crown_radius * std::sin(a),
                 top});
        }
    }
    return g;
}

}  // namespace zw::bake
