#include "engine/render/test_scene.h"

#include <stb_image_write.h>
#include <tiny_gltf.h>

#include <glm/glm.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

namespace zw::render {
namespace {

// Builds one glb buffer: every accessor appends its bytes to buffer 0.
class Builder {
  public:
    tinygltf::Model m;

    Builder() {
        m.asset.version = "2.0";
        m.asset.generator = "zwilling test scene";
        m.buffers.resize(1);
    }

    int add_view(const void* data, size_t size, int target) {
        auto& buf = m.buffers[0].data;
        while (buf.size() % 4)
            buf.push_back(0);
        tinygltf::BufferView v;
        v.buffer = 0;
        v.byteOffset = buf.size();
        v.byteLength = size;
        v.target = target;
        buf.insert(buf.end(), static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + size);
        m.bufferViews.push_back(v);
        return int(m.bufferViews.size()) - 1;
    }

    int add_floats(const std::vector<float>& f, int type, bool with_bounds) {
        tinygltf::Accessor a;
        a.bufferView = add_view(f.data(), f.size() * 4, TINYGLTF_TARGET_ARRAY_BUFFER);
        a.componentType = TINYGLTF_COMPONENT_TYPE_FLOAT;
        a.type = type;
        const int n = tinygltf::GetNumComponentsInType(type);
        a.count = f.size() / n;
        if (with_bounds) {
            a.minValues.assign(n, 1e30);
            a.maxValues.assign(n, -1e30);
            for (size_t i = 0; i < f.size(); ++i) {
                a.minValues[i % n] = std::min(a.minValues[i % n], double(f[i]));
                a.maxValues[i % n] = std::max(a.maxValues[i % n], double(f[i]));
            }
        }
        m.accessors.push_back(a);
        return int(m.accessors.size()) - 1;
    }

    int add_colors(const std::vector<uint8_t>& rgba) {
        tinygltf::Accessor a;
        a.bufferView = add_view(rgba.data(), rgba.size(), TINYGLTF_TARGET_ARRAY_BUFFER);
        a.componentType = TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE;
        a.normalized = true;
        a.type = TINYGLTF_TYPE_VEC4;
        a.count = rgba.size() / 4;
        m.accessors.push_back(a);
        return int(m.accessors.size()) - 1;
    }

    int add_indices(const std::vector<uint16_t>& idx) {
        tinygltf::Accessor a;
        a.bufferView = add_view(idx.data(), idx.size() * 2, TINYGLTF_TARGET_ELEMENT_ARRAY_BUFFER);
        a.componentType = TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT;
        a.type = TINYGLTF_TYPE_SCALAR;
        a.count = idx.size();
        m.accessors.push_back(a);
        return int(m.accessors.size()) - 1;
    }

    int add_material(const char* name, std::vector<double> color, int texture = -1,
                     bool double_sided = false) {
        tinygltf::Material mat;
        mat.name = name;
        mat.pbrMetallicRoughness.baseColorFactor = std::move(color);
        mat.pbrMetallicRoughness.baseColorTexture.index = texture;
        mat.doubleSided = double_sided;
        m.materials.push_back(mat);
        return int(m.materials.size()) - 1;
    }

    int add_mesh(const char* name, tinygltf::Primitive p) {
        tinygltf::Mesh mesh;
        mesh.name = name;
        p.mode = TINYGLTF_MODE_TRIANGLES;
        mesh.primitives.push_back(std::move(p));
        m.meshes.push_back(mesh);
        return int(m.meshes.size()) - 1;
    }

