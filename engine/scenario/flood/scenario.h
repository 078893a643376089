// A flood scenario file (docs/flood-scenario.md): the domain (terrain raster, roughness,
// boundaries), the inflow hydrographs and rain, the protection measures as edits of the
// raster, the run's duration and outputs. Pure code: parsing and raster edits; the
// solver (engine/scenario/flood) runs what this describes.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/geometry.h"
#include "engine/scenario/series.h"

namespace zw::scenario {

// What a scenario may ask for (docs/flood-scenario.md): anything beyond is a typo or a
// broken file, refused with the field's name.
inline constexpr double max_duration_s = 30 * 86400.0;  // a month
inline constexpr double max_series_time_s = 1e9;        // about 30 years
inline constexpr double max_inflow_m3_s = 1e6;          // five times the Amazon's mean flow
inline constexpr double max_rain_mm_per_h = 2000;       // the records are ~1,900 mm/h over a minute
inline constexpr double max_manning = 1.0;              // s/m^(1/3); dense forest is ~0.2
inline constexpr double max_coordinate_m = 1e9;         // |x|, |y| of a point
inline constexpr size_t max_outputs = 100000;           // output times
inline constexpr double min_flood_cell_m = 0.01;        // terrain cell size
inline constexpr double max_flood_cell_m = 10000;
inline constexpr double max_ground_m = 100000;  // |terrain height|
inline constexpr double max_initial_depth_m = 1000;

struct Inflow {
    std::string name;
    std::vector<Point> at;  // the cells it enters through (one or more points)
    Series discharge;       // m^3/s
};

enum class Boundary { closed, free_outflow };

struct Measure {
    enum class Kind { mobile_wall, dike_raise, retention_basin } kind = Kind::mobile_wall;
    std::string name;
    std::vector<Point> points;  // a polyline (wall, dike) or a closed polygon (basin)
    double height_m = 0;        // wall / dike: added to the ground
    double width_m = 0;         // dike: crest width (a wall is one cell wide)
    double depth_m = 0;         // basin: ground lowered by this much
};

struct FloodScenario {
    std::string path;                                                    // of the file, for messages
    std::string id, title_de, title_en, description_de, description_en;  // printable text
    bool is_public = false;     // "public": the citizens' twin holds it too (the bake)
    std::string terrain;        // ESRI ASCII grid, resolved against the file's folder
    std::string initial_depth;  // optional grid of the same shape
    double manning = 0.035;     // s/m^(1/3), where no grid is given
    std::string manning_grid;   // optional grid of the same shape
    std::string sites;          // optional sites JSON (engine/scenario/flood/impacts.h), resolved
    std::array<Boundary, 4> boundaries{Boundary::closed, Boundary::closed, Boundary::closed,
                                       Boundary::closed};  // north, east, south, west
    double duration_s = 0;
    std::vector<double> output_times_s;  // ascending, within (0, duration]
    std::vector<Inflow> inflows;
    Series rain_mm_per_h;
    std::vector<Measure> measures;
    double courant = 0.5;
    bool second_order = false;
};

// Parses scenario JSON read from `path` (used for messages and to resolve the grids).
// Throws zw::Error naming the field ("inflows[0].hydrograph[2]: time must grow") for
// anything missing, malformed, out of range (the limits above) or unknown: a key this
// version does not read is refused with the nearest known one ("unknown key
// 'solver.secondorder' (did you mean 'second_order'?)"), as is output.interval_s
// together with output.times_s.
FloodScenario parse_flood_scenario(std::string_view text, const std::string& path);
FloodScenario read_flood_scenario(const std::string& path);

// Checks the scenario's grids once read: the terrain's cell size (min_flood_cell_m to
// max_flood_cell_m) and heights, Manning's n from 0 to max_manning, initial depths from
// 0 to max_initial_depth_m (NODATA cells are exempt). Throws zw::Error naming the file,
// the cell and the rule. make_flood_setup calls it; grids must have the terrain's shape.
void check_flood_grids(const FloodScenario& scenario, const AsciiGrid& terrain, const AsciiGrid* manning,
                       const AsciiGrid* initial_depth);

// The cell (col, row; row 0 southern) holding point p, or nullopt outside the grid.
std::optional<std::array<uint32_t, 2>> cell_of(const AsciiGrid& grid, Point p);

// Applies the measures to a terrain raster: a mobile wall raises every cell its line
// crosses by height_m; a dike raises the cells within width_m / 2 of its line; a basin
// lowers the cells inside its polygon by depth_m. Returns the cells changed per measure.
// Throws zw::Error when a measure lies wholly outside the grid.
std::vector<size_t> apply_measures(AsciiGrid& terrain, const std::vector<Measure>& measures);

}  // namespace zw::scenario
