// Where a scenario raster (EPSG:25832, heights above sea level) lies in the world
// (= ECEF): each cell centre's ground as a position, the grid's axes, and the cell a ray
// meets first. A view draws water over it (the renderer takes the same numbers as its
// render::WaterGrid) and turns clicks on the ground into easting/northing. Pure math.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <glm/glm.hpp>

#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/geometry.h"

namespace zw::scenario {

// The raster's cells in the world: cell (c, r) is the centre of cell (c, r), row 0 south.
struct WorldGrid {
    uint32_t nx = 0, ny = 0;  // cells (0: an empty raster or one without a valid cell)
    float cell_m = 1;         // cell size
    glm::dvec3 origin{0.0};   // world position `ground` is relative to: the grid centre
    // nx * ny: the ground at each cell centre, world minus origin.
    std::vector<glm::vec3> ground;
    // The grid's axes at its centre, unit vectors: columns grow east, rows north.
    glm::vec3 east{1, 0, 0}, north{0, 1, 0}, up{0, 0, 1};
};

// The world position of point (easting, northing) at `height_asl` metres, with the
// geoid undulation (ellipsoid minus sea level) added.
glm::dvec3 world_of(double easting, double northing, double height_asl, double geoid_undulation_m);

// The raster's cells in the world: each cell centre's easting/northing and ground height
// above sea level + geoid undulation, relative to the grid centre (at the mean valid
// height). NODATA cells get the lowest ground. O(cells) conversions.
WorldGrid world_grid(const AsciiGrid& ground, double geoid_undulation_m);

// The cell whose ground a ray (world coordinates) meets first, as the cell centre's
// easting/northing; nullopt when it misses the raster. Marches half a cell at a time (up
// to 30 km) against `world` (made from `ground` by world_grid); NODATA cells are never hit.
std::optional<Point> ground_hit(const AsciiGrid& ground, const WorldGrid& world, const glm::dvec3& eye,
                                glm::dvec3 dir);

}  // namespace zw::scenario
