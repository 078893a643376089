// Picking in the viewer: from a click (or --pick) to the highlighted feature and the
// inspector panel. The renderer draws and reads the pick pass; this resolves what it
// found against the layers and the tile's property table.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/gpu/frames.h"
#include "engine/render/picking.h"
#include "engine/render/renderer.h"
#include "engine/tiles/stream.h"
#include "engine/twin/manifest.h"

namespace zw::viewer {

class Picker {
  public:
    // Picks framebuffer pixel (x, y) in the next frame rendered.
    void request(render::Renderer& renderer, uint32_t x, uint32_t y) { renderer.request_pick(x, y); }
    // Call once a frame before Renderer::render(): takes in a pick whose frame the GPU has
    // finished (never waits), resolves it and highlights its feature (a miss clears the
    // highlight). Returns true when a new result arrived.
    bool update(render::Renderer& renderer, const gpu::FrameRing& frames,
                const tiles::TileStreamer* streamer);
    // The latest pick; null before the first.
    const render::PickResult* result() const { return result_ ? &*result_ : nullptr; }

  private:
    std::optional<render::PickResult> result_;
};

// What `hit` found: layer (the twin layer's id, else the tileset's folder name), tile,
// feature and all attributes its tile holds. The content is looked up by URI among the
// renderer's current draws; one evicted since the pick frame is a miss.
render::PickResult resolve_pick(const render::PickHit& hit, const render::Renderer& renderer,
                                const tiles::TileStreamer* streamer);

// The inspector: the picked feature's layer and attributes, a hint before the first
// pick, and a note after a pick on nothing. With a twin, the attributes its manifest
// lists for the layer, in its order and with its titles (German or English); else
// every column the tile holds, by name. `file_names`: the tile's file under the layer
// (never in the citizens' twin).
void inspector_panel(const render::PickResult* picked, const twin::Manifest* twin, bool file_names);

}  // namespace zw::viewer
