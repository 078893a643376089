// Level of detail: cuts a layer into a quadtree of tiles with REPLACE refinement.
// Coarse tiles hold simplified geometry; every tile's geometric error is measured
// against the full-detail geometry. Tile geometry is in the east-north-up frame at
// the town origin (see crs.h), relative to the tile centre.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "app/bake/crs.h"
#include "app/bake/feature_layer.h"
#include "app/bake/recipe.h"
#include "app/bake/terrain.h"

namespace zw::bake {

struct Box {
    glm::dvec3 lo{1e300}, hi{-1e300};
    bool empty() const { return lo.x > hi.x; }
    void add(const glm::dvec3& p) {
        lo = glm::min(lo, p);
        hi = glm::max(hi, p);
    }
    void add(const Box& b) {
        if (!b.empty()) {
            add(b.lo);
            add(b.hi);
        }
    }
};

// One tile's drawable content.
struct TileMesh {
    glm::dvec3 centre{0.0};            // ENU
    std::vector<glm::vec3> positions;  // ENU, relative to centre
    std::vector<glm::vec3> normals;    // ENU
    std::vector<Rgba8> colors;
    std::vector<float> feature_ids;  // per vertex: row in `features`; empty for terrain
    std::vector<uint32_t> indices;
    std::vector<uint32_t> features;  // table rows: indices into the layer's features
    size_t triangle_count() const { return indices.size() / 3; }
};

struct Tile {
    int level = 0, x = 0, y = 0;
    Box box;  // ENU, content and children
    double geometric_error = 0;
    double measured_error = 0;  // before the strictly-decreasing adjustment
    TileMesh content;           // empty: no content
    std::vector<uint32_t> children;
    std::string uri() const;  // "L<level>_<x>_<y>.glb"
};

struct TiledLayer {
    std::vector<Tile> tiles;  // tiles[0] is the root
    double extent = 0;        // side of the root square, metres
};

struct TilingOptions {
    int max_level = 4;
    // Features whose horizontal size is below `drop_size / 2^level` are left out of a
    // coarse tile (0: never left out).
    double drop_size = 0;
    // A node is a leaf when it holds at most `leaf_triangles` full-detail triangles and
    // at most `leaf_features` features (0: any number), or at max_level.
    size_t leaf_triangles = 4000;
    size_t leaf_features = 0;
    int threads = 2;
};

// Quadtree over the layer's features (by the centre of their full-detail bounds).
TiledLayer tile_features(const FeatureLayer& layer, const Frame& frame, double extent,
                         const TilingOptions& options);

struct TerrainOptions {
    int fine_level = 4;   // leaves inside the built-up area
    int outer_level = 2;  // leaves outside
    int grid = 128;       // cells per tile side
    int threads = 2;
};

TiledLayer tile_terrain(const Terrain& terrain, const Frame& frame, const TerrainOptions& options);

// Largest distance from any of `points` to the triangles of `mesh` (brute force).
double max_distance_to_mesh(const std::vector<glm::dvec3>& points, const TriMesh& mesh);

// Runs fn(i) for i in [0, n) on `threads` threads.
void parallel_for(size_t n, int threads, const std::function<void(size_t)>& fn);

}  // namespace zw::bake
