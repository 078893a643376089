#include "engine/render/picking.h"

#include <nlohmann/json.hpp>

namespace zw::render {

std::optional<size_t> choose_sample(std::span<const PickSample> region, int64_t x0, int64_t y0,
                                    uint32_t width, uint32_t height) {
    const auto side = int64_t(pick_region);
    if (region.size() < size_t(side * side)) return std::nullopt;
    const int64_t mid = side / 2;
    std::optional<size_t> best;
    int64_t best_d2 = INT64_MAX;
    for (int64_t row = 0; row < side; ++row)
        for (int64_t col = 0; col < side; ++col) {
            const int64_t x = x0 + col, y = y0 + row;
            if (x < 0 || y < 0 || x >= int64_t(width) || y >= int64_t(height)) continue;
            const PickSample& s = region[size_t(row * side + col)];
            if (!s.written || s.feature == no_feature) continue;
            const int64_t d2 = (row - mid) * (row - mid) + (col - mid) * (col - mid);
            if (d2 < best_d2) {
                best_d2 = d2;
                best = size_t(row * side + col);
            }
        }
    return best;
}

int find_id_column(const gltf::PropertyTable& table) {
    for (size_t i = 0; i < table.properties.size() && i < table.values.size(); ++i)
        if (table.properties[i] == "id") return int(i);
    return -1;
}

uint32_t find_feature(const gltf::PropertyTable& table, std::string_view id) {
    const int column = find_id_column(table);
    if (column < 0 || id.empty()) return no_feature;
    const std::vector<std::string>& ids = table.values[size_t(column)];
    for (size_t row = 0; row < ids.size(); ++row)
        if (ids[row] == id) return uint32_t(row);
    return no_feature;
}

uint32_t highlighted_feature(const gltf::Model& model, const std::string* content, uint32_t layer,
                             int32_t table, const Highlight& h) {
    if (!h.active() || layer != h.layer) return no_feature;
    const bool same_content = content ? *content == h.content : h.content.empty();
    if (!h.id.empty() && table >= 0 && size_t(table) < model.property_tables.size()) {
        const gltf::PropertyTable& t = model.property_tables[size_t(table)];
        if (find_id_column(t) >= 0) return find_feature(t, h.id);
    }
    // Without ids, only the content it was picked in knows which feature was meant.
    return same_content && table == h.table ? h.feature : no_feature;
}

std::vector<std::pair<std::string, std::string>> feature_attributes(const gltf::Model& model, int32_t table,
                                                                    uint32_t feature) {
    std::vector<std::pair<std::string, std::string>> out;
    if (table < 0 || size_t(table) >= model.property_tables.size()) return out;
    const gltf::PropertyTable& t = model.property_tables[size_t(table)];
    for (size_t i = 0; i < t.properties.size() && i < t.values.size(); ++i)
        if (feature < t.values[i].size()) out.emplace_back(t.properties[i], t.values[i][feature]);
    return out;
}

std::string tile_path(std::string_view tileset_uri, std::string_view content) {
    // The folder above the tileset's own folder: ".../twin/buildings/tileset.json" -> ".../twin/".
    const size_t file = tileset_uri.find_last_of('/');
    if (file == std::string_view::npos || file == 0) return std::string(content);
    const size_t folder = tileset_uri.find_last_of('/', file - 1);
    const std::string_view root = tileset_uri.substr(0, folder == std::string_view::npos ? 0 : folder + 1);
    if (root.empty() || content.size() <= root.size() || content.substr(0, root.size()) != root)
        return std::string(content);
    return std::string(content.substr(root.size()));
}

Highlight highlight_of(const PickResult& r) {
    Highlight h;
    if (!r.hit) return h;
    h.id = r.id;
    h.content = r.content;
    h.layer = r.layer_index;
    h.table = r.table;
    h.feature = r.feature;
    return h;
}

std::string pick_json(const PickResult& r) {
    nlohmann::ordered_json j;
    j["x"] = r.x;
    j["y"] = r.y;
    j["hit"] = r.hit;
    if (r.hit) {
        j["layer"] = r.layer;
        j["layer_title"] = r.layer_title;
        j["tile"] = r.tile;
        j["feature"] = r.feature;
        if (!r.id.empty()) j["id"] = r.id;
        nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
        for (const auto& [name, value] : r.attributes)
            attributes[name] = value;
        j["attributes"] = std::move(attributes);
    }
    // Attribute text is meant to be UTF-8; anything else is replaced rather than refused.
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace zw::render
