// glTF loading: the built-in test scene, and the errors broken or missing files give.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <glm/glm.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "engine/core/error.h"
#include "engine/gltf/model.h"
#include "engine/render/test_scene.h"
#include "tests/unit/temp_dir.h"

namespace {

using zw::gltf::Model;

using zw::test::TempDir;

void write_file(const std::filesystem::path& path, std::span<const uint8_t> bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << path;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// The test scene is built and loaded once for the whole suite.
class TestScene : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        glb_ = new std::vector<uint8_t>(zw::render::make_test_scene_glb());
        model_ = new Model(zw::gltf::load_model_from_glb(*glb_, "test"));
    }
    static void TearDownTestSuite() {
        delete model_;
        delete glb_;
        model_ = nullptr;
        glb_ = nullptr;
    }
    static const Model& model() { return *model_; }
    static const std::vector<uint8_t>& glb() { return *glb_; }

    static const zw::gltf::Mesh* mesh_named(const std::string& name) {
        for (const auto& m : model_->meshes)
            if (m.name == name) return &m;
        return nullptr;
    }

  private:
    static inline std::vector<uint8_t>* glb_ = nullptr;
    static inline Model* model_ = nullptr;
};

TEST_F(TestScene, HasInstancesAndManyTriangles) {
    const Model& m = model();
    EXPECT_EQ(m.name, "test");
    ASSERT_FALSE(m.instances.empty());
    EXPECT_GT(m.instances.size(), 1u);
    for (const auto& inst : m.instances)
        ASSERT_LT(inst.mesh, m.meshes.size());
    EXPECT_GT(m.triangle_count(), 30000u);
    ASSERT_FALSE(m.materials.empty());
}

TEST_F(TestScene, PrimitivesStayInsideTheSharedArrays) {
    const Model& m = model();
    size_t indexed = 0, non_indexed = 0;
    for (const auto& mesh : m.meshes) {
        ASSERT_FALSE(mesh.primitives.empty()) << mesh.name;
        for (const auto& p : mesh.primitives) {
            ASSERT_LE(uint64_t(p.first_vertex) + p.vertex_count, m.vertices.size()) << mesh.name;
            ASSERT_LT(p.material, m.materials.size()) << mesh.name;
            if (p.index_count == 0) {
                ++non_indexed;
                EXPECT_EQ(p.vertex_count % 3, 0u) << mesh.name;
                continue;
            }
            ++indexed;
            EXPECT_EQ(p.index_count % 3, 0u) << mesh.name;
            ASSERT_LE(uint64_t(p.first_index) + p.index_count, m.indices.size()) << mesh.name;
            // Indices are relative to first_vertex (drawn with vertexOffset = first_vertex).
            for (uint32_t k = 0; k < p.index_count; ++k)
                ASSERT_LT(m.indices[p.first_index + k], p.vertex_count) << mesh.name << " index " << k;
        }
    }
    // The scene exercises both kinds of draw.
    EXPECT_GT(indexed, 0u);
    EXPECT_GT(non_indexed, 0u);
}

TEST_F(TestScene, RoofsGetFlatUnitNormals) {
    const Model& m = model();
    const zw::gltf::Mesh* roof = mesh_named("roof");
    ASSERT_NE(roof, nullptr);
    for (const auto& p : roof->primitives) {
        EXPECT_EQ(p.index_count, 0u);  // the file has no indices for the roof
        ASSERT_GT(p.vertex_count, 0u);
        for (uint32_t t = 0; t + 2 < p.vertex_count; t += 3) {
            const auto& a = m.vertices[p.first_vertex + t];
            const auto& b = m.vertices[p.first_vertex + t + 1];
            const auto& c = m.vertices[p.first_vertex + t + 2];
            const glm::vec3 face = glm::cross(b.position - a.position, c.position - a.position);
            for (const auto* v : {&a, &b, &c}) {
                EXPECT_NEAR(glm::length(v->normal), 1.0f, 1e-5f) << "triangle " << t / 3;
                // Flat: perpendicular to the triangle, on its counter-clockwise (front) side.
                EXPECT_NEAR(glm::dot(v->normal, glm::normalize(face)), 1.0f, 1e-5f) << "triangle " << t / 3;
            }
        }
    }
}

