// A glTF 2.0 scene flattened for drawing: one vertex and one index array, meshes as
// ranges into them, and one instance per node that has a mesh, with its world
// transform in double precision. Pure CPU data; the renderer uploads it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "engine/render/frustum.h"

namespace zw::render {

struct Vertex {
    glm::vec3 position;
    glm::vec3 normal;
    glm::vec2 uv;
    uint8_t color[4];  // linear RGBA, multiplied with the material colour
};
static_assert(sizeof(Vertex) == 36);

struct Primitive {
    uint32_t first_vertex = 0;
    uint32_t vertex_count = 0;
    uint32_t first_index = 0;
    uint32_t index_count = 0;  // 0: not indexed, draw vertex_count vertices
    uint32_t material = 0;
    Aabb bounds;  // in the mesh's own space
    uint32_t triangle_count() const { return (index_count ? index_count : vertex_count) / 3; }
};

struct Mesh {
    std::string name;
    std::vector<Primitive> primitives;
    Aabb bounds;
};

struct MeshInstance {
    uint32_t mesh = 0;
    glm::dmat4 world{1.0};
    Aabb world_bounds;
    glm::mat3 normal_matrix{1.0f};  // inverse transpose of world's 3x3, for normals
};

// The instance of `mesh` at `world`, with its bounds and normal matrix filled in.
MeshInstance make_instance(uint32_t mesh, const Aabb& mesh_bounds, const glm::dmat4& world);

// glTF sampler values (GL enums), translated by the renderer.
struct SamplerDesc {
    int mag_filter = 9729;  // LINEAR
    int min_filter = 9987;  // LINEAR_MIPMAP_LINEAR
    int wrap_s = 10497;     // REPEAT
    int wrap_t = 10497;
};

struct TextureImage {
    std::string name;
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgba;  // sRGB-encoded RGBA8
};

struct Texture {
    uint32_t image = 0;
    SamplerDesc sampler;
};

struct Material {
    std::string name;
    glm::vec4 base_color{1.0f};  // linear
    int32_t base_color_texture = -1;
    bool double_sided = false;
};

struct Model {
    std::string name;
    std::vector<Vertex> vertices;
    std::vector<uint32_t> indices;
    std::vector<Mesh> meshes;
    std::vector<MeshInstance> instances;
    std::vector<Material> materials;  // never empty: index 0 is the default material if the file has none
    std::vector<Texture> textures;
    std::vector<TextureImage> images;
    Aabb bounds;  // world space, all instances

    uint64_t triangle_count() const;  // over all instances, as drawn
};

struct LoadOptions {
    // Applied above the glTF root: world = placement * y_up_to_z_up * node transforms.
    glm::dmat4 placement{1.0};
};

// The 3D Tiles convention: glTF is y-up, the world is z-up.
glm::dmat4 y_up_to_z_up();

// Loads a .glb or .gltf file. Throws zw::Error naming the file and the problem
// (missing, unreadable, not glTF, broken accessors, no triangles).
Model load_model(const std::filesystem::path& path, const LoadOptions& options = {});
// The same for a glb held in memory; `name` stands in for the file name in messages.
Model load_model_from_glb(std::span<const uint8_t> glb, const std::string& name,
                          const LoadOptions& options = {});

}  // namespace zw::render
