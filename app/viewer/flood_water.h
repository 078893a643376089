// The glue between the engine's flood results and the renderer: the raster's place in the
// world (scenario::WorldGrid, made by load_flood) as the grid render::Water draws on.
#pragma once

#include "engine/render/water.h"
#include "engine/scenario/world_grid.h"

namespace zw::viewer {

// The same cells, ground positions and axes (a copy: O(cells)).
render::WaterGrid water_grid(const scenario::WorldGrid& world);

}  // namespace zw::viewer
