#include "app/viewer/traffic_roads_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace zw::viewer {
namespace {

namespace traffic = scenario::traffic;

constexpr double ms_to_kmh = 3.6;

// sRGB colours; the ramps are ColorBrewer's RdYlGn (speed) and YlOrRd (flow), which read
// in print and for the common red-green weakness by their lightness too.
constexpr RampStop speed_ramp[] = {
    {0, {0.65f, 0.00f, 0.15f}},  {10, {0.84f, 0.19f, 0.15f}}, {20, {0.96f, 0.43f, 0.26f}},
    {30, {1.00f, 0.88f, 0.55f}}, {40, {0.65f, 0.85f, 0.42f}}, {50, {0.10f, 0.60f, 0.31f}},
};
constexpr RampStop flow_ramp[] = {
    {0, {1.00f, 1.00f, 0.80f}},   {150, {1.00f, 0.85f, 0.46f}}, {300, {0.99f, 0.55f, 0.24f}},
    {600, {0.89f, 0.10f, 0.11f}}, {900, {0.50f, 0.00f, 0.15f}}, {1200, {0.29f, 0.00f, 0.42f}},
};
constexpr RampStop los_ramp[] = {
    {0, {0.10f, 0.60f, 0.31f}}, {1, {0.55f, 0.78f, 0.25f}}, {2, {1.00f, 0.87f, 0.09f}},
    {3, {0.97f, 0.58f, 0.11f}}, {4, {0.93f, 0.11f, 0.14f}}, {5, {0.55f, 0.00f, 0.08f}},
};

// The barrier (a red and white striped board on two posts, like a site's "Absperrschranke"
// but as tall as a construction-site fence panel) and the sign, in metres: both about twice
// the real ones' size (a 0.25 m board, a 0.6 m disc), so that they read from the overview
// camera a few hundred metres away.
constexpr double board_bottom_m = 0.3, board_top_m = 1.3, board_depth_m = 0.08;
constexpr double post_m = 0.1;
constexpr float board_stripe_period_m = 1.0f;
constexpr double sign_gap_m = 0.6;  // from the barrier's right end to the sign's post
constexpr double sign_centre_m = 2.7, sign_radius_m = 0.6, sign_ring_share = 0.75;
constexpr int sign_segments = 24;
constexpr glm::vec3 barrier_red{0.80f, 0.04f, 0.03f};  // linear
constexpr glm::vec3 post_grey{0.35f, 0.35f, 0.36f};
constexpr glm::vec3 sign_white{0.85f, 0.85f, 0.85f};

glm::vec3 to_world_dir(const TrafficFrame& f, const glm::dvec3& d) {
    return glm::vec3(glm::normalize(f.east * d.x + f.north * d.y + f.up * d.z));
}

glm::vec3 rel(const TrafficFrame& f, const glm::dvec3& local) {
    return glm::vec3(f.world(local) - f.origin_world);
}

// A box in a local frame (origin `o`, unit axes a, b, c, all in the bundle's local
// coordinates), from lo to hi along them, with outward normals. `stripes` > 0: diagonal
// stripes over its faces (the coordinate a + c).
void box(std::vector<render::RoadVertex>& out, const TrafficFrame& f, const glm::dvec3& o,
         const glm::dvec3 axes[3], glm::dvec3 lo, glm::dvec3 hi, glm::vec3 color, float stripes) {
    auto corner = [&](int i) {
        const glm::dvec3 q((i & 1) ? hi.x : lo.x, (i & 2) ? hi.y : lo.y, (i & 4) ? hi.z : lo.z);
        return q;
    };
    struct Face {
        int v[4];
        int axis;
        double sign;
    };
    const Face faces[6] = {{{0, 2, 6, 4}, 0, -1}, {{1, 5, 7, 3}, 0, 1},  {{0, 4, 5, 1}, 1, -1},
                           {{2, 3, 7, 6}, 1, 1},  {{0, 1, 3, 2}, 2, -1}, {{4, 6, 7, 5}, 2, 1}};
    for (const Face& face : faces) {
        const glm::vec3 n = to_world_dir(f, axes[face.axis] * face.sign);
        for (int k : {0, 1, 2, 0, 2, 3}) {
            const glm::dvec3 q = corner(face.v[k]);
            const glm::dvec3 local = o + axes[0] * q.x + axes[1] * q.y + axes[2] * q.z;
            out.push_back({rel(f, local), n, glm::vec4(color, 1.0f), float(q.x + q.z), stripes});
        }
    }
}

// The sign: a post and a white disc ringed red facing -along (towards the traffic that
// would enter), grey on its back.
void add_sign(std::vector<render::RoadVertex>& out, const TrafficFrame& f, const glm::dvec3& foot,
              const glm::dvec3& across, const glm::dvec3& along) {
    const glm::dvec3 up(0, 0, 1);
    const glm::dvec3 axes[3] = {across, along, up};
    const double p = post_m * 0.5;
    box(out, f, foot, axes, {-p, -p, 0.0}, {p, p, sign_centre_m - sign_radius_m * 0.5}, post_grey, 0);
    const glm::dvec3 centre = foot + up * sign_centre_m;
    auto disc = [&](double offset, const glm::dvec3& normal, double r0, double r1, glm::vec3 color) {
        const glm::vec3 n = to_world_dir(f, normal);
        for (int i = 0; i < sign_segments; ++i) {
            const double a0 = 2 * std::numbers::pi * i / sign_segments,
                         a1 = 2 * std::numbers::pi * (i + 1) / sign_segments;
            auto at = [&](double r, double a) {
                return rel(f, centre + along * offset + across * (r * std::cos(a)) + up * (r * std::sin(a)));
            };
            const glm::vec3 q[4] = {at(r0, a0), at(r1, a0), at(r1, a1), at(r0, a1)};
            for (int k : {0, 1, 2, 0, 2, 3})
                out.push_back({q[k], n, glm::vec4(color, 1.0f), 0, 0});
        }
    };
    disc(-p - 0.01, -along, 0.0, sign_radius_m * sign_ring_share, sign_white);
    disc(-p - 0.01, -along, sign_radius_m * sign_ring_share, sign_radius_m, barrier_red);
    disc(p + 0.01, along, 0.0, sign_radius_m, post_grey);
}

// The point `d` metres along a polyline (clamped to it).
glm::dvec3 point_along(std::span<const glm::dvec3> shape, double d) {
    for (size_t i = 0; i + 1 < shape.size(); ++i) {
        const double len = glm::length(glm::dvec2(shape[i + 1] - shape[i]));
        if (d <= len && len > 0) return shape[i] + (shape[i + 1] - shape[i]) * (d / len);
        d -= len;
    }
    return shape.back();
}

double polyline_length(std::span<const glm::dvec3> shape) {
    double len = 0;
    for (size_t i = 0; i + 1 < shape.size(); ++i)
        len += glm::length(glm::dvec2(shape[i + 1] - shape[i]));
    return len;
}

}  // namespace

