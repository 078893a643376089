// View-frustum culling against axis-aligned boxes. Pure math, no Vulkan.
#pragma once

#include <array>

#include <glm/glm.hpp>

namespace zw::render {

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

class Frustum {
  public:
    // Planes from a Vulkan clip matrix (0 <= z <= w), Gribb-Hartmann style. Planes
    // that degenerate (the far plane of an infinite reverse-Z projection) are dropped.
    explicit Frustum(const glm::dmat4& view_projection);

    // False only when the box is certainly outside (conservative near frustum corners).
    bool intersects(const Aabb& box) const;
    int plane_count() const { return count_; }

  private:
    std::array<glm::dvec4, 6> planes_{};
    int count_ = 0;
};

}  // namespace zw::render
