// The one clock every scenario follows (engine/scenario/timeline.h): playing, the end,
// looping, scrubbing, the offered speeds and times as h:mm.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/scenario/timeline.h"

namespace {

using zw::scenario::format_hmm;
using zw::scenario::Timeline;

TEST(FloodPlayback, AdvancesBySpeedAndStopsAtTheEnd) {
    Timeline c;
    c.duration_s = 21600;
    c.speed = 300;
    c.advance(1.0);
    EXPECT_EQ(c.time_s, 0.0) << "paused: no time passes";
    c.toggle();
    EXPECT_TRUE(c.playing);
    c.advance(2.0);
    EXPECT_DOUBLE_EQ(c.time_s, 600.0);
    c.speed = 3600;
    c.advance(10.0);  // 36600 s: past the end
    EXPECT_DOUBLE_EQ(c.time_s, 21600.0);
    EXPECT_FALSE(c.playing) << "stops at the end";
    EXPECT_TRUE(c.at_end());
    c.toggle();  // play again: from the start
    EXPECT_TRUE(c.playing);
    EXPECT_EQ(c.time_s, 0.0);
}

TEST(FloodPlayback, LoopsWhenAsked) {
    Timeline c;
    c.duration_s = 1000;
    c.speed = 100;
    c.loop = true;
    c.playing = true;
    c.advance(12.5);  // 1250 s
    EXPECT_TRUE(c.playing);
    EXPECT_NEAR(c.time_s, 250.0, 1e-9);
}

TEST(FloodPlayback, ScrubClampsAndKeepsPlaying) {
    Timeline c;
    c.duration_s = 3600;
    c.playing = true;
    c.scrub(-5);
    EXPECT_EQ(c.time_s, 0.0);
    c.scrub(1e9);
    EXPECT_EQ(c.time_s, 3600.0);
    c.scrub(1800);
    EXPECT_EQ(c.time_s, 1800.0);
    EXPECT_TRUE(c.playing);
    c.scrub(std::nan(""));
    EXPECT_EQ(c.time_s, 0.0);
    EXPECT_EQ(Timeline::speeds().front(), 1.0);
    EXPECT_EQ(Timeline::speeds().back(), 3600.0);
}

TEST(FloodPlayback, TimesAsHoursAndMinutes) {
    EXPECT_EQ(format_hmm(0), "0:00");
    EXPECT_EQ(format_hmm(59.9), "0:00");
    EXPECT_EQ(format_hmm(10800), "3:00");
    EXPECT_EQ(format_hmm(7500), "2:05");
    EXPECT_EQ(format_hmm(21600), "6:00");
    EXPECT_EQ(format_hmm(-20), "0:00");
}

TEST(Timeline, PlayAndPauseAndToggleAtTheEnd) {
    Timeline t;
    t.duration_s = 600;
    t.speed = 60;
    t.play();
    EXPECT_TRUE(t.playing);
    t.advance(4.0);
    EXPECT_DOUBLE_EQ(t.time_s, 240.0);
    t.toggle();  // playing: pauses, the time stays
    EXPECT_FALSE(t.playing);
    EXPECT_DOUBLE_EQ(t.time_s, 240.0);
    t.advance(100.0);
    EXPECT_DOUBLE_EQ(t.time_s, 240.0) << "paused: no time passes";
    t.toggle();
    EXPECT_TRUE(t.playing);
    EXPECT_DOUBLE_EQ(t.time_s, 240.0) << "not at the end: plays on from here";
    t.pause();
    EXPECT_FALSE(t.playing);
    t.scrub(600);
    EXPECT_TRUE(t.at_end());
    t.play();  // at the end: from the start
    EXPECT_TRUE(t.playing);
    EXPECT_EQ(t.time_s, 0.0);
}

TEST(Timeline, AdvanceIgnoresTimeThatDoesNotMoveForward) {
    Timeline t;
    t.duration_s = 600;
    t.playing = true;
    t.time_s = 100;
    t.advance(0.0);
    t.advance(-1.0);
    t.advance(std::nan(""));
    EXPECT_EQ(t.time_s, 100.0);
    EXPECT_TRUE(t.playing);
}

TEST(Timeline, LoopWrapsAndStopsOnlyWithoutIt) {
    Timeline t;
    t.duration_s = 600;
    t.speed = 300;
    t.loop = true;
    t.play();
    t.advance(2.0);  // exactly the end: starts over
    EXPECT_EQ(t.time_s, 0.0);
    EXPECT_TRUE(t.playing);
    t.advance(5.0);  // 1500 s: two and a half times round
    EXPECT_NEAR(t.time_s, 300.0, 1e-9);
    t.loop = false;
    t.advance(2.0);
    EXPECT_EQ(t.time_s, 600.0);
    EXPECT_FALSE(t.playing);
    // Without a duration nothing loops (or plays on): the clock stays at 0.
    Timeline empty;
    empty.loop = true;
    empty.play();
    empty.advance(1.0);
    EXPECT_EQ(empty.time_s, 0.0);
    EXPECT_FALSE(empty.playing);
    EXPECT_FALSE(empty.at_end()) << "no duration: never at the end";
}

TEST(Timeline, ScrubClampsToTheDuration) {
    Timeline t;
    t.duration_s = 1200;
    t.scrub(-1);
    EXPECT_EQ(t.time_s, 0.0);
    t.scrub(5000);
    EXPECT_EQ(t.time_s, 1200.0);
    EXPECT_FALSE(t.playing) << "scrubbing does not start playing";
    t.scrub(INFINITY);
    EXPECT_EQ(t.time_s, 0.0);
    t.duration_s = -5;  // no results yet
    t.scrub(10);
    EXPECT_EQ(t.time_s, 0.0);
}

TEST(Timeline, SpeedsAscendAndHoldTheDefault) {
    const auto& s = Timeline::speeds();
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
    EXPECT_NE(std::find(s.begin(), s.end(), Timeline{}.speed), s.end()) << "the default speed is offered";
    Timeline t;
    t.duration_s = 1e6;
    t.speed = s.back();
    t.play();
    t.advance(0.5);
    EXPECT_DOUBLE_EQ(t.time_s, 1800.0);
}

}  // namespace
