// Roads closed by a flood (engine/scenario/traffic/flood_closures.h): synthetic depth
// frames in which water crosses one road between two frame times; that road's closure
// interval, the threshold, directions merged or not, and roads outside the grid.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/traffic/flood_closures.h"
#include "tests/unit/traffic_test_net.h"

namespace {

using namespace zw::scenario;
using namespace zw::scenario::traffic;
using zw::test::NetBuilder;

constexpr double inf = std::numeric_limits<double>::infinity();

// 20 x 10 cells of 5 m from (1000, 2000): x 1000..1100, y 2000..2050.
DepthFrames empty_frames(const std::vector<double>& times) {
    DepthFrames f;
    f.ncols = 20;
    f.nrows = 10;
    f.xllcorner = 1000;
    f.yllcorner = 2000;
    f.cellsize = 5;
    f.times_s = times;
    f.depth_m.assign(times.size(), std::vector<float>(200, 0.0f));
    return f;
}

void set_cell(DepthFrames& f, size_t frame, uint32_t col, uint32_t row, float depth) {
    f.depth_m[frame][size_t(row) * f.ncols + col] = depth;
}

// "road" and "-road" along y = 2025 from x = 990 to 1110 (beyond the grid on both sides,
// no point of their shapes inside it), "dry" along y = 2045, "far" at y = 3000.
Network flood_network() {
    NetBuilder b;
    b.junction("a", 990, 2025);
    b.junction("b", 1110, 2025);
    b.junction("c", 990, 2045);
    b.junction("d", 1110, 2045);
    b.junction("e", 990, 3000);
    b.junction("f", 1110, 3000);
    b.road("road", "a", "b", 13.9);
    b.edge("dry", "c", "d", 13.9);
    b.road("far", "e", "f", 13.9);
    return b.done();
}

TEST(FloodClosures, WaterCrossingARoadClosesItBetweenFrames) {
    // One cell (col 10: x 1050..1055; row 5: y 2025..2030, which "-road"'s lane at
    // y = 2026.6 crosses, and "road"'s at 2023.4 does not: row 4) and the one below it.
    DepthFrames f = empty_frames({0, 600, 1200, 1800, 2400, 3000});
    const float depths[] = {0.0f, 0.29f, 0.31f, 0.8f, 0.2f, 0.0f};
    for (size_t k = 0; k < 6; ++k) {
        set_cell(f, k, 10, 4, depths[k]);
        set_cell(f, k, 10, 5, depths[k]);
        set_cell(f, k, 3, 8, 0.25f);  // under "dry" (y 2043.4), below the threshold
    }
    FloodClosureOptions o;
    o.flood_start_s = 8 * 3600;
    const std::vector<Closure> c = flood_closures(f, flood_network(), o);
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].kind, "flood");
    EXPECT_EQ(c[0].edges, (std::vector<std::string>{"road", "-road"}));
    EXPECT_EQ(c[0].id, "flood:road+-road:1");
    // Over 0.30 m from the frame at 1200 s to the frame at 2400 s (0.2 m).
    EXPECT_EQ(c[0].from_s, 8 * 3600 + 1200.0);
    EXPECT_EQ(c[0].to_s, 8 * 3600 + 2400.0);
    EXPECT_NE(c[0].reason_de.find("30 cm"), std::string::npos);
    EXPECT_FALSE(c[0].open_at(8 * 3600 + 1200.0));
    EXPECT_TRUE(c[0].open_at(8 * 3600 + 2400.0));

    // Each direction on its own.
    o.merge_directions = false;
    const std::vector<Closure> apart = flood_closures(f, flood_network(), o);
    ASSERT_EQ(apart.size(), 2u);
    EXPECT_EQ(apart[0].edges, (std::vector<std::string>{"-road"}));
    EXPECT_EQ(apart[1].edges, (std::vector<std::string>{"road"}));
    EXPECT_EQ(apart[1].from_s, 8 * 3600 + 1200.0);
    EXPECT_EQ(apart[1].to_s, 8 * 3600 + 2400.0);

    // Water over one direction's lane only: only that direction closes.
    for (size_t k = 0; k < 6; ++k)
        set_cell(f, k, 10, 4, 0.0f);
    o.merge_directions = true;
    const std::vector<Closure> one = flood_closures(f, flood_network(), o);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].edges, (std::vector<std::string>{"-road"}));
    EXPECT_EQ(one[0].id, "flood:-road:1");
}

