// The viewer's exports never replace a file (app/viewer/export_path.h).
#include <gtest/gtest.h>

#include <fstream>

#include "app/viewer/export_path.h"
#include "temp_dir.h"

namespace {

using zw::viewer::unique_path;

TEST(FloodExport, NeverReplacesAFile) {
    zw::test::TempDir dir;
    const std::string folder = dir.path().string();
    const std::string first = unique_path(folder, "hq100-impacts.csv");
    EXPECT_EQ(first, (dir.path() / "hq100-impacts.csv").string());
    std::ofstream(first) << "a";
    const std::string second = unique_path(folder, "hq100-impacts.csv");
    EXPECT_EQ(second, (dir.path() / "hq100-impacts-2.csv").string());
    std::ofstream(second) << "b";
    EXPECT_EQ(unique_path(folder, "hq100-impacts.csv"), (dir.path() / "hq100-impacts-3.csv").string());
}

}  // namespace
