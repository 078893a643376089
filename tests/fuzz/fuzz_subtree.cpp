// libFuzzer target: implicit tiling subtrees (parse_subtree, expand_subtree).
//
// Input layout: 5 bytes pick the implicit tiling and the subtree's place in it, the
// rest is the subtree file (binary "subt" or JSON):
//   [0] bit 0: octree; bits 1-2: subtreeLevels - 1 (1..4); bits 3-4: contents (0..2);
//       bits 5-6: root volume (box, region, region across the antimeridian, rotated box)
//   [1] what fetching an external buffer gives (% 4): throws zw::Error, the subtree
//       file's own bytes, nothing, or the input's last 16 bytes
//   [2] the subtree root's level (% 32)
//   [3] availableLevels = root level + 1 + [3] % 32, at most 32
//   [4] mixes into the subtree root's x, y, z
// tests/fuzz/make_corpus.py writes seeds in this layout.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/tiles/tileset.h"

namespace {

// ZW_FUZZ_VERBOSE=1 prints why each input was refused (for checking seeds).
const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

using namespace zw::tiles;

constexpr size_t header_bytes = 5;

[[noreturn]] void broken_invariant(const char* what) {
    std::fprintf(stderr, "fuzz_subtree: invariant broken: %s\n", what);
    std::abort();
}

std::shared_ptr<ImplicitTiling> tiling_from(const uint8_t* h) {
    auto t = std::make_shared<ImplicitTiling>();
    t->octree = h[0] & 1u;
    t->subtree_levels = 1 + ((h[0] >> 1) & 3u);
    const uint32_t contents = std::min(2u, (h[0] >> 3) & 3u);
    const uint32_t volume = (h[0] >> 5) & 3u;
    const uint32_t level = h[2] % 32;
    t->available_levels = std::min(32u, level + 1 + h[3] % 32);
    t->subtrees_uri = t->octree ? "https://example.com/t/subtrees/{level}/{x}/{y}/{z}.subtree"
                                : "https://example.com/t/subtrees/{level}/{x}/{y}.subtree";
    for (uint32_t k = 0; k < contents; ++k) {
        t->content_uris.push_back("https://example.com/t/content" + std::to_string(k) +
                                  "/{level}_{x}_{y}_{z}.glb");
        t->content_bounds.emplace_back();
        t->content_groups.push_back(k == 1 ? 0 : -1);
    }
    t->root_box.center = {10.0, -20.0, 5.0};
    t->root_box.half_axes = glm::dmat3(100.0, 0, 0, 0, 50.0, 0, 0, 0, 10.0);
    if (volume == 1 || volume == 2) {
        t->root_is_region = true;
        if (volume == 1) {
            t->root_region = {-1.3197, 0.6988, -1.3196, 0.6989, 0.0, 60.0};
        } else {  // west > east: the region crosses the antimeridian
            t->root_region = {3.1, -0.2, -3.1, 0.2, -10.0, 1000.0};
        }
    } else if (volume == 3) {
        t->root_box.half_axes = glm::dmat3(70.0, 70.0, 0, -35.0, 35.0, 0, 0, 0, 8.0);
        t->transform = glm::dmat4(1.0);
        t->transform[3] = glm::dvec4(6378137.0, 0.0, 0.0, 1.0);  // on the earth's surface
    }
    t->root_geometric_error = 512.0;
    t->refine = (h[0] & 0x80u) ? Refine::add : Refine::replace;
    return t;
}

void check_tile(const Tile& tile, const ImplicitTiling& t) {
    const size_t branching = t.octree ? 8 : 4;
    if (tile.children.size() > branching) broken_invariant("more children than the branching factor");
    if (tile.contents.size() > t.content_uris.size())
        broken_invariant("more contents than the tiling declares");
    if (!std::isfinite(tile.geometric_error)) broken_invariant("geometric error not finite");
    for (const auto& child : tile.children) {
        if (child->parent != &tile) broken_invariant("a child's parent is not its tile");
        if (child->coord.level != tile.coord.level + 1)
            broken_invariant("a child's level is not its parent's + 1");
        if (child->coord.level >= t.available_levels) broken_invariant("a child beyond availableLevels");
        if ((child->coord.x >> 1) != tile.coord.x || (child->coord.y >> 1) != tile.coord.y ||
            (child->coord.z >> 1) != tile.coord.z) {
            broken_invariant("a child's coordinates are not inside its parent's");
        }
        if (child->subtree_pending && !child->children.empty())
            broken_invariant("a pending subtree has children");
        check_tile(*child, t);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < header_bytes) return -1;  // -1: not added to the corpus
    const std::shared_ptr<ImplicitTiling> tiling = tiling_from(data);
    const std::span<const uint8_t> file(data + header_bytes, size - header_bytes);
    const uint32_t fetch_mode = data[1] % 4;
    const FetchFn fetch = [&](const std::string& uri) -> std::vector<uint8_t> {
        switch (fetch_mode) {
            case 1:
                return {file.begin(), file.end()};
            case 2:
                return {};
            case 3:
                return {data + size - std::min<size_t>(size, 16), data + size};
            default:
                throw zw::Error("no such buffer: " + uri);
        }
    };

    const uint32_t level = data[2] % 32;
    const uint32_t mask = (1u << level) - 1u;  // level < 32
    Tile root;
    root.implicit = tiling;
    root.coord = {level, (data[4] * 0x9E3779B1u) & mask, (data[4] * 0x85EBCA6Bu) & mask,
                  tiling->octree ? (data[4] * 0xC2B2AE35u) & mask : 0u};
    root.depth = level;
    root.geometric_error = tiling->root_geometric_error / std::ldexp(1.0, int(level));
    root.subtree_pending = true;
    root.subtree_uri = expand_template(tiling->subtrees_uri, root.coord);

    try {
        const Subtree s = parse_subtree(file, root.subtree_uri, *tiling, fetch);
        if (s.levels != tiling->subtree_levels) broken_invariant("Subtree::levels is not subtreeLevels");
        const size_t tiles = Subtree::tile_count(s.levels, tiling->octree);
        if (s.tile_available.size() != tiles) broken_invariant("tile availability has the wrong size");
        if (s.content_available.size() != tiling->content_uris.size())
            broken_invariant("content availability has the wrong count");
        expand_subtree(root, s);
        if (root.subtree_pending) broken_invariant("expand_subtree left subtree_pending set");
        check_tile(root, *tiling);
        if (verbose)
            std::fprintf(stderr, "expanded: %zu contents, %zu children\n", root.contents.size(),
                         root.children.size());
    } catch (const zw::Error& e) {
        // a refused subtree (or a failed fetch): the expected outcome for most inputs
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
    }
    return 0;
}
