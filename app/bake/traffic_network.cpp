#include "app/bake/traffic_network.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "app/bake/output_dir.h"
#include "app/bake/town_layers.h"
#include "app/bake/town_meshes.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/sumo_tools.h"
#include "engine/scenario/traffic/xml_text.h"

namespace zw::bake {
namespace {

namespace fs = std::filesystem;
using glm::dvec2;

// EPSG:25832: UTM zone 32 on GRS80 (ETRS89, which PROJ takes as WGS84 at this accuracy).
constexpr const char* epsg25832_proj =
    "+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";
// Shape points at most this far apart, so that z follows the terrain (and the bridges).
constexpr double z_step_m = 20;

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

const char* type_id(RoadClass c) {
    return road_class_name(c);  // "main", "residential", "track": as graph.json's "class"
}

// The junction type a node gets (empty: netconvert decides).
std::string junction_type(const Town& town, const std::vector<uint32_t>& incident, bool signal) {
    if (incident.size() < 2) return {};  // an end: a dead end with a turnaround
    if (signal) return "traffic_light";
    int main = 0, residential = 0, track = 0;
    for (uint32_t e : incident) {
        switch (town.roads[town.edges[e].road].cls) {
            case RoadClass::main:
                ++main;
                break;
            case RoadClass::residential:
                ++residential;
                break;
            case RoadClass::track:
                ++track;
                break;
        }
    }
    if (main > 0 || incident.size() == 2) return "priority";
    // Only residential streets, or only tracks: right before left. A track meeting a
    // street yields to it (as a field track does), by priority.
    if (residential > 0 && track > 0) return "priority";
    return "right_before_left";
}

}  // namespace

PlainNetwork write_plain_network(const Town& town, const Frame& frame, bool signal_at_market,
                                 const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail("cannot create '", dir.string(), "': ", ec.message());
    PlainNetwork plain;
    plain.types = dir / "types.typ.xml";
    plain.nodes = dir / "nodes.nod.xml";
    plain.edges = dir / "edges.edg.xml";
    const double h0 = frame.origin_height();
    auto height = [&](dvec2 p) { return h0 + road_z(town.terrain, p, 0.0); };

    // Every edge's shape, resampled for the heights; and the bounds of it all.
    std::vector<std::vector<dvec2>> shapes;
    dvec2 lo(1e300), hi(-1e300);
    for (const RoadEdge& e : town.edges) {
        shapes.push_back(resample(e.shape, z_step_m));
        for (const dvec2& p : shapes.back()) {
            lo = glm::min(lo, p);
            hi = glm::max(hi, p);
        }
    }
    for (const RoadNode& n : town.nodes) {
        lo = glm::min(lo, dvec2(n.position));
        hi = glm::max(hi, dvec2(n.position));
    }
    if (town.nodes.empty()) lo = hi = dvec2(0.0);

    // The market square's node, if the recipe wants a signal there.
    uint32_t signal_node = UINT32_MAX;
    if (signal_at_market) {
        double best = 1.0;  // the through roads meet exactly there
        for (uint32_t i = 0; i < town.nodes.size(); ++i)
            if (const double d = glm::length(dvec2(town.nodes[i].position) - town.market); d < best) {
                best = d;
                signal_node = i;
            }
        if (signal_node == UINT32_MAX)
            fail(
                "the recipe asks for a traffic light at the market square (traffic.signal_at_market), but no "
                "junction of the road graph lies there");
    }
    std::vector<std::vector<uint32_t>> incident(town.nodes.size());
    for (uint32_t i = 0; i < town.edges.size(); ++i) {
        incident[town.edges[i].from].push_back(i);
        incident[town.edges[i].to].push_back(i);
    }

    const std::string header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    {
        std::ostringstream t;
        t << header << "<!-- zwilling-bake: road types by class (app/bake/traffic_network.h) -->\n<types>\n";
        t << "    <type id=\"" << type_id(RoadClass::main)
          << "\" priority=\"3\" numLanes=\"1\" speed=\"13.8889\"/>\n";
        t << "    <type id=\"" << type_id(RoadClass::residential)
          << "\" priority=\"2\" numLanes=\"1\" speed=\"8.3333\"/>\n";
        t << "    <type id=\"" << type_id(RoadClass::track)
          << "\" priority=\"1\" numLanes=\"1\" speed=\"8.3333\"/>\n";
        t << "</types>\n";
        write_file(plain.types, t.str());
    }
    {
        const dvec2 offset(-frame.origin_easting(), -frame.origin_northing());
        std::ostringstream n;
        n << header
          << "<!-- zwilling-bake: the road graph's nodes (roads/graph.json ids) in bake-local metres; "
             "EPSG:25832 = (x, y) - netOffset, z above sea level -->\n<nodes>\n";
        n << "    <location netOffset=\"" << fixed(offset.x, 2) << "," << fixed(offset.y, 2)
          << "\" convBoundary=\"" << fixed(lo.x, 2) << "," << fixed(lo.y, 2) << "," << fixed(hi.x, 2) << ","
          << fixed(hi.y, 2) << "\" origBoundary=\"" << fixed(lo.x - offset.x, 2) << ","
          << fixed(lo.y - offset.y, 2) << "," << fixed(hi.x - offset.x, 2) << "," << fixed(hi.y - offset.y, 2)
          << "\" projParameter=\"" << epsg25832_proj << "\"/>\n";
        for (uint32_t i = 0; i < town.nodes.size(); ++i) {
            const dvec2 p(town.nodes[i].position);
            const std::string id = "n" + std::to_string(i);
            n << "    <node id=\"" << id << "\" x=\"" << fixed(p.x, 3) << "\" y=\"" << fixed(p.y, 3)
              << "\" z=\"" << fixed(height(p), 3) << "\"";
            if (const std::string type = junction_type(town, incident[i], i == signal_node); !type.empty()) {
                n << " type=\"" << type << "\"";
                plain.junction_types[id] = type;
            }
            n << "/>\n";
        }
        n << "</nodes>\n";
        write_file(plain.nodes, n.str());
        plain.node_count = town.nodes.size();
    }
    {
        std::ostringstream x;
        x << header
          << "<!-- zwilling-bake: two edges per road-graph edge, eN from -> to and -eN back, on the same "
             "centre "
             "line; each direction's lanes lie right of it -->\n<edges>\n";
        for (uint32_t i = 0; i < town.edges.size(); ++i) {
            const RoadEdge& e = town.edges[i];
            const Road& r = town.roads[e.road];
            const int lanes = std::max(1, r.lanes);
            for (const bool forward : {true, false}) {
                std::vector<dvec2> pts = shapes[i];
                if (!forward) std::reverse(pts.begin(), pts.end());
                std::string shape;
                for (const dvec2& p : pts)
                    shape += (shape.empty() ? "" : " ") + fixed(p.x, 3) + "," + fixed(p.y, 3) + "," +
                             fixed(height(p), 3);
                x << "    <edge id=\"" << (forward ? "" : "-") << "e" << i << "\" from=\"n"
                  << (forward ? e.from : e.to) << "\" to=\"n" << (forward ? e.to : e.from) << "\" type=\""
                  << type_id(r.cls) << "\" numLanes=\"" << lanes << "\" speed=\""
                  << fixed(r.speed_kmh / 3.6, 4) << "\" width=\"" << fixed(r.width / (2.0 * lanes), 3)
                  << "\" spreadType=\"right\"";
                if (r.farm) x << " allow=\"" << farm_track_vehicle_classes << "\"";
                if (!r.name.empty()) x << " name=\"" << scenario::traffic::xml_escaped(r.name) << "\"";
                x << " shape=\"" << shape << "\"/>\n";
                ++plain.edge_count;
            }
        }
        x << "</edges>\n";
        write_file(plain.edges, x.str());
    }
    return plain;
}

std::vector<std::string> netconvert_args(const PlainNetwork& plain, const fs::path& net) {
    return {"--type-files", plain.types.string(), "--node-files", plain.nodes.string(), "--edge-files",
            plain.edges.string(), "--output-file", net.string(),
            // The node file's <location> holds the offset to EPSG:25832: keep the
            // coordinates as they are (no shift of the network to (0, 0)).
            "--offset.disable-normalization", "true",
            // Nodes where a road only bends or changes its name stay junctions: every
            // road-graph edge keeps its two SUMO edges.
            "--geometry.remove", "false", "--output.street-names", "true",
            // U-turns only at dead ends (where a car has no other way back).
            "--no-turnarounds.except-deadend", "true", "--roundabouts.guess", "false", "--tls.guess",
            "false"};
}

TrafficNetwork build_traffic_network(const Town& town, const Frame& frame, const Recipe& recipe,
                                     const fs::path& work) {
    const PlainNetwork plain = write_plain_network(town, frame, recipe.signal_at_market, work);
    const fs::path raw = work / "netconvert.net.xml", log = work / "netconvert.log";
    const std::vector<std::string> args = netconvert_args(plain, raw);
    core::info("bake: traffic network: netconvert on ", plain.node_count, " nodes and ", plain.edge_count,
               " edges...");
    const auto t0 = std::chrono::steady_clock::now();
    const int status = scenario::traffic::run_sumo_tool("netconvert", args, log);
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (status != 0)
        fail("netconvert failed (exit status ", status, ") on the town's road network; the end of its log (",
             log.string(), "):\n", scenario::traffic::log_tail(log));

    // netconvert's header holds the date and the work folder's paths: a fixed one instead.
    // Its words go into the citizens' twin, which the leak scan reads word by word: none
    // may be a restricted one (the utilities' attribute "network", for one).
    std::ifstream in(raw, std::ios::binary);
    if (!in) fail("netconvert wrote no network ('", raw.string(), "'); its log: ", log.string());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string version = "netconvert";
    const size_t open = text.find("<!-- generated on");
    if (open != std::string::npos) {
        const size_t close = text.find("-->", open);
        if (close == std::string::npos)
            fail("netconvert's network '", raw.string(), "' has an unclosed comment");
        const std::string comment = text.substr(open, close - open);
        if (const size_t by = comment.find(" by "); by != std::string::npos)
            version = comment.substr(by + 4, comment.find('\n', by) - by - 4);
        text.erase(open, close + 3 - open);
    }
    std::string options;
    for (size_t i = 0; i + 1 < args.size(); i += 2)
        if (args[i].find("-files") == std::string::npos && args[i] != "--output-file")
            options += (options.empty() ? "" : ", ") + args[i].substr(2) + " " + args[i + 1];
    const std::string ours =
        "<!-- zwilling-bake: the town's roads for SUMO, built by " + version +
        " from the road graph (roads/graph.json: node nN, edge eN from -> to and -eN back) with " + options +
        ".\n     x, y: metres east and north of twin.json's origin; EPSG:25832 = (x, y) - netOffset; z: "
        "metres "
        "above sea level. Synthetic town: not real data. -->";
    if (open != std::string::npos)
        text.insert(open, ours);
    else if (const size_t line = text.find('\n'); line != std::string::npos)
        text.insert(line + 1, ours + "\n");  // after the XML declaration
    else
        text += "\n" + ours + "\n";
    TrafficNetwork out;
    out.net = work / "network.net.xml";
    write_file(out.net, text);

    // Read back with the engine's reader: what the twins get must read.
    const scenario::traffic::Network net = scenario::traffic::read_network(out.net);
    std::map<std::string, int> types;
    for (const scenario::traffic::Junction& j : net.junctions)
        ++types[j.type];
    std::string command = "netconvert";
    for (const std::string& a : args)
        command += " " + (a.find('/') != std::string::npos ? fs::path(a).filename().string() : a);
    out.report = {{"road_graph_nodes", town.nodes.size()},
                  {"road_graph_edges", town.edges.size()},
                  {"junctions", net.junctions.size()},
                  {"edges", net.edges.size()},
                  {"junction_types", types},
                  {"netconvert", command},
                  {"netconvert_s", wall_s},
                  {"bytes", text.size()}};
    std::string summary;
    for (const auto& [type, n] : types)
        summary += (summary.empty() ? "" : ", ") + std::to_string(n) + " " + type;
    core::info("bake: traffic network: ", net.junctions.size(), " junctions (", summary, "), ",
               net.edges.size(), " edges, netconvert ", std::lround(wall_s * 1000), " ms");
    return out;
}

}  // namespace zw::bake
