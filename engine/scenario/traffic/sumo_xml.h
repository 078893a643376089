// Streaming readers of SUMO's XML outputs (as SUMO 1.15 writes them), parsed with expat a
// block at a time, so that the FCD output of a four-hour run (hundreds of MB) never sits in
// memory: floating car data (--fcd-output), edge measures per interval (edgeData, an
// additional <edgeData> meandata output) and trips (--tripinfo-output); and the net offset
// of a .net.xml. Times may be seconds ("3600.00") or SUMO's human-readable times
// ("1:00:00", "1:00:00:00" with days). Pure code.
//
// Errors are zw::Error naming the file: one that cannot be read; XML that is not well formed
// ("SUMO FCD output 'fcd.xml' is not well-formed XML: line 7, column 3: mismatched tag");
// another kind of file (its root element); a required attribute missing or a number that
// is not one, with the line ("SUMO FCD output 'fcd.xml', line 12: <vehicle> attribute
// x='abc' is not a number").
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <glm/vec2.hpp>

#include "engine/scenario/traffic/trajectories.h"

namespace zw::scenario::traffic {

// One <vehicle> of an FCD <timestep>. The strings point into the parser's buffer: valid
// only during the callback.
struct FcdVehicle {
    std::string_view id, type, lane;  // type: the vType id (SUMO's DEFAULT_VEHTYPE when absent)
    double x = 0, y = 0, z = 0;       // net coordinates (m); z 0 when the net has no heights
    bool has_z = false;               // z was given (SUMO writes it only for a net with heights)
    double angle_deg = 0;             // clockwise from north
    double speed_ms = 0, pos_m = 0, slope_deg = 0;
};

struct FcdCallbacks {
    std::function<void(double time_s)> step;                 // each <timestep>, in file order
    std::function<void(const FcdVehicle& vehicle)> vehicle;  // each <vehicle> inside it
};

// Reads an FCD output (<fcd-export><timestep time><vehicle id x y .../>...), calling
// `callbacks` (either may be empty) per timestep and per vehicle. <person> and
// <container> elements are skipped. A <vehicle> needs id, x and y; z, angle, speed, pos and
// slope default to 0. Memory: one 64 KiB block. Throws zw::Error as above, also for a
// <vehicle> outside a <timestep>; an exception from a callback ends the read (a zw::Error
// gets the file and line put in front of its message).
void read_fcd(const std::string& path, const FcdCallbacks& callbacks);

// How FCD positions become EPSG:25832 and vehicle types become classes.
struct FcdImport {
    // SUMO's netOffset (the .net.xml's <location netOffset="x,y">): net coordinates are the
    // projected ones plus it, so the projected position is (x, y) minus it.
    glm::dvec2 net_offset{0, 0};
    // Classes by vType id (from the route files, where vClass is known); any other type is
    // classed by vehicle_class_of(type).
    std::unordered_map<std::string, VehicleClass> vtype_classes;
    // The height of a vehicle the FCD gives no z (a network without heights puts every
    // vehicle at 0, metres under the town): the ground's height above sea level at an
    // EPSG:25832 (easting, northing). Empty: such vehicles stay at z 0.
    std::function<double(double easting, double northing)> ground;
};

struct FcdImportStats {
    uint64_t steps = 0, samples = 0;
};

// Feeds an FCD output into `writer` (begin_step per timestep, add per vehicle) with the
// positions moved into EPSG:25832 by `import`. Does not finish the writer. Throws as
// read_fcd, and the writer's errors (times that do not grow, a vehicle twice in a
// timestep) with the FCD's file and line.
FcdImportStats fcd_to_trajectories(const std::string& path, TrajectoryWriter& writer,
                                   const FcdImport& import = {});

// The netOffset of a SUMO network (.net.xml): "x,y" of its <location>, which comes before
// the edges, so only the file's start is read. Throws zw::Error for a file without one.
glm::dvec2 read_net_offset(const std::string& path);

// One <edge> of an edgeData interval. Missing attributes (SUMO leaves most out where no
// vehicle was on the edge) are 0.
struct EdgeMeasure {
    std::string edge;
    double sampled_s = 0;       // sampledSeconds: vehicle-seconds spent on the edge
    double traveltime_s = 0;    // mean time to pass it
    double density_veh_km = 0;  // vehicles per km (all lanes)
    double lane_density_veh_km = 0;
    double occupancy_pct = 0;
    double waiting_s = 0;    // waitingTime: vehicle-seconds standing
    double time_loss_s = 0;  // vehicle-seconds lost against driving at the allowed speed
    double speed_ms = 0;     // mean speed; 0 where no vehicle was on the edge (sampled_s 0)
    double departed = 0, arrived = 0, entered = 0, left = 0;  // vehicles
    // Vehicles per hour: `entered` (or `left` where SUMO leaves entered out) over the
    // interval's length; 0 for an interval of no length.
    double flow_vph = 0;
};

struct EdgeInterval {
    std::string id;  // the edgeData's id
    double begin_s = 0, end_s = 0;
    std::vector<EdgeMeasure> edges;  // in file order
};

// Reads an edgeData output (<meandata><interval begin end id><edge id .../>...). An
// interval needs begin and end; an edge its id; <lane> elements inside edges (laneData)
// are skipped. Memory: the measures. Throws zw::Error as above.
std::vector<EdgeInterval> read_edge_data(const std::string& path);

// One <tripinfo>: a vehicle's trip.
struct TripInfo {
    std::string id, vtype, depart_lane, arrival_lane;
    double depart_s = 0;
    double arrival_s = -1;  // -1: not arrived (written with --tripinfo-output.write-unfinished)
    double duration_s = 0, route_length_m = 0, time_loss_s = 0, waiting_s = 0, depart_delay_s = 0;
    // Why SUMO took the vehicle out before its destination ("traci": a closure left it no
    // way on); empty where it arrived. Such a trip counts as not arrived.
    std::string vaporized;
    bool arrived() const { return arrival_s >= 0 && vaporized.empty(); }
};

// Reads a tripinfo output (<tripinfos><tripinfo id depart arrival duration routeLength
// timeLoss waitingTime vType departLane arrivalLane departDelay .../>). <personinfo> and the
// children of a trip (emissions) are skipped; a trip needs an id. Throws zw::Error as above.
std::vector<TripInfo> read_tripinfo(const std::string& path);

// A SUMO time as seconds: "3600.00", "-1" or "1:00:00" / "1:00:00:00" ([[days:]hours:]
// minutes:seconds). False for anything else.
bool parse_sumo_time(std::string_view text, double& seconds);

}  // namespace zw::scenario::traffic
