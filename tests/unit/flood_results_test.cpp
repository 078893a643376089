// A flood scenario's results in the engine (engine/scenario/flood/results.h,
// frame_grids.h, impacts.h, engine/scenario/world_grid.h): the impacts summary rows, which
// ground an imported depth folder gets, max depth and arrival from frames, where the raster
// lies in the world and which cell a ray hits, and loading the baked town's scenarios.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "engine/core/error.h"
#include "engine/geo/geo.h"
#include "engine/geo/utm.h"
#include "engine/scenario/flood/frame_grids.h"
#include "engine/scenario/flood/impacts.h"
#include "engine/scenario/flood/results.h"
#include "engine/scenario/geometry.h"
#include "engine/scenario/world_grid.h"
#include "engine/twin/manifest.h"
#include "temp_dir.h"

namespace {

using namespace zw::scenario;
namespace sc = zw::scenario;

sc::Site site(uint32_t residents, bool known, bool critical_known = false) {
    sc::Site s;
    s.id = "s";
    s.footprint = {{0, 0}};
    s.residents = residents;
    s.residents_known = known;
    s.critical_known = critical_known;
    return s;
}

TEST(FloodImpactsRows, ResidentsOnlyWhereTheTwinKnowsThem) {
    sc::Impacts a;
    a.flooded = 20;
    a.flooded_deep = 6;
    a.residents_affected = 34;
    const std::vector<sc::Site> council{site(3, true), site(0, true)};
    const std::vector<sc::Site> citizen{site(0, false), site(0, false)};
    auto rows = summary_rows(a, council);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].what, SummaryRow::What::over_10cm);
    EXPECT_EQ(rows[0].a, 20u);
    EXPECT_FALSE(rows[0].b);
    EXPECT_EQ(rows[1].a, 6u);
    EXPECT_EQ(rows[2].what, SummaryRow::What::residents);
    EXPECT_EQ(rows[2].a, 34u);
    rows = summary_rows(a, citizen);
    ASSERT_EQ(rows.size(), 2u) << "the citizens' twin: no residents row";
    EXPECT_FALSE(residents_known(citizen));
    EXPECT_FALSE(critical_known(citizen));
    EXPECT_TRUE(critical_known({site(0, true, true)}));
}

TEST(FloodImpactsRows, ComparisonHasBothSides) {
    sc::Impacts a, b;
    a.flooded = 20;
    b.flooded = 12;
    a.flooded_deep = 6;
    b.flooded_deep = 1;
    a.residents_affected = 34;
    b.residents_affected = 17;
    const std::vector<sc::Site> sites{site(3, true)};
    const auto rows = summary_rows(a, sites, &b, &sites);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(*rows[0].b, 12u);
    EXPECT_EQ(*rows[1].b, 1u);
    EXPECT_EQ(*rows[2].b, 17u);
}

sc::AsciiGrid grid(uint32_t nc, uint32_t nr, double x, double y, double cs, double v = 0) {
    sc::AsciiGrid g;
    g.ncols = nc;
    g.nrows = nr;
    g.xllcorner = x;
    g.yllcorner = y;
    g.cellsize = cs;
    g.values.assign(size_t(nc) * nr, v);
    return g;
}

