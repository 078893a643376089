// zw_image_compare: compares a rendered PNG with its golden image under a tolerance
// stated on the command line, with the criterion of tests/tools/golden_compare.h (the
// one the render tests use in-process). tests/tools/golden_run.py calls it for every
// case of tests/golden_cases.json, with that case's tolerance.
//
//   zw_image_compare EXPECTED.png ACTUAL.png --tolerance N --max-fraction F
//                    --max-block-fraction B [--diff DIFF.png] [--bless]
//
// Exit 0: the images match within the tolerance. Exit 1: they differ (the diff image is
// written and its path printed), or one cannot be read. Exit 2: bad arguments. With
// --bless ACTUAL is copied over EXPECTED instead (exit 0).
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>

#include "engine/core/image.h"
#include "tests/tools/golden_compare.h"

namespace {

namespace fs = std::filesystem;

const char* usage =
    "usage: zw_image_compare EXPECTED.png ACTUAL.png --tolerance N --max-fraction F --max-block-fraction B\n"
    "                        [--diff DIFF.png] [--bless]\n"
    "  --tolerance N      a pixel differs when a channel differs by more than N (0-255)\n"
    "  --max-fraction F   fail when more than this fraction of pixels differ (e.g. 0.005)\n"
    "  --max-block-fraction B  fail when more than this fraction of any 8x8 block differs (e.g. 0.5):\n"
    "                     a small object drawn wrong or missing fails although the whole image is close\n"
    "  --diff DIFF.png    where to write the diff image on failure (default: ACTUAL with .diff.png)\n"
    "  --bless            copy ACTUAL over EXPECTED instead of comparing (see tests/render/README.md)\n"
    "The three tolerances have no defaults: each test states its own (tests/golden_cases.json).\n"
    "Exit 0 when the images match, 1 when they differ (or cannot be read), 2 for bad arguments.\n";

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
    std::optional<double> tolerance, max_fraction, max_block_fraction;
    fs::path diff_path;
    bool bless = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        auto number = [&](std::optional<double>& out) {
            const char* v = value();
            double d = 0;
            if (!v || !parse_double(v, d)) return false;
            out = d;
            return true;
        };
        if (a == "--help" || a == "-h") {
            std::fputs(usage, stdout);
            return 0;
        } else if (a == "--tolerance") {
            if (!number(tolerance) || *tolerance < 0 || *tolerance > 255 || *tolerance != int(*tolerance))
                return bad_usage("--tolerance expects a whole number 0-255");
        } else if (a == "--max-fraction") {
            if (!number(max_fraction) || *max_fraction < 0 || *max_fraction > 1)
                return bad_usage("--max-fraction expects a fraction between 0 and 1, e.g. 0.005");
        } else if (a == "--max-block-fraction") {
            if (!number(max_block_fraction) || *max_block_fraction < 0 || *max_block_fraction > 1)
                return bad_usage("--max-block-fraction expects a fraction between 0 and 1, e.g. 0.5");
        } else if (a == "--diff") {
            const char* v = value();
            if (!v || !*v) return bad_usage("--diff expects a PNG file name");
            diff_path = v;
        } else if (a == "--bless") {
            bless = true;
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
    if (!bless && (!tolerance || !max_fraction || !max_block_fraction))
        return bad_usage("state the tolerance: --tolerance, --max-fraction and --max-block-fraction");

    try {
        const zw::core::Image actual = zw::core::read_png(actual_path);
        if (bless) {
            if (expected_path.has_parent_path()) fs::create_directories(expected_path.parent_path());
            fs::copy_file(actual_path, expected_path, fs::copy_options::overwrite_existing);
            std::printf("blessed %s (copied from %s); look at it before committing it\n",
                        expected_path.string().c_str(), actual_path.string().c_str());
            return 0;
        }
        const zw::test::Tolerance tol{int(*tolerance), *max_fraction, *max_block_fraction};
        std::printf("tolerance: %s\n", zw::test::describe(tol).c_str());
        const zw::test::GoldenResult result =
            zw::test::compare_with_golden_file(actual, expected_path, tol, actual_path, diff_path);
        std::printf("%s\n", result.message.c_str());
        return result.match ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "zw_image_compare: %s\n", e.what());
        return 1;
    }
}
