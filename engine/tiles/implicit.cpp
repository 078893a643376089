// Implicit tiling (3D Tiles 1.1, and the 1.0 extension 3DTILES_implicit_tiling): URI
// templates, Morton indices, subtree files and their expansion into tiles. The
// implicitTiling object itself is read with the rest of tileset.json (tileset.cpp).
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <numbers>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/uri.h"
#include "engine/tiles/tileset.h"
#include "engine/tiles/tileset_internal.h"

namespace zw::tiles {
namespace {

using core::display_uri;
using detail::json;
using detail::json_message;
using detail::member;

double longitude_span(const Region& r) {
    return r.east >= r.west ? r.east - r.west : r.east - r.west + 2.0 * std::numbers::pi;
}

uint32_t branching(bool octree) {
    return octree ? 8u : 4u;
}

uint64_t power(uint64_t base, uint32_t exponent) {
    uint64_t r = 1;
    for (uint32_t i = 0; i < exponent; ++i) {
        r *= base;
    }
    return r;
}

template <typename T>
T read_le(std::span<const uint8_t> bytes, size_t offset) {
    T v;
    std::memcpy(&v, bytes.data() + offset, sizeof(T));  // little-endian hosts only, as glTF
    return v;
}

class SubtreeParser {
  public:
    SubtreeParser(std::span<const uint8_t> bytes, const std::string& uri, const FetchFn& fetch)
        : uri_(uri), shown_(display_uri(uri)), fetch_(fetch) {
        split(bytes);
    }

    std::vector<uint8_t> availability(const char* name, const json* a, size_t bits);
    const json& doc() const { return json_; }

    template <typename... Args>
    [[noreturn]] void broken(const Args&... args) const {
        fail("subtree '", shown_, "' is broken: ", args...);
    }

  private:
    void split(std::span<const uint8_t> bytes);
    std::span<const uint8_t> buffer(size_t index);
    std::span<const uint8_t> buffer_view(const json& index, const std::string& what);

