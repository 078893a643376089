// Emergency access: how fast the fire brigade reaches every place of the town from its
// station, at free flow on the open network and under a scenario's closures, and which
// places it reaches within the response-time target. Pure code (routing.h): no SUMO run.
//
// The engine drives the fastest route at the lanes' speed limits (times a speed factor)
// on the edges SUMO's class `emergency` may use, turning only where the network's
// connections let it (a network without connections: onto any edge leaving the junction
// but straight back). The station and each place are attached to the nearest edge the
// class may use, at their projection on it (routing.h, EdgeLocator): the engine sets off
// from the station's projection and drives only the rest of that edge; a place's time is
// the time to reach the start of its edge plus the fraction of that edge up to the
// place's projection (on the station's own edge past the start: just the piece between).
// Closed edges are never entered: a place whose edge is closed is unreachable (its road
// is blocked), and with the station's own edge closed nothing is reachable. The crossing
// of junctions is not counted (a few seconds each). A place's time adds the turnout time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "engine/scenario/traffic/closure.h"
#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/places.h"
#include "engine/scenario/traffic/routing.h"

namespace zw::scenario::traffic {

struct EmergencyOptions {
    std::string vclass = "emergency";  // SUMO's class whose lanes the engine may use
    // From the alarm to the engine leaving the station. 0: the drive alone is timed.
    // Volunteer brigades (as in a market town) need some 4 to 6 minutes to turn out; set
    // it (e.g. 300) to compare with a target that counts from the alarm.
    double turnout_s = 0;
    // The response-time target: reached "in time" at or below it. 10 minutes, as Bavaria
    // plans its fire brigades ("Hilfsfrist", from the call to the arrival).
    double target_s = 600;
    // The engine's speed over the limit (1: at the limit; blue lights allow more).
    double speed_factor = 1;
};

struct PlaceAccess {
    double time_s = unreachable_s;  // turnout + drive; unreachable_s where no route is open
    bool in_time = false;           // time_s <= target_s
    uint32_t edge = no_edge;        // the edge the place is attached to (Network::edges)
    double fraction = 0;            // where along it
};

struct EmergencyAccess {
    std::vector<PlaceAccess> places;  // in the order of the places given
    size_t in_time = 0;               // reached within the target
    size_t late = 0;                  // reached, but after the target
    size_t unreachable = 0;           // no open route
    size_t not_in_time() const { return late + unreachable; }
};

// The network, station and places prepared once (graph, attachments), for evaluating
// many sets of closures. Keeps a reference to `net`: it must outlive the router. Throws zw::Error when no
// edge of the network lets the class through, or options are out of range (a negative turnout or target, a
// speed factor not above 0).
class EmergencyRouter {
  public:
    EmergencyRouter(const Network& net, glm::dvec2 station, const std::vector<Place>& places,
                    const EmergencyOptions& options = {});

    // Access with the given edges closed (ids of Network::edges; an id the network lacks
    // throws zw::Error naming it). One Dijkstra: O(E log E + places).
    EmergencyAccess access(const std::vector<std::string>& closed_edges = {}) const;

    // The same with one flag per edge of the network (1: closed).
    EmergencyAccess access(const std::vector<uint8_t>& closed) const;

    uint32_t station_edge() const { return station_.edge; }
    double station_fraction() const { return station_.fraction; }
    const RouteGraph& graph() const { return graph_; }
    const Network& network() const { return net_; }

  private:
    const Network& net_;
    EmergencyOptions options_;
    RouteGraph graph_;
    EdgePosition station_;
    std::vector<EdgePosition> places_;  // edge no_edge where none was found
};

// One evaluation: EmergencyRouter(net, station, places, options).access(closed_edges).
EmergencyAccess emergency_access(const Network& net, glm::dvec2 station, const std::vector<Place>& places,
                                 const EmergencyOptions& options = {},
                                 const std::vector<std::string>& closed_edges = {});

// The state at one time of a closure schedule: the closures then in force.
struct ClosureState {
    double time_s = 0;        // seconds of the day
    size_t closed_edges = 0;  // edges closed then
    size_t in_time = 0, late = 0, unreachable = 0;
    size_t not_in_time() const { return late + unreachable; }
};

struct EmergencySchedule {
    EmergencyAccess open;              // with no closure
    std::vector<ClosureState> states;  // at each time a closure begins or ends, ascending
    int worst = -1;                    // the state with the most places not reached in time
                                       // (the first of equals); -1 without states
    EmergencyAccess worst_access;      // the places then (`open` without states)
    std::vector<double> worst_time_s;  // per place: the longest time over the states and `open`
};

// Access over time under `closures`: evaluated at each distinct finite from_s and to_s
// (Closure::open_at decides which are in force then; between two such times nothing
// changes). Throws zw::Error for a closure naming an edge the network lacks. One
// Dijkstra per time.
EmergencySchedule emergency_over_closures(const EmergencyRouter& router,
                                          const std::vector<Closure>& closures);

}  // namespace zw::scenario::traffic
