#include "engine/gpu/frames.h"

#include "engine/gpu/check.h"
#include "engine/gpu/context.h"

namespace zw::gpu {

FrameRing::FrameRing(Context& ctx, uint32_t max_passes) : ctx_(ctx), max_passes_(max_passes) {
    slots_.resize(frames_in_flight);
    for (uint32_t i = 0; i < frames_in_flight; ++i) {
        Slot& s = slots_[i];
        const std::string tag = "frame " + std::to_string(i);
        VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
        pci.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
        pci.queueFamilyIndex = ctx.queue_family();
        VkCommandPool pool = VK_NULL_HANDLE;
        ZW_VK(vkCreateCommandPool(ctx.device(), &pci, nullptr, &pool));
        s.pool = CommandPool(ctx.device(), pool);
        ctx.set_name(pool, VK_OBJECT_TYPE_COMMAND_POOL, tag + " command pool");
        VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
        ai.commandPool = pool;
        ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
        ai.commandBufferCount = 1;
        ZW_VK(vkAllocateCommandBuffers(ctx.device(), &ai, &s.cmd));
        ctx.set_name(s.cmd, VK_OBJECT_TYPE_COMMAND_BUFFER, tag + " commands");
        s.fence = make_fence(ctx, true, tag + " fence");
        s.image_available = make_semaphore(ctx, tag + " image available");
        if (ctx.timestamp_period_ns() > 0) {
            VkQueryPoolCreateInfo qi{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
            qi.queryType = VK_QUERY_TYPE_TIMESTAMP;
            qi.queryCount = max_passes * 2;
            VkQueryPool qp = VK_NULL_HANDLE;
            ZW_VK(vkCreateQueryPool(ctx.device(), &qi, nullptr, &qp));
            s.queries = QueryPool(ctx.device(), qp);
            ctx.set_name(qp, VK_OBJECT_TYPE_QUERY_POOL, tag + " timestamps");
        }
    }
    current_ = frames_in_flight - 1;
}

FrameRing::~FrameRing() {
    drain();
}

Frame& FrameRing::begin() {
    current_ = (current_ + 1) % frames_in_flight;
    Slot& s = slots_[current_];
    VkFence fence = s.fence;
    ZW_VK(vkWaitForFences(ctx_.device(), 1, &fence, VK_TRUE, UINT64_MAX));
    s.deferred.clear();
    if (s.submitted) read_timings(s);
    s.pass_names.clear();
    ZW_VK(vkResetCommandPool(ctx_.device(), s.pool, 0));
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    ZW_VK(vkBeginCommandBuffer(s.cmd, &bi));
    if (s.queries) vkCmdResetQueryPool(s.cmd, s.queries, 0, max_passes_ * 2);
    frame_ = Frame{current_, number_++, s.cmd, s.image_available};
    return frame_;
}

void FrameRing::submit(VkSemaphore wait, VkSemaphore signal) {
    Slot& s = slots_[current_];
    ZW_VK(vkEndCommandBuffer(s.cmd));
    VkFence fence = s.fence;
    ZW_VK(vkResetFences(ctx_.device(), 1, &fence));
    const VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.waitSemaphoreCount = wait ? 1 : 0;
    si.pWaitSemaphores = &wait;
    si.pWaitDstStageMask = &wait_stage;
    si.commandBufferCount = 1;
    si.pCommandBuffers = &s.cmd;
    si.signalSemaphoreCount = signal ? 1 : 0;
    si.pSignalSemaphores = &signal;
    ZW_VK(vkQueueSubmit(ctx_.queue(), 1, &si, fence));
    s.submitted = true;
    s.submitted_number = frame_.number;
}

void FrameRing::begin_pass(const char* name) {
    Slot& s = slots_[current_];
    ctx_.begin_label(s.cmd, name);
    if (!s.queries || s.pass_names.size() >= max_passes_) return;
    vkCmdWriteTimestamp(s.cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, s.queries,
                        static_cast<uint32_t>(s.pass_names.size() * 2));
    s.pass_names.emplace_back(name);
}

void FrameRing::end_pass() {
    Slot& s = slots_[current_];
    ctx_.end_label(s.cmd);
    if (!s.queries || s.pass_names.empty()) return;
    vkCmdWriteTimestamp(s.cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, s.queries,
                        static_cast<uint32_t>(s.pass_names.size() * 2 - 1));
}

void FrameRing::read_timings(Slot& s) {
    if (!s.queries || s.pass_names.empty()) return;
    std::vector<uint64_t> ticks(s.pass_names.size() * 2);
    const VkResult r = vkGetQueryPoolResults(ctx_.device(), s.queries, 0, static_cast<uint32_t>(ticks.size()),
                                             ticks.size() * sizeof(uint64_t), ticks.data(), sizeof(uint64_t),
                                             VK_QUERY_RESULT_64_BIT);
    if (r != VK_SUCCESS) return;  // VK_NOT_READY is normal right after a resize; keep the old numbers
    timings_.clear();
    for (size_t i = 0; i < s.pass_names.size(); ++i)
        timings_.push_back(
            {s.pass_names[i], double(ticks[i * 2 + 1] - ticks[i * 2]) * ctx_.timestamp_period_ns() * 1e-6});
}

double FrameRing::gpu_total_ms() const {
    double total = 0;
    for (const auto& t : timings_)
        total += t.gpu_ms;
    return total;
}

bool FrameRing::finished(uint64_t number) const {
    // Frame n always runs in slot n % frames_in_flight (begin() goes round the slots).
    const Slot& s = slots_[number % frames_in_flight];
    if (s.submitted_number == UINT64_MAX || s.submitted_number < number) return false;  // not submitted yet
    if (s.submitted_number > number) return true;  // the slot was begun again: its fence was waited for
    return vkGetFenceStatus(ctx_.device(), s.fence) == VK_SUCCESS;
}

void FrameRing::drain() {
    for (auto& s : slots_) {
        VkFence fence = s.fence;
        if (fence) vkWaitForFences(ctx_.device(), 1, &fence, VK_TRUE, UINT64_MAX);
        s.deferred.clear();
    }
}

}  // namespace zw::gpu
