// i3dm (3D Tiles 1.0 Instanced 3D Model): one glTF drawn once per instance with GPU
// instancing. Per instance: POSITION or POSITION_QUANTIZED, an orientation from
// NORMAL_UP/NORMAL_RIGHT (or their OCT32P forms) or EAST_NORTH_UP, SCALE and
// SCALE_NON_UNIFORM, and BATCH_ID into the batch table (a property table: picking and
// attributes per instance). As CesiumJS: in tile space, z up, the glTF arriving through
// the y-up to z-up turn; the model's x goes to right, y to up, z to right x up; the scale
// applies along the model's axes before it is turned.
#include <cmath>
#include <cstring>

#include <glm/gtc/matrix_transform.hpp>

#include "engine/core/error.h"
#include "engine/core/uri.h"
#include "engine/geo/geo.h"
#include "engine/tiles/content_formats.h"
#include "engine/tiles/legacy_tile.h"

namespace zw::tiles {
namespace {

constexpr size_t i3dm_header_bytes = 32;
// More copies than any sensible tile holds (a million trees); a hostile count is refused
// before anything is allocated for it.
constexpr uint32_t max_instances = 1u << 20;
constexpr uint64_t max_copies = uint64_t(1) << 22;  // instances x instanced nodes

template <typename T>
T read(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// A unit vector from two 16-bit octahedron-encoded components (OCT32P).
glm::dvec3 oct_decode(uint16_t x16, uint16_t y16) {
    double x = x16 / 65535.0 * 2.0 - 1.0, y = y16 / 65535.0 * 2.0 - 1.0;
    const double z = 1.0 - std::abs(x) - std::abs(y);
    if (z < 0) {
        const double ox = x;
        x = (1.0 - std::abs(y)) * (ox >= 0 ? 1.0 : -1.0);
        y = (1.0 - std::abs(ox)) * (y >= 0 ? 1.0 : -1.0);
    }
    return glm::normalize(glm::dvec3(x, y, z));
}

// Component `c` of element `i` of a feature table property as a double.
double number(const LegacyTile::BinaryProperty& p, size_t i, size_t components, size_t c) {
    const uint8_t* at = p.bytes.data() + (i * components + c) * p.component_size;
    if (p.component_type == "FLOAT") return read<float>(at);
    if (p.component_type == "UNSIGNED_BYTE") return *at;
    if (p.component_type == "UNSIGNED_SHORT") return read<uint16_t>(at);
    return read<uint32_t>(at);
}

glm::dvec3 vec3(const LegacyTile::BinaryProperty& p, size_t i) {
    return {number(p, i, 3, 0), number(p, i, 3, 1), number(p, i, 3, 2)};
}

// The glTF of the tile: embedded (gltfFormat 1) or named by a URI (0).
gltf::Model load_gltf(const LegacyTile& tile, const std::string& uri, const FetchFn& fetch,
                      std::vector<std::string>& warnings) {
    const uint32_t format = read<uint32_t>(tile.header().data() + 28);
    gltf::LoadOptions options;
    options.warnings = &warnings;
    options.allow_empty = true;
    std::span<const uint8_t> body = tile.body();
    if (format == 1) {
        if (body.empty()) tile.broken("the i3dm holds no glTF");
        if (fetch) options.fetch = [&](const std::string& ref) { return fetch(core::resolve_uri(uri, ref)); };
        return gltf::load_model_from_memory(body, tile.shown(), options);
    }
    if (format != 0)
        tile.broken("gltfFormat is " + std::to_string(format) + " (0: a URI, 1: an embedded glTF)");
    std::string ref(reinterpret_cast<const char*>(body.data()), body.size());
    while (!ref.empty() && (ref.back() == ' ' || ref.back() == '\0'))
        ref.pop_back();
    if (ref.empty()) tile.broken("gltfFormat 0 but no glTF URI after the tables");
    if (!fetch) fail("tile '", tile.shown(), "' names its glTF '", ref, "', which cannot be fetched here");
    const std::string gltf_uri = core::resolve_uri(uri, ref);
    const std::vector<uint8_t> bytes = fetch(gltf_uri);
    options.fetch = [&](const std::string& r) { return fetch(core::resolve_uri(gltf_uri, r)); };
    return gltf::load_model_from_memory(bytes, core::display_uri(gltf_uri), options);
}

}  // namespace

DecodedContent decode_i3dm(std::span<const uint8_t> bytes, const std::string& uri,
                           const glm::dmat4& tile_transform, const FetchFn& fetch) {
    DecodedContent out;
    const LegacyTile tile(bytes, uri, "i3dm", i3dm_header_bytes, out.warnings);
    const uint32_t n = tile.required_count("INSTANCES_LENGTH", max_instances);

    // Positions: float, or quantised in a volume.
    const auto position = tile.binary_property("POSITION", n, 3, "FLOAT");
    const auto quantized = tile.binary_property("POSITION_QUANTIZED", n, 3, "UNSIGNED_SHORT");
    glm::dvec3 q_offset(0.0), q_scale(0.0);
    if (position.bytes.empty() && !quantized.bytes.empty()) {
        const auto offset = tile.global_numbers("QUANTIZED_VOLUME_OFFSET", 3);
        const auto scale = tile.global_numbers("QUANTIZED_VOLUME_SCALE", 3);
        if (!offset || !scale)
            tile.broken("POSITION_QUANTIZED needs QUANTIZED_VOLUME_OFFSET and QUANTIZED_VOLUME_SCALE");
        q_offset = {(*offset)[0], (*offset)[1], (*offset)[2]};
        q_scale = {(*scale)[0], (*scale)[1], (*scale)[2]};
    } else if (position.bytes.empty() && n > 0) {
        tile.broken("its feature table has neither POSITION nor POSITION_QUANTIZED");
    }
    const auto up = tile.binary_property("NORMAL_UP", n, 3, "FLOAT");
    const auto right = tile.binary_property("NORMAL_RIGHT", n, 3, "FLOAT");
    const auto up_oct = tile.binary_property("NORMAL_UP_OCT32P", n, 2, "UNSIGNED_SHORT");
    const auto right_oct = tile.binary_property("NORMAL_RIGHT_OCT32P", n, 2, "UNSIGNED_SHORT");
    const auto scale = tile.binary_property("SCALE", n, 1, "FLOAT");
    const auto scale3 = tile.binary_property("SCALE_NON_UNIFORM", n, 3, "FLOAT");
    const auto batch_id = tile.binary_property("BATCH_ID", n, 1, "UNSIGNED_SHORT",
                                               {"UNSIGNED_BYTE", "UNSIGNED_SHORT", "UNSIGNED_INT"});
    const LegacyTile::json* enu_value = nullptr;
    if (auto it = tile.feature_table().find("EAST_NORTH_UP"); it != tile.feature_table().end())
        enu_value = &*it;
    const bool east_north_up = enu_value && enu_value->is_boolean() && enu_value->get<bool>();
    const bool oriented =
        (!up.bytes.empty() && !right.bytes.empty()) || (!up_oct.bytes.empty() && !right_oct.bytes.empty());
    if (!oriented &&
        (!up.bytes.empty() || !right.bytes.empty() || !up_oct.bytes.empty() || !right_oct.bytes.empty()))
        out.warnings.push_back(
            "i3dm: NORMAL_UP and NORMAL_RIGHT come in pairs; the instances are not turned");
    const glm::dvec3 rtc = tile.rtc_center();

    // Each instance's transform in tile space (below the tile transform and RTC_CENTER).
    std::vector<glm::dmat4> placements;
    std::vector<uint32_t> features;
    placements.reserve(n);
    features.reserve(n);
    uint32_t batch_length = 0;
    size_t dropped = 0;
    for (uint32_t i = 0; i < n; ++i) {
        // Batch ids count every instance, drawn or not: the batch table has a row for each.
        const uint32_t id = batch_id.bytes.empty() ? i : uint32_t(number(batch_id, i, 1, 0));
        batch_length = std::max(batch_length, id + 1);
        const glm::dvec3 p =
            !position.bytes.empty() ? vec3(position, i) : q_offset + vec3(quantized, i) / 65535.0 * q_scale;
        glm::dmat3 rotation(1.0);
        if (oriented) {
            glm::dvec3 u, r;
            if (!up.bytes.empty() && !right.bytes.empty()) {
                u = vec3(up, i);
                r = vec3(right, i);
            } else {
                u = oct_decode(uint16_t(number(up_oct, i, 2, 0)), uint16_t(number(up_oct, i, 2, 1)));
                r = oct_decode(uint16_t(number(right_oct, i, 2, 0)), uint16_t(number(right_oct, i, 2, 1)));
            }
            // Vectors seldom exactly at right angles (decoded ones): keep right, and up in
            // the plane of the two.
            r = glm::normalize(r);
            u = glm::normalize(u - r * glm::dot(u, r));
            rotation = glm::dmat3(r, u, glm::cross(r, u));
        } else if (east_north_up) {
            rotation = geo::enu_axes_at_ecef(rtc + p);
        }
        glm::dvec3 s(1.0);
        if (!scale.bytes.empty()) s *= number(scale, i, 1, 0);
        if (!scale3.bytes.empty()) s *= vec3(scale3, i);
        glm::dmat4 m(rotation);
        m = glm::scale(m, s);
        m[3] = glm::dvec4(p, 1.0);
        bool finite = true;
        for (int c = 0; c < 4; ++c)
            for (int r = 0; r < 3; ++r)
                finite = finite && std::isfinite(m[c][r]);
        if (!finite || std::abs(glm::determinant(glm::dmat3(m))) < 1e-12) {
            ++dropped;  // a zero scale or a broken vector: nothing to draw
            continue;
        }
        placements.push_back(m);
        features.push_back(id);
    }
    if (dropped)
        out.warnings.push_back("i3dm: " + std::to_string(dropped) + " of " + std::to_string(n) +
                               " instances have a zero scale or non-finite values and are not drawn");

    gltf::Model model = load_gltf(tile, uri, fetch, out.warnings);
    // The copies of every mesh instance: instance placement above the node's transform
    // (and above any copies of its own, EXT_mesh_gpu_instancing).
    const glm::dmat4 tile_world = tile_transform * glm::translate(glm::dmat4(1.0), rtc);
    std::vector<gltf::MeshInstance> instances;
    std::vector<gltf::InstanceTransform> transforms;
    geo::Aabb bounds;
    for (const gltf::MeshInstance& inst : model.instances) {
        std::vector<glm::dmat4> own(1, glm::dmat4(1.0));
        if (inst.instance_count > 0) {
            own.clear();
            for (uint32_t j = 0; j < inst.instance_count; ++j) {
                const gltf::InstanceTransform& t = model.instance_transforms[inst.first_instance + j];
                glm::dmat4 c(1.0);
                for (int r = 0; r < 3; ++r)
                    for (int k = 0; k < 4; ++k)
                        c[k][r] = t.rows[r][k];
                own.push_back(c);
            }
        }
        if (uint64_t(own.size()) * placements.size() + transforms.size() > max_copies)
            tile.broken("its instances times the glTF's copies exceed " + std::to_string(max_copies) +
                        " draws");
        std::vector<glm::dmat4> copies;
        std::vector<uint32_t> copy_features;
        for (size_t k = 0; k < placements.size(); ++k)
            for (const glm::dmat4& c : own) {
                copies.push_back(placements[k] * inst.world * c);
                copy_features.push_back(features[k]);
            }
        if (copies.empty()) continue;
        const gltf::MeshInstance mi = gltf::make_instanced(inst.mesh, model.meshes[inst.mesh].bounds,
                                                           tile_world, copies, copy_features, transforms);
        bounds.extend(mi.world_bounds.min);
        bounds.extend(mi.world_bounds.max);
        instances.push_back(mi);
    }
    model.instances = std::move(instances);
    model.instance_transforms = std::move(transforms);
    model.bounds = bounds;

    // The batch table: one row per batch id; every primitive's features are the copies'.
    if (batch_length > 0) {
        model.property_tables.push_back(tile.batch_table(batch_length, out.warnings));
        const int32_t table = int32_t(model.property_tables.size()) - 1;
        for (gltf::Mesh& mesh : model.meshes)
            for (gltf::Primitive& p : mesh.primitives)
                p.property_table = table;
    }
    out.model = std::move(model);
    out.kind = out.model.instances.empty() ? DecodedContent::Kind::empty : DecodedContent::Kind::model;
    return out;
}

}  // namespace zw::tiles
