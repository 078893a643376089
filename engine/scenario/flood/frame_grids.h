// Depth frames (depth_frames.h) against rasters: whether two lie on the same grid, the
// largest depth and the arrival time over a run, one frame as a raster, and which ground
// an imported folder of depth rasters stands on. Pure code.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/depth_frames.h"

namespace zw::scenario {

// Whether two rasters lie on the same grid (size, corner and cell size; the corner and
// the cell size to within a thousandth of a cell).
bool same_grid(const AsciiGrid& a, const AsciiGrid& b);
bool same_grid(const DepthFrames& frames, const AsciiGrid& grid);

// The largest depth per cell over all frames and the first time a cell had more than
// `wet_m` (NODATA -1 where never), on the frames' grid: the impacts of a run whose
// rasters of these are missing (an import). O(frames x cells).
AsciiGrid max_depth_of(const DepthFrames& frames);
AsciiGrid arrival_of(const DepthFrames& frames, double wet_m = 0.10);
// Frame `index` as a raster (for count_flooded). Throws std::out_of_range past the end.
AsciiGrid frame_grid(const DepthFrames& frames, size_t index);
// Depths (`ground`'s cell count, e.g. a live run's) as a raster on `ground`'s grid,
// NODATA -9999 where the ground has none (for write_ascii_grid).
AsciiGrid depth_grid(const AsciiGrid& ground, const std::vector<float>& depth);

// The ground file of an imported depth folder: "terrain.asc", else "dem.asc" (case as
// written), else "" when the folder holds neither.
std::string import_ground_file(const std::string& folder);

// Where an imported folder's water stands on: its own terrain/DEM, else the twin's
// flood terrain when on the same grid, else nothing (`message` says why and what to do).
struct ImportGround {
    enum class Source { folder, twin, none } source = Source::none;
    std::string message;
};
ImportGround choose_import_ground(const DepthFrames& frames, const AsciiGrid* folder_ground,
                                  const AsciiGrid* twin_ground);

}  // namespace zw::scenario
