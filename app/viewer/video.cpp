#include "app/viewer/video.h"

#include <cstdio>
#include <filesystem>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include "engine/core/error.h"

namespace zw::viewer {
namespace {

std::string av_message(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

}  // namespace

struct VideoWriter::State {
    std::string path, part;
    uint32_t width = 0, height = 0;
    AVFormatContext* format = nullptr;
    AVCodecContext* codec = nullptr;
    AVStream* stream = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    SwsContext* sws = nullptr;
    uint64_t frames = 0;
    bool finished = false;

    ~State() {
        sws_freeContext(sws);
        av_packet_free(&packet);
        av_frame_free(&frame);
        avcodec_free_context(&codec);
        if (format) {
            if (format->pb) avio_closep(&format->pb);
            avformat_free_context(format);
        }
        if (!finished && !part.empty()) {
            std::error_code ec;
            std::filesystem::remove(part, ec);
        }
    }

    // Sends `f` (null: the end) to the encoder and writes every packet it gives back.
    void encode(const AVFrame* f) {
        if (const int e = avcodec_send_frame(codec, f); e < 0)
            fail("video '", path, "': the encoder refused a frame (", av_message(e), ")");
        for (;;) {
            const int e = avcodec_receive_packet(codec, packet);
            if (e == AVERROR(EAGAIN) || e == AVERROR_EOF) return;
            if (e < 0) fail("video '", path, "': encoding failed (", av_message(e), ")");
            av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
            packet->stream_index = stream->index;
            if (const int w = av_interleaved_write_frame(format, packet); w < 0)
                fail("video '", path, "': cannot write to '", part, "' (", av_message(w),
                     "; is the disk full?)");
        }
    }
};

VideoWriter::VideoWriter(const std::string& path, uint32_t width, uint32_t height, uint32_t fps)
    : s_(std::make_unique<State>()) {
    State& s = *s_;
    s.path = path;
    s.width = width;
    s.height = height;
    if (width % 2 || height % 2 || width < 16 || height < 16)
        fail("video '", path, "': the size must be even and at least 16x16 for H.264 (got ", width, "x",
             height, "); choose --size with even numbers, e.g. 1920x1080");
    if (fps < 1 || fps > 240) fail("video '", path, "': --fps must be 1 to 240 (got ", fps, ")");
    const AVOutputFormat* container = av_guess_format(nullptr, path.c_str(), nullptr);
    if (!container)
        fail("video '", path, "': FFmpeg knows no video file by this name's extension; use .mp4 (or .mkv)");
    const AVCodec* h264 = avcodec_find_encoder_by_name("libx264");
    if (!h264) h264 = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!h264)
        fail("video '", path,
             "': this libavcodec has no H.264 encoder (Debian's libavcodec59 brings libx264)");
    s.part = path + ".part";
    if (avformat_alloc_output_context2(&s.format, container, nullptr, s.part.c_str()) < 0 || !s.format)
        fail("video '", path, "': cannot set up the ", container->name, " container");
    s.codec = avcodec_alloc_context3(h264);
    s.stream = avformat_new_stream(s.format, nullptr);
    s.frame = av_frame_alloc();
    s.packet = av_packet_alloc();
    if (!s.codec || !s.stream || !s.frame || !s.packet) fail("video '", path, "': out of memory");
    AVCodecContext& c = *s.codec;
    c.width = int(width);
    c.height = int(height);
    c.time_base = AVRational{1, int(fps)};
    c.framerate = AVRational{int(fps), 1};
    c.pix_fmt = AV_PIX_FMT_YUV420P;
    c.gop_size = int(2 * fps);  // a key frame every 2 s: a player can seek
    // The renderer's sRGB picture, as HD video describes it (BT.709, limited range).
    c.color_primaries = AVCOL_PRI_BT709;
    c.color_trc = AVCOL_TRC_IEC61966_2_1;
    c.colorspace = AVCOL_SPC_BT709;
    c.color_range = AVCOL_RANGE_MPEG;
    if (s.format->oformat->flags & AVFMT_GLOBALHEADER) c.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (std::string(h264->name) == "libx264") {
        av_opt_set(c.priv_data, "preset", "medium", 0);
        av_opt_set(c.priv_data, "crf", "18", 0);  // visually lossless for a projector
    }
    if (const int e = avcodec_open2(&c, h264, nullptr); e < 0)
        fail("video '", path, "': cannot open the ", h264->name, " encoder (", av_message(e), ")");
    if (avcodec_parameters_from_context(s.stream->codecpar, &c) < 0)
        fail("video '", path, "': cannot describe the stream");
    s.stream->time_base = c.time_base;
    s.stream->avg_frame_rate = c.framerate;
    if (const int e = avio_open(&s.format->pb, s.part.c_str(), AVIO_FLAG_WRITE); e < 0)
        fail("video '", path, "': cannot write '", s.part, "' (", av_message(e),
             "); is the folder there and writable?");
    if (const int e = avformat_write_header(s.format, nullptr); e < 0)
        fail("video '", path, "': cannot write the header (", av_message(e), ")");
    s.frame->format = c.pix_fmt;
    s.frame->width = c.width;
    s.frame->height = c.height;
    if (av_frame_get_buffer(s.frame, 0) < 0) fail("video '", path, "': out of memory");
    s.sws = sws_getContext(c.width, c.height, AV_PIX_FMT_RGBA, c.width, c.height, AV_PIX_FMT_YUV420P,
                           SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr, nullptr);
    if (!s.sws) fail("video '", path, "': cannot set up the colour conversion");
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(s.sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
}

VideoWriter::~VideoWriter() = default;

void VideoWriter::add(const core::Image& image) {
    State& s = *s_;
    if (uint32_t(image.width) != s.width || uint32_t(image.height) != s.height)
        fail("video '", s.path, "': a frame of ", image.width, "x", image.height, " in a ", s.width, "x",
             s.height, " video");
    if (av_frame_make_writable(s.frame) < 0) fail("video '", s.path, "': out of memory");
    const uint8_t* src[1] = {image.rgba.data()};
    const int stride[1] = {image.width * 4};
    sws_scale(s.sws, src, stride, 0, image.height, s.frame->data, s.frame->linesize);
    s.frame->pts = int64_t(s.frames++);
    s.encode(s.frame);
}

void VideoWriter::finish() {
    State& s = *s_;
    if (s.finished) return;
    s.encode(nullptr);
    if (const int e = av_write_trailer(s.format); e < 0)
        fail("video '", s.path, "': cannot finish the file (", av_message(e), ")");
    avio_closep(&s.format->pb);
    std::error_code ec;
    std::filesystem::rename(s.part, s.path, ec);
    if (ec) fail("video '", s.path, "': cannot move '", s.part, "' to its name (", ec.message(), ")");
    s.finished = true;
}

uint64_t VideoWriter::frames() const {
    return s_->frames;
}

}  // namespace zw::viewer
