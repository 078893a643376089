// --video's writer (app/viewer/video.h): H.264 in MP4, read back with libavformat and
// libavcodec: every frame there, at its time, with its colours; bad requests refused.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include "app/viewer/video.h"
#include "engine/core/error.h"
#include "temp_dir.h"

namespace {

using zw::viewer::VideoWriter;

zw::core::Image solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
    zw::core::Image im;
    im.width = w;
    im.height = h;
    im.rgba.resize(size_t(w) * h * 4);
    for (size_t i = 0; i < im.rgba.size(); i += 4) {
        im.rgba[i] = r;
        im.rgba[i + 1] = g;
        im.rgba[i + 2] = b;
        im.rgba[i + 3] = 255;
    }
    return im;
}

struct Decoded {
    int width = 0, height = 0;
    double fps = 0;
    std::vector<int64_t> pts;                 // in frames
    std::vector<std::array<double, 3>> mean;  // mean Y, U, V of each frame
    std::string codec;
};

Decoded decode(const std::string& path) {
    Decoded d;
    AVFormatContext* fmt = nullptr;
    EXPECT_EQ(avformat_open_input(&fmt, path.c_str(), nullptr, nullptr), 0);
    if (!fmt) return d;
    avformat_find_stream_info(fmt, nullptr);
    const int si = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    EXPECT_GE(si, 0);
    AVStream* st = fmt->streams[si];
    const AVCodec* dec = avcodec_find_decoder(st->codecpar->codec_id);
    d.codec = dec ? dec->name : "";
    AVCodecContext* c = avcodec_alloc_context3(dec);
    avcodec_parameters_to_context(c, st->codecpar);
    avcodec_open2(c, dec, nullptr);
    d.width = c->width;
    d.height = c->height;
    d.fps = av_q2d(st->avg_frame_rate);
    AVPacket* pkt = av_packet_alloc();
    AVFrame* f = av_frame_alloc();
    auto take = [&] {
        while (avcodec_receive_frame(c, f) == 0) {
            d.pts.push_back(
                av_rescale_q(f->best_effort_timestamp, st->time_base, av_inv_q(st->avg_frame_rate)));
            std::array<double, 3> m{};
            for (int p = 0; p < 3; ++p) {
                const int w = p ? (f->width + 1) / 2 : f->width, h = p ? (f->height + 1) / 2 : f->height;
                double sum = 0;
                for (int y = 0; y < h; ++y)
                    for (int x = 0; x < w; ++x)
                        sum += f->data[p][y * f->linesize[p] + x];
                m[p] = sum / (w * h);
            }
            d.mean.push_back(m);
        }
    };
    while (av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == si) avcodec_send_packet(c, pkt);
        av_packet_unref(pkt);
        take();
    }
    avcodec_send_packet(c, nullptr);
    take();
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&c);
    avformat_close_input(&fmt);
    return d;
}

TEST(Video, EveryFrameAtItsTimeWithItsColour) {
    zw::test::TempDir dir;
    const std::string path = (dir.path() / "tour.mp4").string();
    {
        VideoWriter v(path, 64, 48, 30);
        for (int i = 0; i < 45; ++i)
            v.add(i < 30 ? solid(64, 48, 230, 30, 30) : solid(64, 48, 30, 30, 230));  // 1 s red, 0.5 s blue
        EXPECT_FALSE(std::filesystem::exists(path));                                  // only once complete
        v.finish();
        EXPECT_EQ(v.frames(), 45u);
    }
    EXPECT_FALSE(std::filesystem::exists(path + ".part"));
    const Decoded d = decode(path);
    EXPECT_EQ(d.codec, "h264");
    EXPECT_EQ(d.width, 64);
    EXPECT_EQ(d.height, 48);
    EXPECT_DOUBLE_EQ(d.fps, 30.0);
    ASSERT_EQ(d.pts.size(), 45u);
    for (size_t i = 0; i < d.pts.size(); ++i)
        EXPECT_EQ(d.pts[i] - d.pts[0], int64_t(i)) << "frame " << i;
    // BT.709 in limited range (what the writer says the video holds): Y = 16 + 219 Y',
    // Cb = 128 + 224 (B' - Y') / 1.8556, Cr = 128 + 224 (R' - Y') / 1.5748, with
    // Y' = 0.2126 R' + 0.7152 G' + 0.0722 B' of the sRGB values; within 3 of the encoder's.
    auto ycbcr = [](double r, double g, double b) {
        r /= 255, g /= 255, b /= 255;
        const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        return std::array<double, 3>{16 + 219 * y, 128 + 224 * (b - y) / 1.8556,
                                     128 + 224 * (r - y) / 1.5748};
    };
    const std::array<double, 3> red = ycbcr(230, 30, 30), blue = ycbcr(30, 30, 230);
    for (int p = 0; p < 3; ++p) {
        EXPECT_NEAR(d.mean[5][p], red[p], 3) << "plane " << p;
        EXPECT_NEAR(d.mean[40][p], blue[p], 3) << "plane " << p;
    }
}

TEST(Video, RefusesWhatItCannotWrite) {
    zw::test::TempDir dir;
    auto message = [](auto make) -> std::string {
        try {
            make();
        } catch (const zw::Error& e) {
            return e.what();
        }
        return "";
    };
    const std::string mp4 = (dir.path() / "a.mp4").string();
    EXPECT_NE(message([&] { VideoWriter(mp4, 65, 48, 30); }).find("even"), std::string::npos);
    EXPECT_NE(message([&] { VideoWriter(mp4, 64, 48, 0); }).find("--fps"), std::string::npos);
    EXPECT_NE(message([&] { VideoWriter((dir.path() / "a.nothing").string(), 64, 48, 30); }).find(".mp4"),
              std::string::npos);
    EXPECT_NE(message([&] {
                  VideoWriter((dir.path() / "no" / "such" / "a.mp4").string(), 64, 48, 30);
              }).find("writable"),
              std::string::npos);
    EXPECT_NE(message([&] {
                  VideoWriter v(mp4, 64, 48, 30);
                  v.add(solid(32, 32, 0, 0, 0));
              }).find("a frame of 32x32"),
              std::string::npos);
    // A video not finished leaves nothing behind.
    EXPECT_FALSE(std::filesystem::exists(mp4));
    EXPECT_FALSE(std::filesystem::exists(mp4 + ".part"));
}

}  // namespace
