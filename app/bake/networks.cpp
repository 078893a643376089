// The networks derived from the laid-out town: the road graph, the water bodies and the
// utility lines along the streets.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/bake/layout.h"
#include "app/bake/town.h"

namespace zw::bake {

using glm::dvec2;

namespace {

// Roads by the grid cells their bounds (grown by `pad`) touch: which roads can meet
// which. Only prunes; the order of the tests (and so of the nodes) stays the one of
// the plain all-pairs loops, so the graph is the same as theirs.
class RoadIndex {
  public:
    RoadIndex(const std::vector<Road>& roads, double pad) : pad_(pad) {
        for (const Road& r : roads) {
            glm::dvec2 lo(1e300), hi(-1e300);
            for (const dvec2& p : r.points) {
                lo = glm::min(lo, p);
                hi = glm::max(hi, p);
            }
            lo_.push_back(lo - pad);
            hi_.push_back(hi + pad);
        }
        for (uint32_t r = 0; r < roads.size(); ++r)
            for_cells(lo_[r], hi_[r], [&](int64_t k) { cells_[k].push_back(r); });
    }
    // Roads whose bounds overlap [lo, hi], ascending.
    std::vector<uint32_t> near(dvec2 lo, dvec2 hi) const {
        std::vector<uint32_t> out;
        for_cells(lo, hi, [&](int64_t k) {
            if (auto it = cells_.find(k); it != cells_.end())
                for (uint32_t r : it->second)
                    if (lo_[r].x <= hi.x && hi_[r].x >= lo.x && lo_[r].y <= hi.y && hi_[r].y >= lo.y)
                        out.push_back(r);
        });
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }
    std::vector<uint32_t> near_road(uint32_t r) const { return near(lo_[r], hi_[r]); }

