// The 3D Tiles 1.0 / 1.1 tileset model: tiles with world-space bounds, geometric error,
// refinement and contents, parsed from tileset.json, external tilesets and implicit
// tiling subtrees. Pure code: no I/O (callers hand in bytes), no Vulkan.
//
// Trees grow at run time: an external tileset's root is attached as the only child of
// the tile whose content it is, and an implicit tileset's tiles appear when the
// subtree file that holds their availability has been parsed (expand_subtree).
//
// The fields below "runtime" belong to the streamer (tiles/stream.h); parsing leaves
// them at their defaults.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "engine/tiles/bounds.h"

namespace zw::tiles {

struct LoadedContent;  // tiles/stream.h

enum class Refine : uint8_t { add, replace };

enum class ContentState : uint8_t {
    unloaded,  // not requested (or evicted)
    loading,   // a job fetches and decodes it
    decoded,   // decoded, waiting for its GPU upload
    ready,     // renderable
    failed,    // missing, truncated or invalid: logged once, never retried
};

struct TileContent {
    std::string uri;               // absolute URI (resolved against the tileset that names it)
    std::optional<Bounds> bounds;  // content.boundingVolume, in world space
    int group = -1;                // content.group (1.1), -1: none

    // runtime
    ContentState state = ContentState::unloaded;
    std::shared_ptr<LoadedContent> loaded;
    std::string error;  // why it failed
};

// Tile coordinates inside an implicit tileset (z only for octrees).
struct ImplicitCoord {
    uint32_t level = 0, x = 0, y = 0, z = 0;
};

// What an implicit tileset's root declares; shared by all its tiles.
struct ImplicitTiling {
    bool octree = false;
    uint32_t subtree_levels = 1;
    uint32_t available_levels = 1;
    std::string subtrees_uri;                           // absolute template URI with {level} {x} {y} {z}
    std::vector<std::string> content_uris;              // absolute template URIs, one per content
    std::vector<std::optional<Bounds>> content_bounds;  // unused (null) unless given explicitly
    std::vector<int> content_groups;                    // content.group per content, -1: none
    // The root volume before subdivision: a box in tile space (with `transform`) or a region.
    bool root_is_region = false;
    Obb root_box;  // untransformed (tile space)
    Region root_region;
    glm::dmat4 transform{1.0};        // the root's world transform
    double root_geometric_error = 0;  // world units (already scaled)
    Refine refine = Refine::replace;
};

// {level} {x} {y} {z} replaced by the coordinates.
std::string expand_template(const std::string& uri_template, const ImplicitCoord& c);

struct Tile {
    Tile* parent = nullptr;
    std::vector<std::unique_ptr<Tile>> children;

    Bounds bounds;                                // world space
    std::optional<Bounds> viewer_request_volume;  // world space
    double geometric_error = 0;                   // world units: scaled by max_scale(transform)
    Refine refine = Refine::replace;              // inherited from the parent when absent
    glm::dmat4 transform{1.0};                    // world: parent's world transform * own transform
    std::vector<TileContent> contents;            // `content` or `contents[]`
    uint32_t depth = 0;                           // root: 0

    // External tilesets: the URI of the tileset.json this tile was read from (every tile
    // of it), so that a cycle (a tileset that includes itself) can be refused.
    std::shared_ptr<const std::string> tileset_uri;

    // Implicit tiling: set on every tile of an implicit tileset (the root included).
    std::shared_ptr<const ImplicitTiling> implicit;
    ImplicitCoord coord;
    // This tile is the root of a subtree whose file has not been read yet: its children
    // (and its own availability-driven contents) appear once expand_subtree ran.
    bool subtree_pending = false;
    std::string subtree_uri;  // absolute, when subtree_pending

    // runtime (tiles/stream.h)
    uint64_t last_used_frame = 0;  // the last frame selection needed it
    uint64_t wanted_frame = 0;     // the last frame selection asked for its contents (any tier)
    double priority = 0;
    bool subtree_loading = false;
    bool subtree_failed = false;
};

struct ParsedTileset {
    std::string version;         // asset.version
    double geometric_error = 0;  // the tileset's top-level geometricError
    std::unique_ptr<Tile> root;
    std::vector<std::string> warnings;  // things ignored (unknown bounding volume, ...)
};

// Parses a tileset.json held in `json`, read from `uri` (relative URIs resolve against
// it). `parent_transform` is the world transform above the root (identity for a
// top-level tileset, the including tile's transform for an external one);
// `parent_refine` is inherited by the root when it has none. The root's depth is
// `depth`. `ancestors` are the URIs of the tilesets that include this one; if `uri` is
// among them the tileset is refused as a cycle.
//
// Throws zw::Error naming `uri` when it is not JSON, not a tileset (no asset, no
// root, no geometricError), or has a tile with a missing or invalid bounding volume
// (NaN or infinite numbers, wrong counts), a malformed transform or a negative
// geometric error.
ParsedTileset parse_tileset(std::span<const uint8_t> json, const std::string& uri,
                            const glm::dmat4& parent_transform = glm::dmat4(1.0),
                            Refine parent_refine = Refine::replace, uint32_t depth = 0,
                            const std::vector<std::string>& ancestors = {});

// True when `bytes` look like a tileset.json (a JSON object with "asset" and "root")
// rather than glTF or another tile format; cheap (no full parse of large files).
bool looks_like_tileset_json(std::span<const uint8_t> bytes);

// Availability of one subtree, decoded from a .subtree (binary) or JSON subtree file.
// Bits are in Morton order per level, levels concatenated (spec: "Availability").
struct Subtree {
    uint32_t levels = 0;                                  // = ImplicitTiling::subtree_levels
    std::vector<uint8_t> tile_available;                  // one byte (0/1) per tile of the subtree
    std::vector<std::vector<uint8_t>> content_available;  // per content, per tile
    std::vector<uint8_t> child_subtree_available;         // one per tile of the level below the subtree

    // Tiles in a subtree of `levels` levels for branching factor 4 or 8.
    static size_t tile_count(uint32_t levels, bool octree);
    // Index of (level, morton index within level) into tile_available.
    static size_t tile_index(uint32_t level, uint64_t morton, bool octree);
};

// Fetches an external buffer of a subtree file (a URI already resolved against the
// subtree's URI); throws zw::Error when it cannot.
using FetchFn = std::function<std::vector<uint8_t>(const std::string& uri)>;

// Parses a subtree file read from `uri`. Throws zw::Error naming `uri` when it is
// neither a valid binary subtree (magic "subt", version 1) nor JSON, when a bitstream
// is too short or a buffer view lies outside its buffer.
Subtree parse_subtree(std::span<const uint8_t> bytes, const std::string& uri, const ImplicitTiling& tiling,
                      const FetchFn& fetch);

// Creates the tiles of the subtree rooted at `root` (which has subtree_pending set):
// `root` gets its contents from content availability, and every available descendant
// inside the subtree is created with bounds, geometric error (halved per level),
// refine, transform and contents; tiles on the subtree's last level whose child
// subtree is available get subtree_pending and subtree_uri. Clears root.subtree_pending.
void expand_subtree(Tile& root, const Subtree& subtree);

// An implicit tileset's root tile (from the root tile JSON with `implicitTiling`) is
// created by parse_tileset with `implicit` set and subtree_pending for subtree 0.0.0.

// Morton (Z-order) index of (x, y) / (x, y, z): bits interleaved, x lowest.
uint64_t morton2(uint32_t x, uint32_t y);
uint64_t morton3(uint32_t x, uint32_t y, uint32_t z);

}  // namespace zw::tiles
