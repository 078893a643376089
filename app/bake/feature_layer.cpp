#include "app/bake/feature_layer.h"

namespace zw::bake {

const char* access_name(Access a) {
    switch (a) {
        case Access::citizen:
            return "citizen";
        case Access::council:
            return "council";
        case Access::administration:
            return "administration";
    }
    return "?";
}

bool has_critical_sites(const FeatureLayer& layer) {
    return std::any_of(layer.features.begin(), layer.features.end(),
                       [](const Feature& f) { return !f.generic_values.empty(); });
}

FeatureLayer generic_view(const FeatureLayer& layer) {
    FeatureLayer out;
    out.id = layer.id;
    out.title_de = layer.title_de;
    out.title_en = layer.title_en;
    out.group = layer.group;
    out.access = layer.access;
    out.feature_class = layer.feature_class;
    out.features.resize(layer.features.size());
    for (size_t i = 0; i < layer.features.size(); ++i) {
        const Feature& f = layer.features[i];
        out.features[i].values = f.generic_values.empty() ? f.values : f.generic_values;
    }
    return out;
}

void TriMesh::append(const TriMesh& other) {
    const auto base = static_cast<uint32_t>(positions.size());
    positions.insert(positions.end(), other.positions.begin(), other.positions.end());
    normals.insert(normals.end(), other.normals.begin(), other.normals.end());
    colors.insert(colors.end(), other.colors.begin(), other.colors.end());
    indices.reserve(indices.size() + other.indices.size());
    for (uint32_t i : other.indices)
        indices.push_back(base + i);
}

}  // namespace zw::bake