TEST(FloodImport, GroundFromTheFolderElseTheTwinElseAMessage) {
    sc::DepthFrames f;
    sc::add_frame(f, 300, grid(4, 3, 632000, 5497000, 10, 0.2));
    const sc::AsciiGrid same = grid(4, 3, 632000, 5497000, 10, 300);
    const sc::AsciiGrid other = grid(4, 3, 632005, 5497000, 10, 300);
    EXPECT_EQ(choose_import_ground(f, &same, &other).source, ImportGround::Source::folder);
    EXPECT_EQ(choose_import_ground(f, nullptr, &same).source, ImportGround::Source::twin);
    const ImportGround none = choose_import_ground(f, nullptr, &other);
    EXPECT_EQ(none.source, ImportGround::Source::none);
    EXPECT_NE(none.message.find("terrain.asc"), std::string::npos) << none.message;
    EXPECT_NE(none.message.find("another grid"), std::string::npos) << none.message;
    const ImportGround bad_folder = choose_import_ground(f, &other, &same);
    EXPECT_EQ(bad_folder.source, ImportGround::Source::none) << "a terrain in the folder is meant for it";
    EXPECT_NE(bad_folder.message.find("not on the depth rasters' grid"), std::string::npos);
    EXPECT_EQ(choose_import_ground(f, nullptr, nullptr).source, ImportGround::Source::none);
    EXPECT_TRUE(same_grid(f, grid(4, 3, 632000.001, 5497000, 10)));
    EXPECT_FALSE(same_grid(f, grid(3, 4, 632000, 5497000, 10)));
}

TEST(FloodImport, GroundFileNames) {
    zw::test::TempDir dir;
    EXPECT_EQ(import_ground_file(dir.path().string()), "");
    std::ofstream(dir.path() / "dem.asc") << "x";
    EXPECT_EQ(import_ground_file(dir.path().string()), (dir.path() / "dem.asc").string());
    std::ofstream(dir.path() / "terrain.asc") << "x";
    EXPECT_EQ(import_ground_file(dir.path().string()), (dir.path() / "terrain.asc").string());
}

TEST(FloodImport, MaxDepthAndArrivalFromFrames) {
    sc::DepthFrames f;
    sc::AsciiGrid d = grid(2, 1, 0, 0, 1);
    d.values = {0.05, 0.2};
    sc::add_frame(f, 300, d);
    d.values = {0.3, 0.1};
    sc::add_frame(f, 600, d);
    const sc::AsciiGrid m = max_depth_of(f);
    EXPECT_NEAR(m.values[0], 0.3, 1e-6);
    EXPECT_NEAR(m.values[1], 0.2, 1e-6);
    const sc::AsciiGrid t = arrival_of(f);
    EXPECT_EQ(t.values[0], 600.0);
    EXPECT_EQ(t.values[1], 300.0);
    EXPECT_NEAR(frame_grid(f, 1).values[0], 0.3, 1e-6);
}

// What the panels and the A | B view read from loaded results: the inflow now, the
// buildings over 10 cm in the frame at or before a time, whether B fits A's grid, and B's
// water on A's ground.
TEST(FloodResults, InflowFloodedNowAndComparison) {
    FloodScenario s;
    Inflow in1, in2;
    in1.discharge.points = {{{0, 0}}, {{3600, 10}}};
    in2.discharge.points = {{{0, 2}}};
    s.inflows = {in1, in2};
    EXPECT_DOUBLE_EQ(total_inflow(s, 1800), 7.0);
    EXPECT_DOUBLE_EQ(total_inflow(s, 7200), 12.0);
    EXPECT_EQ(total_inflow(FloodScenario{}, 100), 0.0);

    FloodData d;
    d.frames.times_s = {0, 300, 600};
    EXPECT_EQ(flooded_at(d, 400), 0.0f) << "no impacts";
    d.has_impacts = true;
    d.flooded_over_time = {0, 4, 9};
    EXPECT_EQ(flooded_at(d, -5), 0.0f);
    EXPECT_EQ(flooded_at(d, 299.9), 0.0f);
    EXPECT_EQ(flooded_at(d, 300), 4.0f);
    EXPECT_EQ(flooded_at(d, 1e9), 9.0f);

    FloodData a, b;
    a.ground = grid(3, 1, 632000, 5497000, 10, 300);
    a.ground.nodata = -9999;
    b.ground = a.ground;
    a.world = world_grid(a.ground, 0);
    b.world = world_grid(b.ground, 0);
    EXPECT_TRUE(comparable(a, b));
    b.ground.values = {299, 299, -9999};  // a basin dug 1 m in B, and a cell B has no ground for
    std::vector<float> depth{1.5f, 0.5f, 2.0f};
    depth_on_ground(depth, b, a);
    EXPECT_FLOAT_EQ(depth[0], 0.5f) << "the same water surface on A's ground";
    EXPECT_FLOAT_EQ(depth[1], 0.0f) << "below A's ground: dry";
    EXPECT_FLOAT_EQ(depth[2], 2.0f) << "no ground in B: as it is";
    b.ground = grid(3, 1, 632010, 5497000, 10, 300);
    b.world = world_grid(b.ground, 0);
    EXPECT_FALSE(comparable(a, b));
}

