// The roads of a traffic scenario as the viewer shows them, without Vulkan or ImGui (unit-
// tested in traffic_roads_test): what an edge is coloured by and in which colour, which
// interval of edge_measures.json holds the shown time, which edges are closed and where
// their barriers stand, and the triangles of ribbons, barriers and signs for the renderer's
// render::RoadOverlay. The glue that loads and updates them is traffic_roads.h.
//
// Colouring (docs/traffic-bundle.md, "In the viewer"), per edge and per interval:
//   speed: the mean speed of the vehicles on the edge (speed_ms), km/h, red (standing)
//          through yellow (30 km/h) to green (50 km/h and more);
//   flow:  vehicles entering per hour (flow_vph), pale yellow (none) to purple (1,200+);
//   LOS:   the level of service A to F by the mean speed as a share of the free-flow speed,
//          taken as the edge's speed limit (its fastest lane), HCM 2010-style for urban
//          streets (Exhibit 16-4; the German HBS's QSV also run A to F, by thresholds of
//          their own):
//            A > 85 %, B > 67 %, C > 50 %, D > 40 %, E > 30 %, F <= 30 %.
//          The mean speed includes the time standing at signals and in queues, as the HCM's
//          travel speed does; the HCM's second criterion for F (demand over capacity) is not
//          available from the measures and not used.
// No data (grey): no interval holds the shown time, the edge is not in the measures, or
// (speed and LOS) no vehicle was on it in the interval (speed null). A closed edge (a
// closure in force: Closure::open_at false) is red with white diagonal hatching in every
// mode, off included.
//
// Geometry: ribbons follow each lane's centre line (the SUMO network's lane shapes), 70 %
// of the lane wide, lifted 0.3 m above it; lanes are placed in the world through the
// bundle's TrafficFrame (traffic_place.h), as the vehicles are.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <glm/glm.hpp>

#include "app/viewer/intents.h"
#include "app/viewer/traffic_place.h"
#include "engine/render/road_overlay.h"
#include "engine/scenario/traffic/closure.h"
#include "engine/scenario/traffic/edge_measures.h"
#include "engine/scenario/traffic/network.h"

