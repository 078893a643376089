// The viewer's glue (app/viewer/flood_water.h): the renderer draws the water exactly where
// the engine places the raster.
#include <gtest/gtest.h>

#include "app/viewer/flood_water.h"

namespace {

TEST(FloodWaterGrid, TheRendererDrawsWhereTheEnginePlacesIt) {
    zw::scenario::AsciiGrid g;
    g.ncols = 3;
    g.nrows = 2;
    g.xllcorner = 632000;
    g.yllcorner = 5497000;
    g.cellsize = 10;
    g.values = {300, 301, 302, 303, 304, 305};
    const zw::scenario::WorldGrid w = zw::scenario::world_grid(g, 47.6);
    const zw::render::WaterGrid r = zw::viewer::water_grid(w);
    EXPECT_EQ(r.nx, w.nx);
    EXPECT_EQ(r.ny, w.ny);
    EXPECT_EQ(r.cell_m, w.cell_m);
    EXPECT_EQ(r.origin, w.origin);
    EXPECT_EQ(r.ground, w.ground);
    EXPECT_EQ(r.east, w.east);
    EXPECT_EQ(r.north, w.north);
    EXPECT_EQ(r.up, w.up);
    EXPECT_EQ(zw::viewer::water_grid({}).nx, 0u) << "an empty raster: nothing drawn";
}

}  // namespace
