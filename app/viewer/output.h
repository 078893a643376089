// What a frame is drawn into and how it gets to the screen (Granite's WSI, the Vulkan
// side of the platform): the window's swapchain images or one offscreen image, as a
// gpu::RenderTarget that is rebuilt when the window's size changes; acquire, submit and
// present.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "engine/gpu/context.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/swapchain.h"
#include "engine/gpu/target.h"

namespace zw::viewer {

class Output {
  public:
    // Draws into `swapchain`'s images, or (null) into an offscreen image of `extent`.
    // `passes` and `swapchain` outlive this.
    Output(gpu::Context& ctx, const gpu::RenderPasses& passes, gpu::Swapchain* swapchain, VkExtent2D extent);

    gpu::RenderTarget& target() { return *target_; }
    const gpu::RenderTarget& target() const { return *target_; }
    VkExtent2D extent() const { return target_->extent(); }
    gpu::Swapchain* swapchain() const { return swapchain_; }

    // Before a frame: rebuilds the swapchain and the target (after waiting for the GPU,
    // whose presentation engine may still read the old images) when the window's
    // framebuffer `size` changed or presenting asked for it.
    void fit(VkExtent2D size, gpu::FrameRing& frames);
    // The image to draw into (0 offscreen), or nothing when the swapchain must be rebuilt
    // first (the caller submits the empty frame and tries the next).
    std::optional<uint32_t> acquire(const gpu::Frame& frame);
    // Submits the recorded frame and presents `image`.
    void submit(gpu::FrameRing& frames, const gpu::Frame& frame, uint32_t image);

    // How often the swapchain was rebuilt.
    uint32_t rebuilt() const { return rebuilt_; }

  private:
    gpu::Context& ctx_;
    const gpu::RenderPasses& passes_;
    gpu::Swapchain* swapchain_;
    std::unique_ptr<gpu::RenderTarget> target_;
    bool stale_ = false;
    uint32_t rebuilt_ = 0;
};

}  // namespace zw::viewer