namespace zw::viewer {

using RoadMode = intent::TrafficRoads::Mode;

// "off", "speed", "flow", "los" (the --traffic-roads values), and back (nullopt: none of them).
const char* road_mode_name(RoadMode mode);
std::optional<RoadMode> road_mode_from(std::string_view name);

// Level of service by the mean speed's share of the free-flow speed (the top of this file).
enum class Los : uint8_t { A, B, C, D, E, F };
inline constexpr uint32_t los_count = 6;
// The least share of the free-flow speed for A, B, C, D and E (a share at or below the
// last is F).
inline constexpr std::array<double, 5> los_min_share = {0.85, 0.67, 0.50, 0.40, 0.30};
// nullopt when the speed is not a number (no vehicle) or the free-flow speed is not above 0.
std::optional<Los> level_of_service(double speed_ms, double free_speed_ms);
char los_letter(Los los);  // 'A' .. 'F'

// A colour ramp: piecewise linear in sRGB between stops of ascending value; values below
// the first stop take its colour, above the last the last's.
struct RampStop {
    double value;
    glm::vec3 srgb;  // 0..1
};
// The mode's stops: speed in km/h, flow in veh/h, LOS one stop per level (value 0 = A .. 5
// = F, no blending between them); empty for off.
std::span<const RampStop> road_ramp(RoadMode mode);
glm::vec3 ramp_color(std::span<const RampStop> ramp, double value);
inline constexpr glm::vec3 no_data_srgb{0.62f, 0.62f, 0.62f};
inline constexpr glm::vec3 closed_srgb{0.84f, 0.10f, 0.11f};
glm::vec3 linear_of(glm::vec3 srgb);  // the renderer takes linear colours

// The interval of `begin_s`/`end_s` (as EdgeMeasures holds them) that holds time t: the
// first with begin <= t < end; at the very end of the last interval (t == its end, and no
// interval begins there) that one, so the run's last moment still shows its measures.
// nullopt: none (before, after, or in a gap).
std::optional<size_t> interval_at(const std::vector<double>& begin_s, const std::vector<double>& end_s,
                                  double t_s);

// The network's normal edges (no internal ones) in the bundle's local frame: metres east,
// north and up of the trajectories' origin (EPSG:25832 and heights above sea level).
struct RoadLane {
    std::vector<glm::dvec3> shape;  // centre line, at least 2 points
    double width_m = 3.2;
};
struct RoadEdge {
    std::string id, from, to;     // from, to: junction ids
    double speed_limit_ms = 0;    // the fastest lane's
    std::vector<RoadLane> lanes;  // 0 (rightmost) first; lanes without a shape left out
};
struct RoadNetwork {
    std::vector<RoadEdge> edges;                    // in the network file's order
    std::unordered_map<std::string, size_t> index;  // edge id -> its place in `edges`
};
RoadNetwork road_network(const scenario::traffic::Network& net, const glm::dvec3& origin);

// Per edge of `net`, its column in `m` (m.edges is ascending), -1 where it has none.
std::vector<int32_t> measure_columns(const RoadNetwork& net, const scenario::traffic::EdgeMeasures& m);

// Per edge of `net`: 1 where a closure in force at t_s (Closure::open_at false) lists it.
// Edge ids the network does not have are ignored.
std::vector<uint8_t> closed_edges(const RoadNetwork& net,
                                  std::span<const scenario::traffic::Closure> closures, double t_s);

// How each edge is drawn at one moment.
struct EdgeLook {
    enum class Kind : uint8_t { hidden, value, no_data, closed } kind = Kind::hidden;
    glm::vec3 srgb{0.0f};
};
// `measures` null or `interval` nullopt: every edge without data. Mode off: only closed
// edges are drawn.
std::vector<EdgeLook> road_looks(const RoadNetwork& net, RoadMode mode,
                                 const scenario::traffic::EdgeMeasures* measures,
                                 std::span<const int32_t> columns, std::optional<size_t> interval,
                                 std::span<const uint8_t> closed);

// Where a barrier stands: across a closed edge at an end of the closed run, where an open
// edge meets it (a junction only closed edges touch needs none: nobody arrives there).
struct RoadBarrier {
    size_t edge = 0;         // in RoadNetwork::edges
    bool at_start = false;   // at the edge's start (where vehicles would enter it), else its end
    glm::dvec3 centre{0.0};  // local: on the road in the middle of the edge's lanes, a little inside it
    glm::dvec2 along{1, 0};  // unit, level: the edge's direction of travel there
    double width_m = 0;      // all its lanes
    // A "closed to all vehicles" sign (Zeichen 250) stands right of it, facing the traffic
    // that would enter: at the edge's start.
    bool sign = false;
};
inline constexpr double barrier_inset_m = 1.5;  // from the end of the lanes into the edge
std::vector<RoadBarrier> closure_barriers(const RoadNetwork& net, std::span<const uint8_t> closed);

// The triangles: a ribbon per lane of each edge not hidden, in its look's colour (closed:
// hatched), and each barrier with its sign, relative to frame.origin_world.
render::RoadMesh road_mesh(const RoadNetwork& net, const TrafficFrame& frame, std::span<const EdgeLook> looks,
                           std::span<const RoadBarrier> barriers);

// The pieces road_mesh is made of (tests check them on their own).
inline constexpr double ribbon_lift_m = 0.3;       // above the lane's centre line
inline constexpr double ribbon_width_share = 0.7;  // of the lane's width
inline constexpr float hatch_period_m = 3.0f;      // a red and a white band
// A flat ribbon of `width_m` along `shape` (local), lifted by ribbon_lift_m: two
// triangles per segment, (L_i, R_i, L_i+1) and (L_i+1, R_i, R_i+1), left and right
// offset along the mitred normal (the miter at most twice the half width); repeated points
// are skipped. Appended to `out`, relative to frame.origin_world.
void add_ribbon(std::vector<render::RoadVertex>& out, const TrafficFrame& frame,
                std::span<const glm::dvec3> shape, double width_m, glm::vec3 linear, float stripe_period);
void add_barrier(std::vector<render::RoadVertex>& out, const TrafficFrame& frame, const RoadBarrier& b);

}  // namespace zw::viewer
