// Free-flow routing on a Network (network.h) for one SUMO vehicle class: who may use a
// lane, the edge-based graph (so that turn permissions hold), fastest routes, strongly
// connected parts, and the nearest usable edge of a point. What the town demand
// (town_demand.h) and the emergency access (emergency.h) are computed on. Pure code.
//
// The graph's nodes are the network's normal edges (internal ones never: SUMO's junction
// interiors are not counted, so a route's time leaves out the few seconds of crossing a
// junction). An edge's free-flow time is the length of its rightmost lane that the class
// may use over the highest speed of its lanes that the class may use, times a speed
// factor. Successors:
// - a network with connections (every .net.xml netconvert writes): the connections whose
//   from-lane and to-lane the class may use; a U-turn only where a connection has one
//   (netconvert adds turnarounds at dead ends and where it may);
// - a network without any (one built in memory): every usable edge leaving the junction
//   the edge enters, except the one back to where it came from (no U-turns).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

#include "engine/scenario/traffic/network.h"

namespace zw::scenario::traffic {

inline constexpr double unreachable_s = std::numeric_limits<double>::infinity();
inline constexpr uint32_t no_edge = std::numeric_limits<uint32_t>::max();

// Whether SUMO lets vehicles of class `vclass` ("passenger", "emergency", ...) use the
// lane: listed in `allow` when it has one ("all" lists every class), else not listed in
// `disallow` ("all" there: none). A lane with neither allows every class, as in SUMO.
bool lane_allows(const Lane& lane, std::string_view vclass);
// Whether any lane of a normal (not internal) edge allows the class.
bool edge_allows(const Edge& edge, std::string_view vclass);

// The edge-based graph of a network for one vehicle class; indices are those of
// Network::edges. Cost O(edges + connections) to build.
struct RouteGraph {
    std::vector<uint8_t> usable;              // 1: a normal edge the class may use
    std::vector<double> length_m;             // the rightmost usable lane's length (0: not usable)
    std::vector<double> time_s;               // free-flow time over the whole edge (0: not usable)
    std::vector<int> lane;                    // that lane's index (-1: not usable)
    std::vector<std::vector<uint32_t>> next;  // successors, ascending, without repeats
    bool by_connections = false;              // successors from the network's connections
    size_t edge_count() const { return usable.size(); }
};

// `speed_factor` (> 0) scales every lane speed (1: drive at the limit).
RouteGraph route_graph(const Network& net, std::string_view vclass, double speed_factor = 1.0);

// One Dijkstra over the edges. `start` is the position a vehicle sets off from: edge
// `start_edge` at `start_fraction` (0 its start, 1 its end); reaching a successor costs
// the rest of the start edge. `closed` (empty, or one flag per edge) marks edges no
// vehicle may enter; a closed start edge leaves nothing reachable. O(E log E).
struct ShortestTimes {
    std::vector<double> start_s;  // per edge: the time its start is first reached (unreachable_s)
    std::vector<uint32_t> via;    // per edge: the edge driven before it (no_edge where not reached)
};
ShortestTimes shortest_times(const RouteGraph& graph, uint32_t start_edge, double start_fraction,
                             const std::vector<uint8_t>& closed = {});

// The fastest edge sequence from edge `from` to edge `to` (both included; one edge when
// they are the same), driving the whole of both; empty when there is none.
std::vector<uint32_t> fastest_route(const RouteGraph& graph, uint32_t from, uint32_t to,
                                    const std::vector<uint8_t>& closed = {});

// The largest set of usable edges in which every edge reaches every other (a strongly
// connected component; ties: the one holding the lowest edge index), as one flag per
// edge. Every edge of it can be routed to every other. O(E).
std::vector<uint8_t> largest_strongly_connected(const RouteGraph& graph);

// Per edge: whether it reaches (forward = true) or is reached from (false) any flagged
// edge of `set`, the flagged ones included. O(E).
std::vector<uint8_t> connected_to(const RouteGraph& graph, const std::vector<uint8_t>& set, bool forward);

// A point projected on an edge: the rightmost usable lane's centre line, at `fraction`
// of its length.
struct EdgePosition {
    uint32_t edge = no_edge;
    double fraction = 0;    // 0 at the start of the lane, 1 at its end
    double distance_m = 0;  // from the point to the lane (in the plane)
    glm::dvec2 point{0.0};  // the projection, EPSG:25832
};

// Finds the nearest edge among a set (a uniform grid over the lanes' segments, 50 m cells).
class EdgeLocator {
  public:
    // `allowed`: one flag per edge (an edge not usable in `graph` is never found).
    EdgeLocator(const Network& net, const RouteGraph& graph, const std::vector<uint8_t>& allowed);
    // The nearest allowed edge to p (EPSG:25832; ties: the lowest edge index); nullopt
    // when there is none. Searches rings of cells outwards: cheap near the roads.
    std::optional<EdgePosition> nearest(glm::dvec2 p) const;

  private:
    struct Segment {
        glm::dvec2 a, b;
        uint32_t edge;
        double along_m;  // the lane's length before `a`
    };
    std::vector<Segment> segments_;
    std::vector<double> lane_length_;  // per edge: the shape's length
    std::vector<std::vector<uint32_t>> cells_;
    glm::dvec2 lo_{0.0};
    int nx_ = 0, ny_ = 0;
    double cell_ = 50;
};

// The length of a polyline in the plane.
double polyline_length(const std::vector<glm::dvec3>& points);

}  // namespace zw::scenario::traffic
