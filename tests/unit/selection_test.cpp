// Tile selection on synthetic trees: screen-space error, REPLACE without holes, ADD,
// culling, request volumes, load priorities and eviction order. No Vulkan, no I/O.
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include <glm/gtc/constants.hpp>

#include "engine/render/camera.h"
#include "engine/tiles/selection.h"

namespace zw::tiles {
namespace {

// A camera at `eye` looking at `target` (z up), 1000 px high, 60 degrees field of view.
ViewState view_from(const glm::dvec3& eye, const glm::dvec3& target) {
    render::Camera cam;
    cam.fov_y = glm::radians(60.0);
    cam.look_at(eye, target);
    ViewState v;
    v.eye = cam.eye();
    v.direction = cam.forward();
    v.culling = CullingVolume::from_matrix(cam.projection(1.0) * cam.view_rotation());
    v.viewport_height = 1000;
    v.fov_y = cam.fov_y;
    return v;
}

// An axis-aligned tile centred at `c` with half size `h`.
std::unique_ptr<Tile> make_tile(glm::dvec3 c, double h, double error, bool content = true) {
    auto t = std::make_unique<Tile>();
    const std::array<double, 12> box{c.x, c.y, c.z, h, 0, 0, 0, h, 0, 0, 0, h};
    t->bounds = bounds_from_box(box, glm::dmat4(1.0));
    t->geometric_error = error;
    if (content) t->contents.push_back({"t.glb"});
    return t;
}

Tile& add_child(Tile& parent, std::unique_ptr<Tile> child) {
    child->parent = &parent;
    child->depth = parent.depth + 1;
    child->refine = parent.refine;
    parent.children.push_back(std::move(child));
    return *parent.children.back();
}

// A 200 m root with four 100 m children on the ground plane around the origin.
std::unique_ptr<Tile> quad_tree(Refine refine) {
    auto root = make_tile({0, 0, 0}, 100, 50);
    root->refine = refine;
    for (int i = 0; i < 4; ++i)
        add_child(*root, make_tile({i & 1 ? 50 : -50, i & 2 ? 50 : -50, 0}, 50, 1));
    return root;
}

void set_state(Tile& t, ContentState s) {
    for (auto& c : t.contents)
        c.state = s;
}

bool contains_tile(const std::vector<Tile*>& v, const Tile* t) {
    return std::find(v.begin(), v.end(), t) != v.end();
}

TEST(Selection, ScreenSpaceErrorFormula) {
    ViewState v;
    v.viewport_height = 1000;
    v.fov_y = glm::radians(90.0);  // tan(45 deg) = 1
    EXPECT_NEAR(screen_space_error(10, 100, v), 10 * 1000 / (2 * 100 * 1.0), 1e-9);
    EXPECT_NEAR(screen_space_error(10, 200, v), 25, 1e-9);
    // A camera inside the tile: large but finite.
    EXPECT_TRUE(std::isfinite(screen_space_error(10, 0, v)));
}

TEST(Selection, FarAwayTileIsNotRefined) {
    auto root = quad_tree(Refine::replace);
    set_state(*root, ContentState::ready);
    Selection s;
    // 50 m of error seen from 100 km: ~0.4 px.
    select_tiles(*root, view_from({0, -100000, 1000}, {0, 0, 0}), {}, 1, s);
    ASSERT_EQ(s.render.size(), 1u);
    EXPECT_EQ(s.render[0], root.get());
    EXPECT_TRUE(s.complete);
    EXPECT_TRUE(s.loads.empty());
}

TEST(Selection, ReplaceDrawsChildrenOnlyWhenAllAreReady) {
    auto root = quad_tree(Refine::replace);
    const ViewState near = view_from({0, -300, 300}, {0, 0, 0});
    set_state(*root, ContentState::ready);
    for (auto& c : root->children)
        set_state(*c, ContentState::ready);
    set_state(*root->children[2], ContentState::loading);

    Selection s;
    select_tiles(*root, near, {}, 1, s);
    // One child is missing: the parent stays drawn, no child on top of it.
    ASSERT_EQ(s.render.size(), 1u);
    EXPECT_EQ(s.render[0], root.get());
    EXPECT_FALSE(s.complete);
    EXPECT_EQ(s.waiting, 1u);

    set_state(*root->children[2], ContentState::ready);
    Selection s2;
    select_tiles(*root, near, {}, 2, s2);
    EXPECT_EQ(s2.render.size(), 4u);
    EXPECT_FALSE(contains_tile(s2.render, root.get()));
    EXPECT_TRUE(s2.complete);
}

TEST(Selection, HolesAreUrgentAndAncestorsArePreloaded) {
    auto root = quad_tree(Refine::replace);
    Selection s;
    select_tiles(*root, view_from({0, -300, 300}, {0, 0, 0}), {}, 1, s);
    // Nothing is loaded: nothing drawn, the children are urgent (no ancestor can stand
    // in), the root is wanted as their stand-in.
    EXPECT_TRUE(s.render.empty());
    EXPECT_FALSE(s.complete);
    size_t urgent = 0;
    bool root_requested = false;
    for (const LoadRequest& r : s.loads) {
        urgent += r.tier == LoadTier::urgent;
        root_requested = root_requested || r.tile == root.get();
    }
    EXPECT_EQ(urgent, 5u);  // four children + the root as their stand-in
    EXPECT_TRUE(root_requested);

    // With the root ready, the children are normal priority: the root covers them.
    set_state(*root, ContentState::ready);
    Selection s2;
    select_tiles(*root, view_from({0, -300, 300}, {0, 0, 0}), {}, 2, s2);
    ASSERT_EQ(s2.render.size(), 1u);
    for (const LoadRequest& r : s2.loads)
        EXPECT_EQ(r.tier, LoadTier::normal);
    EXPECT_EQ(s2.loads.size(), 4u);

    // All children ready, root not loaded: the root is preloaded at the lowest tier.
    auto other = quad_tree(Refine::replace);
    for (auto& c : other->children)
        set_state(*c, ContentState::ready);
    Selection s3;
    select_tiles(*other, view_from({0, -300, 300}, {0, 0, 0}), {}, 1, s3);
    EXPECT_EQ(s3.render.size(), 4u);
    ASSERT_EQ(s3.loads.size(), 1u);
    EXPECT_EQ(s3.loads[0].tile, other.get());
    EXPECT_EQ(s3.loads[0].tier, LoadTier::preload);
    EXPECT_TRUE(s3.complete);  // preloads do not hold up full detail
}

TEST(Selection, FailedChildKeepsTheParentDrawn) {
    auto root = quad_tree(Refine::replace);
    set_state(*root, ContentState::ready);
    for (auto& c : root->children)
        set_state(*c, ContentState::ready);
    set_state(*root->children[1], ContentState::failed);
    Selection s;
    select_tiles(*root, view_from({0, -300, 300}, {0, 0, 0}), {}, 1, s);
    ASSERT_EQ(s.render.size(), 1u);
    EXPECT_EQ(s.render[0], root.get());
    EXPECT_TRUE(s.complete);  // nothing more will come
    EXPECT_TRUE(s.loads.empty());
}

TEST(Selection, AddDrawsParentAndChildren) {
    auto root = quad_tree(Refine::add);
    set_state(*root, ContentState::ready);
    for (auto& c : root->children)
        set_state(*c, ContentState::ready);
    set_state(*root->children[3], ContentState::unloaded);
    Selection s;
    select_tiles(*root, view_from({0, -300, 300}, {0, 0, 0}), {}, 1, s);
    // ADD: the parent and every ready child; the missing child is simply requested.
    EXPECT_EQ(s.render.size(), 4u);
    EXPECT_TRUE(contains_tile(s.render, root.get()));
    ASSERT_EQ(s.loads.size(), 1u);
    EXPECT_EQ(s.loads[0].tile, root->children[3].get());
    EXPECT_FALSE(s.complete);
}

TEST(Selection, CullsTilesOutsideTheViewAndPreloadsThem) {
    auto root = quad_tree(Refine::replace);
    set_state(*root, ContentState::ready);
    for (auto& c : root->children)
        set_state(*c, ContentState::ready);
    // Close over the north-east child looking north-east: the south-west child is behind.
    Selection s;
    select_tiles(*root, view_from({20, 20, 30}, {200, 200, 0}), {}, 7, s);
    EXPECT_GE(s.culled, 1u);
    EXPECT_FALSE(contains_tile(s.render, root->children[0].get()));
    EXPECT_TRUE(contains_tile(s.render, root->children[3].get()));
    EXPECT_NE(root->children[0]->last_used_frame, 7u);  // not needed: may be evicted
    EXPECT_EQ(root->children[3]->last_used_frame, 7u);

    // The culled sibling is preloaded (low priority) when it is not in memory.
    set_state(*root->children[0], ContentState::unloaded);
    Selection s2;
    select_tiles(*root, view_from({20, 20, 30}, {200, 200, 0}), {}, 8, s2);
    ASSERT_EQ(s2.loads.size(), 1u);
    EXPECT_EQ(s2.loads[0].tile, root->children[0].get());
    EXPECT_EQ(s2.loads[0].tier, LoadTier::preload);
    EXPECT_TRUE(s2.complete);

    SelectionOptions no_preload;
    no_preload.preload_siblings = false;
    Selection s3;
    select_tiles(*root, view_from({20, 20, 30}, {200, 200, 0}), no_preload, 9, s3);
    EXPECT_TRUE(s3.loads.empty());
}

TEST(Selection, ViewerRequestVolumeHidesTileUntilTheCameraIsInside) {
    auto root = make_tile({0, 0, 0}, 100, 50);
    set_state(*root, ContentState::ready);
    const std::array<double, 12> box{0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 10};
    root->viewer_request_volume = bounds_from_box(box, glm::dmat4(1.0));
    Selection outside;
    select_tiles(*root, view_from({0, -300, 300}, {0, 0, 0}), {}, 1, outside);
    EXPECT_TRUE(outside.render.empty());
    Selection inside;
    select_tiles(*root, view_from({0, -5, 5}, {0, 50, 0}), {}, 2, inside);
    EXPECT_EQ(inside.render.size(), 1u);
}

TEST(Selection, MaximumSseControlsRefinement) {
    auto root = quad_tree(Refine::replace);
    set_state(*root, ContentState::ready);
    for (auto& c : root->children)
        set_state(*c, ContentState::ready);
    const ViewState v = view_from({0, -2000, 1000}, {0, 0, 0});
    // distance ~2150 m: root error 50 m -> ~20 px at 1000 px / 60 degrees.
    SelectionOptions strict;
    strict.maximum_sse = 16;
    Selection a;
    select_tiles(*root, v, strict, 1, a);
    EXPECT_EQ(a.render.size(), 4u);
    SelectionOptions relaxed;
    relaxed.maximum_sse = 32;
    Selection b;
    select_tiles(*root, v, relaxed, 2, b);
    EXPECT_EQ(b.render.size(), 1u);
}

TEST(Selection, NearestTilesComeFirst) {
    auto root = quad_tree(Refine::replace);
    for (auto& c : root->children)
        set_state(*c, ContentState::ready);
    Selection s;
    select_tiles(*root, view_from({-60, -300, 100}, {-50, 0, 0}), {}, 1, s);
    ASSERT_EQ(s.render.size(), 4u);
    EXPECT_EQ(s.render.front(), root->children[0].get());  // the south-west child is nearest
    for (size_t i = 1; i < s.render.size(); ++i)
        EXPECT_LE(distance(s.render[i - 1]->bounds.box, glm::dvec3(-60, -300, 100)),
                  distance(s.render[i]->bounds.box, glm::dvec3(-60, -300, 100)));
}

TEST(Selection, LoadsAreOrderedByTierThenErrorAndCentrality) {
    Tile a, b, c;
    std::vector<LoadRequest> loads{{&a, 0, LoadTier::preload, 5e8},
                                   {&b, 0, LoadTier::urgent, 2e9 + 1},
                                   {&c, 0, LoadTier::normal, 1e9 + 7}};
    sort_loads(loads);
    EXPECT_EQ(loads[0].tile, &b);
    EXPECT_EQ(loads[1].tile, &c);
    EXPECT_EQ(loads[2].tile, &a);

    // Two children, one straight ahead, one off to the side at the same distance: the
    // one in the middle of the view is loaded first.
    auto root = make_tile({0, 0, 0}, 500, 100, false);
    Tile& ahead = add_child(*root, make_tile({0, 300, 0}, 20, 5));
    Tile& side = add_child(*root, make_tile({103, 282, 0}, 20, 5));  // 20 degrees off the axis
    Selection s;
    select_tiles(*root, view_from({0, 0, 1}, {0, 300, 0}), {}, 1, s);
    sort_loads(s.loads);
    ASSERT_EQ(s.loads.size(), 2u);
    EXPECT_EQ(s.loads[0].tile, &ahead);
    EXPECT_EQ(s.loads[1].tile, &side);
}

TEST(Selection, PendingSubtreeIsRequestedAndKeepsTheParent) {
    auto root = make_tile({0, 0, 0}, 100, 50);
    root->refine = Refine::replace;
    set_state(*root, ContentState::ready);
    Tile& child = add_child(*root, make_tile({0, 0, 0}, 100, 10, false));
    child.subtree_pending = true;
    child.subtree_uri = "subtrees/1.0.0.subtree";
    Selection s;
    select_tiles(*root, view_from({0, -300, 300}, {0, 0, 0}), {}, 1, s);
    ASSERT_EQ(s.render.size(), 1u);
    EXPECT_EQ(s.render[0], root.get());
    ASSERT_EQ(s.loads.size(), 1u);
    EXPECT_EQ(s.loads[0].tile, &child);
    EXPECT_EQ(s.loads[0].content, -1);
    EXPECT_FALSE(s.complete);
}

TEST(Eviction, LeastRecentlyUsedFirstDeeperFirstNeverTheCurrentFrame) {
    const std::vector<CacheItem> items{
        {100, 5, 1},  // 0: old
        {100, 9, 2},  // 1: needed now
        {100, 3, 1},  // 2: oldest
        {100, 5, 4},  // 3: as old as 0, deeper
        {100, 8, 1},  // 4: recent
    };
    const auto v = choose_evictions(items, 500, 250, 9);
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0], 2u);
    EXPECT_EQ(v[1], 3u);
    EXPECT_EQ(v[2], 0u);
    EXPECT_TRUE(choose_evictions(items, 200, 250, 9).empty());  // under budget

    // The view needs more than the budget: everything else goes, the needed item stays.
    const auto all = choose_evictions(items, 500, 10, 9);
    EXPECT_EQ(all.size(), 4u);
    EXPECT_EQ(std::count(all.begin(), all.end(), size_t{1}), 0);
}

}  // namespace
}  // namespace zw::tiles
