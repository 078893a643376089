// The staging path: CPU data is gathered into one host-visible buffer and copied into
// device-local buffers and images by one command buffer. For load-time work; the frame
// loop never waits on it.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/gpu/resources.h"

namespace zw::gpu {

class UploadBatch {
  public:
    explicit UploadBatch(Context& ctx) : ctx_(ctx) {}

    // Copies `size` bytes into `dst` at `dst_offset` (dst needs TRANSFER_DST usage).
    void to_buffer(const Buffer& dst, const void* data, size_t size, VkDeviceSize dst_offset = 0);
    // Copies tightly packed pixels into mip 0 of `dst`, fills the other mips by linear
    // blits (when the format supports it) and leaves the image SHADER_READ_ONLY_OPTIMAL.
    // The batch keeps `dst`'s handle and description, never a pointer to `dst`: the Image
    // object may move (e.g. inside a growing vector) before record() or submit(); the
    // Vulkan image itself must stay alive until the copies have run.
    void to_image(const Image& dst, const void* pixels, size_t size);

    size_t pending_bytes() const { return data_.size(); }
    // Submits everything and waits for it. The batch is empty afterwards.
    void submit();
    // Records the copies into `cmd` instead (no wait; for streaming inside a frame's
    // command buffer, before its render passes). Returns the staging buffer, which must
    // live until the GPU has run `cmd` (FrameRing::defer). The batch is empty afterwards.
    Buffer record(VkCommandBuffer cmd);

  private:
    struct Copy {
        VkBuffer buffer = VK_NULL_HANDLE;
        VkImage image = VK_NULL_HANDLE;
        ImageDesc image_desc{};
        size_t src_offset = 0, size = 0;
        VkDeviceSize dst_offset = 0;
    };
    Context& ctx_;
    std::vector<uint8_t> data_;
    std::vector<Copy> copies_;
};

}  // namespace zw::gpu