    int add_node(const char* name, int mesh, std::vector<double> t, std::vector<double> r = {},
                 std::vector<double> s = {}) {
        tinygltf::Node n;
        n.name = name;
        n.mesh = mesh;
        n.translation = std::move(t);
        n.rotation = std::move(r);
        n.scale = std::move(s);
        m.nodes.push_back(n);
        return int(m.nodes.size()) - 1;
    }
};

// Ground height in glTF's y-up space: flat village centre, gentle hills further out.
float ground_height(float x, float z) {
    const float r = std::sqrt(x * x + z * z);
    const float rise = std::max(0.0f, r - 70.0f);
    return rise * rise * 0.004f + std::sin(x * 0.05f) * std::cos(z * 0.04f) * rise * 0.05f;
}

int make_ground(Builder& b, int material) {
    constexpr int n = 128;  // quads per side: 32768 triangles
    constexpr float size = 400.0f;
    std::vector<float> pos, nrm, uv;
    std::vector<uint16_t> idx;
    for (int j = 0; j <= n; ++j)
        for (int i = 0; i <= n; ++i) {
            const float x = -size / 2 + size * i / n, z = -size / 2 + size * j / n;
            const float e = 0.5f;
            const float dx = ground_height(x + e, z) - ground_height(x - e, z);
            const float dz = ground_height(x, z + e) - ground_height(x, z - e);
            const float nx = -dx / (2 * e), nz = -dz / (2 * e), len = std::sqrt(nx * nx + 1 + nz * nz);
            pos.insert(pos.end(), {x, ground_height(x, z), z});
            nrm.insert(nrm.end(), {nx / len, 1 / len, nz / len});
            uv.insert(uv.end(), {x / 10.0f, z / 10.0f});  // one checker tile per 10 m, REPEAT sampler
        }
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            const auto a = uint16_t(j * (n + 1) + i), c = uint16_t(a + n + 1);
            // Counter-clockwise seen from above (+y).
            idx.insert(idx.end(), {a, c, uint16_t(a + 1), uint16_t(a + 1), c, uint16_t(c + 1)});
        }
    tinygltf::Primitive p;
    p.attributes["POSITION"] = b.add_floats(pos, TINYGLTF_TYPE_VEC3, true);
    p.attributes["NORMAL"] = b.add_floats(nrm, TINYGLTF_TYPE_VEC3, false);
    p.attributes["TEXCOORD_0"] = b.add_floats(uv, TINYGLTF_TYPE_VEC2, false);
    p.indices = b.add_indices(idx);
    p.material = material;
    return b.add_mesh("ground", p);
}

// A unit box (x,z in [-0.5, 0.5], y in [0, 1]), indexed, with normals.
int make_walls(Builder& b, int material) {
    std::vector<float> pos, nrm;
    std::vector<uint16_t> idx;
    const float faces[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    for (const auto& f : faces) {
        const glm::vec3 n{f[0], f[1], f[2]};
        const glm::vec3 u = std::abs(n.y) > 0.5f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0);
        const glm::vec3 v = glm::cross(n, u);
        const auto base = uint16_t(pos.size() / 3);
        for (int k = 0; k < 4; ++k) {
            const float su = (k == 1 || k == 2) ? 0.5f : -0.5f, sv = (k >= 2) ? 0.5f : -0.5f;
            const glm::vec3 p = n * 0.5f + u * su + v * sv + glm::vec3(0, 0.5f, 0);
            pos.insert(pos.end(), {p.x, p.y, p.z});
            nrm.insert(nrm.end(), {n.x, n.y, n.z});
        }
        // (u x v) = n for this basis, so 0-1-2 is counter-clockwise seen from outside.
        idx.insert(idx.end(), {base, uint16_t(base + 1), uint16_t(base + 2), base, uint16_t(base + 2),
                               uint16_t(base + 3)});
    }
    tinygltf::Primitive p;
    p.attributes["POSITION"] = b.add_floats(pos, TINYGLTF_TYPE_VEC3, true);
    p.attributes["NORMAL"] = b.add_floats(nrm, TINYGLTF_TYPE_VEC3, false);
    p.indices = b.add_indices(idx);
    p.material = material;
    return b.add_mesh("walls", p);
}

// A gabled roof over the unit box: non-indexed, no normals (the loader computes flat
// ones), with vertex colours darkening towards the ridge.
int make_roof(Builder& b, int material) {
    const glm::vec3 a{-0.55f, 0, -0.55f}, bb{0.55f, 0, -0.55f}, c{0.55f, 0, 0.55f}, d{-0.55f, 0, 0.55f};
    const glm::vec3 r0{-0.55f, 0.5f, 0}, r1{0.55f, 0.5f, 0};
    const std::vector<glm::vec3> tris = {
        a,  r0, r1, a, r1, bb,  // north slope (-z), counter-clockwise from outside
        d,  c,  r1, d, r1, r0,  // south slope (+z)
        a,  d,  r0,             // west gable
        bb, r1, c,              // east gable
    };
    std::vector<float> pos;
    std::vector<uint8_t> col;
    for (const auto& v : tris) {
        pos.insert(pos.end(), {v.x, v.y, v.z});
        const auto shade = uint8_t(v.y > 0.25f ? 150 : 255);
        col.insert(col.end(), {shade, shade, shade, 255});
    }
    tinygltf::Primitive p;
    p.attributes["POSITION"] = b.add_floats(pos, TINYGLTF_TYPE_VEC3, true);
    p.attributes["COLOR_0"] = b.add_colors(col);
    p.material = material;
    return b.add_mesh("roof", p);
}

std::vector<unsigned char> checker_png() {
    constexpr int n = 64;
    std::vector<uint8_t> px(n * n * 4);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) {
            const bool light = ((x / 32) + (y / 32)) % 2 == 0;
            uint8_t* p = &px[(y * n + x) * 4];
            const bool line = x % 32 == 0 || y % 32 == 0;
            p[0] = line ? 90 : light ? 140 : 118;
            p[1] = line ? 110 : light ? 176 : 150;
            p[2] = line ? 70 : light ? 96 : 84;
            p[3] = 255;
        }
    std::vector<unsigned char> out;
    stbi_write_png_to_func(
        [](void* context, void* data, int size) {
            auto* bytes = static_cast<std::vector<unsigned char>*>(context);
            bytes->insert(bytes->end(), static_cast<unsigned char*>(data),
                          static_cast<unsigned char*>(data) + size);
        },
        &out, n, n, 4, px.data(), n * 4);
    return out;
}

}  // namespace

