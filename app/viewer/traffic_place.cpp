#include "app/viewer/traffic_place.h"

#include <cmath>

#include "engine/scenario/world_grid.h"

namespace zw::viewer {
namespace {

// The step of the central differences that give the frame's derivatives.
constexpr double axis_step_m = 100.0;
// A sphere around every vehicle's front bumper that holds the longest one (a 12 m bus).
constexpr double vehicle_reach_m = 13.0;

using render::VehicleKind;
using scenario::traffic::VehicleClass;
static_assert(uint8_t(VehicleKind::car) == uint8_t(VehicleClass::car) &&
                  uint8_t(VehicleKind::van) == uint8_t(VehicleClass::van) &&
                  uint8_t(VehicleKind::truck) == uint8_t(VehicleClass::truck) &&
                  uint8_t(VehicleKind::bus) == uint8_t(VehicleClass::bus) &&
                  uint8_t(VehicleKind::fire_engine) == uint8_t(VehicleClass::fire_engine) &&
                  uint8_t(VehicleKind::other) == uint8_t(VehicleClass::other) &&
                  render::vehicle_kind_count == scenario::traffic::vehicle_class_count,
              "a vehicle class is drawn as the kind of the same number");

}  // namespace

TrafficFrame TrafficFrame::at(const glm::dvec3& o, double geoid_undulation_m) {
    auto w = [&](double de, double dn, double dh) {
        return scenario::world_of(o.x + de, o.y + dn, o.z + dh, geoid_undulation_m);
    };
    TrafficFrame f;
    f.origin_world = w(0, 0, 0);
    const double h = axis_step_m;
    f.east = (w(h, 0, 0) - w(-h, 0, 0)) / (2 * h);
    f.north = (w(0, h, 0) - w(0, -h, 0)) / (2 * h);
    f.up = glm::normalize(w(0, 0, h) - w(0, 0, -h));
    const glm::dvec3 w0 = f.origin_world;
    f.xx = (w(h, 0, 0) + w(-h, 0, 0) - 2.0 * w0) / (h * h);
    f.yy = (w(0, h, 0) + w(0, -h, 0) - 2.0 * w0) / (h * h);
    auto mixed = [&](glm::dvec3 a, glm::dvec3 b) {
        auto at = [&](double sa, double sb) {
            const glm::dvec3 d = (a * sa + b * sb) * h;
            return w(d.x, d.y, d.z);
        };
        return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
    };
    f.xy = mixed({1, 0, 0}, {0, 1, 0});
    f.xz = mixed({1, 0, 0}, {0, 0, 1});
    f.yz = mixed({0, 1, 0}, {0, 0, 1});
    return f;
}

glm::dvec3 TrafficFrame::world(const glm::dvec3& p) const {
    // Relative to the origin first: the second-order terms are small, the sum exact enough.
    const glm::dvec3 d = east * p.x + north * p.y + up * p.z + xx * (0.5 * p.x * p.x) +
                         yy * (0.5 * p.y * p.y) + xy * (p.x * p.y) + xz * (p.x * p.z) + yz * (p.y * p.z);
    return origin_world + d;
}

glm::dvec3 TrafficFrame::forward(double angle_deg) const {
    const double a = glm::radians(angle_deg);
    glm::dvec3 f = east * std::sin(a) + north * std::cos(a);
    f -= up * glm::dot(f, up);  // level (the axes are already nearly so)
    const double len = glm::length(f);
    return len > 0 ? f / len : glm::normalize(north);
}

scenario::traffic::CellVisible cells_in_view(const TrafficFrame& frame, const VehicleCulling& c) {
    const render::Frustum frustum(c.view_projection);
    const glm::dvec3 rel_eye = c.eye - frame.origin_world;
    const glm::dvec2 eye_local{glm::dot(rel_eye, frame.east) / glm::dot(frame.east, frame.east),
                               glm::dot(rel_eye, frame.north) / glm::dot(frame.north, frame.north)};
    const double reach = c.max_distance_m + vehicle_reach_m;
    return [frustum, frame, eye = c.eye, eye_local, reach](const glm::dvec3& lo, const glm::dvec3& hi) {
        // As place_vehicles' first test: the horizontal distance in the bundle's frame.
        const glm::dvec2 near = glm::clamp(eye_local, glm::dvec2(lo), glm::dvec2(hi));
        const glm::dvec2 d = near - eye_local;
        if (d.x * d.x + d.y * d.y > reach * reach) return false;
        // The box in the world around the eye: its centre exactly, its half extent through
        // the frame's axes at the centre. The frame's second-order terms (the earth's
        // curvature, ~1.6e-7 a metre) bend a cell from that box by about a millimetre: the
        // margin holds it.
        const glm::dvec3 mid = (lo + hi) * 0.5, h = (hi - lo) * 0.5;
        const glm::dvec3 centre = frame.world(mid) - eye;
        const glm::dvec3 ax = frame.east + frame.xx * mid.x + frame.xy * mid.y + frame.xz * mid.z;
        const glm::dvec3 ay = frame.north + frame.yy * mid.y + frame.xy * mid.x + frame.yz * mid.z;
        const glm::dvec3 az = frame.up + frame.xz * mid.x + frame.yz * mid.y;
        const glm::dvec3 half = glm::abs(ax) * h.x + glm::abs(ay) * h.y + glm::abs(az) * h.z;
        const glm::dvec3 wlo = centre - half, whi = centre + half;
        const glm::dvec3 grow(vehicle_reach_m + 0.5);
        return frustum.intersects(geo::Aabb{wlo - grow, whi + grow});
    };
}

size_t place_vehicles(const std::vector<scenario::traffic::VehicleState>& states,
                      const std::vector<scenario::traffic::VehicleInfo>& table, const TrafficFrame& frame,
                      const VehicleCulling& c, std::vector<render::VehicleInstance>& out) {
    out.clear();
    const render::Frustum frustum(c.view_projection);
    // The eye in the bundle's frame (the horizontal distance test needs no world position).
    const glm::dvec3 rel_eye = c.eye - frame.origin_world;
    const glm::dvec2 eye_local{glm::dot(rel_eye, frame.east) / glm::dot(frame.east, frame.east),
                               glm::dot(rel_eye, frame.north) / glm::dot(frame.north, frame.north)};
    const double reach = c.max_distance_m + vehicle_reach_m;
    size_t culled = 0;
    const glm::vec3 up(frame.up);
    for (const scenario::traffic::VehicleState& s : states) {
        const glm::dvec2 d = glm::dvec2(s.position) - eye_local;
        if (d.x * d.x + d.y * d.y > reach * reach) {
            ++culled;
            continue;
        }
        const glm::dvec3 p = frame.world(s.position);
        const glm::dvec3 rel = p - c.eye;
        if (glm::dot(rel, rel) > reach * reach) {
            ++culled;
            continue;
        }
        const geo::Aabb box{rel - glm::dvec3(vehicle_reach_m), rel + glm::dvec3(vehicle_reach_m)};
        if (!frustum.intersects(box)) {
            ++culled;
            continue;
        }
        render::VehicleInstance v;
        v.position = p;
        v.forward = glm::vec3(frame.forward(s.angle_deg));
        v.up = up;
        v.kind =
            s.vehicle < table.size() ? render::VehicleKind(table[s.vehicle].cls) : render::VehicleKind::other;
        out.push_back(v);
    }
    return culled;
}

}  // namespace zw::viewer
