// A flood as a series of depth rasters over time: our own runs and imported results of
// other models (a folder of ESRI ASCII grids, as LISFLOOD-FP writes them), sampled at
// any time for smooth playback, and stored in a twin bundle quantised and compressed.
// Pure code.
//
// The stored form (".zwf", little-endian): "ZWFLOOD1", a uint32 length and that many
// bytes of JSON header ({ncols, nrows, xllcorner, yllcorner, cellsize, unit_m, times_s,
// frames: [{offset, bytes, velocity_offset, velocity_bytes}]}), then per frame the
// zlib-compressed uint16 depths in units of `unit_m` (1 mm; 65.535 m at most; rows south
// first) and, where the frames have velocities, the zlib-compressed int16 pairs (east,
// north) in units of `velocity_unit_m_s` (1 cm/s; +-327 m/s). Quantising changes a depth by
// at most 0.5 mm and a velocity by at most 5 mm/s.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/scenario/ascii_grid.h"

namespace zw::scenario {

struct DepthFrames {
    uint32_t ncols = 0, nrows = 0;
    double xllcorner = 0, yllcorner = 0, cellsize = 1;
    std::vector<double> times_s;              // ascending
    std::vector<std::vector<float>> depth_m;  // one raster per time, rows south first; >= 0
    // Empty, or one per time: 2 values per cell, east and north (m/s), 0 where dry.
    std::vector<std::vector<float>> velocity_ms;

    // Depth at time t, linear between the two frames around t (the first or last frame
    // outside them). `out` gets ncols * nrows values.
    void sample(double t, std::vector<float>& out) const;
    // The same for the velocities (2 per cell); false (out emptied) without velocities.
    bool sample_velocity(double t, std::vector<float>& out) const;
};

// Adds a raster at time t (after the last one); the first fixes the grid, later ones
// must match it. NODATA and negative depths become 0.
void add_frame(DepthFrames& frames, double t, const AsciiGrid& depth);

// Reads every ESRI ASCII grid of `folder` as a frame. Times come from the file names:
// "depth_<seconds>s.asc" (zwilling-flood's output), or "<name>-<NNNN>.wd" / any name
// ending in a number (LISFLOOD-FP's numbered outputs), at `interval_s` per number.
// Throws zw::Error when no grid is found, names clash or grids differ.
DepthFrames read_depth_folder(const std::string& folder, double interval_s = 0);

// What decode_frames takes at most (depths and velocities as floats): 4 GiB.
inline constexpr uint64_t max_decoded_bytes = uint64_t(4) << 30;

std::vector<uint8_t> encode_frames(const DepthFrames& frames);
// Reads what encode_frames wrote. Throws zw::Error ("depth frames 'x' are damaged: ...")
// for anything else: a header field of the wrong type or out of range, blocks that are
// cut off, overlap or do not decompress to the grid, more than max_decoded_bytes.
DepthFrames decode_frames(const std::vector<uint8_t>& bytes, const std::string& name);

}  // namespace zw::scenario