std::vector<uint8_t> make_test_scene_glb() {
    Builder b;
    // The checker texture, embedded in the glb.
    const auto png = checker_png();
    tinygltf::Image image;
    image.name = "checker";
    image.mimeType = "image/png";
    image.bufferView = b.add_view(png.data(), png.size(), 0);
    b.m.images.push_back(image);
    tinygltf::Sampler sampler;
    sampler.magFilter = TINYGLTF_TEXTURE_FILTER_LINEAR;
    sampler.minFilter = TINYGLTF_TEXTURE_FILTER_LINEAR_MIPMAP_LINEAR;
    sampler.wrapS = sampler.wrapT = TINYGLTF_TEXTURE_WRAP_REPEAT;
    b.m.samplers.push_back(sampler);
    tinygltf::Texture texture;
    texture.source = 0;
    texture.sampler = 0;
    b.m.textures.push_back(texture);

    const int grass = b.add_material("meadow", {1, 1, 1, 1}, 0);
    const int plaster = b.add_material("plaster", {0.80, 0.74, 0.62, 1});
    const int stone = b.add_material("church stone", {0.62, 0.60, 0.58, 1});
    const int tiles = b.add_material("roof tiles", {0.60, 0.16, 0.08, 1}, -1, true);

    const int ground = make_ground(b, grass);
    const int walls = make_walls(b, plaster);
    const int church_walls = make_walls(b, stone);
    const int roof = make_roof(b, tiles);

    std::vector<int> village;
    village.push_back(b.add_node("ground", ground, {}));
    // Houses along two streets: each a parent node (placement) with walls and a roof as
    // children (scaled box, roof lifted onto the walls).
    for (int i = 0; i < 24; ++i) {
        const int street = i / 12, k = i % 12;
        const double x = -55.0 + k * 10.0, z = street == 0 ? -12.0 : 12.0;
        const double angle = (k % 3) * 0.15;
        const double w = 7.0 + (k % 4), depth = 8.0 + (i % 3), h = 5.0 + (i % 2) * 2.5;
        const int house =
            b.add_node("house", -1, {x, 0, z}, {0, std::sin(angle / 2), 0, std::cos(angle / 2)});
        const int wall_node = b.add_node("house walls", walls, {}, {}, {w, h, depth});
        const int roof_node = b.add_node("house roof", roof, {0, h, 0}, {}, {w, 5.0, depth});
        b.m.nodes[house].children = {wall_node, roof_node};
        village.push_back(house);
    }
    // A church: a tall stone tower with a roof, turned a little off the street grid.
    const int church = b.add_node("church", -1, {20, 0, 35}, {0, std::sin(0.2), 0, std::cos(0.2)});
    const int nave = b.add_node("nave", church_walls, {0, 0, 0}, {}, {24, 11, 12});
    const int nave_roof = b.add_node("nave roof", roof, {0, 11, 0}, {}, {24, 8, 12});
    const int tower = b.add_node("tower", church_walls, {-15, 0, 0}, {}, {6, 32, 6});
    const int spire = b.add_node("spire", roof, {-15, 32, 0}, {}, {6, 10, 6});
    b.m.nodes[church].children = {nave, nave_roof, tower, spire};
    village.push_back(church);

    tinygltf::Scene scene;
    scene.name = "test village";
    scene.nodes = village;
    b.m.scenes.push_back(scene);
    b.m.defaultScene = 0;

    std::ostringstream out;
    tinygltf::TinyGLTF writer;
    writer.WriteGltfSceneToStream(&b.m, out, false, true);
    const std::string s = out.str();
    return {s.begin(), s.end()};
}

}  // namespace zw::render
