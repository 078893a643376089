// libFuzzer target: tileset.json parsing (parse_tileset, looks_like_tileset_json).
// Bad input must end in zw::Error; any other exception, a sanitizer report or a broken
// invariant below is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "engine/core/error.h"
#include "engine/tiles/tileset.h"

namespace {

// ZW_FUZZ_VERBOSE=1 prints why each input was refused (for checking seeds).
const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what) {
    std::fprintf(stderr, "fuzz_tileset_json: invariant broken: %s\n", what);
    std::abort();
}

void check_tile(const zw::tiles::Tile& tile) {
    for (const auto& child : tile.children) {
        if (child->parent != &tile) broken_invariant("a child's parent is not its tile");
        if (child->depth != tile.depth + 1) broken_invariant("a child's depth is not its parent's + 1");
        check_tile(*child);
    }
    if (tile.geometric_error < 0) broken_invariant("negative geometric error");
    if (tile.subtree_pending && !tile.implicit) broken_invariant("subtree_pending without implicit tiling");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> bytes(data, size);
    const bool looks = zw::tiles::looks_like_tileset_json(bytes);
    try {
        const zw::tiles::ParsedTileset t =
            zw::tiles::parse_tileset(bytes, "https://example.com/a/tileset.json");
        if (!t.root) broken_invariant("parse_tileset returned no root");
        check_tile(*t.root);
        // The streamer tells a tileset from glTF with looks_like_tileset_json: a tileset
        // that parses must be recognised.
        if (!looks) broken_invariant("parse_tileset accepts what looks_like_tileset_json refuses");
        if (verbose)
            std::fprintf(stderr, "parsed: version %s, %zu warnings\n", t.version.c_str(), t.warnings.size());
    } catch (const zw::Error& e) {
        // a refused file: the expected outcome for most inputs
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
    }
    return 0;
}
