// glTF 2.0 -> Model. Every accessor read is bounds-checked, because files come from
// outside: a broken file gets a message, never a crash.
#include <tiny_gltf.h>

#include <cstring>
#include <fstream>
#include <functional>

#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>
#include <glm/gtc/type_ptr.hpp>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/render/model.h"

namespace zw::render {
namespace {

constexpr int mode_triangles = 4, mode_strip = 5, mode_fan = 6;

size_t component_size(int type) {
    switch (type) {
        case TINYGLTF_COMPONENT_TYPE_BYTE:
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE:
            return 1;
        case TINYGLTF_COMPONENT_TYPE_SHORT:
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT:
            return 2;
        case TINYGLTF_COMPONENT_TYPE_INT:
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT:
        case TINYGLTF_COMPONENT_TYPE_FLOAT:
            return 4;
        default:
            return 0;
    }
}

class Reader {
  public:
    Reader(const tinygltf::Model& m, const std::string& file) : m_(m), file_(file) {}

    [[noreturn]] void bad(const std::string& what) const { fail("model '", file_, "' is broken: ", what); }

    // The raw bytes of element `i` of an accessor; validates the whole accessor once.
    struct View {
        const uint8_t* data = nullptr;
        size_t stride = 0, count = 0, components = 0;
        int type = 0;
        bool normalized = false;
    };
    View view(int index, const char* what) const {
        if (index < 0 || index >= int(m_.accessors.size()))
            bad(std::string(what) + " refers to a missing accessor");
        const tinygltf::Accessor& a = m_.accessors[index];
        if (a.sparse.isSparse)
            bad(std::string(what) + " uses a sparse accessor, which Zwilling does not read yet");
        const size_t csize = component_size(a.componentType);
        const int n = tinygltf::GetNumComponentsInType(a.type);
        if (csize == 0 || n <= 0) bad(std::string(what) + " has an unknown component type");
        View v{nullptr, 0, a.count, size_t(n), a.componentType, a.normalized};
        if (a.bufferView < 0 || a.bufferView >= int(m_.bufferViews.size()))
            bad(std::string(what) + " has no buffer view");
        const tinygltf::BufferView& bv = m_.bufferViews[a.bufferView];
        if (bv.buffer < 0 || bv.buffer >= int(m_.buffers.size()))
            bad(std::string(what) + " refers to a missing buffer");
        const auto& buffer = m_.buffers[bv.buffer].data;
        const size_t element = csize * v.components;
        v.stride = bv.byteStride ? bv.byteStride : element;
        // Every sum is checked before it is formed: offsets in a hostile file can be
        // close to 2^64 and must not wrap around into a small number.
        const bool view_fits =
            bv.byteOffset <= buffer.size() && bv.byteLength <= buffer.size() - bv.byteOffset;
        const bool accessor_fits =
            a.count == 0 || (a.byteOffset <= bv.byteLength && element <= bv.byteLength - a.byteOffset &&
                             a.count - 1 <= (bv.byteLength - a.byteOffset - element) / v.stride);
        if (v.stride < element) bad(std::string(what) + " has a byteStride smaller than one element");
        if (!view_fits || !accessor_fits)
            bad(std::string(what) + " reads past the end of its buffer (truncated file?)");
        v.data = buffer.data() + bv.byteOffset + a.byteOffset;
        return v;
    }

    static float component(const View& v, size_t i, size_t c) {
        const uint8_t* p = v.data + v.stride * i + component_size(v.type) * c;
        switch (v.type) {
            case TINYGLTF_COMPONENT_TYPE_FLOAT: {
                float f;
                std::memcpy(&f, p, 4);
                return f;
            }
            case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE:
                return v.normalized ? *p / 255.0f : float(*p);
            case TINYGLTF_COMPONENT_TYPE_BYTE: {
                const auto s = static_cast<int8_t>(*p);
                return v.normalized ? std::max(s / 127.0f, -1.0f) : float(s);
            }
            case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: {
                uint16_t u;
                std::memcpy(&u, p, 2);
                return v.normalized ? u / 65535.0f : float(u);
            }
            case TINYGLTF_COMPONENT_TYPE_SHORT: {
                int16_t s;
                std::memcpy(&s, p, 2);
                return v.normalized ? std::max(s / 32767.0f, -1.0f) : float(s);
            }
            default: {
                uint32_t u;
                std::memcpy(&u, p, 4);
                return float(u);
            }
        }
    }

