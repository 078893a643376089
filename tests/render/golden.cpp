#include "tests/render/golden.h"

#include <cstdlib>
#include <filesystem>

namespace zw::test {

std::string compare_with_golden(const core::Image& actual, const std::string& name, Tolerance tol) {
    const std::filesystem::path golden = std::filesystem::path(ZW_GOLDEN_DIR) / (name + ".png");
    const std::filesystem::path out_dir = ZW_RENDER_OUT_DIR;
    const char* bless = std::getenv("ZW_BLESS");
    if (bless && std::string(bless) == "1") {
        core::write_png(golden, actual);
        return "";
    }
    const auto actual_path = out_dir / (name + ".png");
    const GoldenResult result =
        compare_with_golden_file(actual, golden, tol, actual_path, out_dir / (name + ".diff.png"));
    if (result.match) return "";
    core::write_png(actual_path, actual);
    return result.message;
}

}  // namespace zw::test
