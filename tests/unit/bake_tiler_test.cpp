// The bake's tiler (app/bake/tiler.h): distance to a mesh, feature tiles that measure
// their error and hold every feature once, leaf sizes, the tiling defaults and terrain
// tiles close to the DEM.
// Expectations come from geometry, geodesy or the documented contract (docs/twin-bundle.md,
// the headers), not from numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/bake/bundle.h"
#include "app/bake/crs.h"
#include "app/bake/feature_layer.h"
#include "app/bake/recipe.h"
#include "app/bake/terrain.h"
#include "app/bake/tiler.h"
#include "app/bake/town_layers.h"

namespace {

using namespace zw::bake;
using glm::dvec2;
using glm::dvec3;

TriMesh unit_square() {
    TriMesh m;
    m.positions = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}};
    m.normals.assign(4, glm::vec3(0, 0, 1));
    m.colors.assign(4, Rgba8{});
    m.indices = {0, 1, 2, 0, 2, 3};
    return m;
}

TEST(BakeTiler, DistanceToMesh) {
    const TriMesh sq = unit_square();
    EXPECT_NEAR(max_distance_to_mesh({{0.25, 0.75, 0}}, sq), 0, 1e-12);
    EXPECT_NEAR(max_distance_to_mesh({{0.3, 0.6, 2}}, sq), 2, 1e-12);
    EXPECT_NEAR(max_distance_to_mesh({{0.5, 0.5, -1.5}}, sq), 1.5, 1e-12);
    EXPECT_NEAR(max_distance_to_mesh({{3, 0.5, 0}}, sq), 2, 1e-12);             // beside an edge
    EXPECT_NEAR(max_distance_to_mesh({{-3, 0.5, 4}}, sq), 5, 1e-12);            // beside and above
    EXPECT_NEAR(max_distance_to_mesh({{2, 2, 0}}, sq), std::sqrt(2.0), 1e-12);  // off a corner
    EXPECT_NEAR(max_distance_to_mesh({{0.5, -1, 1}}, sq), std::sqrt(2.0), 1e-12);
    // The largest of the points' distances.
    EXPECT_NEAR(max_distance_to_mesh({{0.5, 0.5, 0.1}, {-3, 0.5, 4}, {2, 2, 0}}, sq), 5, 1e-12);
}

struct SyntheticFeature {
    dvec3 lo, hi;
    double block_drop;  // how much lower the coarse block is
};

// Boxes spread over the default extent; lods[1] is the same box `block_drop` lower.
FeatureLayer synthetic_layer(std::vector<SyntheticFeature>& spec) {
    FeatureLayer l;
    l.id = "boxes";
    l.feature_class = {"box", {{"id", PropertyType::string, Access::citizen, "Kennung", "Id"}}};
    for (int i = 0; i < 48; ++i) {
        const double x = -1750 + (i % 8) * 500 + 37 * (i % 3), y = -1500 + (i / 8) * 600 + 23 * (i % 5);
        const double size = 4 + (i * 7) % 37, height = 6 + (i * 5) % 13, ground = 300 - 40 + (i % 9) * 7;
        SyntheticFeature s{{x - size / 2, y - size / 2 * 0.8, ground - 300},
                           {x + size / 2, y + size / 2 * 0.8, ground - 300 + height},
                           0.5 + 0.1 * (i % 17)};
        Feature f;
        f.values = {std::string("F") + std::to_string(i)};
        TriMesh full, block;
        add_box(full, s.lo, s.hi, Rgba8{200, 100, 50, 255});
        add_box(block, s.lo, s.hi - dvec3(0, 0, s.block_drop), Rgba8{200, 100, 50, 255});
        f.lods = {std::move(full), std::move(block)};
        l.features.push_back(std::move(f));
        spec.push_back(s);
    }
    return l;
}

// The features drawn by the leaves under tile `i`.
void leaf_features(const TiledLayer& t, uint32_t i, std::vector<uint32_t>& out) {
    const Tile& tile = t.tiles[i];
    if (tile.children.empty())
        out.insert(out.end(), tile.content.features.begin(), tile.content.features.end());
    for (uint32_t c : tile.children)
        leaf_features(t, c, out);
}

