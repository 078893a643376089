#include "tests/tools/golden_compare.h"

#include <sstream>

#include "engine/core/error.h"

namespace zw::test {

namespace fs = std::filesystem;

std::string check_tolerance(const Tolerance& t) {
    if (t.channel < 0 || t.channel > 255) return "the channel tolerance must be a whole number 0-255";
    if (!(t.max_fraction >= 0 && t.max_fraction <= 1))
        return "the fraction of pixels must be between 0 and 1";
    if (!(t.max_block_fraction >= 0 && t.max_block_fraction <= 1))
        return "the fraction of an 8x8 block must be between 0 and 1";
    return "";
}

std::string describe(const Tolerance& t) {
    std::ostringstream s;
    s << "a pixel differs when a channel differs by more than " << t.channel << "; allowed "
      << t.max_fraction * 100 << "% of the pixels and " << t.max_block_fraction * 100 << "% of any "
      << core::ImageDiff::block_size << "x" << core::ImageDiff::block_size << " block";
    return s.str();
}

GoldenResult compare_with_golden_file(const core::Image& actual, const fs::path& golden, const Tolerance& t,
                                      const fs::path& actual_path, const fs::path& diff_path) {
    if (const std::string bad = check_tolerance(t); !bad.empty()) fail("bad tolerance: ", bad);
    if (!fs::exists(golden))
        return {false, "no golden image " + golden.string() +
                           "; run with ZW_BLESS=1 to create it (see tests/render/README.md)\n  actual: " +
                           actual_path.string()};
    const core::Image expected = core::read_png(golden);
    const core::ImageDiff d = core::compare_images(actual, expected, t.channel);
    std::ostringstream s;
    if (d.same_size && d.differing_fraction() <= t.max_fraction &&
        d.worst_block_fraction <= t.max_block_fraction) {
        s << "match: " << d.differing_pixels << " of " << d.total_pixels << " pixels ("
          << d.differing_fraction() * 100 << "%) differ by more than " << t.channel
          << ", largest channel difference " << d.max_channel_diff << ", worst 8x8 block "
          << d.worst_block_fraction * 100 << "%";
        return {true, s.str()};
    }
    s << "image " << actual_path.string() << " differs from " << golden.string() << ": ";
    if (!d.same_size) {
        s << "size " << actual.width << "x" << actual.height << " vs " << expected.width << "x"
          << expected.height << " (the diff image marks every pixel)";
    } else {
        s << d.differing_pixels << " of " << d.total_pixels << " pixels (" << d.differing_fraction() * 100
          << "%) differ by more than " << t.channel << " (allowed " << t.max_fraction * 100
          << "%), largest channel difference " << d.max_channel_diff << "; worst 8x8 block at "
          << d.worst_block_x << "," << d.worst_block_y << ": " << d.worst_block_fraction * 100
          << "% differ (allowed " << t.max_block_fraction * 100 << "%)";
    }
    if (!actual.empty()) core::write_png(diff_path, core::make_diff_image(actual, expected, t.channel));
    s << "\n  actual: " << actual_path.string();
    if (!actual.empty()) s << "\n  diff:   " << diff_path.string();
    return {false, s.str()};
}

}  // namespace zw::test
