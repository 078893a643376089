// zw_image_compare: compares a rendered PNG with its golden image, with the tolerances
// stated on the command line, the way tests/render/golden.cpp does inside the render
// tests. For tests that render with the `zwilling` executable (e.g. the baked town).
//
//   zw_image_compare EXPECTED.png ACTUAL.png [--tolerance 6] [--max-fraction 0.005]
//                    [--max-block-fraction 0.5] [--diff DIFF.png]
//
// Exit 0: the images match within the tolerance. Exit 1: they differ (the diff image is
// written), or one cannot be read. Exit 2: bad arguments. With ZW_BLESS=1 ACTUAL is
// copied over EXPECTED instead (exit 0).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <sstream>
#include <string>

#include "engine/core/error.h"
#include "engine/core/image.h"

namespace {

namespace fs = std::filesystem;

const char* usage =
    "usage: zw_image_compare EXPECTED.png ACTUAL.png [--tolerance N] [--max-fraction F] "
    "[--max-block-fraction B]\n"
    "                        [--diff DIFF.png]\n"
    "  --tolerance N      a pixel differs when a channel differs by more than N (0-255, default 6)\n"
    "  --max-fraction F   fail when more than this fraction of pixels differ (default 0.005)\n"
    "  --max-block-fraction B  fail when more than this fraction of any 8x8 block differs (default 0.5):\n"
    "                     a small object drawn wrong or missing fails although the whole image is close\n"
    "  --diff DIFF.png    where to write the diff image on failure (default: ACTUAL with .diff.png)\n"
    "Exit 0 when the images match, 1 when they differ (or cannot be read), 2 for bad arguments.\n"
    "ZW_BLESS=1 copies ACTUAL over EXPECTED instead of comparing (see tests/render/README.md).\n";

bool parse_double(const std::string& s, double& out) {
    std::istringstream in(s);
    in >> out;
    return !in.fail() && in.eof();
}

int bad_usage(const std::string& why) {
    std::fprintf(stderr, "zw_image_compare: %s\n%s", why.c_str(), usage);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string positional[2];
    int n_positional = 0;
    double tolerance = 6, max_fraction = 0.005, max_block_fraction = 0.5;
    fs::path diff_path;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        if (a == "--help" || a == "-h") {
            std::fputs(usage, stdout);
            return 0;
        } else if (a == "--tolerance") {
            const char* v = value();
            if (!v || !parse_double(v, tolerance) || tolerance < 0 || tolerance > 255 ||
                tolerance != int(tolerance))
                return bad_usage("--tolerance expects a whole number 0-255");
        } else if (a == "--max-fraction") {
            const char* v = value();
            if (!v || !parse_double(v, max_fraction) || max_fraction < 0 || max_fraction > 1)
                return bad_usage("--max-fraction expects a fraction between 0 and 1, e.g. 0.005");
        } else if (a == "--max-block-fraction") {
            const char* v = value();
            if (!v || !parse_double(v, max_block_fraction) || max_block_fraction < 0 ||
                max_block_fraction > 1)
                return bad_usage("--max-block-fraction expects a fraction between 0 and 1, e.g. 0.5");
        } else if (a == "--diff") {
            const char* v = value();
            if (!v || !*v) return bad_usage("--diff expects a PNG file name");
            diff_path = v;
        } else if (!a.empty() && a[0] == '-') {
            return bad_usage("unknown option '" + a + "'");
        } else if (n_positional < 2) {
            positional[n_positional++] = a;
        } else {
            return bad_usage("give exactly two images, EXPECTED and ACTUAL (got a third: '" + a + "')");
        }
    }
    if (n_positional != 2) return bad_usage("give two images, EXPECTED and ACTUAL");
    const fs::path expected_path = positional[0], actual_path = positional[1];
    if (diff_path.empty()) diff_path = fs::path(actual_path).replace_extension(".diff.png");
    const int channel = int(tolerance);

    try {
        const zw::core::Image actual = zw::core::read_png(actual_path);
        const char* bless = std::getenv("ZW_BLESS");
        if (bless && std::string(bless) == "1") {
            if (expected_path.has_parent_path()) fs::create_directories(expected_path.parent_path());
            fs::copy_file(actual_path, expected_path, fs::copy_options::overwrite_existing);
            std::printf("blessed %s (copied from %s); look at it before committing it\n",
                        expected_path.string().c_str(), actual_path.string().c_str());
            return 0;
        }
        std::printf(
            "tolerance: a pixel differs when a channel differs by more than %d; allowed %g%% of pixels and "
            "%g%% of any %dx%d block\n",
            channel, max_fraction * 100, max_block_fraction * 100, zw::core::ImageDiff::block_size,
            zw::core::ImageDiff::block_size);
        if (!fs::exists(expected_path)) {
            std::printf("no golden image %s; run with ZW_BLESS=1 to create it (see tests/render/README.md)\n",
                        expected_path.string().c_str());
            return 1;
        }
        const zw::core::Image expected = zw::core::read_png(expected_path);
        const zw::core::ImageDiff d = zw::core::compare_images(actual, expected, channel);
        if (d.same_size && d.differing_fraction() <= max_fraction &&
            d.worst_block_fraction <= max_block_fraction) {
            std::printf(
                "match: %zu of %zu pixels (%g%%) differ by more than %d, largest channel difference %d\n",
                d.differing_pixels, d.total_pixels, d.differing_fraction() * 100, channel,
                d.max_channel_diff);
            return 0;
        }
        std::ostringstream s;
        s << "image " << actual_path.string() << " differs from " << expected_path.string() << ": ";
        if (!d.same_size) {
            s << "size " << actual.width << "x" << actual.height << " vs " << expected.width << "x"
              << expected.height;
        } else {
            s << d.differing_pixels << " of " << d.total_pixels << " pixels (" << d.differing_fraction() * 100
              << "%) differ by more than " << channel << " (allowed " << max_fraction * 100
              << "%), largest channel difference " << d.max_channel_diff << "; worst 8x8 block at "
              << d.worst_block_x << "," << d.worst_block_y << ": " << d.worst_block_fraction * 100
              << "% differ (allowed " << max_block_fraction * 100 << "%)";
            if (diff_path.has_parent_path()) fs::create_directories(diff_path.parent_path());
            zw::core::write_png(diff_path, zw::core::make_diff_image(actual, expected, channel));
        }
        s << "\n  actual: " << actual_path.string();
        if (d.same_size) s << "\n  diff:   " << diff_path.string();
        std::printf("%s\n", s.str().c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "zw_image_compare: %s\n", e.what());
        return 1;
    }
}
