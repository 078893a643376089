// --video: the frames of a headless run as an H.264 video (MP4, or any container FFmpeg
// knows by the file's extension), through Debian's libavcodec with its libx264 encoder.
// Frames come at a fixed rate (--fps): frame n is shown at n / fps seconds, so the video
// is frame-exact whatever the renderer's speed. The file appears under its name only once
// the video is complete (written as NAME.part first).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "engine/core/image.h"

namespace zw::viewer {

class VideoWriter {
  public:
    // Opens `path` for `width` x `height` frames (both even: H.264's 4:2:0 colour) at
    // `fps` frames a second. Throws zw::Error saying what is wrong (no H.264 encoder,
    // an odd size, a folder that cannot be written, a container FFmpeg does not know).
    VideoWriter(const std::string& path, uint32_t width, uint32_t height, uint32_t fps);
    ~VideoWriter();
    VideoWriter(const VideoWriter&) = delete;
    VideoWriter& operator=(const VideoWriter&) = delete;

    // Encodes the next frame (sRGB RGBA, the writer's size).
    void add(const core::Image& frame);
    // Flushes the encoder and writes the file under its name. Without finish() (an error
    // on the way) the partial file is removed.
    void finish();
    uint64_t frames() const;

  private:
    struct State;
    std::unique_ptr<State> s_;
};

}  // namespace zw::viewer