    std::vector<uint32_t> indices(int index) const {
        const View v = view(index, "an index accessor");
        if (v.components != 1 || v.type == TINYGLTF_COMPONENT_TYPE_FLOAT)
            bad("indices are not scalar integers");
        std::vector<uint32_t> out(v.count);
        for (size_t i = 0; i < v.count; ++i)
            out[i] = static_cast<uint32_t>(component(v, i, 0));
        return out;
    }

  private:
    const tinygltf::Model& m_;
    std::string file_;
};

glm::dmat4 node_transform(const tinygltf::Node& n) {
    if (n.matrix.size() == 16) return glm::make_mat4(n.matrix.data());
    glm::dmat4 m(1.0);
    if (n.translation.size() == 3)
        m = glm::translate(m, glm::dvec3(n.translation[0], n.translation[1], n.translation[2]));
    if (n.rotation.size() == 4)
        m *= glm::mat4_cast(glm::dquat(n.rotation[3], n.rotation[0], n.rotation[1], n.rotation[2]));
    if (n.scale.size() == 3) m = glm::scale(m, glm::dvec3(n.scale[0], n.scale[1], n.scale[2]));
    return m;
}

// Triangle list indices for a primitive's mode.
std::vector<uint32_t> to_triangle_list(std::vector<uint32_t> idx, int mode) {
    if (mode == mode_triangles) {
        idx.resize(idx.size() - idx.size() % 3);
        return idx;
    }
    std::vector<uint32_t> out;
    for (size_t i = 2; i < idx.size(); ++i) {
        if (mode == mode_strip) {
            if (i % 2 == 0)
                out.insert(out.end(), {idx[i - 2], idx[i - 1], idx[i]});
            else
                out.insert(out.end(), {idx[i - 1], idx[i - 2], idx[i]});
        } else {
            out.insert(out.end(), {idx[0], idx[i - 1], idx[i]});
        }
    }
    return out;
}

class Converter {
  public:
    Converter(const tinygltf::Model& m, const std::string& file, Model& out)
        : m_(m), r_(m, file), out_(out) {}

    void run(const LoadOptions& options) {
        convert_images();
        convert_materials();
        mesh_index_.assign(m_.meshes.size(), -1);
        const glm::dmat4 root = options.placement * y_up_to_z_up();
        std::vector<int> roots;
        const int scene = m_.defaultScene >= 0 ? m_.defaultScene : (m_.scenes.empty() ? -1 : 0);
        if (scene >= 0 && scene < int(m_.scenes.size()))
            roots = m_.scenes[scene].nodes;
        else
            for (int i = 0; i < int(m_.nodes.size()); ++i)
                roots.push_back(i);  // no scene: every node as a root
        for (int n : roots)
            visit(n, root, 0);
        if (out_.instances.empty()) r_.bad("it contains no triangles to draw");
        if (skipped_other_modes_)
            core::warn("model '", out_.name, "': ", skipped_other_modes_,
                       " point/line primitives are not drawn by this viewer yet");
    }

  private:
    void visit(int node, const glm::dmat4& parent, int depth) {
        if (node < 0 || node >= int(m_.nodes.size())) r_.bad("a scene refers to a missing node");
        if (depth > 64) r_.bad("the node hierarchy is deeper than 64 levels (a cycle?)");
        const tinygltf::Node& n = m_.nodes[node];
        const glm::dmat4 world = parent * node_transform(n);
        if (n.mesh >= 0) {
            const int mesh = mesh_for(n.mesh);
            if (mesh >= 0) {
                const MeshInstance inst = make_instance(uint32_t(mesh), out_.meshes[mesh].bounds, world);
                out_.bounds.extend(inst.world_bounds);
                out_.instances.push_back(inst);
            }
        }
        for (int child : n.children)
            visit(child, world, depth + 1);
    }

