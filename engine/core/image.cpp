#include "engine/core/image.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdlib>

#include "engine/core/error.h"

namespace zw::core {

void write_png(const std::filesystem::path& path, const Image& image) {
    if (image.empty()) fail("cannot write an empty image to ", path.string());
    if (path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    if (!stbi_write_png(path.c_str(), image.width, image.height, 4, image.rgba.data(), image.width * 4))
        fail("could not write PNG ", path.string(), ": check that the folder exists and is writable");
}

Image read_png(const std::filesystem::path& path) {
    int w = 0, h = 0, n = 0;
    stbi_uc* data = stbi_load(path.c_str(), &w, &h, &n, 4);
    if (!data) fail("could not read image ", path.string(), ": ", stbi_failure_reason());
    Image image{w, h, std::vector<uint8_t>(data, data + static_cast<size_t>(w) * h * 4)};
    stbi_image_free(data);
    return image;
}

ImageDiff compare_images(const Image& a, const Image& b, int channel_tolerance) {
    ImageDiff d;
    d.same_size = a.width == b.width && a.height == b.height && !a.empty();
    d.total_pixels = static_cast<size_t>(a.width) * a.height;
    if (!d.same_size) {
        d.differing_pixels = d.total_pixels;
        d.max_channel_diff = 255;
        return d;
    }
    constexpr int bs = ImageDiff::block_size;
    const int bw = (a.width + bs - 1) / bs, bh = (a.height + bs - 1) / bs;
    std::vector<uint32_t> block_diffs(size_t(bw) * size_t(bh), 0);
    for (size_t i = 0; i < d.total_pixels; ++i) {
        int worst = 0;
        for (int c = 0; c < 4; ++c)
            worst = std::max(worst, std::abs(int(a.rgba[i * 4 + c]) - int(b.rgba[i * 4 + c])));
        d.max_channel_diff = std::max(d.max_channel_diff, worst);
        if (worst > channel_tolerance) {
            ++d.differing_pixels;
            const int x = int(i % size_t(a.width)), y = int(i / size_t(a.width));
            ++block_diffs[size_t(y / bs) * size_t(bw) + size_t(x / bs)];
        }
    }
    for (int by = 0; by < bh; ++by)
        for (int bx = 0; bx < bw; ++bx) {
            const int pixels =
                (std::min(a.width, (bx + 1) * bs) - bx * bs) * (std::min(a.height, (by + 1) * bs) - by * bs);
            const double f = double(block_diffs[size_t(by) * size_t(bw) + size_t(bx)]) / pixels;
            if (f > d.worst_block_fraction) {
                d.worst_block_fraction = f;
                d.worst_block_x = bx * bs;
                d.worst_block_y = by * bs;
            }
        }
    return d;
}

Image make_diff_image(const Image& a, const Image& b, int channel_tolerance) {
    Image out{a.width, a.height, std::vector<uint8_t>(a.rgba.size())};
    const bool comparable = a.width == b.width && a.height == b.height;
    for (size_t i = 0; i < static_cast<size_t>(a.width) * a.height; ++i) {
        const uint8_t* p = &a.rgba[i * 4];
        int worst = 255;
        if (comparable) {
            worst = 0;
            for (int c = 0; c < 4; ++c)
                worst = std::max(worst, std::abs(int(p[c]) - int(b.rgba[i * 4 + c])));
        }
        uint8_t* o = &out.rgba[i * 4];
        if (worst > channel_tolerance) {
            o[0] = static_cast<uint8_t>(std::min(255, 128 + worst));
            o[1] = o[2] = 0;
        } else {
            const auto grey =
                static_cast<uint8_t>((p[0] * 3 + p[1] * 6 + p[2]) / 40);  // a quarter of the luma
            o[0] = o[1] = o[2] = grey;
        }
        o[3] = 255;
    }
    return out;
}

}  // namespace zw::core
