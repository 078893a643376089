#include "engine/scenario/traffic/routing.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>

namespace zw::scenario::traffic {
namespace {

// Whether the space-separated list holds `word`.
bool lists(std::string_view list, std::string_view word) {
    size_t at = 0;
    while (at < list.size()) {
        const size_t start = list.find_first_not_of(" \t", at);
        if (start == std::string_view::npos) break;
        const size_t end = std::min(list.find_first_of(" \t", start), list.size());
        if (list.substr(start, end - start) == word) return true;
        at = end;
    }
    return false;
}

size_t index_of(const Network& net, const Edge* e) {
    return size_t(e - net.edges.data());
}

// Edges by the junction they leave, for networks without connections.
std::unordered_map<std::string, std::vector<uint32_t>> edges_leaving(const Network& net) {
    std::unordered_map<std::string, std::vector<uint32_t>> out;
    for (size_t i = 0; i < net.edges.size(); ++i)
        if (!net.edges[i].internal()) out[net.edges[i].from].push_back(uint32_t(i));
    return out;
}

}  // namespace

bool lane_allows(const Lane& lane, std::string_view vclass) {
    if (!lane.allow.empty()) return lists(lane.allow, vclass) || lists(lane.allow, "all");
    if (!lane.disallow.empty()) return !lists(lane.disallow, vclass) && !lists(lane.disallow, "all");
    return true;
}

bool edge_allows(const Edge& edge, std::string_view vclass) {
    if (edge.internal()) return false;
    for (const Lane& l : edge.lanes)
        if (lane_allows(l, vclass)) return true;
    return false;
}

double polyline_length(const std::vector<glm::dvec3>& points) {
    double sum = 0;
    for (size_t i = 1; i < points.size(); ++i)
        sum += glm::length(glm::dvec2(points[i]) - glm::dvec2(points[i - 1]));
    return sum;
}

RouteGraph route_graph(const Network& net, std::string_view vclass, double speed_factor) {
    const size_t n = net.edges.size();
    RouteGraph g;
    g.usable.assign(n, 0);
    g.length_m.assign(n, 0.0);
    g.time_s.assign(n, 0.0);
    g.lane.assign(n, -1);
    g.next.assign(n, {});
    if (!(speed_factor > 0)) speed_factor = 1.0;
    for (size_t i = 0; i < n; ++i) {
        const Edge& e = net.edges[i];
        if (e.internal()) continue;
        double speed = 0;
        for (const Lane& l : e.lanes) {
            if (!lane_allows(l, vclass)) continue;
            if (g.lane[i] < 0) {
                g.lane[i] = l.index;
                g.length_m[i] = l.length;
            }
            speed = std::max(speed, l.speed);
        }
        // A lane with no speed cannot be driven: the edge is not usable.
        if (g.lane[i] < 0 || !(speed > 0)) {
            g.lane[i] = -1;
            g.length_m[i] = 0;
            continue;
        }
        g.usable[i] = 1;
        g.time_s[i] = g.length_m[i] / (speed * speed_factor);
    }

    g.by_connections = !net.connections.empty();
    if (g.by_connections) {
        for (const Connection& c : net.connections) {
            const Edge* from = net.edge(c.from);
            const Edge* to = net.edge(c.to);
            if (!from || !to) continue;
            const size_t a = index_of(net, from), b = index_of(net, to);
            if (!g.usable[a] || !g.usable[b]) continue;
            if (c.from_lane < 0 || size_t(c.from_lane) >= from->lanes.size() || c.to_lane < 0 ||
                size_t(c.to_lane) >= to->lanes.size())
                continue;
            if (!lane_allows(from->lanes[size_t(c.from_lane)], vclass) ||
                !lane_allows(to->lanes[size_t(c.to_lane)], vclass))
                continue;
            g.next[a].push_back(uint32_t(b));
        }
    } else {
        const auto leaving = edges_leaving(net);
        for (size_t i = 0; i < n; ++i) {
            if (!g.usable[i]) continue;
            const Edge& e = net.edges[i];
            const auto it = leaving.find(e.to);
            if (it == leaving.end()) continue;
            for (const uint32_t k : it->second)
                if (g.usable[k] && net.edges[k].to != e.from) g.next[i].push_back(k);
        }
    }
    for (auto& list : g.next) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }
    return g;
}