    int mesh_for(int gltf_mesh) {
        if (gltf_mesh >= int(m_.meshes.size())) r_.bad("a node refers to a missing mesh");
        if (mesh_index_[gltf_mesh] != -1) return mesh_index_[gltf_mesh];
        const tinygltf::Mesh& gm = m_.meshes[gltf_mesh];
        Mesh mesh{gm.name.empty() ? "mesh " + std::to_string(gltf_mesh) : gm.name, {}, {}};
        for (const auto& p : gm.primitives) {
            if (p.mode != mode_triangles && p.mode != mode_strip && p.mode != mode_fan) {
                ++skipped_other_modes_;
                continue;
            }
            Primitive prim = convert_primitive(p);
            if (prim.vertex_count == 0) continue;
            mesh.bounds.extend(prim.bounds);
            mesh.primitives.push_back(prim);
        }
        int index = -2;  // a mesh without triangles: remember, never draw
        if (!mesh.primitives.empty()) {
            index = int(out_.meshes.size());
            out_.meshes.push_back(std::move(mesh));
        }
        mesh_index_[gltf_mesh] = index;
        return index;
    }

    Primitive convert_primitive(const tinygltf::Primitive& p) {
        auto attr = [&](const char* name) {
            auto it = p.attributes.find(name);
            return it == p.attributes.end() ? -1 : it->second;
        };
        const int pos_acc = attr("POSITION");
        if (pos_acc < 0) r_.bad("a primitive has no POSITION attribute");
        const Reader::View pos = r_.view(pos_acc, "POSITION");
        if (pos.components != 3) r_.bad("POSITION is not a VEC3");
        const size_t n = pos.count;

        std::vector<Vertex> verts(n);
        for (size_t i = 0; i < n; ++i) {
            verts[i].position = {Reader::component(pos, i, 0), Reader::component(pos, i, 1),
                                 Reader::component(pos, i, 2)};
            verts[i].normal = {0, 0, 1};
            verts[i].uv = {0, 0};
            std::memset(verts[i].color, 255, 4);
        }
        const uint32_t material =
            p.material >= 0 && p.material < int(m_.materials.size()) ? uint32_t(p.material) + 1 : 0;
        const int normal_acc = attr("NORMAL");
        if (normal_acc >= 0) {
            const Reader::View v = read_matching(normal_acc, "NORMAL", n, 3);
            for (size_t i = 0; i < n; ++i)
                verts[i].normal = {Reader::component(v, i, 0), Reader::component(v, i, 1),
                                   Reader::component(v, i, 2)};
        }
        const int uv_set = material_uv_set(material);
        const int uv_acc = attr(("TEXCOORD_" + std::to_string(uv_set)).c_str());
        if (uv_acc >= 0) {
            const Reader::View v = read_matching(uv_acc, "TEXCOORD", n, 2);
            for (size_t i = 0; i < n; ++i)
                verts[i].uv = {Reader::component(v, i, 0), Reader::component(v, i, 1)};
        }
        const int color_acc = attr("COLOR_0");
        if (color_acc >= 0) {
            const Reader::View v = r_.view(color_acc, "COLOR_0");
            if (v.count != n || (v.components != 3 && v.components != 4))
                r_.bad("COLOR_0 has the wrong size");
            for (size_t i = 0; i < n; ++i)
                for (size_t c = 0; c < 4; ++c) {
                    const float f = c < v.components ? Reader::component(v, i, c) : 1.0f;
                    verts[i].color[c] = static_cast<uint8_t>(std::clamp(f, 0.0f, 1.0f) * 255.0f + 0.5f);
                }
        }

        std::vector<uint32_t> idx;
        const bool indexed = p.indices >= 0;
        if (indexed) {
            idx = r_.indices(p.indices);
            for (uint32_t i : idx)
                if (i >= n) r_.bad("an index points past the end of the vertices");
        } else {
            idx.resize(n);
            for (size_t i = 0; i < n; ++i)
                idx[i] = uint32_t(i);
        }
        idx = to_triangle_list(std::move(idx), p.mode);

        // glTF: without normals, a client computes flat normals - every triangle gets
        // its own three vertices.
        const bool flat = normal_acc < 0;
        if (flat) {
            std::vector<Vertex> flat_verts;
            flat_verts.reserve(idx.size());
            for (size_t t = 0; t + 2 < idx.size(); t += 3) {
                Vertex a = verts[idx[t]], b = verts[idx[t + 1]], c = verts[idx[t + 2]];
                glm::vec3 nrm = glm::cross(b.position - a.position, c.position - a.position);
                const float len = glm::length(nrm);
                nrm = len > 0 ? nrm / len : glm::vec3(0, 0, 1);
                a.normal = b.normal = c.normal = nrm;
                flat_verts.insert(flat_verts.end(), {a, b, c});
            }
            verts = std::move(flat_verts);
        }

        Primitive prim;
        prim.material = material;
        prim.first_vertex = uint32_t(out_.vertices.size());
        prim.vertex_count = uint32_t(verts.size());
        for (const Vertex& v : verts)
            prim.bounds.extend(glm::dvec3(v.position));
        if (indexed && !flat) {
            prim.first_index = uint32_t(out_.indices.size());
            prim.index_count = uint32_t(idx.size());
            out_.indices.insert(out_.indices.end(), idx.begin(), idx.end());
        } else if (!flat && p.mode != mode_triangles) {
            // Non-indexed strips and fans: expand to a list so one pipeline draws everything.
            std::vector<Vertex> list;
            for (uint32_t i : idx)
                list.push_back(verts[i]);
            verts = std::move(list);
            prim.vertex_count = uint32_t(verts.size());
        } else if (!flat) {
            prim.vertex_count -= prim.vertex_count % 3;
            verts.resize(prim.vertex_count);
        }
        out_.vertices.insert(out_.vertices.end(), verts.begin(), verts.end());
        return prim;
    }

