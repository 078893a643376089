// Streaming a scene's tilesets as layers: the worker threads, the uploader into the
// renderer and the streamer, built in this order and destroyed in reverse (the streamer
// first; the tile contents it releases are freed once the GPU is done with them, before
// the renderer they were uploaded to goes).
#pragma once

#include <optional>
#include <vector>

#include "app/viewer/options.h"
#include "app/viewer/scene.h"
#include "engine/core/fetch.h"
#include "engine/core/jobs.h"
#include "engine/gpu/frames.h"
#include "engine/render/camera.h"
#include "engine/render/renderer.h"
#include "engine/render/tile_uploader.h"
#include "engine/tiles/stream.h"

namespace zw::viewer {

class Streaming {
  public:
    // Starts the layers (--max-sse, --tile-budget) and waits for their tileset.json files
    // (small; the camera is framed on their bounds). A layer that cannot be read is a
    // warning; none at all a zw::Error.
    Streaming(const std::vector<LayerSpec>& layers, const core::FetchOptions& fetch, const Options& o,
              render::Renderer& renderer, gpu::FrameRing& frames);
    Streaming(const Streaming&) = delete;
    Streaming& operator=(const Streaming&) = delete;

    // The layers' root volumes together (world coordinates); set once the constructor returns.
    tiles::Bounds bounds() const { return *streamer_.root_bounds(); }

    // Once a frame, before rendering: selects and loads for `view`, uploads within the
    // budget into `frame`'s command buffer, and hands the draws to the renderer.
    void update(const gpu::Frame& frame, const tiles::ViewState& view, render::Renderer& renderer);

    tiles::TileStreamer& streamer() { return streamer_; }
    const tiles::TileStreamer& streamer() const { return streamer_; }

    // The run's summary line: tiles loaded, failed, evicted, peak memory.
    void report() const;

  private:
    // Frees what the streamer released (tile contents deferred to their frames) once the
    // streamer and uploader are gone.
    struct Retire {
        gpu::FrameRing& frames;
        ~Retire() { frames.drain(); }
    };
    Retire retire_;
    core::JobSystem jobs_;
    render::TileUploader uploader_;
    tiles::TileStreamer streamer_;
};

// What the streamer selects for: the camera's eye, direction and frustum at this size.
tiles::ViewState view_state(const render::Camera& camera, VkExtent2D extent);

}  // namespace zw::viewer
