// The renderer's pick pass, highlight and layer opacity on small hand-made tiles: two
// contents of two features each (four quads facing the camera), validation on.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/render/fixture.h"

namespace zw {
namespace {

using test::RenderTest;

// A content with two features side by side (x < 0: feature 0, x > 0: feature 1), a
// quad each, at height z0..z0+10 on the plane y = 50, facing the camera at the origin.
gltf::Model two_features(const std::vector<std::string>& ids, float z0, const std::string& name) {
    gltf::Model m;
    m.name = name;
    for (uint32_t f = 0; f < 2; ++f) {
        const float x0 = f == 0 ? -20.0f : 2.0f, x1 = f == 0 ? -2.0f : 20.0f;
        const glm::vec3 corners[4] = {{x0, 50, z0}, {x1, 50, z0}, {x1, 50, z0 + 10}, {x0, 50, z0 + 10}};
        const auto first = uint32_t(m.vertices.size());
        for (const glm::vec3& c : corners) {
            m.vertices.push_back({c, {0, -1, 0}, {0, 0}, {255, 255, 255, 255}});
            m.feature_ids.push_back(f);
        }
        for (uint32_t i : {0u, 1u, 2u, 0u, 2u, 3u})
            m.indices.push_back(first + i);
    }
    gltf::Primitive p;
    p.index_count = uint32_t(m.indices.size());
    p.property_table = 0;
    for (const gltf::Vertex& v : m.vertices)
        p.bounds.extend(glm::dvec3(v.position));
    gltf::Mesh mesh{name, {p}, p.bounds};
    m.meshes.push_back(mesh);
    m.instances.push_back(gltf::make_instance(0, mesh.bounds, glm::dmat4(1.0)));
    gltf::Material mat;
    mat.base_color = {0.2f, 0.4f, 0.8f, 1.0f};
    mat.double_sided = true;
    m.materials.push_back(mat);
    m.property_tables.push_back(
        {"features", "building", 2, {"id", "name"}, {ids, {name + " 0", name + " 1"}}});
    m.bounds = p.bounds;
    return m;
}

class PickTest : public RenderTest {
  protected:
    void SetUp() override {
        RenderTest::SetUp();
        camera.look_at({0, 0, 0}, {0, 100, 0});
        upper = two_features({"A", "B"}, 2, "upper");
        lower = two_features({"C", "A"}, -12, "lower");  // "A" again, as another feature index
        const gpu::Frame& f = frames->begin();
        upper_gpu = renderer->upload(upper, *frames, f.cmd);
        lower_gpu = renderer->upload(lower, *frames, f.cmd);
        renderer->render(*frames, f, *target, 0, camera);
        frames->submit();
        frames->drain();
        draw(1.0f);
    }
    void TearDown() override {
        frames->drain();
        renderer->streamed.clear();
        upper_gpu.reset();
        lower_gpu.reset();
        RenderTest::TearDown();
    }

    // Both contents in layer 0 at `opacity`.
    void draw(float opacity) {
        renderer->streamed.clear();
        render::DrawModel d;
        d.opacity = opacity;
        d.layer = 0;
        d.model = &upper;
        d.gpu = upper_gpu.get();
        d.uri = &upper_uri;
        renderer->streamed.push_back(d);
        d.model = &lower;
        d.gpu = lower_gpu.get();
        d.uri = &lower_uri;
        renderer->streamed.push_back(d);
    }

    // The pixel where world point `p` lands.
    glm::ivec2 pixel_of(const glm::dvec3& p) const {
        const double aspect = double(test::render_size.width) / test::render_size.height;
        const glm::dvec4 clip =
            camera.projection(aspect) * camera.view_rotation() * glm::dvec4(p - camera.eye(), 1.0);
        const glm::dvec2 ndc = glm::dvec2(clip) / clip.w;
        return {int((ndc.x * 0.5 + 0.5) * test::render_size.width),
                int((ndc.y * 0.5 + 0.5) * test::render_size.height)};
    }

    render::PickHit pick(glm::ivec2 px) {
        renderer->request_pick(uint32_t(px.x), uint32_t(px.y));
        render(camera);
        std::optional<render::PickHit> hit = renderer->take_pick(*frames);
        EXPECT_TRUE(hit.has_value()) << "the pick's frame has finished";
        return hit.value_or(render::PickHit{});
    }

    static int channel_diff(const core::Image& a, const core::Image& b, glm::ivec2 p) {
        int d = 0;
        for (int c = 0; c < 3; ++c)
            d = std::max(d, std::abs(int(a.pixel(p.x, p.y)[c]) - int(b.pixel(p.x, p.y)[c])));
        return d;
    }

