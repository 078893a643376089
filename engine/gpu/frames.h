// Frames in flight: the CPU records frame N+1 while the GPU works on frame N. Each
// frame slot owns its command pool, fence, semaphore, timestamp queries and a list of
// objects whose destruction waits until the GPU is done with that slot.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/gpu/resources.h"

namespace zw::gpu {

inline constexpr uint32_t frames_in_flight = 2;

struct PassTiming {
    std::string name;
    double gpu_ms = 0;
};

struct Frame {
    uint32_t slot = 0;    // 0 .. frames_in_flight-1
    uint64_t number = 0;  // counts every begun frame
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    VkSemaphore image_available = VK_NULL_HANDLE;  // for swapchain acquire
};

class FrameRing {
  public:
    explicit FrameRing(Context& ctx, uint32_t max_passes = 8);
    ~FrameRing();
    FrameRing(const FrameRing&) = delete;
    FrameRing& operator=(const FrameRing&) = delete;

    // Waits until the GPU has finished the frame that last used the next slot, destroys
    // what was deferred to it, reads its pass timings and starts recording.
    Frame& begin();
    // Ends recording and submits. `wait` (optional) is waited on at color output.
    void submit(VkSemaphore wait = VK_NULL_HANDLE, VkSemaphore signal = VK_NULL_HANDLE);

    // GPU timestamps and a debug label around one pass of the current frame.
    void begin_pass(const char* name);
    void end_pass();

    // Destroys `object` once the GPU has finished every frame submitted so far.
    template <typename T>
    void defer(T&& object) {
        slots_[current_].deferred.push_back(
            std::make_unique<Holder<std::decay_t<T>>>(std::forward<T>(object)));
    }

    // Timings of the newest frame the GPU has finished; empty without timestamp support.
    const std::vector<PassTiming>& gpu_timings() const { return timings_; }
    double gpu_total_ms() const;

    // Waits for every submitted frame and destroys everything deferred.
    void drain();

    // Whether the GPU has finished frame `number` (Frame::number); never waits.
    bool finished(uint64_t number) const;

  private:
    struct HolderBase {
        virtual ~HolderBase() = default;
    };
    template <typename T>
    struct Holder : HolderBase {
        explicit Holder(T&& o) : object(std::move(o)) {}
        T object;
    };
    struct Slot {
        CommandPool pool;
        VkCommandBuffer cmd = VK_NULL_HANDLE;
        Fence fence;
        Semaphore image_available;
        QueryPool queries;
        std::vector<std::string> pass_names;
        std::vector<std::unique_ptr<HolderBase>> deferred;
        bool submitted = false;
        uint64_t submitted_number = UINT64_MAX;  // the frame it last submitted
    };
    void read_timings(Slot& slot);

    Context& ctx_;
    uint32_t max_passes_;
    std::vector<Slot> slots_;
    uint32_t current_ = 0;
    uint64_t number_ = 0;
    Frame frame_;
    std::vector<PassTiming> timings_;
};

}  // namespace zw::gpu
