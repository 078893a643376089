#include "app/viewer/capture.h"

#include <thread>

#include "app/viewer/config.h"
#include "engine/core/log.h"

namespace zw::viewer {

Capture::Capture(const Options& o, bool streaming) : o_(o), wait_(o.wait_full_detail && streaming) {}

bool Capture::last(uint32_t index, bool flood_ready) {
    flood_ready_ = flood_ready;
    const bool enough = index + 1 >= o_.frames && flood_ready;
    shot_ = wait_ ? enough && (complete_ || timed_out_) : enough;
    return shot_;
}

bool Capture::done(const tiles::StreamStats* stats) {
    if (!wait_) {
        if (shot_) return true;
        if (!flood_ready_) std::this_thread::sleep_for(std::chrono::milliseconds(config.flood_wait_ms));
        return false;
    }
    const tiles::StreamStats& st = *stats;
    if (shot_ && (st.complete || timed_out_)) return true;
    complete_ = st.complete;
    if (!complete_ && ms_since(wait_start_) > o_.wait_timeout_s * 1000.0) {
        core::warn("full detail not reached after ", o_.wait_timeout_s, " s (", st.loading,
                   " tiles loading, ", st.requests, " wanted); taking the screenshot as it is");
        timed_out_ = true;
    }
    if (ms_since(last_progress_) > config.progress_every_ms) {
        last_progress_ = Clock::now();
        core::info("waiting for full detail: ", st.loaded, " tiles in memory, ", st.loading, " loading, ",
                   st.requests, " wanted, ", st.failed, " failed");
    }
    if (!complete_ && st.loading > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(config.detail_wait_ms));
    return false;
}

void Capture::report(const tiles::StreamStats* stats) const {
    if (wait_ && complete_)
        core::info("full detail after ", ms_since(wait_start_), " ms: ", stats->visible, " tiles drawn");
}

}  // namespace zw::viewer
