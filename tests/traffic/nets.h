// Small SUMO networks for the traffic tests, built by netconvert from plain XML that the test
// writes: a grid of two-way streets in EPSG:25832 coordinates, so that the network has a
// netOffset (netconvert moves the south-west node to 0, 0).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>

#include "engine/core/error.h"
#include "engine/scenario/traffic/sumo_tools.h"

namespace zw::test {

namespace fs = std::filesystem;

inline std::string write_text(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "no error";
}

// The grid's south-west node, EPSG:25832: the network's netOffset is minus this.
inline constexpr double grid_x0 = 630000, grid_y0 = 5497000;

// Node "<column letter><row digit>" (A0 south-west; columns go east, rows north), 200 m apart;
// edge "A0B0" from A0 to B0, one lane, 13.89 m/s, in both directions between neighbours.
// `extra` adds attributes to edges by id (e.g. {"B1C1", "disallow=\"truck\""}). Returns
// the path of dir/grid.net.xml. Fails the test when netconvert does.
inline std::string grid_net(const fs::path& dir, int columns, int rows,
                            const std::map<std::string, std::string>& extra = {}) {
    auto node = [](int c, int r) { return std::string(1, char('A' + c)) + std::to_string(r); };
    std::string nodes = "<nodes>\n", edges = "<edges>\n";
    for (int c = 0; c < columns; ++c)
        for (int r = 0; r < rows; ++r)
            nodes += "  <node id=\"" + node(c, r) + "\" x=\"" + std::to_string(grid_x0 + 200 * c) +
                     "\" y=\"" + std::to_string(grid_y0 + 200 * r) + "\" type=\"priority\"/>\n";
    auto edge = [&](int c0, int r0, int c1, int r1) {
        if (c1 < 0 || r1 < 0 || c1 >= columns || r1 >= rows) return;
        const std::string id = node(c0, r0) + node(c1, r1);
        const auto it = extra.find(id);
        edges += "  <edge id=\"" + id + "\" from=\"" + node(c0, r0) + "\" to=\"" + node(c1, r1) +
                 "\" numLanes=\"1\" speed=\"13.89\"" + (it == extra.end() ? "" : " " + it->second) + "/>\n";
    };
    for (int c = 0; c < columns; ++c)
        for (int r = 0; r < rows; ++r) {
            edge(c, r, c + 1, r);
            edge(c, r, c - 1, r);
            edge(c, r, c, r + 1);
            edge(c, r, c, r - 1);
        }
    const std::string nod = write_text(dir / "grid.nod.xml", nodes + "</nodes>\n");
    const std::string edg = write_text(dir / "grid.edg.xml", edges + "</edges>\n");
    const std::string net = (dir / "grid.net.xml").string();
    const int rc = scenario::traffic::run_sumo_tool(
        "netconvert", {"--node-files", nod, "--edge-files", edg, "-o", net, "--no-turnarounds", "true"},
        dir / "netconvert.log");
    EXPECT_EQ(rc, 0) << scenario::traffic::log_tail(dir / "netconvert.log");
    return net;
}

}  // namespace zw::test
