#include "engine/render/tile_uploader.h"

#include <algorithm>
#include <cassert>

namespace zw::render {

void TileUploader::upload(tiles::LoadedContent& c) {
    assert(cmd_ != VK_NULL_HANDLE && "begin_frame() first");
    uint64_t gpu_bytes = 0;
    c.gpu = renderer_.upload(c.model, frames_, cmd_, &gpu_bytes);
    c.gpu_bytes = gpu_bytes;
    // The GPU holds vertices, indices and pixels now; the CPU keeps the structure and
    // the feature ids and property tables (picking, attributes).
    c.model.vertices = {};
    c.model.indices = {};
    c.model.instance_transforms = {};
    for (gltf::TextureImage& img : c.model.images)
        img.rgba = {};
    uint64_t cpu = c.model.feature_ids.size() * sizeof(uint32_t);
    for (const gltf::PropertyTable& t : c.model.property_tables)
        for (const auto& column : t.values)
            for (const std::string& v : column)
                cpu += v.size() + sizeof(std::string);
    c.cpu_bytes = cpu;
}

void TileUploader::release(tiles::LoadedContent& c) {
    if (c.gpu) frames_.defer(std::static_pointer_cast<GpuModel>(std::move(c.gpu)));
    c.gpu.reset();
    c.gpu_bytes = 0;
}

void collect_draws(const tiles::TileStreamer& streamer, const tiles::ViewState& view,
                   std::vector<DrawModel>& out) {
    // Draped layers come 0.4 % of their distance nearer: enough for terrain tiles whose
    // error is within the default screen-space error from a few hundred metres up.
    constexpr float draped_pull = 0.004f;
    out.clear();
    const std::vector<tiles::Tile*>& tiles = streamer.render_list();
    for (size_t i = 0; i < tiles.size(); ++i) {
        const tiles::Tile* t = tiles[i];
        const uint32_t layer_index = streamer.render_layers()[i];
        const tiles::Layer& layer = streamer.layers()[layer_index];
        if (layer.opacity <= 0) continue;  // hidden, though still selected (and kept loaded)
        const float pull = layer.draped ? draped_pull : 0.0f;
        for (const tiles::TileContent& c : t->contents) {
            if (c.state != tiles::ContentState::ready || !c.loaded || !c.loaded->gpu) continue;
            if (c.bounds) {
                tiles::Obb rel = c.bounds->box;
                rel.center -= view.eye;
                if (!view.culling.visible(rel)) continue;
            }
            DrawModel d;
            d.model = &c.loaded->model;
            d.gpu = static_cast<const GpuModel*>(c.loaded->gpu.get());
            d.depth_pull = pull;
            d.opacity = std::min(layer.opacity, 1.0f);
            d.layer = layer_index;
            d.uri = &c.uri;
            out.push_back(d);
        }
    }
}

}  // namespace zw::render
