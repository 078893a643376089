// The one clock every scenario follows: the simulated time that a flood's water (and
// next the traffic's vehicles) is shown at. A view advances it by the wall time of each
// frame; its panels play, pause, scrub and change the speed. Pure code, no Vulkan or UI.
#pragma once

#include <array>
#include <string>

namespace zw::scenario {

// Simulated time of a playing scenario. Advances by wall seconds x speed while playing;
// at the end it stops there (or starts over with `loop`). Scrubbing sets the time,
// clamped to [0, duration], and keeps playing or paused as it was. Plain fields, so that
// a panel can bind `speed` and `loop` directly; `time_s` may also be set outright (a live
// run shows its own time).
struct Timeline {
    double duration_s = 0;
    double time_s = 0;
    double speed = 60;  // simulated seconds per wall second
    bool playing = false;
    bool loop = false;

    // The speeds offered (1x ... 3600x), ascending.
    static const std::array<double, 6>& speeds();

    // Adds wall_dt_s x speed while playing (nothing for a dt that is not above 0); at the
    // end it wraps around with `loop` (and a duration above 0), else stops at the end.
    void advance(double wall_dt_s);
    // Sets the time, clamped to [0, duration] (NaN or infinity: 0); playing stays as it was.
    void scrub(double t_s);
    // Plays; from the start when at the end.
    void play();
    void pause() { playing = false; }
    // Pauses when playing, else play().
    void toggle();
    bool at_end() const { return duration_s > 0 && time_s >= duration_s; }
};

// "2:05" for 7500 s (hours:minutes, minutes two digits; negative times as 0:00): how
// the panels show a scenario's time.
std::string format_hmm(double seconds);

}  // namespace zw::scenario
