#include "app/viewer/frame_loop.h"

#include <algorithm>

#include "engine/core/log.h"

namespace zw::viewer {

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double FrameClock::tick() {
    const auto now = Clock::now();
    const double wall_dt = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return wall_dt;
}

double FrameClock::begin(uint32_t index, double wall_dt) {
    if (index > 0) frame_ms_.push_back(wall_dt * 1000.0);
    if (fixed_dt_ > 0) return fixed_dt_;
    return index == 0 ? 0.0 : wall_dt;
}

void FrameClock::end(uint32_t index, gpu::Context& ctx) {
    if (index > 0 || first_done_) return;
    ctx.wait_idle();
    first_done_ = true;
    core::info("first frame after ", ms_since(start_), " ms (process start to frame finished)");
}

void FrameClock::report() const {
    if (frame_ms_.size() < 2) return;
    std::vector<double> sorted(frame_ms_.begin() + 1, frame_ms_.end());  // the first frame includes setup
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[sorted.size() / 2];
    const double p95 = sorted[std::min(sorted.size() - 1, sorted.size() * 95 / 100)];
    core::info("frames: ", sorted.size(), " timed, median ", median, " ms, 95th percentile ", p95, " ms");
}

uint32_t run_frames(Platform& platform, Output& output, gpu::FrameRing& frames, gpu::Context& ctx,
                    FrameClock& clock, FrameHost& host) {
    uint32_t drawn = 0;
    clock.restart();
    for (;;) {
        const Platform::Poll poll = platform.poll();
        if (poll == Platform::Poll::close) break;
        if (poll == Platform::Poll::wait) {
            clock.restart();
            continue;
        }
        output.fit(platform.size(), frames);
        const bool readback = host.read_back(drawn);
        const gpu::Frame& frame = frames.begin();
        const double wall_dt = clock.tick();
        const std::optional<uint32_t> image = output.acquire(frame);
        if (!image) {
            frames.submit();  // keeps the frame ring in step; the command buffer is empty
            continue;
        }
        host.frame(frame, *image, clock.begin(drawn, wall_dt), readback);
        output.submit(frames, frame, *image);
        clock.end(drawn, ctx);
        platform.shown(++drawn);
        if (host.done(drawn - 1)) break;
    }
    return drawn;
}

}  // namespace zw::viewer
