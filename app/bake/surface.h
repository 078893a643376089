// The twin's surface grid (docs/tours.md): the highest point of ground, roofs and tree
// tops per cell, in the twin's local east-north-up frame. The viewer's camera flights
// climb over it (engine/twin/tour.h). Built from the layers every twin holds (terrain,
// buildings, trees), so it tells no twin more than its tiles do.
#pragma once

#include "app/bake/crs.h"
#include "app/bake/town.h"
#include "engine/scenario/ascii_grid.h"

namespace zw::bake {

// Cells of at least 10 m, at most 1000 x 1000 of them; x, y in metres east and north of
// the origin, values in metres above it (up in the east-north-up frame).
scenario::AsciiGrid surface_grid(const Town& town, const Frame& frame, double extent_m);

}  // namespace zw::bake
