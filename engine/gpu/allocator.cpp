#include "engine/gpu/allocator.h"

#include <algorithm>

#include "engine/core/error.h"
#include "engine/gpu/check.h"

namespace zw::gpu {

RangeAllocator::RangeAllocator(uint64_t size) : size_(size) {
    if (size > 0) free_.emplace(0, size);
}

std::optional<uint64_t> RangeAllocator::allocate(uint64_t size, uint64_t alignment) {
    if (size == 0) size = 1;
    if (alignment == 0) alignment = 1;
    for (auto it = free_.begin(); it != free_.end(); ++it) {
        const uint64_t start = it->first, length = it->second;
        const uint64_t end = start + length;  // ranges lie inside the block, so this cannot wrap
        const uint64_t aligned = (start + alignment - 1) & ~(alignment - 1);
        if (aligned < start || aligned > end || size > end - aligned) continue;
        free_.erase(it);
        if (aligned > start) free_.emplace(start, aligned - start);
        if (aligned + size < end) free_.emplace(aligned + size, end - aligned - size);
        used_ranges_.emplace(aligned, size);
        used_ += size;
        return aligned;
    }
    return std::nullopt;
}

void RangeAllocator::free(uint64_t offset) {
    auto used = used_ranges_.find(offset);
    if (used == used_ranges_.end()) return;
    uint64_t start = offset, length = used->second;
    used_ -= length;
    used_ranges_.erase(used);
    auto next = free_.lower_bound(start);
    if (next != free_.end() && next->first == start + length) {
        length += next->second;
        next = free_.erase(next);
    }
    if (next != free_.begin()) {
        auto prev = std::prev(next);
        if (prev->first + prev->second == start) {
            start = prev->first;
            length += prev->second;
            free_.erase(prev);
        }
    }
    free_.emplace(start, length);
}

uint64_t RangeAllocator::largest_free_range() const {
    uint64_t best = 0;
    for (const auto& [offset, length] : free_)
        best = std::max(best, length);
    return best;
}

DeviceAllocator::DeviceAllocator(VkDevice device, VkPhysicalDevice physical, VkDeviceSize block_size)
    : device_(device), block_size_(block_size) {
    vkGetPhysicalDeviceMemoryProperties(physical, &props_);
}

DeviceAllocator::~DeviceAllocator() {
    for (uint32_t i = 0; i < blocks_.size(); ++i)
        if (blocks_[i]) release(i);
}

uint32_t DeviceAllocator::choose_type(uint32_t type_bits, MemoryUsage usage) const {
    VkMemoryPropertyFlags required = 0, preferred = 0;
    switch (usage) {
        case MemoryUsage::gpu_only:
            preferred = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
            break;
        case MemoryUsage::upload:
            required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
            break;
        case MemoryUsage::readback:
            required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
            preferred = VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
            break;
    }
    uint32_t fallback = UINT32_MAX;
    for (uint32_t i = 0; i < props_.memoryTypeCount; ++i) {
        if (!(type_bits & (1u << i))) continue;
        const VkMemoryPropertyFlags flags = props_.memoryTypes[i].propertyFlags;
        if ((flags & required) != required) continue;
        if ((flags & preferred) == preferred) return i;
        if (fallback == UINT32_MAX) fallback = i;
    }
    if (fallback == UINT32_MAX) fail("no Vulkan memory type fits this resource (type bits ", type_bits, ")");
    return fallback;
}

Allocation DeviceAllocator::allocate(const VkMemoryRequirements& req, MemoryUsage usage, bool linear) {
    const uint32_t type = choose_type(req.memoryTypeBits, usage);
    std::lock_guard lock(mutex_);
    auto grant = [&](uint32_t index, uint64_t offset) {
        Block& b = *blocks_[index];
        return Allocation{b.memory, offset, req.size,
                          b.mapped ? static_cast<char*>(b.mapped) + offset : nullptr, index};
    };
    const bool dedicated = req.size > block_size_ / 2;
    if (!dedicated) {
        for (uint32_t i = 0; i < blocks_.size(); ++i) {
            Block* b = blocks_[i].get();
            if (!b || b->type != type || b->linear != linear || b->ranges.size() != block_size_) continue;
            if (auto offset = b->ranges.allocate(req.size, req.alignment)) return grant(i, *offset);
        }
    }
    const VkDeviceSize size = dedicated ? req.size : block_size_;
    VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, nullptr, size, type};
    VkDeviceMemory memory = VK_NULL_HANDLE;
    ZW_VK(vkAllocateMemory(device_, &info, nullptr, &memory));
    auto block = std::make_unique<Block>(Block{memory, type, linear, nullptr, RangeAllocator(size)});
    if (props_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
        ZW_VK(vkMapMemory(device_, memory, 0, VK_WHOLE_SIZE, 0, &block->mapped));
    const uint64_t offset = *block->ranges.allocate(req.size, req.alignment);
    auto hole = std::find(blocks_.begin(), blocks_.end(), nullptr);
    const auto index = static_cast<uint32_t>(hole - blocks_.begin());
    if (hole == blocks_.end())
        blocks_.push_back(std::move(block));
    else
        *hole = std::move(block);
    return grant(index, offset);
}

void DeviceAllocator::free(const Allocation& allocation) {
    if (allocation.block == UINT32_MAX) return;
    std::lock_guard lock(mutex_);
    Block* b = blocks_.at(allocation.block).get();
    if (!b) return;
    b->ranges.free(allocation.offset);
    if (b->ranges.used() != 0) return;
    // Keep one empty block per memory type so a load/unload cycle does not thrash the driver.
    const bool dedicated = b->ranges.size() != block_size_;
    const auto spare = std::count_if(blocks_.begin(), blocks_.end(), [&](const auto& o) {
        return o && o.get() != b && o->type == b->type && o->linear == b->linear && o->ranges.used() == 0;
    });
    if (dedicated || spare > 0) release(allocation.block);
}

void DeviceAllocator::release(uint32_t index) {
    Block& b = *blocks_[index];
    if (b.mapped) vkUnmapMemory(device_, b.memory);
    vkFreeMemory(device_, b.memory, nullptr);
    blocks_[index].reset();
}

MemoryStats DeviceAllocator::stats() const {
    std::lock_guard lock(mutex_);
    MemoryStats s;
    for (const auto& b : blocks_) {
        if (!b) continue;
        s.reserved_bytes += b->ranges.size();
        s.used_bytes += b->ranges.used();
        ++s.blocks;
    }
    return s;
}

}  // namespace zw::gpu
