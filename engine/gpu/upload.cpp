#include "engine/gpu/upload.h"

#include <algorithm>
#include <cstring>

#include "engine/gpu/context.h"

namespace zw::gpu {
namespace {

void record_mips(VkCommandBuffer cmd, VkImage img, const ImageDesc& d, bool can_blit) {
    constexpr VkImageAspectFlags color = VK_IMAGE_ASPECT_COLOR_BIT;
    if (!can_blit || d.mip_levels == 1) {
        transition(cmd, img, color, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                   VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_TRANSFER_BIT,
                   VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT,
                   VK_ACCESS_SHADER_READ_BIT);
        return;
    }
    int32_t w = static_cast<int32_t>(d.extent.width), h = static_cast<int32_t>(d.extent.height);
    for (uint32_t level = 1; level < d.mip_levels; ++level) {
        transition(cmd, img, color, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                   VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_TRANSFER_BIT,
                   VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT,
                   level - 1, 1);
        VkImageBlit blit{};
        blit.srcSubresource = {color, level - 1, 0, 1};
        blit.srcOffsets[1] = {w, h, 1};
        w = std::max(1, w / 2);
        h = std::max(1, h / 2);
        blit.dstSubresource = {color, level, 0, 1};
        blit.dstOffsets[1] = {w, h, 1};
        vkCmdBlitImage(cmd, img, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, img,
                       VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit, VK_FILTER_LINEAR);
    }
    transition(cmd, img, color, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
               VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_TRANSFER_BIT,
               VK_ACCESS_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT,
               0, d.mip_levels - 1);
    transition(cmd, img, color, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
               VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_TRANSFER_BIT,
               VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT,
               d.mip_levels - 1, 1);
}

}  // namespace

void UploadBatch::to_buffer(const Buffer& dst, const void* data, size_t size, VkDeviceSize dst_offset) {
    if (size == 0) return;
    const size_t offset = (data_.size() + 15) & ~size_t{15};
    data_.resize(offset + size);
    std::memcpy(data_.data() + offset, data, size);
    copies_.push_back({dst.handle(), VK_NULL_HANDLE, {}, offset, size, dst_offset});
}

void UploadBatch::to_image(const Image& dst, const void* pixels, size_t size) {
    const size_t offset = (data_.size() + 15) & ~size_t{15};
    data_.resize(offset + size);
    std::memcpy(data_.data() + offset, pixels, size);
    copies_.push_back({VK_NULL_HANDLE, dst.handle(), dst.desc(), offset, size, 0});
}

void UploadBatch::submit() {
    if (copies_.empty()) return;
    Buffer staging;
    ctx_.submit_now([&](VkCommandBuffer cmd) { staging = record(cmd); });
}

Buffer UploadBatch::record(VkCommandBuffer cmd) {
    if (copies_.empty()) return {};
    Buffer staging(ctx_, data_.size(), VK_BUFFER_USAGE_TRANSFER_SRC_BIT, MemoryUsage::upload, "staging");
    std::memcpy(staging.mapped(), data_.data(), data_.size());
    {
        ctx_.begin_label(cmd, "upload");
        for (const Copy& c : copies_) {
            if (c.buffer) {
                VkBufferCopy region{c.src_offset, c.dst_offset, c.size};
                vkCmdCopyBuffer(cmd, staging.handle(), c.buffer, 1, &region);
                continue;
            }
            const ImageDesc& d = c.image_desc;
            transition(cmd, c.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                       VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0,
                       VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
            VkBufferImageCopy region{};
            region.bufferOffset = c.src_offset;
            region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
            region.imageExtent = {d.extent.width, d.extent.height, 1};
            vkCmdCopyBufferToImage(cmd, staging.handle(), c.image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1,
                                   &region);
            VkFormatProperties fp;
            vkGetPhysicalDeviceFormatProperties(ctx_.physical_device(), d.format, &fp);
            const bool can_blit =
                (fp.optimalTilingFeatures & VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT) &&
                (fp.optimalTilingFeatures & VK_FORMAT_FEATURE_BLIT_SRC_BIT) &&
                (fp.optimalTilingFeatures & VK_FORMAT_FEATURE_BLIT_DST_BIT);
            record_mips(cmd, c.image, d, can_blit);
        }
        // Make the copies visible to every later use (vertex input, index reads, shaders).
        VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
        mb.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
        mb.dstAccessMask = VK_ACCESS_MEMORY_READ_BIT;
        vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 1,
                             &mb, 0, nullptr, 0, nullptr);
        ctx_.end_label(cmd);
    }
    data_.clear();
    copies_.clear();
    return staging;
}

}  // namespace zw::gpu
