// tileset.json -> Tile tree. Implicit tilesets get their root here; their subtrees are
// read and expanded in implicit.cpp.
#include "engine/tiles/tileset.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <numbers>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"
#include "engine/core/uri.h"
#include "engine/tiles/tileset_internal.h"

namespace zw::tiles {
namespace {

using core::display_uri;
using detail::json;
using detail::json_message;
using detail::member;

constexpr uint32_t max_nesting = 256;  // tile levels in one tileset.json; deeper is refused
// Bits per subtree are capped at 2^24 (quadtree: 12 levels, octree: 8) so that a hostile
// subtreeLevels cannot ask for gigabytes; real tilesets use far fewer.
constexpr uint32_t max_subtree_levels_quadtree = 12;
constexpr uint32_t max_subtree_levels_octree = 8;
constexpr uint32_t max_available_levels = 32;  // coordinates are uint32_t

// "root.contents[2]", or "root.content" for the single `content` (a path without "contents").
std::string element_path(const std::string& contents_path, size_t i) {
    if (!contents_path.ends_with("contents")) return contents_path;
    return contents_path + "[" + std::to_string(i) + "]";
}

// A bounding volume as written, before any transform.
struct RawVolume {
    enum class Kind { box, region, sphere } kind = Kind::box;
    std::array<double, 12> v{};  // box: 12, region: 6, sphere: 4 numbers
};

Region region_of(const RawVolume& r) {
    return {r.v[0], r.v[1], r.v[2], r.v[3], r.v[4], r.v[5]};
}

Bounds to_bounds(const RawVolume& r, const glm::dmat4& transform) {
    switch (r.kind) {
        case RawVolume::Kind::box:
            return bounds_from_box(std::span<const double, 12>(r.v.data(), 12), transform);
        case RawVolume::Kind::region:
            return bounds_from_region(region_of(r));  // regions are never transformed
        case RawVolume::Kind::sphere:
            return bounds_from_sphere(std::span<const double, 4>(r.v.data(), 4), transform);
    }
    return {};
}

class TilesetParser {
  public:
    TilesetParser(const std::string& uri, uint32_t base_depth, ParsedTileset& out)
        : uri_(uri),
          shown_(display_uri(uri)),
          base_depth_(base_depth),
          out_(out),
          uri_ptr_(std::make_shared<const std::string>(uri)) {}

    std::unique_ptr<Tile> tile(const json& j, const std::string& path, Tile* parent,
                               const glm::dmat4& parent_world, Refine parent_refine, uint32_t depth);

    // One warning per kind of skipped thing for the whole tileset (a tileset with a
    // thousand contents without a URI gets one line, not a thousand).
    void finish();

  private:
    // Things this tileset holds that are skipped with a warning: how many, the first.
    struct Skipped {
        size_t count = 0;
        std::string first;
        void add(const std::string& what) {
            if (count++ == 0) first = what;
        }
    };
    template <typename... Args>
    [[noreturn]] void broken(const std::string& path, const Args&... args) const {
        fail("tileset '", shown_, "' is broken: ", path, " ", args...);
    }
    template <typename... Args>
    void warn(const std::string& path, const Args&... args) {
        std::ostringstream s;
        s << "tileset '" << shown_ << "': " << path << " ";
        (s << ... << args);
        out_.warnings.push_back(s.str());
    }

    double number(const json& j, const std::string& path) const;
    std::vector<double> numbers(const json& j, size_t n, const std::string& path) const;
    uint32_t count(const json& j, const std::string& path, uint32_t min) const;
    RawVolume volume(const json& j, const std::string& path);
    // nullopt: the content has no usable URI (counted in no_uri_; the tile stays, empty).
    std::optional<TileContent> content(const json& j, const std::string& path, const glm::dmat4& transform);
    // The tile's own transform, or nullopt (counted in bad_transform_) when it is not
    // finite, all zero or singular.
    std::optional<glm::dmat4> own_transform(const json& j, const std::string& path,
                                            const glm::dmat4& parent_world);
    std::shared_ptr<const ImplicitTiling> implicit_tiling(const json& j, const std::string& path,
                                                          const Tile& tile, const RawVolume& raw,
                                                          const json* contents,
                                                          const std::string& contents_path);

