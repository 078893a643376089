#include "app/viewer/output.h"

namespace zw::viewer {

Output::Output(gpu::Context& ctx, const gpu::RenderPasses& passes, gpu::Swapchain* swapchain,
               VkExtent2D extent)
    : ctx_(ctx),
      passes_(passes),
      swapchain_(swapchain),
      target_(swapchain
                  ? std::make_unique<gpu::RenderTarget>(ctx, passes, swapchain->extent(), swapchain->images())
                  : std::make_unique<gpu::RenderTarget>(ctx, passes, extent)) {}

void Output::fit(VkExtent2D size, gpu::FrameRing& frames) {
    if (!swapchain_) return;
    const VkExtent2D now = swapchain_->extent();
    if (!stale_ && size.width == now.width && size.height == now.height) return;
    frames.drain();
    ctx_.wait_idle();  // the presentation engine may still read the old images
    target_.reset();
    swapchain_->recreate(size);
    target_ = std::make_unique<gpu::RenderTarget>(ctx_, passes_, swapchain_->extent(), swapchain_->images());
    stale_ = false;
    ++rebuilt_;
}

std::optional<uint32_t> Output::acquire(const gpu::Frame& frame) {
    if (!swapchain_) return 0;
    const std::optional<uint32_t> image = swapchain_->acquire(frame.image_available);
    if (!image) stale_ = true;
    return image;
}

void Output::submit(gpu::FrameRing& frames, const gpu::Frame& frame, uint32_t image) {
    if (!swapchain_) {
        frames.submit();
        return;
    }
    frames.submit(frame.image_available, swapchain_->render_finished(image));
    if (!swapchain_->present(image)) stale_ = true;
}

}  // namespace zw::viewer
