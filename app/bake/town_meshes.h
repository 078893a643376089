// Mesh builders of the bake, in the bake-local frame: building parts and their coarse
// blocks, boxes, flat faces, ribbons (roads, the creek, outlines), tubes (pipes) and
// trees. Triangles face outwards (counter-clockwise seen from outside), normals are per
// face unless said otherwise. add_part, add_block and add_box are shared with the
// importers and tests (through app/bake/town_layers.h); the others draw the town's layers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include <glm/glm.hpp>

#include "app/bake/feature_layer.h"
#include "app/bake/town.h"

namespace zw::bake {

// The water in a round tank (a sewage works' basins, RoofType::cylinder): add_part draws
// it in this colour, and a critical site's generic colours replace it.
constexpr Rgba8 tank_water{0x5f, 0x7f, 0x6a, 255};

void add_part(TriMesh& mesh, const BuildingPart& part);   // walls and roof
void add_block(TriMesh& mesh, const BuildingPart& part);  // coarse stand-in: a box
void add_box(TriMesh& mesh, const glm::dvec3& lo, const glm::dvec3& hi, Rgba8 color);  // axis-aligned

// A planar polygon (convex, 3 or 4 points) facing `outward`; nothing when degenerate.
void add_face(TriMesh& m, std::vector<glm::dvec3> pts, const glm::dvec3& outward, Rgba8 color);

// Points every `step` metres along a polyline (ends included).
std::vector<glm::dvec2> resample(const std::vector<glm::dvec2>& pts, double step);

// A ribbon of `width` along `pts`, each point lifted by `z(point)`.
template <typename ZFn>
void add_ribbon(TriMesh& m, const std::vector<glm::dvec2>& pts, double width, Rgba8 color, ZFn&& z) {
    if (pts.size() < 2) return;
    const auto base = uint32_t(m.positions.size());
    for (size_t i = 0; i < pts.size(); ++i) {
        const glm::dvec2 a = pts[i > 0 ? i - 1 : 0], b = pts[std::min(i + 1, pts.size() - 1)];
        glm::dvec2 t = b - a;
        t = glm::length(t) > 0 ? glm::normalize(t) : glm::dvec2(1, 0);
        const glm::dvec2 n{-t.y, t.x};
        for (int side = -1; side <= 1; side += 2) {
            const glm::dvec2 p = pts[i] + n * (side * width / 2);
            m.positions.push_back(glm::dvec3(p, z(p)));
            m.normals.push_back({0, 0, 1});
            m.colors.push_back(color);
        }
    }
    for (uint32_t i = 0; i + 1 < pts.size(); ++i) {
        // Per point: the right edge first (side -1), then the left.
        const uint32_t right0 = base + 2 * i, left0 = right0 + 1, right1 = right0 + 2, left1 = right0 + 3;
        // Counter-clockwise seen from above.
        m.indices.insert(m.indices.end(), {right0, right1, left1, right0, left1, left0});
    }
}

// A tube of radius r along a 3D polyline (hexagonal cross-section, smooth normals).
void add_tube(TriMesh& m, const std::vector<glm::dvec3>& pts, double r, Rgba8 color);

// A tree: a square trunk and a six-sided crown with smooth normals (a cone for
// conifers, a double cone with a wide middle for broadleaves): 30 vertices.
void add_tree(TriMesh& m, const Tree& t);

}  // namespace zw::bake
