// 2D layout helpers of the town generator: oriented rectangles, polylines, and the
// Placer that keeps track of which ground is taken (road corridors, footprints, the
// creek and the ponds). Bake-local metres, x east, y north.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include <glm/glm.hpp>

#include "app/bake/terrain.h"
#include "app/bake/town.h"

namespace zw::bake {

struct Obb {
    glm::dvec2 c{0.0};
    double angle = 0;
    glm::dvec2 half{0.0};
    glm::dvec2 axis_u() const { return {std::cos(angle), std::sin(angle)}; }
    glm::dvec2 axis_v() const { return {-std::sin(angle), std::cos(angle)}; }
    std::vector<glm::dvec2> corners() const {
        const glm::dvec2 u = axis_u() * half.x, v = axis_v() * half.y;
        return {c + u + v, c - u + v, c - u - v, c + u - v};
    }
};

inline Obb part_box(const BuildingPart& p) {
    return {p.centre, p.angle, {p.length / 2, p.width / 2}};
}

inline bool boxes_overlap(const Obb& a, const Obb& b, double margin) {
    const glm::dvec2 axes[4] = {a.axis_u(), a.axis_v(), b.axis_u(), b.axis_v()};
    for (const glm::dvec2& ax : axes) {
        auto project = [&](const Obb& o) {
            const double c = glm::dot(o.c, ax);
            const double r =
                std::abs(glm::dot(o.axis_u(), ax)) * o.half.x + std::abs(glm::dot(o.axis_v(), ax)) * o.half.y;
            return std::pair{c - r, c + r};
        };
        auto [a0, a1] = project(a);
        auto [b0, b1] = project(b);
        if (a1 + margin < b0 || b1 + margin < a0) return false;
    }
    return true;
}

// Does segment p0-p1 pass within `pad` of the box (box grown by pad, Liang-Barsky)?
inline bool segment_hits_box(const Obb& b, glm::dvec2 p0, glm::dvec2 p1, double pad) {
    const glm::dvec2 u = b.axis_u(), v = b.axis_v();
    const glm::dvec2 a{glm::dot(p0 - b.c, u), glm::dot(p0 - b.c, v)};
    const glm::dvec2 e{glm::dot(p1 - b.c, u), glm::dot(p1 - b.c, v)};
    const glm::dvec2 d = e - a;
    double t0 = 0, t1 = 1;
    const double lim[2] = {b.half.x + pad, b.half.y + pad};
    for (int k = 0; k < 2; ++k) {
        const double p[2] = {-d[k], d[k]};
        const double q[2] = {a[k] + lim[k], lim[k] - a[k]};
        for (int s = 0; s < 2; ++s) {
            if (p[s] == 0) {
                if (q[s] < 0) return false;
            } else {
                const double r = q[s] / p[s];
                if (p[s] < 0)
                    t0 = std::max(t0, r);
                else
                    t1 = std::min(t1, r);
            }
        }
    }
    return t0 <= t1;
}

inline double point_segment_distance(glm::dvec2 p, glm::dvec2 a, glm::dvec2 b, double* t_out = nullptr) {
    const glm::dvec2 d = b - a;
    const double len2 = glm::dot(d, d);
    const double t = len2 > 0 ? std::clamp(glm::dot(p - a, d) / len2, 0.0, 1.0) : 0.0;
    if (t_out) *t_out = t;
    return glm::length(p - (a + t * d));
}

inline double polyline_length(const std::vector<glm::dvec2>& pts) {
    double l = 0;
    for (size_t i = 1; i < pts.size(); ++i)
        l += glm::length(pts[i] - pts[i - 1]);
    return l;
}

// Point and unit tangent at arc length s.
inline std::pair<glm::dvec2, glm::dvec2> along(const std::vector<glm::dvec2>& pts, double s) {
    for (size_t i = 1; i < pts.size(); ++i) {
        const double l = glm::length(pts[i] - pts[i - 1]);
        if (s <= l || i + 1 == pts.size()) {
            const glm::dvec2 t = (pts[i] - pts[i - 1]) / std::max(l, 1e-9);
            return {pts[i - 1] + t * std::min(s, l), t};
        }
        s -= l;
    }
    return {pts.front(), {1, 0}};
}

inline int64_t cell_key(int64_t i, int64_t j) {
    return (i + (1 << 20)) * (int64_t(1) << 21) + (j + (1 << 20));
}

// Keeps track of what is taken: road corridors and building footprints.
class Placer {
  public:
    Placer(const Terrain& t) : terrain_(t) {}

