#include "engine/scenario/traffic/road_pick.h"

#include <algorithm>
#include <cmath>

#include "engine/scenario/traffic/routing.h"

namespace zw::scenario::traffic {

std::optional<EdgeHit> nearest_edge(const Network& net, glm::dvec2 p, std::string_view vclass,
                                    double max_distance_m) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return std::nullopt;
    std::optional<EdgeHit> best;
    for (const Edge& e : net.edges) {
        if (e.internal()) continue;
        for (const Lane& lane : e.lanes) {
            if (!lane_allows(lane, vclass)) continue;
            // A lane of one point (never from netconvert) is that point.
            for (size_t k = 0; k < lane.shape.size(); ++k) {
                const glm::dvec3 a = lane.shape[k];
                const glm::dvec3 b = k + 1 < lane.shape.size() ? lane.shape[k + 1] : a;
                if (k + 1 == lane.shape.size() && k > 0) break;
                const glm::dvec2 d = glm::dvec2(b) - glm::dvec2(a);
                const double len2 = glm::dot(d, d);
                const double t = len2 > 0 ? std::clamp(glm::dot(p - glm::dvec2(a), d) / len2, 0.0, 1.0) : 0.0;
                const glm::dvec3 at = a + t * (b - a);
                const double dist = glm::length(p - glm::dvec2(at));
                if (dist > max_distance_m || (best && dist >= best->distance_m)) continue;
                best = EdgeHit{&e, dist, at};
            }
        }
    }
    return best;
}

const Edge* reverse_edge(const Network& net, const Edge& edge) {
    if (edge.internal()) return nullptr;
    for (const Edge& e : net.edges)
        if (!e.internal() && e.from == edge.to && e.to == edge.from && &e != &edge) return &e;
    return nullptr;
}

std::vector<std::string> segment_edges(const Network& net, std::string_view edge_id) {
    const Edge* e = net.edge(edge_id);
    if (!e || e->internal()) return {};
    std::vector<std::string> out{e->id};
    if (const Edge* r = reverse_edge(net, *e)) out.push_back(r->id);
    return out;
}

std::vector<std::string> street_edges(const Network& net, std::string_view name) {
    std::vector<std::string> out;
    if (name.empty()) return out;
    for (const Edge& e : net.edges)
        if (!e.internal() && e.name == name) out.push_back(e.id);
    return out;
}

std::vector<std::string> street_names(const Network& net, std::string_view vclass) {
    std::vector<std::string> out;
    for (const Edge& e : net.edges)
        if (!e.internal() && !e.name.empty() && edge_allows(e, vclass)) out.push_back(e.name);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace zw::scenario::traffic
