// SUMO networks (engine/scenario/traffic/network.h): a small hand-written .net.xml read
// with its offset to EPSG:25832, internal edges skipped unless asked for, lookups by id;
// malformed and hostile files refused with the file, the line and what is wrong. And the
// SUMO tools (engine/scenario/traffic/sumo_tools.h), with stand-in scripts: found on PATH
// or in SUMO_HOME/bin, run without a shell, their output in the log; a missing tool is a
// message that says what to install.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "engine/core/error.h"
#include "engine/scenario/traffic/network.h"
#include "engine/scenario/traffic/sumo_tools.h"
#include "temp_dir.h"

namespace {

namespace traffic = zw::scenario::traffic;
namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "";
}

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Two junctions 100 m apart, a road both ways (one with a custom shape and a street name),
// an internal edge and the connections, as netconvert writes them. The net's coordinates
// are EPSG:25832 + netOffset.
const char* const small_net = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- hand-written -->
<net version="1.9" junctionCornerDetail="5">
    <location netOffset="-632000.00,-5497000.00" convBoundary="0.00,0.00,100.00,0.00" origBoundary="632000.00,5497000.00,632100.00,5497000.00" projParameter="+proj=utm +zone=32 +ellps=GRS80 +units=m +no_defs"/>
    <type id="main" priority="3" numLanes="1" speed="13.89"/>
    <edge id=":b_0" function="internal">
        <lane id=":b_0_0" index="0" speed="3.82" length="5.11" shape="99.66,-1.72 101.7,0.00 100.34,1.72"/>
    </edge>
    <edge id="e0" from="a" to="b" priority="3" type="main" name="Hauptstra&#223;e &amp; Markt" shape="0.00,0.00,300.00 50.00,10.00,301.00 100.00,0.00,302.00">
        <lane id="e0_0" index="0" speed="13.89" length="95.19" width="3.50" shape="7.70,-0.24,300.15 50.00,8.22,301.00 99.66,-1.72,302.00"/>
    </edge>
    <edge id="-e0" from="b" to="a" priority="1" type="track">
        <lane id="-e0_0" index="0" allow="emergency custom1" speed="8.33" length="92.50" shape="100.00,1.75 0.00,1.75"/>
        <lane id="-e0_1" index="1" disallow="pedestrian" speed="8.33" length="92.50" width="2.75" shape="100.00,4.50 0.00,4.50"/>
    </edge>
    <junction id="a" type="dead_end" x="0.00" y="0.00" z="300.00" incLanes="-e0_0" intLanes="" shape="0.00,0.00 0.00,3.50"/>
    <junction id="b" type="priority" x="100.00" y="0.00" incLanes="e0_0" intLanes=":b_0_0" shape="100.00,0.00 99.31,-3.43">
        <request index="0" response="0" foes="0" cont="0"/>
    </junction>
    <junction id=":b_0_0" type="internal" x="101.00" y="0.00" incLanes="e0_0" intLanes=""/>
    <connection from="e0" to="-e0" fromLane="0" toLane="0" via=":b_0_0" dir="t" state="M"/>
    <connection from=":b_0" to="-e0" fromLane="0" toLane="0" dir="t" state="M"/>
</net>
)";

