// Renders fixed scenes headless (fixed camera, no clock dependence) and compares them
// with golden PNGs. Every test fails on any validation message of severity warning or
// error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/geo/geo.h"
#include "engine/gpu/context.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/target.h"
#include "engine/render/renderer.h"
#include "engine/render/test_scene.h"
#include "tests/render/golden.h"

namespace zw {
namespace {

// Tolerances: lavapipe renders deterministically on one machine, but another CPU
// (different SIMD width in llvmpipe) may round edges and mip filtering differently.
// A pixel counts as different above 6/255 in any channel, and at most 0.5% of the
// pixels may differ. A changed shader or transform moves far more than that.
constexpr test::Tolerance golden_tolerance{6, 0.005};
constexpr VkExtent2D size{320, 240};

class RenderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ctx = std::make_unique<gpu::Context>(gpu::ContextOptions{true, "", {}, {}, true});
        passes = std::make_unique<gpu::RenderPasses>(
            *ctx, gpu::PassSetup{VK_FORMAT_R8G8B8A8_SRGB, VK_FORMAT_D32_SFLOAT,
                                 ctx->msaa_samples(VK_SAMPLE_COUNT_4_BIT), false});
        frames = std::make_unique<gpu::FrameRing>(*ctx);
        renderer = std::make_unique<render::Renderer>(*ctx, *passes);
        target = std::make_unique<gpu::RenderTarget>(*ctx, *passes, size);
    }
    void TearDown() override {
        frames->drain();
        EXPECT_EQ(ctx->validation_messages(), 0u)
            << "the Vulkan validation layer reported problems (see log)";
        target.reset();
        renderer.reset();
        frames.reset();
        passes.reset();
        ctx.reset();
    }

    // Renders two frames (the second reuses frame-in-flight resources) and reads back
    // the last one.
    core::Image render(const render::Camera& camera, render::DrawStats* stats = nullptr) {
        render::DrawStats s;
        for (int i = 0; i < 2; ++i) {
            const gpu::Frame& f = frames->begin();
            s = renderer->render(*frames, f, *target, 0, camera, {}, i == 1);
            frames->submit();
        }
        frames->drain();
        if (stats) *stats = s;
        return target->read_image();
    }

    static render::Model test_scene(const render::LoadOptions& options = {}) {
        const auto glb = render::make_test_scene_glb();
        return render::load_model_from_glb(glb, "test scene", options);
    }

    std::unique_ptr<gpu::Context> ctx;
    std::unique_ptr<gpu::RenderPasses> passes;
    std::unique_ptr<gpu::FrameRing> frames;
    std::unique_ptr<render::Renderer> renderer;
    std::unique_ptr<gpu::RenderTarget> target;
};

render::Camera village_camera() {
    render::Camera c;
    c.look_at({-95, -120, 75}, {0, 5, 4});
    return c;
}

TEST_F(RenderTest, TestSceneFromFileMatchesGolden) {
    // Through the file path, as `zwilling scene.glb` loads it.
    const auto path = std::filesystem::temp_directory_path() / "zw_render_test_scene.glb";
    const auto glb = render::make_test_scene_glb();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(glb.data()), std::streamsize(glb.size()));
    renderer->settings.fog_density = 0.0015f;
    renderer->set_model(render::load_model(path), *frames);
    render::DrawStats stats;
    const core::Image image = render(village_camera(), &stats);
    EXPECT_GT(stats.meshes_visible, 40u);
    EXPECT_EQ(stats.triangles, renderer->model()->triangle_count() + 1) << "everything in view, plus the sky";
    const std::string failure = test::compare_with_golden(image, "test_scene", golden_tolerance);
    EXPECT_TRUE(failure.empty()) << failure;
}

TEST_F(RenderTest, SceneAtEcefCoordinatesRendersLikeTheLocalScene) {
    // The village placed at Weisendorf's ECEF position (~4.1e6 m from the Earth's centre)
    // with the camera in its east-north-up frame must look the same as at the origin:
    // positions stay double until they are made relative to the eye.
    const glm::dmat4 enu = geo::enu_to_ecef(geo::weisendorf);
    renderer->settings.fog_density = 0.0015f;
    renderer->set_model(test_scene({enu}), *frames);
    render::Camera camera;
    camera.set_frame(glm::dmat3(enu));
    camera.look_at(glm::dvec3(enu * glm::dvec4(-95, -120, 75, 1)), glm::dvec3(enu * glm::dvec4(0, 5, 4, 1)));
    const core::Image image = render(camera);
    const std::string failure = test::compare_with_golden(image, "test_scene", golden_tolerance);
    EXPECT_TRUE(failure.empty()) << failure;
}

TEST_F(RenderTest, MeshesOutsideTheViewAreCulled) {
    renderer->set_model(test_scene(), *frames);
    render::Camera camera;
    camera.look_at({0, 0, 200}, {0, 1, 400});  // high above the village, looking up into the sky
    render::DrawStats stats;
    const core::Image image = render(camera, &stats);
    EXPECT_EQ(stats.meshes_visible, 0u);
    EXPECT_EQ(stats.meshes_culled, renderer->model()->instances.size());
    EXPECT_EQ(stats.draw_calls, 1u) << "only the sky";
    // Only sky: every pixel is blue-dominant.
    for (int y = 0; y < image.height; y += 7)
        for (int x = 0; x < image.width; x += 7) {
            const uint8_t* p = image.pixel(x, y);
            ASSERT_GE(p[2], p[0]) << "pixel " << x << "," << y << " is not sky";
        }
}

TEST_F(RenderTest, SkyGradientAndFogWithoutModel) {
    // No model: the sky pass alone, looking at the horizon. Zenith darker blue than horizon.
    render::Camera camera;
    camera.look_at({0, 0, 2}, {0, 100, 2});
    const core::Image image = render(camera);
    const uint8_t* top = image.pixel(size.width / 2, 0);
    const uint8_t* horizon = image.pixel(size.width / 2, size.height / 2 - 2);
    EXPECT_LT(top[0], horizon[0]) << "the zenith is deeper blue than the horizon";
    EXPECT_GT(top[2], top[0]);
}

}  // namespace
}  // namespace zw
