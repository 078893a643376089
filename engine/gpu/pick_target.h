// A small single-sample target for picking: one R32G32B32A32_UINT colour attachment and
// its own depth, `size` x `size` texels, copied to a host-visible buffer after its pass.
// The renderer draws the scene into it with the viewport moved so that the region around
// the picked pixel lands on it (same camera, same rasterisation as the full frame, but
// only size^2 fragments). It is only drawn when a pick is asked for.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/gpu/resources.h"

namespace zw::gpu {

class PickTarget {
  public:
    static constexpr VkFormat color_format = VK_FORMAT_R32G32B32A32_UINT;
    PickTarget(Context& ctx, uint32_t size, VkFormat depth_format);

    uint32_t size() const { return size_; }
    VkRenderPass pass() const { return pass_; }
    VkFramebuffer framebuffer() const { return framebuffer_; }

    // Records the copy of the colour attachment (after the pass) into the readback
    // buffer; read() returns it once the frame's fence has passed.
    void record_readback(VkCommandBuffer cmd);
    // size^2 texels of four uint32 each, row-major.
    std::vector<uint32_t> read() const;

  private:
    uint32_t size_;
    RenderPass pass_;
    Image color_;
    Image depth_;
    Framebuffer framebuffer_;
    Buffer readback_;
};

}  // namespace zw::gpu
