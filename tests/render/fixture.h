// The fixture of the GPU tests: a device with validation (and synchronization
// validation) on, the scene and overlay passes with 4x MSAA where supported, two
// frames in flight, the renderer and a 320x240 offscreen target. Any validation
// message of severity warning or error fails the test.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "engine/gpu/context.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/target.h"
#include "engine/render/renderer.h"
#include "engine/render/test_scene.h"

namespace zw::test {

inline constexpr VkExtent2D render_size{320, 240};

class RenderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ctx = std::make_unique<gpu::Context>(gpu::ContextOptions{true, "", {}, {}, true});
        frames = std::make_unique<gpu::FrameRing>(*ctx);
        use_samples(VK_SAMPLE_COUNT_4_BIT);
    }

    // Rebuilds passes, renderer and target for another MSAA sample count.
    void use_samples(VkSampleCountFlagBits samples) {
        frames->drain();
        target.reset();
        renderer.reset();
        passes = std::make_unique<gpu::RenderPasses>(
            *ctx,
            gpu::PassSetup{VK_FORMAT_R8G8B8A8_SRGB, VK_FORMAT_D32_SFLOAT, ctx->msaa_samples(samples), false});
        renderer = std::make_unique<render::Renderer>(*ctx, *passes);
        target = std::make_unique<gpu::RenderTarget>(*ctx, *passes, render_size);
    }
    void TearDown() override {
        // Destroy first, then count: validation also checks that nothing in use dies.
        frames->drain();
        target.reset();
        renderer.reset();
        frames.reset();
        passes.reset();
        EXPECT_EQ(ctx->validation_messages(), 0u)
            << "the Vulkan validation layer reported problems (see log)";
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

    static gltf::Model test_scene(const gltf::LoadOptions& options = {}) {
        const auto glb = render::make_test_scene_glb();
        return gltf::load_model_from_glb(glb, "test scene", options);
    }

    std::unique_ptr<gpu::Context> ctx;
    std::unique_ptr<gpu::RenderPasses> passes;
    std::unique_ptr<gpu::FrameRing> frames;
    std::unique_ptr<render::Renderer> renderer;
    std::unique_ptr<gpu::RenderTarget> target;
};

}  // namespace zw::test
