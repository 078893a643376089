// Draco-compressed test contents made with libdraco's encoder: meshes and point clouds,
// and a glb around one Draco primitive (KHR_draco_mesh_compression). Used by the unit
// tests (tests/unit/draco_test.cpp, pnts_test.cpp) and by tests/tiles/make_tiles.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <draco/compression/encode.h>
#include <draco/mesh/mesh.h>
#include <draco/point_cloud/point_cloud.h>
#include <nlohmann/json.hpp>

#include "tests/tiles/tile_writer.h"

namespace zw::test {

// A triangle mesh or point cloud to encode. Empty arrays are left out.
struct DracoInput {
    std::vector<float> positions;  // xyz per vertex
    std::vector<float> normals;    // xyz per vertex
    std::vector<float> uvs;        // uv per vertex
    std::vector<uint8_t> colors;   // color_components per vertex (normalised)
    int color_components = 4;
    std::vector<uint16_t> batch_ids;  // per vertex, a generic attribute (_BATCHID, _FEATURE_ID_0)
    std::vector<uint16_t> extra;      // per vertex, another generic attribute ("EXTRA")
    std::vector<uint32_t> triangles;  // empty: a point cloud
    int position_bits = 14;           // quantisation (0: none)
    bool sequential = false;          // MESH_SEQUENTIAL_ENCODING instead of edgebreaker
};

struct DracoOutput {
    std::vector<uint8_t> bytes;
    // Attribute name ("POSITION", "NORMAL", "TEXCOORD_0", "COLOR_0", "BATCH_ID") to the
    // Draco attribute's unique id.
    std::map<std::string, int> ids;
};

inline DracoOutput encode_draco(const DracoInput& in) {
    const size_t n = in.positions.size() / 3;
    std::unique_ptr<draco::PointCloud> pc;
    if (in.triangles.empty()) {
        pc = std::make_unique<draco::PointCloud>();
    } else {
        auto mesh = std::make_unique<draco::Mesh>();
        for (size_t t = 0; t + 2 < in.triangles.size(); t += 3)
            mesh->AddFace({draco::PointIndex(in.triangles[t]), draco::PointIndex(in.triangles[t + 1]),
                           draco::PointIndex(in.triangles[t + 2])});
        pc = std::move(mesh);
    }
    pc->set_num_points(uint32_t(n));
    DracoOutput out;
    auto add = [&](const char* name, draco::GeometryAttribute::Type type, draco::DataType data_type,
                   int components, bool normalized, const void* data, size_t element_bytes) {
        draco::GeometryAttribute ga;
        ga.Init(type, nullptr, int8_t(components), data_type, normalized, int64_t(element_bytes), 0);
        const int id = pc->AddAttribute(ga, true, uint32_t(n));
        draco::PointAttribute* a = pc->attribute(id);
        for (size_t i = 0; i < n; ++i)
            a->SetAttributeValue(draco::AttributeValueIndex(uint32_t(i)),
                                 static_cast<const uint8_t*>(data) + i * element_bytes);
        out.ids[name] = int(a->unique_id());
    };
    add("POSITION", draco::GeometryAttribute::POSITION, draco::DT_FLOAT32, 3, false, in.positions.data(), 12);
    if (!in.normals.empty())
        add("NORMAL", draco::GeometryAttribute::NORMAL, draco::DT_FLOAT32, 3, false, in.normals.data(), 12);
    if (!in.uvs.empty())
        add("TEXCOORD_0", draco::GeometryAttribute::TEX_COORD, draco::DT_FLOAT32, 2, false, in.uvs.data(), 8);
    if (!in.colors.empty())
        add("COLOR_0", draco::GeometryAttribute::COLOR, draco::DT_UINT8, in.color_components, true,
            in.colors.data(), size_t(in.color_components));
    if (!in.batch_ids.empty())
        add("BATCH_ID", draco::GeometryAttribute::GENERIC, draco::DT_UINT16, 1, false, in.batch_ids.data(),
            2);
    if (!in.extra.empty())
        add("EXTRA", draco::GeometryAttribute::GENERIC, draco::DT_UINT16, 1, false, in.extra.data(), 2);

    draco::Encoder encoder;
    if (in.position_bits > 0)
        encoder.SetAttributeQuantization(draco::GeometryAttribute::POSITION, in.position_bits);
    encoder.SetAttributeQuantization(draco::GeometryAttribute::NORMAL, 10);
    encoder.SetAttributeQuantization(draco::GeometryAttribute::TEX_COORD, 12);
    if (in.sequential) encoder.SetEncodingMethod(draco::MESH_SEQUENTIAL_ENCODING);
    draco::EncoderBuffer buffer;
    const draco::Status status =
        in.triangles.empty() ? encoder.EncodePointCloudToBuffer(*pc, &buffer)
                             : encoder.EncodeMeshToBuffer(*static_cast<draco::Mesh*>(pc.get()), &buffer);
    if (!status.ok()) throw std::runtime_error("draco: " + status.error_msg_string());
    out.bytes.assign(buffer.data(), buffer.data() + buffer.size());
    return out;
}

// A glb with one mesh of one Draco-compressed primitive (triangles, or points when
// `in.triangles` is empty). The generic attribute is named `batch_name` (_BATCHID for
// b3dm, _FEATURE_ID_0 for EXT_mesh_features). Accessors declare what the spec wants:
// float positions/normals/uvs, normalised unsigned-byte colours, unsigned-short ids.
inline std::vector<uint8_t> draco_glb(const DracoInput& in, const std::string& batch_name = "_BATCHID",
                                      DracoOutput* encoded = nullptr) {
    const DracoOutput d = encode_draco(in);
    if (encoded) *encoded = d;
    const size_t n = in.positions.size() / 3;
    ordered_json accessors = ordered_json::array();
    ordered_json attributes = ordered_json::object(), draco_attributes = ordered_json::object();
    auto accessor = [&](const std::string& name, const std::string& draco_name, int component,
                        const char* type, bool normalized) {
        ordered_json a = {{"componentType", component}, {"count", n}, {"type", type}};
        if (normalized) a["normalized"] = true;
        if (name == "POSITION") {
            float lo[3] = {1e30f, 1e30f, 1e30f}, hi[3] = {-1e30f, -1e30f, -1e30f};
            for (size_t i = 0; i < n; ++i)
                for (int k = 0; k < 3; ++k) {
                    lo[k] = std::min(lo[k], in.positions[3 * i + size_t(k)]);
                    hi[k] = std::max(hi[k], in.positions[3 * i + size_t(k)]);
                }
            a["min"] = {lo[0], lo[1], lo[2]};
            a["max"] = {hi[0], hi[1], hi[2]};
        }
        attributes[name] = accessors.size();
        draco_attributes[name] = d.ids.at(draco_name);
        accessors.push_back(a);
    };
    accessor("POSITION", "POSITION", 5126, "VEC3", false);
    if (!in.normals.empty()) accessor("NORMAL", "NORMAL", 5126, "VEC3", false);
    if (!in.uvs.empty()) accessor("TEXCOORD_0", "TEXCOORD_0", 5126, "VEC2", false);
    if (!in.colors.empty())
        accessor("COLOR_0", "COLOR_0", 5121, in.color_components == 3 ? "VEC3" : "VEC4", true);
    if (!in.batch_ids.empty()) accessor(batch_name, "BATCH_ID", 5123, "SCALAR", false);
    ordered_json primitive = {{"attributes", attributes}};
    if (!in.triangles.empty()) {
        primitive["indices"] = accessors.size();
        accessors.push_back({{"componentType", 5125}, {"count", in.triangles.size()}, {"type", "SCALAR"}});
        primitive["mode"] = 4;
    } else {
        primitive["mode"] = 0;
    }
    primitive["extensions"] = {
        {"KHR_draco_mesh_compression", {{"bufferView", 0}, {"attributes", draco_attributes}}}};
    ordered_json doc = {{"asset", {{"version", "2.0"}}},
                        {"extensionsUsed", {"KHR_draco_mesh_compression"}},
                        {"extensionsRequired", {"KHR_draco_mesh_compression"}},
                        {"scene", 0},
                        {"scenes", {{{"nodes", {0}}}}},
                        {"nodes", {{{"mesh", 0}}}},
                        {"meshes", {{{"primitives", {primitive}}}}},
                        {"accessors", accessors},
                        {"bufferViews", {{{"buffer", 0}, {"byteLength", d.bytes.size()}}}},
                        {"buffers", {{{"byteLength", d.bytes.size()}}}}};
    return make_glb(doc, d.bytes);
}

}  // namespace zw::test
