#include "app/viewer/export_path.h"

#include <filesystem>

namespace zw::viewer {

namespace fs = std::filesystem;

std::string unique_path(const std::string& folder, const std::string& name) {
    const fs::path dir = folder.empty() ? fs::path(".") : fs::path(folder);
    fs::path p = dir / name;
    std::error_code ec;
    const std::string stem = fs::path(name).stem().string(), ext = fs::path(name).extension().string();
    for (int n = 2; fs::exists(p, ec); ++n)
        p = dir / (stem + "-" + std::to_string(n) + ext);
    return p.string();
}

}  // namespace zw::viewer