    Reader::View read_matching(int acc, const char* what, size_t count, size_t components) {
        const Reader::View v = r_.view(acc, what);
        if (v.count != count || v.components != components)
            r_.bad(std::string(what) + " does not match POSITION in count or type");
        return v;
    }

    int material_uv_set(uint32_t material) const {
        if (material == 0) return 0;
        return std::max(0, m_.materials[material - 1].pbrMetallicRoughness.baseColorTexture.texCoord);
    }

    void convert_images() {
        for (const auto& img : m_.images) {
            TextureImage t{img.name, img.width, img.height, {}};
            const size_t pixels = size_t(std::max(img.width, 0)) * size_t(std::max(img.height, 0));
            const size_t bytes = (img.bits == 16 ? 2 : 1) * size_t(std::max(img.component, 0));
            const bool usable = pixels > 0 && (img.bits == 8 || img.bits == 16) && img.component >= 1 &&
                                img.component <= 4 && img.image.size() == pixels * bytes;
            if (!usable) {
                core::warn("model '", out_.name, "': image '", img.name.empty() ? img.uri : img.name,
                           "' could not be decoded; drawing without it");
                t.width = t.height = 0;
            } else {
                // To RGBA8: grey expands to RGB, a missing alpha is opaque, 16-bit keeps
                // its high byte (little-endian, as tinygltf stores it).
                t.rgba.resize(pixels * 4);
                const size_t hi = img.bits == 16 ? 1 : 0;
                for (size_t i = 0; i < pixels; ++i) {
                    const uint8_t* p = &img.image[i * bytes];
                    const auto at = [&](int c) { return p[c * (img.bits / 8) + hi]; };
                    const bool grey = img.component <= 2;
                    uint8_t* o = &t.rgba[i * 4];
                    o[0] = at(0);
                    o[1] = grey ? at(0) : at(1);
                    o[2] = grey ? at(0) : at(2);
                    o[3] = img.component == 2 ? at(1) : img.component == 4 ? at(3) : 255;
                }
            }
            out_.images.push_back(std::move(t));
        }
        for (const auto& tex : m_.textures) {
            Texture t;
            if (tex.source < 0 || tex.source >= int(out_.images.size()) ||
                out_.images[tex.source].width == 0) {
                out_.textures.push_back({UINT32_MAX, {}});
                continue;
            }
            t.image = uint32_t(tex.source);
            if (tex.sampler >= 0 && tex.sampler < int(m_.samplers.size())) {
                const auto& s = m_.samplers[tex.sampler];
                if (s.magFilter > 0) t.sampler.mag_filter = s.magFilter;
                if (s.minFilter > 0) t.sampler.min_filter = s.minFilter;
                t.sampler.wrap_s = s.wrapS;
                t.sampler.wrap_t = s.wrapT;
            }
            out_.textures.push_back(t);
        }
    }