TEST_F(TestScene, VertexColoursAreRead) {
    const Model& m = model();
    bool tinted = false;
    for (const auto& v : m.vertices)
        for (uint8_t c : v.color)
            tinted = tinted || c != 255;
    EXPECT_TRUE(tinted);
}

TEST_F(TestScene, TexturedMaterialHasItsImage) {
    const Model& m = model();
    int textured = -1;
    for (size_t i = 0; i < m.materials.size(); ++i)
        if (m.materials[i].base_color_texture >= 0) textured = int(i);
    ASSERT_GE(textured, 0) << "no material has a base colour texture";

    const auto tex = size_t(m.materials[textured].base_color_texture);
    ASSERT_LT(tex, m.textures.size());
    const auto& texture = m.textures[tex];
    ASSERT_LT(texture.image, m.images.size());
    const auto& image = m.images[texture.image];
    EXPECT_EQ(image.width, 64);
    EXPECT_EQ(image.height, 64);
    EXPECT_EQ(image.rgba.size(), 64u * 64u * 4u);
    // The scene's texture repeats (GL_REPEAT).
    EXPECT_EQ(texture.sampler.wrap_s, 10497);
    EXPECT_EQ(texture.sampler.wrap_t, 10497);

    // Some primitive draws with it, and has texture coordinates that actually vary.
    bool used = false;
    for (const auto& mesh : m.meshes)
        for (const auto& p : mesh.primitives) {
            if (p.material != uint32_t(textured)) continue;
            used = true;
            glm::vec2 lo(1e30f), hi(-1e30f);
            for (uint32_t k = 0; k < p.vertex_count; ++k) {
                lo = glm::min(lo, m.vertices[p.first_vertex + k].uv);
                hi = glm::max(hi, m.vertices[p.first_vertex + k].uv);
            }
            EXPECT_GT(hi.x - lo.x, 1.0f);
            EXPECT_GT(hi.y - lo.y, 1.0f);
        }
    EXPECT_TRUE(used);
}

TEST_F(TestScene, BoundsAreZUp) {
    const Model& m = model();
    ASSERT_TRUE(m.bounds.valid());
    // The ground is 400 m square, centred on the origin, in the x-y plane.
    EXPECT_NEAR(m.bounds.min.x, -200.0, 1e-3);
    EXPECT_NEAR(m.bounds.max.x, 200.0, 1e-3);
    EXPECT_NEAR(m.bounds.min.y, -200.0, 1e-3);
    EXPECT_NEAR(m.bounds.max.y, 200.0, 1e-3);
    // Height is z: nothing far below the ground, and the church tower stands tall.
    EXPECT_GT(m.bounds.min.z, -10.0);
    EXPECT_GT(m.bounds.max.z, 30.0);

    // A building (the church tower) stands on the ground at z = 0 and rises above 30 m.
    bool tower = false;
    for (const auto& inst : m.instances) {
        if (m.meshes[inst.mesh].name == "ground") continue;
        tower = tower || (std::abs(inst.world_bounds.min.z) < 1.0 && inst.world_bounds.max.z > 30.0);
    }
    EXPECT_TRUE(tower);

    // The model bounds contain every instance.
    for (const auto& inst : m.instances) {
        ASSERT_TRUE(inst.world_bounds.valid());
        for (int k = 0; k < 3; ++k) {
            EXPECT_LE(m.bounds.min[k], inst.world_bounds.min[k]);
            EXPECT_GE(m.bounds.max[k], inst.world_bounds.max[k]);
        }
    }
}

