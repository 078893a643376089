#include "engine/render/frustum.h"

namespace zw::render {

Frustum::Frustum(const glm::dmat4& vp) {
    const glm::dvec4 row0{vp[0][0], vp[1][0], vp[2][0], vp[3][0]};
    const glm::dvec4 row1{vp[0][1], vp[1][1], vp[2][1], vp[3][1]};
    const glm::dvec4 row2{vp[0][2], vp[1][2], vp[2][2], vp[3][2]};
    const glm::dvec4 row3{vp[0][3], vp[1][3], vp[2][3], vp[3][3]};
    const glm::dvec4 candidates[6] = {row3 + row0, row3 - row0, row3 + row1, row3 - row1, row2, row3 - row2};
    for (const glm::dvec4& p : candidates) {
        const double len = glm::length(glm::dvec3(p));
        if (len < 1e-12) continue;
        planes_[count_++] = p / len;
    }
}

bool Frustum::intersects(const geo::Aabb& box) const {
    if (!box.valid()) return false;
    for (int i = 0; i < count_; ++i) {
        const glm::dvec4& p = planes_[i];
        // The box corner furthest along the plane normal.
        const glm::dvec3 v{p.x >= 0 ? box.max.x : box.min.x, p.y >= 0 ? box.max.y : box.min.y,
                           p.z >= 0 ? box.max.z : box.min.z};
        if (glm::dot(glm::dvec3(p), v) + p.w < 0) return false;
    }
    return true;
}

}  // namespace zw::render
