// Golden-image comparison for render tests: the criterion of tests/tools/golden_compare.h
// (the same as zw_image_compare's for the cases of tests/golden_cases.json), with the
// tolerance stated by each test. Set ZW_BLESS=1 to (re)write goldens from the current
// output instead of comparing (see tests/render/README.md).
#pragma once

#include <string>

#include "engine/core/image.h"
#include "tests/tools/golden_compare.h"

namespace zw::test {

// Compares `actual` with tests/render/golden/NAME.png. On failure writes NAME.png
// (actual) and NAME.diff.png next to each other in the build's render output folder
// and returns a message naming them; returns "" on success.
std::string compare_with_golden(const core::Image& actual, const std::string& name, Tolerance tolerance);

}  // namespace zw::test
