// RangeAllocator (offset bookkeeping inside one device-memory block) and choose_device.
#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "engine/gpu/allocator.h"
#include "engine/gpu/context.h"

namespace {

using zw::gpu::RangeAllocator;

TEST(RangeAllocator, StartsAsOneFreeRange) {
    RangeAllocator a(4096);
    EXPECT_EQ(a.size(), 4096u);
    EXPECT_EQ(a.used(), 0u);
    EXPECT_EQ(a.free_range_count(), 1u);
    EXPECT_EQ(a.largest_free_range(), 4096u);
}

TEST(RangeAllocator, OffsetsHonourPowerOfTwoAlignment) {
    RangeAllocator a(1 << 20);
    // A 1-byte allocation leaves the free range starting at an odd offset.
    const auto first = a.allocate(1, 1);
    ASSERT_TRUE(first);
    for (uint64_t alignment = 1; alignment <= 4096; alignment *= 2) {
        const auto offset = a.allocate(3, alignment);
        ASSERT_TRUE(offset) << "alignment " << alignment;
        EXPECT_EQ(*offset % alignment, 0u) << "alignment " << alignment;
    }
}

TEST(RangeAllocator, AlignmentLargerThanTheFirstGapSkipsPastIt) {
    RangeAllocator a(4096);
    ASSERT_EQ(a.allocate(1, 1), 0u);
    // The free range starts at 1; the next multiple of 256 is 256.
    const auto aligned = a.allocate(16, 256);
    ASSERT_TRUE(aligned);
    EXPECT_EQ(*aligned, 256u);
    // The padding [1, 256) is not lost: it stays free and is handed out first-fit.
    EXPECT_EQ(a.used(), 17u);
    const auto small = a.allocate(100, 1);
    ASSERT_TRUE(small);
    EXPECT_EQ(*small, 1u);
}

TEST(RangeAllocator, AlignmentThatCannotFitReturnsNothing) {
    RangeAllocator a(1024);
    ASSERT_EQ(a.allocate(1, 1), 0u);
    // 1023 bytes are free, but the first 512-aligned offset (512) leaves only 512 bytes.
    EXPECT_FALSE(a.allocate(1000, 512));
    EXPECT_EQ(a.allocate(512, 512), 512u);
}

TEST(RangeAllocator, ReturnsNothingWhenFull) {
    RangeAllocator a(1024);
    ASSERT_EQ(a.allocate(1024, 1), 0u);
    EXPECT_EQ(a.used(), 1024u);
    EXPECT_EQ(a.largest_free_range(), 0u);
    EXPECT_FALSE(a.allocate(1, 1));
    EXPECT_EQ(a.used(), 1024u);
}

TEST(RangeAllocator, RequestLargerThanTheBlockReturnsNothing) {
    RangeAllocator a(1024);
    EXPECT_FALSE(a.allocate(1025, 1));
    EXPECT_EQ(a.used(), 0u);
    EXPECT_EQ(a.largest_free_range(), 1024u);
}

// allocate() must not let `aligned + size` wrap around for sizes near 2^64.
TEST(RangeAllocator, HugeRequestDoesNotWrapAround) {
    for (const uint64_t size : {UINT64_MAX, UINT64_MAX - 1, UINT64_MAX - 1000}) {
        RangeAllocator a(1024);
        ASSERT_EQ(a.allocate(1, 1), 0u);
        EXPECT_FALSE(a.allocate(size, 1)) << size;
        EXPECT_EQ(a.used(), 1u) << size;
    }
}

TEST(RangeAllocator, ReturnsNothingWhenFragmentedBeyondTheRequest) {
    RangeAllocator a(1024);
    std::vector<uint64_t> offsets;
    for (int i = 0; i < 4; ++i) {
        const auto o = a.allocate(256, 1);
        ASSERT_TRUE(o);
        offsets.push_back(*o);
    }
    a.free(offsets[0]);
    a.free(offsets[2]);
    // 512 bytes are free, in two separate 256-byte holes.
    EXPECT_EQ(a.used(), 512u);
    EXPECT_EQ(a.largest_free_range(), 256u);
    EXPECT_FALSE(a.allocate(257, 1));
    EXPECT_FALSE(a.allocate(512, 1));
    EXPECT_TRUE(a.allocate(256, 1));
}

TEST(RangeAllocator, FreedRangeIsReused) {
    RangeAllocator a(1 << 16);
    const auto first = a.allocate(64, 16);
    const auto second = a.allocate(64, 16);
    ASSERT_TRUE(first && second);
    EXPECT_NE(*first, *second);
    a.free(*first);
    const auto again = a.allocate(64, 16);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *first);
}