TEST(TrafficNetwork, ReadsASmallNetworkInEpsg25832) {
    const traffic::Network net = traffic::parse_network(small_net, "small.net.xml");
    EXPECT_TRUE(net.has_location);
    EXPECT_EQ(net.net_offset, glm::dvec2(-632000, -5497000));
    EXPECT_EQ(net.orig_boundary[2], 632100.0);
    EXPECT_EQ(net.conv_boundary[2], 100.0);
    EXPECT_NE(net.proj_parameter.find("+zone=32"), std::string::npos);

    ASSERT_EQ(net.edges.size(), 2u) << "the internal edge is skipped";
    const traffic::Edge* e = net.edge("e0");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->from, "a");
    EXPECT_EQ(e->to, "b");
    EXPECT_EQ(e->type, "main");
    EXPECT_EQ(e->priority, 3);
    EXPECT_EQ(e->name, "Hauptstraße & Markt");
    EXPECT_FALSE(e->internal());
    // Positions: net - netOffset, z as in the file.
    ASSERT_EQ(e->shape.size(), 3u);
    EXPECT_EQ(e->shape[1], glm::dvec3(632050, 5497010, 301));
    ASSERT_EQ(e->lanes.size(), 1u);
    const traffic::Lane& l = e->lanes[0];
    EXPECT_EQ(l.id, "e0_0");
    EXPECT_DOUBLE_EQ(l.speed, 13.89);
    EXPECT_DOUBLE_EQ(l.length, 95.19);
    EXPECT_DOUBLE_EQ(l.width, 3.5);
    ASSERT_EQ(l.shape.size(), 3u);
    EXPECT_NEAR(l.shape[0].x, 632007.70, 1e-9);
    EXPECT_NEAR(l.shape[0].y, 5496999.76, 1e-9);
    EXPECT_DOUBLE_EQ(l.shape[0].z, 300.15);

    const traffic::Edge* back = net.edge("-e0");
    ASSERT_NE(back, nullptr);
    EXPECT_TRUE(back->shape.empty()) << "no shape attribute: the line between the junctions";
    ASSERT_EQ(back->lanes.size(), 2u);
    EXPECT_EQ(back->lanes[0].allow, "emergency custom1");
    EXPECT_DOUBLE_EQ(back->lanes[0].width, 3.2) << "SUMO's default lane width";
    EXPECT_EQ(back->lanes[1].disallow, "pedestrian");
    EXPECT_EQ(back->lanes[0].shape[1], glm::dvec3(632000, 5497001.75, 0));
    EXPECT_EQ(net.lane("-e0_1"), &back->lanes[1]);

    ASSERT_EQ(net.junctions.size(), 2u) << "the internal junction is skipped";
    const traffic::Junction* a = net.junction("a");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->type, "dead_end");
    EXPECT_EQ(a->position, glm::dvec3(632000, 5497000, 300));
    ASSERT_EQ(a->shape.size(), 2u);
    EXPECT_EQ(a->shape[1], glm::dvec3(632000, 5497003.5, 0));
    EXPECT_EQ(net.junction("b")->type, "priority");

    ASSERT_EQ(net.connections.size(), 1u) << "the one from the internal edge is skipped";
    EXPECT_EQ(net.connections[0].from, "e0");
    EXPECT_EQ(net.connections[0].to, "-e0");
    EXPECT_EQ(net.connections[0].via, ":b_0_0");
    EXPECT_EQ(net.connections[0].dir, "t");
    EXPECT_EQ(net.connections[0].state, "M");

    EXPECT_EQ(net.edge("e1"), nullptr);
    EXPECT_EQ(net.lane("e0_1"), nullptr);
    EXPECT_EQ(net.junction(":b_0_0"), nullptr);
    // FCD positions are net coordinates.
    EXPECT_EQ(net.to_epsg({12.5, -3}), glm::dvec2(632012.5, 5496997));
    EXPECT_EQ(net.to_net({632012.5, 5496997}), glm::dvec2(12.5, -3));
}

TEST(TrafficNetwork, KeepsInternalEdgesWhenAsked) {
    traffic::NetworkReadOptions o;
    o.internal = true;
    const traffic::Network net = traffic::parse_network(small_net, "small.net.xml", o);
    ASSERT_EQ(net.edges.size(), 3u);
    const traffic::Edge* e = net.edge(":b_0");
    ASSERT_NE(e, nullptr);
    EXPECT_TRUE(e->internal());
    EXPECT_EQ(e->function, "internal");
    EXPECT_EQ(e->lanes[0].shape[1].x, 632101.7);
    EXPECT_NE(net.junction(":b_0_0"), nullptr);
    EXPECT_EQ(net.connections.size(), 2u);
}

TEST(TrafficNetwork, TheOffsetAppliesWhereverTheLocationStands) {
    // A <location> after the positions (SUMO writes it first; others need not).
    std::string text = small_net;
    const size_t at = text.find("    <location");
    const std::string location = text.substr(at, text.find('\n', at) + 1 - at);
    text.erase(at, location.size());
    text.insert(text.find("</net>"), location);
    const traffic::Network net = traffic::parse_network(text, "late.net.xml");
    EXPECT_EQ(net.junction("a")->position, glm::dvec3(632000, 5497000, 300));
    // Without one: net coordinates as they are.
    text.erase(text.find("    <location"), location.size());
    const traffic::Network plain = traffic::parse_network(text, "plain.net.xml");
    EXPECT_FALSE(plain.has_location);
    EXPECT_EQ(plain.net_offset, glm::dvec2(0.0));
    EXPECT_EQ(plain.junction("b")->position, glm::dvec3(100, 0, 0));
}

