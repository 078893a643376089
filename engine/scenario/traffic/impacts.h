// What a traffic scenario B changes against scenario A, as the viewer's traffic panel
// shows it and its CSV export writes it: the trip figures overall, per district of the
// trips' origin, the roads whose load grew most, and the buildings the fire brigade no
// longer reaches in time. With only A, the same figures of A alone (absolute, no change).
// Pure code: the callers read the files (summary.json, districts.json, edge_measures.json,
// emergency.json; docs/traffic-bundle.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <glm/glm.hpp>
#include <nlohmann/json.hpp>

#include "engine/core/numbers.h"
#include "engine/scenario/traffic/edge_measures.h"
#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/summary.h"
#include "engine/scenario/traffic/sumo_xml.h"

namespace zw::scenario::traffic {

// ---- Districts: the town and its villages (Ortsteile) ---------------------------------

// A district as a circle: the town's generator knows its settlements as centre and radius.
struct District {
    std::string name;
    glm::dvec2 centre{0.0};  // EPSG:25832 easting, northing
    double radius_m = 0;
};

// The trips that start in one district (or outside every one: through traffic and
// in-commuters, which enter at the network's edge).
struct DistrictFigures {
    std::string name;      // the district's; empty for `outside`
    bool outside = false;  // the trips that start in no district
    uint64_t trips = 0, arrived = 0;
    double mean_travel_time_s = 0;  // of the arrived trips; 0 without
    double time_loss_vh = 0;        // their delay, vehicle-hours
};

// The district `p` lies in: among those whose circle holds it, the one it is nearest to
// relative to the radius (distance / radius); -1 where none holds it.
int district_of(glm::dvec2 p, const std::vector<District>& districts);

// The figures per district of each trip's origin: the middle of its depart lane (SUMO's
// departLane, found in `net`; a trip whose lane the network lacks counts as outside). One
// entry per district, in their order, then the outside one. O(trips x districts).
std::vector<DistrictFigures> district_figures(const std::vector<TripInfo>& trips, const Network& net,
                                              const std::vector<District>& districts);

// districts.json (docs/traffic-bundle.md): {"format": "zwilling-traffic-districts",
// "format_version": 1, "districts": [{name, easting, northing, radius_m, trips, arrived,
// mean_travel_time_s, time_loss_vh}], "outside": {trips, arrived, mean_travel_time_s,
// time_loss_vh}}. `figures` as district_figures returns them.
nlohmann::json districts_json(const std::vector<District>& districts,
                              const std::vector<DistrictFigures>& figures);
// Reads it back (the districts, then the outside entry). Throws zw::Error for another
// format or version or entries that are not objects; missing numbers are 0.
std::vector<DistrictFigures> parse_districts(const nlohmann::json& j);

// One row of the per-district comparison: A's and B's figures of a district by name (a
// district only one side has gets zeros on the other). A's order, then B's extra ones, the
// outside entry last.
struct DistrictRow {
    std::string name;
    bool outside = false;
    DistrictFigures a;
    std::optional<DistrictFigures> b;
};
std::vector<DistrictRow> district_rows(const std::vector<DistrictFigures>& a,
                                       const std::vector<DistrictFigures>* b);

// ---- Overall -------------------------------------------------------------------------

struct OverallRow {
    enum class What { mean_travel_time_s, time_loss_vh, vehicle_km, arrived, not_started } what;
    double a = 0;
    std::optional<double> b;  // without B: none
};
// Mean travel time (s), total delay (veh-h), vehicle-km, arrived trips and trips not
// started (where summary.json's run says; else the row has 0), in that order.
std::vector<OverallRow> overall_rows(const TripSummary& a, std::optional<uint64_t> a_not_started,
                                     const TripSummary* b, std::optional<uint64_t> b_not_started);

// ---- Most affected roads -------------------------------------------------------------

// An edge's load over the whole run: flow = the vehicles that entered it per hour of the
// run (the intervals' flows weighted by their length), speed = the space-mean speed (the
// intervals' mean speeds weighted by density x length, i.e. by vehicle-seconds on the
// edge); NaN where no vehicle used it.
struct RoadLoad {
    double flow_vph = 0;
    double speed_ms = 0;
};
RoadLoad road_load(const EdgeMeasures& m, size_t edge);

struct RoadChange {
    std::string edge;       // SUMO's edge id
    double flow_a_vph = 0;  // over the run (road_load); 0 where A does not have the edge
    double speed_a_ms = 0;  // NaN: no vehicle
    std::optional<double> flow_b_vph, speed_b_ms;  // without B: none
    double flow_change_vph() const { return flow_b_vph ? *flow_b_vph - flow_a_vph : 0.0; }
};

// The `top` edges whose flow grew most from A to B (only those that grew; ties: the larger
// drop in speed first, then the id), or without B the `top` busiest edges of A. Edges
// inside junctions (ids starting with ':') are left out. O(edges x intervals + edges log
// edges).
std::vector<RoadChange> most_affected_roads(const EdgeMeasures& a, const EdgeMeasures* b, size_t top = 10);

// A road's name for a list: the street's name from the network with its id in brackets,
// or the id alone where the network has no name (or no such edge).
std::string road_label(const Network* net, const std::string& edge);
// The middle of an edge's first lane (EPSG:25832 with height); nullopt where the network
// lacks it.
std::optional<glm::dvec3> edge_middle(const Network& net, const std::string& edge);

// The whole network over the run, per interval of `m`: the vehicles on the road (each
// edge's density times its length, summed) and their mean speed (space-mean: the edges'
// speeds weighted by their vehicles; NaN with none). Edges the network lacks are left out.
// O(edges x intervals).
struct NetworkSeries {
    std::vector<double> begin_s, end_s;  // the intervals
    std::vector<float> vehicles, speed_kmh;
};
NetworkSeries network_series(const EdgeMeasures& m, const Network& net);
// The value of `series` (per interval of `s`) at time `t_s`: the interval holding it; NaN
// outside the run.
float series_at(const NetworkSeries& s, const std::vector<float>& series, double t_s);

// ---- The fire brigade's reach --------------------------------------------------------

// One row of emergency.json's "buildings" (council and administration twins only): the
// time from the station on the open network and at the scenario's worst moment (nullopt:
// unreachable), and where the building stands where the file says.
struct BuildingReach {
    std::string id;
    std::optional<double> open_s, worst_s;
    std::optional<glm::dvec2> position;  // EPSG:25832 easting, northing
};
// The rows of emergency.json's {"buildings": {"columns": [...], "rows": [...]}} by their
// column names (id, open_s, worst_s, easting, northing; others ignored). Empty where the
// file has no buildings (the citizens' twin). Throws zw::Error for rows of the wrong shape.
std::vector<BuildingReach> parse_building_reach(const nlohmann::json& emergency);

struct LostBuilding {
    std::string id;
    std::optional<double> a_s, b_s;  // before and after (nullopt: unreachable)
    std::optional<glm::dvec2> position;
};
// The buildings reached within `target_s` in A's worst moment but not in B's (matched by
// id). Without B: those A reaches in time on the open network but not at its worst moment
// (the closures' loss). Ordered by id.
std::vector<LostBuilding> no_longer_in_time(const std::vector<BuildingReach>& a,
                                            const std::vector<BuildingReach>* b, double target_s);

// ---- Export --------------------------------------------------------------------------

// Everything the panel compares, for the CSV.
struct ImpactsReport {
    std::string a_id, b_id;  // b_id empty: A alone
    std::vector<OverallRow> overall;
    std::vector<DistrictRow> districts;
    std::vector<RoadChange> roads;
    std::vector<std::string> road_names;  // per road: road_label (empty: the id)
    // The fire brigade: counts at the worst moment (in time, late, unreachable) per side
    // where known, and the buildings no longer reached in time (council and
    // administration twins only).
    std::optional<std::array<uint64_t, 3>> emergency_a, emergency_b;
    std::vector<LostBuilding> lost;
};

// The report as CSV (UTF-8, RFC 4180 quoting of fields holding the separator, a quote or
// a line break; docs/traffic-bundle.md, "Impacts CSV"): header
// `section,id,name,measure,unit,a,b,change`, then rows of the sections overall, district,
// road, emergency, emergency_lost. b and change are empty without B (and where a side
// lacks the value). English (the default): comma-separated, '.' decimals. German
// (`csv.style` de): a UTF-8 BOM, ';', ',' decimals, the header
// `Abschnitt;ID;Name;Größe;Einheit;A;B;Änderung` and the sections, measures and units in
// German words.
std::string impacts_csv(const ImpactsReport& report, const core::CsvDialect& csv = {});
// A CSV field (English dialect): as is, or quoted with its quotes doubled.
std::string csv_field(const std::string& text);

}  // namespace zw::scenario::traffic
