#include "engine/scenario/flood/setup.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"

namespace zw::scenario {

void require_same_grid(const AsciiGrid& g, const AsciiGrid& terrain, const std::string& what) {
    if (g.ncols != terrain.ncols || g.nrows != terrain.nrows ||
        std::abs(g.cellsize - terrain.cellsize) > 1e-9 || std::abs(g.xllcorner - terrain.xllcorner) > 1e-6 ||
        std::abs(g.yllcorner - terrain.yllcorner) > 1e-6)
        fail(what, " is ", g.ncols, " x ", g.nrows, " cells of ", g.cellsize, " m, but the terrain is ",
             terrain.ncols, " x ", terrain.nrows, " cells of ", terrain.cellsize,
             " m at the same corner; give it the terrain's grid");
}

FloodSetup make_flood_setup(const FloodScenario& sc, const AsciiGrid& terrain,
                            const std::vector<Measure>& measures, const AsciiGrid* manning,
                            const AsciiGrid* initial_depth) {
    check_flood_grids(sc, terrain, manning, initial_depth);
    FloodSetup s;
    s.ground = terrain;
    s.changed = apply_measures(s.ground, measures);

    // NODATA cells lie outside the domain: they become walls 1 km above the highest
    // ground, so that no water enters them.
    s.grid.nx = s.ground.ncols;
    s.grid.ny = s.ground.nrows;
    s.grid.dx = s.ground.cellsize;
    s.grid.z = s.ground.values;
    double top = -1e300;
    for (double z : s.ground.values)
        if (!s.ground.is_nodata(z)) top = std::max(top, z);
    if (top < -1e299) fail("the terrain '", sc.terrain, "' holds no value (every cell is NODATA)");
    for (double& z : s.grid.z)
        if (s.ground.is_nodata(z)) {
            z = top + 1000;
            ++s.cells_outside;
        }

    flood::FloodInputs& in = s.inputs;
    if (manning) {
        require_same_grid(*manning, terrain, "the Manning grid '" + sc.manning_grid + "'");
        in.manning = manning->values;
        for (double& v : in.manning)
            if (manning->is_nodata(v) || v < 0) v = sc.manning;
    } else {
        in.manning_constant = sc.manning;
    }
    for (size_t i = 0; i < sc.inflows.size(); ++i) {
        flood::Inflow f;
        f.discharge = sc.inflows[i].discharge;
        for (size_t k = 0; k < sc.inflows[i].at.size(); ++k) {
            const auto cell = cell_of(terrain, sc.inflows[i].at[k]);
            if (!cell)
                fail("flood scenario '", sc.path, "': inflows[", i, "].at[", k, "] (", sc.inflows[i].at[k][0],
                     ", ", sc.inflows[i].at[k][1], ") lies outside the terrain grid");
            const size_t index = s.grid.index((*cell)[0], (*cell)[1]);
            if (terrain.is_nodata(terrain.values[index]))
                fail("flood scenario '", sc.path, "': inflows[", i, "].at[", k,
                     "] lies on a NODATA cell of the terrain");
            if (std::find(f.cells.begin(), f.cells.end(), index) == f.cells.end()) f.cells.push_back(index);
        }
        in.inflows.push_back(std::move(f));
    }
    in.rain_mm_per_h = sc.rain_mm_per_h;
    // The scenario's sides are north, east, south, west; the solver's are indexed by Side.
    auto side = [&](flood::Side to, size_t from) {
        in.boundaries[size_t(to)] = sc.boundaries[from] == Boundary::free_outflow
                                        ? flood::Boundary::free_outflow
                                        : flood::Boundary::closed;
    };
    side(flood::Side::north, 0);
    side(flood::Side::east, 1);
    side(flood::Side::south, 2);
    side(flood::Side::west, 3);

    if (initial_depth) {
        require_same_grid(*initial_depth, terrain, "the initial depth grid '" + sc.initial_depth + "'");
        s.initial.h = initial_depth->values;
        for (size_t i = 0; i < s.initial.h.size(); ++i)
            if (initial_depth->is_nodata(s.initial.h[i]) || terrain.is_nodata(terrain.values[i]) ||
                s.initial.h[i] < 0)
                s.initial.h[i] = 0;
    }
    s.options.courant = sc.courant;
    s.options.second_order = sc.second_order;
    s.options.threads = 1;
    return s;
}

}  // namespace zw::scenario
