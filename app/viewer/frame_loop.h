// One frame loop for the window and headless runs (niagara's plain main loop): the
// platform's events, a frame slot, an image to draw into, the host's frame (update -> UI
// -> render), submit and present; with one clock for both.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "app/viewer/output.h"
#include "app/viewer/platform.h"
#include "engine/gpu/context.h"
#include "engine/gpu/frames.h"

namespace zw::viewer {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t);

// A run's time: each frame's step (--fixed-dt, else the wall time since the frame
// before), the frame times for the summary, and the time to the first frame.
class FrameClock {
  public:
    FrameClock(double fixed_dt, Clock::time_point process_start)
        : fixed_dt_(fixed_dt), start_(process_start) {}

    // At the start of a frame: the wall time in seconds since the last tick (or restart).
    double tick();
    // After a pause (a minimised window): the next tick counts from now.
    void restart() { last_ = Clock::now(); }
    // Frame `index` (0-based, frames drawn) is about to be drawn `wall_dt` after the one
    // before: keeps its time for the summary and returns its step: --fixed-dt, else the
    // wall time (nothing for the first).
    double begin(uint32_t index, double wall_dt);
    // Frame `index` was submitted: after the first, waits for the GPU and says how long
    // it took from the process start.
    void end(uint32_t index, gpu::Context& ctx);

    // The last frame's wall time (0 before the second frame).
    double frame_ms() const { return frame_ms_.empty() ? 0 : frame_ms_.back(); }
    // The summary line: frames timed (not the first two: they include setup and the wait
    // for the first frame), median and 95th percentile.
    void report() const;

  private:
    double fixed_dt_;
    Clock::time_point start_;
    Clock::time_point last_ = Clock::now();
    std::vector<double> frame_ms_;
    bool first_done_ = false;
};

// What the loop draws: implemented by the viewer's session.
class FrameHost {
  public:
    virtual ~FrameHost() = default;
    // Before frame `index`: whether it is read back (--screenshot of the last frame).
    virtual bool read_back(uint32_t index) = 0;
    // Update -> UI -> render into output image `image`, recorded into `frame`'s command
    // buffer; `dt` is the frame's step in seconds.
    virtual void frame(const gpu::Frame& frame, uint32_t image, double dt, bool readback) = 0;
    // After frame `index` was submitted (and presented): true ends the loop.
    virtual bool done(uint32_t index) = 0;
};

// Runs frames until the platform's window closes or the host is done; returns the number
// of frames drawn.
uint32_t run_frames(Platform& platform, Output& output, gpu::FrameRing& frames, gpu::Context& ctx,
                    FrameClock& clock, FrameHost& host);

}  // namespace zw::viewer