bool box_contains(const Box& b, const dvec3& p, double tol = 1e-6) {
    return p.x >= b.lo.x - tol && p.y >= b.lo.y - tol && p.z >= b.lo.z - tol && p.x <= b.hi.x + tol &&
           p.y <= b.hi.y + tol && p.z <= b.hi.z + tol;
}

void expect_boxes_contain_content(const TiledLayer& layer) {
    for (const Tile& t : layer.tiles) {
        SCOPED_TRACE(t.uri());
        ASSERT_FALSE(t.box.empty());
        size_t outside = 0;
        for (const glm::vec3& p : t.content.positions)
            outside += !box_contains(t.box, t.content.centre + dvec3(p));
        EXPECT_EQ(outside, 0u);
        for (uint32_t c : t.children) {
            ASSERT_LT(c, layer.tiles.size());
            EXPECT_TRUE(box_contains(t.box, layer.tiles[c].box.lo) &&
                        box_contains(t.box, layer.tiles[c].box.hi))
                << layer.tiles[c].uri();
            EXPECT_EQ(layer.tiles[c].level, t.level + 1);
            EXPECT_GE(t.geometric_error - layer.tiles[c].geometric_error, 0.01 - 1e-9)
                << layer.tiles[c].uri();
        }
    }
}

TEST(BakeTiler, FeatureTilesMeasureTheirErrorAndHoldEveryFeatureOnce) {
    std::vector<SyntheticFeature> spec;
    const FeatureLayer layer = synthetic_layer(spec);
    const Recipe recipe;
    const Frame frame = make_frame(recipe);
    TilingOptions o;
    o.max_level = 4;
    o.drop_size = 64;
    o.leaf_triangles = 24;  // two boxes
    o.threads = 2;
    const TiledLayer tiled = tile_features(layer, frame, recipe.extent_m, o);
    ASSERT_FALSE(tiled.tiles.empty());
    EXPECT_EQ(tiled.extent, recipe.extent_m);
    ASSERT_FALSE(tiled.tiles[0].children.empty()) << "the test wants a tree, not a single tile";

    // A feature's full height in the tile frame: what leaving it out costs.
    auto enu_height = [&](const SyntheticFeature& s) {
        double lo = 1e300, hi = -1e300;
        for (int c = 0; c < 8; ++c) {
            const dvec3 p =
                frame.to_enu({c & 1 ? s.hi.x : s.lo.x, c & 2 ? s.hi.y : s.lo.y, c & 4 ? s.hi.z : s.lo.z});
            lo = std::min(lo, p.z);
            hi = std::max(hi, p.z);
        }
        return hi - lo;
    };

    std::vector<uint32_t> all;
    leaf_features(tiled, 0, all);
    std::sort(all.begin(), all.end());
    std::vector<uint32_t> expected(layer.features.size());
    for (uint32_t i = 0; i < expected.size(); ++i)
        expected[i] = i;
    EXPECT_EQ(all, expected) << "every feature exactly once among the leaves";

    int coarse_with_drops = 0, coarse_with_blocks = 0;
    for (uint32_t i = 0; i < tiled.tiles.size(); ++i) {
        const Tile& t = tiled.tiles[i];
        SCOPED_TRACE(t.uri());
        ASSERT_EQ(t.content.feature_ids.size(), t.content.positions.size());
        if (t.children.empty()) {
            EXPECT_EQ(t.geometric_error, 0);
            EXPECT_EQ(t.measured_error, 0);
            // Leaves draw full detail, where it is: positions relative to the tile centre.
            size_t v = 0;
            for (size_t k = 0; k < t.content.features.size(); ++k) {
                const TriMesh& full = layer.features[t.content.features[k]].lods[0];
                for (const dvec3& p : full.positions) {
                    ASSERT_LT(v, t.content.positions.size());
                    EXPECT_LT(glm::length(t.content.centre + dvec3(t.content.positions[v]) - frame.to_enu(p)),
                              1e-3);
                    EXPECT_EQ(t.content.feature_ids[v], float(k));
                    ++v;
                }
            }
            EXPECT_EQ(v, t.content.positions.size());
            continue;
        }
        // A coarse tile: drawn features as blocks, the rest left out.
        std::vector<uint32_t> below;
        leaf_features(tiled, i, below);
        const std::set<uint32_t> drawn(t.content.features.begin(), t.content.features.end());
        double error = 0;
        for (uint32_t f : below) {
            if (drawn.count(f)) {
                error = std::max(error, spec[f].block_drop);
                ++coarse_with_blocks;
            } else {
                // A feature left out costs its largest extent: height or footprint.
                error = std::max(
                    {error, enu_height(spec[f]), spec[f].hi.x - spec[f].lo.x, spec[f].hi.y - spec[f].lo.y});
                ++coarse_with_drops;
                // Only small features are left out.
                EXPECT_LT(spec[f].hi.x - spec[f].lo.x, o.drop_size / double(1 << t.level));
            }
        }
        for (uint32_t f : drawn)
            EXPECT_NE(std::find(below.begin(), below.end(), f), below.end())
                << "a tile draws a feature not below it";
        EXPECT_NEAR(t.measured_error, error, 1e-6);
        EXPECT_GE(t.geometric_error, t.measured_error);
    }
    EXPECT_GT(coarse_with_drops, 0);
    EXPECT_GT(coarse_with_blocks, 0);
    expect_boxes_contain_content(tiled);
    for (const SyntheticFeature& s : spec)
        EXPECT_NEAR(enu_height(s), s.hi.z - s.lo.z, 0.03);  // the frame only tilts a little
}

