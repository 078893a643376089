#include "engine/scenario/traffic/import.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <tuple>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/traffic/demand_xml.h"
#include "engine/scenario/traffic/edge_measures.h"
#include "engine/scenario/traffic/output_folder.h"

namespace zw::scenario::traffic {
namespace {

// The grid's height at (x, y): bilinear between the centres of the four cells around it,
// clamped to the grid's edge; NODATA corners left out (all four: the nearest cell's value,
// or 0 for a cell without one).
double height_at(const AsciiGrid& g, double x, double y) {
    const double fx = std::clamp((x - g.xllcorner) / g.cellsize - 0.5, 0.0, double(g.ncols - 1));
    const double fy = std::clamp((y - g.yllcorner) / g.cellsize - 0.5, 0.0, double(g.nrows - 1));
    const auto c0 = uint32_t(fx), r0 = uint32_t(fy);
    const uint32_t c1 = std::min(c0 + 1, g.ncols - 1), r1 = std::min(r0 + 1, g.nrows - 1);
    const double wx = fx - c0, wy = fy - r0;
    double sum = 0, weight = 0;
    for (const auto& [c, r, w] : {std::tuple{c0, r0, (1 - wx) * (1 - wy)}, std::tuple{c1, r0, wx * (1 - wy)},
                                  std::tuple{c0, r1, (1 - wx) * wy}, std::tuple{c1, r1, wx * wy}})
        if (!g.is_nodata(g.at(c, r))) sum += w * g.at(c, r), weight += w;
    if (weight > 0) return sum / weight;
    const double nearest = g.at(uint32_t(std::lround(fx)), uint32_t(std::lround(fy)));
    return g.is_nodata(nearest) ? 0.0 : nearest;
}

}  // namespace

SumoImportResult import_sumo_run(const SumoImportOptions& o) {
    if (o.net.empty() || o.fcd.empty()) fail("a SUMO run's import needs its network and its FCD output");
    if (o.out.empty()) fail("a SUMO run's import needs an output folder");
    SumoImportResult result;
    FcdImport import;
    import.net_offset = read_net_offset(o.net);
    if (!o.routes.empty())
        for (const VehicleType& t : read_demand(o.routes).types)
            import.vtype_classes.emplace(t.id, vehicle_class_of(t.id, t.vclass));
    // Read everything that can fail before the folder is made.
    if (!o.ground.empty()) {
        auto grid = std::make_shared<const AsciiGrid>(read_ascii_grid(o.ground));
        auto on_ground = [grid](double e, double n) { return height_at(*grid, e, n); };
        import.ground = on_ground;
    }
    std::optional<EdgeMeasures> measures;
    if (!o.edgedata.empty()) measures = edge_measures(read_edge_data(o.edgedata));
    std::vector<TripInfo> trips;
    if (!o.tripinfo.empty()) {
        trips = read_tripinfo(o.tripinfo);
        result.trips = summarize_trips(trips);
    }
    StagedFolder out(o.out);
    TrajectoryWriter writer(out.file("trajectories.zwt"),
                            o.origin.value_or(glm::dvec3(-import.net_offset.x, -import.net_offset.y, 0)));
    result.fcd = fcd_to_trajectories(o.fcd, writer, import);
    writer.finish();
    result.trajectories = writer.stats();
    if (measures) {
        write_edge_measures(out.file("edge_measures.json"), *measures);
        result.edges = measures->edges.size();
        result.intervals = measures->begin_s.size();
    }
    nlohmann::json summary = summary_json(result.trips.value_or(TripSummary{}));
    summary["format"] = "zwilling-traffic-summary";
    summary["format_version"] = 1;
    summary["source"] = "import";
    summary["import"] = {{"net", o.net},
                         {"fcd", o.fcd},
                         {"edgedata", o.edgedata.empty() ? nlohmann::json() : nlohmann::json(o.edgedata)},
                         {"tripinfo", o.tripinfo.empty() ? nlohmann::json() : nlohmann::json(o.tripinfo)},
                         {"steps", result.fcd.steps},
                         {"samples", result.fcd.samples},
                         {"vehicles", result.trajectories.vehicles},
                         {"edges", result.edges},
                         {"intervals", result.intervals}};
    result.summary_json = summary.dump(2) + "\n";
    {
        std::ofstream f(out.file("summary.json"), std::ios::binary);
        f << result.summary_json;
        if (!f.flush())
            fail("cannot write summary.json into '", out.path().string(), "' (is the disk full?)");
    }
    out.commit();
    return result;
}

}  // namespace zw::scenario::traffic