ShortestTimes shortest_times(const RouteGraph& graph, uint32_t start_edge, double start_fraction,
                             const std::vector<uint8_t>& closed) {
    const size_t n = graph.edge_count();
    ShortestTimes out;
    out.start_s.assign(n, unreachable_s);
    out.via.assign(n, no_edge);
    auto is_closed = [&](uint32_t e) { return !closed.empty() && closed[e]; };
    if (start_edge >= n || !graph.usable[start_edge] || is_closed(start_edge)) return out;

    using Item = std::pair<double, uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
    const double rest = (1.0 - std::clamp(start_fraction, 0.0, 1.0)) * graph.time_s[start_edge];
    for (const uint32_t k : graph.next[start_edge]) {
        if (is_closed(k) || !(rest < out.start_s[k])) continue;
        out.start_s[k] = rest;
        out.via[k] = start_edge;
        queue.push({rest, k});
    }
    while (!queue.empty()) {
        const auto [t, e] = queue.top();
        queue.pop();
        if (t > out.start_s[e]) continue;  // a stale entry
        const double end = t + graph.time_s[e];
        for (const uint32_t k : graph.next[e]) {
            if (is_closed(k) || !(end < out.start_s[k])) continue;
            out.start_s[k] = end;
            out.via[k] = e;
            queue.push({end, k});
        }
    }
    return out;
}

std::vector<uint32_t> fastest_route(const RouteGraph& graph, uint32_t from, uint32_t to,
                                    const std::vector<uint8_t>& closed) {
    const size_t n = graph.edge_count();
    if (from >= n || to >= n || !graph.usable[from] || !graph.usable[to]) return {};
    if (!closed.empty() && (closed[from] || closed[to])) return {};
    if (from == to) return {from};
    const ShortestTimes times = shortest_times(graph, from, 0.0, closed);
    if (times.start_s[to] == unreachable_s) return {};
    std::vector<uint32_t> route{to};
    // Each step goes to an edge reached earlier: at most n steps.
    for (uint32_t at = times.via[to]; at != from && route.size() <= n; at = times.via[at]) {
        if (at == no_edge) return {};
        route.push_back(at);
    }
    route.push_back(from);
    std::reverse(route.begin(), route.end());
    return route;
}

std::vector<uint8_t> largest_strongly_connected(const RouteGraph& graph) {
    const size_t n = graph.edge_count();
    std::vector<std::vector<uint32_t>> back(n);
    for (size_t i = 0; i < n; ++i)
        for (const uint32_t k : graph.next[i])
            back[k].push_back(uint32_t(i));

    // Kosaraju, both passes iterative: finishing order on the graph, then components on
    // the reversed graph in reverse finishing order.
    std::vector<uint32_t> order;
    order.reserve(n);
    std::vector<uint8_t> seen(n, 0);
    std::vector<std::pair<uint32_t, size_t>> stack;
    for (size_t s = 0; s < n; ++s) {
        if (!graph.usable[s] || seen[s]) continue;
        seen[s] = 1;
        stack.push_back({uint32_t(s), 0});
        while (!stack.empty()) {
            auto& [e, at] = stack.back();
            if (at < graph.next[e].size()) {
                const uint32_t k = graph.next[e][at++];
                if (!seen[k]) {
                    seen[k] = 1;
                    stack.push_back({k, 0});
                }
            } else {
                order.push_back(e);
                stack.pop_back();
            }
        }
    }
    std::vector<int64_t> component(n, -1);
    std::vector<size_t> size;
    std::vector<uint32_t> lowest;
    std::vector<uint32_t> todo;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        if (component[*it] >= 0) continue;
        const auto c = int64_t(size.size());
        size.push_back(0);
        lowest.push_back(*it);
        component[*it] = c;
        todo.push_back(*it);
        while (!todo.empty()) {
            const uint32_t e = todo.back();
            todo.pop_back();
            ++size.back();
            lowest.back() = std::min(lowest.back(), e);
            for (const uint32_t k : back[e])
                if (graph.usable[k] && component[k] < 0) {
                    component[k] = c;
                    todo.push_back(k);
                }
        }
    }
    std::vector<uint8_t> out(n, 0);
    if (size.empty()) return out;
    size_t best = 0;
    for (size_t c = 1; c < size.size(); ++c)
        if (size[c] > size[best] || (size[c] == size[best] && lowest[c] < lowest[best])) best = c;
    for (size_t i = 0; i < n; ++i)
        out[i] = component[i] == int64_t(best) ? 1 : 0;
    return out;
}

std::vector<uint8_t> connected_to(const RouteGraph& graph, const std::vector<uint8_t>& set, bool forward) {
    const size_t n = graph.edge_count();
    std::vector<std::vector<uint32_t>> back;
    if (forward) {
        back.assign(n, {});
        for (size_t i = 0; i < n; ++i)
            for (const uint32_t k : graph.next[i])
                back[k].push_back(uint32_t(i));
    }
    const auto& adjacency = forward ? back : graph.next;
    std::vector<uint8_t> out(n, 0);
    std::vector<uint32_t> todo;
    for (size_t i = 0; i < n && i < set.size(); ++i)
        if (set[i] && graph.usable[i]) {
            out[i] = 1;
            todo.push_back(uint32_t(i));
        }
    while (!todo.empty()) {
        const uint32_t e = todo.back();
        todo.pop_back();
        for (const uint32_t k : adjacency[e])
            if (!out[k]) {
                out[k] = 1;
                todo.push_back(k);
            }
    }
    return out;
}

