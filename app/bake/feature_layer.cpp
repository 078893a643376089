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
