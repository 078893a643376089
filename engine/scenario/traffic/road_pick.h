// Which road the user means: the drivable edge nearest to a point on the ground (a click in
// the viewer), the two directions of a road between two junctions, and the edges of a
// named street (a street picked from a list). What a live what-if closes. Pure code.
//
// A click closes the road between the two junctions it lies between, both directions
// (segment_edges): a construction site or an accident closes a road, not one lane of it,
// and a one-direction closure would mostly move the traffic to the other direction's
// queue. A street picked by name closes every edge of that name (street_edges), both
// directions, junction to junction along the whole street.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

#include "engine/scenario/traffic/network.h"

namespace zw::scenario::traffic {

// The nearest edge to a point and where on it.
struct EdgeHit {
    const Edge* edge = nullptr;  // in the network it was found in
    double distance_m = 0;       // from the point to the nearest lane's centre line, in the plane
    glm::dvec3 point{0.0};       // that nearest point on the lane (EPSG:25832, z as in the network)
};

// The normal edge with a lane that `vclass` may use (routing.h's lane_allows; passenger
// cars by default) whose lane centre line passes nearest to `p` (EPSG:25832 easting,
// northing; in the plane), within `max_distance_m`; nullopt when none is that near (or `p`
// is not finite). Ties: the first edge in file order. O(lane points of the network): a
// click's worth, not a per-frame search (routing.h's EdgeLocator is the indexed one).
std::optional<EdgeHit> nearest_edge(const Network& net, glm::dvec2 p, std::string_view vclass = "passenger",
                                    double max_distance_m = std::numeric_limits<double>::infinity());

// The edge between the same two junctions the other way (netconvert's "-e12" of "e12"):
// the first normal edge from `edge.to` to `edge.from`; null for a one-way road.
const Edge* reverse_edge(const Network& net, const Edge& edge);

// The road of `edge_id` between its two junctions: the edge and its reverse (when there is
// one). Empty when the network has no such normal edge.
std::vector<std::string> segment_edges(const Network& net, std::string_view edge_id);

// Every normal edge named `name` (both directions), in file order; empty for an empty name.
std::vector<std::string> street_edges(const Network& net, std::string_view name);

// The names of the streets that `vclass` may drive on (an edge of theirs allows it),
// sorted, each once: the viewer's list of streets to close.
std::vector<std::string> street_names(const Network& net, std::string_view vclass = "passenger");

}  // namespace zw::scenario::traffic