    void convert_materials() {
        out_.materials.push_back({"default", glm::vec4(1.0f), -1, false});
        for (const auto& gm : m_.materials) {
            Material mat;
            mat.name = gm.name;
            const auto& f = gm.pbrMetallicRoughness.baseColorFactor;
            if (f.size() == 4) mat.base_color = glm::vec4(f[0], f[1], f[2], f[3]);
            const int tex = gm.pbrMetallicRoughness.baseColorTexture.index;
            if (tex >= 0 && tex < int(out_.textures.size()) && out_.textures[tex].image != UINT32_MAX)
                mat.base_color_texture = tex;
            mat.double_sided = gm.doubleSided;
            out_.materials.push_back(mat);
        }
    }

    const tinygltf::Model& m_;
    Reader r_;
    Model& out_;
    std::vector<int> mesh_index_;
    int skipped_other_modes_ = 0;
};

Model convert(const tinygltf::Model& gltf, const std::string& name, const LoadOptions& options) {
    Model model;
    model.name = name;
    Converter(gltf, name, model).run(options);
    return model;
}

}  // namespace

glm::dmat4 y_up_to_z_up() {
    glm::dmat4 m(1.0);
    m[1] = {0, 0, 1, 0};   // glTF +y becomes +z
    m[2] = {0, -1, 0, 0};  // glTF +z becomes -y
    return m;
}

MeshInstance make_instance(uint32_t mesh, const Aabb& mesh_bounds, const glm::dmat4& world) {
    const glm::dmat3 m(world);
    // A degenerate (zero-scale) transform draws nothing visible; keep its normals finite.
    const glm::dmat3 normal = std::abs(glm::determinant(m)) > 1e-300 ? glm::transpose(glm::inverse(m)) : m;
    return {mesh, world, transform_aabb(mesh_bounds, world), glm::mat3(normal)};
}

uint64_t Model::triangle_count() const {
    uint64_t total = 0;
    for (const auto& inst : instances)
        for (const auto& p : meshes[inst.mesh].primitives)
            total += p.triangle_count();
    return total;
}

Model load_model(const std::filesystem::path& path, const LoadOptions& options) {
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) fail("cannot open model '", name, "': the file does not exist");
    if (std::filesystem::is_directory(path, ec))
        fail("cannot open model '", name, "': it is a folder, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot open model '", name, "': permission denied or unreadable");
    char magic[4] = {};
    in.read(magic, 4);
    const bool binary = in.gcount() == 4 && std::memcmp(magic, "glTF", 4) == 0;
    const auto ext = path.extension().string();
    if (!binary && ext != ".gltf")
        fail("cannot open model '", name,
             "': it is not a glTF file (expected a .glb starting with 'glTF', or .gltf JSON)");

    tinygltf::TinyGLTF loader;
    tinygltf::Model gltf;
    std::string err, warn;
    const bool ok = binary ? loader.LoadBinaryFromFile(&gltf, &err, &warn, name)
                           : loader.LoadASCIIFromFile(&gltf, &err, &warn, name);
    if (!ok) fail("cannot load model '", name, "': ", err.empty() ? "tinygltf gave no reason" : err);
    if (!warn.empty()) core::warn("model '", name, "': ", warn);
    return convert(gltf, name, options);
}

Model load_model_from_glb(std::span<const uint8_t> glb, const std::string& name, const LoadOptions& options) {
    tinygltf::TinyGLTF loader;
    tinygltf::Model gltf;
    std::string err, warn;
    if (!loader.LoadBinaryFromMemory(&gltf, &err, &warn, glb.data(), static_cast<unsigned>(glb.size())))
        fail("cannot load model '", name, "': ", err);
    return convert(gltf, name, options);
}

}  // namespace zw::render