    void add_road(const Road& r) {
        for (size_t i = 1; i < r.points.size(); ++i) {
            const uint32_t id = uint32_t(segs_.size());
            segs_.push_back({r.points[i - 1], r.points[i], r.width / 2});
            const glm::dvec2 lo = glm::min(r.points[i - 1], r.points[i]),
                             hi = glm::max(r.points[i - 1], r.points[i]);
            for_cells(lo, hi, [&](int64_t k) { road_cells_[k].push_back(id); });
        }
    }
    void occupy(const Obb& b) {
        const uint32_t id = uint32_t(boxes_.size());
        boxes_.push_back(b);
        const glm::dvec2 r{glm::length(b.half)};
        for_cells(b.c - r, b.c + r, [&](int64_t k) { box_cells_[k].push_back(id); });
    }
    // Free of roads (plus road_margin), other buildings (plus box_margin), creek and ponds,
    // and inside the town's square.
    // `bank`: how far from the creek channel's edge it must stay.
    bool free(const Obb& b, double road_margin, double box_margin, double bank = 9) const {
        const double lim = terrain_.half_extent() - 40;
        for (const glm::dvec2& p : b.corners()) {
            if (std::abs(p.x) > lim || std::abs(p.y) > lim) return false;
            if (terrain_.creek_distance(p.x, p.y) < terrain_.channel_half_width() + bank) return false;
            if (terrain_.pond_distance(p) < std::min(bank, 8.0)) return false;
        }
        if (terrain_.creek_distance(b.c.x, b.c.y) < terrain_.channel_half_width() + bank) return false;
        const double r = glm::length(b.half);
        bool hit = false;
        for_cells(b.c - glm::dvec2(r + 12), b.c + glm::dvec2(r + 12), [&](int64_t k) {
            if (hit) return;
            if (auto it = road_cells_.find(k); it != road_cells_.end())
                for (uint32_t s : it->second)
                    if (segment_hits_box(b, segs_[s].a, segs_[s].b, segs_[s].pad + road_margin)) hit = true;
            if (auto it = box_cells_.find(k); it != box_cells_.end())
                for (uint32_t o : it->second)
                    if (boxes_overlap(b, boxes_[o], box_margin)) hit = true;
        });
        return !hit;
    }
    // A new street segment must not cut through buildings.
    bool street_clear(glm::dvec2 a, glm::dvec2 b, double pad) const {
        bool hit = false;
        for_cells(glm::min(a, b) - glm::dvec2(pad + 40), glm::max(a, b) + glm::dvec2(pad + 40),
                  [&](int64_t k) {
                      if (hit) return;
                      if (auto it = box_cells_.find(k); it != box_cells_.end())
                          for (uint32_t o : it->second)
                              if (segment_hits_box(boxes_[o], a, b, pad)) hit = true;
                  });
        return !hit;
    }
    // The nearest point on any road, within max_distance.
    bool nearest_road(glm::dvec2 p, double max_distance, glm::dvec2& out) const {
        double best = max_distance;
        bool found = false;
        for_cells(p - glm::dvec2(max_distance), p + glm::dvec2(max_distance), [&](int64_t k) {
            if (auto it = road_cells_.find(k); it != road_cells_.end())
                for (uint32_t s : it->second) {
                    double t;
                    const double d = point_segment_distance(p, segs_[s].a, segs_[s].b, &t);
                    if (d < best) {
                        best = d;
                        out = segs_[s].a + t * (segs_[s].b - segs_[s].a);
                        found = true;
                    }
                }
        });
        return found;
    }

  private:
    template <typename F>
    void for_cells(glm::dvec2 lo, glm::dvec2 hi, F&& f) const {
        for (auto i = int64_t(std::floor(lo.x / cell)); i <= int64_t(std::floor(hi.x / cell)); ++i)
            for (auto j = int64_t(std::floor(lo.y / cell)); j <= int64_t(std::floor(hi.y / cell)); ++j)
                f(cell_key(i, j));
    }
    static constexpr double cell = 64;
    struct Seg {
        glm::dvec2 a, b;
        double pad;
    };
    const Terrain& terrain_;
    std::vector<Seg> segs_;
    std::vector<Obb> boxes_;
    std::unordered_map<int64_t, std::vector<uint32_t>> road_cells_, box_cells_;
};

// Networks (networks.cpp): the creek and the ponds as water bodies; water mains, sewers
// and 20 kV cables along the streets of the road graph.
void add_water_bodies(Town& town, const Recipe& recipe);
void add_utilities(Town& town, Rng& rng);

}  // namespace zw::bake
