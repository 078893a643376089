// Depth frames (engine/scenario/flood/depth_frames.h): sampling between frames, the stored
// form (1 mm quantisation, zlib), folders of our rasters and of LISFLOOD-FP's numbered
// outputs, and damaged input.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/error.h"
#include "engine/scenario/flood/depth_frames.h"
#include "tests/unit/temp_dir.h"

namespace {

using namespace zw::scenario;

AsciiGrid raster(uint32_t n, double fill) {
    AsciiGrid g;
    g.ncols = g.nrows = n;
    g.cellsize = 2;
    g.xllcorner = 630000;
    g.yllcorner = 5497000;
    g.nodata = -9999;
    g.values.assign(size_t(n) * n, fill);
    return g;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(DepthFrames, SampleBetweenFrames) {
    DepthFrames f;
    add_frame(f, 600, raster(4, 0.2));
    AsciiGrid g = raster(4, 1.0);
    g.values[3] = -9999;  // NODATA: no water
    add_frame(f, 1200, g);
    std::vector<float> d;
    f.sample(900, d);
    EXPECT_NEAR(d[0], 0.6, 1e-6);
    EXPECT_NEAR(d[3], 0.1, 1e-6);
    f.sample(0, d);
    EXPECT_NEAR(d[0], 0.2, 1e-6);  // before the first frame: the first
    f.sample(5000, d);
    EXPECT_NEAR(d[0], 1.0, 1e-6);
    EXPECT_NE(error_of([&] { add_frame(f, 1200, raster(4, 1)); }).find("time order"), std::string::npos);
    EXPECT_NE(error_of([&] { add_frame(f, 1800, raster(5, 1)); }).find("another grid"), std::string::npos);
}

TEST(DepthFrames, StoredQuantisedAndCompressed) {
    DepthFrames f;
    const uint32_t n = 200;
    for (int k = 1; k <= 3; ++k) {
        AsciiGrid g = raster(n, 0);
        // A flooded strip along a creek, dry elsewhere: what a town's frames look like.
        for (uint32_t r = 90; r < 110; ++r)
            for (uint32_t c = 0; c < n; ++c)
                g.at(c, r) = 0.01 * k + 0.0123456 * (r - 90) + 0.0001 * c;
        add_frame(f, 600.0 * k, g);
    }
    const std::vector<uint8_t> bytes = encode_frames(f);
    const size_t raw = 3 * size_t(n) * n * sizeof(float);
    EXPECT_LT(bytes.size() * 10, raw) << bytes.size() << " bytes for " << raw;  // at least 10x smaller
    const DepthFrames back = decode_frames(bytes, "t.zwf");
    ASSERT_EQ(back.times_s, f.times_s);
    EXPECT_EQ(back.ncols, n);
    EXPECT_DOUBLE_EQ(back.xllcorner, 630000);
    double worst = 0;
    for (size_t k = 0; k < 3; ++k)
        for (size_t i = 0; i < f.depth_m[k].size(); ++i)
            worst = std::max(worst, double(std::abs(back.depth_m[k][i] - f.depth_m[k][i])));
    EXPECT_LE(worst, 0.0005 + 1e-6);  // 1 mm steps: at most half a step

    std::vector<uint8_t> cut(bytes.begin(), bytes.end() - 10);
    EXPECT_NE(error_of([&] { decode_frames(cut, "t.zwf"); }).find("damaged"), std::string::npos);
    std::vector<uint8_t> wrong = bytes;
    wrong[0] = 'X';
    EXPECT_NE(error_of([&] { decode_frames(wrong, "t.zwf"); }).find("ZWFLOOD1"), std::string::npos);
}

// Velocities (for the flow cues) go along with the depths: 1 cm/s steps, sampled between
// frames like the depths; a file without them still reads, and half a file is refused.
TEST(DepthFrames, VelocitiesStoredAndSampled) {
    DepthFrames f;
    const uint32_t n = 50;
    for (int k = 0; k < 2; ++k) {
        add_frame(f, 600.0 * k, raster(n, 0.5));
        std::vector<float> v(2 * size_t(n) * n);
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = float((k + 1) * (i % 2 ? -0.7 : 1.234567));
        f.velocity_ms.push_back(v);
    }
    const DepthFrames back = decode_frames(encode_frames(f), "v.zwf");
    ASSERT_EQ(back.velocity_ms.size(), 2u);
    double worst = 0;
    for (size_t k = 0; k < 2; ++k)
        for (size_t i = 0; i < f.velocity_ms[k].size(); ++i)
            worst = std::max(worst, double(std::abs(back.velocity_ms[k][i] - f.velocity_ms[k][i])));
    EXPECT_LE(worst, 0.005 + 1e-6);  // 1 cm/s steps: at most half a step
    std::vector<float> mid;
    ASSERT_TRUE(back.sample_velocity(300, mid));
    ASSERT_EQ(mid.size(), 2u * n * n);
    EXPECT_NEAR(mid[0], 1.5 * 1.23, 0.01);
    EXPECT_NEAR(mid[1], -1.05, 0.01);

    DepthFrames depth_only = f;
    depth_only.velocity_ms.clear();
    const DepthFrames plain = decode_frames(encode_frames(depth_only), "d.zwf");
    EXPECT_TRUE(plain.velocity_ms.empty());
    EXPECT_FALSE(plain.sample_velocity(300, mid));
    EXPECT_TRUE(mid.empty());

    DepthFrames half = f;
    half.velocity_ms.pop_back();
    EXPECT_NE(error_of([&] { encode_frames(half); }).find("velocity"), std::string::npos);
}

TEST(DepthFrames, FoldersOfOursAndOfLisfloodFp) {
    zw::test::TempDir dir;
    const auto ours = dir.path() / "ours";
    std::filesystem::create_directories(ours);
    write_ascii_grid((ours / "depth_0001200s.asc").string(), raster(3, 0.5));
    write_ascii_grid((ours / "depth_0000600s.asc").string(), raster(3, 0.25));
    write_ascii_grid((ours / "max_depth.asc").string(), raster(3, 9));  // not a frame
    const DepthFrames a = read_depth_folder(ours.string());
    EXPECT_EQ(a.times_s, (std::vector<double>{600, 1200}));
    EXPECT_NEAR(a.depth_m[1][0], 0.5, 1e-6);

    const auto lis = dir.path() / "lisflood";
    std::filesystem::create_directories(lis);
    write_ascii_grid((lis / "res-0002.wd").string(), raster(3, 0.4));
    write_ascii_grid((lis / "res-0001.wd").string(), raster(3, 0.2));
    EXPECT_NE(error_of([&] { read_depth_folder(lis.string()); }).find("output interval"), std::string::npos);
    const DepthFrames b = read_depth_folder(lis.string(), 900);
    EXPECT_EQ(b.times_s, (std::vector<double>{900, 1800}));
    std::vector<float> d;
    b.sample(1350, d);
    EXPECT_NEAR(d[4], 0.3, 1e-6);

    write_ascii_grid((lis / "res-0003.wd").string(), raster(4, 0.4));
    EXPECT_NE(error_of([&] { read_depth_folder(lis.string(), 900); }).find("another grid"),
              std::string::npos);
    EXPECT_NE(error_of([&] { read_depth_folder((dir.path() / "none").string()); }).find("not a folder"),
              std::string::npos);
}

// A .zwf file made by hand: the header JSON, then the blocks.
std::vector<uint8_t> zwf(const std::string& header, const std::vector<uint8_t>& blocks) {
    std::vector<uint8_t> out = {'Z', 'W', 'F', 'L', 'O', 'O', 'D', '1'};
    for (int i = 0; i < 4; ++i)
        out.push_back(uint8_t(header.size() >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), blocks.begin(), blocks.end());
    return out;
}

// Every field of a .zwf header is checked for its type and range before it is used: a
// float or a negative number never reaches an unsigned conversion, a wrong type is a
// message (not a json exception), blocks may not overlap (one small block read as many
// frames was a memory bomb), and a grid the file cannot hold is refused before memory is
// taken for it.
TEST(DepthFrames, DamagedHeadersAreRefusedByName) {
    DepthFrames f;
    add_frame(f, 0, raster(2, 0.5));
    add_frame(f, 60, raster(2, 1.0));
    const std::vector<uint8_t> good = encode_frames(f);
    EXPECT_EQ(decode_frames(good, "good.zwf").times_s.size(), 2u);
    // The blocks of the good file, to put under other headers.
    uint32_t hlen = 0;
    for (int i = 0; i < 4; ++i)
        hlen |= uint32_t(good[8 + size_t(i)]) << (8 * i);
    const std::string header(good.begin() + 12, good.begin() + 12 + hlen);
    const std::vector<uint8_t> blocks(good.begin() + 12 + hlen, good.end());
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string h = header;
        const size_t at = h.find(from);
        EXPECT_NE(at, std::string::npos) << from << " in " << h;
        return zwf(h.replace(at, from.size(), to), blocks);
    };
    const std::vector<std::pair<std::vector<uint8_t>, std::string>> rows = {
        {replaced("\"ncols\":2", "\"ncols\":2.5"), "ncols must be a whole number"},
        {replaced("\"ncols\":2", "\"ncols\":-2"), "ncols must be a whole number"},
        {replaced("\"ncols\":2", "\"ncols\":1e20"), "ncols must be a whole number"},
        {replaced("\"ncols\":2", "\"ncols\":\"2\""), "ncols must be a whole number"},
        {replaced("\"unit_m\":0.001", "\"unit_m\":\"mm\""), "unit_m must be a number"},
        {replaced("\"unit_m\":0.001", "\"unit_m\":1e300"), "unit_m must be a number from 0 to 1"},
        {replaced("\"cellsize\":2.0", "\"cellsize\":1e300"), "cellsize must be a number"},
        {replaced("\"offset\":0", "\"offset\":-1"), "frame 0 offset must be a whole number"},
        {replaced("\"offset\":0", "\"offset\":1e300"), "frame 0 offset must be a whole number"},
        {replaced("\"times_s\":[0.0,60.0]", "\"times_s\":[0.0,\"x\"]"), "times_s[1] must be a number"},
        {replaced("\"ncols\":2,\"nrows\":2", "\"ncols\":16384,\"nrows\":16384"), "too small to hold frames"},
    };
    for (const auto& [bytes, expected] : rows) {
        const std::string msg = error_of([&] { decode_frames(bytes, "bad.zwf"); });
        EXPECT_NE(msg.find("depth frames 'bad.zwf' are damaged: "), std::string::npos) << msg;
        EXPECT_NE(msg.find(expected), std::string::npos) << msg << "\nexpected: " << expected;
    }
    // Two frames reading the same block: refused.
    {
        std::string h = header;
        const size_t second = h.rfind("\"offset\":");
        const size_t end = h.find('}', second);
        h.replace(second, end - second, "\"offset\":0");
        const std::string msg = error_of([&] { decode_frames(zwf(h, blocks), "bad.zwf"); });
        EXPECT_NE(msg.find("overlaps the block before it"), std::string::npos) << msg << "\n" << h;
    }
    // Numbered files whose number is no time of a flood (1e240 s) are refused by name.
    zw::test::TempDir dir;
    write_ascii_grid((dir.path() / ("res-" + std::string(240, '9') + ".wd")).string(), raster(2, 0.1));
    const std::string msg = error_of([&] { read_depth_folder(dir.path().string(), 10); });
    EXPECT_NE(msg.find("is no time of a flood"), std::string::npos) << msg;
}

}  // namespace
