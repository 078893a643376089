// engine/gpu on the real device: memory sub-allocation, deferred destruction across
// frames in flight, and per-pass GPU timestamps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "tests/render/fixture.h"

namespace zw {
namespace {

using test::RenderTest;

TEST_F(RenderTest, DeviceAllocatorPacksSmallBuffersIntoOneBlockHonouringAlignment) {
    gpu::DeviceAllocator& allocator = ctx->allocator();
    const gpu::MemoryStats before = allocator.stats();
    std::vector<gpu::Buffer> buffers;
    uint64_t requested = 0;
    for (int i = 0; i < 200; ++i) {
        const VkDeviceSize bytes = 1000 + i * 37;
        buffers.emplace_back(*ctx, bytes,
                             VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                             gpu::MemoryUsage::gpu_only, "allocator test " + std::to_string(i));
        requested += bytes;
    }
    const gpu::MemoryStats during = allocator.stats();
    EXPECT_LE(during.blocks, before.blocks + 1) << "200 small buffers fit one 64 MiB block";
    EXPECT_GE(during.used_bytes - before.used_bytes, requested);

    // Every buffer sits at an offset its memory requirements allow, and none overlap.
    struct Range {
        VkDeviceMemory memory;
        VkDeviceSize begin, end;
    };
    std::vector<Range> ranges;
    for (const gpu::Buffer& b : buffers) {
        VkMemoryRequirements req;
        vkGetBufferMemoryRequirements(ctx->device(), b.handle(), &req);
        EXPECT_EQ(b.allocation().offset % req.alignment, 0u);
        ranges.push_back({b.allocation().memory, b.allocation().offset, b.allocation().offset + req.size});
    }
    std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) {
        return a.memory != b.memory ? a.memory < b.memory : a.begin < b.begin;
    });
    for (size_t i = 1; i < ranges.size(); ++i) {
        if (ranges[i].memory == ranges[i - 1].memory) {
            EXPECT_GE(ranges[i].begin, ranges[i - 1].end);
        }
    }

    // Freed ranges are reused: refilling the holes needs no new block.
    for (size_t i = 0; i < buffers.size(); i += 2)
        buffers[i].reset();
    for (size_t i = 0; i < buffers.size(); i += 2)
        buffers[i] =
            gpu::Buffer(*ctx, 900, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, gpu::MemoryUsage::gpu_only, "refill");
    EXPECT_EQ(allocator.stats().blocks, during.blocks);
    buffers.clear();
    EXPECT_EQ(allocator.stats().used_bytes, before.used_bytes);
}

TEST_F(RenderTest, DeviceAllocatorGivesLargeResourcesTheirOwnBlockAndReturnsIt) {
    gpu::DeviceAllocator& allocator = ctx->allocator();
    const gpu::MemoryStats before = allocator.stats();
    {
        gpu::Buffer big(*ctx, 48ull << 20, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, gpu::MemoryUsage::gpu_only,
                        "big");
        EXPECT_EQ(allocator.stats().blocks, before.blocks + 1);
        EXPECT_EQ(big.allocation().offset, 0u);
    }
    EXPECT_EQ(allocator.stats().blocks, before.blocks) << "a dedicated block is freed with its resource";
    EXPECT_EQ(allocator.stats().reserved_bytes, before.reserved_bytes);
}

TEST_F(RenderTest, UploadMemoryIsMappedAndCoherent) {
    gpu::Buffer src(*ctx, 4096, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, gpu::MemoryUsage::upload, "src");
    gpu::Buffer dst(*ctx, 4096, VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUsage::readback, "dst");
    ASSERT_NE(src.mapped(), nullptr);
    ASSERT_NE(dst.mapped(), nullptr);
    std::vector<uint8_t> pattern(4096);
    for (size_t i = 0; i < pattern.size(); ++i)
        pattern[i] = uint8_t(i * 7 + 3);
    std::memcpy(src.mapped(), pattern.data(), pattern.size());
    ctx->submit_now([&](VkCommandBuffer cmd) {
        const VkBufferCopy region{0, 0, 4096};
        vkCmdCopyBuffer(cmd, src.handle(), dst.handle(), 1, &region);
    });
    EXPECT_EQ(std::memcmp(dst.mapped(), pattern.data(), pattern.size()), 0);
}

TEST_F(RenderTest, DeferredObjectsLiveUntilTheirFrameRetires) {
    // A buffer written by frame 0 and handed to defer() must survive while frame 1 is
    // recorded and submitted (frame 0 may still run). Destroying it early is a
    // validation error ("in use by VkCommandBuffer"), which TearDown turns into a failure.
    constexpr VkDeviceSize bytes = 64ull << 20;  // large enough that the fill takes a while
    const gpu::MemoryStats before = ctx->allocator().stats();
    {
        gpu::Buffer scratch(*ctx, bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUsage::gpu_only,
                            "scratch");
        const gpu::Frame& f0 = frames->begin();
        vkCmdFillBuffer(f0.cmd, scratch.handle(), 0, bytes, 0x5a5a5a5a);
        frames->submit();
        frames->defer(std::move(scratch));
    }
    EXPECT_GT(ctx->allocator().stats().used_bytes, before.used_bytes)
        << "still alive after its owner's scope";
    const gpu::Frame& f1 = frames->begin();
    EXPECT_EQ(f1.slot, 1u);
    frames->submit();
    EXPECT_GT(ctx->allocator().stats().used_bytes, before.used_bytes)
        << "frame 0 has not been waited for yet";
    frames->begin();  // slot 0 again: waits for frame 0, then destroys what was deferred to it
    frames->submit();
    EXPECT_EQ(ctx->allocator().stats().used_bytes, before.used_bytes);
}

TEST_F(RenderTest, ReplacedModelsAreFreed) {
    render::Camera camera;
    camera.look_at({-95, -120, 75}, {0, 5, 4});
    renderer->set_model(test_scene(), *frames);
    const uint64_t one_model = ctx->allocator().stats().used_bytes;
    for (int i = 0; i < 8; ++i) {
        const gpu::Frame& f = frames->begin();
        renderer->render(*frames, f, *target, 0, camera);
        frames->submit();
        if (i % 2 == 1) renderer->set_model(test_scene(), *frames);  // right after a submit
    }
    frames->drain();
    EXPECT_EQ(ctx->allocator().stats().used_bytes, one_model) << "replaced models are freed once retired";
}

TEST_F(RenderTest, EveryPassReportsItsGpuTime) {
    if (ctx->timestamp_period_ns() <= 0) GTEST_SKIP() << "this device's queue writes no timestamps";
    renderer->set_model(test_scene(), *frames);
    render::Camera camera;
    camera.look_at({-95, -120, 75}, {0, 5, 4});
    for (uint32_t i = 0; i < gpu::frames_in_flight + 1; ++i) {
        const gpu::Frame& f = frames->begin();
        renderer->render(*frames, f, *target, 0, camera);
        frames->submit();
    }
    frames->begin();  // reads the timings of the oldest frame
    frames->submit();
    const auto& timings = frames->gpu_timings();
    ASSERT_EQ(timings.size(), 2u);
    EXPECT_EQ(timings[0].name, "scene");
    EXPECT_EQ(timings[1].name, "overlay");
    EXPECT_GT(timings[0].gpu_ms, 0.0);
    EXPECT_GE(timings[1].gpu_ms, 0.0);
    EXPECT_LT(frames->gpu_total_ms(), 60'000.0);
}

}  // namespace
}  // namespace zw