    const std::string& uri_;
    std::string shown_;
    const FetchFn& fetch_;
    json json_;
    std::span<const uint8_t> binary_;
    std::vector<std::optional<std::vector<uint8_t>>> external_;  // fetched on first use
};

void SubtreeParser::split(std::span<const uint8_t> bytes) {
    std::span<const uint8_t> text = bytes;
    if (bytes.size() >= 4 && std::memcmp(bytes.data(), "subt", 4) == 0) {
        if (bytes.size() < 24) {
            fail("subtree '", shown_, "' is truncated: ", bytes.size(),
                 " bytes, less than its 24-byte header");
        }
        const auto version = read_le<uint32_t>(bytes, 4);
        if (version != 1) {
            fail("subtree '", shown_, "' has version ", version, "; only version 1 is supported");
        }
        const auto json_length = read_le<uint64_t>(bytes, 8), binary_length = read_le<uint64_t>(bytes, 16);
        const uint64_t rest = bytes.size() - 24;
        if (json_length > rest || binary_length > rest - json_length) {
            fail("subtree '", shown_, "' is truncated: its header announces ", json_length, " + ",
                 binary_length, " bytes of JSON and binary, the file has ", rest, " after the header");
        }
        text = bytes.subspan(24, json_length);
        binary_ = bytes.subspan(24 + json_length, binary_length);
        // The JSON chunk is padded with spaces (some writers use zeros).
        while (!text.empty() && (text.back() == ' ' || text.back() == 0)) {
            text = text.first(text.size() - 1);
        }
    } else {
        size_t i = 0;
        while (i < bytes.size() && std::isspace(bytes[i])) {
            ++i;
        }
        if (i == bytes.size() || bytes[i] != '{') {
            fail("subtree '", shown_, "' is neither a binary subtree (magic \"subt\") nor JSON");
        }
    }
    if (core::json_nesting_depth(std::string_view(reinterpret_cast<const char*>(text.data()), text.size())) >
        core::max_json_depth)
        broken("its JSON nests more than 1000 levels deep");
    try {
        json_ = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        fail("subtree '", shown_, "' has broken JSON: ", json_message(e));
    }
    if (!json_.is_object()) broken("its JSON is not an object");
    if (const json* buffers = member(json_, "buffers")) {
        if (!buffers->is_array()) broken("buffers is not an array");
        external_.resize(buffers->size());
    }
}

std::span<const uint8_t> SubtreeParser::buffer(size_t index) {
    const json& b = json_["buffers"][index];
    const std::string what = "buffers[" + std::to_string(index) + "]";
    const json* length = b.is_object() ? member(b, "byteLength") : nullptr;
    if (!length || !length->is_number_unsigned()) broken(what, " has no byteLength");
    const uint64_t byte_length = length->get<uint64_t>();
    const json* uri = member(b, "uri");
    if (!uri) {  // the binary chunk
        if (byte_length > binary_.size()) {
            broken(what, " has ", byte_length, " bytes, but the binary chunk only ", binary_.size());
        }
        return binary_.first(byte_length);
    }
    if (!uri->is_string()) broken(what, ".uri is not a string");
    if (!external_[index]) {
        external_[index] = fetch_(core::resolve_uri(uri_, uri->get_ref<const std::string&>()));
    }
    const std::vector<uint8_t>& data = *external_[index];
    if (data.size() < byte_length) {
        broken(what, " '", uri->get<std::string>(), "' has ", data.size(), " bytes, its byteLength says ",
               byte_length);
    }
    return std::span<const uint8_t>(data).first(byte_length);
}

std::span<const uint8_t> SubtreeParser::buffer_view(const json& index, const std::string& what) {
    const json* views = member(json_, "bufferViews");
    if (!index.is_number_unsigned() || !views || !views->is_array() ||
        index.get<uint64_t>() >= views->size()) {
        broken(what, " names buffer view ", index.dump(), ", which does not exist");
    }
    const size_t vi = index.get<size_t>();
    const json& v = (*views)[vi];
    const std::string name = "bufferViews[" + std::to_string(vi) + "]";
    const json* b = v.is_object() ? member(v, "buffer") : nullptr;
    if (!b || !b->is_number_unsigned() || b->get<uint64_t>() >= external_.size()) {
        broken(name, " names no existing buffer");
    }
    const json* offset = member(v, "byteOffset");
    const json* length = member(v, "byteLength");
    if ((offset && !offset->is_number_unsigned()) || !length || !length->is_number_unsigned()) {
        broken(name, " has no valid byteOffset and byteLength");
    }
    const uint64_t o = offset ? offset->get<uint64_t>() : 0, n = length->get<uint64_t>();
    const std::span<const uint8_t> data = buffer(b->get<size_t>());
    if (o > data.size() || n > data.size() - o) {
        broken(name, " (bytes ", o, " to ", o + n, ") lies outside buffers[", b->get<size_t>(), "] (",
               data.size(), " bytes)");
    }
    return data.subspan(o, n);
}

std::vector<uint8_t> SubtreeParser::availability(const char* name, const json* a, size_t bits) {
    if (!a) broken("it has no ", name);
    if (!a->is_object()) broken(name, " is not an object");
    if (const json* constant = member(*a, "constant")) {
        if (*constant != 0 && *constant != 1) broken(name, ".constant is ", constant->dump(), ", not 0 or 1");
        return std::vector<uint8_t>(bits, constant->get<uint8_t>());
    }
    const json* index = member(*a, "bitstream");
    if (!index) index = member(*a, "bufferView");  // the 1.0 extension's draft
    if (!index) broken(name, " has neither constant nor bitstream");
    const std::span<const uint8_t> view = buffer_view(*index, name);
    if (view.size() < (bits + 7) / 8) {
        broken(name, " needs ", (bits + 7) / 8, " bytes (", bits, " bits), its buffer view has ",
               view.size());
    }
    std::vector<uint8_t> out(bits);
    for (size_t i = 0; i < bits; ++i) {
        out[i] = (view[i / 8] >> (i % 8)) & 1u;  // least significant bit first
    }
    return out;
}

// The volume of the implicit tile at `c`: the root volume split 2^level times per axis.
Bounds implicit_bounds(const ImplicitTiling& t, const ImplicitCoord& c) {
    const double n = std::ldexp(1.0, static_cast<int>(c.level));
    if (t.root_is_region) {
        const Region& root = t.root_region;
        Region r = root;
        const double span = longitude_span(root);
        auto lon = [&](double f) {
            const double v = root.west + span * f;
            return v > std::numbers::pi ? v - 2.0 * std::numbers::pi : v;
        };
        r.west = lon(c.x / n);
        r.east = lon((c.x + 1) / n);
        r.south = root.south + (root.north - root.south) * (c.y / n);
        r.north = root.south + (root.north - root.south) * ((c.y + 1) / n);
        if (t.octree) {
            r.min_height = root.min_height + (root.max_height - root.min_height) * (c.z / n);
            r.max_height = root.min_height + (root.max_height - root.min_height) * ((c.z + 1) / n);
        }
        return bounds_from_region(r);
    }
    const Obb& root = t.root_box;
    const double index[3] = {double(c.x), double(c.y), double(c.z)};
    std::array<double, 12> box{};
    glm::dvec3 center = root.center;
    for (int i = 0; i < 3; ++i) {
        glm::dvec3 axis = root.half_axes[i];
        if (i < 2 || t.octree) {
            center += axis * (-1.0 + (2.0 * index[i] + 1.0) / n);
            axis /= n;
        }
        for (int k = 0; k < 3; ++k) {
            box[3 + 3 * i + k] = axis[k];
        }
    }
    for (int k = 0; k < 3; ++k) {
        box[k] = center[k];
    }
    return bounds_from_box(box, t.transform);
}

void add_contents(Tile& tile, const Subtree& s, size_t index) {
    const ImplicitTiling& t = *tile.implicit;
    for (size_t k = 0; k < t.content_uris.size(); ++k) {
        // A template without a URI (warned about in tileset.cpp) keeps its index, so that
        // the availability of the contents after it stays theirs.
        if (!s.content_available[k][index] || t.content_uris[k].empty()) continue;
        TileContent c;
        c.uri = expand_template(t.content_uris[k], tile.coord);
        c.group = k < t.content_groups.size() ? t.content_groups[k] : -1;
        tile.contents.push_back(std::move(c));
    }
}

// Creates the available children of `tile`, which sits at `level` (in the subtree) with
// Morton index `morton` in that level, and recursively theirs.
void expand_children(Tile& tile, const Subtree& s, uint32_t level, uint64_t morton) {
    const ImplicitTiling& t = *tile.implicit;
    if (tile.coord.level + 1 >= t.available_levels) return;
    const uint32_t n = branching(t.octree);
    const bool next_subtree = level + 1 == s.levels;  // children are roots of child subtrees
    for (uint32_t i = 0; i < n; ++i) {
        const uint64_t child_morton = morton * n + i;
        const size_t index =
            next_subtree ? child_morton : Subtree::tile_index(level + 1, child_morton, t.octree);
        if (!(next_subtree ? s.child_subtree_available[index] : s.tile_available[index])) continue;

        auto child = std::make_unique<Tile>();
        child->parent = &tile;
        child->depth = tile.depth + 1;
        child->tileset_uri = tile.tileset_uri;
        child->implicit = tile.implicit;
        child->coord = {tile.coord.level + 1, tile.coord.x * 2 + (i & 1u), tile.coord.y * 2 + ((i >> 1) & 1u),
                        t.octree ? tile.coord.z * 2 + ((i >> 2) & 1u) : 0u};
        child->bounds = implicit_bounds(t, child->coord);
        child->geometric_error =
            t.root_geometric_error / std::ldexp(1.0, static_cast<int>(child->coord.level));
        child->refine = t.refine;
        child->transform = t.transform;
        if (next_subtree) {
            child->subtree_pending = true;
            child->subtree_uri = expand_template(t.subtrees_uri, child->coord);
        } else {
            add_contents(*child, s, index);
            expand_children(*child, s, level + 1, child_morton);
        }
        tile.children.push_back(std::move(child));
    }
}

}  // namespace

std::string expand_template(const std::string& uri_template, const ImplicitCoord& c) {
    std::string out;
    out.reserve(uri_template.size() + 16);
    for (size_t i = 0; i < uri_template.size();) {
        const std::string_view rest = std::string_view(uri_template).substr(i);
        if (rest.starts_with("{level}")) {
            out += std::to_string(c.level);
            i += 7;
        } else if (rest.starts_with("{x}") || rest.starts_with("{y}") || rest.starts_with("{z}")) {
            out += std::to_string(rest[1] == 'x' ? c.x : rest[1] == 'y' ? c.y : c.z);
            i += 3;
        } else {
            out += uri_template[i++];
        }
    }
    return out;
}

size_t Subtree::tile_count(uint32_t levels, bool octree) {
    const uint64_t n = branching(octree);
    return static_cast<size_t>((power(n, levels) - 1) / (n - 1));
}

size_t Subtree::tile_index(uint32_t level, uint64_t morton, bool octree) {
    return tile_count(level, octree) + static_cast<size_t>(morton);
}

Subtree parse_subtree(std::span<const uint8_t> bytes, const std::string& uri, const ImplicitTiling& tiling,
                      const FetchFn& fetch) {
    SubtreeParser p(bytes, uri, fetch);
    const json& j = p.doc();
    Subtree s;
    s.levels = tiling.subtree_levels;
    const size_t tiles = Subtree::tile_count(s.levels, tiling.octree);
    s.tile_available = p.availability("tileAvailability", member(j, "tileAvailability"), tiles);
    if (!tiling.content_uris.empty()) {
        const json* content = member(j, "contentAvailability");
        if (!content) p.broken("it has no contentAvailability, but the tileset has contents");
        const size_t given = content->is_array() ? content->size() : 1;  // an object in the 1.0 draft
        if (given < tiling.content_uris.size()) {
            p.broken("it has contentAvailability for ", given, " contents, the tileset declares ",
                     tiling.content_uris.size());
        }
        for (size_t k = 0; k < tiling.content_uris.size(); ++k) {
            const std::string name = "contentAvailability[" + std::to_string(k) + "]";
            s.content_available.push_back(
                p.availability(name.c_str(), content->is_array() ? &(*content)[k] : content, tiles));
        }
    }
    s.child_subtree_available =
        p.availability("childSubtreeAvailability", member(j, "childSubtreeAvailability"),
                       static_cast<size_t>(power(branching(tiling.octree), s.levels)));
    return s;
}

void expand_subtree(Tile& root, const Subtree& subtree) {
    if (!root.implicit) fail("expand_subtree: the tile is not part of an implicit tileset");
    const ImplicitTiling& t = *root.implicit;
    const size_t tiles = Subtree::tile_count(subtree.levels, t.octree);
    if (subtree.levels == 0 || subtree.tile_available.size() != tiles ||
        subtree.content_available.size() < t.content_uris.size() ||
        subtree.child_subtree_available.size() != power(branching(t.octree), subtree.levels)) {
        fail("subtree '", display_uri(root.subtree_uri), "' does not match its implicit tiling");
    }
    for (const auto& c : subtree.content_available) {
        if (c.size() != tiles) {
            fail("subtree '", display_uri(root.subtree_uri), "' does not match its implicit tiling");
        }
    }
    root.subtree_pending = false;
    if (!subtree.tile_available[0]) return;  // an empty subtree: the root has nothing to show
    add_contents(root, subtree, 0);
    expand_children(root, subtree, 0, 0);
}

uint64_t morton2(uint32_t x, uint32_t y) {
    auto spread = [](uint64_t v) {  // bit i moves to bit 2i
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFull;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFull;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0Full;
        v = (v | (v << 2)) & 0x3333333333333333ull;
        v = (v | (v << 1)) & 0x5555555555555555ull;
        return v;
    };
    return spread(x) | (spread(y) << 1);
}

uint64_t morton3(uint32_t x, uint32_t y, uint32_t z) {
    auto spread = [](uint64_t v) {  // bit i moves to bit 3i; 21 bits fit in 64
        v &= 0x1FFFFF;
        v = (v | (v << 32)) & 0x1F00000000FFFFull;
        v = (v | (v << 16)) & 0x1F0000FF0000FFull;
        v = (v | (v << 8)) & 0x100F00F00F00F00Full;
        v = (v | (v << 4)) & 0x10C30C30C30C30C3ull;
        v = (v | (v << 2)) & 0x1249249249249249ull;
        return v;
    };
    return spread(x) | (spread(y) << 1) | (spread(z) << 2);
}

}  // namespace zw::tiles