TEST_F(TestScene, PlacementMovesTheWholeModel) {
    const glm::dvec3 offset{1000.0, -2000.0, 300.0};
    zw::gltf::LoadOptions options;
    options.placement = glm::translate(glm::dmat4(1.0), offset);
    const Model placed = zw::gltf::load_model_from_glb(glb(), "placed", options);
    ASSERT_EQ(placed.instances.size(), model().instances.size());
    for (int k = 0; k < 3; ++k) {
        EXPECT_NEAR(placed.bounds.min[k], model().bounds.min[k] + offset[k], 1e-6);
        EXPECT_NEAR(placed.bounds.max[k], model().bounds.max[k] + offset[k], 1e-6);
    }
}

TEST_F(TestScene, LoadingTheSameBytesFromAFileGivesTheSameModel) {
    TempDir dir;
    const auto path = dir.path() / "village.glb";
    write_file(path, glb());
    const Model from_file = zw::gltf::load_model(path);
    EXPECT_EQ(from_file.triangle_count(), model().triangle_count());
    EXPECT_EQ(from_file.vertices.size(), model().vertices.size());
    EXPECT_EQ(from_file.indices, model().indices);
    EXPECT_EQ(from_file.instances.size(), model().instances.size());
    EXPECT_EQ(from_file.materials.size(), model().materials.size());
}

TEST_F(TestScene, TruncatedFilesGiveAnError) {
    TempDir dir;
    const size_t size = glb().size();
    ASSERT_GT(size, 1000u);
    for (size_t length : {size / 2, size_t(12), size_t(20), size / 4, size - size / 10, size - 4}) {
        const std::span<const uint8_t> prefix(glb().data(), length);
        const auto path = dir.path() / ("truncated_" + std::to_string(length) + ".glb");
        write_file(path, prefix);
        try {
            zw::gltf::load_model(path);
            ADD_FAILURE() << "a glb cut to " << length << " of " << size << " bytes loaded";
        } catch (const zw::Error& e) {
            EXPECT_TRUE(contains(e.what(), path.filename().string())) << e.what();
        }
        EXPECT_THROW(zw::gltf::load_model_from_glb(prefix, "cut"), zw::Error) << length;
    }
}

TEST(LoadModel, MissingFileSaysSo) {
    TempDir dir;
    const auto path = dir.path() / "nowhere.glb";
    try {
        zw::gltf::load_model(path);
        FAIL() << "load_model of a missing file returned";
    } catch (const zw::Error& e) {
        EXPECT_TRUE(contains(e.what(), path.string())) << e.what();
        EXPECT_TRUE(contains(e.what(), "does not exist")) << e.what();
    }
}

TEST(LoadModel, GarbageFileIsNamed) {
    TempDir dir;
    std::mt19937 rng(99);
    std::vector<uint8_t> garbage(4096);
    for (auto& b : garbage)
        b = static_cast<uint8_t>(rng() & 0xff);
    for (const char* name : {"garbage.glb", "garbage.gltf", "garbage.bin"}) {
        const auto path = dir.path() / name;
        write_file(path, garbage);
        try {
            zw::gltf::load_model(path);
            ADD_FAILURE() << "load_model of random bytes returned for " << name;
        } catch (const zw::Error& e) {
            EXPECT_TRUE(contains(e.what(), name)) << e.what();
        }
    }
}

TEST(LoadModel, GarbageBehindAGltfMagicIsAnError) {
    // Starts like a glb, then nonsense: must be a message, not a crash.
    TempDir dir;
    std::vector<uint8_t> bytes = {'g', 'l', 'T', 'F', 2, 0, 0, 0, 64, 0, 0, 0};
    std::mt19937 rng(7);
    while (bytes.size() < 64)
        bytes.push_back(static_cast<uint8_t>(rng() & 0xff));
    const auto path = dir.path() / "fake.glb";
    write_file(path, bytes);
    EXPECT_THROW(zw::gltf::load_model(path), zw::Error);
    EXPECT_THROW(zw::gltf::load_model_from_glb(bytes, "fake"), zw::Error);
}

