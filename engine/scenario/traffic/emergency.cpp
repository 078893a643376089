#include "engine/scenario/traffic/emergency.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"

namespace zw::scenario::traffic {

EmergencyRouter::EmergencyRouter(const Network& net, glm::dvec2 station, const std::vector<Place>& places,
                                 const EmergencyOptions& options)
    : net_(net), options_(options) {
    if (!(options.turnout_s >= 0 && std::isfinite(options.turnout_s)))
        fail("emergency access: the turnout time ", options.turnout_s, " s is not 0 or more");
    if (!(options.target_s >= 0 && std::isfinite(options.target_s)))
        fail("emergency access: the response-time target ", options.target_s, " s is not 0 or more");
    if (!(options.speed_factor > 0 && std::isfinite(options.speed_factor)))
        fail("emergency access: the speed factor ", options.speed_factor, " is not above 0");
    graph_ = route_graph(net, options.vclass, options.speed_factor);
    const EdgeLocator locate(net, graph_, graph_.usable);
    const auto s = locate.nearest(station);
    if (!s)
        fail("emergency access: the traffic network has no edge that SUMO's class '", options.vclass,
             "' may use");
    station_ = *s;
    places_.reserve(places.size());
    for (const Place& p : places)
        places_.push_back(locate.nearest(p.position).value_or(EdgePosition{}));
}

EmergencyAccess EmergencyRouter::access(const std::vector<std::string>& closed_edges) const {
    std::vector<uint8_t> closed(net_.edges.size(), 0);
    for (const std::string& id : closed_edges) {
        const Edge* e = net_.edge(id);
        if (!e) fail("emergency access: the closed edge '", id, "' is not in the traffic network");
        closed[size_t(e - net_.edges.data())] = 1;
    }
    return access(closed);
}

EmergencyAccess EmergencyRouter::access(const std::vector<uint8_t>& closed_flags) const {
    std::vector<uint8_t> closed = closed_flags;
    closed.resize(net_.edges.size(), 0);
    const ShortestTimes times = shortest_times(graph_, station_.edge, station_.fraction, closed);
    const bool station_closed = closed[station_.edge] != 0;
    EmergencyAccess out;
    out.places.reserve(places_.size());
    for (const EdgePosition& p : places_) {
        PlaceAccess a;
        a.edge = p.edge;
        a.fraction = p.fraction;
        if (p.edge != no_edge && !closed[p.edge] && !station_closed) {
            double drive = unreachable_s;
            // On the station's own edge, ahead of the station: no detour needed.
            if (p.edge == station_.edge && p.fraction >= station_.fraction)
                drive = (p.fraction - station_.fraction) * graph_.time_s[p.edge];
            else if (times.start_s[p.edge] != unreachable_s)
                drive = times.start_s[p.edge] + p.fraction * graph_.time_s[p.edge];
            if (drive != unreachable_s) a.time_s = options_.turnout_s + drive;
        }
        a.in_time = a.time_s <= options_.target_s;
        if (a.time_s == unreachable_s)
            ++out.unreachable;
        else if (a.in_time)
            ++out.in_time;
        else
            ++out.late;
        out.places.push_back(a);
    }
    return out;
}

EmergencyAccess emergency_access(const Network& net, glm::dvec2 station, const std::vector<Place>& places,
                                 const EmergencyOptions& options,
                                 const std::vector<std::string>& closed_edges) {
    return EmergencyRouter(net, station, places, options).access(closed_edges);
}

EmergencySchedule emergency_over_closures(const EmergencyRouter& router,
                                          const std::vector<Closure>& closures) {
    const Network& net = router.network();
    // Each closure's edges as indices, checked once.
    std::vector<std::vector<uint32_t>> edges(closures.size());
    std::vector<double> times;
    for (size_t c = 0; c < closures.size(); ++c) {
        for (const std::string& id : closures[c].edges) {
            const Edge* e = net.edge(id);
            if (!e)
                fail("emergency access: closure '", closures[c].id, "' names the edge '", id,
                     "', which the traffic network does not have");
            edges[c].push_back(uint32_t(e - net.edges.data()));
        }
        for (const double t : {closures[c].from_s, closures[c].to_s})
            if (std::isfinite(t)) times.push_back(t);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());

    EmergencySchedule out;
    out.open = router.access(std::vector<uint8_t>(net.edges.size(), 0));
    out.worst_access = out.open;
    out.worst_time_s.resize(out.open.places.size());
    for (size_t i = 0; i < out.open.places.size(); ++i)
        out.worst_time_s[i] = out.open.places[i].time_s;
    std::vector<uint8_t> closed(net.edges.size());
    for (const double t : times) {
        std::fill(closed.begin(), closed.end(), uint8_t(0));
        for (size_t c = 0; c < closures.size(); ++c)
            if (!closures[c].open_at(t))
                for (const uint32_t e : edges[c])
                    closed[e] = 1;
        EmergencyAccess a = router.access(closed);
        ClosureState s;
        s.time_s = t;
        s.closed_edges = size_t(std::count(closed.begin(), closed.end(), uint8_t(1)));
        s.in_time = a.in_time;
        s.late = a.late;
        s.unreachable = a.unreachable;
        for (size_t i = 0; i < a.places.size(); ++i)
            out.worst_time_s[i] = std::max(out.worst_time_s[i], a.places[i].time_s);
        if (out.worst < 0 || s.not_in_time() > out.states[size_t(out.worst)].not_in_time()) {
            out.worst = int(out.states.size());
            out.worst_access = std::move(a);
        }
        out.states.push_back(s);
    }
    return out;
}

}  // namespace zw::scenario::traffic
