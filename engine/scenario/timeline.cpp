#include "engine/scenario/timeline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace zw::scenario {

const std::array<double, 6>& Timeline::speeds() {
    static const std::array<double, 6> s{1, 10, 60, 300, 900, 3600};
    return s;
}

void Timeline::advance(double wall_dt_s) {
    if (!playing || !(wall_dt_s > 0)) return;
    time_s += wall_dt_s * speed;
    if (time_s < duration_s) return;
    if (loop && duration_s > 0) {
        time_s = std::fmod(time_s, duration_s);
    } else {
        time_s = duration_s;
        playing = false;
    }
}

void Timeline::scrub(double t_s) {
    time_s = std::clamp(std::isfinite(t_s) ? t_s : 0.0, 0.0, std::max(duration_s, 0.0));
}

void Timeline::play() {
    if (at_end()) time_s = 0;
    playing = true;
}

void Timeline::toggle() {
    if (playing)
        pause();
    else
        play();
}

std::string format_hmm(double seconds) {
    const long minutes = seconds > 0 ? long(std::floor(seconds / 60.0 + 1e-9)) : 0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", minutes / 60, minutes % 60);
    return buf;
}

}  // namespace zw::scenario
