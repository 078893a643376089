#include "app/viewer/streaming.h"

#include <algorithm>
#include <thread>

#include "app/viewer/config.h"
#include "app/viewer/frame_loop.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

namespace zw::viewer {
namespace {

tiles::StreamOptions stream_options(const core::FetchOptions& fetch, const Options& o) {
    tiles::StreamOptions so;
    so.fetch = fetch;
    so.selection.maximum_sse = o.max_sse;
    so.memory_budget = uint64_t(o.tile_budget_mib) << 20;
    return so;
}

}  // namespace

Streaming::Streaming(const std::vector<LayerSpec>& layers, const core::FetchOptions& fetch, const Options& o,
                     render::Renderer& renderer, gpu::FrameRing& frames)
    : retire_{frames},
      jobs_(std::max(config.min_stream_workers + 1, std::thread::hardware_concurrency()) - 1),
      uploader_(renderer, frames),
      streamer_(jobs_, uploader_, stream_options(fetch, o)) {
    for (const LayerSpec& l : layers) {
        tiles::Layer& layer = streamer_.layers()[streamer_.add_tileset(l.uri, l.name, l.confine_root)];
        layer.id = l.id;
        layer.visible = l.visible;
        if (std::find(o.hide_layers.begin(), o.hide_layers.end(), l.id) != o.hide_layers.end())
            layer.visible = false;
        if (std::find(o.show_layers.begin(), o.show_layers.end(), l.id) != o.show_layers.end())
            layer.visible = true;
        layer.draped = l.draped;
    }
    const auto t0 = Clock::now();
    while (!streamer_.roots_settled()) {
        streamer_.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(config.root_poll_ms));
    }
    const auto ready =
        size_t(std::count_if(streamer_.layers().begin(), streamer_.layers().end(),
                             [](const auto& l) { return l.state == tiles::LayerState::ready; }));
    if (ready == 0) fail("none of the tilesets could be loaded (see the messages above)");
    core::info("tilesets: ", ready, " of ", streamer_.layers().size(), " ready after ", ms_since(t0), " ms");
}

void Streaming::update(const gpu::Frame& frame, const tiles::ViewState& view, render::Renderer& renderer) {
    uploader_.begin_frame(frame.cmd);
    streamer_.update(view, frame.number + 1);
    render::collect_draws(streamer_, view, renderer.streamed);
}

void Streaming::report() const {
    const tiles::StreamStats& st = streamer_.stats();
    core::info("tiles: ", st.loaded_total, " loaded, ", st.failed, " failed, ", st.evicted_total,
               " evicted; peak ", st.peak_bytes / 1048576.0, " MiB of ", st.budget / 1048576.0, " MiB");
}

tiles::ViewState view_state(const render::Camera& camera, VkExtent2D extent) {
    const double aspect = double(extent.width) / double(std::max(extent.height, 1u));
    tiles::ViewState v;
    v.eye = camera.eye();
    v.direction = camera.forward();
    v.culling = tiles::CullingVolume::from_matrix(camera.projection(aspect) * camera.view_rotation());
    v.viewport_height = extent.height;
    v.fov_y = camera.fov_y;
    return v;
}

}  // namespace zw::viewer
