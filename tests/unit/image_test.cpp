// Image comparison, diff images and PNG input/output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "engine/core/error.h"
#include "engine/core/image.h"
#include "tests/unit/temp_dir.h"

namespace {

using zw::core::Image;

Image make_image(int width, int height, uint32_t seed) {
    Image image{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 4)};
    std::mt19937 rng(seed);
    for (auto& b : image.rgba)
        b = static_cast<uint8_t>(rng() & 0xff);
    return image;
}

uint8_t* pixel(Image& image, int x, int y) {
    return &image.rgba[(static_cast<size_t>(y) * image.width + x) * 4];
}

using zw::test::TempDir;

TEST(CompareImages, IdenticalImagesDoNotDiffer) {
    const Image a = make_image(17, 9, 1);
    const auto d = zw::core::compare_images(a, a, 0);
    EXPECT_TRUE(d.same_size);
    EXPECT_EQ(d.max_channel_diff, 0);
    EXPECT_EQ(d.differing_pixels, 0u);
    EXPECT_EQ(d.total_pixels, 17u * 9u);
    EXPECT_EQ(d.differing_fraction(), 0.0);
}

TEST(CompareImages, OnePixelOffByTen) {
    const Image a = make_image(16, 16, 2);
    Image b = a;
    uint8_t* p = pixel(b, 5, 7);
    p[1] = static_cast<uint8_t>(p[1] >= 10 ? p[1] - 10 : p[1] + 10);

    const auto strict = zw::core::compare_images(a, b, 3);
    EXPECT_TRUE(strict.same_size);
    EXPECT_EQ(strict.differing_pixels, 1u);
    EXPECT_EQ(strict.max_channel_diff, 10);
    EXPECT_DOUBLE_EQ(strict.differing_fraction(), 1.0 / 256.0);

    // The tolerance is inclusive: a difference of exactly 10 is within tolerance 10.
    const auto tolerant = zw::core::compare_images(a, b, 10);
    EXPECT_EQ(tolerant.differing_pixels, 0u);
    EXPECT_EQ(tolerant.max_channel_diff, 10);

    EXPECT_EQ(zw::core::compare_images(a, b, 9).differing_pixels, 1u);
}

TEST(CompareImages, ASmallWrongBlockFillsItsBlocksWhileScatteredNoiseDoesNot) {
    // A 50x50 object of the wrong colour in a 1280x720 image is 0.27 % of the pixels,
    // under the goldens' 0.5 %: the worst 8x8 block catches it.
    const Image a = make_image(1280, 720, 5);
    Image wrong = a;
    for (int y = 300; y < 350; ++y)
        for (int x = 600; x < 650; ++x)
            pixel(wrong, x, y)[0] ^= 0x80;
    const auto d = zw::core::compare_images(a, wrong, 6);
    EXPECT_LT(d.differing_fraction(), 0.005);
    EXPECT_EQ(d.worst_block_fraction, 1.0);
    EXPECT_GE(d.worst_block_x, 600 - 8);
    EXPECT_LE(d.worst_block_y, 350);
    // The same number of differing pixels spread as every 37th pixel: no block is over
    // a quarter full.
    Image noisy = a;
    for (size_t i = 0; i < 2500; ++i) {
        const size_t p = i * 37 * 4;
        noisy.rgba[p] ^= 0x80;
    }
    const auto n = zw::core::compare_images(a, noisy, 6);
    EXPECT_EQ(n.differing_pixels, 2500u);
    EXPECT_LE(n.worst_block_fraction, 0.25);
    // Edge blocks of an image whose size is no multiple of 8 count only their own pixels.
    const Image c = make_image(10, 10, 6);
    Image c2 = c;
    for (int y = 8; y < 10; ++y)
        for (int x = 8; x < 10; ++x)
            pixel(c2, x, y)[1] ^= 0x80;
    EXPECT_EQ(zw::core::compare_images(c, c2, 6).worst_block_fraction, 1.0);
}

TEST(CompareImages, AlphaCounts) {
    const Image a = make_image(4, 4, 3);
    Image b = a;
    pixel(b, 3, 3)[3] ^= 0x80;
    const auto d = zw::core::compare_images(a, b, 0);
    EXPECT_EQ(d.differing_pixels, 1u);
    EXPECT_EQ(d.max_channel_diff, 128);
}

