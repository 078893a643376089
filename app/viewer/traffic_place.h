// The glue between a traffic run's trajectories and the renderer: which moment of the run
// the timeline shows, where a vehicle lies in the world, which way it heads, and which
// vehicles are near enough and in the view to be drawn at all. Pure math, no Vulkan.
//
// Time: the timeline counts from 0 at the scenario's start, traffic times are seconds of
// the day as SUMO counts them (a morning peak from 6:00 is 21600 .. 36000). So
//     traffic time = scenario begin_s + timeline time,  timeline duration = end_s - begin_s.
//
// Place: trajectories hold metres east, north and up of the bundle's origin (EPSG:25832
// grid axes, heights above sea level: the twin frame's origin). The world position is
// scenario::world_of(origin + local), approximated for speed by its second-order Taylor
// expansion at the origin (central differences of world_of: the UTM scale, the meridian
// convergence, the earth's curvature and the turning of the up axis are in it): within
// 1 cm of world_of up to 3 km from the origin (traffic_place_test).
//
// Heading: SUMO's angle runs clockwise from grid north, so the vehicle heads
// sin(a) east + cos(a) north, a rotation about the local up axis.
#pragma once

#include <cstddef>
#include <vector>

#include <glm/glm.hpp>

#include "engine/render/frustum.h"
#include "engine/render/vehicles.h"
#include "engine/scenario/traffic/trajectories.h"

namespace zw::viewer {

// The traffic time (seconds of the day) the timeline's time shows.
inline double traffic_time(double begin_s, double timeline_s) {
    return begin_s + timeline_s;
}
// The timeline's duration for a run from begin_s to end_s (0 when end is not after begin).
inline double traffic_duration(double begin_s, double end_s) {
    return end_s > begin_s ? end_s - begin_s : 0.0;
}

// The bundle's local frame in the world (see the top of this file).
struct TrafficFrame {
    glm::dvec3 origin_world{0.0};  // world position of the bundle origin
    glm::dvec3 east{1, 0, 0};      // world metres per metre of easting
    glm::dvec3 north{0, 1, 0};     // world metres per metre of northing
    glm::dvec3 up{0, 0, 1};        // unit: the ellipsoid normal at the origin
    // Second derivatives of the world position by easting (x), northing (y), height (z).
    glm::dvec3 xx{0.0}, yy{0.0}, xy{0.0}, xz{0.0}, yz{0.0};

    // `bundle_origin`: EPSG:25832 easting, northing and height above sea level.
    static TrafficFrame at(const glm::dvec3& bundle_origin, double geoid_undulation_m);
    // A point given in metres east, north, up of the bundle origin, in the world.
    glm::dvec3 world(const glm::dvec3& local) const;
    // The unit direction of SUMO's heading `angle_deg` (clockwise from grid north), level.
    glm::dvec3 forward(double angle_deg) const;
};

// Which vehicles are drawn: inside the view frustum (relative to the eye) and within
// max_distance_m of the eye.
struct VehicleCulling {
    glm::dvec3 eye{0.0};
    glm::dmat4 view_projection{1.0};  // projection * view rotation (eye-relative), as the renderer's
    double max_distance_m = 3000;
};

// The cells of a trajectory chunk that may hold a vehicle place_vehicles draws: the view
// test that TrajectoryStream::state_in_view asks per cell (a box of the bundle's frame),
// so that the frame's cost follows the vehicles near the view, not all on the road. It
// accepts every box holding such a vehicle (traffic_place_test). O(1) a box.
scenario::traffic::CellVisible cells_in_view(const TrafficFrame& frame, const VehicleCulling& culling);
// No cell: for counting the vehicles present without drawing any.
inline const scenario::traffic::CellVisible no_cells = [](const glm::dvec3&, const glm::dvec3&) {
    return false;
};

// The vehicles of `states` to draw, placed, headed and culled, appended to `out` (cleared
// first). `table`: the reader's vehicles (for their class). Returns how many were culled.
// O(states); the world position is computed only for vehicles within the distance.
size_t place_vehicles(const std::vector<scenario::traffic::VehicleState>& states,
                      const std::vector<scenario::traffic::VehicleInfo>& table, const TrafficFrame& frame,
                      const VehicleCulling& culling, std::vector<render::VehicleInstance>& out);

}  // namespace zw::viewer
