// ESRI ASCII grids (.asc): the raster format of terrain exports, of initial water depths
// and of the depth rasters flood models write (LISFLOOD-FP's .wd/.max files among them).
// Pure code, no GPU.
//
//   ncols 4            (header keys in any case and order, one per line)
//   nrows 3
//   xllcorner 630000   (or xllcenter / yllcenter: the centre of the lower-left cell)
//   yllcorner 5497000
//   cellsize 2         (or dx and dy, which must be equal)
//   NODATA_value -9999 (optional)
//   values, nrows rows of ncols, the northern row first
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zw::scenario {

struct AsciiGrid {
    uint32_t ncols = 0, nrows = 0;
    double xllcorner = 0, yllcorner = 0;  // the lower-left corner of the lower-left cell
    double cellsize = 1;
    std::optional<double> nodata;  // cells holding it have no value
    // Row-major, the SOUTHERN row first (row r covers y from yllcorner + r * cellsize),
    // the opposite of the file, so that (col, row) grows with (x, y).
    std::vector<double> values;

    double& at(uint32_t col, uint32_t row) { return values[size_t(row) * ncols + col]; }
    double at(uint32_t col, uint32_t row) const { return values[size_t(row) * ncols + col]; }
    bool is_nodata(double v) const { return nodata && v == *nodata; }
};

// At most this many cells (a 16384 x 16384 raster): larger grids are refused before
// any memory is taken for them.
inline constexpr uint64_t max_ascii_grid_cells = uint64_t(1) << 28;
// The grid, corners and cell size included, lies within this distance of its system's
// origin (metres, feet or degrees: 1e9 covers every map): a cell size of 1e300 is a
// broken file, not a map.
inline constexpr double max_ascii_grid_coordinate = 1e9;

// Parses a grid; `name` is used in messages. Throws zw::Error naming the line and what
// is wrong: a missing or repeated header key, a size that is not a positive whole
// number, a value that is not a finite number, too few or too many values, a grid too
// large or reaching beyond max_ascii_grid_coordinate.
AsciiGrid parse_ascii_grid(std::string_view text, const std::string& name);

// Reads a file (throws zw::Error when it cannot be read or parsed).
AsciiGrid read_ascii_grid(const std::string& path);

// The whole of a file that a parser reads: throws zw::Error naming `what` and the path
// when it is missing, unreadable or a folder ("the terrain 'x' is a folder, not a file").
std::string read_input_file(const std::string& path, const std::string& what);

// The grid as ESRI ASCII text with `decimals` digits after the point (0 to 17; values
// equal to `nodata` are written as it, exactly). Parsing the result gives the grid back,
// values rounded to `decimals`, however large they are. Throws zw::Error for a value
// that is not finite (no reader could read it back).
std::string format_ascii_grid(const AsciiGrid& grid, int decimals = 3);

// Writes atomically (a temporary file renamed into place): a reader never sees half a
// grid. Throws zw::Error when the folder is missing or not writable.
void write_ascii_grid(const std::string& path, const AsciiGrid& grid, int decimals = 3);

}  // namespace zw::scenario
