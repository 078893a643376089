// KHR_draco_mesh_compression: every compressed primitive is decoded with Debian's
// libdraco into plain buffers and accessors, so that the converter sees an ordinary
// glTF. Draco undoes its own quantisation and prediction; the values are written in the
// component type each accessor of the primitive declares, so normalised colours and
// integer feature ids keep the meaning the file gives them.
#include <draco/compression/decode.h>

#include "engine/gltf/internal.h"

namespace zw::gltf::detail {
namespace {

// A hostile file can claim any number of points in a few bytes: what one primitive may
// decode to (vertex attributes and indices together).
constexpr uint64_t max_decoded_primitive_bytes = uint64_t(1) << 30;

template <typename T>
bool convert(const draco::PointAttribute& a, const draco::PointCloud& pc, size_t components, uint8_t* out) {
    std::vector<T> value(components);
    for (draco::PointIndex p(0); p < pc.num_points(); ++p) {
        if (!a.ConvertValue<T>(a.mapped_index(p), int8_t(components), value.data())) return false;
        std::memcpy(out, value.data(), components * sizeof(T));
        out += components * sizeof(T);
    }
    return true;
}

// The values of `a` for every point, as `components` values of glTF component type
// `type` each; false when a value does not fit the type.
bool convert(const draco::PointAttribute& a, const draco::PointCloud& pc, int type, size_t components,
             std::vector<uint8_t>& out) {
    out.resize(size_t(pc.num_points()) * components * component_size(type));
    switch (type) {
        case TINYGLTF_COMPONENT_TYPE_BYTE:
            return convert<int8_t>(a, pc, components, out.data());
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE:
            return convert<uint8_t>(a, pc, components, out.data());
        case TINYGLTF_COMPONENT_TYPE_SHORT:
            return convert<int16_t>(a, pc, components, out.data());
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT:
            return convert<uint16_t>(a, pc, components, out.data());
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT:
            return convert<uint32_t>(a, pc, components, out.data());
        case TINYGLTF_COMPONENT_TYPE_FLOAT:
            return convert<float>(a, pc, components, out.data());
        default:
            return false;
    }
}

// Appends `bytes` as a buffer with one view and an accessor of `count` elements;
// returns the accessor's index.
int append_accessor(tinygltf::Model& m, std::vector<uint8_t> bytes, int component_type, int type,
                    size_t count, bool normalized) {
    tinygltf::Buffer buffer;
    buffer.data = std::move(bytes);
    tinygltf::BufferView view;
    view.buffer = int(m.buffers.size());
    view.byteLength = buffer.data.size();
    m.buffers.push_back(std::move(buffer));
    tinygltf::Accessor accessor;
    accessor.bufferView = int(m.bufferViews.size());
    m.bufferViews.push_back(view);
    accessor.componentType = component_type;
    accessor.type = type;
    accessor.count = count;
    accessor.normalized = normalized;
    m.accessors.push_back(accessor);
    return int(m.accessors.size()) - 1;
}

std::unique_ptr<draco::PointCloud> decode_geometry(std::span<const uint8_t> bytes, const std::string& file,
                                                   const std::string& what) {
    draco::DecoderBuffer buffer;
    buffer.Init(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const auto type = draco::Decoder::GetEncodedGeometryType(&buffer);
    if (!type.ok()) broken(file, what + " is not Draco data (" + type.status().error_msg_string() + ")");
    draco::Decoder decoder;
    std::unique_ptr<draco::PointCloud> geometry;
    if (type.value() == draco::TRIANGULAR_MESH) {
        auto mesh = decoder.DecodeMeshFromBuffer(&buffer);
        if (!mesh.ok()) broken(file, what + " does not decode (" + mesh.status().error_msg_string() + ")");
        geometry = std::move(mesh).value();
    } else if (type.value() == draco::POINT_CLOUD) {
        auto pc = decoder.DecodePointCloudFromBuffer(&buffer);
        if (!pc.ok()) broken(file, what + " does not decode (" + pc.status().error_msg_string() + ")");
        geometry = std::move(pc).value();
    } else {
        broken(file, what + " holds an unknown kind of Draco geometry");
    }
    if (!geometry) broken(file, what + " does not decode");
    return geometry;
}

void decode_primitive(tinygltf::Model& m, tinygltf::Primitive& p, const json& ext, const std::string& file,
                      const std::string& what) {
    const auto view = unsigned_value(member(&ext, "bufferView"));
    if (!view) broken(file, what + " has no bufferView");
    const Reader reader(m, file);
    const std::span<const uint8_t> bytes = reader.buffer_view(size_t(*view));
    if (*view >= m.bufferViews.size() || bytes.empty())
        broken(file, what + " refers to a missing or truncated buffer view " + std::to_string(*view));
    const json* attributes = member(&ext, "attributes");
    if (!attributes || !attributes->is_object()) broken(file, what + " has no attributes");

    std::unique_ptr<draco::PointCloud> geometry;
    try {
        geometry = decode_geometry(bytes, file, what);
    } catch (const std::bad_alloc&) {
        broken(file, what + " claims more data than can be decoded");
    }
    const size_t points = geometry->num_points();
    const auto* mesh = dynamic_cast<const draco::Mesh*>(geometry.get());
    const uint64_t faces = mesh ? mesh->num_faces() : 0;

    uint64_t total = faces * 12;
    for (const auto& [name, id] : attributes->items()) {
        const auto it = p.attributes.find(name);
        if (it == p.attributes.end() || it->second < 0 || it->second >= int(m.accessors.size()))
            broken(file, what + " compresses " + name + ", which the primitive has no accessor for");
        const tinygltf::Accessor& a = m.accessors[it->second];
        const int components = tinygltf::GetNumComponentsInType(a.type);
        const size_t csize = component_size(a.componentType);
        if (components <= 0 || csize == 0) broken(file, what + ": " + name + " has an unknown accessor type");
        total += uint64_t(points) * uint64_t(components) * csize;
        if (total > max_decoded_primitive_bytes) broken(file, what + " decodes to more than 1 GiB");
        if (a.count != points)
            broken(file, what + ": the accessor of " + name + " declares " + std::to_string(a.count) +
                             " vertices, the Draco data holds " + std::to_string(points));
        const auto unique_id = unsigned_value(&id);
        const draco::PointAttribute* source = unique_id && *unique_id <= UINT32_MAX
                                                  ? geometry->GetAttributeByUniqueId(uint32_t(*unique_id))
                                                  : nullptr;
        if (!source)
            broken(file, what + ": " + name + " names Draco attribute " + id.dump() + ", which is not there");
        if (source->num_components() != components)
            broken(file, what + ": " + name + " has " + std::to_string(components) +
                             " components in its accessor and " + std::to_string(source->num_components()) +
                             " in the Draco data");
        std::vector<uint8_t> out;
        if (!convert(*source, *geometry, a.componentType, size_t(components), out))
            broken(file, what + ": " + name + "'s Draco values do not fit its accessor's component type");
        it->second = append_accessor(m, std::move(out), a.componentType, a.type, points, a.normalized);
    }

    if (mesh) {
        std::vector<uint8_t> indices(size_t(faces) * 3 * 4);
        uint8_t* at = indices.data();
        for (draco::FaceIndex f(0); f < mesh->num_faces(); ++f)
            for (int c = 0; c < 3; ++c, at += 4) {
                const uint32_t index = mesh->face(f)[c].value();
                std::memcpy(at, &index, 4);
            }
        p.indices = append_accessor(m, std::move(indices), TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT,
                                    TINYGLTF_TYPE_SCALAR, size_t(faces) * 3, false);
    } else {
        p.indices = -1;  // a point cloud: every point once, in order
    }
}

}  // namespace

bool prepare_draco(json& doc) {
    bool changed = false;
    json* meshes = doc.contains("meshes") && doc["meshes"].is_array() ? &doc["meshes"] : nullptr;
    for (size_t i = 0; meshes && i < meshes->size(); ++i) {
        json& mesh = (*meshes)[i];
        if (!mesh.is_object() || !mesh.contains("primitives") || !mesh["primitives"].is_array()) continue;
        for (json& p : mesh["primitives"])
            if (member(&p, "extensions", "KHR_draco_mesh_compression") && p.contains("indices")) {
                p.erase("indices");
                changed = true;
            }
    }
    return changed;
}

void decode_draco(tinygltf::Model& m, const json& doc, const std::string& file) {
    const json* meshes = member(&doc, "meshes");
    for (size_t i = 0; i < m.meshes.size(); ++i) {
        const json* primitives = member(element(meshes, i), "primitives");
        for (size_t k = 0; k < m.meshes[i].primitives.size(); ++k) {
            const json* ext = member(element(primitives, k), "extensions", "KHR_draco_mesh_compression");
            if (!ext) continue;
            const std::string what = "mesh " + std::to_string(i) + " primitive " + std::to_string(k) +
                                     " (KHR_draco_mesh_compression)";
            decode_primitive(m, m.meshes[i].primitives[k], *ext, file, what);
        }
    }
}

}  // namespace zw::gltf::detail