// Leaves of at most `leaf_features` features: the tree splits until each leaf holds few
// enough (or reaches max_level), and still holds every feature once.
TEST(BakeTiler, LeafFeaturesSplitsUntilLeavesHoldFewFeatures) {
    std::vector<SyntheticFeature> spec;
    const FeatureLayer layer = synthetic_layer(spec);
    const Recipe recipe;
    const Frame frame = make_frame(recipe);
    TilingOptions o;
    o.max_level = 10;
    o.drop_size = 64;
    o.leaf_triangles = 1000000;  // alone it would keep the root a leaf
    o.threads = 2;
    const TiledLayer single = tile_features(layer, frame, recipe.extent_m, o);
    EXPECT_EQ(single.tiles.size(), 1u);

    o.leaf_features = 2;
    const TiledLayer tiled = tile_features(layer, frame, recipe.extent_m, o);
    std::vector<uint32_t> all;
    leaf_features(tiled, 0, all);
    std::sort(all.begin(), all.end());
    ASSERT_EQ(all.size(), layer.features.size());
    for (uint32_t i = 0; i < all.size(); ++i)
        EXPECT_EQ(all[i], i);
    size_t leaves = 0;
    for (const Tile& t : tiled.tiles) {
        if (!t.children.empty()) continue;
        ++leaves;
        EXPECT_LE(t.content.features.size(), 2u) << t.uri();
        EXPECT_LT(t.level, o.max_level) << t.uri();  // the boxes lie apart: no need to go so deep
    }
    EXPECT_GE(leaves, layer.features.size() / 2);
    expect_boxes_contain_content(tiled);
}