EdgeLocator::EdgeLocator(const Network& net, const RouteGraph& graph, const std::vector<uint8_t>& allowed) {
    lane_length_.assign(net.edges.size(), 0.0);
    glm::dvec2 lo(std::numeric_limits<double>::max()), hi(std::numeric_limits<double>::lowest());
    for (size_t i = 0; i < net.edges.size(); ++i) {
        if (i >= allowed.size() || !allowed[i] || !graph.usable[i]) continue;
        const Lane& lane = net.edges[i].lanes[size_t(graph.lane[i])];
        double along = 0;
        for (size_t k = 1; k < lane.shape.size(); ++k) {
            const glm::dvec2 a(lane.shape[k - 1]), b(lane.shape[k]);
            segments_.push_back({a, b, uint32_t(i), along});
            along += glm::length(b - a);
            lo = glm::min(lo, glm::min(a, b));
            hi = glm::max(hi, glm::max(a, b));
        }
        lane_length_[i] = along;
    }
    if (segments_.empty()) return;
    // At most 512 cells a side, whatever the extent.
    const glm::dvec2 extent = hi - lo;
    cell_ = std::max(50.0, std::max(extent.x, extent.y) / 512.0);
    lo_ = lo;
    nx_ = int(std::floor(extent.x / cell_)) + 1;
    ny_ = int(std::floor(extent.y / cell_)) + 1;
    cells_.assign(size_t(nx_) * size_t(ny_), {});
    for (size_t s = 0; s < segments_.size(); ++s) {
        const glm::dvec2 a = glm::min(segments_[s].a, segments_[s].b) - lo_;
        const glm::dvec2 b = glm::max(segments_[s].a, segments_[s].b) - lo_;
        const int c0 = std::clamp(int(std::floor(a.x / cell_)), 0, nx_ - 1);
        const int c1 = std::clamp(int(std::floor(b.x / cell_)), 0, nx_ - 1);
        const int r0 = std::clamp(int(std::floor(a.y / cell_)), 0, ny_ - 1);
        const int r1 = std::clamp(int(std::floor(b.y / cell_)), 0, ny_ - 1);
        for (int r = r0; r <= r1; ++r)
            for (int c = c0; c <= c1; ++c)
                cells_[size_t(r) * size_t(nx_) + size_t(c)].push_back(uint32_t(s));
    }
}

std::optional<EdgePosition> EdgeLocator::nearest(glm::dvec2 p) const {
    if (segments_.empty() || !std::isfinite(p.x) || !std::isfinite(p.y)) return std::nullopt;
    const glm::dvec2 q = p - lo_;
    const int cx = int(std::clamp(std::floor(q.x / cell_), 0.0, double(nx_ - 1)));
    const int cy = int(std::clamp(std::floor(q.y / cell_), 0.0, double(ny_ - 1)));
    std::optional<EdgePosition> best;
    auto visit = [&](int c, int r) {
        for (const uint32_t s : cells_[size_t(r) * size_t(nx_) + size_t(c)]) {
            const Segment& seg = segments_[s];
            const glm::dvec2 d = seg.b - seg.a;
            const double len2 = glm::dot(d, d);
            const double t = len2 > 0 ? std::clamp(glm::dot(p - seg.a, d) / len2, 0.0, 1.0) : 0.0;
            const glm::dvec2 at = seg.a + t * d;
            const double dist = glm::length(p - at);
            if (best && (dist > best->distance_m || (dist == best->distance_m && seg.edge >= best->edge)))
                continue;
            const double total = lane_length_[seg.edge];
            const double along = seg.along_m + t * std::sqrt(len2);
            best = EdgePosition{seg.edge, total > 0 ? std::clamp(along / total, 0.0, 1.0) : 0.0, dist, at};
        }
    };
    const int rings = std::max(nx_, ny_);
    for (int ring = 0; ring <= rings; ++ring) {
        for (int r = cy - ring; r <= cy + ring; ++r) {
            if (r < 0 || r >= ny_) continue;
            const bool edge_row = r == cy - ring || r == cy + ring;
            for (int c = cx - ring; c <= cx + ring; c += edge_row ? 1 : 2 * std::max(ring, 1)) {
                if (c >= 0 && c < nx_) visit(c, r);
                if (ring == 0) break;
            }
        }
        // Cells of later rings lie at least `ring` cells away.
        if (best && best->distance_m <= ring * cell_) break;
    }
    return best;
}

}  // namespace zw::scenario::traffic