TEST(CompareImages, DifferentSizesDifferEverywhere) {
    const Image a = make_image(8, 6, 4);
    const Image b = make_image(6, 8, 4);  // same pixel count, other shape
    const auto d = zw::core::compare_images(a, b, 255);
    EXPECT_FALSE(d.same_size);
    EXPECT_EQ(d.total_pixels, 48u);
    EXPECT_EQ(d.differing_pixels, d.total_pixels);
    EXPECT_EQ(d.differing_fraction(), 1.0);
}

TEST(MakeDiffImage, MarksDifferingPixelsRedAndTheRestGrey) {
    Image a = make_image(8, 8, 5);
    for (size_t i = 3; i < a.rgba.size(); i += 4)
        a.rgba[i] = 255;
    Image b = a;
    uint8_t* small = pixel(b, 1, 2);
    small[0] = static_cast<uint8_t>(small[0] >= 20 ? small[0] - 20 : small[0] + 20);
    uint8_t* large = pixel(b, 6, 5);
    large[2] = static_cast<uint8_t>(large[2] >= 100 ? large[2] - 100 : large[2] + 100);
    uint8_t* tiny = pixel(b, 4, 4);
    tiny[1] = static_cast<uint8_t>(tiny[1] >= 2 ? tiny[1] - 2 : tiny[1] + 2);

    const Image d = zw::core::make_diff_image(a, b, 5);
    ASSERT_EQ(d.width, 8);
    ASSERT_EQ(d.height, 8);
    ASSERT_EQ(d.rgba.size(), a.rgba.size());
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) {
            const uint8_t* o = d.pixel(x, y);
            const bool differs = (x == 1 && y == 2) || (x == 6 && y == 5);
            if (differs) {
                EXPECT_GT(o[0], 0) << x << "," << y;
                EXPECT_EQ(o[1], 0) << x << "," << y;
                EXPECT_EQ(o[2], 0) << x << "," << y;
            } else {
                EXPECT_EQ(o[0], o[1]) << x << "," << y;
                EXPECT_EQ(o[1], o[2]) << x << "," << y;
                // Dimmed: darker than the brightest channel of the original.
                const uint8_t* p = a.pixel(x, y);
                EXPECT_LE(o[0], std::max({p[0], p[1], p[2]})) << x << "," << y;
            }
        }
    // Brighter red for the larger difference.
    EXPECT_GT(d.pixel(6, 5)[0], d.pixel(1, 2)[0]);
}

TEST(Png, RoundTripIsExact) {
    TempDir dir;
    const Image original = make_image(37, 23, 6);  // odd size, random alpha
    const auto path = dir.path() / "nested" / "image.png";
    zw::core::write_png(path, original);
    ASSERT_TRUE(std::filesystem::exists(path));
    const Image back = zw::core::read_png(path);
    EXPECT_EQ(back.width, original.width);
    EXPECT_EQ(back.height, original.height);
    EXPECT_EQ(back.rgba, original.rgba);
}

TEST(Png, ReadingAMissingFileThrowsNamingThePath) {
    TempDir dir;
    const auto path = dir.path() / "does_not_exist.png";
    try {
        zw::core::read_png(path);
        FAIL() << "read_png of a missing file returned";
    } catch (const zw::Error& e) {
        EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    }
}

TEST(Png, ReadingANonPngThrowsNamingThePath) {
    TempDir dir;
    const auto path = dir.path() / "not_an_image.png";
    std::ofstream(path) << "this is plain text, not a PNG";
    try {
        zw::core::read_png(path);
        FAIL() << "read_png of a text file returned";
    } catch (const zw::Error& e) {
        EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    }
}

TEST(Png, WritingWhereNoFolderCanBeMadeThrowsNamingThePath) {
    TempDir dir;
    const auto blocker = dir.path() / "a_file";
    std::ofstream(blocker) << "x";
    const auto path = blocker / "image.png";  // its parent is a regular file
    try {
        zw::core::write_png(path, make_image(2, 2, 7));
        FAIL() << "write_png below a regular file returned";
    } catch (const zw::Error& e) {
        EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    }
}

}  // namespace