    const std::string& uri_;
    std::string shown_;
    uint32_t base_depth_;
    ParsedTileset& out_;
    std::shared_ptr<const std::string> uri_ptr_;
    Skipped no_uri_, bad_transform_;
};

double TilesetParser::number(const json& j, const std::string& path) const {
    if (!j.is_number()) broken(path, "is ", j.type_name(), ", not a number");
    const double v = j.get<double>();
    if (!std::isfinite(v)) broken(path, "is not a finite number");
    return v;
}

std::vector<double> TilesetParser::numbers(const json& j, size_t n, const std::string& path) const {
    if (!j.is_array()) broken(path, "is ", j.type_name(), ", not an array of ", n, " numbers");
    if (j.size() != n) broken(path, "has ", j.size(), " numbers, needs ", n);
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) {
        if (!j[i].is_number()) broken(path, "has ", j[i].type_name(), " at [", i, "], not a number (NaN?)");
        v[i] = j[i].get<double>();
        if (!std::isfinite(v[i])) broken(path, "has a NaN or infinite number at [", i, "]");
    }
    return v;
}

uint32_t TilesetParser::count(const json& j, const std::string& path, uint32_t min) const {
    if (!j.is_number_integer() || j.get<int64_t>() < min || j.get<int64_t>() > UINT32_MAX) {
        broken(path, "must be an integer >= ", min);
    }
    return j.get<uint32_t>();
}

RawVolume TilesetParser::volume(const json& j, const std::string& path) {
    if (!j.is_object()) broken(path, "is not a JSON object");
    const json* box = member(j, "box");
    const json* region = member(j, "region");
    const json* sphere = member(j, "sphere");
    if (int(box != nullptr) + int(region != nullptr) + int(sphere != nullptr) > 1) {
        warn(path, "has more than one of box, region and sphere; the ", box ? "box" : "region", " is used");
    }
    RawVolume r;
    if (box) {
        const std::vector<double> v = numbers(*box, 12, path + ".box");
        std::copy(v.begin(), v.end(), r.v.begin());
        return r;
    }
    if (region) {
        const std::string p = path + ".region";
        const std::vector<double> v = numbers(*region, 6, p);
        constexpr double pi = std::numbers::pi, tolerance = 1e-9;
        if (std::abs(v[0]) > pi + tolerance || std::abs(v[2]) > pi + tolerance) {
            broken(p, "has a longitude outside [-pi, pi] (regions are in radians, not degrees)");
        }
        if (std::abs(v[1]) > pi / 2 + tolerance || std::abs(v[3]) > pi / 2 + tolerance) {
            broken(p, "has a latitude outside [-pi/2, pi/2] (regions are in radians, not degrees)");
        }
        if (v[1] > v[3]) broken(p, "has its south (", v[1], ") north of its north (", v[3], ")");
        if (v[4] > v[5]) broken(p, "has a minimum height (", v[4], ") above its maximum (", v[5], ")");
        r.kind = RawVolume::Kind::region;
        std::copy(v.begin(), v.end(), r.v.begin());
        // A west east of the east crosses the antimeridian; bounds and subdivision handle it.
        return r;
    }
    if (sphere) {
        const std::vector<double> v = numbers(*sphere, 4, path + ".sphere");
        if (v[3] < 0) broken(path + ".sphere", "has a negative radius");
        r.kind = RawVolume::Kind::sphere;
        std::copy(v.begin(), v.end(), r.v.begin());
        return r;
    }
    if (const json* ext = member(j, "extensions"); ext && ext->is_object() && !ext->empty()) {
        broken(path, "has no box, region or sphere, only the extension ", ext->begin().key(),
               ", which this viewer does not support");
    }
    broken(path, "has no box, region or sphere");
}

std::optional<TileContent> TilesetParser::content(const json& j, const std::string& path,
                                                  const glm::dmat4& transform) {
    if (!j.is_object()) broken(path, "is not a JSON object");
    const json* uri = member(j, "uri");
    if (!uri) uri = member(j, "url");  // 1.0 pre-release tilesets
    if (!uri || !uri->is_string() || uri->get_ref<const std::string&>().empty()) {
        // Writers leave empty tiles like this; the rest of the tileset is fine.
        no_uri_.add(path);
        return std::nullopt;
    }
    TileContent c;
    c.uri = core::resolve_uri(uri_, uri->get_ref<const std::string&>());
    if (const json* bv = member(j, "boundingVolume")) {
        c.bounds = to_bounds(volume(*bv, path + ".boundingVolume"), transform);
    }
    if (const json* group = member(j, "group")) c.group = static_cast<int>(count(*group, path + ".group", 0));
    return c;
}

std::optional<glm::dmat4> TilesetParser::own_transform(const json& j, const std::string& path,
                                                       const glm::dmat4& parent_world) {
    if (!j.is_array()) broken(path, "is ", j.type_name(), ", not an array of 16 numbers");
    if (j.size() != 16) broken(path, "has ", j.size(), " numbers, needs 16");
    glm::dmat4 own(0.0);
    bool finite = true;
    for (int c = 0; c < 4; ++c) {
        for (int r = 0; r < 4; ++r) {
            const json& v = j[size_t(c * 4 + r)];  // column-major, as glm
            // JavaScript writes NaN and infinities as null.
            finite = finite && v.is_number() && std::isfinite(v.get<double>());
            if (finite) own[c][r] = v.get<double>();
        }
    }
    const glm::dmat4 world = parent_world * own;
    for (int c = 0; finite && c < 4; ++c)
        for (int r = 0; r < 4; ++r)
            finite = finite && std::isfinite(world[c][r]);
    // Singular: the columns of the 3x3 part span less than a volume. Relative to the
    // column lengths, so that a tile scaled to millimetres is not taken for singular.
    const glm::dmat3 m(own);
    const double volume = glm::length(m[0]) * glm::length(m[1]) * glm::length(m[2]);
    const bool zero = finite && volume == 0.0 && m == glm::dmat3(0.0);
    const bool singular = finite && (volume == 0.0 || std::abs(glm::determinant(m)) <= 1e-12 * volume);
    if (finite && !singular) return world;
    bad_transform_.add(path + (!finite ? " (not finite)" : zero ? " (all zero)" : " (singular)"));
    return std::nullopt;
}

void TilesetParser::finish() {
    if (no_uri_.count)
        warn(no_uri_.first, "has no uri",
             no_uri_.count > 1 ? " (nor have " + std::to_string(no_uri_.count - 1) + " more contents)"
                               : std::string(),
             "; such tiles are drawn empty");
    if (bad_transform_.count)
        warn(bad_transform_.first, "cannot place anything",
             bad_transform_.count > 1
                 ? " (nor can " + std::to_string(bad_transform_.count - 1) + " more transforms)"
                 : std::string(),
             "; the content and children of such tiles are not shown (fix the transform: it must be finite "
             "and "
             "invertible)");
}

std::shared_ptr<const ImplicitTiling> TilesetParser::implicit_tiling(const json& j, const std::string& path,
                                                                     const Tile& tile, const RawVolume& raw,
                                                                     const json* contents,
                                                                     const std::string& contents_path) {
    if (!j.is_object()) broken(path, "is not a JSON object");
    auto t = std::make_shared<ImplicitTiling>();
    const json* scheme = member(j, "subdivisionScheme");
    if (!scheme || !scheme->is_string()) broken(path, "has no subdivisionScheme");
    if (*scheme == "OCTREE") {
        t->octree = true;
    } else if (*scheme != "QUADTREE") {
        broken(path + ".subdivisionScheme", "is '", scheme->get<std::string>(), "', not QUADTREE or OCTREE");
    }

    const json* levels = member(j, "subtreeLevels");
    if (!levels) broken(path, "has no subtreeLevels");
    t->subtree_levels = count(*levels, path + ".subtreeLevels", 1);
    const uint32_t max_levels = t->octree ? max_subtree_levels_octree : max_subtree_levels_quadtree;
    if (t->subtree_levels > max_levels) {
        broken(path + ".subtreeLevels", "is ", t->subtree_levels, "; this viewer reads subtrees of up to ",
               max_levels, " levels");
    }
    if (const json* available = member(j, "availableLevels")) {
        t->available_levels = count(*available, path + ".availableLevels", 1);
    } else if (const json* maximum = member(j, "maximumLevel")) {  // the 1.0 extension's draft
        t->available_levels = count(*maximum, path + ".maximumLevel", 0) + 1;
    } else {
        broken(path, "has no availableLevels");
    }
    if (t->available_levels > max_available_levels) {
        warn(path + ".availableLevels", "is ", t->available_levels, "; only the first ", max_available_levels,
             " levels are shown");
        t->available_levels = max_available_levels;
    }

    const json* subtrees = member(j, "subtrees");
    const json* subtrees_uri = subtrees && subtrees->is_object() ? member(*subtrees, "uri") : nullptr;
    if (!subtrees_uri || !subtrees_uri->is_string()) broken(path, "has no subtrees.uri");
    t->subtrees_uri = core::resolve_uri(uri_, subtrees_uri->get_ref<const std::string&>());

    if (raw.kind == RawVolume::Kind::sphere) {
        broken(path, "needs a box or region bounding volume on its tile, not a sphere");
    }
    t->root_is_region = raw.kind == RawVolume::Kind::region;
    if (t->root_is_region) {
        t->root_region = region_of(raw);
    } else {
        const auto& v = raw.v;
        t->root_box.center = {v[0], v[1], v[2]};
        t->root_box.half_axes = glm::dmat3(v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
    }
    t->transform = tile.transform;
    t->root_geometric_error = tile.geometric_error;
    t->refine = tile.refine;

    // Content URIs are templates here: the contents themselves appear with availability.
    if (contents) {
        for (size_t i = 0; i < contents->size(); ++i) {
            // A template without a URI stays as "" so that content availability keeps its index.
            std::optional<TileContent> c =
                content((*contents)[i], element_path(contents_path, i), tile.transform);
            t->content_uris.push_back(c ? std::move(c->uri) : std::string());
            t->content_bounds.push_back(c ? c->bounds : std::nullopt);
            t->content_groups.push_back(c ? c->group : -1);
        }
    }
    return t;
}

std::unique_ptr<Tile> TilesetParser::tile(const json& j, const std::string& path, Tile* parent,
                                          const glm::dmat4& parent_world, Refine parent_refine,
                                          uint32_t depth) {
    if (!j.is_object()) broken(path, "is not a JSON object");
    auto t = std::make_unique<Tile>();
    t->parent = parent;
    t->depth = depth;
    t->tileset_uri = uri_ptr_;

    t->transform = parent_world;
    bool usable = true;  // false: a transform that places nothing; the tile stays, empty
    if (const json* transform = member(j, "transform")) {
        const std::optional<glm::dmat4> world = own_transform(*transform, path + ".transform", parent_world);
        usable = world.has_value();
        if (usable) t->transform = *world;
    }

    const json* bv = member(j, "boundingVolume");
    if (!bv) broken(path, "has no boundingVolume");
    const RawVolume raw = volume(*bv, path + ".boundingVolume");
    t->bounds = to_bounds(raw, t->transform);
    if (const json* vrv = member(j, "viewerRequestVolume")) {
        t->viewer_request_volume = to_bounds(volume(*vrv, path + ".viewerRequestVolume"), t->transform);
    }

    const json* error = member(j, "geometricError");
    if (!error) broken(path, "has no geometricError");
    const double e = number(*error, path + ".geometricError");
    if (e < 0) broken(path + ".geometricError", "is negative (", e, ")");
    t->geometric_error = e * max_scale(t->transform);

    t->refine = parent_refine;
    if (const json* refine = member(j, "refine")) {
        const std::string r = refine->is_string() ? refine->get<std::string>() : "";
        if (r == "ADD" || r == "add") {
            t->refine = Refine::add;
        } else if (r == "REPLACE" || r == "replace") {
            t->refine = Refine::replace;
        } else {
            warn(path + ".refine", "is ", refine->dump(),
                 ", not ADD or REPLACE; the parent's refinement is used");
        }
    }

    // 1.1 `contents`, the 1.0 extension 3DTILES_multiple_contents, or a single `content`.
    const json* extensions = member(j, "extensions");
    const json* contents = member(j, "contents");
    std::string contents_path = path + ".contents";
    if (!contents && extensions && extensions->is_object()) {
        if (const json* mc = member(*extensions, "3DTILES_multiple_contents")) {
            contents = mc->is_object() ? member(*mc, "contents") : nullptr;
            contents_path = path + ".extensions.3DTILES_multiple_contents.contents";
        }
    }
    if (contents && !contents->is_array()) broken(contents_path, "is not an array");
    // `content` as a one-element `contents`; its path stays "content" in messages.
    json single_content = json::array();
    if (const json* c = member(j, "content")) {
        if (contents) {
            warn(path, "has both content and contents; content is ignored");
        } else {
            single_content.push_back(*c);
            contents = &single_content;
            contents_path = path + ".content";
        }
    }

    const json* implicit = member(j, "implicitTiling");
    if (!implicit && extensions && extensions->is_object()) {
        implicit = member(*extensions, "3DTILES_implicit_tiling");  // the 1.0 extension's draft
    }
    if (!usable) return t;  // its bounds (under the parent's transform) stay for selection
    if (implicit) {
        t->implicit = implicit_tiling(*implicit, path + ".implicitTiling", *t, raw, contents, contents_path);
        t->subtree_pending = true;
        t->subtree_uri = expand_template(t->implicit->subtrees_uri, t->coord);
        if (member(j, "children")) warn(path, "has implicitTiling and children; the children are ignored");
        return t;
    }

    if (contents) {
        for (size_t i = 0; i < contents->size(); ++i) {
            if (auto c = content((*contents)[i], element_path(contents_path, i), t->transform))
                t->contents.push_back(std::move(*c));
        }
    }

    if (const json* children = member(j, "children")) {
        if (!children->is_array()) broken(path + ".children", "is not an array");
        if (!children->empty() && depth + 1 - base_depth_ > max_nesting) {
            fail("tileset '", shown_, "' is broken: its tiles nest more than ", max_nesting,
                 " levels deep; this viewer refuses such trees");
        }
        t->children.reserve(children->size());
        for (size_t i = 0; i < children->size(); ++i) {
            t->children.push_back(tile((*children)[i], path + ".children[" + std::to_string(i) + "]", t.get(),
                                       t->transform, t->refine, depth + 1));
        }
    }
    return t;
}

}  // namespace

ParsedTileset parse_tileset(std::span<const uint8_t> bytes, const std::string& uri,
                            const glm::dmat4& parent_transform, Refine parent_refine, uint32_t depth,
                            const std::vector<std::string>& ancestors) {
    if (const auto it = std::find(ancestors.begin(), ancestors.end(), uri); it != ancestors.end()) {
        std::ostringstream s;
        s << "external tileset cycle: '" << display_uri(*it) << "'";
        for (auto a = it + 1; a != ancestors.end(); ++a) {
            s << " includes '" << display_uri(*a) << "', which";
        }
        s << " includes '" << display_uri(uri) << "' again";
        throw Error(s.str());
    }

    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (core::json_nesting_depth(text) > core::max_json_depth)
        fail("tileset '", display_uri(uri), "' nests its JSON more than ", core::max_json_depth,
             " levels deep; refused");
    json j;
    try {
        j = json::parse(bytes.begin(), bytes.end());
    } catch (const json::exception& e) {
        fail("tileset '", display_uri(uri), "' is not JSON: ", json_message(e));
    }
    const std::string shown = display_uri(uri);
    if (!j.is_object()) fail("'", shown, "' is not a 3D Tiles tileset: it is JSON but not an object");
    const json* asset = member(j, "asset");
    const json* root = member(j, "root");
    if (!asset || !root) {
        fail("'", shown, "' is not a 3D Tiles tileset: it has no \"", asset ? "root" : "asset", "\"",
             member(j, "meshes") ? " (it looks like glTF)" : "");
    }

    ParsedTileset out;
    const json* version = asset->is_object() ? member(*asset, "version") : nullptr;
    if (!version || !version->is_string()) fail("tileset '", shown, "' is broken: asset.version is missing");
    out.version = version->get<std::string>();
    if (out.version != "1.0" && out.version != "1.1") {
        out.warnings.push_back("tileset '" + shown + "' has version " + out.version +
                               "; this viewer knows 3D Tiles 1.0 and 1.1 and reads it as those");
    }

    const json* error = member(j, "geometricError");
    if (!error) fail("tileset '", shown, "' is broken: the top-level geometricError is missing");
    if (!error->is_number() || !std::isfinite(error->get<double>()) || error->get<double>() < 0) {
        fail("tileset '", shown, "' is broken: the top-level geometricError is not a number >= 0");
    }
    out.geometric_error = error->get<double>();

    if (const json* required = member(j, "extensionsRequired"); required && required->is_array()) {
        static const char* const known[] = {"3DTILES_content_gltf", "3DTILES_implicit_tiling",
                                            "3DTILES_multiple_contents", "3DTILES_metadata"};
        for (const json& e : *required) {
            if (!e.is_string()) continue;
            const std::string name = e.get<std::string>();
            if (std::find(std::begin(known), std::end(known), name) == std::end(known)) {
                out.warnings.push_back("tileset '" + shown + "' requires the extension " + name +
                                       ", which this viewer does not know; it may show wrongly");
            }
        }
    }

    TilesetParser parser(uri, depth, out);
    out.root = parser.tile(*root, "root", nullptr, parent_transform, parent_refine, depth);
    parser.finish();
    return out;
}

}  // namespace zw::tiles
