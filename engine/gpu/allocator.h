// Device-memory sub-allocation: Vulkan implementations allow only a few thousand
// vkAllocateMemory calls, so buffers and images share large blocks per memory type.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace zw::gpu {

// Offset bookkeeping inside one block of `size` bytes. Pure logic, no Vulkan.
// First fit over an ordered free list; freed ranges merge with free neighbours, so a
// block that is emptied again is one free range. O(free ranges) per allocation.
class RangeAllocator {
  public:
    explicit RangeAllocator(uint64_t size);

    // Returns the offset of `size` bytes aligned to `alignment` (a power of two), or
    // nothing when no free range fits.
    std::optional<uint64_t> allocate(uint64_t size, uint64_t alignment);
    // Frees the range that allocate() returned at `offset`. Unknown offsets are ignored.
    void free(uint64_t offset);

    uint64_t size() const { return size_; }
    uint64_t used() const { return used_; }
    size_t free_range_count() const { return free_.size(); }
    uint64_t largest_free_range() const;

  private:
    uint64_t size_;
    uint64_t used_ = 0;
    std::map<uint64_t, uint64_t> free_;         // offset -> length
    std::map<uint64_t, uint64_t> used_ranges_;  // offset -> length
};

// Where a resource's memory lives. `mapped` is non-null for host-visible memory
// (mapped once per block, persistently).
struct Allocation {
    VkDeviceMemory memory = VK_NULL_HANDLE;
    VkDeviceSize offset = 0;
    VkDeviceSize size = 0;
    void* mapped = nullptr;
    uint32_t block = UINT32_MAX;  // index inside the allocator; UINT32_MAX: no allocation
    explicit operator bool() const { return memory != VK_NULL_HANDLE; }
};

enum class MemoryUsage {
    gpu_only,  // device-local; written by transfers or shaders
    upload,    // host-visible, written by the CPU each frame or once (staging, uniforms)
    readback,  // host-visible and preferably cached, read by the CPU
};

struct MemoryStats {
    uint64_t reserved_bytes = 0;  // device memory allocated from the driver
    uint64_t used_bytes = 0;      // bytes handed out to resources
    uint32_t blocks = 0;
};

class DeviceAllocator {
  public:
    // Blocks are `block_size` bytes; a request over half a block gets a block of its own.
    DeviceAllocator(VkDevice device, VkPhysicalDevice physical, VkDeviceSize block_size = 64ull << 20);
    ~DeviceAllocator();
    DeviceAllocator(const DeviceAllocator&) = delete;
    DeviceAllocator& operator=(const DeviceAllocator&) = delete;

    // `linear` separates buffers from optimal-tiling images so bufferImageGranularity
    // never matters. Throws zw::Error when no memory type fits or memory runs out.
    Allocation allocate(const VkMemoryRequirements& req, MemoryUsage usage, bool linear);
    void free(const Allocation& allocation);

    MemoryStats stats() const;

  private:
    struct Block {
        VkDeviceMemory memory = VK_NULL_HANDLE;
        uint32_t type = 0;
        bool linear = true;
        void* mapped = nullptr;
        RangeAllocator ranges;
    };
    uint32_t choose_type(uint32_t type_bits, MemoryUsage usage) const;
    void release(uint32_t index);

    VkDevice device_;
    VkPhysicalDeviceMemoryProperties props_{};
    VkDeviceSize block_size_;
    std::vector<std::unique_ptr<Block>> blocks_;  // holes are nullptr; indices stay stable
    mutable std::mutex mutex_;
};

}  // namespace zw::gpu
