// The networks derived from the laid-out town: the road graph, the water bodies and the
// utility lines along the streets.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/bake/layout.h"
#include "app/bake/town.h"

namespace zw::bake {

using glm::dvec2;

void build_road_graph(Town& town) {
    struct Split {
        size_t seg;
        double t;
        uint32_t node;
    };
    std::vector<std::vector<Split>> splits(town.roads.size());
    auto node_at = [&](dvec2 p) -> uint32_t {
        for (size_t i = 0; i < town.nodes.size(); ++i) {
            const glm::dvec3& q = town.nodes[i].position;
            if (glm::length(dvec2(q) - p) < 1.0) return uint32_t(i);
        }
        town.nodes.push_back({glm::dvec3(p, town.terrain.height(p.x, p.y))});
        return uint32_t(town.nodes.size() - 1);
    };
    // End points.
    for (size_t r = 0; r < town.roads.size(); ++r) {
        const auto& pts = town.roads[r].points;
        splits[r].push_back({0, 0, node_at(pts.front())});
        splits[r].push_back({pts.size() - 2, 1, node_at(pts.back())});
    }
    // Crossings.
    for (size_t r1 = 0; r1 < town.roads.size(); ++r1) {
        const auto& a = town.roads[r1].points;
        for (size_t r2 = r1 + 1; r2 < town.roads.size(); ++r2) {
            const auto& b = town.roads[r2].points;
            for (size_t i = 0; i + 1 < a.size(); ++i) {
                for (size_t j = 0; j + 1 < b.size(); ++j) {
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
            for (size_t r2 = 0; r2 < town.roads.size(); ++r2) {
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
