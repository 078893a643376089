// The GPU side of tile streaming: uploads decoded tile contents inside the frame's
// command buffer (no waiting) and frees them once no frame in flight uses them.
#pragma once

#include <vector>

#include "engine/render/renderer.h"
#include "engine/tiles/stream.h"

namespace zw::render {

class TileUploader : public tiles::ContentUploader {
  public:
    TileUploader(Renderer& renderer, gpu::FrameRing& frames) : renderer_(renderer), frames_(frames) {}
    // Uploads until the next begin_frame() are recorded into `cmd`, which must be the
    // command buffer `frames` is recording, before its render passes.
    void begin_frame(VkCommandBuffer cmd) { cmd_ = cmd; }

    void upload(tiles::LoadedContent& content) override;
    void release(tiles::LoadedContent& content) override;

  private:
    Renderer& renderer_;
    gpu::FrameRing& frames_;
    VkCommandBuffer cmd_ = VK_NULL_HANDLE;
};

// The ready contents of what `streamer` selected as draws, skipping contents whose own
// bounding volume is outside the view and layers of opacity 0. Each draw carries its
// layer's index and opacity and points at its content's URI (valid until the streamer's
// next update()).
void collect_draws(const tiles::TileStreamer& streamer, const tiles::ViewState& view,
                   std::vector<DrawModel>& out);

}  // namespace zw::render