const char* road_mode_name(RoadMode mode) {
    switch (mode) {
        case RoadMode::speed:
            return "speed";
        case RoadMode::flow:
            return "flow";
        case RoadMode::los:
            return "los";
        case RoadMode::off:
            break;
    }
    return "off";
}

std::optional<RoadMode> road_mode_from(std::string_view name) {
    for (RoadMode m : {RoadMode::off, RoadMode::speed, RoadMode::flow, RoadMode::los})
        if (name == road_mode_name(m)) return m;
    return std::nullopt;
}

std::optional<Los> level_of_service(double speed_ms, double free_speed_ms) {
    if (!std::isfinite(speed_ms) || !(free_speed_ms > 0) || !std::isfinite(free_speed_ms))
        return std::nullopt;
    const double share = speed_ms / free_speed_ms;
    for (size_t i = 0; i < los_min_share.size(); ++i)
        if (share > los_min_share[i]) return Los(i);
    return Los::F;
}

char los_letter(Los los) {
    return char('A' + std::min<int>(int(los), los_count - 1));
}

std::span<const RampStop> road_ramp(RoadMode mode) {
    switch (mode) {
        case RoadMode::speed:
            return speed_ramp;
        case RoadMode::flow:
            return flow_ramp;
        case RoadMode::los:
            return los_ramp;
        case RoadMode::off:
            break;
    }
    return {};
}

