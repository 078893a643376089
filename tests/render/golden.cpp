#include "tests/render/golden.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "engine/core/error.h"

namespace zw::test {

std::string compare_with_golden(const core::Image& actual, const std::string& name, Tolerance tol) {
    const std::filesystem::path golden = std::filesystem::path(ZW_GOLDEN_DIR) / (name + ".png");
    const std::filesystem::path out_dir = ZW_RENDER_OUT_DIR;
    const char* bless = std::getenv("ZW_BLESS");
    if (bless && std::string(bless) == "1") {
        core::write_png(golden, actual);
        return "";
    }
    if (!std::filesystem::exists(golden))
        return "no golden image " + golden.string() +
               "; run with ZW_BLESS=1 to create it (see tests/render/README.md)";
    const core::Image expected = core::read_png(golden);
    const core::ImageDiff d = core::compare_images(actual, expected, tol.channel);
    if (d.same_size && d.differing_fraction() <= tol.max_fraction &&
        d.worst_block_fraction <= tol.max_block_fraction)
        return "";

    const auto actual_path = out_dir / (name + ".png");
    const auto diff_path = out_dir / (name + ".diff.png");
    core::write_png(actual_path, actual);
    core::write_png(diff_path, core::make_diff_image(actual, expected, tol.channel));
    std::ostringstream s;
    s << "image '" << name << "' differs from " << golden.string() << ": ";
    if (!d.same_size)
        s << "size " << actual.width << "x" << actual.height << " vs " << expected.width << "x"
          << expected.height;
    else
        s << d.differing_pixels << " of " << d.total_pixels << " pixels (" << d.differing_fraction() * 100
          << "%) differ by more than " << tol.channel << " (allowed " << tol.max_fraction * 100
          << "%), largest channel difference " << d.max_channel_diff << "; worst 8x8 block at "
          << d.worst_block_x << "," << d.worst_block_y << ": " << d.worst_block_fraction * 100
          << "% (allowed " << tol.max_block_fraction * 100 << "%)";
    s << "\n  actual: " << actual_path.string() << "\n  diff:   " << diff_path.string();
    return s.str();
}

}  // namespace zw::test