TEST(RangeAllocator, NeighboursCoalesce) {
    RangeAllocator a(3000);
    const auto x = a.allocate(1000, 1), y = a.allocate(1000, 1), z = a.allocate(1000, 1);
    ASSERT_TRUE(x && y && z);
    EXPECT_EQ(a.free_range_count(), 0u);

    a.free(*y);  // a hole between two used ranges
    EXPECT_EQ(a.free_range_count(), 1u);
    EXPECT_EQ(a.largest_free_range(), 1000u);

    a.free(*x);  // merges with the hole after it
    EXPECT_EQ(a.free_range_count(), 1u);
    EXPECT_EQ(a.largest_free_range(), 2000u);

    a.free(*z);  // merges with the range before it
    EXPECT_EQ(a.free_range_count(), 1u);
    EXPECT_EQ(a.largest_free_range(), a.size());
    EXPECT_EQ(a.used(), 0u);
    // The whole block can be handed out again in one piece.
    EXPECT_EQ(a.allocate(3000, 1), 0u);
}

TEST(RangeAllocator, FreeingBetweenTwoFreeRangesMergesAllThree) {
    RangeAllocator a(5 * 100);
    std::vector<uint64_t> o;
    for (int i = 0; i < 5; ++i)
        o.push_back(*a.allocate(100, 1));
    a.free(o[1]);
    a.free(o[3]);
    EXPECT_EQ(a.free_range_count(), 2u);
    a.free(o[2]);
    EXPECT_EQ(a.free_range_count(), 1u);
    EXPECT_EQ(a.largest_free_range(), 300u);
}

TEST(RangeAllocator, UsedCountsRequestedBytes) {
    RangeAllocator a(1 << 16);
    const auto p = a.allocate(100, 1);
    const auto q = a.allocate(28, 64);
    ASSERT_TRUE(p && q);
    EXPECT_EQ(a.used(), 128u);
    a.free(*p);
    EXPECT_EQ(a.used(), 28u);
    a.free(*q);
    EXPECT_EQ(a.used(), 0u);
}

TEST(RangeAllocator, UnknownOffsetsAreIgnored) {
    RangeAllocator a(4096);
    const auto p = a.allocate(256, 256);
    ASSERT_TRUE(p);
    const size_t ranges = a.free_range_count();

    a.free(3000);     // never allocated
    a.free(*p + 1);   // inside an allocation, but not its start
    a.free(1 << 20);  // outside the block
    EXPECT_EQ(a.used(), 256u);
    EXPECT_EQ(a.free_range_count(), ranges);

    a.free(*p);
    a.free(*p);  // a second free of the same offset
    EXPECT_EQ(a.used(), 0u);
    EXPECT_EQ(a.free_range_count(), 1u);
    EXPECT_EQ(a.largest_free_range(), 4096u);
}

TEST(RangeAllocator, RandomAllocationsNeverOverlap) {
    constexpr uint64_t block = 1 << 20;
    RangeAllocator a(block);
    std::mt19937 rng(1234);
    std::uniform_int_distribution<uint64_t> size_dist(1, 8192);
    std::uniform_int_distribution<int> align_log(0, 12);
    std::map<uint64_t, uint64_t> live;  // offset -> size
    uint64_t live_bytes = 0;
    int successes = 0, failures = 0;

    for (int step = 0; step < 5000; ++step) {
        const bool do_free = !live.empty() && rng() % 3 == 0;
        if (do_free) {
            auto it = live.begin();
            std::advance(it, rng() % live.size());
            a.free(it->first);
            live_bytes -= it->second;
            live.erase(it);
        } else {
            const uint64_t size = size_dist(rng), alignment = uint64_t(1) << align_log(rng);
            const auto offset = a.allocate(size, alignment);
            if (!offset) {
                ++failures;
                continue;
            }
            ++successes;
            ASSERT_EQ(*offset % alignment, 0u);
            ASSERT_LE(*offset + size, block);
            // Sorted by offset, a new range overlaps only if it overlaps a neighbour.
            const auto next = live.lower_bound(*offset);
            if (next != live.end()) {
                ASSERT_LE(*offset + size, next->first) << "step " << step;
            }
            if (next != live.begin()) {
                const auto prev = std::prev(next);
                ASSERT_LE(prev->first + prev->second, *offset) << "step " << step;
            }
            live.emplace(*offset, size);
            live_bytes += size;
        }
        ASSERT_EQ(a.used(), live_bytes);
    }
    // The run exercised both outcomes: the block filled up at times.
    EXPECT_GT(successes, 1000);
    EXPECT_GT(failures, 0);

    // Full pairwise check of what is live at the end.
    for (auto it = live.begin(); it != live.end() && std::next(it) != live.end(); ++it)
        EXPECT_LE(it->first + it->second, std::next(it)->first);

    for (const auto& [offset, size] : live)
        a.free(offset);
    EXPECT_EQ(a.used(), 0u);
    EXPECT_EQ(a.free_range_count(), 1u);
    EXPECT_EQ(a.largest_free_range(), block);
}

