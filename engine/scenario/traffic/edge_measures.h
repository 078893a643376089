// Per-road measures of a traffic scenario as the viewer colours roads by them: for every
// edge and interval the flow, mean speed, density and waiting time, gathered from SUMO's
// edgeData output and stored as edge_measures.json (docs/traffic-bundle.md). Pure code.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/traffic/sumo_xml.h"

namespace zw::scenario::traffic {

// Limits the reader enforces.
inline constexpr size_t max_measure_edges = 1'000'000;
inline constexpr size_t max_measure_intervals = 100'000;
inline constexpr size_t max_measure_values = 50'000'000;  // edges x intervals

// Tables of intervals x edges: the value of edge j in interval i is at
// [i * edges.size() + j]. An edge SUMO did not report in an interval (no vehicle) has flow,
// density and waiting time 0 and speed NaN (null in the JSON); so has one with no sampled
// seconds.
struct EdgeMeasures {
    std::vector<std::string> edges;      // ascending
    std::vector<double> begin_s, end_s;  // per interval, in file order
    std::vector<double> flow_vph, speed_ms, density_veh_km, waiting_s;

    size_t at(size_t interval, size_t edge) const { return interval * edges.size() + edge; }
};

// Gathers the intervals of edgeData `id` (empty: the only one there is) into tables, values
// rounded to 0.01. Throws zw::Error when `intervals` hold several edgeData ids and none is
// named, none has `id`, or the tables would pass the limits above.
EdgeMeasures edge_measures(const std::vector<EdgeInterval>& intervals, std::string_view id = {});

// Writes `measures` as JSON to "<path>.tmp", then renames it to `path`. Throws zw::Error
// when it cannot be written.
void write_edge_measures(const std::string& path, const EdgeMeasures& measures);

// Reads what write_edge_measures wrote. Throws zw::Error naming the file and the field for
// anything else (wrong format or version, tables of the wrong shape, values that are not
// numbers, more than the limits).
EdgeMeasures read_edge_measures(const std::string& path);
// The same for the JSON text of such a file (a served twin's, fetched); `name` names it in
// messages.
EdgeMeasures parse_edge_measures(std::string_view text, const std::string& name);

}  // namespace zw::scenario::traffic