glm::vec3 ramp_color(std::span<const RampStop> ramp, double value) {
    if (ramp.empty() || std::isnan(value)) return no_data_srgb;
    if (value <= ramp.front().value) return ramp.front().srgb;
    for (size_t i = 0; i + 1 < ramp.size(); ++i) {
        const RampStop& a = ramp[i];
        const RampStop& b = ramp[i + 1];
        if (value < b.value) {  // at a stop exactly its colour (t = 0 at the next one)
            const float t = float((value - a.value) / (b.value - a.value));
            return a.srgb + (b.srgb - a.srgb) * t;
        }
    }
    return ramp.back().srgb;
}

glm::vec3 linear_of(glm::vec3 srgb) {
    auto c = [](float v) { return v <= 0.04045f ? v / 12.92f : std::pow((v + 0.055f) / 1.055f, 2.4f); };
    return {c(srgb.r), c(srgb.g), c(srgb.b)};
}

std::optional<size_t> interval_at(const std::vector<double>& begin_s, const std::vector<double>& end_s,
                                  double t_s) {
    const size_t n = std::min(begin_s.size(), end_s.size());
    for (size_t i = 0; i < n; ++i)
        if (begin_s[i] <= t_s && t_s < end_s[i]) return i;
    // The run's last moment: the interval that ends there, if it is the last one.
    std::optional<size_t> last;
    for (size_t i = 0; i < n; ++i)
        if (!last || end_s[i] >= end_s[*last]) last = i;
    if (last && t_s == end_s[*last] && begin_s[*last] < t_s) return last;
    return std::nullopt;
}

RoadNetwork road_network(const traffic::Network& net, const glm::dvec3& origin) {
    RoadNetwork out;
    for (const traffic::Edge& e : net.edges) {
        if (e.internal()) continue;
        RoadEdge r;
        r.id = e.id;
        r.from = e.from;
        r.to = e.to;
        for (const traffic::Lane& l : e.lanes) {
            r.speed_limit_ms = std::max(r.speed_limit_ms, l.speed);
            if (l.shape.size() < 2) continue;
            RoadLane lane;
            lane.width_m = l.width > 0 ? l.width : 3.2;
            lane.shape.reserve(l.shape.size());
            for (const glm::dvec3& p : l.shape)
                lane.shape.push_back(p - origin);
            r.lanes.push_back(std::move(lane));
        }
        out.index.emplace(r.id, out.edges.size());
        out.edges.push_back(std::move(r));
    }
    return out;
}

std::vector<int32_t> measure_columns(const RoadNetwork& net, const traffic::EdgeMeasures& m) {
    std::vector<int32_t> out(net.edges.size(), -1);
    for (size_t i = 0; i < net.edges.size(); ++i) {
        const auto it = std::lower_bound(m.edges.begin(), m.edges.end(), net.edges[i].id);
        if (it != m.edges.end() && *it == net.edges[i].id) out[i] = int32_t(it - m.edges.begin());
    }
    return out;
}

std::vector<uint8_t> closed_edges(const RoadNetwork& net, std::span<const traffic::Closure> closures,
                                  double t_s) {
    std::vector<uint8_t> out(net.edges.size(), 0);
    for (const traffic::Closure& c : closures) {
        if (c.open_at(t_s)) continue;
        for (const std::string& id : c.edges)
            if (const auto it = net.index.find(id); it != net.index.end()) out[it->second] = 1;
    }
    return out;
}

