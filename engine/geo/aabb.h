// Axis-aligned boxes in double precision: bounds of meshes, models and tiles. Pure math.
#pragma once

#include <glm/glm.hpp>

namespace zw::geo {

struct Aabb {
    glm::dvec3 min{1e300};
    glm::dvec3 max{-1e300};
    bool valid() const { return min.x <= max.x && min.y <= max.y && min.z <= max.z; }
    void extend(const glm::dvec3& p) {
        min = glm::min(min, p);
        max = glm::max(max, p);
    }
    void extend(const Aabb& b) {
        if (b.valid()) {
            extend(b.min);
            extend(b.max);
        }
    }
    glm::dvec3 center() const { return (min + max) * 0.5; }
};

// The box that contains `box` after transforming it by `m` (tight for its 8 corners).
Aabb transform_aabb(const Aabb& box, const glm::dmat4& m);

}  // namespace zw::geo
