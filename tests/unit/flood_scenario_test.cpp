// Flood scenario files (engine/scenario/flood/scenario.h): what they say, the messages
// that name the field, the series, and the measures as raster edits.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/json_fields.h"
#include "engine/scenario/flood/scenario.h"
#include "engine/scenario/flood/setup.h"
#include "temp_dir.h"

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
    const std::string dir =
        (std::filesystem::path(ZW_SOURCE_DIR) / "assets/flood/example").lexically_normal().string();
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

// Every number a scenario gives is bounded, every key known, every name printable: one
// row per class (out of range, wrong type, unknown key with its suggestion, control
// characters, conflicting keys). Each row names the field and, where it applies, the
// nearest known key.
TEST(FloodScenario, EveryFieldIsBoundedAndEveryKeyKnown) {
    const std::vector<std::pair<std::string, std::string>> rows = {
        // misspelt keys: refused, the nearest named
        {with("\"duration_s\"", "\"durration_s\""), "unknown key 'durration_s' (did you mean 'duration_s'?)"},
        {with("\"east\"", "\"West\""), "unknown key 'boundaries.West' (did you mean 'west'?)"},
        {with("\"second_order\"", "\"secondorder\""),
         "unknown key 'solver.secondorder' (did you mean 'second_order'?)"},
        {with("\"interval_s\"", "\"intervall_s\""),
         "unknown key 'output.intervall_s' (did you mean 'interval_s'?)"},
        {with("\"hydrograph\"", "\"hydrograf\""),
         "unknown key 'inflows[0].hydrograf' (did you mean 'hydrograph'?)"},
        {with("\"height_m\": 1.2", "\"heigth_m\": 1.2"),
         "unknown key 'measures[0].heigth_m' (did you mean 'height_m'?)"},
        // a key of another measure kind is no typo of this one: the keys are listed
        {with("\"depth_m\": 2", "\"depth_m\": 2, \"line\": [[0, 0], [1, 1]]"),
         "unknown key 'measures[2].line'"},
        {with("\"rain\"", "\"sunshine\""), "unknown key 'sunshine' (known keys: format,"},
        // both ways of giving output times
        {with("\"interval_s\": 1000", "\"interval_s\": 1000, \"times_s\": [10]"),
         "both interval_s and times_s"},
        // absurd numbers
        {with("[1800, 20]", "[1800, 1e300]"), "inflows[0].hydrograph[1] must be from 0 to 1e+06 m3/s"},
        {with("[0, 10]", "[0, 1e300]"), "rain[0] must be from 0 to 2000 mm/h"},
        {with("[0, 10]", "[1e300, 10]"), "rain[0] time must be a number of seconds from 0 to 1e+09"},
        {with("[[5, 25]]", "[[1e300, 25]]"), "inflows[0].at[0] must be finite metres"},
        {with("\"manning\": 0.04", "\"manning\": 2"), "manning must be from 0 (no friction) to 1"},
        {with("\"manning\": 0.04", "\"manning\": -0.03"), "manning must be from 0 (no friction) to 1"},
        {with("\"duration_s\": 3600", "\"duration_s\": 1e300"), "duration_s must be above 0 and at most"},
        {with("\"interval_s\": 1000", "\"interval_s\": 1e-300"), "more than 100000 outputs"},
        {with("\"courant\": 0.45", "\"courant\": 1e300"), "solver.courant"},
        {with("\"duration_s\": 3600", "\"duration_s\": 1e400"), "not valid JSON"},
        // wrong types
        {with("\"duration_s\": 3600", "\"duration_s\": \"3600\""), "duration_s must be a number"},
        {with("\"second_order\": true", "\"second_order\": 1"), "solver.second_order must be true or false"},
        {with("\"hq100-measures\"", "5"), "id must be a string"},
        {with("\"title_en\"", "\"public\": \"yes\", \"title_en\""), "public must be true or false"},
        // names and paths: printable UTF-8, no control characters
        {with("\"hq100-measures\"", "\"hq100\\u0000x\""), "id holds a control character (code 0)"},
        {with("\"HQ100 with measures\"", "\"HQ100\\u001b[31m\""),
         "title_en holds a control character (code 27)"},
        {with("\"Seebach\"", "\"See\\u0085bach\""), "inflows[0].name holds a control character (U+0085)"},
        {with("\"terrain.asc\"", "\"terrain\\u0007.asc\""), "terrain holds a control character (code 7)"},
        {with("\"terrain.asc\"", "\"\""), "terrain is missing or empty"},
    };
    for (const auto& [text, expected] : rows) {
        SCOPED_TRACE(text);
        const std::string msg = error_of(text);
        EXPECT_TRUE(contains(msg, expected)) << msg << "\nexpected: " << expected;
        EXPECT_TRUE(contains(msg, "flood scenario '/data/s.json'") || contains(msg, "/data/s.json")) << msg;
    }
    // What the bake writes stays valid: "public" is a known key, descriptions may hold
    // line feeds.
    const FloodScenario s = parse_flood_scenario(
        with("\"title_en\"", "\"public\": true, \"description_de\": \"Zeile 1\\nZeile 2\", \"title_en\""),
        "/data/s.json");
    EXPECT_TRUE(s.is_public);
    EXPECT_EQ(s.description_de, "Zeile 1\nZeile 2");
}

