// Move-only owners of Vulkan objects. Each one destroys its object when it dies; to
// destroy something the GPU may still use, hand it to FrameRing::defer().
#pragma once

#include <vulkan/vulkan.h>

#include <string>
#include <utility>

#include "engine/gpu/allocator.h"

namespace zw::gpu {

class Context;

// A plain device-owned handle (render pass, pipeline, sampler, ...) with its destroy call.
template <typename T, void (*Destroy)(VkDevice, T, const VkAllocationCallbacks*)>
class Owned {
  public:
    Owned() = default;
    Owned(VkDevice device, T handle) : device_(device), handle_(handle) {}
    Owned(Owned&& o) noexcept : device_(o.device_), handle_(std::exchange(o.handle_, VK_NULL_HANDLE)) {}
    Owned& operator=(Owned&& o) noexcept {
        if (this != &o) {
            reset();
            device_ = o.device_;
            handle_ = std::exchange(o.handle_, VK_NULL_HANDLE);
        }
        return *this;
    }
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    ~Owned() { reset(); }

    void reset() {
        if (handle_ != VK_NULL_HANDLE) Destroy(device_, handle_, nullptr);
        handle_ = VK_NULL_HANDLE;
    }
    T get() const { return handle_; }
    operator T() const { return handle_; }  // NOLINT: reads like the raw handle at call sites
    explicit operator bool() const { return handle_ != VK_NULL_HANDLE; }

  private:
    VkDevice device_ = VK_NULL_HANDLE;
    T handle_ = VK_NULL_HANDLE;
};

using RenderPass = Owned<VkRenderPass, vkDestroyRenderPass>;
using Framebuffer = Owned<VkFramebuffer, vkDestroyFramebuffer>;
using Pipeline = Owned<VkPipeline, vkDestroyPipeline>;
using PipelineLayout = Owned<VkPipelineLayout, vkDestroyPipelineLayout>;
using DescriptorSetLayout = Owned<VkDescriptorSetLayout, vkDestroyDescriptorSetLayout>;
using DescriptorPool = Owned<VkDescriptorPool, vkDestroyDescriptorPool>;
using Sampler = Owned<VkSampler, vkDestroySampler>;
using ImageView = Owned<VkImageView, vkDestroyImageView>;
using Semaphore = Owned<VkSemaphore, vkDestroySemaphore>;
using Fence = Owned<VkFence, vkDestroyFence>;
using CommandPool = Owned<VkCommandPool, vkDestroyCommandPool>;
using QueryPool = Owned<VkQueryPool, vkDestroyQueryPool>;
using ShaderModule = Owned<VkShaderModule, vkDestroyShaderModule>;

Semaphore make_semaphore(const Context& ctx, const std::string& name);
Fence make_fence(const Context& ctx, bool signaled, const std::string& name);

class Buffer {
  public:
    Buffer() = default;
    // Creates a buffer with its memory. Host-visible usages (upload, readback) are mapped.
    Buffer(Context& ctx, VkDeviceSize size, VkBufferUsageFlags usage, MemoryUsage memory,
           const std::string& name);
    Buffer(Buffer&& o) noexcept { *this = std::move(o); }
    Buffer& operator=(Buffer&& o) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    ~Buffer() { reset(); }
    void reset();

    VkBuffer handle() const { return buffer_; }
    VkDeviceSize size() const { return size_; }
    void* mapped() const { return allocation_.mapped; }
    const Allocation& allocation() const { return allocation_; }
    explicit operator bool() const { return buffer_ != VK_NULL_HANDLE; }

  private:
    Context* ctx_ = nullptr;
    VkBuffer buffer_ = VK_NULL_HANDLE;
    VkDeviceSize size_ = 0;
    Allocation allocation_;
};

struct ImageDesc {
    VkExtent2D extent{};
    VkFormat format = VK_FORMAT_R8G8B8A8_SRGB;
    VkImageUsageFlags usage = 0;
    VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
    uint32_t mip_levels = 1;
    VkImageAspectFlags aspect = VK_IMAGE_ASPECT_COLOR_BIT;
};

// A 2D image with memory and a view over all its mip levels.
class Image {
  public:
    Image() = default;
    Image(Context& ctx, const ImageDesc& desc, const std::string& name);
    Image(Image&& o) noexcept { *this = std::move(o); }
    Image& operator=(Image&& o) noexcept;
    Image(const Image&) = delete;
    Image& operator=(const Image&) = delete;
    ~Image() { reset(); }
    void reset();

    VkImage handle() const { return image_; }
    VkImageView view() const { return view_; }
    const ImageDesc& desc() const { return desc_; }
    const Allocation& allocation() const { return allocation_; }
    explicit operator bool() const { return image_ != VK_NULL_HANDLE; }

  private:
    Context* ctx_ = nullptr;
    VkImage image_ = VK_NULL_HANDLE;
    VkImageView view_ = VK_NULL_HANDLE;
    ImageDesc desc_;
    Allocation allocation_;
};

// A view of an image that someone else owns (a swapchain image).
ImageView make_view(const Context& ctx, VkImage image, VkFormat format, VkImageAspectFlags aspect,
                    const std::string& name);

// One image layout transition with a full pipeline barrier between the given stages.
void transition(VkCommandBuffer cmd, VkImage image, VkImageAspectFlags aspect, VkImageLayout from,
                VkImageLayout to, VkPipelineStageFlags src_stage, VkAccessFlags src_access,
                VkPipelineStageFlags dst_stage, VkAccessFlags dst_access, uint32_t base_mip = 0,
                uint32_t mip_count = VK_REMAINING_MIP_LEVELS);

// Records the copy of a colour image (in TRANSFER_SRC_OPTIMAL) into a host-readable
// buffer, and the barrier that makes the bytes visible to the host once the work is done.
void record_image_readback(VkCommandBuffer cmd, VkImage image, VkExtent2D extent, VkBuffer buffer);

}  // namespace zw::gpu
