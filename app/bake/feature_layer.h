// What every source of the bake (the town generator, the Assimp and CityGML importers)
// hands to the tiler: layers of features, each feature with attribute values and a
// triangle mesh per level of detail. Pure CPU data in the bake's local frame.
//
// The bake's local frame: x east, y north, z up, metres, origin at the town origin
// (an EPSG:25832 easting/northing and a height above sea level, see Frame in
// app/bake/crs.h). Positions are doubles until a tile writer makes them relative to
// the tile centre.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <glm/glm.hpp>

namespace zw::bake {

// Which twins may hold an attribute or a layer. Ordered: a twin holds everything at
// or below its own level (citizen < council < administration).
enum class Access { citizen = 0, council = 1, administration = 2 };
const char* access_name(Access a);  // "citizen", "council", "administration"

enum class PropertyType { string, int32, float64 };

struct PropertyDef {
    std::string name;  // snake_case, ASCII, e.g. "house_number"
    PropertyType type = PropertyType::string;
    Access access = Access::citizen;  // the lowest twin allowed to hold it
    std::string title_de;
    std::string title_en;
};

// One EXT_structural_metadata class, e.g. "building".
struct FeatureClass {
    std::string id;  // e.g. "building"
    std::vector<PropertyDef> properties;
};

using Value = std::variant<int64_t, double, std::string>;

struct Rgba8 {
    uint8_t r = 255, g = 255, b = 255, a = 255;
    bool operator==(const Rgba8&) const = default;
};

// 0xrrggbb, opaque.
inline Rgba8 rgb(uint32_t hex) {
    return {uint8_t(hex >> 16), uint8_t(hex >> 8), uint8_t(hex), 255};
}
// Brightness times f (clamped), opaque.
inline Rgba8 shade(Rgba8 c, double f) {
    auto s = [f](uint8_t v) { return uint8_t(std::clamp(v * f, 0.0, 255.0)); };
    return {s(c.r), s(c.g), s(c.b), 255};
}

// Indexed triangles. `normals` and `colors` are parallel to `positions`.
struct TriMesh {
    std::vector<glm::dvec3> positions;  // bake-local frame
    std::vector<glm::vec3> normals;     // unit length
    std::vector<Rgba8> colors;          // sRGB-encoded
    std::vector<uint32_t> indices;      // three per triangle

    size_t triangle_count() const { return indices.size() / 3; }
    bool empty() const { return indices.empty(); }
    // Appends `other` (indices rebased).
    void append(const TriMesh& other);
};

struct Feature {
    std::vector<Value> values;  // parallel to the class's properties
    // lods[0] is full detail; further entries are coarser stand-ins (e.g. a building as
    // a block). At least one entry, none empty.
    std::vector<TriMesh> lods;
    // A critical site (app/bake/critical_sites.h) as twins that may not name it hold it:
    // its values there (parallel to `values`) and its colours there (colour -> colour, on
    // every level of detail). Both empty for every other feature.
    std::vector<Value> generic_values;
    std::vector<std::pair<Rgba8, Rgba8>> generic_colors;
};

struct FeatureLayer {
    std::string id;  // e.g. "buildings"; a folder name in the bundle
    std::string title_de;
    std::string title_en;
    std::string group;                // e.g. "base", "planning", "infrastructure"
    Access access = Access::citizen;  // the lowest twin allowed to hold the layer
    FeatureClass feature_class;
    std::vector<Feature> features;
};

// Whether some feature of `layer` is a critical site (has generic values).
bool has_critical_sites(const FeatureLayer& layer);
// `layer` as a twin that may not name critical sites holds it: critical sites take their
// generic values; meshes are left out (the tiles carry the geometry).
FeatureLayer generic_view(const FeatureLayer& layer);

}  // namespace zw::bake
