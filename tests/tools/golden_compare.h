// The one golden-image criterion of the test suite. The render tests (tests/render/golden.h,
// images in memory) and zw_image_compare (screenshots of the `zwilling` executable, run
// by tests/tools/golden_run.py from tests/golden_cases.json) both decide here.
//
// A pixel differs when any channel differs by more than Tolerance::channel. An image
// matches when it has the golden's size, at most max_fraction of its pixels differ, and
// no aligned 8x8 block has more than max_block_fraction of its pixels differing (so a
// small object drawn wrong or missing fails, though it is far less than max_fraction of
// the image). Tolerances are always stated by the caller: there are no defaults.
#pragma once

#include <filesystem>
#include <string>

#include "engine/core/image.h"

namespace zw::test {

struct Tolerance {
    // All three are given on purpose: `{6, 0.005}` does not compile.
    constexpr Tolerance(int channel_, double max_fraction_, double max_block_fraction_)
        : channel(channel_), max_fraction(max_fraction_), max_block_fraction(max_block_fraction_) {}
    int channel;                // a pixel differs when a channel differs by more than this (0-255)
    double max_fraction;        // fail when more than this fraction of the pixels differ (0-1)
    double max_block_fraction;  // ... or more than this fraction of any 8x8 block (0-1)
};

// "" when the tolerance is in range, else what is wrong with it.
std::string check_tolerance(const Tolerance& tolerance);

// One line stating the tolerance, e.g. "a pixel differs when a channel differs by more
// than 6; allowed 0.5% of the pixels and 50% of any 8x8 block".
std::string describe(const Tolerance& tolerance);

struct GoldenResult {
    bool match = false;
    // match: the measured difference in one line. Otherwise why it failed (size or
    // difference against the tolerance), naming the images and the diff image.
    std::string message;
};

// Compares `actual` with the golden PNG at `golden` under `tolerance`. When they differ
// (same size), writes the diff image (differing pixels red over a dimmed copy of
// `actual`) to `diff_path`, creating its folder. `actual_path` only names the actual
// image in the message; the caller writes it where it is not a file already. Throws
// zw::Error when the golden cannot be read or the diff cannot be written; a missing
// golden is a failed result that says how to bless it.
GoldenResult compare_with_golden_file(const core::Image& actual, const std::filesystem::path& golden,
                                      const Tolerance& tolerance, const std::filesystem::path& actual_path,
                                      const std::filesystem::path& diff_path);

}  // namespace zw::test