// A line of `text` replaced: the malformed files below are the small one with one fault.
std::string with(const std::string& from, const std::string& to) {
    std::string text = small_net;
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

int line_of(const std::string& text, const std::string& needle) {
    const size_t at = text.find(needle);
    return 1 + int(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n'));
}

TEST(TrafficNetwork, RefusesMalformedFilesNamingFileAndLine) {
    struct Case {
        std::string text, expect;
        int line;  // 0: not checked
    };
    const std::string bad_speed = with("speed=\"13.89\" length=\"95.19\"", "speed=\"fast\" length=\"95.19\"");
    const std::string bad_point = with("50.00,8.22,301.00", "50.00,8.22,301.00,7");
    const std::string nan_point = with("50.00,8.22,301.00", "nan,8.22");
    const std::string huge = with("x=\"100.00\"", "x=\"1e400\"");
    const std::string no_junction = with("from=\"b\" to=\"a\"", "from=\"b\" to=\"z\"");
    const std::string twice = with("id=\"-e0\"", "id=\"e0\"");
    const std::string lane_order = with("index=\"1\"", "index=\"3\"");
    const std::string no_lanes = with(R"(<edge id="-e0" from="b" to="a" priority="1" type="track">)",
                                      R"(<edge id="-e1" from="b" to="a"/><edge id="-e0" from="b" to="a">)");
    const std::string bad_connection =
        with("to=\"-e0\" fromLane=\"0\" toLane=\"0\" via", "to=\"-e9\" fromLane=\"0\" toLane=\"0\" via");
    const std::string bad_lane = with("fromLane=\"0\" toLane=\"0\" via", "fromLane=\"4\" toLane=\"0\" via");
    const std::string unclosed = std::string(small_net).substr(0, std::string(small_net).find("</edge>"));
    const std::string bomb =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE net [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
        "\"&a;&a;&a;&a;&a;&a;\">]>\n"
        "<net><edge id=\"&b;\" from=\"x\" to=\"y\"/></net>\n";
    const Case cases[] = {
        {bad_speed, "<lane> speed 'fast' is not a number", line_of(bad_speed, "fast")},
        {bad_point, "not a point x,y or x,y,z", line_of(bad_point, "301.00,7")},
        {nan_point, "not a point x,y or x,y,z", line_of(nan_point, "nan,")},
        {huge, "x '1e400' is not a number", line_of(huge, "1e400")},
        {no_junction, "edge '-e0' names junction 'z', which the network does not have",
         line_of(no_junction, "\"z\"")},
        {twice, "a second edge 'e0'", line_of(twice, "type=\"track\"")},
        {lane_order, "has index 3 where 1 comes next", line_of(lane_order, "index=\"3\"")},
        {no_lanes, "edge '-e1' has no lanes", line_of(no_lanes, "-e1")},
        {bad_connection, "names an edge the network does not have", line_of(bad_connection, "-e9")},
        {bad_lane, "names a lane the edge does not have", line_of(bad_lane, "fromLane=\"4\"")},
        {unclosed, "not well-formed XML", 0},
        {bomb, "DOCTYPE", 2},
        {"<nodes><node id=\"a\"/></nodes>", "not a SUMO network", 1},
        {"", "not well-formed XML", 1},
        {"<net><location netOffset=\"1;2\"/></net>", "netOffset '1;2' is not two numbers", 1},
        {"<net><edge id=\"e\" from=\"a\" to=\"b\"><lane id=\"l\" index=\"0\" speed=\"1\" length=\"1\" "
         "shape=\"0,0\"/>"
         "</edge></net>",
         "fewer than two points", 1},
    };
    for (const Case& c : cases) {
        const std::string msg = error_of([&] { traffic::parse_network(c.text, "broken.net.xml"); });
        SCOPED_TRACE(c.expect);
        EXPECT_NE(msg.find("traffic network 'broken.net.xml'"), std::string::npos) << msg;
        EXPECT_NE(msg.find(c.expect), std::string::npos) << msg;
        if (c.line) {
            EXPECT_NE(msg.find("line " + std::to_string(c.line) + ":"), std::string::npos) << msg;
        }
    }
}

TEST(TrafficNetwork, ReadsAFileInPiecesAndSaysWhenItCannot) {
    zw::test::TempDir dir;
    // Larger than the reader's 64 KiB pieces: elements cross their borders.
    std::ostringstream big;
    big << "<net>\n  <location netOffset=\"-100.00,-200.00\"/>\n";
    const int n = 2000;
    for (int i = 0; i < n; ++i)
        big << "  <edge id=\"e" << i << "\" from=\"j" << i << "\" to=\"j" << i + 1 << "\"><lane id=\"e" << i
            << "_0\" index=\"0\" speed=\"13.89\" length=\"10\" shape=\"" << i * 10 << ".00,0.00 "
            << i * 10 + 10 << ".00,0.00\"/></edge>\n";
    for (int i = 0; i <= n; ++i)
        big << "  <junction id=\"j" << i << "\" type=\"priority\" x=\"" << i * 10 << "\" y=\"0\"/>\n";
    big << "</net>\n";
    ASSERT_GT(big.str().size(), 3u * 64 * 1024);
    write_text(dir.path() / "big.net.xml", big.str());
    const traffic::Network net = traffic::read_network(dir.path() / "big.net.xml");
    ASSERT_EQ(net.edges.size(), size_t(n));
    ASSERT_EQ(net.junctions.size(), size_t(n + 1));
    EXPECT_EQ(net.lane("e1234_0")->shape[1], glm::dvec3(12450, 200, 0));

    std::string msg = error_of([&] { traffic::read_network(dir.path() / "missing.net.xml"); });
    EXPECT_NE(msg.find("missing.net.xml"), std::string::npos) << msg;
    EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
    msg = error_of([&] { traffic::read_network(dir.path()); });
    EXPECT_NE(msg.find("is a folder"), std::string::npos) << msg;
    write_text(dir.path() / "broken.net.xml",
               "<net>\n<edge id=\"a\" from=\"x\" to=\"y\">\n<lane/>\n</edge>\n</net>\n");
    msg = error_of([&] { traffic::read_network(dir.path() / "broken.net.xml"); });
    EXPECT_NE(msg.find("broken.net.xml', line 3: <lane> has no id"), std::string::npos) << msg;
}

// ---- SUMO tools ----------------------------------------------------------------------

// Sets PATH and SUMO_HOME for a test and restores them.
class Environment {
  public:
    Environment() {
        for (const char* name : {"PATH", "SUMO_HOME"})
            if (const char* v = std::getenv(name)) saved_[name] = v;
    }
    ~Environment() {
        for (const char* name : {"PATH", "SUMO_HOME"}) {
            if (const auto it = saved_.find(name); it != saved_.end())
                ::setenv(name, it->second.c_str(), 1);
            else
                ::unsetenv(name);
        }
    }
    Environment(const Environment&) = delete;
    Environment& operator=(const Environment&) = delete;

  private:
    std::map<std::string, std::string> saved_;
};

// A stand-in for a SUMO tool: a shell script (the tool itself runs without a shell).
void script(const fs::path& path, const std::string& body) {
    fs::create_directories(path.parent_path());
    write_text(path, "#!/bin/sh\n" + body + "\n");
    fs::permissions(path, fs::perms::owner_all);
}

TEST(SumoTools, AMissingToolSaysWhatToInstall) {
    zw::test::TempDir dir;
    Environment env;
    fs::create_directories(dir.path() / "empty");
    ::setenv("PATH", (dir.path() / "empty").c_str(), 1);
    ::unsetenv("SUMO_HOME");
    std::string msg = error_of([] { traffic::find_sumo_tool("netconvert"); });
    for (const char* part : {"'netconvert' was not found on PATH", "apt install sumo", "SUMO_HOME"})
        EXPECT_NE(msg.find(part), std::string::npos) << part << " in: " << msg;
    msg = error_of([&] { traffic::run_sumo_tool("duarouter", {"--help"}, dir.path() / "log.txt"); });
    EXPECT_NE(msg.find("'duarouter' was not found"), std::string::npos) << msg;
    EXPECT_FALSE(fs::exists(dir.path() / "log.txt"));
    // With SUMO_HOME set, the message names where it looked.
    ::setenv("SUMO_HOME", (dir.path() / "sumo").c_str(), 1);
    msg = error_of([] { traffic::find_sumo_tool("sumo"); });
    EXPECT_NE(msg.find((dir.path() / "sumo" / "bin").string()), std::string::npos) << msg;
    // Only plain names: no paths smuggled in.
    msg = error_of([] { traffic::find_sumo_tool("../bin/sh"); });
    EXPECT_NE(msg.find("not the name of a SUMO tool"), std::string::npos) << msg;
}

TEST(SumoTools, RunsAToolWithoutAShellAndKeepsItsOutput) {
    zw::test::TempDir dir;
    Environment env;
    // In SUMO_HOME/bin when PATH has none; arguments one per line as the tool got them.
    script(dir.path() / "sumo" / "bin" / "netconvert", "printf '%s\\n' \"$@\"; echo to-stderr >&2; exit 3");
    fs::create_directories(dir.path() / "empty");
    ::setenv("PATH", (dir.path() / "empty").c_str(), 1);
    ::setenv("SUMO_HOME", (dir.path() / "sumo").c_str(), 1);
    EXPECT_EQ(traffic::find_sumo_tool("netconvert"), dir.path() / "sumo" / "bin" / "netconvert");
    const fs::path log = dir.path() / "netconvert.log";
    write_text(log, "old log\n");
    const std::vector<std::string> args = {"--output-file", "a b's \"net\".xml", "$(touch pwned)", "*"};
    EXPECT_EQ(traffic::run_sumo_tool("netconvert", args, log), 3);
    EXPECT_EQ(read_text(log), "--output-file\na b's \"net\".xml\n$(touch pwned)\n*\nto-stderr\n");
    EXPECT_FALSE(fs::exists("pwned"));
    EXPECT_EQ(traffic::log_tail(log, 2), "*\nto-stderr");

    // PATH first; a signal's end reads as 128 + its number.
    script(dir.path() / "path" / "netconvert", "kill -TERM $$");
    ::setenv("PATH",
             (dir.path() / "empty").string().append(":").append((dir.path() / "path").string()).c_str(), 1);
    EXPECT_EQ(traffic::find_sumo_tool("netconvert"), dir.path() / "path" / "netconvert");
    EXPECT_EQ(traffic::run_sumo_tool("netconvert", {}, log), 128 + 15);
    // A log that cannot be written.
    const std::string msg =
        error_of([&] { traffic::run_sumo_tool("netconvert", {}, dir.path() / "no" / "log"); });
    EXPECT_NE(msg.find("cannot write the log of netconvert"), std::string::npos) << msg;
}

TEST(SumoTools, SetsSumoHomeWhereTheInstallationHasItsData) {
    zw::test::TempDir dir;
    Environment env;
    // Debian's layout: /usr/bin/<tool> and /usr/share/sumo/data/xsd.
    script(dir.path() / "usr" / "bin" / "sumo", "echo \"home=$SUMO_HOME\"");
    fs::create_directories(dir.path() / "usr" / "share" / "sumo" / "data" / "xsd");
    ::setenv("PATH", (dir.path() / "usr" / "bin").c_str(), 1);
    ::unsetenv("SUMO_HOME");
    const fs::path log = dir.path() / "sumo.log";
    EXPECT_EQ(traffic::run_sumo_tool("sumo", {}, log), 0);
    EXPECT_EQ(read_text(log),
              "home=" + (fs::canonical(dir.path()) / "usr" / "share" / "sumo").string() + "\n");
    // A SUMO_HOME that is set stays as it is.
    ::setenv("SUMO_HOME", "/opt/sumo", 1);
    EXPECT_EQ(traffic::run_sumo_tool("sumo", {}, log), 0);
    EXPECT_EQ(read_text(log), "home=/opt/sumo\n");
}

}  // namespace
