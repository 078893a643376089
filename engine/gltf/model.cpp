// The model's own operations and the public entry points of the loader (loader.cpp).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

#include "engine/core/error.h"
#include "engine/core/uri.h"
#include "engine/gltf/internal.h"
#include "engine/gltf/model.h"

namespace zw::gltf {

glm::dmat4 y_up_to_z_up() {
    glm::dmat4 m(1.0);
    m[1] = {0, 0, 1, 0};   // glTF +y becomes +z
    m[2] = {0, -1, 0, 0};  // glTF +z becomes -y
    return m;
}

MeshInstance make_instance(uint32_t mesh, const geo::Aabb& mesh_bounds, const glm::dmat4& world) {
    const glm::dmat3 m(world);
    // A degenerate (zero-scale) transform draws nothing visible; keep its normals finite.
    const glm::dmat3 normal = std::abs(glm::determinant(m)) > 1e-300 ? glm::transpose(glm::inverse(m)) : m;
    return {mesh, world, geo::transform_aabb(mesh_bounds, world), glm::mat3(normal)};
}

MeshInstance make_instanced(uint32_t mesh, const geo::Aabb& mesh_bounds, const glm::dmat4& world,
                            std::span<const glm::dmat4> copies, std::span<const uint32_t> features,
                            std::vector<InstanceTransform>& transforms) {
    MeshInstance inst = make_instance(mesh, mesh_bounds, world);
    inst.first_instance = uint32_t(transforms.size());
    inst.instance_count = uint32_t(copies.size());
    inst.world_bounds = geo::Aabb{};
    for (size_t i = 0; i < copies.size(); ++i) {
        const glm::dmat4& m = copies[i];
        InstanceTransform t;
        for (int r = 0; r < 3; ++r)
            t.rows[r] = glm::vec4(float(m[0][r]), float(m[1][r]), float(m[2][r]), float(m[3][r]));
        t.feature = i < features.size() ? features[i] : UINT32_MAX;
        transforms.push_back(t);
        const geo::Aabb b = geo::transform_aabb(mesh_bounds, world * m);
        inst.world_bounds.extend(b.min);
        inst.world_bounds.extend(b.max);
    }
    return inst;
}

uint64_t Model::triangle_count() const {
    uint64_t total = 0;
    for (const auto& inst : instances)
        for (const auto& p : meshes[inst.mesh].primitives)
            total += p.triangle_count() * std::max<uint64_t>(inst.instance_count, 1);
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
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const bool binary = bytes.size() >= 4 && std::memcmp(bytes.data(), "glTF", 4) == 0;
    if (!binary && path.extension() != ".gltf")
        fail("cannot open model '", name,
             "': it is not a glTF file (expected a .glb starting with 'glTF', or .gltf JSON)");
    if (options.fetch) return detail::load(bytes, name, options);

    // External buffers and images live next to the file.
    LoadOptions with_files = options;
    const std::filesystem::path dir = path.parent_path();
    with_files.fetch = [&dir](const std::string& uri) {
        const std::filesystem::path file = dir / core::percent_decode(uri);
        std::ifstream f(file, std::ios::binary);
        if (!f) fail("cannot read '", file.string(), "': missing or unreadable");
        return std::vector<uint8_t>{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
    };
    return detail::load(bytes, name, with_files);
}

Model load_model_from_glb(std::span<const uint8_t> glb, const std::string& name, const LoadOptions& options) {
    if (glb.size() < 4 || std::memcmp(glb.data(), "glTF", 4) != 0)
        fail("cannot load model '", name, "': it is not a glb (no 'glTF' magic)");
    return detail::load(glb, name, options);
}

Model load_model_from_memory(std::span<const uint8_t> bytes, const std::string& name,
                             const LoadOptions& options) {
    return detail::load(bytes, name, options);
}

}  // namespace zw::gltf
