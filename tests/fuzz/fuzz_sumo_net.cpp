// libFuzzer target: the SUMO network reader (engine/scenario/traffic/network), streaming
// through expat. Bad input must end in zw::Error; any other exception, a sanitizer report
// or a broken invariant below is a finding. Invariants: every edge has lanes indexed 0..n-1
// with shapes of two or more finite points and a finite speed and length; a normal edge's
// junctions exist; a connection's edges and lanes exist; every lookup finds the element of
// its id. The first input byte chooses whether internal edges are kept.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/core/error.h"
#include "engine/scenario/traffic/network.h"

namespace {

const bool verbose = std::getenv("ZW_FUZZ_VERBOSE") != nullptr;

[[noreturn]] void broken_invariant(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_sumo_net: invariant broken: %s: %s\n", what, detail.c_str());
    std::abort();
}

void finite(const glm::dvec3& p, const std::string& where) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z))
        broken_invariant("a point is not finite", where);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    using namespace zw::scenario::traffic;
    NetworkReadOptions options;
    options.internal = data[0] & 1;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    Network net;
    try {
        net = parse_network(text, "fuzz.net.xml", options);
    } catch (const zw::Error& e) {
        if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
        return 0;
    }
    for (const Edge& e : net.edges) {
        if (net.edge(e.id) != &e) broken_invariant("edge lookup", e.id);
        if (e.lanes.empty()) broken_invariant("an edge without lanes", e.id);
        if (e.internal() && !options.internal) broken_invariant("an internal edge kept", e.id);
        if (!e.internal() && (!net.junction(e.from) || !net.junction(e.to)))
            broken_invariant("a missing junction", e.id);
        for (const glm::dvec3& p : e.shape)
            finite(p, e.id);
        for (size_t i = 0; i < e.lanes.size(); ++i) {
            const Lane& l = e.lanes[i];
            if (l.index != int(i)) broken_invariant("lane index", l.id);
            if (net.lane(l.id) != &l) broken_invariant("lane lookup", l.id);
            if (l.shape.size() < 2) broken_invariant("a lane shape of fewer than two points", l.id);
            if (!std::isfinite(l.speed) || !std::isfinite(l.length) || !std::isfinite(l.width) || l.speed < 0)
                broken_invariant("lane numbers", l.id);
            for (const glm::dvec3& p : l.shape)
                finite(p, l.id);
        }
    }
    for (const Junction& j : net.junctions) {
        if (net.junction(j.id) != &j) broken_invariant("junction lookup", j.id);
        finite(j.position, j.id);
        for (const glm::dvec3& p : j.shape)
            finite(p, j.id);
    }
    for (const Connection& c : net.connections) {
        const Edge* from = net.edge(c.from);
        const Edge* to = net.edge(c.to);
        if (!from || !to) broken_invariant("a connection's edge", c.from + " -> " + c.to);
        if (c.from_lane < 0 || size_t(c.from_lane) >= from->lanes.size() || c.to_lane < 0 ||
            size_t(c.to_lane) >= to->lanes.size())
            broken_invariant("a connection's lane", c.from + " -> " + c.to);
    }
    if (!std::isfinite(net.net_offset.x) || !std::isfinite(net.net_offset.y))
        broken_invariant("netOffset", std::to_string(net.net_offset.x));
    return 0;
}
