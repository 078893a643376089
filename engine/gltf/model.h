// A glTF 2.0 scene flattened for drawing: one vertex and one index array, meshes as
// ranges into them, and one instance per node that has a mesh, with its world
// transform in double precision. Pure CPU data; the renderer uploads it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "engine/geo/aabb.h"

namespace zw::gltf {

struct Vertex {
    glm::vec3 position;
    glm::vec3 normal;
    glm::vec2 uv;
    uint8_t color[4];  // linear RGBA, multiplied with the material colour
};
static_assert(sizeof(Vertex) == 36);

enum class Topology : uint8_t { triangles, lines, points };

struct Primitive {
    Topology topology = Topology::triangles;  // strips, fans and loops are turned into lists
    uint32_t first_vertex = 0;
    uint32_t vertex_count = 0;
    uint32_t first_index = 0;
    uint32_t index_count = 0;  // 0: not indexed, draw vertex_count vertices
    uint32_t material = 0;
    int32_t property_table = -1;  // EXT_mesh_features: the table its feature ids index, -1: none
    geo::Aabb bounds;             // in the mesh's own space
    uint32_t element_count() const { return index_count ? index_count : vertex_count; }
    uint32_t triangle_count() const { return topology == Topology::triangles ? element_count() / 3 : 0; }
};

struct Mesh {
    std::string name;
    std::vector<Primitive> primitives;
    geo::Aabb bounds;
};

// One copy of a GPU-instanced mesh (i3dm, EXT_mesh_gpu_instancing): an affine transform
// applied before its MeshInstance's `world`, as the three rows of a 3x4 matrix in floats
// (instances lie within a tile, metres from its origin), and its feature id.
struct InstanceTransform {
    glm::vec4 rows[3] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
    uint32_t feature = UINT32_MAX;  // i3dm BATCH_ID (indexes the batch table); UINT32_MAX: none
    uint32_t padding[3] = {};       // std430: the shader's struct is 64 bytes
};
static_assert(sizeof(InstanceTransform) == 64);

struct MeshInstance {
    uint32_t mesh = 0;
    glm::dmat4 world{1.0};
    geo::Aabb world_bounds;         // all its copies when instanced
    glm::mat3 normal_matrix{1.0f};  // inverse transpose of world's 3x3, for normals
    // GPU instancing: drawn instance_count times, copy i at world * transform of
    // Model::instance_transforms[first_instance + i]. 0: drawn once at `world`.
    uint32_t first_instance = 0;
    uint32_t instance_count = 0;
};

// The instance of `mesh` at `world`, with its bounds and normal matrix filled in.
MeshInstance make_instance(uint32_t mesh, const geo::Aabb& mesh_bounds, const glm::dmat4& world);

// The same, drawn once per entry of `copies` (each applied before `world`, so in the
// mesh instance's own space), whose transforms and `features` (empty: none; else one
// per copy) are appended to `transforms`.
MeshInstance make_instanced(uint32_t mesh, const geo::Aabb& mesh_bounds, const glm::dmat4& world,
                            std::span<const glm::dmat4> copies, std::span<const uint32_t> features,
                            std::vector<InstanceTransform>& transforms);

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

// Feature attributes (EXT_structural_metadata property table, or a b3dm batch table),
// decoded to display text: values[property][feature]. Only what the file holds.
struct PropertyTable {
    std::string name;      // the table's name or class id
    std::string class_id;  // schema class ("" for b3dm batch tables)
    uint32_t count = 0;    // features
    std::vector<std::string> properties;
    std::vector<std::vector<std::string>> values;  // [property][feature]
};

struct Model {
    std::string name;
    std::vector<Vertex> vertices;
    std::vector<uint32_t> indices;
    std::vector<Mesh> meshes;
    std::vector<MeshInstance> instances;
    std::vector<InstanceTransform> instance_transforms;  // of instanced MeshInstances
    std::vector<Material> materials;  // never empty: index 0 is the default material if the file has none
    std::vector<Texture> textures;
    std::vector<TextureImage> images;
    // Per vertex (parallel to `vertices`), the feature id from EXT_mesh_features
    // (first feature id set) or b3dm _BATCHID; empty when the file has none.
    // UINT32_MAX: no feature.
    std::vector<uint32_t> feature_ids;
    std::vector<PropertyTable> property_tables;
    geo::Aabb bounds;  // world space, all instances

    uint64_t triangle_count() const;  // over all instances and their copies, as drawn
};

// Reads a file a glTF refers to (external buffer or image) by its URI as written in
// the glTF; throws zw::Error when it cannot.
using ResourceFetch = std::function<std::vector<uint8_t>(const std::string& uri)>;

struct LoadOptions {
    // Applied above the glTF root: world = placement * [CESIUM_RTC] * y_up_to_z_up *
    // node transforms.
    glm::dmat4 placement{1.0};
    // External buffers and images of glTF JSON. Empty: load_model reads files next to
    // the model, load_model_from_memory refuses external references.
    ResourceFetch fetch;
    // b3dm: the batch table. It is appended to Model::property_tables, and the _BATCHID
    // vertex attribute gives the feature ids of primitives without EXT_mesh_features.
    std::optional<PropertyTable> batch_table;
    // A model with nothing to draw is returned without instances instead of refused
    // (tile contents may be empty on purpose).
    bool allow_empty = false;
    // Receives what was skipped (unsupported metadata, undecodable image, ...);
    // null: logged as warnings.
    std::vector<std::string>* warnings = nullptr;
};

// The 3D Tiles convention: glTF is y-up, the world is z-up.
glm::dmat4 y_up_to_z_up();

// Loads a .glb or .gltf file. Throws zw::Error naming the file and the problem
// (missing, unreadable, not glTF, broken accessors, nothing to draw).
Model load_model(const std::filesystem::path& path, const LoadOptions& options = {});
// The same for a glb held in memory; `name` stands in for the file name in messages.
Model load_model_from_glb(std::span<const uint8_t> glb, const std::string& name,
                          const LoadOptions& options = {});
// A glb or glTF JSON held in memory (told apart by the "glTF" magic). Extensions read:
// KHR_mesh_quantization, EXT_meshopt_compression, KHR_draco_mesh_compression (libdraco),
// EXT_mesh_gpu_instancing (TRANSLATION, ROTATION, SCALE per copy, drawn with GPU
// instancing), EXT_mesh_features (feature ids), EXT_structural_metadata (property tables
// as text), CESIUM_RTC, KHR_texture_transform (base colour). Throws zw::Error naming
// `name` for truncated or broken files and for required extensions it cannot honour
// (KHR_texture_basisu, ...).
Model load_model_from_memory(std::span<const uint8_t> bytes, const std::string& name,
                             const LoadOptions& options = {});

}  // namespace zw::gltf
