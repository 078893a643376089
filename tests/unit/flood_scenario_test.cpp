// Flood scenario files (engine/scenario/flood_scenario.h): what they say, the messages
// that name the field, the series, and the measures as raster edits.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "engine/core/error.h"
#include "engine/scenario/flood_scenario.h"

namespace {

using namespace zw::scenario;

const char* const scenario_json = R"({
  "format": "zwilling-flood-scenario", "format_version": 1,
  "id": "hq100-measures", "title_de": "HQ100 mit Maßnahmen", "title_en": "HQ100 with measures",
  "terrain": "terrain.asc", "manning": 0.04,
  "boundaries": {"east": "free"},
  "duration_s": 3600, "output": {"interval_s": 1000},
  "inflows": [{"name": "Seebach", "at": [[5, 25]], "hydrograph": [[0, 0], [1800, 20], [3600, 5]]}],
  "rain": [[0, 10], [600, 0]],
  "measures": [
    {"kind": "mobile_wall", "line": [[20, 0], [20, 40]], "height_m": 1.2},
    {"kind": "dike_raise", "line": [[0, 35], [40, 35]], "height_m": 0.5, "width_m": 4},
    {"kind": "retention_basin", "polygon": [[30, 0], [40, 0], [40, 10], [30, 10]], "depth_m": 2}],
  "solver": {"courant": 0.45, "second_order": true}})";

