#include "app/viewer/pick.h"

#include <imgui.h>

#include "app/viewer/format.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"

namespace zw::viewer {
namespace {

// "…/utilities/tileset.json" -> "utilities": a short layer name for plain tilesets.
std::string folder_name(const std::string& tileset_uri) {
    const size_t file = tileset_uri.find_last_of('/');
    if (file == std::string::npos || file == 0) return tileset_uri;
    const size_t folder = tileset_uri.find_last_of('/', file - 1);
    return tileset_uri.substr(folder == std::string::npos ? 0 : folder + 1,
                              file - (folder == std::string::npos ? 0 : folder + 1));
}

}  // namespace

render::PickResult resolve_pick(const render::PickHit& hit, const render::Renderer& renderer,
                                const tiles::TileStreamer* streamer) {
    render::PickResult out;
    out.x = hit.x;
    out.y = hit.y;
    if (!hit.hit) return out;
    const gltf::Model* model = nullptr;
    if (hit.own_model) {
        model = renderer.model();
        if (model) out.layer = out.layer_title = out.tile = model->name;
    } else {
        for (const render::DrawModel& d : renderer.streamed)
            if (d.uri && *d.uri == hit.content) model = d.model;
        if (streamer && hit.layer < streamer->layers().size()) {
            const tiles::Layer& l = streamer->layers()[hit.layer];
            out.layer = l.id.empty() ? folder_name(l.uri) : l.id;
            out.layer_title = l.name;
            out.tile = render::tile_path(l.uri, hit.content);
        } else {
            out.tile = hit.content;
        }
        out.content = hit.content;
    }
    if (!model) return out;
    out.hit = true;
    out.layer_index = hit.layer;
    out.table = hit.table;
    out.feature = hit.feature;
    out.attributes = render::feature_attributes(*model, hit.table, hit.feature);
    for (const auto& [name, value] : out.attributes)
        if (name == "id") out.id = value;
    return out;
}

bool Picker::update(render::Renderer& renderer, const gpu::FrameRing& frames,
                    const tiles::TileStreamer* streamer) {
    const std::optional<render::PickHit> hit = renderer.take_pick(frames);
    if (!hit) return false;
    result_ = resolve_pick(*hit, renderer, streamer);
    renderer.highlight = render::highlight_of(*result_);
    return true;
}

void inspector_panel(const render::PickResult* picked, const twin::Manifest* twin, bool file_names) {
    // In the right column, under the layers and impacts.
    panel_dock(Dock::right);
    ImGui::SetNextWindowBgAlpha(0.85f);
    panel_begin(tr(S::inspector_title), nullptr,
                ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    if (!picked) {
        ImGui::TextDisabled("%s", tr(S::inspector_hint));
    } else if (!picked->hit) {
        ImGui::TextDisabled("%s", tr(S::inspector_nothing));
    } else {
        const twin::Layer* layer = twin ? twin->layer(picked->layer) : nullptr;
        ImGui::TextDisabled("%s", tr(S::inspector_layer));
        ImGui::SameLine();
        ImGui::TextUnformatted(layer ? localized(layer->title_de, layer->title_en).c_str()
                                     : picked->layer_title.c_str());
        if (file_names) ImGui::TextDisabled("%s", picked->tile.c_str());
        ImGui::Separator();
        ImGui::TextDisabled("%s", tr(S::inspector_attributes));
        // (title, value) in the order to show.
        std::vector<std::pair<const std::string*, const std::string*>> rows;
        if (layer) {
            for (const twin::Attribute& a : layer->attributes)
                for (const auto& [name, value] : picked->attributes)
                    if (name == a.name) rows.emplace_back(&localized(a.title_de, a.title_en), &value);
        } else {
            for (const auto& [name, value] : picked->attributes)
                rows.emplace_back(&name, &value);
        }
        if (rows.empty()) {
            ImGui::TextUnformatted(tr(S::inspector_no_attributes));
        } else if (ImGui::BeginTable("##attributes", 2,
                                     ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            for (const auto& [title, value] : rows) {
                ImGui::TableNextRow();
                ImGui::TableSetColumnIndex(0);
                ImGui::TextDisabled("%s", title->c_str());
                ImGui::TableSetColumnIndex(1);
                ImGui::TextWrapped("%s", attribute_text(*value).c_str());
            }
            ImGui::EndTable();
        }
    }
    panel_end();
}

}  // namespace zw::viewer
