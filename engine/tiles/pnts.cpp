// pnts point clouds: the feature table's per-point properties (plain, quantised,
// oct-encoded or Draco-compressed) become one points primitive with vertex colours, the
// batch table a property table indexed by the batch ids.
#include "engine/tiles/pnts.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>

#include <draco/compression/decode.h>
#include <glm/gtc/matrix_transform.hpp>

#include "engine/core/error.h"
#include "engine/core/number_text.h"
#include "engine/tiles/legacy_tile.h"

namespace zw::tiles {
namespace {

using json = LegacyTile::json;

// A tile of more points than this is refused (36 bytes each on the CPU and the GPU).
constexpr uint32_t max_points = 1u << 24;

const json* member(const json* o, const char* key) {
    if (!o || !o->is_object()) return nullptr;
    auto it = o->find(key);
    return it == o->end() ? nullptr : &*it;
}

template <typename T>
T load(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

// pnts colours are sRGB; a gltf::Vertex holds linear colour.
uint8_t srgb_to_linear(double c) {
    c = std::clamp(c, 0.0, 1.0);
    const double l = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    return uint8_t(l * 255.0 + 0.5);
}

// 3D Tiles' oct encoding (as CesiumJS's AttributeCompression.octDecode), `range` 255.
glm::vec3 oct_decode(uint8_t x, uint8_t y) {
    glm::vec2 e(float(x) / 255.0f * 2.0f - 1.0f, float(y) / 255.0f * 2.0f - 1.0f);
    glm::vec3 n(e.x, e.y, 1.0f - std::abs(e.x) - std::abs(e.y));
    if (n.z < 0.0f) {
        const float ox = n.x;
        n.x = (1.0f - std::abs(n.y)) * (ox >= 0.0f ? 1.0f : -1.0f);
        n.y = (1.0f - std::abs(ox)) * (n.y >= 0.0f ? 1.0f : -1.0f);
    }
    const float len = glm::length(n);
    return len > 0.0f ? n / len : glm::vec3(0, 0, 1);
}

// 3DTILES_draco_point_compression: the properties it holds, decoded.
class DracoPoints {
  public:
    DracoPoints(const LegacyTile& tile, const json& ext, uint32_t points) : tile_(tile) {
        const json* properties = member(&ext, "properties");
        const json* offset = member(&ext, "byteOffset");
        const json* length = member(&ext, "byteLength");
        if (!properties || !properties->is_object() || !offset || !offset->is_number_unsigned() || !length ||
            !length->is_number_unsigned())
            tile.broken("its 3DTILES_draco_point_compression lacks properties, byteOffset or byteLength");
        const auto bin = tile.feature_binary();
        const uint64_t at = offset->get<uint64_t>(), n = length->get<uint64_t>();
        if (at > bin.size() || n > bin.size() - at)
            tile.broken("its Draco data reads past the end of the feature table's binary");
        draco::DecoderBuffer buffer;
        buffer.Init(reinterpret_cast<const char*>(bin.data() + at), size_t(n));
        draco::Decoder decoder;
        try {
            auto decoded = decoder.DecodePointCloudFromBuffer(&buffer);
            if (!decoded.ok())
                tile.broken("its Draco point data does not decode (" + decoded.status().error_msg_string() +
                            ")");
            pc_ = std::move(decoded).value();
        } catch (const std::bad_alloc&) {
            tile.broken("its Draco point data claims more than can be decoded");
        }
        if (!pc_ || pc_->num_points() != points)
            tile.broken("its Draco point data holds " + std::to_string(pc_ ? pc_->num_points() : 0) +
                        " points, POINTS_LENGTH says " + std::to_string(points));
        for (const auto& [name, id] : properties->items())
            ids_[name] = id.is_number_unsigned() && id.get<uint64_t>() <= UINT32_MAX
                             ? int64_t(id.get<uint64_t>())
                             : -1;
    }

    bool has(const std::string& name) const { return ids_.count(name) > 0; }

    // Property `name` as `components` doubles per point (integers exact; normalised
    // integers as stored, not scaled).
    std::vector<double> values(const std::string& name, int components) const {
        return values(name, ids_.at(name), components);
    }
    // The same for the attribute with Draco id `id` (batch table properties name theirs).
    std::vector<double> values(const std::string& name, int64_t id, int components) const {
        const draco::PointAttribute* a =
            id < 0 || id > UINT32_MAX ? nullptr : pc_->GetAttributeByUniqueId(uint32_t(id));
        if (!a) tile_.broken("its Draco data has no attribute for " + name);
        if (a->num_components() != components)
            tile_.broken(name + " has " + std::to_string(a->num_components()) +
                         " components in the Draco data, " + std::to_string(components) + " expected");
        // Read as stored: ConvertValue would scale a normalised attribute to 0..1.
        std::vector<double> out;
        out.reserve(size_t(pc_->num_points()) * size_t(components));
        const size_t size = draco::DataTypeLength(a->data_type());
        if (size == 0 || a->byte_stride() < int64_t(size) * components)
            tile_.broken(name + " has an odd Draco layout");
        std::vector<uint8_t> raw(size_t(a->byte_stride()));
        for (draco::PointIndex p(0); p < pc_->num_points(); ++p) {
            a->GetValue(a->mapped_index(p), raw.data());

            for (int c = 0; c < components; ++c) {
                const uint8_t* v = raw.data() + size_t(c) * size;
                switch (a->data_type()) {
                    case draco::DT_INT8:
                        out.push_back(load<int8_t>(v));
                        break;
                    case draco::DT_UINT8:
                        out.push_back(load<uint8_t>(v));
                        break;
                    case draco::DT_INT16:
                        out.push_back(load<int16_t>(v));
                        break;
                    case draco::DT_UINT16:
                        out.push_back(load<uint16_t>(v));
                        break;
                    case draco::DT_INT32:
                        out.push_back(load<int32_t>(v));
                        break;
                    case draco::DT_UINT32:
                        out.push_back(load<uint32_t>(v));
                        break;
                    case draco::DT_FLOAT32:
                        out.push_back(load<float>(v));
                        break;
                    case draco::DT_FLOAT64:
                        out.push_back(load<double>(v));
                        break;
                    default:
                        tile_.broken(name + " has a Draco data type Zwilling does not read");
                }
            }
        }
        return out;
    }

  private:
    const LegacyTile& tile_;
    std::unique_ptr<draco::PointCloud> pc_;
    std::map<std::string, int64_t> ids_;
};

// One per-point property, from the feature table's binary or from Draco, as doubles.
class Properties {
  public:
    Properties(const LegacyTile& tile, uint32_t points) : tile_(tile), points_(points) {
        if (const json* ext =
                member(member(&tile.feature_table(), "extensions"), "3DTILES_draco_point_compression"))
            draco_ = std::make_unique<DracoPoints>(tile, *ext, points);
    }

    bool has(const char* name) const {
        return (draco_ && draco_->has(name)) || member(&tile_.feature_table(), name) != nullptr;
    }

    // `components` values per point; empty when the tile does not have it.
    std::vector<double> read(const char* name, size_t components, const char* default_type,
                             std::initializer_list<const char*> allowed = {}) const {
        if (draco_ && draco_->has(name)) return draco_->values(name, int(components));
        const auto p = tile_.binary_property(name, points_, components, default_type, allowed);
        std::vector<double> out;
        if (p.bytes.empty()) return out;
        out.reserve(size_t(points_) * components);
        for (size_t i = 0; i < size_t(points_) * components; ++i) {
            const uint8_t* v = p.bytes.data() + i * p.component_size;
            const std::string& t = p.component_type;
            out.push_back(t == "FLOAT"            ? double(load<float>(v))
                          : t == "DOUBLE"         ? load<double>(v)
                          : t == "UNSIGNED_BYTE"  ? double(*v)
                          : t == "BYTE"           ? double(int8_t(*v))
                          : t == "UNSIGNED_SHORT" ? double(load<uint16_t>(v))
                          : t == "SHORT"          ? double(load<int16_t>(v))
                          : t == "INT"            ? double(load<int32_t>(v))
                                                  : double(load<uint32_t>(v)));
        }
        return out;
    }

    const DracoPoints* draco() const { return draco_.get(); }

  private:
    const LegacyTile& tile_;
    uint32_t points_;
    std::unique_ptr<DracoPoints> draco_;
};

// Batch table properties that 3DTILES_draco_point_compression holds, as text per point.
void add_draco_batch_properties(const json& batch_json, const DracoPoints* draco, gltf::PropertyTable& table,
                                std::vector<std::string>& warnings) {
    const json* props =
        member(member(member(&batch_json, "extensions"), "3DTILES_draco_point_compression"), "properties");
    if (!props || !props->is_object()) return;
    for (const auto& [name, id] : props->items()) {
        const json* decl = member(&batch_json, name.c_str());
        const std::string type = decl && member(decl, "type") && member(decl, "type")->is_string()
                                     ? member(decl, "type")->get<std::string>()
                                     : "SCALAR";
        const int n = type == "VEC4" ? 4 : type == "VEC3" ? 3 : type == "VEC2" ? 2 : 1;
        std::vector<double> v;
        try {
            const bool valid = id.is_number_unsigned() && id.get<uint64_t>() <= UINT32_MAX;
            v = draco->values(name, valid ? int64_t(id.get<uint64_t>()) : -1, n);
        } catch (const Error& e) {
            warnings.push_back("batch table property '" + name + "' skipped: " + e.what());
            continue;
        }
        std::vector<std::string> column;
        for (size_t i = 0; i + size_t(n) <= v.size(); i += size_t(n)) {
            std::string text;
            for (int c = 0; c < n; ++c)
                text += (c ? ", " : "") + core::number_text(v[i + size_t(c)]);
            column.push_back(n > 1 ? "(" + text + ")" : text);
        }
        // LegacyTile::batch_table skipped the declaration (its data is in Draco): replace.
        const auto it = std::find(table.properties.begin(), table.properties.end(), name);
        if (it != table.properties.end()) {
            table.values[size_t(it - table.properties.begin())] = std::move(column);
        } else {
            table.properties.push_back(name);
            table.values.push_back(std::move(column));
        }
    }
    std::erase_if(warnings, [&](const std::string& w) {
        for (const auto& [name, id] : props->items())
            if (w.rfind("batch table property '" + name + "' skipped", 0) == 0) return true;
        return false;
    });
}

// The batch table's JSON (pnts has none of b3dm's pre-1.0 headers: the sections follow
// the 28-byte header in order). LegacyTile::batch_table has checked its nesting.
json batch_json(std::span<const uint8_t> bytes) {
    if (bytes.size() < 28) return json::object();
    const uint64_t at = 28 + uint64_t(load<uint32_t>(&bytes[12])) + load<uint32_t>(&bytes[16]);
    const uint64_t length = load<uint32_t>(&bytes[20]);
    if (length == 0 || at > bytes.size() || length > bytes.size() - at) return json::object();
    json j =
        json::parse(bytes.begin() + ptrdiff_t(at), bytes.begin() + ptrdiff_t(at + length), nullptr, false);
    return j.is_object() ? j : json::object();
}

}  // namespace

DecodedContent decode_pnts(std::span<const uint8_t> bytes, const std::string& uri,
                           const glm::dmat4& tile_transform) {
    DecodedContent out;
    const LegacyTile tile(bytes, uri, "pnts", 28, out.warnings);
    const uint32_t n = tile.required_count("POINTS_LENGTH", max_points);
    const Properties props(tile, n);

    // Positions in doubles, re-centred below so that floats keep their precision.
    std::vector<glm::dvec3> positions(n);
    if (props.has("POSITION")) {
        const auto p = props.read("POSITION", 3, "FLOAT");
        for (uint32_t i = 0; i < n; ++i)
            positions[i] = {p[3 * i], p[3 * i + 1], p[3 * i + 2]};
    } else if (props.has("POSITION_QUANTIZED")) {
        const auto offset = tile.global_numbers("QUANTIZED_VOLUME_OFFSET", 3);
        const auto scale = tile.global_numbers("QUANTIZED_VOLUME_SCALE", 3);
        if (!offset || !scale)
            tile.broken("POSITION_QUANTIZED needs QUANTIZED_VOLUME_OFFSET and QUANTIZED_VOLUME_SCALE");
        const auto q = props.read("POSITION_QUANTIZED", 3, "UNSIGNED_SHORT");
        for (uint32_t i = 0; i < n; ++i)
            for (int k = 0; k < 3; ++k)
                positions[i][k] = (*offset)[size_t(k)] + q[3 * i + size_t(k)] / 65535.0 * (*scale)[size_t(k)];
    } else if (n > 0) {
        tile.broken("its feature table has neither POSITION nor POSITION_QUANTIZED");
    }
    geo::Aabb local;
    for (const auto& p : positions) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z))
            tile.broken("a point position is not a finite number");
        local.extend(p);
    }
    const glm::dvec3 centre = n ? local.center() : glm::dvec3(0.0);

    std::vector<gltf::Vertex> vertices(n);
    for (uint32_t i = 0; i < n; ++i) {
        vertices[i].position = glm::vec3(positions[i] - centre);
        vertices[i].normal = glm::vec3(0.0f);  // mesh.frag lights points without normals as facing up
        vertices[i].uv = glm::vec2(0.0f);
        std::memset(vertices[i].color, 255, 4);
    }

    // Colour: RGBA, then RGB, then RGB565, then CONSTANT_RGBA, as the spec orders them.
    auto set_colour = [&](uint32_t i, double r, double g, double b, double a) {
        vertices[i].color[0] = srgb_to_linear(r);
        vertices[i].color[1] = srgb_to_linear(g);
        vertices[i].color[2] = srgb_to_linear(b);
        vertices[i].color[3] = uint8_t(std::clamp(a, 0.0, 1.0) * 255.0 + 0.5);
    };
    if (props.has("RGBA")) {
        const auto c = props.read("RGBA", 4, "UNSIGNED_BYTE");
        for (uint32_t i = 0; i < n; ++i)
            set_colour(i, c[4 * i] / 255.0, c[4 * i + 1] / 255.0, c[4 * i + 2] / 255.0, c[4 * i + 3] / 255.0);
    } else if (props.has("RGB")) {
        const auto c = props.read("RGB", 3, "UNSIGNED_BYTE");
        for (uint32_t i = 0; i < n; ++i)
            set_colour(i, c[3 * i] / 255.0, c[3 * i + 1] / 255.0, c[3 * i + 2] / 255.0, 1.0);
    } else if (props.has("RGB565")) {
        const auto c = props.read("RGB565", 1, "UNSIGNED_SHORT");
        for (uint32_t i = 0; i < n; ++i) {
            const auto v = uint32_t(c[i]);
            set_colour(i, ((v >> 11) & 31) / 31.0, ((v >> 5) & 63) / 63.0, (v & 31) / 31.0, 1.0);
        }
    } else if (const auto constant = tile.global_numbers("CONSTANT_RGBA", 4)) {
        const auto& c = *constant;
        for (uint32_t i = 0; i < n; ++i)
            set_colour(i, c[0] / 255.0, c[1] / 255.0, c[2] / 255.0, c[3] / 255.0);
    }

    if (props.has("NORMAL")) {
        const auto v = props.read("NORMAL", 3, "FLOAT");
        for (uint32_t i = 0; i < n; ++i) {
            const glm::vec3 nrm{float(v[3 * i]), float(v[3 * i + 1]), float(v[3 * i + 2])};
            const float len = glm::length(nrm);
            vertices[i].normal = std::isfinite(len) && len > 0.0f ? nrm / len : glm::vec3(0.0f);
        }
    } else if (props.has("NORMAL_OCT16P")) {
        const auto v = props.read("NORMAL_OCT16P", 2, "UNSIGNED_BYTE");
        for (uint32_t i = 0; i < n; ++i)
            vertices[i].normal = oct_decode(uint8_t(v[2 * i]), uint8_t(v[2 * i + 1]));
    }

    // Features: the batch ids index the batch table; without them, it has a row per point.
    std::vector<uint32_t> feature_ids;
    uint32_t features = n;
    if (props.has("BATCH_ID")) {
        features = tile.batch_length();
        if (features == 0) tile.broken("it has BATCH_ID but no BATCH_LENGTH");
        const auto ids =
            props.read("BATCH_ID", 1, "UNSIGNED_SHORT", {"UNSIGNED_BYTE", "UNSIGNED_SHORT", "UNSIGNED_INT"});
        size_t beyond = 0;
        feature_ids.resize(n);
        for (uint32_t i = 0; i < n; ++i) {
            const bool ok = ids[i] >= 0 && ids[i] < features;
            feature_ids[i] = ok ? uint32_t(ids[i]) : UINT32_MAX;
            beyond += ok ? 0 : 1;
        }
        if (beyond)
            out.warnings.push_back(std::to_string(beyond) + " points have a BATCH_ID beyond BATCH_LENGTH " +
                                   std::to_string(features) + "; they have no attributes");
    }
    gltf::PropertyTable table = tile.batch_table(features, out.warnings);
    if (props.draco()) add_draco_batch_properties(batch_json(bytes), props.draco(), table, out.warnings);
    const bool has_table = !table.properties.empty();
    if (has_table && feature_ids.empty()) {
        feature_ids.resize(n);
        for (uint32_t i = 0; i < n; ++i)
            feature_ids[i] = i;
    }

    gltf::Model& m = out.model;
    m.name = tile.shown();
    if (n == 0) {
        out.kind = DecodedContent::Kind::empty;
        return out;
    }
    gltf::Primitive prim;
    prim.topology = gltf::Topology::points;
    prim.vertex_count = n;
    prim.material = 0;
    prim.property_table = has_table ? 0 : -1;
    for (const auto& v : vertices)
        prim.bounds.extend(glm::dvec3(v.position));
    m.vertices = std::move(vertices);
    m.feature_ids = std::move(feature_ids);
    if (has_table) m.property_tables.push_back(std::move(table));
    m.materials.emplace_back().name = "pnts";
    gltf::Mesh& mesh = m.meshes.emplace_back();
    mesh.name = "points";
    mesh.primitives.push_back(prim);
    mesh.bounds = prim.bounds;
    const glm::dmat4 world = tile_transform * glm::translate(glm::dmat4(1.0), tile.rtc_center() + centre);
    m.instances.push_back(gltf::make_instance(0, prim.bounds, world));
    m.bounds = m.instances[0].world_bounds;
    out.kind = DecodedContent::Kind::model;
    return out;
}

}  // namespace zw::tiles