std::vector<EdgeLook> road_looks(const RoadNetwork& net, RoadMode mode, const traffic::EdgeMeasures* m,
                                 std::span<const int32_t> columns, std::optional<size_t> interval,
                                 std::span<const uint8_t> closed) {
    std::vector<EdgeLook> out(net.edges.size());
    const std::span<const RampStop> ramp = road_ramp(mode);
    const bool have = m && interval && *interval < m->begin_s.size();
    for (size_t i = 0; i < net.edges.size(); ++i) {
        EdgeLook& look = out[i];
        if (i < closed.size() && closed[i]) {
            look = {EdgeLook::Kind::closed, closed_srgb};
            continue;
        }
        if (mode == RoadMode::off) continue;
        const int32_t col = i < columns.size() ? columns[i] : -1;
        double value = std::numeric_limits<double>::quiet_NaN();
        if (have && col >= 0 && size_t(col) < m->edges.size()) {
            const size_t at = m->at(*interval, size_t(col));
            switch (mode) {
                case RoadMode::speed:
                    value = m->speed_ms[at] * ms_to_kmh;
                    break;
                case RoadMode::flow:
                    value = m->flow_vph[at];
                    break;
                case RoadMode::los:
                    if (const auto los = level_of_service(m->speed_ms[at], net.edges[i].speed_limit_ms))
                        value = double(*los);
                    break;
                case RoadMode::off:
                    break;
            }
        }
        look = std::isnan(value) ? EdgeLook{EdgeLook::Kind::no_data, no_data_srgb}
                                 : EdgeLook{EdgeLook::Kind::value, ramp_color(ramp, value)};
    }
    return out;
}

std::vector<RoadBarrier> closure_barriers(const RoadNetwork& net, std::span<const uint8_t> closed) {
    // The junctions an open edge touches: a closed edge ending at one needs a barrier there.
    std::unordered_map<std::string_view, bool> open_at;
    for (size_t i = 0; i < net.edges.size(); ++i) {
        const bool open = i >= closed.size() || !closed[i];
        for (const std::string& j : {std::cref(net.edges[i].from), std::cref(net.edges[i].to)})
            open_at[j] = open_at[j] || open;
    }
    std::vector<RoadBarrier> out;
    for (size_t i = 0; i < net.edges.size() && i < closed.size(); ++i) {
        const RoadEdge& e = net.edges[i];
        if (!closed[i] || e.lanes.empty()) continue;
        for (const bool start : {true, false}) {
            if (!open_at[start ? e.from : e.to]) continue;
            RoadBarrier b;
            b.edge = i;
            b.at_start = start;
            b.sign = start;
            glm::dvec3 sum(0.0);
            glm::dvec2 dir(0.0);
            for (const RoadLane& l : e.lanes) {
                const double len = polyline_length(l.shape);
                const double d = std::min(barrier_inset_m, len * 0.5);
                const glm::dvec3 p = point_along(l.shape, start ? d : len - d);
                sum += p;
                // The direction over the inset (or the end segment): the way traffic runs there.
                const glm::dvec3 q = point_along(l.shape, start ? d + 1.0 : len - d - 1.0);
                dir += start ? glm::dvec2(q - p) : glm::dvec2(p - q);
                b.width_m += l.width_m;
            }
            b.centre = sum / double(e.lanes.size());
            b.along = glm::length(dir) > 0 ? glm::normalize(dir) : glm::dvec2(1, 0);
            out.push_back(b);
        }
    }
    return out;
}

