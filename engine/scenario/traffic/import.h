// A town's own SUMO run (its .net.xml and the FCD, edgeData and tripinfo outputs it wrote)
// turned into the files of a traffic bundle (docs/traffic-bundle.md), so that it plays in
// the viewer like a run of ours: `zwilling-traffic import`. Pure code: reads XML, writes the
// bundle; no SUMO library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <glm/vec3.hpp>

#include "engine/scenario/traffic/summary.h"
#include "engine/scenario/traffic/sumo_xml.h"
#include "engine/scenario/traffic/trajectories.h"

namespace zw::scenario::traffic {

struct SumoImportOptions {
    std::string net;       // the network the run used (.net.xml): its netOffset
    std::string fcd;       // FCD output (--fcd-output): trajectories.zwt
    std::string edgedata;  // optional edgeData output: edge_measures.json
    std::string tripinfo;  // optional tripinfo output: the trip figures of summary.json
    std::string routes;    // optional route file: the vClass of each vType (demand_xml.h)
    std::string out;       // the bundle folder (written whole or not at all, output_folder.h)
    // Optional ESRI ASCII grid of the ground's heights (EPSG:25832, metres above sea level;
    // the twin's scenarios/<flood>/terrain.asc is one): a vehicle the FCD gives no z (a
    // network without heights) is put on it, between cell centres bilinearly, off the grid
    // or on its NODATA cells at the nearest value. Without: such vehicles stay at z 0.
    std::string ground;
    // EPSG:25832 origin the trajectories are stored relative to; default: (-netOffset, 0),
    // so that the stored positions are the net's own coordinates (the twin frame's, for
    // the networks the bake writes).
    std::optional<glm::dvec3> origin;
};

struct SumoImportResult {
    FcdImportStats fcd;
    TrajectoryWriter::Stats trajectories;
    size_t edges = 0, intervals = 0;   // of edge_measures.json; 0 without edgeData
    std::optional<TripSummary> trips;  // with a tripinfo
    std::string summary_json;          // what summary.json holds
};

// Writes trajectories.zwt, edge_measures.json (with edgedata) and summary.json into
// options.out. Memory: one chunk of trajectories, the edge measures and the trips. Throws
// zw::Error naming the file for anything unreadable (sumo_xml.h); then nothing is written.
SumoImportResult import_sumo_run(const SumoImportOptions& options);

}  // namespace zw::scenario::traffic