TEST(FloodClosures, ThresholdIsRespected) {
    for (const float depth : {0.29f, 0.30f, 0.31f}) {
        DepthFrames f = empty_frames({0, 60});
        set_cell(f, 1, 0, 5, depth);  // the grid's first column, x 1000..1005
        const std::vector<Closure> c = flood_closures(f, flood_network());
        if (depth > 0.305f) {
            ASSERT_EQ(c.size(), 1u) << depth;
            EXPECT_EQ(c[0].from_s, 60.0);
            EXPECT_EQ(c[0].to_s, inf);  // still under water at the last frame
        } else {
            EXPECT_TRUE(c.empty()) << depth;
        }
    }
    // Another threshold.
    DepthFrames f = empty_frames({0, 60});
    set_cell(f, 1, 0, 5, 0.15f);
    FloodClosureOptions o;
    o.threshold_m = 0.10;
    EXPECT_EQ(flood_closures(f, flood_network(), o).size(), 1u);
}

TEST(FloodClosures, ReopensAndClosesAgainAsOftenAsTheWaterComes) {
    DepthFrames f = empty_frames({0, 100, 200, 300, 400});
    const float depths[] = {0.5f, 0.0f, 0.5f, 0.5f, 0.0f};
    for (size_t k = 0; k < 5; ++k)
        set_cell(f, k, 19, 5, depths[k]);
    FloodClosureOptions o;
    o.merge_directions = false;
    const std::vector<Closure> c = flood_closures(f, flood_network(), o);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].id, "flood:-road:1");
    EXPECT_EQ(c[0].from_s, 0.0);
    EXPECT_EQ(c[0].to_s, 100.0);
    EXPECT_EQ(c[1].id, "flood:-road:2");
    EXPECT_EQ(c[1].from_s, 200.0);
    EXPECT_EQ(c[1].to_s, 400.0);
}

TEST(FloodClosures, EdgesOutsideTheGridNeverClose) {
    DepthFrames f = empty_frames({0, 60});
    f.depth_m[1].assign(200, 1.0f);  // the whole grid a metre deep
    const std::vector<Closure> c = flood_closures(f, flood_network());
    std::vector<std::string> closed;
    for (const Closure& k : c)
        for (const std::string& e : k.edges)
            closed.push_back(e);
    std::sort(closed.begin(), closed.end());
    EXPECT_EQ(closed, (std::vector<std::string>{"-road", "dry", "road"}));  // not "far", "-far"
}

TEST(FloodClosures, BridgesCloseOnlyWhenTheWaterRisesOverThem) {
    // A creek along column 10 (x 1050..1055), its bed 1.6 m below the ground at 300 m;
    // "road" and "-road" cross it at 300 m (a bridge), "dry" at 0 m (heights on another
    // datum: the plain depth counts).
    AsciiGrid ground;
    ground.ncols = 20;
    ground.nrows = 10;
    ground.xllcorner = 1000;
    ground.yllcorner = 2000;
    ground.cellsize = 5;
    ground.values.assign(200, 300.0);
    for (uint32_t r = 0; r < 10; ++r)
        ground.at(10, r) = 298.4;
    Network net = flood_network();
    for (Edge& e : net.edges)
        for (Lane& l : e.lanes)
            for (glm::dvec3& p : l.shape)
                p.z = e.id == "dry" ? 0.0 : 300.0;
    DepthFrames f = empty_frames({0, 600, 1200});
    const float creek[] = {0.6f, 1.85f, 2.0f};  // the water surface at 299.0, 300.25 and 300.4 m
    for (size_t k = 0; k < 3; ++k)
        for (uint32_t r = 0; r < 10; ++r)
            set_cell(f, k, 10, r, creek[k]);

    // Without the ground, the creek's water closes the bridge and "dry" from the start.
    const std::vector<Closure> plain = flood_closures(f, net);
    ASSERT_EQ(plain.size(), 2u);
    EXPECT_EQ(plain[0].from_s, 0.0);
    EXPECT_EQ(plain[1].from_s, 0.0);
    // With it, the bridge closes when the surface is over 30 cm above the deck (1200 s);
    // "dry", whose heights are not the ground's, still at once.
    const std::vector<Closure> c = flood_closures(f, net, {}, &ground);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].edges, (std::vector<std::string>{"dry"}));
    EXPECT_EQ(c[0].from_s, 0.0);
    EXPECT_EQ(c[1].edges, (std::vector<std::string>{"road", "-road"}));
    EXPECT_EQ(c[1].from_s, 1200.0);
    EXPECT_EQ(c[1].to_s, inf);

    ground.ncols = 19;
    EXPECT_THROW(flood_closures(f, net, {}, &ground), zw::Error);
}

TEST(FloodClosures, RefusesBadInput) {
    DepthFrames f = empty_frames({0, 60});
    FloodClosureOptions o;
    o.threshold_m = -0.1;
    EXPECT_THROW(flood_closures(f, flood_network(), o), zw::Error);
    o = {};
    o.flood_start_s = std::nan("");
    EXPECT_THROW(flood_closures(f, flood_network(), o), zw::Error);
    f.depth_m[1].resize(10);
    EXPECT_THROW(flood_closures(f, flood_network()), zw::Error);
    // No frames: nothing closes.
    EXPECT_TRUE(flood_closures(DepthFrames{}, flood_network()).empty());
}

}  // namespace
