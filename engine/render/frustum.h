// View-frustum culling against axis-aligned boxes. Pure math, no Vulkan.
#pragma once

#include <array>

#include <glm/glm.hpp>

#include "engine/geo/aabb.h"

namespace zw::render {

class Frustum {
  public:
    // Planes from a Vulkan clip matrix (0 <= z <= w), Gribb-Hartmann style. Planes
    // that degenerate (the far plane of an infinite reverse-Z projection) are dropped.
    explicit Frustum(const glm::dmat4& view_projection);

    // False only when the box is certainly outside (conservative near frustum corners).
    bool intersects(const geo::Aabb& box) const;
    int plane_count() const { return count_; }

  private:
    std::array<glm::dvec4, 6> planes_{};
    int count_ = 0;
};

}  // namespace zw::render