TEST(FloodResults, LiveDepthAndSitesFlooded) {
    FloodData d;
    d.ground = grid(2, 1, 0, 0, 1, 300);
    d.ground.nodata = -1;
    d.ground.values[1] = -1;
    const AsciiGrid g = depth_grid(d.ground, {0.25f, 3.0f});
    ASSERT_TRUE(g.nodata);
    EXPECT_EQ(*g.nodata, -9999.0);
    EXPECT_NEAR(g.values[0], 0.25, 1e-9);
    EXPECT_EQ(g.values[1], -9999.0) << "no ground: NODATA";
    d.sites = {site(2, true)};  // at (0, 0): next to cell 0
    EXPECT_EQ(sites_flooded(d, {0.2f, 0.0f}), 1u);
    EXPECT_EQ(sites_flooded(d, {0.05f, 0.0f}), 0u);
    EXPECT_DOUBLE_EQ(polyline_length({{0, 0}, {3, 4}, {3, 10}}), 11.0);
    EXPECT_EQ(polyline_length({{1, 1}}), 0.0);
}

TEST(FloodWaterGrid, CellsLieAtTheirEcefPositions) {
    sc::AsciiGrid g = grid(3, 2, 632000, 5497000, 10, 300);
    g.at(2, 1) = 310;
    g.nodata = -9999;
    g.at(0, 0) = -9999;
    const double n = 47.6;
    const WorldGrid w = world_grid(g, n);
    ASSERT_EQ(w.nx, 3u);
    ASSERT_EQ(w.ny, 2u);
    ASSERT_EQ(w.ground.size(), 6u);
    EXPECT_FLOAT_EQ(w.cell_m, 10.0f);
    // Cell (2, 1): centre 632025, 5497015 at 310 m a.s.l.
    const glm::dvec3 want = zw::geo::geodetic_to_ecef(
        zw::geo::utm_to_geodetic({632025, 5497015}, zw::geo::epsg25832_zone, 310 + n));
    EXPECT_LT(glm::length(w.origin + glm::dvec3(w.ground[5]) - want), 0.01);
    // The axes: unit, east/north along the grid, up away from the earth's centre.
    EXPECT_NEAR(glm::length(w.east), 1.0, 1e-5);
    EXPECT_NEAR(glm::dot(w.east, w.north), 0.0, 1e-4);
    EXPECT_GT(glm::dot(glm::dvec3(w.up), glm::normalize(w.origin)), 0.999);
    const glm::vec3 step = w.ground[1] - w.ground[0];  // nodata cell 0 gets the lowest ground (300)
    EXPECT_NEAR(glm::dot(step, w.east), 10.0, 0.01);
    EXPECT_NEAR(glm::dot(w.ground[3] - w.ground[0], w.north), 10.0, 0.01);
    EXPECT_NEAR(glm::dot(w.ground[5] - w.ground[4], w.up), 10.0, 0.05);
}

