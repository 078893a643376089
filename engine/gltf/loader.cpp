// glTF 2.0 -> Model: the scene (nodes, meshes, primitives, materials, textures)
// flattened for drawing. internal.h describes the loader's steps and files.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>
#include <glm/gtc/type_ptr.hpp>

#include "engine/core/error.h"
#include "engine/core/uri.h"
#include "engine/gltf/internal.h"
#include "engine/gltf/model.h"

namespace zw::gltf::detail {
namespace {

constexpr int mode_points = 0, mode_lines = 1, mode_line_loop = 2, mode_line_strip = 3, mode_triangles = 4,
              mode_strip = 5, mode_fan = 6;

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

Topology topology_of(int mode) {
    if (mode == mode_points) return Topology::points;
    if (mode == mode_lines || mode == mode_line_loop || mode == mode_line_strip) return Topology::lines;
    return Topology::triangles;
}

bool is_list(int mode) {
    return mode == mode_points || mode == mode_lines || mode == mode_triangles;
}

// Index lists for a primitive's mode: strips, fans and loops become plain lists.
std::vector<uint32_t> to_list(std::vector<uint32_t> idx, int mode) {
    if (mode == mode_points) return idx;
    if (mode == mode_triangles || mode == mode_lines) {
        const size_t per = mode == mode_lines ? 2 : 3;
        idx.resize(idx.size() - idx.size() % per);
        return idx;
    }
    std::vector<uint32_t> out;
    if (mode == mode_line_strip || mode == mode_line_loop) {
        for (size_t i = 1; i < idx.size(); ++i)
            out.insert(out.end(), {idx[i - 1], idx[i]});
        if (mode == mode_line_loop && idx.size() > 2) out.insert(out.end(), {idx.back(), idx.front()});
        return out;
    }
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

template <typename T>
std::vector<T> gather(const std::vector<T>& v, const std::vector<uint32_t>& idx) {
    std::vector<T> out;
    out.reserve(idx.size());
    for (uint32_t i : idx)
        out.push_back(v[i]);
    return out;
}

// KHR_texture_transform of a base colour texture: uv' = offset + rotate(scale * uv).
struct UvTransform {
    glm::dmat3 m{1.0};
    bool identity = true;
};

class Converter {
  public:
    Converter(const tinygltf::Model& m, const json& doc, const std::string& file, const LoadOptions& options,
              const Warnings& warn, Model& out)
        : m_(m), doc_(doc), r_(m, file), options_(options), warn_(warn), out_(out), features_(r_, warn) {}

    void run() {
        convert_images();
        convert_materials();
        features_.read_tables(doc_, options_.batch_table, out_.property_tables);
        mesh_index_.assign(m_.meshes.size(), -1);
        visited_.assign(m_.nodes.size(), false);
        const glm::dmat4 root = options_.placement * rtc_translation() * y_up_to_z_up();
        std::vector<int> roots;
        const int scene = m_.defaultScene >= 0 ? m_.defaultScene : (m_.scenes.empty() ? -1 : 0);
        if (scene >= 0 && scene < int(m_.scenes.size()))
            roots = m_.scenes[scene].nodes;
        else
            for (int i = 0; i < int(m_.nodes.size()); ++i)
                roots.push_back(i);  // no scene: every node as a root
        for (int n : roots)
            visit(n, root, 0);
        if (out_.instances.empty() && !options_.allow_empty)
            r_.bad("it contains nothing to draw (no triangles, lines or points)");
        if (!out_.feature_ids.empty()) out_.feature_ids.resize(out_.vertices.size(), UINT32_MAX);
        if (shared_nodes_) warn_(shared_nodes_, " node references to already placed nodes were ignored");
        if (features_.out_of_range())
            warn_(features_.out_of_range(), " feature ids are beyond their property table and were dropped");
    }

  private:
    // CESIUM_RTC: a translation in the z-up tile frame, like b3dm's RTC_CENTER.
    glm::dmat4 rtc_translation() const {
        const json* center = member(&doc_, "extensions", "CESIUM_RTC");
        if (!center) return glm::dmat4(1.0);
        center = member(center, "center");
        glm::dvec3 c;
        for (int k = 0; k < 3; ++k) {
            const auto v = number_value(element(center, size_t(k)));
            if (!v || !std::isfinite(*v)) {
                warn_("CESIUM_RTC has no valid center; ignored");
                return glm::dmat4(1.0);
            }
            c[k] = *v;
        }
        return glm::translate(glm::dmat4(1.0), c);
    }

    void visit(int node, const glm::dmat4& parent, int depth) {
        if (node < 0 || node >= int(m_.nodes.size())) r_.bad("a scene refers to a missing node");
        if (depth > 64) r_.bad("the node hierarchy is deeper than 64 levels (a cycle?)");
        // glTF nodes form disjoint trees; a node under several parents (which could
        // make 2^depth instances) is drawn at its first place only.
        if (visited_[node]) {
            ++shared_nodes_;
            return;
        }
        visited_[node] = true;
        const tinygltf::Node& n = m_.nodes[node];
        const glm::dmat4 world = parent * node_transform(n);
        if (n.mesh >= 0) {
            const int mesh = mesh_for(n.mesh);
            if (mesh >= 0) {
                const std::optional<std::vector<glm::dmat4>> copies = gpu_instances(node);
                if (!copies || !copies->empty()) {  // no copy left to draw: nothing
                    const MeshInstance inst =
                        !copies ? make_instance(uint32_t(mesh), out_.meshes[mesh].bounds, world)
                                : make_instanced(uint32_t(mesh), out_.meshes[mesh].bounds, world, *copies, {},
                                                 out_.instance_transforms);
                    out_.bounds.extend(inst.world_bounds);
                    out_.instances.push_back(inst);
                }
            }
        }
        for (int child : n.children)
            visit(child, world, depth + 1);
    }

    // EXT_mesh_gpu_instancing: the node's copies (TRANSLATION, ROTATION as a unit
    // quaternion, SCALE; each optional, all of one count), in the node's own space;
    // nullopt for a node without the extension.
    std::optional<std::vector<glm::dmat4>> gpu_instances(int node) {
        const json* ext =
            member(element(member(&doc_, "nodes"), size_t(node)), "extensions", "EXT_mesh_gpu_instancing");
        const json* attributes = member(ext, "attributes");
        if (!attributes) return std::nullopt;
        const std::string what = "node " + std::to_string(node) + " EXT_mesh_gpu_instancing ";
        size_t count = 0;
        bool any = false;
        Reader::View views[3];
        const char* names[3] = {"TRANSLATION", "ROTATION", "SCALE"};
        const size_t components[3] = {3, 4, 3};
        for (int k = 0; k < 3; ++k) {
            const std::optional<uint64_t> acc = unsigned_value(member(attributes, names[k]));
            if (!acc) continue;
            views[k] = r_.view(int(std::min<uint64_t>(*acc, INT32_MAX)), what + names[k]);
            if (views[k].components != components[k]) r_.bad(what + names[k] + " has the wrong type");
            if (any && views[k].count != count) r_.bad(what + "attributes differ in count");
            count = views[k].count;
            any = true;
        }
        if (!any) return std::nullopt;
        constexpr size_t max_copies = size_t(1) << 20;
        if (count > max_copies)
            r_.bad(what + "has " + std::to_string(count) + " copies, more than " +
                   std::to_string(max_copies));
        std::vector<glm::dmat4> out;
        out.reserve(count);
        size_t degenerate = 0;
        for (size_t i = 0; i < count; ++i) {
            glm::dvec3 t(0.0), sc(1.0);
            glm::dquat q(1, 0, 0, 0);
            if (views[0].data)
                t = {Reader::component(views[0], i, 0), Reader::component(views[0], i, 1),
                     Reader::component(views[0], i, 2)};
            if (views[1].data)
                q = glm::dquat(Reader::component(views[1], i, 3), Reader::component(views[1], i, 0),
                               Reader::component(views[1], i, 1), Reader::component(views[1], i, 2));
            if (views[2].data)
                sc = {Reader::component(views[2], i, 0), Reader::component(views[2], i, 1),
                      Reader::component(views[2], i, 2)};
            const double qn = glm::length(q);
            const auto finite3 = [](const glm::dvec3& v) {
                return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
            };
            const bool finite = finite3(t) && finite3(sc) && std::isfinite(qn);
            if (!finite || qn < 1e-6 || sc.x * sc.y * sc.z == 0) {
                ++degenerate;
                continue;
            }
            out.push_back(glm::translate(glm::dmat4(1.0), t) * glm::mat4_cast(q / qn) *
                          glm::scale(glm::dmat4(1.0), sc));
        }
        if (degenerate)
            warn_(what, degenerate, " of ", count,
                  " copies have a zero scale, a zero rotation or non-finite values; "
                  "they are not drawn");
        return out;
    }

    int mesh_for(int gltf_mesh) {
        if (gltf_mesh >= int(m_.meshes.size())) r_.bad("a node refers to a missing mesh");
        if (mesh_index_[gltf_mesh] != -1) return mesh_index_[gltf_mesh];
        const tinygltf::Mesh& gm = m_.meshes[gltf_mesh];
        Mesh mesh{gm.name.empty() ? "mesh " + std::to_string(gltf_mesh) : gm.name, {}, {}};
        const json* json_primitives =
            member(element(member(&doc_, "meshes"), size_t(gltf_mesh)), "primitives");
        for (size_t k = 0; k < gm.primitives.size(); ++k) {
            const auto& p = gm.primitives[k];
            if (p.mode < mode_points || p.mode > mode_fan) {
                warn_("a primitive with unknown mode ", p.mode, " is skipped");
                continue;
            }
            Primitive prim = convert_primitive(p, element(json_primitives, k));
            if (prim.vertex_count == 0) continue;
            mesh.bounds.extend(prim.bounds);
            mesh.primitives.push_back(prim);
        }
        int index = -2;  // a mesh with nothing to draw: remember, never draw
        if (!mesh.primitives.empty()) {
            index = int(out_.meshes.size());
            out_.meshes.push_back(std::move(mesh));
        }
        mesh_index_[gltf_mesh] = index;
        return index;
    }

    Primitive convert_primitive(const tinygltf::Primitive& p, const json* json_primitive) {
        auto attr = [&](const std::string& name) {
            auto it = p.attributes.find(name);
            return it == p.attributes.end() ? -1 : it->second;
        };
        const int pos_acc = attr("POSITION");
        if (pos_acc < 0) r_.bad("a primitive has no POSITION attribute");
        const Reader::View pos = r_.view(pos_acc, "POSITION");
        if (pos.components != 3) r_.bad("POSITION is not a VEC3");
        const size_t n = pos.count;
        if (n > UINT32_MAX) r_.bad("a primitive has more than 2^32 vertices");

        std::vector<Vertex> verts(n);
        for (size_t i = 0; i < n; ++i) {
            verts[i].position = {Reader::component(pos, i, 0), Reader::component(pos, i, 1),
                                 Reader::component(pos, i, 2)};
            verts[i].normal = {0, 0, 0};  // points and lines without NORMAL: mesh.frag lights it as up
            verts[i].uv = {0, 0};
            std::memset(verts[i].color, 255, 4);
        }
        const uint32_t material =
            p.material >= 0 && p.material < int(m_.materials.size()) ? uint32_t(p.material) + 1 : 0;
        const int normal_acc = attr("NORMAL");
        if (normal_acc >= 0) {
            const Reader::View v = read_matching(normal_acc, "NORMAL", n, 3);
            const bool quantized = v.type != TINYGLTF_COMPONENT_TYPE_FLOAT;
            for (size_t i = 0; i < n; ++i) {
                glm::vec3 nrm{Reader::component(v, i, 0), Reader::component(v, i, 1),
                              Reader::component(v, i, 2)};
                // Quantised normals are only nearly unit length.
                const float len = glm::length(nrm);
                verts[i].normal = quantized && len > 0 ? nrm / len : nrm;
            }
        }
        const int uv_set = material_uv_set(material);
        const int uv_acc = attr("TEXCOORD_" + std::to_string(uv_set));
        if (uv_acc >= 0) {
            const Reader::View v = read_matching(uv_acc, "TEXCOORD", n, 2);
            const UvTransform& t = uv_transforms_[material];
            for (size_t i = 0; i < n; ++i) {
                const glm::vec2 uv{Reader::component(v, i, 0), Reader::component(v, i, 1)};
                verts[i].uv = t.identity ? uv : glm::vec2(t.m * glm::dvec3(uv, 1.0));
            }
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

        Primitive prim;
        prim.material = material;
        prim.topology = topology_of(p.mode);
        std::vector<uint32_t> fids = features_.feature_ids(p, json_primitive, n, prim.property_table);

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
        idx = to_list(std::move(idx), p.mode);
        if (idx.empty()) return {};  // too few vertices for one element

        if (prim.topology == Topology::triangles && normal_acc < 0) {
            // glTF: without normals, a client computes flat normals - every triangle
            // gets its own three vertices.
            verts = gather(verts, idx);
            if (!fids.empty()) fids = gather(fids, idx);
            for (size_t t = 0; t + 2 < verts.size(); t += 3) {
                Vertex &a = verts[t], &b = verts[t + 1], &c = verts[t + 2];
                glm::vec3 nrm = glm::cross(b.position - a.position, c.position - a.position);
                const float len = glm::length(nrm);
                a.normal = b.normal = c.normal = len > 0 ? nrm / len : glm::vec3(0, 0, 1);
            }
        } else if (indexed) {
            prim.first_index = uint32_t(out_.indices.size());
            prim.index_count = uint32_t(idx.size());
            out_.indices.insert(out_.indices.end(), idx.begin(), idx.end());
        } else if (!is_list(p.mode)) {
            // Non-indexed strips, fans and loops: expand to a list so one pipeline per
            // topology draws everything.
            verts = gather(verts, idx);
            if (!fids.empty()) fids = gather(fids, idx);
        } else {
            verts.resize(idx.size());  // drops an incomplete last line or triangle
            if (!fids.empty()) fids.resize(idx.size());
        }

        prim.first_vertex = uint32_t(out_.vertices.size());
        prim.vertex_count = uint32_t(verts.size());
        for (const Vertex& v : verts)
            prim.bounds.extend(glm::dvec3(v.position));
        if (!fids.empty() || !out_.feature_ids.empty()) {
            // Allocated with the first primitive that has features; earlier ones have none.
            out_.feature_ids.resize(out_.vertices.size(), UINT32_MAX);
            if (fids.empty())
                out_.feature_ids.resize(out_.vertices.size() + verts.size(), UINT32_MAX);
            else
                out_.feature_ids.insert(out_.feature_ids.end(), fids.begin(), fids.end());
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
        const int set = m_.materials[material - 1].pbrMetallicRoughness.baseColorTexture.texCoord;
        const json* transform =
            member(base_color_texture_json(material - 1), "extensions", "KHR_texture_transform");
        return std::max(
            0, int(unsigned_value(member(transform, "texCoord")).value_or(uint64_t(std::max(set, 0)))));
    }

    const json* base_color_texture_json(uint32_t gltf_material) const {
        return member(member(element(member(&doc_, "materials"), gltf_material), "pbrMetallicRoughness"),
                      "baseColorTexture");
    }

    UvTransform uv_transform(uint32_t gltf_material) const {
        const json* t = member(base_color_texture_json(gltf_material), "extensions", "KHR_texture_transform");
        UvTransform out;
        if (!t) return out;
        auto num = [&](const char* key, size_t i, double fallback) {
            return number_value(element(member(t, key), i)).value_or(fallback);
        };
        const double r = number_value(member(t, "rotation")).value_or(0.0);
        const glm::dmat3 translation(1, 0, 0, 0, 1, 0, num("offset", 0, 0), num("offset", 1, 0), 1);
        const glm::dmat3 rotation(std::cos(r), std::sin(r), 0, -std::sin(r), std::cos(r), 0, 0, 0, 1);
        const glm::dmat3 scale(num("scale", 0, 1), 0, 0, 0, num("scale", 1, 1), 0, 0, 0, 1);
        out.m = translation * rotation * scale;
        out.identity = false;
        return out;
    }

    void convert_images() {
        for (const auto& img : m_.images) {
            TextureImage t{img.name, img.width, img.height, {}};
            const size_t pixels = size_t(std::max(img.width, 0)) * size_t(std::max(img.height, 0));
            const size_t bytes = (img.bits == 16 ? 2 : 1) * size_t(std::max(img.component, 0));
            const bool usable = pixels > 0 && (img.bits == 8 || img.bits == 16) && img.component >= 1 &&
                                img.component <= 4 && img.image.size() == pixels * bytes;
            if (!usable) {
                warn_("image '", img.name.empty() ? img.uri : img.name,
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
        uv_transforms_.emplace_back();
        for (size_t i = 0; i < m_.materials.size(); ++i) {
            const auto& gm = m_.materials[i];
            Material mat;
            mat.name = gm.name;
            const auto& f = gm.pbrMetallicRoughness.baseColorFactor;
            if (f.size() == 4) mat.base_color = glm::vec4(f[0], f[1], f[2], f[3]);
            const int tex = gm.pbrMetallicRoughness.baseColorTexture.index;
            if (tex >= 0 && tex < int(out_.textures.size()) && out_.textures[tex].image != UINT32_MAX)
                mat.base_color_texture = tex;
            mat.double_sided = gm.doubleSided;
            out_.materials.push_back(mat);
            uv_transforms_.push_back(uv_transform(uint32_t(i)));
        }
    }

    const tinygltf::Model& m_;
    const json& doc_;
    Reader r_;
    const LoadOptions& options_;
    const Warnings& warn_;
    Model& out_;
    FeatureReader features_;
    std::vector<int> mesh_index_;
    std::vector<UvTransform> uv_transforms_;  // per Model material
    std::vector<bool> visited_;               // per glTF node
    size_t shared_nodes_ = 0;
};

}  // namespace

Model load(std::span<const uint8_t> bytes, const std::string& file, const LoadOptions& options) {
    const Warnings warn(file, options.warnings);
    const Document document = read_document(bytes, file, options.fetch, warn);
    Model model;
    model.name = file;
    Converter(document.gltf, document.doc, file, options, warn, model).run();
    return model;
}

}  // namespace zw::gltf::detail