// One implementation says what a misspelt key meant (engine/core/json_fields.h), for the
// scenario files, the recipe and whoever reads JSON next.
TEST(JsonFields, NearestKeyAndPrintableText) {
    const std::vector<const char*> keys = {"duration_s", "second_order", "west", "east", "interval_s"};
    EXPECT_EQ(zw::core::nearest_key("durration_s", keys), "duration_s");
    EXPECT_EQ(zw::core::nearest_key("secondorder", keys), "second_order");
    EXPECT_EQ(zw::core::nearest_key("West", keys), "west");
    EXPECT_EQ(zw::core::nearest_key("intreval_s", keys), "interval_s");  // two letters swapped
    EXPECT_EQ(zw::core::nearest_key("colour", keys), "");                // no typo of any
    EXPECT_EQ(zw::core::key_distance("abc", "abc"), 0u);
    EXPECT_EQ(zw::core::key_distance("", "abc"), 3u);

    using zw::core::text_problem;
    EXPECT_EQ(text_problem("Weisendorf (synthetisch) – Mühlweiher ✓", 200), "");
    EXPECT_EQ(text_problem("two\nlines", 200, true), "");
    const std::vector<std::pair<std::string, std::string>> bad = {
        {std::string("a\0b", 3), "control character (code 0)"},
        {"a\nb", "control character (code 10)"},
        {"a\x7f", "control character (code 127)"},
        {"a\xc2\x9b", "control character (U+009B)"},
        {"a\xff", "not valid UTF-8"},
        {"a\xc3", "not valid UTF-8"},
        {"\xc0\xaf", "not valid UTF-8"},      // overlong '/'
        {"\xed\xa0\x80", "not valid UTF-8"},  // a surrogate
        {std::string(201, 'x'), "longer than 200 bytes"},
    };
    for (const auto& [text, expected] : bad)
        EXPECT_TRUE(contains(text_problem(text, 200), expected)) << text_problem(text, 200);
}

// The grids a scenario names: negative or absurd values and cell sizes are refused with
// the file and the cell, through make_flood_setup (which zwilling-flood, the bake and the
// viewer's live mode share).
TEST(FloodScenario, GridsWithValuesOutOfRangeAreRefused) {
    const FloodScenario s = parse_flood_scenario(scenario_json, "/data/s.json");
    AsciiGrid terrain;
    terrain.ncols = terrain.nrows = 4;
    terrain.cellsize = 10;
    terrain.values.assign(16, 300.0);
    terrain.nodata = -9999;
    AsciiGrid manning = terrain, depth = terrain;
    manning.values.assign(16, 0.04);
    depth.values.assign(16, 0.5);
    auto refused = [&](const AsciiGrid& t, const AsciiGrid* n, const AsciiGrid* h) {
        try {
            make_flood_setup(s, t, {}, n, h);
        } catch (const zw::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(refused(terrain, &manning, &depth), "no error");
    AsciiGrid bad = manning;
    bad.at(2, 1) = -0.03;
    EXPECT_TRUE(contains(refused(terrain, &bad, &depth), "Manning grid '")) << refused(terrain, &bad, &depth);
    EXPECT_TRUE(contains(refused(terrain, &bad, &depth), "row 3 (from the top), column 3"));
    bad.at(2, 1) = 5;
    EXPECT_TRUE(contains(refused(terrain, &bad, &depth), "Manning's n must be from 0 to 1"));
    bad = depth;
    bad.at(0, 0) = -0.2;
    EXPECT_TRUE(contains(refused(terrain, &manning, &bad), "initial depth grid"))
        << refused(terrain, &manning, &bad);
    bad.at(0, 0) = 1e300;
    EXPECT_TRUE(contains(refused(terrain, &manning, &bad), "water depths must be from 0 to 1000 m"));
    bad.at(0, 0) = -9999;  // NODATA: a dry cell, fine
    EXPECT_EQ(refused(terrain, &manning, &bad), "no error");
    bad = terrain;
    bad.at(3, 3) = 1e300;
    EXPECT_TRUE(contains(refused(bad, nullptr, nullptr), "the terrain '")) << refused(bad, nullptr, nullptr);
    bad = terrain;
    bad.cellsize = 1e300;
    EXPECT_TRUE(contains(refused(bad, nullptr, nullptr), "cells of 1e+300 m"))
        << refused(bad, nullptr, nullptr);
    bad.cellsize = 0.001;
    EXPECT_TRUE(contains(refused(bad, nullptr, nullptr), "a flood raster needs 0.01 to 10000 m"));
}

// A path that is a folder is named as such, not read as an empty file.
TEST(FloodScenario, AFolderWhereAFileBelongsIsNamed) {
    zw::test::TempDir dir;
    const std::string folder = (dir.path() / "terrain.asc").string();
    std::filesystem::create_directories(folder);
    for (auto read : {+[](const std::string& p) { read_ascii_grid(p); },
                      +[](const std::string& p) { read_flood_scenario(p); }}) {
        try {
            read(folder);
            ADD_FAILURE() << "no error";
        } catch (const zw::Error& e) {
            EXPECT_TRUE(contains(e.what(), "'" + folder + "': it is a folder, not a file")) << e.what();
        }
    }
}

}  // namespace