    render::Camera camera;
    gltf::Model upper, lower;
    std::string upper_uri = "tiles/upper.glb", lower_uri = "tiles/lower.glb";
    std::shared_ptr<render::GpuModel> upper_gpu, lower_gpu;
    // Middles of the four quads: upper A, upper B, lower C, lower A.
    const glm::dvec3 upper_a{-11, 50, 7}, upper_b{11, 50, 7}, lower_c{-11, 50, -7}, lower_a{11, 50, -7};
};

TEST_F(PickTest, PickFindsTheFeatureItsDrawAndTable) {
    const render::PickHit hit = pick(pixel_of(lower_a));
    ASSERT_TRUE(hit.hit);
    EXPECT_EQ(hit.feature, 1u);
    EXPECT_EQ(hit.table, 0);
    EXPECT_FALSE(hit.own_model);
    EXPECT_EQ(hit.content, lower_uri);
    EXPECT_EQ(hit.layer, 0u);
    const render::PickHit upper_hit = pick(pixel_of(upper_a));
    ASSERT_TRUE(upper_hit.hit);
    EXPECT_EQ(upper_hit.feature, 0u);
    EXPECT_EQ(upper_hit.content, upper_uri);
}

TEST_F(PickTest, PickOnTheSkyIsAMiss) {
    const render::PickHit hit = pick(pixel_of({0, 50, 17}));  // above the quads (z -12..12)
    EXPECT_FALSE(hit.hit);
    EXPECT_EQ(hit.feature, render::no_feature);
    EXPECT_FALSE(renderer->pick_pending());
}

TEST_F(PickTest, PickOffTheScreenIsAMiss) {
    const render::PickHit hit = pick({int(test::render_size.width) + 5, 10});
    EXPECT_FALSE(hit.hit);
}

TEST_F(PickTest, NoPickWithoutARequest) {
    render(camera);
    EXPECT_FALSE(renderer->take_pick(*frames).has_value());
}

TEST_F(PickTest, HighlightTintsTheFeatureInEveryTileThatHoldsIt) {
    const core::Image plain = render(camera);
    render::Highlight h;
    h.id = "A";
    h.layer = 0;
    h.content = upper_uri;
    h.table = 0;
    h.feature = 0;
    renderer->highlight = h;
    const core::Image lit = render(camera);
    EXPECT_GT(channel_diff(plain, lit, pixel_of(upper_a)), 40) << "the picked feature";
    EXPECT_GT(channel_diff(plain, lit, pixel_of(lower_a)), 40) << "the same id in another tile";
    EXPECT_EQ(channel_diff(plain, lit, pixel_of(upper_b)), 0);
    EXPECT_EQ(channel_diff(plain, lit, pixel_of(lower_c)), 0);
    // Another layer's feature with the same id is not the same feature.
    h.layer = 1;
    renderer->highlight = h;
    const core::Image other_layer = render(camera);
    EXPECT_EQ(channel_diff(plain, other_layer, pixel_of(upper_a)), 0);
    // Without ids, only the content it was picked in.
    upper.property_tables[0].properties[0] = "key";
    lower.property_tables[0].properties[0] = "key";
    h.layer = 0;
    renderer->highlight = h;
    const core::Image by_index = render(camera);
    EXPECT_GT(channel_diff(plain, by_index, pixel_of(upper_a)), 40);
    EXPECT_EQ(channel_diff(plain, by_index, pixel_of(lower_c)), 0) << "feature 0 of another content";
    EXPECT_EQ(channel_diff(plain, by_index, pixel_of(lower_a)), 0);
}

TEST_F(PickTest, TranslucentLayersBlendOverWhatIsBehindAndOpacityZeroHides) {
    const core::Image opaque = render(camera);
    renderer->streamed.clear();
    const core::Image sky = render(camera);
    draw(0.0f);
    const core::Image hidden = render(camera);
    EXPECT_EQ(channel_diff(sky, hidden, pixel_of(upper_a)), 0) << "opacity 0 is not drawn";
    draw(0.5f);
    const core::Image half = render(camera);
    const glm::ivec2 p = pixel_of(upper_a);
    int between = 0;
    for (int c = 0; c < 3; ++c) {
        const int lo = std::min(opaque.pixel(p.x, p.y)[c], sky.pixel(p.x, p.y)[c]);
        const int hi = std::max(opaque.pixel(p.x, p.y)[c], sky.pixel(p.x, p.y)[c]);
        EXPECT_GE(half.pixel(p.x, p.y)[c], lo);
        EXPECT_LE(half.pixel(p.x, p.y)[c], hi);
        if (hi - lo > 20 && half.pixel(p.x, p.y)[c] > lo + 5 && half.pixel(p.x, p.y)[c] < hi - 5) ++between;
    }
    EXPECT_GT(between, 0) << "half opacity lies between the surface and the sky behind it";
    // Translucent features can still be picked.
    const render::PickHit hit = pick(p);
    EXPECT_TRUE(hit.hit);
    EXPECT_EQ(hit.content, upper_uri);
}

}  // namespace
}  // namespace zw