// Live mode's clicks: a ray from above and an oblique one land on the cell they aim at; a
// ray into the sky misses; a hill in front of the aimed cell is hit first.
TEST(FloodWaterGrid, ARayHitsTheGroundCellItAimsAt) {
    FloodData d;
    d.ground = grid(40, 30, 632000, 5497000, 10, 300);
    const double n = 47.6;
    d.world = world_grid(d.ground, n);
    const glm::dvec3 aim = world_of(632125, 5497155, 300, n);  // centre of cell (12, 15)
    const glm::dvec3 above = world_of(632125, 5497155, 800, n);
    auto hit = ground_hit(d.ground, d.world, above, aim - above);
    ASSERT_TRUE(hit);
    EXPECT_NEAR((*hit)[0], 632125, 1e-6);
    EXPECT_NEAR((*hit)[1], 5497155, 1e-6);
    const glm::dvec3 side = world_of(631700, 5496800, 450, n);  // south-west, outside the raster
    hit = ground_hit(d.ground, d.world, side, aim - side);
    ASSERT_TRUE(hit);
    EXPECT_NEAR((*hit)[0], 632125, 10.0);
    EXPECT_NEAR((*hit)[1], 5497155, 10.0);
    EXPECT_FALSE(ground_hit(d.ground, d.world, above, above - aim));  // up into the sky
    // A 60 m hill at cells 8..9 in the way of the oblique ray: it is hit instead.
    for (uint32_t r = 0; r < 30; ++r)
        for (uint32_t c = 8; c <= 9; ++c)
            d.ground.at(c, r) = 360;
    d.world = world_grid(d.ground, n);
    hit = ground_hit(d.ground, d.world, side, aim - side);
    ASSERT_TRUE(hit);
    EXPECT_LT((*hit)[0], 632100);
}

// The baked sample town (ZW_TOWN_DIR): the council twin's baseline loads with the
// impacts its summary.json states; the citizens' twin lists only the baseline and
// shows no residents.
TEST(FloodData, TheBakedTownsScenariosLoad) {
    const char* town = std::getenv("ZW_TOWN_DIR");
    if (!town) GTEST_SKIP() << "ZW_TOWN_DIR not set";
    const auto council =
        std::make_shared<zw::twin::Manifest>(zw::twin::load_manifest(std::string(town) + "/council"));
    const auto sources = flood_sources(*council);
    ASSERT_GE(sources.size(), 2u);
    EXPECT_EQ(sources[0].id, "hq100-baseline");
    const auto d = load_flood(sources[0], council.get(), {});
    EXPECT_TRUE(d->has_impacts);
    EXPECT_EQ(d->frames.times_s.front(), 0.0) << "the initial depth is the frame at 0:00";
    EXPECT_EQ(d->duration_s, 21600.0);
    EXPECT_EQ(d->flooded_over_time.size(), d->frames.times_s.size());
    EXPECT_TRUE(residents_known(d->sites));
    EXPECT_EQ(d->world.ground.size(), size_t(d->world.nx) * d->world.ny);
    const auto citizen = zw::twin::load_manifest(std::string(town) + "/citizen");
    const auto cs = flood_sources(citizen);
    ASSERT_EQ(cs.size(), 1u);
    EXPECT_EQ(cs[0].id, "hq100-baseline");
    const auto cd = load_flood(cs[0], &citizen, {});
    EXPECT_FALSE(residents_known(cd->sites));
    EXPECT_EQ(cd->impacts.flooded, d->impacts.flooded);
    EXPECT_EQ(summary_rows(cd->impacts, cd->sites).size(), 2u);
}

TEST(FloodData, AMissingFileIsAnErrorNamingIt) {
    zw::test::TempDir dir;
    FloodSource s;
    s.id = "x";
    s.scenario_uri = (dir.path() / "nothing.json").string();
    s.results_uri = (dir.path() / "nothing/").string();
    try {
        load_flood(s, nullptr, {});
        FAIL() << "loaded a missing scenario";
    } catch (const zw::Error& e) {
        EXPECT_NE(std::string(e.what()).find("nothing.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("flood scenario 'x'"), std::string::npos) << e.what();
    }
}

}  // namespace
