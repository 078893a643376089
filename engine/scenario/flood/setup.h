// A flood scenario (scenario.h) made ready for the solver (solver.h): the
// measures applied to the terrain, NODATA cells walled off, inflow points turned into
// cells, the boundaries, the initial water and the roughness. Shared by zwilling-flood,
// the bake and the viewer's live mode, which all run the same scenario the same way.
#pragma once

#include <vector>

#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/scenario.h"
#include "engine/scenario/flood/solver.h"

namespace zw::scenario {

struct FloodSetup {
    AsciiGrid ground;             // the terrain with the measures applied (NODATA kept)
    std::vector<size_t> changed;  // cells changed per measure
    size_t cells_outside = 0;     // NODATA cells (walls 1 km above the highest ground)
    flood::Grid grid;             // for the solver
    flood::FloodInputs inputs;
    flood::State initial;    // h only (water at rest); empty: a dry start
    flood::Options options;  // the scenario's Courant number and order; threads 1
};

// `measures`: the scenario's own, or others (the viewer's live mode adds a drawn wall).
// `manning` and `initial_depth` may be null; when given they must have the terrain's
// grid. Throws zw::Error naming the scenario and field.
FloodSetup make_flood_setup(const FloodScenario& scenario, const AsciiGrid& terrain,
                            const std::vector<Measure>& measures, const AsciiGrid* manning = nullptr,
                            const AsciiGrid* initial_depth = nullptr);

// Throws unless `g` has the terrain's shape and place (`what` names it in the message).
void require_same_grid(const AsciiGrid& g, const AsciiGrid& terrain, const std::string& what);

}  // namespace zw::scenario
