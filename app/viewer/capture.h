// When a headless run draws its last frame, the one its screenshot shows: after
// --frames, once a flood being loaded has settled, and with --wait-full-detail once the
// streamed view has everything it needs (or --wait-timeout has passed). So frame N is the
// same image every run.
#pragma once

#include <cstdint>

#include "app/viewer/frame_loop.h"
#include "app/viewer/options.h"
#include "engine/tiles/stream.h"

namespace zw::viewer {

class Capture {
  public:
    // `streaming`: tilesets are streamed (--wait-full-detail waits for them).
    Capture(const Options& o, bool streaming);

    // Before frame `index`: whether it is the last one. `flood_ready`: no flood, or one
    // loaded and drawn for config.flood_settle_frames.
    bool last(uint32_t index, bool flood_ready);
    // After that frame, with the streamer's figures (null without streaming): whether the
    // run ends. Sleeps a little while loads run, and says now and then how far they are.
    bool done(const tiles::StreamStats* stats);
    // After the loop: how long full detail took, when it was reached.
    void report(const tiles::StreamStats* stats) const;

  private:
    const Options& o_;
    bool wait_;  // for full detail
    Clock::time_point wait_start_ = Clock::now();
    Clock::time_point last_progress_ = wait_start_;
    bool complete_ = false, timed_out_ = false;
    bool shot_ = false, flood_ready_ = true;  // of the frame just drawn
};

}  // namespace zw::viewer
