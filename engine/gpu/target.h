// Where frames are drawn: two render passes (scene with MSAA + depth, resolved into the
// output; then the overlay on top of the output) and the framebuffers for each output
// image. Outputs are either one offscreen image (headless, readable back to the CPU)
// or the swapchain's images.
#pragma once

#include <span>
#include <vector>

#include "engine/core/image.h"
#include "engine/gpu/resources.h"

namespace zw::gpu {

struct PassSetup {
    VkFormat color_format = VK_FORMAT_R8G8B8A8_SRGB;
    VkFormat depth_format = VK_FORMAT_D32_SFLOAT;
    VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_4_BIT;
    bool present = false;  // outputs end in PRESENT_SRC (swapchain) instead of TRANSFER_SRC
};

// The render passes; they outlive resizes, so pipelines built against them do too.
class RenderPasses {
  public:
    RenderPasses(const Context& ctx, const PassSetup& setup);
    const PassSetup& setup() const { return setup_; }
    VkRenderPass scene() const { return scene_; }
    VkRenderPass overlay() const { return overlay_; }

  private:
    PassSetup setup_;
    RenderPass scene_;
    RenderPass overlay_;
};

// Attachments and framebuffers for one size. Recreated on resize.
class RenderTarget {
  public:
    // `outputs` are swapchain images; when empty, the target owns one offscreen image.
    RenderTarget(Context& ctx, const RenderPasses& passes, VkExtent2D extent,
                 std::span<const VkImage> outputs = {});

    VkExtent2D extent() const { return extent_; }
    size_t output_count() const { return framebuffers_.size(); }
    VkFramebuffer scene_framebuffer(size_t output) const { return framebuffers_[output].scene; }
    VkFramebuffer overlay_framebuffer(size_t output) const { return framebuffers_[output].overlay; }

    // Records a copy of the offscreen output (after the overlay pass) into a readback
    // buffer; read_image() returns it once the frame's fence has passed.
    void record_readback(VkCommandBuffer cmd);
    core::Image read_image() const;

  private:
    struct Output {
        ImageView view;  // only for swapchain images
        Framebuffer scene;
        Framebuffer overlay;
    };
    Context& ctx_;
    const RenderPasses& passes_;
    VkExtent2D extent_;
    Image msaa_color_;
    Image depth_;
    Image offscreen_;
    Buffer readback_;
    std::vector<Output> framebuffers_;
};

}  // namespace zw::gpu
