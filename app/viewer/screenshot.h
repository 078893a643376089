// PNGs of what the viewer draws: the window's image (the flood panel's PNG button),
// copied from the swapchain in the frame that draws it and written once that frame is
// done; and a headless run's offscreen image (--screenshot).
#pragma once

#include <optional>
#include <string>

#include "engine/gpu/context.h"
#include "engine/gpu/frames.h"
#include "engine/gpu/resources.h"
#include "engine/gpu/swapchain.h"
#include "engine/gpu/target.h"

namespace zw::viewer {

// What became of a PNG: its path, or why it was not written.
struct ShotResult {
    bool failed = false;
    std::string message;
};

class WindowShot {
  public:
    // In the frame that drew swapchain image `image` (overlay included), after rendering:
    // records its copy into a host buffer, to be written to `path` by write(). Headless
    // (`swapchain` null) or on a display whose images cannot be copied, it says why not.
    std::optional<ShotResult> record(gpu::Context& ctx, VkCommandBuffer cmd, const gpu::Swapchain* swapchain,
                                     uint32_t image, VkExtent2D extent, const std::string& path);
    // After that frame was submitted: waits for it and writes the PNG. Nothing recorded:
    // nothing to say.
    std::optional<ShotResult> write(gpu::FrameRing& frames, VkFormat format);

  private:
    gpu::Buffer buffer_;
    std::string path_;
    VkExtent2D extent_{};
};

// --screenshot: the target's image read back in the last frame, as a PNG at `path`.
void save_screenshot(const gpu::RenderTarget& target, const std::string& path);

}  // namespace zw::viewer
