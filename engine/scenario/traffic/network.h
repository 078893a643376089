// A SUMO road network (`.net.xml`, written by netconvert) as plain data: edges with their
// lanes, junctions and connections, in EPSG:25832. Pure code: no SUMO library, no GPU.
//
// SUMO keeps a network in its own plane coordinates and records in `<location netOffset>`
// what was added to the original (projected) coordinates to get them:
//
//   net = original + netOffset        original = net - netOffset
//
// For the networks the bake writes (app/bake/traffic_network.h) the original coordinates
// are EPSG:25832 and the net coordinates are the twin's bake-local ones (metres east and
// north of twin.json's origin): netOffset = (-origin easting, -origin northing). Every
// position here is converted: x = easting, y = northing; z is as in the file (the bake
// writes heights above sea level). SUMO's outputs (FCD, ...) are in net coordinates:
// Network::to_epsg converts them.
//
// The reader streams the file through expat: a network of any size is read in 64 KiB
// pieces. Errors are zw::Error naming the file, the line and what is wrong; a hostile
// file (a DOCTYPE, entities, numbers that are not finite, coordinates beyond 1e9 m,
// duplicate ids, edges that name no junction) is refused, never crashes.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <glm/glm.hpp>

namespace zw::scenario::traffic {

struct Lane {
    std::string id;                 // "<edge>_<index>"
    int index = 0;                  // 0 is the rightmost lane
    double speed = 0;               // m/s, the lane's maximum speed
    double length = 0;              // m, along the lane (SUMO's own, cut back at the junctions)
    double width = 3.2;             // m (SUMO's default when the file has none)
    std::string allow, disallow;    // vehicle classes, space-separated, as in the file
    std::vector<glm::dvec3> shape;  // the lane's centre line, EPSG:25832
};

struct Edge {
    std::string id, from, to;  // from and to: junction ids (empty for internal edges)
    std::string function;      // "" (normal), "internal", "crossing", "walkingarea"
    std::string type, name;    // name: the street's name, where netconvert wrote it
    int priority = -1;         // -1 where the file has none
    std::vector<Lane> lanes;   // by index, 0 (rightmost) first
    // The edge's own geometry from junction to junction (EPSG:25832), where netconvert
    // wrote one (edges with a custom shape); empty otherwise, and then the straight
    // line between the two junctions.
    std::vector<glm::dvec3> shape;
    bool internal() const { return !function.empty(); }
};

struct Junction {
    std::string id;
    std::string type;               // priority, right_before_left, traffic_light, dead_end, internal, ...
    glm::dvec3 position{0.0};       // EPSG:25832
    std::vector<glm::dvec3> shape;  // its outline, EPSG:25832 (may be empty)
};

// A link between a lane of one edge and a lane of the next, through the junction.
struct Connection {
    std::string from, to;  // edge ids
    int from_lane = 0, to_lane = 0;
    std::string via;    // the internal lane it runs on ("" where none)
    std::string dir;    // s(traight), l(eft), r(ight), t(urn), L, R (partial), invalid
    std::string state;  // M (major), m (minor), = (equal), o (off), O, G, g, r, y, s, w, Z
};

struct Network {
    // <location>: what SUMO added to the original coordinates; (0, 0) without one.
    glm::dvec2 net_offset{0.0};
    bool has_location = false;
    std::array<double, 4> conv_boundary{};  // xmin, ymin, xmax, ymax in net coordinates
    std::array<double, 4> orig_boundary{};  // the same in the original coordinates
    std::string proj_parameter;             // "!" (none) or a PROJ string

    std::vector<Edge> edges;  // in file order; internal ones only if read with them
    std::vector<Junction> junctions;
    std::vector<Connection> connections;

    // Net coordinates (SUMO's, e.g. from FCD output) to EPSG:25832 and back.
    glm::dvec2 to_epsg(glm::dvec2 net) const { return net - net_offset; }
    glm::dvec2 to_net(glm::dvec2 epsg) const { return epsg + net_offset; }

    // By id; null where there is none. Lanes are found by their own id ("e12_0").
    const Edge* edge(std::string_view id) const;
    const Lane* lane(std::string_view id) const;
    const Junction* junction(std::string_view id) const;

    // Fills the lookups (read_network does; call it after editing the vectors).
    void index();

  private:
    std::unordered_map<std::string, size_t> edge_index_, junction_index_;
    std::unordered_map<std::string, std::pair<size_t, size_t>> lane_index_;  // edge, lane
};

struct NetworkReadOptions {
    // Keep the edges inside junctions (function="internal", ids starting with ':') and
    // the internal junctions; off: they are skipped (connections keep their `via`).
    bool internal = false;
};

// Parses a network held in memory; `name` names it in messages.
Network parse_network(std::string_view xml, const std::string& name, const NetworkReadOptions& options = {});

// Reads a `.net.xml` file, streaming. Throws zw::Error when it cannot be read or parsed.
Network read_network(const std::filesystem::path& path, const NetworkReadOptions& options = {});

}  // namespace zw::scenario::traffic
