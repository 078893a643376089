// The town's road graph as a SUMO network, built by the bake with SUMO's netconvert and
// stored in every twin as scenarios/traffic/network.net.xml (docs/twin-bundle.md, "Traffic
// network"). The public road network: the roads layer is in every twin, and so is this.
//
// Coordinates. The plain XML and so the network are in the twin's bake-local frame (x
// east, y north in metres from twin.json's origin, the same numbers as every tile's
// positions before the tileset's transform); z is the road's height above sea level (the
// terrain, the bank's height on a bridge). The network's <location> records
//
//   netOffset = (-origin easting, -origin northing)      (make_frame, EPSG:25832)
//   EPSG:25832 = net - netOffset,   net = EPSG:25832 + netOffset
//
// and projParameter = UTM zone 32 on GRS80 (EPSG:25832), so that SUMO's geo outputs
// (--fcd-output.geo) are WGS84. netconvert runs with --offset.disable-normalization, so
// that it keeps these coordinates instead of moving the network to (0, 0).
//
// What is written, per road-graph edge eN (graph.json, the roads layer's feature ids):
// two edges `eN` (from -> to) and `-eN` (to -> from) with the same centre line; SUMO's
// spreadType "right" lays each direction's lanes right of it, so that the pair covers the
// road, each lane Road::width / (2 * lanes) wide. Speeds are Road::speed_kmh, lanes per
// direction Road::lanes, names the street names. Types by road class, with priorities
// main 3 > residential 2 > track 1. Farm tracks (Road::farm) carry farm vehicles only
// (SUMO 1.15 has no agricultural class: `custom1` stands for them), plus emergency and
// authority vehicles and bicycles; the other tracks are access roads (the school's, the
// utility sites', and neighbourhoods hang off them) and open to all. Junctions:
// `priority` where a main road meets others, where a track meets a residential street
// (the track yields) and where a road only goes on; `right_before_left` where three or
// more residential streets (or only tracks) meet; `traffic_light` at the market square
// where the recipe asks for one (traffic.signal_at_market). Ends of roads are left to
// netconvert: a dead end with a turnaround.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/bake/crs.h"
#include "app/bake/recipe.h"
#include "app/bake/town.h"

namespace zw::bake {

// The vehicle classes of SUMO that may use a farm track.
inline constexpr const char* farm_track_vehicle_classes = "custom1 emergency authority bicycle";

// The plain XML files of a town's network.
struct PlainNetwork {
    std::filesystem::path types, nodes, edges;
    size_t node_count = 0, edge_count = 0;  // SUMO edges: two per road-graph edge
    // The junction type asked for per node id ("priority", "right_before_left",
    // "traffic_light"); nodes not listed are left to netconvert.
    std::map<std::string, std::string> junction_types;
};

// Writes types.typ.xml, nodes.nod.xml and edges.edg.xml of `town` into `dir` (created).
// `signal_at_market`: a traffic light at the node where the main roads cross at the market
// square (Town::market). Throws zw::Error when a file cannot be written.
PlainNetwork write_plain_network(const Town& town, const Frame& frame, bool signal_at_market,
                                 const std::filesystem::path& dir);

// netconvert's arguments that build `net` from `plain` (the coordinates as above).
std::vector<std::string> netconvert_args(const PlainNetwork& plain, const std::filesystem::path& net);

struct TrafficNetwork {
    std::filesystem::path net;  // the network, as it goes into the twins
    nlohmann::json report;      // nodes, edges, junction types, netconvert's wall time and arguments
};

// Writes the plain XML into `work` and runs netconvert (engine/scenario/traffic/sumo_tools.h)
// into work/network.net.xml. Its header (a date and the work folder's paths) is replaced by
// a fixed one, so that the same town gives the same bytes. Throws zw::Error when netconvert
// is missing (install Debian's sumo package, or bake with --no-traffic) or fails (with the
// end of its log, kept in work/netconvert.log).
TrafficNetwork build_traffic_network(const Town& town, const Frame& frame, const Recipe& recipe,
                                     const std::filesystem::path& work);

}  // namespace zw::bake
