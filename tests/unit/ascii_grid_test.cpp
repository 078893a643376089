// ESRI ASCII grids (engine/scenario/ascii_grid.h): the header variants, the row order
// (the file's first row is the northern one), NODATA, round trips, and messages that
// name the line.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "engine/core/error.h"
#include "engine/scenario/ascii_grid.h"
#include "tests/unit/temp_dir.h"

namespace {

using namespace zw::scenario;

std::string error_of(const std::string& text) {
    try {
        parse_ascii_grid(text, "t.asc");
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "no error";
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

TEST(AsciiGrid, ReadsHeaderAndFlipsRowsSouthFirst) {
    const AsciiGrid g = parse_ascii_grid(
        "ncols 3\nNROWS 2\nxllcorner 630000.5\nyllcorner 5497000\ncellsize 2\nNODATA_value -9999\n"
        "1 2 3\n4 5 -9999\n",
        "t.asc");
    EXPECT_EQ(g.ncols, 3u);
    EXPECT_EQ(g.nrows, 2u);
    EXPECT_DOUBLE_EQ(g.xllcorner, 630000.5);
    EXPECT_DOUBLE_EQ(g.cellsize, 2);
    // Row 0 is the southern row: the file's last line.
    EXPECT_EQ(g.at(0, 0), 4);
    EXPECT_EQ(g.at(1, 0), 5);
    EXPECT_TRUE(g.is_nodata(g.at(2, 0)));
    EXPECT_EQ(g.at(0, 1), 1);
    EXPECT_EQ(g.at(2, 1), 3);
}

TEST(AsciiGrid, CentreOriginAndDxDy) {
    const AsciiGrid g =
        parse_ascii_grid("ncols 1\nnrows 1\nxllcenter 11\nyllcenter 21\ndx 2\ndy 2\n7\n", "t.asc");
    EXPECT_DOUBLE_EQ(g.xllcorner, 10);
    EXPECT_DOUBLE_EQ(g.yllcorner, 20);
    EXPECT_DOUBLE_EQ(g.cellsize, 2);
    EXPECT_FALSE(g.nodata);
    EXPECT_EQ(g.at(0, 0), 7);
}

TEST(AsciiGrid, RoundTripThroughAFile) {
    AsciiGrid g;
    g.ncols = 4;
    g.nrows = 3;
    g.xllcorner = 630000;
    g.yllcorner = 5497000;
    g.cellsize = 0.5;
    g.nodata = -9999;
    for (uint32_t i = 0; i < 12; ++i)
        g.values.push_back(i == 5 ? -9999 : i * 0.1234567);
    zw::test::TempDir dir;
    const std::string path = (dir.path() / "depth.asc").string();
    write_ascii_grid(path, g, 4);
    EXPECT_FALSE(std::filesystem::exists(path + ".part"));
    const AsciiGrid back = read_ascii_grid(path);
    EXPECT_EQ(back.ncols, 4u);
    EXPECT_EQ(back.nrows, 3u);
    EXPECT_DOUBLE_EQ(back.yllcorner, 5497000);
    EXPECT_DOUBLE_EQ(back.cellsize, 0.5);
    ASSERT_EQ(back.values.size(), 12u);
    for (size_t i = 0; i < 12; ++i)
        EXPECT_NEAR(back.values[i], g.values[i], 0.5e-4) << i;
    EXPECT_TRUE(back.is_nodata(back.values[5]));
}

TEST(AsciiGrid, BadGridsNameTheLine) {
    EXPECT_TRUE(contains(error_of("ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1\n"),
                         "ends after 1 of 2"));
    EXPECT_TRUE(
        contains(error_of("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n"), "more than"));
    EXPECT_TRUE(
        contains(error_of("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\nabc\n"), "line 6"));
    EXPECT_TRUE(
        contains(error_of("ncols 1.5\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1\n"), "line 1"));
    EXPECT_TRUE(contains(error_of("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\n1\n"), "cellsize"));
    EXPECT_TRUE(contains(error_of("ncols 1\nnrows 1\nyllcorner 0\ncellsize 1\n1\n"), "xllcorner"));
    EXPECT_TRUE(contains(error_of("ncols 1\nncols 1\n"), "twice"));
    EXPECT_TRUE(contains(error_of("ncols 1\nfoo 3\n"), "unknown header key 'foo'"));
    EXPECT_TRUE(contains(error_of("ncols 1\nnrows\n1\n"), "'nrows' has no value"));
    EXPECT_TRUE(contains(error_of("ncols 100000\nnrows 100000\nxllcorner 0\nyllcorner 0\ncellsize 1\n"),
                         "more than this program reads"));
    EXPECT_TRUE(
        contains(error_of("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize -1\n1\n"), "positive"));
    EXPECT_TRUE(contains(error_of(""), "ncols"));
    try {
        read_ascii_grid("/nonexistent/zw/x.asc");
        FAIL() << "no error";
    } catch (const zw::Error& e) {
        EXPECT_TRUE(contains(e.what(), "/nonexistent/zw/x.asc")) << e.what();
    }
}

// The writer prints every value whole, however many digits it has: snprintf's result is
// the length it needed, so a value above ~1e60 once copied stack bytes into the file.
TEST(AsciiGrid, LargeValuesAreWrittenWholeAndReadBack) {
    AsciiGrid g;
    g.ncols = 4;
    g.nrows = 1;
    g.xllcorner = -1e8;
    g.yllcorner = 5.5e6;
    g.cellsize = 1e7;
    g.nodata = -9999;
    g.values = {1e60, -1e300, 1.7976931348623157e308, 0.125};
    const std::string text = format_ascii_grid(g, 3);
    const AsciiGrid back = parse_ascii_grid(text, "big.asc");
    ASSERT_EQ(back.values.size(), g.values.size());
    for (size_t i = 0; i < g.values.size(); ++i)
        EXPECT_EQ(back.values[i], g.values[i]) << i;  // printed whole: exact when read back
    EXPECT_EQ(back.xllcorner, g.xllcorner);
    EXPECT_EQ(back.cellsize, g.cellsize);
    EXPECT_EQ(text.find('\0'), std::string::npos);

    // A value no reader could read back is refused with the cell, not written as "nan".
    g.values[2] = std::nan("");
    try {
        format_ascii_grid(g, 3);
        ADD_FAILURE() << "no error";
    } catch (const zw::Error& e) {
        EXPECT_TRUE(contains(e.what(), "column 3")) << e.what();
    }
}

// Sizes and places a header can claim: a grid beyond 1e9 of its origin, a cell size of
// 1e300, or a header announcing more values than the file could hold (refused before any
// memory is taken for them).
TEST(AsciiGrid, HeadersOutOfRangeAreRefused) {
    EXPECT_TRUE(
        contains(error_of("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1e300\n1\n"), "beyond 1e9"));
    EXPECT_TRUE(
        contains(error_of("ncols 2\nnrows 1\nxllcorner 1e9\nyllcorner 0\ncellsize 1\n1 2\n"), "beyond 1e9"));
    EXPECT_TRUE(contains(error_of("ncols 16384\nnrows 16384\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n"),
                         "its header announces 268435456"));
}

}  // namespace