void add_ribbon(std::vector<render::RoadVertex>& out, const TrafficFrame& frame,
                std::span<const glm::dvec3> shape, double width_m, glm::vec3 linear, float stripe_period) {
    std::vector<glm::dvec3> pts;
    pts.reserve(shape.size());
    for (const glm::dvec3& p : shape)
        if (pts.empty() || glm::length(glm::dvec2(p - pts.back())) > 1e-3) pts.push_back(p);
    if (pts.size() < 2) return;
    const double hw = width_m * 0.5;
    const size_t n = pts.size();
    std::vector<glm::dvec2> left(n - 1);  // unit normal left of each segment
    for (size_t i = 0; i + 1 < n; ++i) {
        const glm::dvec2 d = glm::normalize(glm::dvec2(pts[i + 1] - pts[i]));
        left[i] = {-d.y, d.x};
    }
    const glm::vec3 up = to_world_dir(frame, {0, 0, 1});
    struct Pair {
        glm::vec3 l, r;
        float sl, sr;
    };
    std::vector<Pair> pairs(n);
    double along = 0;
    for (size_t i = 0; i < n; ++i) {
        glm::dvec2 m = i == 0 ? left[0] : i == n - 1 ? left[n - 2] : left[i - 1] + left[i];
        double scale = 1;
        if (i > 0 && i < n - 1) {
            m = glm::length(m) > 1e-9 ? glm::normalize(m) : left[i];
            scale = 1.0 / std::max(glm::dot(m, left[i]), 0.5);  // the miter, at most twice hw
        }
        if (i > 0) along += glm::length(glm::dvec2(pts[i] - pts[i - 1]));
        const glm::dvec3 off(m * (hw * scale), 0.0);
        const glm::dvec3 c = pts[i] + glm::dvec3(0, 0, ribbon_lift_m);
        pairs[i] = {rel(frame, c + off), rel(frame, c - off), float(along + hw), float(along - hw)};
    }
    const glm::vec4 color(linear, 0.0f);
    for (size_t i = 0; i + 1 < n; ++i) {
        const Pair& a = pairs[i];
        const Pair& b = pairs[i + 1];
        out.push_back({a.l, up, color, a.sl, stripe_period});
        out.push_back({a.r, up, color, a.sr, stripe_period});
        out.push_back({b.l, up, color, b.sl, stripe_period});
        out.push_back({b.l, up, color, b.sl, stripe_period});
        out.push_back({a.r, up, color, a.sr, stripe_period});
        out.push_back({b.r, up, color, b.sr, stripe_period});
    }
}

void add_barrier(std::vector<render::RoadVertex>& out, const TrafficFrame& frame, const RoadBarrier& b) {
    const glm::dvec3 along(b.along, 0.0);
    const glm::dvec3 across(b.along.y, -b.along.x, 0.0);  // from the left side to the right
    const glm::dvec3 up(0, 0, 1);
    const glm::dvec3 axes[3] = {across, along, up};
    const double hw = b.width_m * 0.5, d = board_depth_m * 0.5, p = post_m * 0.5;
    box(out, frame, b.centre, axes, {-hw, -d, board_bottom_m}, {hw, d, board_top_m}, barrier_red,
        board_stripe_period_m);
    for (const double x : {-hw + 0.3, hw - 0.3})
        box(out, frame, b.centre, axes, {x - p, -p, 0.0}, {x + p, p, board_bottom_m}, post_grey, 0);
    if (b.sign) add_sign(out, frame, b.centre + across * (hw + sign_gap_m), across, along);
}

render::RoadMesh road_mesh(const RoadNetwork& net, const TrafficFrame& frame, std::span<const EdgeLook> looks,
                           std::span<const RoadBarrier> barriers) {
    render::RoadMesh mesh;
    mesh.anchor = frame.origin_world;
    for (size_t i = 0; i < net.edges.size() && i < looks.size(); ++i) {
        const EdgeLook& look = looks[i];
        if (look.kind == EdgeLook::Kind::hidden) continue;
        const float stripes = look.kind == EdgeLook::Kind::closed ? hatch_period_m : 0.0f;
        for (const RoadLane& l : net.edges[i].lanes)
            add_ribbon(mesh.ribbons, frame, l.shape, l.width_m * ribbon_width_share, linear_of(look.srgb),
                       stripes);
    }
    for (const RoadBarrier& b : barriers)
        add_barrier(mesh.props, frame, b);
    return mesh;
}

}  // namespace zw::viewer
