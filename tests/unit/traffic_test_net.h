// Small SUMO networks built in memory for the traffic unit tests (no netconvert): straight
// edges between junctions, each lane 3.2 m wide and laid right of the centre line as
// SUMO lays them, so that a point right of a road's direction lies nearest that
// direction's lane.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>

#include <glm/glm.hpp>

#include "engine/scenario/traffic/network.h"

namespace zw::test {

struct NetBuilder {
    scenario::traffic::Network net;

    void junction(const std::string& id, double x, double y, const std::string& type = "priority") {
        scenario::traffic::Junction j;
        j.id = id;
        j.type = type;
        j.position = {x, y, 0.0};
        net.junctions.push_back(j);
    }

    const scenario::traffic::Junction& at(const std::string& id) const {
        for (const auto& j : net.junctions)
            if (j.id == id) return j;
        throw std::runtime_error("no junction " + id);
    }

    // An edge with one lane (lane 0 is 1.6 m right of the centre line), `length` the
    // distance between the junctions unless given.
    scenario::traffic::Edge& edge(const std::string& id, const std::string& from, const std::string& to,
                                  double speed, int priority = -1, const std::string& allow = "",
                                  const std::string& disallow = "", int lanes = 1) {
        const glm::dvec2 a(at(from).position), b(at(to).position);
        const glm::dvec2 d = glm::normalize(b - a);
        const glm::dvec2 right(d.y, -d.x);
        scenario::traffic::Edge e;
        e.id = id;
        e.from = from;
        e.to = to;
        e.priority = priority;
        for (int k = 0; k < lanes; ++k) {
            scenario::traffic::Lane l;
            l.id = id + "_" + std::to_string(k);
            l.index = k;
            l.speed = speed;
            l.length = glm::length(b - a);
            l.allow = allow;
            l.disallow = disallow;
            // Lane 0 outermost on the right.
            const glm::dvec2 off = right * (1.6 + 3.2 * double(lanes - 1 - k));
            l.shape = {glm::dvec3(a + off, 0.0), glm::dvec3(b + off, 0.0)};
            e.lanes.push_back(l);
        }
        net.edges.push_back(e);
        return net.edges.back();
    }

    // Both directions: `id` from -> to and "-" + id back.
    void road(const std::string& id, const std::string& from, const std::string& to, double speed,
              int priority = -1, const std::string& allow = "") {
        edge(id, from, to, speed, priority, allow);
        edge("-" + id, to, from, speed, priority, allow);
    }

    void connect(const std::string& from, const std::string& to) {
        scenario::traffic::Connection c;
        c.from = from;
        c.to = to;
        net.connections.push_back(c);
    }

    scenario::traffic::Network done() {
        net.index();
        return net;
    }
};

// The point at `fraction` along lane 0 of `e`, moved `side` metres to its right.
inline glm::dvec2 on_lane(const scenario::traffic::Edge& e, double fraction, double side = 0.5) {
    const glm::dvec2 a(e.lanes[0].shape.front()), b(e.lanes[0].shape.back());
    const glm::dvec2 d = glm::normalize(b - a);
    return a + (b - a) * fraction + glm::dvec2(d.y, -d.x) * side;
}

}  // namespace zw::test
