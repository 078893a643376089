// The flood's water surface (render::Water) on the Vulkan device, validation on: a
// 32 x 32 grid of 1 m cells over a grey ground plane, seen from 40 m above. Each test
// compares with the same frame without water, at pixels found by projecting world
// points with the camera, so no golden image is needed.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "engine/core/error.h"
#include "tests/render/fixture.h"

namespace zw {
namespace {

using test::RenderTest;

constexpr uint32_t cells = 32;
constexpr VkExtent2D size = test::render_size;
// A pixel "changed" when a channel differs by more than this from the frame without
// water (lavapipe is deterministic: unchanged pixels are equal to the bit).
constexpr int unchanged_tolerance = 2;
// Water over the grey ground moves a pixel by far more than this.
constexpr int water_min_change = 20;

// Everything is placed this far from the world origin (a UTM-like position), which
// exercises the eye-relative drawing: cell (c, r) has its centre at (c + 0.5, r + 0.5)
// plus this.
constexpr glm::dvec3 far_offset{650000.0, 5500000.0, 300.0};

// The ground: z = tilt * x, a grey square a little larger than the grid.
gltf::Model ground_plane(double tilt) {
    gltf::Model m;
    m.name = "ground plane";
    const float lo = -6, hi = 38;
    const glm::vec3 n = glm::normalize(glm::vec3(-float(tilt), 0, 1));
    for (const glm::vec2 p : {glm::vec2{lo, lo}, glm::vec2{hi, lo}, glm::vec2{hi, hi}, glm::vec2{lo, hi}}) {
        gltf::Vertex v{};
        v.position = {p.x, p.y, float(tilt) * p.x};
        v.normal = n;
        v.color[0] = v.color[1] = v.color[2] = v.color[3] = 255;
        m.vertices.push_back(v);
    }
    m.indices = {0, 1, 2, 2, 3, 0};
    gltf::Primitive prim;
    prim.vertex_count = 4;
    prim.index_count = 6;
    for (const gltf::Vertex& v : m.vertices)
        prim.bounds.extend(glm::dvec3(v.position));
    gltf::Mesh mesh;
    mesh.name = "plane";
    mesh.bounds = prim.bounds;
    mesh.primitives.push_back(prim);
    m.meshes.push_back(mesh);
    gltf::Material mat;
    mat.base_color = {0.45f, 0.45f, 0.42f, 1.0f};
    m.materials.push_back(mat);
    m.instances.push_back(gltf::make_instance(0, mesh.bounds, glm::translate(glm::dmat4(1.0), far_offset)));
    m.bounds = m.instances[0].world_bounds;
    return m;
}

render::WaterGrid make_grid(double tilt) {
    render::WaterGrid g;
    g.nx = g.ny = cells;
    g.cell_m = 1;
    g.origin = glm::dvec3(0.5, 0.5, 0.0) + far_offset;
    for (uint32_t r = 0; r < cells; ++r)
        for (uint32_t c = 0; c < cells; ++c)
            g.ground.emplace_back(float(c), float(r), float(tilt * (c + 0.5)));
    return g;
}

std::vector<float> depths(const std::function<float(uint32_t c, uint32_t r)>& f) {
    std::vector<float> d;
    for (uint32_t r = 0; r < cells; ++r)
        for (uint32_t c = 0; c < cells; ++c)
            d.push_back(f(c, r));
    return d;
}

render::Camera top_camera() {
    render::Camera c;
    c.look_at(glm::dvec3(16, 6, 40) + far_offset, glm::dvec3(16, 16, 0) + far_offset);
    return c;
}

// The pixel world point `p` lands on.
glm::ivec2 project(const render::Camera& cam, const glm::dvec3& p) {
    const double aspect = double(size.width) / double(size.height);
    const glm::dvec4 clip = cam.projection(aspect) * cam.view_rotation() * glm::dvec4(p - cam.eye(), 1.0);
    const glm::dvec2 ndc = glm::dvec2(clip) / clip.w;
    return {int(std::floor((ndc.x * 0.5 + 0.5) * size.width)),
            int(std::floor((ndc.y * 0.5 + 0.5) * size.height))};
}

// The pixel of the water surface over world ground point (x, y) of a plane with `tilt`.
glm::ivec2 pixel_at(double x, double y, double tilt) {
    return project(top_camera(), glm::dvec3(x, y, tilt * x) + far_offset);
}

int channel_diff(const core::Image& a, const core::Image& b, glm::ivec2 p) {
    int d = 0;
    for (int ch = 0; ch < 3; ++ch)
        d = std::max(d, std::abs(int(a.pixel(p.x, p.y)[ch]) - int(b.pixel(p.x, p.y)[ch])));
    return d;
}

bool inside(glm::ivec2 p) {
    return p.x >= 0 && p.y >= 0 && p.x < int(size.width) && p.y < int(size.height);
}

// Mean colour (0..255) of a 5 x 5 patch.
glm::dvec3 mean_colour(const core::Image& img, glm::ivec2 p) {
    glm::dvec3 sum(0.0);
    for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) {
            const uint8_t* px = img.pixel(p.x + dx, p.y + dy);
            sum += glm::dvec3(px[0], px[1], px[2]);
        }
    return sum / 25.0;
}

// Kept as test artifacts (build/.../tests/render/out/water_NAME.png) for a look.
void keep(const core::Image& image, const std::string& name) {
    std::filesystem::create_directories(ZW_RENDER_OUT_DIR);
    core::write_png(std::filesystem::path(ZW_RENDER_OUT_DIR) / ("water_" + name + ".png"), image);
}

class WaterTest : public RenderTest {
  protected:
    // The frame without water, then the water's grid.
    core::Image setup(double tilt) {
        tilt_ = tilt;
        renderer->set_model(ground_plane(tilt), *frames);
        const core::Image dry = render(top_camera());
        renderer->water().set_grid(make_grid(tilt));
        return dry;
    }
    void set(int side, const std::vector<float>& depth, const std::vector<float>& velocity = {}) {
        renderer->water().set_frame(side, {depth, velocity});
    }
    glm::ivec2 cell_pixel(double c, double r) const { return pixel_at(c + 0.5, r + 0.5, tilt_); }
    double tilt_ = 0;
};

TEST_F(WaterTest, WetCellsDrawWaterAndDryCellsLeaveTheImageAlone) {
    const core::Image dry = setup(0.05);
    const auto d = depths([](uint32_t c, uint32_t) { return c < 16 ? 0.8f : 0.0f; });
    set(0, d);
    render::DrawStats stats;
    const core::Image wet = render(top_camera(), &stats);
    keep(wet, "half_wet");
    EXPECT_GE(stats.draw_calls, 3u) << "plane, sky and at least one water draw";

    // Every wet cell centre (away from the shore) is water: changed a lot, and blue
    // above red.
    for (uint32_t r = 1; r + 1 < cells; ++r)
        for (uint32_t c = 1; c < 15; ++c) {
            const glm::ivec2 p = cell_pixel(c, r);
            ASSERT_TRUE(inside(p));
            EXPECT_GT(channel_diff(wet, dry, p), water_min_change) << "cell " << c << "," << r;
            const uint8_t* px = wet.pixel(p.x, p.y);
            EXPECT_GT(int(px[2]), int(px[0]) + 20) << "cell " << c << "," << r << " is not water-blue";
        }
    // Dry ground (from half a cell past the last wet cell centre's neighbour on): the
    // image is as without water, checked every 0.25 m.
    size_t checked = 0;
    for (double x = 17.0; x <= 32.5; x += 0.25)
        for (double y = 0.0; y <= 32.5; y += 0.25) {
            const glm::ivec2 p = pixel_at(x, y, tilt_);
            if (!inside(p)) continue;
            ++checked;
            EXPECT_LE(channel_diff(wet, dry, p), unchanged_tolerance) << "dry point " << x << "," << y;
        }
    EXPECT_GT(checked, 3000u);
}

TEST_F(WaterTest, DeeperWaterIsDarkerAndBluer) {
    const core::Image dry = setup(0.0);
    // Rows south of 16 shallow, north of it deep; both flat (no flow streaks).
    set(0, depths([](uint32_t, uint32_t r) { return r < 16 ? 0.15f : 2.5f; }));
    const core::Image wet = render(top_camera());
    keep(wet, "shallow_deep");
    for (uint32_t c = 4; c < 28; c += 6) {
        const glm::dvec3 shallow = mean_colour(wet, cell_pixel(c, 6));
        const glm::dvec3 deep = mean_colour(wet, cell_pixel(c, 26));
        const double shallow_sum = shallow.r + shallow.g + shallow.b, deep_sum = deep.r + deep.g + deep.b;
        // Tolerances: darker by at least 60 of 765 summed, bluer (blue's share) by 0.05.
        EXPECT_LT(deep_sum, shallow_sum - 60) << "column " << c;
        EXPECT_GT(deep.b / deep_sum, shallow.b / shallow_sum + 0.05) << "column " << c;
        // Shallow water is turquoise: green well above red.
        EXPECT_GT(shallow.g, shallow.r + 20) << "column " << c;
    }
    (void)dry;
}

TEST_F(WaterTest, ShorelineFadesOut) {
    // Depth falls from 0.5 m (column 0) to 0 (column 25): the surface's alpha, and so its
    // change of the image, shrinks towards the shore, and nothing is drawn past it.
    const core::Image dry = setup(0.0);
    set(0, depths([](uint32_t c, uint32_t) { return std::max(0.0f, 0.5f - 0.02f * float(c)); }));
    const core::Image wet = render(top_camera());
    keep(wet, "shore");
    const int deep = channel_diff(wet, dry, cell_pixel(3, 16));
    const int shore = channel_diff(wet, dry, cell_pixel(22.5, 16));  // depth ~0.05 m
    EXPECT_GT(deep, water_min_change);
    EXPECT_LT(shore, deep) << "the water fades in over its first 10 cm";
    EXPECT_LE(channel_diff(wet, dry, cell_pixel(24.3, 16)), unchanged_tolerance) << "below 2 cm: dry";
}

TEST_F(WaterTest, SplitShowsSideAOnTheLeftAndSideBOnTheRight) {
    const core::Image dry = setup(0.0);
    set(0, depths([](uint32_t, uint32_t r) { return r < 16 ? 1.0f : 0.0f; }));   // A: south half wet
    set(1, depths([](uint32_t, uint32_t r) { return r >= 16 ? 1.0f : 0.0f; }));  // B: north half wet
    const float split = 160;
    renderer->water().split_x = split;
    const core::Image wet = render(top_camera());
    keep(wet, "split");
    size_t left_south = 0, right_north = 0, checked = 0;
    for (double x = 0.25; x <= 32.0; x += 0.5)
        for (double y = 0.25; y <= 32.0; y += 0.5) {
            const glm::ivec2 p = pixel_at(x, y, 0.0);
            if (!inside(p) || std::abs(p.x + 0.5 - split) < 2 || std::abs(y - 16.0) < 1.5) continue;
            if (x < 1.5 || x > 31.0 || y < 1.0 || y > 31.0) continue;  // the grid's rim
            ++checked;
            const bool left = p.x + 0.5 < split, south = y < 16;
            const int diff = channel_diff(wet, dry, p);
            if (left == south) {
                EXPECT_GT(diff, water_min_change) << "point " << x << "," << y << " should be water";
                (left ? left_south : right_north) += 1;
            } else {
                EXPECT_LE(diff, unchanged_tolerance) << "point " << x << "," << y << " should be dry";
            }
        }
    EXPECT_GT(left_south, 200u);
    EXPECT_GT(right_north, 200u);
    EXPECT_GT(checked, 1000u);

    // Without side B, the right of the split shows no water at all.
    renderer->water().set_grid(make_grid(0.0));
    set(0, depths([](uint32_t, uint32_t) { return 1.0f; }));
    const core::Image only_a = render(top_camera());
    EXPECT_GT(channel_diff(only_a, dry, {100, 120}), water_min_change);
    EXPECT_LE(channel_diff(only_a, dry, {220, 120}), unchanged_tolerance);
}

TEST_F(WaterTest, HiddenTransparentOrFramelessWaterDrawsNothing) {
    const core::Image dry = setup(0.05);
    // A grid without a frame draws nothing.
    EXPECT_EQ(core::compare_images(render(top_camera()), dry, 0).differing_pixels, 0u);
    set(0, depths([](uint32_t, uint32_t) { return 1.0f; }));
    EXPECT_GT(core::compare_images(render(top_camera()), dry, unchanged_tolerance).differing_pixels, 10000u);
    renderer->water().visible = false;
    EXPECT_EQ(core::compare_images(render(top_camera()), dry, 0).differing_pixels, 0u) << "visible = false";
    renderer->water().visible = true;
    renderer->water().opacity = 0;
    EXPECT_EQ(core::compare_images(render(top_camera()), dry, 0).differing_pixels, 0u) << "opacity 0";
    // Half opacity: in between.
    renderer->water().opacity = 0.5f;
    const core::Image half = render(top_camera());
    renderer->water().opacity = 1;
    const core::Image full = render(top_camera());
    const glm::ivec2 p = cell_pixel(10, 16);
    EXPECT_LT(channel_diff(half, dry, p), channel_diff(full, dry, p));
    EXPECT_GT(channel_diff(half, dry, p), unchanged_tolerance);
    // An empty grid draws nothing.
    renderer->water().set_grid({});
    EXPECT_TRUE(renderer->water().empty());
    EXPECT_EQ(core::compare_images(render(top_camera()), dry, 0).differing_pixels, 0u) << "empty grid";
}

TEST_F(WaterTest, FlowGivenOrEstimatedBothRenderAndStreaksMove) {
    const core::Image dry = setup(0.05);
    const auto d = depths([](uint32_t, uint32_t) { return 0.6f; });
    // Estimated from the surface's slope (the plane tilts down to the west).
    set(0, d);
    const core::Image estimated = render(top_camera());
    keep(estimated, "flow_estimated");
    EXPECT_GT(channel_diff(estimated, dry, cell_pixel(16, 16)), water_min_change);
    // Given: 2 m/s to the north-east.
    std::vector<float> v;
    for (uint32_t i = 0; i < cells * cells; ++i)
        v.insert(v.end(), {1.4f, 1.4f});
    set(0, d, v);
    const core::Image t0 = render(top_camera());
    EXPECT_GT(channel_diff(t0, dry, cell_pixel(16, 16)), water_min_change);
    renderer->water().time_s = 0.7;
    const core::Image t1 = render(top_camera());
    keep(t0, "flow_t0");
    keep(t1, "flow_t1");
    const core::ImageDiff moved = core::compare_images(t0, t1, 3);
    EXPECT_GT(moved.differing_pixels, 50u) << "the streaks move with time";
    // Subtle: no pixel changes by more than a third of the range.
    EXPECT_LT(moved.max_channel_diff, 85);
}

TEST_F(WaterTest, NewFramesReachEveryFrameInFlight) {
    const core::Image dry = setup(0.0);
    set(0, depths([](uint32_t c, uint32_t) { return c < 16 ? 1.0f : 0.0f; }));
    render(top_camera());
    set(0, depths([](uint32_t c, uint32_t) { return c >= 16 ? 1.0f : 0.0f; }));
    const core::Image img = render(top_camera());
    EXPECT_LE(channel_diff(img, dry, cell_pixel(8, 16)), unchanged_tolerance) << "the old frame is gone";
    EXPECT_GT(channel_diff(img, dry, cell_pixel(24, 16)), water_min_change);
    // A new grid (another size) replaces the buffers while frames are in flight.
    render::WaterGrid g;
    g.nx = 8;
    g.ny = 4;
    g.cell_m = 4;
    g.origin = glm::dvec3(0.5, 0.5, 0.0) + far_offset;
    for (uint32_t r = 0; r < g.ny; ++r)
        for (uint32_t c = 0; c < g.nx; ++c)
            g.ground.emplace_back(float(c) * 4, float(r) * 4, 0.0f);
    renderer->water().set_grid(std::move(g));
    const std::vector<float> small(32, 1.0f);
    renderer->water().set_frame(0, {small});
    const core::Image replaced = render(top_camera());
    EXPECT_GT(channel_diff(replaced, dry, cell_pixel(14, 6)), water_min_change);
    EXPECT_LE(channel_diff(replaced, dry, cell_pixel(24, 24)), unchanged_tolerance);
}

// Size checks need no device.
TEST(Water, FramesAndGridsOfTheWrongSizeAreRejected) {
    render::Water w;
    EXPECT_TRUE(w.empty());
    render::WaterGrid g = make_grid(0.0);
    g.ground.pop_back();
    EXPECT_THROW(w.set_grid(g), Error);
    w.set_grid(make_grid(0.0));
    EXPECT_FALSE(w.empty());
    EXPECT_EQ(w.grid().nx, cells);
    const std::vector<float> short_depth(cells * cells - 1, 1.0f), depth(cells * cells, 1.0f);
    const std::vector<float> bad_velocity(cells * cells, 0.0f);  // one value a cell, not two
    try {
        w.set_frame(0, {short_depth});
        ADD_FAILURE() << "a frame of the wrong size was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("1023 depths"), std::string::npos) << e.what();
    }
    EXPECT_THROW(w.set_frame(1, {depth, bad_velocity}), Error);
    EXPECT_THROW(w.set_frame(2, {depth}), Error);
    EXPECT_THROW(w.set_frame(-1, {depth}), Error);
    EXPECT_NO_THROW(w.set_frame(0, {depth}));
    EXPECT_NO_THROW(w.set_frame(1, {depth, std::vector<float>(2 * cells * cells, 0.5f)}));
}

}  // namespace
}  // namespace zw
