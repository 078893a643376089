// Golden-image comparison for render tests. Set ZW_BLESS=1 to (re)write goldens from
// the current output instead of comparing (see tests/render/README.md).
#pragma once

#include <string>

#include "engine/core/image.h"

namespace zw::test {

struct Tolerance {
    int channel = 0;            // a pixel differs when a channel differs by more than this (0-255)
    double max_fraction = 0.0;  // the test fails when more than this fraction of pixels differ
    // ... or when more than this fraction of any 8x8 block differs (a small object wrong)
    double max_block_fraction = 0.5;
};

// Compares `actual` with tests/render/golden/NAME.png. On failure writes NAME.png
// (actual) and NAME.diff.png next to each other in the build's render output folder
// and returns a message naming them; returns "" on success.
std::string compare_with_golden(const core::Image& actual, const std::string& name, Tolerance tolerance);

}  // namespace zw::test
