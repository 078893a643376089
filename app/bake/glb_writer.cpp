// The bake's own glb writer (nlohmann::json and a hand-made GLB container), not
// tinygltf's TinyGLTF::WriteGltfSceneToStream: tinygltf 2.7.0 (Debian's libtinygltf, the
// one zw_tinygltf links) leaves out every property whose value is the glTF default, so
// the bake would not stay byte-identical. Tried (issue 14) on all 1003 glbs of the sample
// town, loaded with tinygltf and written back as GLB: the BIN chunks, key order (both
// sort keys) and number formatting were the same, and every glb differed in the JSON
// chunk, by the same three omissions:
//   - the first buffer view's "byteOffset":0 (SerializeGltfBufferView writes it only
//     when > 0),
//   - the material's "baseColorFactor":[1.0,1.0,1.0,1.0] and "roughnessFactor":1.0
//     (SerializeGltfPbrMetallicRoughness writes them only when not the default),
// 72-76 bytes less each (citizen/buildings/L0_0_0.glb: 1,923,996 -> 1,923,924 bytes),
// so the JSON chunk's length, its space padding and the GLB length differ too. The
// tinygltf glbs mean the same glTF; they are not the same bytes, and the bake promises
// the same bytes for the same recipe.
#include "app/bake/glb_writer.h"

#include <algorithm>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"

namespace zw::bake {
namespace {

using nlohmann::json;

constexpr int GL_FLOAT = 5126, GL_UNSIGNED_BYTE = 5121, GL_UNSIGNED_SHORT = 5123, GL_UNSIGNED_INT = 5125;

class Builder {
  public:
    // Appends bytes as a new buffer view (aligned to 8 for property tables, 4 otherwise).
    int view(const void* data, size_t bytes, int target = 0) {
        while (bin_.size() % 8)
            bin_.push_back(0);
        json v = {{"buffer", 0}, {"byteOffset", bin_.size()}, {"byteLength", bytes}};
        if (target) v["target"] = target;
        const auto* p = static_cast<const uint8_t*>(data);
        bin_.insert(bin_.end(), p, p + bytes);
        views_.push_back(v);
        return int(views_.size() - 1);
    }
    int accessor(int view, int component, size_t count, const char* type, bool normalized = false) {
        json a = {{"bufferView", view}, {"componentType", component}, {"count", count}, {"type", type}};
        if (normalized) a["normalized"] = true;
        accessors_.push_back(a);
        return int(accessors_.size() - 1);
    }
    json& last_accessor() { return accessors_.back(); }

    std::vector<uint8_t> finish(json gltf) {
        while (bin_.size() % 4)
            bin_.push_back(0);
        gltf["buffers"] = json::array({{{"byteLength", bin_.size()}}});
        gltf["bufferViews"] = views_;
        gltf["accessors"] = accessors_;
        std::string text = gltf.dump();
        while (text.size() % 4)
            text.push_back(' ');
        std::vector<uint8_t> out;
        auto u32 = [&out](uint32_t v) {
            for (int i = 0; i < 4; ++i)
                out.push_back(uint8_t(v >> (8 * i)));
        };
        const size_t total = 12 + 8 + text.size() + 8 + bin_.size();
        u32(0x46546C67);  // "glTF"
        u32(2);
        u32(uint32_t(total));
        u32(uint32_t(text.size()));
        u32(0x4E4F534A);  // "JSON"
        out.insert(out.end(), text.begin(), text.end());
        u32(uint32_t(bin_.size()));
        u32(0x004E4942);  // "BIN\0"
        out.insert(out.end(), bin_.begin(), bin_.end());
        return out;
    }

