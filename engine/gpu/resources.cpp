#include "engine/gpu/resources.h"

#include "engine/gpu/check.h"
#include "engine/gpu/context.h"

namespace zw::gpu {

Semaphore make_semaphore(const Context& ctx, const std::string& name) {
    VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    VkSemaphore s = VK_NULL_HANDLE;
    ZW_VK(vkCreateSemaphore(ctx.device(), &info, nullptr, &s));
    ctx.set_name(s, VK_OBJECT_TYPE_SEMAPHORE, name);
    return {ctx.device(), s};
}

Fence make_fence(const Context& ctx, bool signaled, const std::string& name) {
    VkFenceCreateInfo info{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if (signaled) info.flags = VK_FENCE_CREATE_SIGNALED_BIT;
    VkFence f = VK_NULL_HANDLE;
    ZW_VK(vkCreateFence(ctx.device(), &info, nullptr, &f));
    ctx.set_name(f, VK_OBJECT_TYPE_FENCE, name);
    return {ctx.device(), f};
}

Buffer::Buffer(Context& ctx, VkDeviceSize size, VkBufferUsageFlags usage, MemoryUsage memory,
               const std::string& name)
    : ctx_(&ctx), size_(size) {
    VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.size = size;
    info.usage = usage;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    ZW_VK(vkCreateBuffer(ctx.device(), &info, nullptr, &buffer_));
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(ctx.device(), buffer_, &req);
    try {
        allocation_ = ctx.allocator().allocate(req, memory, true);
        ZW_VK(vkBindBufferMemory(ctx.device(), buffer_, allocation_.memory, allocation_.offset));
    } catch (...) {
        reset();
        throw;
    }
    ctx.set_name(buffer_, VK_OBJECT_TYPE_BUFFER, name);
}

Buffer& Buffer::operator=(Buffer&& o) noexcept {
    if (this != &o) {
        reset();
        ctx_ = o.ctx_;
        buffer_ = std::exchange(o.buffer_, VK_NULL_HANDLE);
        size_ = o.size_;
        allocation_ = std::exchange(o.allocation_, Allocation{});
    }
    return *this;
}

void Buffer::reset() {
    if (buffer_) vkDestroyBuffer(ctx_->device(), buffer_, nullptr);
    if (allocation_.block != UINT32_MAX) ctx_->allocator().free(allocation_);
    buffer_ = VK_NULL_HANDLE;
    allocation_ = {};
}

Image::Image(Context& ctx, const ImageDesc& desc, const std::string& name) : ctx_(&ctx), desc_(desc) {
    VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
    info.imageType = VK_IMAGE_TYPE_2D;
    info.format = desc.format;
    info.extent = {desc.extent.width, desc.extent.height, 1};
    info.mipLevels = desc.mip_levels;
    info.arrayLayers = 1;
    info.samples = desc.samples;
    info.tiling = VK_IMAGE_TILING_OPTIMAL;
    info.usage = desc.usage;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    ZW_VK(vkCreateImage(ctx.device(), &info, nullptr, &image_));
    VkMemoryRequirements req;
    vkGetImageMemoryRequirements(ctx.device(), image_, &req);
    try {
        allocation_ = ctx.allocator().allocate(req, MemoryUsage::gpu_only, false);
        ZW_VK(vkBindImageMemory(ctx.device(), image_, allocation_.memory, allocation_.offset));
        VkImageViewCreateInfo vi{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
        vi.image = image_;
        vi.viewType = VK_IMAGE_VIEW_TYPE_2D;
        vi.format = desc.format;
        vi.subresourceRange = {desc.aspect, 0, desc.mip_levels, 0, 1};
        ZW_VK(vkCreateImageView(ctx.device(), &vi, nullptr, &view_));
    } catch (...) {
        reset();
        throw;
    }
    ctx.set_name(image_, VK_OBJECT_TYPE_IMAGE, name);
    ctx.set_name(view_, VK_OBJECT_TYPE_IMAGE_VIEW, name + " view");
}

Image& Image::operator=(Image&& o) noexcept {
    if (this != &o) {
        reset();
        ctx_ = o.ctx_;
        image_ = std::exchange(o.image_, VK_NULL_HANDLE);
        view_ = std::exchange(o.view_, VK_NULL_HANDLE);
        desc_ = o.desc_;
        allocation_ = std::exchange(o.allocation_, Allocation{});
    }
    return *this;
}

void Image::reset() {
    if (view_) vkDestroyImageView(ctx_->device(), view_, nullptr);
    if (image_) vkDestroyImage(ctx_->device(), image_, nullptr);
    if (allocation_.block != UINT32_MAX) ctx_->allocator().free(allocation_);
    view_ = VK_NULL_HANDLE;
    image_ = VK_NULL_HANDLE;
    allocation_ = {};
}

ImageView make_view(const Context& ctx, VkImage image, VkFormat format, VkImageAspectFlags aspect,
                    const std::string& name) {
    VkImageViewCreateInfo vi{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    vi.image = image;
    vi.viewType = VK_IMAGE_VIEW_TYPE_2D;
    vi.format = format;
    vi.subresourceRange = {aspect, 0, 1, 0, 1};
    VkImageView view = VK_NULL_HANDLE;
    ZW_VK(vkCreateImageView(ctx.device(), &vi, nullptr, &view));
    ctx.set_name(view, VK_OBJECT_TYPE_IMAGE_VIEW, name);
    return {ctx.device(), view};
}

void transition(VkCommandBuffer cmd, VkImage image, VkImageAspectFlags aspect, VkImageLayout from,
                VkImageLayout to, VkPipelineStageFlags src_stage, VkAccessFlags src_access,
                VkPipelineStageFlags dst_stage, VkAccessFlags dst_access, uint32_t base_mip,
                uint32_t mip_count) {
    VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
    b.srcAccessMask = src_access;
    b.dstAccessMask = dst_access;
    b.oldLayout = from;
    b.newLayout = to;
    b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    b.image = image;
    b.subresourceRange = {aspect, base_mip, mip_count, 0, 1};
    vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 0, nullptr, 0, nullptr, 1, &b);
}

void record_image_readback(VkCommandBuffer cmd, VkImage image, VkExtent2D extent, VkBuffer buffer) {
    VkBufferImageCopy region{};
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    region.imageExtent = {extent.width, extent.height, 1};
    vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, buffer, 1, &region);
    VkBufferMemoryBarrier b{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};
    b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    b.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    b.buffer = buffer;
    b.size = VK_WHOLE_SIZE;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0, nullptr, 1,
                         &b, 0, nullptr);
}

}  // namespace zw::gpu