// --- choose_device -----------------------------------------------------------------

using zw::gpu::choose_device;
using zw::gpu::DeviceInfo;

DeviceInfo device(const char* name, VkPhysicalDeviceType type) {
    return DeviceInfo{name, type, 0};
}

TEST(ChooseDevice, PrefersDiscreteThenIntegratedThenVirtualThenCpu) {
    const DeviceInfo cpu = device("llvmpipe (LLVM 15.0.6, 256 bits)", VK_PHYSICAL_DEVICE_TYPE_CPU);
    const DeviceInfo virt = device("Virtio-GPU Venus", VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU);
    const DeviceInfo igpu = device("Intel(R) UHD Graphics 630", VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU);
    const DeviceInfo dgpu = device("NVIDIA GeForce RTX 3060", VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU);
    const DeviceInfo other = device("Mystery", VK_PHYSICAL_DEVICE_TYPE_OTHER);

    EXPECT_EQ(choose_device({cpu, virt, igpu, dgpu}, ""), 3);
    EXPECT_EQ(choose_device({dgpu, igpu, virt, cpu}, ""), 0);
    EXPECT_EQ(choose_device({cpu, igpu, virt}, ""), 1);
    EXPECT_EQ(choose_device({virt, cpu}, ""), 0);
    EXPECT_EQ(choose_device({cpu, virt}, ""), 1);
    EXPECT_EQ(choose_device({other, cpu}, ""), 1);
    EXPECT_EQ(choose_device({cpu}, ""), 0);
}

TEST(ChooseDevice, WantedIsACaseInsensitiveSubstring) {
    const std::vector<DeviceInfo> devices = {
        device("NVIDIA GeForce RTX 3060", VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU),
        device("Intel(R) UHD Graphics 630", VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU),
        device("llvmpipe (LLVM 15.0.6, 256 bits)", VK_PHYSICAL_DEVICE_TYPE_CPU),
    };
    // The name wins over the type preference.
    EXPECT_EQ(choose_device(devices, "intel"), 1);
    EXPECT_EQ(choose_device(devices, "UHD"), 1);
    EXPECT_EQ(choose_device(devices, "LLVMPIPE"), 2);
    EXPECT_EQ(choose_device(devices, "geforce rtx"), 0);
}

TEST(ChooseDevice, AmongMatchesTheTypePreferenceStillApplies) {
    const std::vector<DeviceInfo> devices = {
        device("Radeon Vega 8 (integrated)", VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU),
        device("Radeon RX 6800", VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU),
        device("NVIDIA GeForce RTX 3060", VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU),
    };
    EXPECT_EQ(choose_device(devices, "radeon"), 1);
}

TEST(ChooseDevice, NoMatchOrNoDevicesGivesMinusOne) {
    const std::vector<DeviceInfo> devices = {
        device("NVIDIA GeForce RTX 3060", VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU),
        device("llvmpipe (LLVM 15.0.6, 256 bits)", VK_PHYSICAL_DEVICE_TYPE_CPU),
    };
    EXPECT_EQ(choose_device(devices, "amd"), -1);
    EXPECT_EQ(choose_device({}, ""), -1);
    EXPECT_EQ(choose_device({}, "nvidia"), -1);
}

}  // namespace
