// Roads closed by a flood: from a flood run's depth frames (flood/depth_frames.h) and a
// traffic network, each edge is closed while the water on it stands deeper than a
// passability threshold. What the HQ100 traffic scenario closes, in time with the stored
// frames. Pure code.
//
// The frames carry their grid in EPSG:25832 (xllcorner, yllcorner, cellsize; rows south
// first), the network its lanes in EPSG:25832 too, so no world grid is needed: an edge is
// sampled along each lane's centre line at its points and at least every half cell
// between them, and the cells those samples fall in are the edge's cells (samples
// outside the grid are left out: an edge wholly outside is never closed). At each frame
// time the edge's depth is the largest depth of its cells in that frame, as stored (no
// interpolation between frames). Time resolution is the frame interval: an edge closes at
// the first frame whose depth exceeds the threshold and reopens at the first later frame
// whose depth is at or below it; one still closed at the last frame stays closed (to_s
// infinite: the water has not gone when the run ends).
//
// Bridges and embankments: the depth rasters know only the ground, so a road bridging the
// creek would stand in the creek's water. Given the flood's ground (FloodData::ground, on
// the frames' grid) and a network with heights (the bake's have them: z above sea level,
// as the ground), a lane point more than `raised_m` above its cell's ground is flooded
// only where the water surface (ground + depth) rises over it: its depth is ground +
// depth - z. Elsewhere (a road on the ground, where z and the cell's mean ground differ
// by the slope across the cell) the cell's depth counts as it is.
#pragma once

#include <string>
#include <vector>

#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/depth_frames.h"
#include "engine/scenario/traffic/closure.h"
#include "engine/scenario/traffic/network.h"

namespace zw::scenario::traffic {

struct FloodClosureOptions {
    // Water deeper than this closes a road: 0.30 m, the depth up to which emergency and
    // ordinary cars are commonly said to pass slowly (above it cars float or stall).
    double threshold_m = 0.30;
    // The traffic scenario's clock at the flood's t = 0 (seconds of the day): closures
    // run from flood_start_s + frame time.
    double flood_start_s = 0;
    // Merge the two directions of a road (edges between the same junctions, one each
    // way) into one closure where they close and reopen at the same frames.
    bool merge_directions = true;
    // With a ground: a lane point this far above its cell's ground counts as raised (a
    // bridge deck, an embankment); up to max_raised_m (more: the heights are not on the
    // ground's datum, and the plain depth counts).
    double raised_m = 0.5;
    double max_raised_m = 30;
};

// The flood's closures: kind "flood", ids "flood:<edge>[+<edge>]:<n>" (n counts the
// intervals of that edge from 1), reasons in German and English naming the threshold;
// ascending by from_s, then by id. Internal edges are never closed. O(edges x lane
// length / cellsize + frames x edge cells). `ground` (optional, may be null): the flood's
// ground on the frames' grid, for bridges and embankments (above). Throws zw::Error for a
// threshold below 0, a flood_start_s that is not finite, frames whose rasters do not fit
// their grid, or a ground on another grid.
std::vector<Closure> flood_closures(const DepthFrames& frames, const Network& net,
                                    const FloodClosureOptions& options = {},
                                    const AsciiGrid* ground = nullptr);

}  // namespace zw::scenario::traffic