// A one-triangle .gltf whose buffer (36 bytes, embedded) is read through accessor 0.
std::string one_triangle_gltf(const std::string& accessor_extra, const std::string& view_extra) {
    return R"({"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
 "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
 "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",)" +
           accessor_extra + R"( "min": [0, 0, 0], "max": [1, 1, 0]}],
 "bufferViews": [{"buffer": 0,)" +
           view_extra + R"( "byteLength": 36}],
 "buffers": [{"byteLength": 36,
  "uri": "data:application/octet-stream;base64,AAAAAAAAAAAAAAAAAACAPwAAAAAAAAAAAAAAAAAAgD8AAAAA"}]})";
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    ASSERT_TRUE(out.good()) << path;
}

TEST(LoadModel, OneTriangleGltfLoads) {
    // The well-formed base of the next test.
    TempDir dir;
    const auto path = dir.path() / "triangle.gltf";
    write_text(path, one_triangle_gltf("", ""));
    const Model m = zw::gltf::load_model(path);
    EXPECT_EQ(m.triangle_count(), 1u);
}

TEST(LoadModel, ExternalBufferNextToTheGltfIsRead) {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "bin");
    const float pos[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    write_file(dir.path() / "bin" / "tri angle.bin",
               std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(pos), sizeof pos));
    std::string text = one_triangle_gltf("", "");
    const size_t at = text.find("data:application");
    text.replace(at, text.find('"', at) - at, "bin/tri%20angle.bin");
    write_text(dir.path() / "external.gltf", text);
    const Model m = zw::gltf::load_model(dir.path() / "external.gltf");
    EXPECT_EQ(m.triangle_count(), 1u);

    // A missing external buffer is named.
    std::filesystem::remove(dir.path() / "bin" / "tri angle.bin");
    try {
        zw::gltf::load_model(dir.path() / "external.gltf");
        FAIL() << "loaded without its buffer";
    } catch (const zw::Error& e) {
        EXPECT_TRUE(contains(e.what(), "external.gltf")) << e.what();
        EXPECT_TRUE(contains(e.what(), "tri angle.bin")) << e.what();
    }
}

// Offsets near 2^64 in a hostile file must not wrap around in the bounds checks.
TEST(LoadModel, OffsetsThatWrapAroundAreAnError) {
    TempDir dir;
    const struct {
        const char* name;
        std::string text;
    } files[] = {
        {"accessor_offset.gltf", one_triangle_gltf(R"( "byteOffset": 18446744073709551608,)", "")},
        {"view_offset.gltf", one_triangle_gltf("", R"( "byteOffset": 18446744073709551600,)")},
    };
    for (const auto& f : files) {
        const auto path = dir.path() / f.name;
        write_text(path, f.text);
        try {
            zw::gltf::load_model(path);
            ADD_FAILURE() << f.name << " loaded";
        } catch (const zw::Error& e) {
            EXPECT_TRUE(contains(e.what(), f.name)) << e.what();
        }
    }
}

TEST(LoadModel, AFolderIsNotAModel) {
    TempDir dir;
    try {
        zw::gltf::load_model(dir.path());
        FAIL() << "load_model of a folder returned";
    } catch (const zw::Error& e) {
        EXPECT_TRUE(contains(e.what(), dir.path().string())) << e.what();
    }
}

TEST(YUpToZUp, TurnsGltfUpIntoWorldUp) {
    const glm::dmat4 m = zw::gltf::y_up_to_z_up();
    const glm::dvec3 x(m * glm::dvec4(1, 0, 0, 0)), y(m * glm::dvec4(0, 1, 0, 0)),
        z(m * glm::dvec4(0, 0, 1, 0));
    EXPECT_EQ(x, glm::dvec3(1, 0, 0));
    EXPECT_EQ(y, glm::dvec3(0, 0, 1));             // glTF up is world up
    EXPECT_EQ(z, glm::dvec3(0, -1, 0));            // glTF +z (towards the viewer) is world south
    EXPECT_NEAR(glm::determinant(m), 1.0, 1e-15);  // a rotation, no mirroring
}

}  // namespace