  private:
    template <typename F>
    void for_cells(dvec2 lo, dvec2 hi, F&& f) const {
        for (auto i = int64_t(std::floor(lo.x / cell)); i <= int64_t(std::floor(hi.x / cell)); ++i)
            for (auto j = int64_t(std::floor(lo.y / cell)); j <= int64_t(std::floor(hi.y / cell)); ++j)
                f(cell_key(i, j));
    }
    static constexpr double cell = 256;
    double pad_;
    std::vector<dvec2> lo_, hi_;
    std::unordered_map<int64_t, std::vector<uint32_t>> cells_;
};

}  // namespace

void build_road_graph(Town& town) {
    struct Split {
        size_t seg;
        double t;
        uint32_t node;
    };
    std::vector<std::vector<Split>> splits(town.roads.size());
    // Nodes by 2 m cells: the first node (lowest index) within 1 m, as a scan would find.
    std::unordered_map<int64_t, std::vector<uint32_t>> node_cells;
    auto node_key = [](dvec2 p) {
        return std::pair{int64_t(std::floor(p.x / 2)), int64_t(std::floor(p.y / 2))};
    };
    auto node_at = [&](dvec2 p) -> uint32_t {
        const auto [ci, cj] = node_key(p);
        uint32_t best = UINT32_MAX;
        for (int64_t i = ci - 1; i <= ci + 1; ++i)
            for (int64_t j = cj - 1; j <= cj + 1; ++j)
                if (auto it = node_cells.find(cell_key(i, j)); it != node_cells.end())
                    for (uint32_t n : it->second)
                        if (n < best && glm::length(dvec2(town.nodes[n].position) - p) < 1.0) best = n;
        if (best != UINT32_MAX) return best;
        town.nodes.push_back({glm::dvec3(p, town.terrain.height(p.x, p.y))});
        const auto n = uint32_t(town.nodes.size() - 1);
        const auto [ni, nj] = node_key(dvec2(town.nodes[n].position));
        node_cells[cell_key(ni, nj)].push_back(n);
        return n;
    };
    // End points.
    for (size_t r = 0; r < town.roads.size(); ++r) {
        const auto& pts = town.roads[r].points;
        splits[r].push_back({0, 0, node_at(pts.front())});
        splits[r].push_back({pts.size() - 2, 1, node_at(pts.back())});
    }
    const RoadIndex index(town.roads, 1.0);
    // Crossings.
    for (size_t r1 = 0; r1 < town.roads.size(); ++r1) {
        const auto& a = town.roads[r1].points;
        for (uint32_t r2 : index.near_road(uint32_t(r1))) {
            if (r2 <= r1) continue;
            const auto& b = town.roads[r2].points;
            for (size_t i = 0; i + 1 < a.size(); ++i) {
                const dvec2 alo = glm::min(a[i], a[i + 1]) - 1.0, ahi = glm::max(a[i], a[i + 1]) + 1.0;
                for (size_t j = 0; j + 1 < b.size(); ++j) {
                    // Segments whose bounds do not meet cannot cross.
                    if (std::max(b[j].x, b[j + 1].x) < alo.x || std::min(b[j].x, b[j + 1].x) > ahi.x ||
                        std::max(b[j].y, b[j + 1].y) < alo.y || std::min(b[j].y, b[j + 1].y) > ahi.y)
                        continue;
                    const dvec2 p = a[i], r = a[i + 1] - a[i], q = b[j], s = b[j + 1] - b[j];
                    const double den = r.x * s.y - r.y * s.x;
                    if (std::abs(den) < 1e-12) continue;
                    const double t = ((q.x - p.x) * s.y - (q.y - p.y) * s.x) / den;
                    const double u = ((q.x - p.x) * r.y - (q.y - p.y) * r.x) / den;
                    if (t < -1e-9 || t > 1 + 1e-9 || u < -1e-9 || u > 1 + 1e-9) continue;
                    const uint32_t n = node_at(p + t * r);
                    splits[r1].push_back({i, std::clamp(t, 0.0, 1.0), n});
                    splits[r2].push_back({j, std::clamp(u, 0.0, 1.0), n});
                }
            }
        }
    }
    // T-junctions: an end point lying on another road.
    for (size_t r1 = 0; r1 < town.roads.size(); ++r1) {
        for (const dvec2& end : {town.roads[r1].points.front(), town.roads[r1].points.back()}) {
            for (uint32_t r2 : index.near(end, end)) {
                if (r2 == r1) continue;
                const auto& b = town.roads[r2].points;
                for (size_t j = 0; j + 1 < b.size(); ++j) {
                    double t;
                    if (point_segment_distance(end, b[j], b[j + 1], &t) < 0.5) {
                        splits[r2].push_back({j, t, node_at(end)});
                        break;
                    }
                }
            }
        }
    }
    for (size_t r = 0; r < town.roads.size(); ++r) {
        auto& sp = splits[r];
        std::sort(sp.begin(), sp.end(), [](const Split& x, const Split& y) {
            return x.seg != y.seg ? x.seg < y.seg : (x.t != y.t ? x.t < y.t : x.node < y.node);
        });
        const auto& pts = town.roads[r].points;
        auto point_of = [&](const Split& s) { return pts[s.seg] + s.t * (pts[s.seg + 1] - pts[s.seg]); };
        for (size_t k = 0; k + 1 < sp.size(); ++k) {
            const Split& a = sp[k];
            const Split& b = sp[k + 1];
            if (a.node == b.node) continue;
            RoadEdge e;
            e.from = a.node;
            e.to = b.node;
            e.road = uint32_t(r);
            e.shape.push_back(point_of(a));
            for (size_t i = a.seg + 1; i <= b.seg; ++i)
                e.shape.push_back(pts[i]);
            e.shape.push_back(point_of(b));
            // Drop repeated points.
            std::vector<dvec2> clean{e.shape.front()};
            for (size_t i = 1; i < e.shape.size(); ++i)
                if (glm::length(e.shape[i] - clean.back()) > 0.05) clean.push_back(e.shape[i]);
            if (clean.size() < 2) continue;
            e.shape = std::move(clean);
            // Split points within 1 m share a node: the shape ends exactly at the nodes.
            e.shape.front() = dvec2(town.nodes[e.from].position);
            e.shape.back() = dvec2(town.nodes[e.to].position);
            e.length = polyline_length(e.shape);
            town.edges.push_back(std::move(e));
        }
    }
}

void add_water_bodies(Town& town_, const Recipe& recipe_) {
    const Terrain& t = town_.terrain;
    WaterBody creek;
    creek.id = "WDF-G-001";
    creek.name = recipe_.creek_name;
    creek.kind = "Bach";
    creek.line = t.creek_line(8);
    creek.width = t.channel_half_width() * 2 * 0.9;
    town_.water.push_back(creek);
    int n = 2;
    for (const Pond& p : t.ponds()) {
        WaterBody w;
        char id[32];
        std::snprintf(id, sizeof id, "WDF-G-%03d", n++);
        w.id = id;
        w.name = p.name;
        w.kind = "Weiher";
        w.outline = p.outline(4);
        w.level = p.water_level;
        town_.water.push_back(w);
    }
}

void add_utilities(Town& town_, Rng& rng_) {
    const Terrain& terrain = town_.terrain;
    int water = 0, sewer = 0, power = 0;
    auto make_id = [](const char* prefix, int n) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%s-%05d", prefix, n);
        return std::string(buf);
    };
    const double radius = terrain.built_up_radius();
    for (const RoadEdge& e : town_.edges) {
        const Road& road = town_.roads[e.road];
        if (road.cls == RoadClass::track) continue;
        const dvec2 mid = e.shape[e.shape.size() / 2];
        if (glm::length(mid) > radius + 80) continue;
        auto offset_line = [&](double off) {
            std::vector<dvec2> out;
            for (size_t i = 0; i < e.shape.size(); ++i) {
                const dvec2 a = e.shape[i > 0 ? i - 1 : 0], b = e.shape[std::min(i + 1, e.shape.size() - 1)];
                const dvec2 t = glm::normalize(b - a);
                out.push_back(e.shape[i] + off * dvec2(t.y, -t.x));
            }
            return out;
        };
        const int year = rng_.range(1958, 2022);
        UtilityLine w;
        w.id = make_id("TW", ++water);
        w.network = "Trinkwasser";
        w.year_laid = year;
        w.material = year < 1972 ? "Grauguss" : (year < 1992 ? "PVC-U" : "PE-HD");
        w.diameter_mm = road.cls == RoadClass::main ? 200 : (rng_.chance(0.5) ? 100 : 150);
        w.depth_m = 1.5;
        w.points = offset_line(2.5);
        town_.utilities.push_back(w);
        UtilityLine s;
        s.id = make_id("AW", ++sewer);
        s.network = "Abwasser";
        s.year_laid = year + rng_.range(-3, 3);
        s.material = s.year_laid < 1980 ? "Steinzeug" : (s.year_laid < 2000 ? "Betonrohr" : "PP-Kanalrohr");
        s.diameter_mm = road.cls == RoadClass::main ? 400 : (rng_.chance(0.5) ? 250 : 300);
        s.depth_m = rng_.uniform(2.5, 3.6);
        s.points = e.shape;
        town_.utilities.push_back(s);
        if (road.cls == RoadClass::main) {
            UtilityLine p;
            p.id = make_id("ST", ++power);
            p.network = "Strom";
            p.year_laid = rng_.range(1985, 2020);
            p.material = "NA2XS2Y 20 kV";
            p.diameter_mm = 60;
            p.depth_m = 0.8;
            p.points = offset_line(-2.5);
            town_.utilities.push_back(p);
        }
    }
}

}  // namespace zw::bake
