// 3D models via Assimp: every mesh of every node becomes one "imported_model" feature.
#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

#include <assimp/config.h>
#include <assimp/material.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>
#include <assimp/Importer.hpp>

#include "app/bake/import/import.h"
#include "app/bake/import/import_mesh.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

namespace zw::bake {

namespace {

using import_detail::is_degenerate;

glm::dmat4 to_glm(const aiMatrix4x4& m) {
    glm::dmat4 g(1.0);
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            g[c][r] = m[static_cast<unsigned>(r)][static_cast<unsigned>(c)];
    return g;
}

// The material's colour as linear RGBA: glTF's base colour, else the diffuse colour.
glm::dvec4 material_color(const aiMaterial* mat) {
    if (mat == nullptr) return glm::dvec4(1.0);
    aiColor4D c(1.f, 1.f, 1.f, 1.f);
    if (mat->Get(AI_MATKEY_BASE_COLOR, c) != AI_SUCCESS) mat->Get(AI_MATKEY_COLOR_DIFFUSE, c);
    float opacity = 1.f;
    // OBJ's "d" and FBX's opacity come as AI_MATKEY_OPACITY; glTF puts alpha in the colour.
    if (c.a >= 1.f && mat->Get(AI_MATKEY_OPACITY, opacity) == AI_SUCCESS) c.a = opacity;
    return {c.r, c.g, c.b, c.a};
}

bool usable_name(const std::string& s, const std::string& file_name) {
    return !s.empty() && s != file_name && s != "RootNode" && s.rfind("defaultobject", 0) != 0;
}

struct Placement {
    glm::dmat3 rotate;  // y-up model axes to z-up, then the rotation about z
    double scale;
    glm::dvec3 offset;  // position in the local frame
};

}  // namespace

FeatureLayer import_model(const ModelImport& in, const LocalOrigin& origin) {
    const std::string file = in.file.string();
    const std::string file_name = in.file.filename().string();
    const std::string layer_id = import_detail::checked_layer_id(in.layer_id, "import", file);

    if (!is_epsg_25832(in.crs))
        fail("model '", file, "': the coordinate reference system '", in.crs,
             "' is not supported; zwilling-bake places models in EPSG:25832 (ETRS89 / UTM zone 32N) only. "
             "Give the position as EPSG:25832 easting, northing and height (e.g. converted with QGIS or "
             "cs2cs) and set crs to \"EPSG:25832\".");
    if (!std::isfinite(in.position.x) || !std::isfinite(in.position.y) || !std::isfinite(in.position.z) ||
        !std::isfinite(in.rotation_deg))
        fail("model '", file, "': position and rotation_deg must be finite numbers");
    if (!(in.scale > 0) || !std::isfinite(in.scale))
        fail("model '", file, "': scale must be a positive number (model units per metre), not ", in.scale);

    std::error_code ec;
    if (!std::filesystem::is_regular_file(in.file, ec))
        fail("model '", file, "' not found (or not a file); check the path in the recipe");

    Assimp::Importer importer;
    // Normals are smoothed only across edges below 45 degrees: models of the built
    // world are mostly boxes, whose edges must stay sharp.
    importer.SetPropertyFloat(AI_CONFIG_PP_GSN_MAX_SMOOTHING_ANGLE, 45.f);
    const aiScene* scene =
        importer.ReadFile(file, aiProcess_Triangulate | aiProcess_GenSmoothNormals |
                                    aiProcess_JoinIdenticalVertices | aiProcess_ValidateDataStructure);
    if (scene == nullptr) {
        std::string why = importer.GetErrorString();
        while (!why.empty() && (why.back() == '.' || why.back() == ' ' || why.back() == '\n'))
            why.pop_back();
        fail("cannot read model '", file, "': ", why,
             ". zwilling-bake reads glTF (.gltf/.glb), OBJ, FBX and the other formats Assimp knows; "
             "check that the file is complete and exported in one of them.");
    }
    if (scene->mRootNode == nullptr || (scene->mFlags & AI_SCENE_FLAGS_INCOMPLETE) != 0)
        fail("model '", file,
             "' has no meshes (Assimp read only a partial scene); export it again with its geometry");

    // y-up to z-up: a model point (x, y, z) is the local point (x, -z, y). The model
    // formats are y-up: glTF by definition; OBJ and FBX by convention (Blender, 3ds Max
    // and SketchUp exports default to it), which we assume rather than guess.
    const double theta = in.rotation_deg * std::numbers::pi / 180.0;
    const double c = std::cos(theta), s = std::sin(theta);
    const glm::dmat3 y_up_to_z_up(glm::dvec3(1, 0, 0), glm::dvec3(0, 0, 1), glm::dvec3(0, -1, 0));  // columns
    const glm::dmat3 about_z(glm::dvec3(c, s, 0), glm::dvec3(-s, c, 0), glm::dvec3(0, 0, 1));
    const Placement place{about_z * y_up_to_z_up, in.scale,
                          in.position - glm::dvec3(origin.easting, origin.northing, origin.height)};

    FeatureLayer layer;
    layer.id = layer_id;
    layer.title_de = in.title_de.empty() ? file_name : in.title_de;
    layer.title_en = in.title_en.empty() ? file_name : in.title_en;
    layer.group = "import";
    layer.access = in.access;
    layer.feature_class.id = "imported_model";
    layer.feature_class.properties = {
        {"id", PropertyType::string, in.access, "Kennung", "ID"},
        {"name", PropertyType::string, in.access, "Name", "Name"},
        {"source_file", PropertyType::string, in.access, "Quelldatei", "Source file"},
    };

    size_t degenerate = 0, non_triangles = 0;
    // Depth-first over the node tree with the accumulated transforms; no recursion, so
    // a hostile file cannot overflow the stack.
    std::vector<std::pair<const aiNode*, glm::dmat4>> stack{
        {scene->mRootNode, to_glm(scene->mRootNode->mTransformation)}};
    while (!stack.empty()) {
        const auto [node, transform] = stack.back();
        stack.pop_back();
        for (unsigned k = node->mNumChildren; k-- > 0;)
            stack.emplace_back(node->mChildren[k], transform * to_glm(node->mChildren[k]->mTransformation));

        const glm::dmat3 linear(transform);
        const glm::dmat3 normal_matrix = glm::transpose(glm::inverse(linear));
        const bool mirrored = glm::determinant(linear) < 0;  // flips the winding

        for (unsigned k = 0; k < node->mNumMeshes; ++k) {
            const aiMesh* mesh = scene->mMeshes[node->mMeshes[k]];
            const aiMaterial* mat = mesh->mMaterialIndex < scene->mNumMaterials
                                        ? scene->mMaterials[mesh->mMaterialIndex]
                                        : nullptr;
            const glm::dvec4 base = material_color(mat);

            TriMesh tri;
            tri.positions.resize(mesh->mNumVertices);
            tri.normals.resize(mesh->mNumVertices, glm::vec3(0.f));
            tri.colors.resize(mesh->mNumVertices);
            for (unsigned v = 0; v < mesh->mNumVertices; ++v) {
                const aiVector3D& p = mesh->mVertices[v];
                const glm::dvec3 model = glm::dvec3(transform * glm::dvec4(p.x, p.y, p.z, 1.0));
                const glm::dvec3 local = place.offset + place.scale * (place.rotate * model);
                if (!std::isfinite(local.x) || !std::isfinite(local.y) || !std::isfinite(local.z))
                    fail("model '", file, "': mesh '", mesh->mName.C_Str(),
                         "' has a vertex whose coordinates are not numbers ",
                         "(NaN or infinite); repair the model in a modelling tool and export it again");
                tri.positions[v] = local;
                if (mesh->HasNormals()) {
                    const aiVector3D& n = mesh->mNormals[v];
                    const glm::dvec3 nl = place.rotate * (normal_matrix * glm::dvec3(n.x, n.y, n.z));
                    const double len = glm::length(nl);
                    if (len > 1e-12 && std::isfinite(len)) tri.normals[v] = glm::vec3(nl / len);
                }
                glm::dvec4 color = base;
                if (mesh->HasVertexColors(0)) {
                    const aiColor4D& vc = mesh->mColors[0][v];
                    color *= glm::dvec4(vc.r, vc.g, vc.b, vc.a);
                }
                tri.colors[v] = import_detail::linear_to_srgb8(color.r, color.g, color.b, color.a);
            }

            for (unsigned f = 0; f < mesh->mNumFaces; ++f) {
                const aiFace& face = mesh->mFaces[f];
                if (face.mNumIndices != 3) {  // points and lines: nothing to draw as a surface
                    ++non_triangles;
                    continue;
                }
                uint32_t i0 = face.mIndices[0], i1 = face.mIndices[1], i2 = face.mIndices[2];
                if (mirrored) std::swap(i1, i2);
                const glm::dvec3 &a = tri.positions[i0], &b = tri.positions[i1], &cc = tri.positions[i2];
                if (is_degenerate(a, b, cc)) {
                    ++degenerate;
                    continue;
                }
                // Where the file or Assimp left no usable normal, the face normal stands in.
                const glm::vec3 fn(glm::normalize(glm::cross(b - a, cc - a)));
                for (uint32_t i : {i0, i1, i2})
                    if (glm::dot(tri.normals[i], tri.normals[i]) < 0.5f) tri.normals[i] = fn;
                tri.indices.insert(tri.indices.end(), {i0, i1, i2});
            }
            if (tri.empty()) continue;
            import_detail::drop_unused_vertices(tri);

            std::string name = node->mName.C_Str();
            if (!usable_name(name, file_name)) name = mesh->mName.C_Str();
            if (!usable_name(name, file_name)) name = file_name;

            Feature feature;
            feature.values = {layer_id + "-" + std::to_string(layer.features.size() + 1), name, file_name};
            const Rgba8 mean = import_detail::mean_color(tri);
            feature.lods.push_back(std::move(tri));
            feature.lods.push_back(import_detail::bounding_block(feature.lods[0], mean, mean, mean));
            layer.features.push_back(std::move(feature));
        }
    }

    if (degenerate > 0)
        core::warn("model '", file, "': skipped ", degenerate, " degenerate triangle(s) (zero area)");
    if (non_triangles > 0)
        core::info("model '", file, "': left out ", non_triangles,
                   " point(s) and line(s); only surfaces are imported");
    if (layer.features.empty())
        fail("model '", file, "' has no triangles to import (",
             degenerate > 0 ? "all of them have zero area" : "it holds only points, lines or nothing",
             "); export the surfaces of the model");
    core::info("model '", file, "': ", layer.features.size(), " mesh(es) imported into layer '", layer_id,
               "'");
    return layer;
}

}  // namespace zw::bake