  private:
    std::vector<uint8_t> bin_;
    json views_ = json::array();
    json accessors_ = json::array();
};

// glTF is y-up: east-north-up (x, y, z) is glTF (x, z, -y).
glm::vec3 to_gltf(const glm::vec3& v) {
    return {v.x, v.z, -v.y};
}

struct Chunk {
    std::vector<uint32_t> vertices;  // indices into the tile mesh
    std::vector<uint32_t> indices;   // into `vertices`
};

// Splits the triangles into primitives of at most max_primitive_vertices vertices.
std::vector<Chunk> split(const TileMesh& m) {
    std::vector<Chunk> chunks(1);
    std::vector<uint32_t> remap(m.positions.size(), UINT32_MAX);
    std::vector<uint32_t> touched;
    for (size_t t = 0; t + 2 < m.indices.size(); t += 3) {
        size_t fresh = 0;
        for (int k = 0; k < 3; ++k)
            fresh += remap[m.indices[t + k]] == UINT32_MAX;
        if (chunks.back().vertices.size() + fresh > max_primitive_vertices) {
            for (uint32_t v : touched)
                remap[v] = UINT32_MAX;
            touched.clear();
            chunks.emplace_back();
        }
        Chunk& c = chunks.back();
        for (int k = 0; k < 3; ++k) {
            const uint32_t v = m.indices[t + k];
            if (remap[v] == UINT32_MAX) {
                remap[v] = uint32_t(c.vertices.size());
                c.vertices.push_back(v);
                touched.push_back(v);
            }
            c.indices.push_back(remap[v]);
        }
    }
    return chunks;
}

json property_schema(const PropertyDef& p) {
    switch (p.type) {
        case PropertyType::string:
            return {{"type", "STRING"}, {"name", p.title_en}};
        case PropertyType::int32:
            return {{"type", "SCALAR"}, {"componentType", "INT32"}, {"name", p.title_en}};
        case PropertyType::float64:
            return {{"type", "SCALAR"}, {"componentType", "FLOAT64"}, {"name", p.title_en}};
    }
    return {};
}

}  // namespace

std::vector<uint8_t> write_glb(const TileMesh& mesh, const FeatureLayer* layer,
                               const std::vector<size_t>& properties, const std::string& name,
                               GlbStats* stats) {
    Builder b;
    json gltf;
    gltf["asset"] = {{"version", "2.0"}, {"generator", "zwilling-bake"}};
    gltf["scene"] = 0;
    gltf["scenes"] = json::array({{{"nodes", {0}}}});
    gltf["nodes"] = json::array(
        {{{"mesh", 0}, {"name", name}, {"translation", {mesh.centre.x, mesh.centre.z, -mesh.centre.y}}}});
    gltf["materials"] = json::array(
        {{{"name", "vertex colours"},
          {"pbrMetallicRoughness",
           {{"baseColorFactor", {1.0, 1.0, 1.0, 1.0}}, {"metallicFactor", 0.0}, {"roughnessFactor", 1.0}}}}});
    const bool features = layer != nullptr && !mesh.feature_ids.empty();
    json primitives = json::array();
    GlbStats s;
    for (const Chunk& chunk : split(mesh)) {
        if (chunk.indices.empty()) continue;
        const size_t n = chunk.vertices.size();
        std::vector<glm::vec3> pos(n), nrm(n);
        std::vector<uint8_t> col(n * 4);
        std::vector<float> fid;
        glm::vec3 lo(1e30f), hi(-1e30f);
        std::set<float> unique;
        for (size_t i = 0; i < n; ++i) {
            const uint32_t v = chunk.vertices[i];
            pos[i] = to_gltf(mesh.positions[v]);
            nrm[i] = glm::normalize(to_gltf(mesh.normals[v]));
            lo = glm::min(lo, pos[i]);
            hi = glm::max(hi, pos[i]);
            const Rgba8 cc = mesh.colors[v];
            std::memcpy(&col[i * 4], &cc, 4);
            if (features) {
                fid.push_back(mesh.feature_ids[v]);
                unique.insert(mesh.feature_ids[v]);
            }
        }
        json attributes;
        attributes["POSITION"] = b.accessor(b.view(pos.data(), n * 12, 34962), GL_FLOAT, n, "VEC3");
        b.last_accessor()["min"] = {lo.x, lo.y, lo.z};
        b.last_accessor()["max"] = {hi.x, hi.y, hi.z};
        attributes["NORMAL"] = b.accessor(b.view(nrm.data(), n * 12, 34962), GL_FLOAT, n, "VEC3");
        attributes["COLOR_0"] =
            b.accessor(b.view(col.data(), n * 4, 34962), GL_UNSIGNED_BYTE, n, "VEC4", true);
        if (features)
            attributes["_FEATURE_ID_0"] = b.accessor(b.view(fid.data(), n * 4, 34962), GL_FLOAT, n, "SCALAR");
        int indices;
        if (n <= 65536) {
            std::vector<uint16_t> idx(chunk.indices.begin(), chunk.indices.end());
            indices = b.accessor(b.view(idx.data(), idx.size() * 2, 34963), GL_UNSIGNED_SHORT, idx.size(),
                                 "SCALAR");
        } else {
            indices = b.accessor(b.view(chunk.indices.data(), chunk.indices.size() * 4, 34963),
                                 GL_UNSIGNED_INT, chunk.indices.size(), "SCALAR");
        }
        json prim = {{"attributes", attributes}, {"indices", indices}, {"material", 0}, {"mode", 4}};
        if (features)
            prim["extensions"]["EXT_mesh_features"]["featureIds"] =
                json::array({{{"featureCount", unique.size()}, {"attribute", 0}, {"propertyTable", 0}}});
        primitives.push_back(prim);
        s.primitives++;
        s.vertices += n;
        s.triangles += chunk.indices.size() / 3;
    }
    gltf["meshes"] = json::array({{{"name", name}, {"primitives", primitives}}});

    if (features) {
        const FeatureClass& cls = layer->feature_class;
        json class_props = json::object(), table_props = json::object();
        for (size_t pi : properties) {
            const PropertyDef& p = cls.properties[pi];
            class_props[p.name] = property_schema(p);
            if (p.type == PropertyType::string) {
                std::string values;
                std::vector<uint32_t> offsets{0};
                for (uint32_t row : mesh.features) {
                    values += std::get<std::string>(layer->features[row].values[pi]);
                    offsets.push_back(uint32_t(values.size()));
                }
                // A buffer view is never empty: all-empty strings keep one unused byte.
                if (values.empty()) values.push_back('\0');
                table_props[p.name] = {{"values", b.view(values.data(), values.size())},
                                       {"stringOffsets", b.view(offsets.data(), offsets.size() * 4)}};
            } else if (p.type == PropertyType::int32) {
                std::vector<int32_t> v;
                for (uint32_t row : mesh.features)
                    v.push_back(int32_t(std::get<int64_t>(layer->features[row].values[pi])));
                table_props[p.name] = {{"values", b.view(v.data(), v.size() * 4)}};
            } else {
                std::vector<double> v;
                for (uint32_t row : mesh.features)
                    v.push_back(std::get<double>(layer->features[row].values[pi]));
                table_props[p.name] = {{"values", b.view(v.data(), v.size() * 8)}};
            }
        }
        gltf["extensionsUsed"] = {"EXT_mesh_features", "EXT_structural_metadata"};
        gltf["extensions"]["EXT_structural_metadata"] = {
            {"schema", {{"id", "zwilling"}, {"classes", {{cls.id, {{"properties", class_props}}}}}}},
            {"propertyTables",
             json::array(
                 {{{"class", cls.id}, {"count", mesh.features.size()}, {"properties", table_props}}})}};
    }
    std::vector<uint8_t> out = b.finish(std::move(gltf));
    if (out.size() > max_glb_bytes)
        fail("tile '", name, "' would be ", out.size(), " bytes, over the budget of ", max_glb_bytes,
             " (a leaf: lower the leaf triangle budget or raise the tree depth; a coarse tile: raise the "
             "drop size; recipe keys tiling.<layer>.leaf_triangles, max_level, drop_size_m)");
    if (stats) *stats = s;
    return out;
}

}  // namespace zw::bake
