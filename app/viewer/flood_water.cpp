#include "app/viewer/flood_water.h"

namespace zw::viewer {

render::WaterGrid water_grid(const scenario::WorldGrid& w) {
    render::WaterGrid g;
    g.nx = w.nx;
    g.ny = w.ny;
    g.cell_m = w.cell_m;
    g.origin = w.origin;
    g.ground = w.ground;
    g.east = w.east;
    g.north = w.north;
    g.up = w.up;
    return g;
}

}  // namespace zw::viewer
