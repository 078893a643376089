// The streamer without a GPU: real tilesets from disk, loaded on the job system, with
// an uploader that only counts bytes. Checks what the viewer relies on: the view
// reaches full detail, a missing tile leaves its parent drawn, memory stays within
// the budget except for what the view needs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <glm/gtc/constants.hpp>

#include "engine/render/camera.h"
#include "engine/tiles/stream.h"

namespace zw::tiles {
namespace {

namespace fs = std::filesystem;

fs::path samples() {
    return (fs::path(ZW_SHARED_DATA) / "3d-tiles-samples").lexically_normal();
}

// Stands in for the GPU: "uploads" by dropping the vertex arrays, counting their bytes.
class CountingUploader : public ContentUploader {
  public:
    void upload(LoadedContent& c) override {
        c.gpu = std::make_shared<int>(1);
        c.gpu_bytes = c.model.vertices.size() * sizeof(gltf::Vertex) + c.model.indices.size() * 4;
        c.model.vertices = {};
        c.model.indices = {};
        c.cpu_bytes = 0;
        ++uploads;
    }
    void release(LoadedContent& c) override {
        c.gpu.reset();
        c.gpu_bytes = 0;
        ++releases;
    }
    int uploads = 0, releases = 0;
};

ViewState looking_at(const glm::dvec3& eye, const glm::dvec3& target, const glm::dvec3& up) {
    render::Camera cam;
    cam.fov_y = glm::radians(60.0);
    const glm::dvec3 z = glm::normalize(up);
    const glm::dvec3 x =
        glm::normalize(glm::cross(glm::abs(z.z) < 0.9 ? glm::dvec3(0, 0, 1) : glm::dvec3(1, 0, 0), z));
    cam.set_frame(glm::dmat3(x, glm::cross(z, x), z));
    cam.look_at(eye, target);
    ViewState v;
    v.eye = cam.eye();
    v.direction = cam.forward();
    v.culling = CullingVolume::from_matrix(cam.projection(1.0) * cam.view_rotation());
    v.viewport_height = 1000;
    v.fov_y = cam.fov_y;
    return v;
}

// The bytes of every content in memory under `t`: what the streamer must be counting.
uint64_t resident_bytes(const Tile& t) {
    uint64_t sum = 0;
    for (const TileContent& c : t.contents)
        if (c.loaded) sum += c.loaded->cpu_bytes + c.loaded->gpu_bytes;
    for (const auto& child : t.children)
        sum += resident_bytes(*child);
    return sum;
}

// Runs frames until the view is complete (or 30 s pass). Returns the frames used.
uint64_t run_until_complete(TileStreamer& s, const ViewState& v, uint64_t& frame) {
    const auto t0 = std::chrono::steady_clock::now();
    const uint64_t first = frame;
    do {
        s.update(v, ++frame);
        if (s.stats().complete) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
    return frame - first;
}

TEST(Stream, DiscreteLodShowsTheMediumLevelWhenTheFinestIsMissing) {
    const fs::path tileset = samples() / "1.0/TilesetWithDiscreteLOD/tileset.json";
    if (!fs::exists(tileset)) GTEST_SKIP() << tileset << " not present";
    core::JobSystem jobs(2);
    CountingUploader uploader;
    TileStreamer s(jobs, uploader);
    s.add_tileset(tileset.string(), "dragon");
    uint64_t frame = 0;
    while (!s.roots_settled())
        s.poll();
    ASSERT_EQ(s.layers()[0].state, LayerState::ready) << s.layers()[0].error;
    const Bounds b = *s.root_bounds();
    const glm::dvec3 up = glm::normalize(b.box.center);
    // Close enough that the finest level (error 0) is wanted.
    const ViewState v = looking_at(b.box.center + up * 20.0 + glm::dvec3(0.5, 0, 0), b.box.center, up);
    run_until_complete(s, v, frame);
    ASSERT_TRUE(s.stats().complete);
    ASSERT_EQ(s.render_list().size(), 1u);
    ASSERT_EQ(s.render_list()[0]->contents.size(), 1u);
    EXPECT_NE(s.render_list()[0]->contents[0].uri.find("dragon_medium.b3dm"), std::string::npos);
    EXPECT_EQ(s.stats().failed, 1u);  // dragon_high.b3dm, missing on purpose

    // From far away the coarsest level suffices.
    const ViewState far = looking_at(b.box.center + up * 20000.0 + glm::dvec3(5, 0, 0), b.box.center, up);
    run_until_complete(s, far, frame);
    ASSERT_EQ(s.render_list().size(), 1u);
    EXPECT_NE(s.render_list()[0]->contents[0].uri.find("dragon_low.b3dm"), std::string::npos);
    EXPECT_EQ(s.stats().failed, 1u);  // a failed tile is not retried
}

TEST(Stream, MissingTilesetIsAFailedLayerWithAMessage) {
    core::JobSystem jobs(1);
    CountingUploader uploader;
    TileStreamer s(jobs, uploader);
    s.add_tileset("/nonexistent/zwilling/tileset.json", "missing");
    while (!s.roots_settled())
        s.poll();
    EXPECT_EQ(s.layers()[0].state, LayerState::failed);
    EXPECT_NE(s.layers()[0].error.find("/nonexistent/zwilling/tileset.json"), std::string::npos);
    EXPECT_FALSE(s.root_bounds());
}

TEST(Stream, MemoryBudgetEvictsWhatTheViewNoLongerNeeds) {
    const fs::path tileset = samples() / "1.1/SparseImplicitQuadtree/tileset.json";
    if (!fs::exists(tileset)) GTEST_SKIP() << tileset << " not present";
    core::JobSystem jobs(2);
    CountingUploader uploader;
    StreamOptions o;
    o.memory_budget = 1;  // everything beyond what the view needs goes at once
    TileStreamer s(jobs, uploader, o);
    s.add_tileset(tileset.string(), "implicit");
    uint64_t frame = 0;
    while (!s.roots_settled())
        s.poll();
    ASSERT_EQ(s.layers()[0].state, LayerState::ready) << s.layers()[0].error;
    const Bounds b = *s.root_bounds();
    // The tileset is a 1 x 1 square at the origin (no transform), z up.
    const ViewState close = looking_at({0.5, -0.3, 0.4}, {0.5, 0.5, 0}, {0, 0, 1});
    run_until_complete(s, close, frame);
    ASSERT_TRUE(s.stats().complete);
    const size_t near_tiles = s.render_list().size();
    EXPECT_GT(near_tiles, 3u);
    // Everything drawn is needed, so nothing drawn was evicted.
    for (const Tile* t : s.render_list())
        for (const TileContent& c : t->contents)
            EXPECT_EQ(c.state, ContentState::ready);

    const ViewState far = looking_at(b.box.center + glm::dvec3(0, -200, 200), b.box.center, {0, 0, 1});
    run_until_complete(s, far, frame);
    s.update(far, ++frame);
    EXPECT_GT(s.stats().evicted_total, 0u);
    EXPECT_LT(s.stats().loaded, near_tiles);
    for (const Tile* t : s.render_list())
        for (const TileContent& c : t->contents)
            EXPECT_EQ(c.state, ContentState::ready);
    EXPECT_EQ(uploader.releases, int(s.stats().evicted_total));
    // What is counted is what is held: evicted contents give back CPU and GPU bytes.
    EXPECT_EQ(s.stats().bytes_used, resident_bytes(*s.layers()[0].root));
    // Over the budget nothing is preloaded: another frame loads nothing new.
    const uint64_t loaded = s.stats().loaded_total;
    s.update(far, ++frame);
    s.wait_idle();
    s.update(far, ++frame);
    EXPECT_EQ(s.stats().loaded_total, loaded);
}

TEST(Stream, StaysWithinBudgetPlusWhatIsNeeded) {
    const fs::path tileset = samples() / "1.1/SparseImplicitQuadtree/tileset.json";
    if (!fs::exists(tileset)) GTEST_SKIP() << tileset << " not present";
    core::JobSystem jobs(2);
    CountingUploader uploader;
    TileStreamer s(jobs, uploader);
    s.add_tileset(tileset.string(), "implicit");
    uint64_t frame = 0;
    while (!s.roots_settled())
        s.poll();
    const ViewState close = looking_at({0.5, -0.3, 0.4}, {0.5, 0.5, 0}, {0, 0, 1});
    run_until_complete(s, close, frame);
    const uint64_t need = s.stats().bytes_used;
    ASSERT_GT(need, 0u);
    // A budget of half of it: what the view draws stays (over budget); only what it
    // does not need (preloaded neighbours) may go.
    s.options.memory_budget = need / 2;
    run_until_complete(s, close, frame);
    EXPECT_TRUE(s.stats().complete);
    EXPECT_LE(s.stats().bytes_used, need);
    for (const Tile* t : s.render_list())
        for (const TileContent& c : t->contents)
            EXPECT_EQ(c.state, ContentState::ready);
}

// A twin's layer reads nothing outside the twin's folder: a content "../x.glb" (or
// "%2e%2e/x.glb") fails with a message and is never fetched; the root tileset itself is
// refused when it lies outside.
TEST(Stream, ConfinedLayerRefusesUrisOutsideItsRoot) {
    const fs::path dir = fs::temp_directory_path() / ("zw_stream_confine_" + std::to_string(::getpid()));
    fs::create_directories(dir / "twin" / "layer");
    {
        std::ofstream(dir / "twin" / "layer" / "tileset.json") << R"({"asset": {"version": "1.1"},
          "geometricError": 100, "root": {"boundingVolume": {"box": [0,0,0, 10,0,0, 0,10,0, 0,0,10]},
          "geometricError": 50, "refine": "ADD", "children": [
            {"boundingVolume": {"box": [0,0,0, 10,0,0, 0,10,0, 0,0,10]}, "geometricError": 0,
             "content": {"uri": "../../secret.glb"}},
            {"boundingVolume": {"box": [0,0,0, 10,0,0, 0,10,0, 0,0,10]}, "geometricError": 0,
             "content": {"uri": "%2e%2e/%2e%2e/secret.glb"}},
            {"boundingVolume": {"box": [0,0,0, 10,0,0, 0,10,0, 0,0,10]}, "geometricError": 0,
             "content": {"uri": "missing.glb"}}]}})";
    }
    core::JobSystem jobs(1);
    CountingUploader uploader;
    TileStreamer s(jobs, uploader);
    const std::string root = (dir / "twin").string() + "/";
    s.add_tileset((dir / "twin" / "layer" / "tileset.json").string(), "layer", root);
    s.add_tileset((dir / "twin" / "layer" / "tileset.json").string(), "outside",
                  (dir / "twin" / "other").string() + "/");
    while (!s.roots_settled())
        s.poll();
    ASSERT_EQ(s.layers()[0].state, LayerState::ready) << s.layers()[0].error;
    EXPECT_EQ(s.layers()[1].state, LayerState::failed);
    EXPECT_NE(s.layers()[1].error.find("outside"), std::string::npos) << s.layers()[1].error;
    s.layers()[1].visible = false;
    uint64_t frame = 0;
    run_until_complete(s, looking_at({0, -40, 20}, {0, 0, 0}, {0, 0, 1}), frame);
    const Tile& r = *s.layers()[0].root;
    ASSERT_EQ(r.children.size(), 3u);
    for (size_t i = 0; i < 2; ++i) {
        const TileContent& c = r.children[i]->contents[0];
        EXPECT_EQ(c.state, ContentState::failed) << i;
        EXPECT_NE(c.error.find("outside"), std::string::npos) << c.error;
    }
    // The missing file inside the root fails for being missing, not for its place.
    const TileContent& missing = r.children[2]->contents[0];
    EXPECT_EQ(missing.state, ContentState::failed);
    EXPECT_EQ(missing.error.find("outside"), std::string::npos) << missing.error;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace zw::tiles