std::string error_of(const std::string& text) {
    try {
        parse_flood_scenario(text, "/data/s.json");
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "no error";
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

std::string with(const std::string& from, const std::string& to) {
    std::string s = scenario_json;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
}

TEST(FloodScenario, ReadsEveryPart) {
    const FloodScenario s = parse_flood_scenario(scenario_json, "/data/s.json");
    EXPECT_EQ(s.id, "hq100-measures");
    EXPECT_EQ(s.terrain, "/data/terrain.asc");
    EXPECT_DOUBLE_EQ(s.manning, 0.04);
    EXPECT_EQ(s.boundaries[1], Boundary::free_outflow);  // east
    EXPECT_EQ(s.boundaries[0], Boundary::closed);        // north, by default
    EXPECT_EQ(s.output_times_s, (std::vector<double>{1000, 2000, 3000, 3600}));
    ASSERT_EQ(s.inflows.size(), 1u);
    EXPECT_DOUBLE_EQ(s.inflows[0].discharge.at(900), 10);
    EXPECT_DOUBLE_EQ(s.inflows[0].discharge.at(9000), 5);  // constant beyond the end
    // 0..1800 rising to 20, 1800..3600 falling to 5: 18,000 + 22,500 m^3.
    EXPECT_DOUBLE_EQ(s.inflows[0].discharge.integral(0, 3600), 40500);
    EXPECT_DOUBLE_EQ(s.inflows[0].discharge.integral(900, 2700),
                     0.5 * (10 + 20) * 900 + 0.5 * (20 + 12.5) * 900);
    EXPECT_DOUBLE_EQ(s.rain_mm_per_h.at(300), 5);
    ASSERT_EQ(s.measures.size(), 3u);
    EXPECT_EQ(s.measures[2].kind, Measure::Kind::retention_basin);
    EXPECT_DOUBLE_EQ(s.courant, 0.45);
    EXPECT_TRUE(s.second_order);
}

TEST(FloodScenario, MessagesNameTheField) {
    EXPECT_TRUE(contains(error_of(with("[1800, 20]", "[1800, -20]")), "inflows[0].hydrograph[1]"));
    EXPECT_TRUE(contains(error_of(with("[1800, 20]", "[0, 20]")), "time must grow"));
    EXPECT_TRUE(contains(error_of(with("\"height_m\": 1.2", "\"height_m\": -1")), "measures[0].height_m"));
    EXPECT_TRUE(contains(error_of(with("\"mobile_wall\"", "\"sandbags\"")), "measures[0].kind"));
    EXPECT_TRUE(contains(error_of(with("\"free\"", "\"open\"")), "boundaries.east"));
    EXPECT_TRUE(contains(error_of(with("\"duration_s\": 3600", "\"duration_s\": 0")), "duration_s"));
    EXPECT_TRUE(contains(error_of(with("[[5, 25]]", "[[5]]")), "inflows[0].at[0]"));
    EXPECT_TRUE(contains(error_of(with("\"terrain\": \"terrain.asc\",", "")), "terrain"));
    EXPECT_TRUE(
        contains(error_of(with("\"interval_s\": 1000", "\"times_s\": [10, 5]")), "output.times_s[1]"));
    EXPECT_TRUE(contains(error_of("{\"format\": \"x\"}"), "zwilling-flood-scenario"));
    EXPECT_TRUE(contains(error_of("{"), "not valid JSON"));
}

AsciiGrid flat(uint32_t n, double cell) {
    AsciiGrid g;
    g.ncols = g.nrows = n;
    g.cellsize = cell;
    g.values.assign(size_t(n) * n, 100.0);
    return g;
}

TEST(FloodScenario, MeasuresEditTheRaster) {
    const FloodScenario s = parse_flood_scenario(scenario_json, "/data/s.json");
    AsciiGrid g = flat(40, 1.0);
    const std::vector<size_t> changed = apply_measures(g, s.measures);
    ASSERT_EQ(changed.size(), 3u);
    // The wall along x = 20 closes the whole column boundary: every row has a raised cell
    // next to the line, and no cell away from it changes.
    for (uint32_t r = 0; r < 40; ++r) {
        EXPECT_TRUE(g.at(19, r) > 100 || g.at(20, r) > 100) << r;
        EXPECT_EQ(g.at(10, r) == 100.0 || r == 34 || r == 35 || r == 33 || r == 36, true) << r;
    }
    EXPECT_DOUBLE_EQ(g.at(5, 35), 100.5);  // on the dike, away from the wall
    EXPECT_DOUBLE_EQ(g.at(5, 30), 100.0);
    EXPECT_DOUBLE_EQ(g.at(35, 5), 98.0);    // in the basin
    EXPECT_DOUBLE_EQ(g.at(35, 15), 100.0);  // outside it
    EXPECT_EQ(changed[2], 100u);            // 10 x 10 cells

    // A measure off the grid is an error that says so.
    Measure far;
    far.kind = Measure::Kind::mobile_wall;
    far.points = {{{1000, 1000}}, {{1100, 1000}}};
    far.height_m = 1;
    try {
        apply_measures(g, {far});
        FAIL() << "no error";
    } catch (const zw::Error& e) {
        EXPECT_TRUE(contains(e.what(), "outside the grid")) << e.what();
    }
    EXPECT_FALSE(cell_of(g, {-0.5, 3}));
    EXPECT_EQ(*cell_of(g, {3.5, 7.2}), (std::array<uint32_t, 2>{3, 7}));
}

// The worked example of docs/flood-scenario.md stays valid: it parses, its terrain
// loads, and its wall lands on the grid.
TEST(FloodScenario, WorkedExampleIsValid) {
    const std::string dir = (std::filesystem::path(__FILE__).parent_path() / "../../assets/flood/example")
                                .lexically_normal()
                                .string();
    const FloodScenario s = read_flood_scenario(dir + "/scenario.json");
    AsciiGrid terrain = read_ascii_grid(s.terrain);
    EXPECT_EQ(terrain.ncols, 100u);
    EXPECT_EQ(terrain.nrows, 50u);
    for (const Inflow& in : s.inflows)
        for (const Point& p : in.at)
            EXPECT_TRUE(cell_of(terrain, p)) << in.name;
    const std::vector<size_t> changed = apply_measures(terrain, s.measures);
    EXPECT_GE(changed[0], 50u);  // 200 m of wall over 4 m cells
    EXPECT_EQ(s.output_times_s.back(), 3600);
}

}  // namespace
