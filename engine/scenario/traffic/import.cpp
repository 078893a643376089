#include "engine/scenario/traffic/import.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/scenario/traffic/demand_xml.h"
#include "engine/scenario/traffic/edge_measures.h"
#include "engine/scenario/traffic/output_folder.h"

namespace zw::scenario::traffic {

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
