// Renders fixed scenes headless (fixed camera, no clock dependence) and compares them
// with golden PNGs. Every test fails on any validation message of severity warning or
// error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/geo/geo.h"
#include "tests/render/fixture.h"
#include "tests/render/golden.h"

namespace zw {
namespace {

// Tolerances: lavapipe renders deterministically on one machine, but another CPU
// (different SIMD width in llvmpipe) may round edges and mip filtering differently.
// A pixel counts as different above 6/255 in any channel, at most 0.5% of the pixels
// and at most half of any 8x8 block may differ. A changed shader or transform moves far
// more than that.
constexpr test::Tolerance golden_tolerance{6, 0.005, 0.5};
constexpr VkExtent2D size = test::render_size;

using test::RenderTest;

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
    renderer->set_model(gltf::load_model(path), *frames);
    render::DrawStats stats;
    const core::Image image = render(village_camera(), &stats);
    EXPECT_GT(stats.meshes_visible, 40u);
    EXPECT_EQ(stats.triangles, renderer->model()->triangle_count() + 1) << "everything in view, plus the sky";
    const std::string failure = test::compare_with_golden(image, "test_scene", golden_tolerance);
    EXPECT_TRUE(failure.empty()) << failure;
}

TEST_F(RenderTest, WithoutMsaaTheSceneRendersWithoutResolve) {
    // One sample per pixel: the scene pass writes the output directly (no resolve).
    use_samples(VK_SAMPLE_COUNT_1_BIT);
    ASSERT_EQ(passes->setup().samples, VK_SAMPLE_COUNT_1_BIT);
    renderer->settings.fog_density = 0.0015f;
    renderer->set_model(test_scene(), *frames);
    const core::Image image = render(village_camera());
    const std::string failure = test::compare_with_golden(image, "test_scene_msaa1", golden_tolerance);
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
