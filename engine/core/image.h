// RGBA8 images in memory, PNG read/write, and the comparison used by golden-image tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace zw::core {

struct Image {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgba;  // width * height * 4 bytes, rows top to bottom

    bool empty() const { return width == 0 || height == 0; }
    const uint8_t* pixel(int x, int y) const { return &rgba[(static_cast<size_t>(y) * width + x) * 4]; }
};

// Writes an 8-bit RGBA PNG. Throws zw::Error naming the path when it cannot be written.
void write_png(const std::filesystem::path& path, const Image& image);

// Reads a PNG (any channel count, converted to RGBA8). Throws zw::Error naming the path.
Image read_png(const std::filesystem::path& path);

// Per-channel comparison of two images of the same size.
// A pixel "differs" when any of its channels differs by more than `channel_tolerance`.
struct ImageDiff {
    bool same_size = false;
    int max_channel_diff = 0;     // largest absolute channel difference over all pixels
    size_t differing_pixels = 0;  // pixels with a channel difference above the tolerance
    size_t total_pixels = 0;
    // The largest fraction of differing pixels in any block of block_size x block_size
    // pixels (aligned; edge blocks count their pixels inside the image). Scattered
    // rounding differences stay low; a small object drawn wrong or missing fills a block.
    static constexpr int block_size = 8;
    double worst_block_fraction = 0;
    int worst_block_x = 0, worst_block_y = 0;  // its top-left pixel
    double differing_fraction() const {
        return total_pixels ? static_cast<double>(differing_pixels) / static_cast<double>(total_pixels) : 1.0;
    }
};

ImageDiff compare_images(const Image& a, const Image& b, int channel_tolerance);

// A visual diff: differing pixels in red (brighter = larger difference) over a dimmed
// greyscale copy of `a`. Images must have the same size.
Image make_diff_image(const Image& a, const Image& b, int channel_tolerance);

}  // namespace zw::core
