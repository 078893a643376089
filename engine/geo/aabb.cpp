#include "engine/geo/aabb.h"

namespace zw::geo {

Aabb transform_aabb(const Aabb& box, const glm::dmat4& m) {
    Aabb out;
    if (!box.valid()) return out;
    for (int i = 0; i < 8; ++i) {
        const glm::dvec3 corner{(i & 1) ? box.max.x : box.min.x, (i & 2) ? box.max.y : box.min.y,
                                (i & 4) ? box.max.z : box.min.z};
        out.extend(glm::dvec3(m * glm::dvec4(corner, 1.0)));
    }
    return out;
}

}  // namespace zw::geo