// The sample town keeps its tiling; a larger extent gets deeper trees and larger drop
// sizes; the recipe's `tiling` overrides both (docs/twin-bundle.md).
TEST(BakeTiler, TilingDefaultsKeepTheSampleTownAndGrowWithTheExtent) {
    Recipe r;
    struct Expect {
        const char* layer;
        int max_level;
        double drop;
    };
    for (const Expect& e :
         {Expect{"buildings", 4, 8}, Expect{"trees", 4, 16}, Expect{"roads", 3, 0}, Expect{"utilities", 3, 0},
          Expect{"water", 2, 0}, Expect{"planning", 1, 0}, Expect{"lod2_gebaeude", 2, 0}}) {
        SCOPED_TRACE(e.layer);
        const TilingOptions o = tiling_options(e.layer, r);
        EXPECT_EQ(o.max_level, e.max_level);
        EXPECT_EQ(o.drop_size, e.drop);
        EXPECT_EQ(o.leaf_triangles, 4000u);
        EXPECT_EQ(o.leaf_features, 0u);
    }
    r.extent_m = 2048;  // smaller towns keep the sample town's numbers
    EXPECT_EQ(tiling_options("buildings", r).max_level, 4);
    EXPECT_EQ(tiling_options("buildings", r).drop_size, 8);

    r.extent_m = 4 * 4096;
    EXPECT_EQ(tiling_options("buildings", r).max_level, 6);
    EXPECT_EQ(tiling_options("buildings", r).drop_size, 160);
    EXPECT_EQ(tiling_options("roads", r).max_level, 5);
    EXPECT_EQ(tiling_options("roads", r).drop_size, 640);
    EXPECT_EQ(tiling_options("water", r).max_level, 4);

    r.tiling["buildings"].max_level = 9;
    r.tiling["buildings"].leaf_features = 12;
    r.tiling["roads"].drop_size_m = 0;
    r.tiling["roads"].leaf_triangles = 100;
    const TilingOptions b = tiling_options("buildings", r);
    EXPECT_EQ(b.max_level, 9);
    EXPECT_EQ(b.leaf_features, 12u);
    EXPECT_EQ(b.drop_size, 160);  // not set: the default
    const TilingOptions roads = tiling_options("roads", r);
    EXPECT_EQ(roads.max_level, 5);
    EXPECT_EQ(roads.drop_size, 0);
    EXPECT_EQ(roads.leaf_triangles, 100u);
}

TEST(BakeTiler, TerrainTilesAreCloseToTheDem) {
    Recipe r;
    r.extent_m = 1024;
    r.built_up_radius_m = 200;
    r.fine_cell_m = 2;
    r.outer_cell_m = 8;
    r.pond_count = 0;
    const Terrain terrain(r);
    const Frame frame = make_frame(r);
    // As bundle.cpp derives the levels from the recipe's cell sizes.
    TerrainOptions o;
    o.grid = 128;
    o.fine_level = std::clamp(int(std::lround(std::log2(r.extent_m / (o.grid * r.fine_cell_m)))), 1, 8);
    o.outer_level =
        std::clamp(int(std::lround(std::log2(r.extent_m / (o.grid * r.outer_cell_m)))), 0, o.fine_level);
    o.threads = 2;
    const TiledLayer tiled = tile_terrain(terrain, frame, o);
    ASSERT_GT(tiled.tiles.size(), 1u);
    EXPECT_EQ(tiled.extent, r.extent_m);
    double leaf_area = 0, worst_leaf = 0;
    for (const Tile& t : tiled.tiles) {
        SCOPED_TRACE(t.uri());
        EXPECT_FALSE(t.content.positions.empty());
        EXPECT_TRUE(t.content.feature_ids.empty());
        if (!t.children.empty()) continue;
        const double side = r.extent_m / double(1 << t.level);
        leaf_area += side * side;
        // Roads are draped 0.12 m (tracks) to 0.2 m above the DEM: a leaf further off than
        // 0.1 m can bury them. Regression: meshoptimizer's target error is its own metric,
        // not a vertical bound; leaves once measured up to 0.12 m.
        EXPECT_LT(t.measured_error, 0.1);
        worst_leaf = std::max(worst_leaf, t.measured_error);
        // Leaves near the centre are at the fine level.
        const double cx = -r.extent_m / 2 + (t.x + 0.5) * side, cy = -r.extent_m / 2 + (t.y + 0.5) * side;
        if (std::hypot(cx, cy) < r.built_up_radius_m) {
            EXPECT_EQ(t.level, o.fine_level);
        }
    }
    EXPECT_NEAR(leaf_area, r.extent_m * r.extent_m, 1e-6) << "the leaves cover the extent without holes";
    EXPECT_GT(tiled.tiles[0].measured_error, worst_leaf);
    expect_boxes_contain_content(tiled);
    // The root's box spans the land's heights at its corners and centre.
    for (dvec2 p : {dvec2(0, 0), dvec2(-500, -500), dvec2(500, 500), dvec2(-500, 500), dvec2(500, -500)}) {
        const dvec3 enu = frame.to_enu({p.x, p.y, terrain.height(p.x, p.y)});
        EXPECT_TRUE(box_contains(tiled.tiles[0].box, enu, 0.5)) << p.x << ", " << p.y;
    }
}

}  // namespace
