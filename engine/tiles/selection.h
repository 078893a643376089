// Which tiles to draw and which to load for one view: screen-space-error refinement
// with frustum culling, no holes for REPLACE refinement, and load priorities. Pure
// code over the tile tree (tileset.h); it reads the tiles' runtime content states and
// writes only their `last_used_frame` and `priority`.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <glm/glm.hpp>

#include "engine/tiles/tileset.h"

namespace zw::tiles {

struct ViewState {
    glm::dvec3 eye{0.0};
    glm::dvec3 direction{0, 1, 0};  // unit view direction
    // Culling planes for eye-relative coordinates (the camera's projection * view rotation).
    CullingVolume culling;
    double viewport_height = 1080;  // pixels
    double fov_y = 0.785398;        // radians

    // viewportHeight / (2 tan(fovY / 2)): screen-space error = geometric error * this / distance.
    double sse_factor() const;
};

// geometricError · viewportHeight / (2 · distance · tan(fovY/2)); distance is clamped
// to a millimetre so a camera inside a tile gets a large but finite error.
double screen_space_error(double geometric_error, double distance, const ViewState& view);

struct SelectionOptions {
    double maximum_sse = 16;        // refine while a tile's error is above this (pixels)
    bool preload_ancestors = true;  // load REPLACE parents of what is drawn (fallbacks while moving)
    bool preload_siblings = true;   // load culled siblings of visible tiles (turning the camera)
    uint32_t max_depth = 512;       // deeper tiles are treated as leaves (hostile trees)
};

enum class LoadTier : uint8_t { preload = 0, normal = 1, urgent = 2 };

struct LoadRequest {
    Tile* tile = nullptr;
    int content = -1;  // index into tile->contents; -1: the tile's implicit subtree file
    LoadTier tier = LoadTier::normal;
    double priority = 0;  // larger first; tiers dominate
};

struct Selection {
    std::vector<Tile*> render;       // tiles whose ready contents are drawn, nearest first
    std::vector<LoadRequest> loads;  // wanted loads of unloaded contents/subtrees, highest priority first
    uint32_t visited = 0;            // tiles looked at
    uint32_t culled = 0;             // tiles outside the view (or outside their request volume)
    uint32_t waiting = 0;            // needed contents still loading or waiting for upload
    // Everything the view needs is drawn at the wanted detail: nothing needed is
    // unloaded, loading or waiting for upload (failed tiles do not count as missing).
    bool complete = true;
};

// Selects from the tree under `root`. Marks every tile the view needs (visited and
// not culled) with last_used_frame = frame, so eviction never takes them.
void select_tiles(Tile& root, const ViewState& view, const SelectionOptions& options, uint64_t frame,
                  Selection& out);

// Orders `loads` by priority, highest first (stable for equal priorities).
void sort_loads(std::vector<LoadRequest>& loads);

// A tile is renderable when all its contents are ready (a tile without content is).
bool tile_ready(const Tile& tile);
// A content or the tile's subtree failed: it will never become ready.
bool tile_failed(const Tile& tile);

// Eviction choice, pure: which loaded items to evict to get `used` down to `budget`.
// Items used in `frame` (needed by the current view) are never chosen; the others go
// least recently used first, deeper tiles first among equals. Returns indices into
// `items`; may leave `used` above budget when the view needs more than the budget.
struct CacheItem {
    uint64_t bytes = 0;
    uint64_t last_used_frame = 0;
    uint32_t depth = 0;
};
std::vector<size_t> choose_evictions(std::span<const CacheItem> items, uint64_t used, uint64_t budget,
                                     uint64_t frame);

}  // namespace zw::tiles
