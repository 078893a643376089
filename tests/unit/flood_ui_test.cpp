// The viewer's flood UI without a GPU: the playback clock, the impacts summary rows,
// which ground an imported depth folder gets, export names, the water grid's placement.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "app/viewer/flood_data.h"
#include "app/viewer/flood_model.h"
#include "engine/core/error.h"
#include "engine/geo/geo.h"
#include "engine/geo/utm.h"
#include "temp_dir.h"

namespace {

using namespace zw::viewer;
namespace sc = zw::scenario;

TEST(FloodPlayback, AdvancesBySpeedAndStopsAtTheEnd) {
    PlaybackClock c;
    c.duration_s = 21600;
    c.speed = 300;
    c.advance(1.0);
    EXPECT_EQ(c.time_s, 0.0) << "paused: no time passes";
    c.toggle();
    EXPECT_TRUE(c.playing);
    c.advance(2.0);
    EXPECT_DOUBLE_EQ(c.time_s, 600.0);
    c.speed = 3600;
    c.advance(10.0);  // 36600 s: past the end
    EXPECT_DOUBLE_EQ(c.time_s, 21600.0);
    EXPECT_FALSE(c.playing) << "stops at the end";
    EXPECT_TRUE(c.at_end());
    c.toggle();  // play again: from the start
    EXPECT_TRUE(c.playing);
    EXPECT_EQ(c.time_s, 0.0);
}

TEST(FloodPlayback, LoopsWhenAsked) {
    PlaybackClock c;
    c.duration_s = 1000;
    c.speed = 100;
    c.loop = true;
    c.playing = true;
    c.advance(12.5);  // 1250 s
    EXPECT_TRUE(c.playing);
    EXPECT_NEAR(c.time_s, 250.0, 1e-9);
}

TEST(FloodPlayback, ScrubClampsAndKeepsPlaying) {
    PlaybackClock c;
    c.duration_s = 3600;
    c.playing = true;
    c.scrub(-5);
    EXPECT_EQ(c.time_s, 0.0);
    c.scrub(1e9);
    EXPECT_EQ(c.time_s, 3600.0);
    c.scrub(1800);
    EXPECT_EQ(c.time_s, 1800.0);
    EXPECT_TRUE(c.playing);
    c.scrub(std::nan(""));
    EXPECT_EQ(c.time_s, 0.0);
    EXPECT_EQ(PlaybackClock::speeds().front(), 1.0);
    EXPECT_EQ(PlaybackClock::speeds().back(), 3600.0);
}

TEST(FloodPlayback, TimesAsHoursAndMinutes) {
    EXPECT_EQ(format_hmm(0), "0:00");
    EXPECT_EQ(format_hmm(59.9), "0:00");
    EXPECT_EQ(format_hmm(10800), "3:00");
    EXPECT_EQ(format_hmm(7500), "2:05");
    EXPECT_EQ(format_hmm(21600), "6:00");
    EXPECT_EQ(format_hmm(-20), "0:00");
}

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

TEST(FloodExport, NeverReplacesAFile) {
    zw::test::TempDir dir;
    const std::string folder = dir.path().string();
    const std::string first = unique_path(folder, "hq100-impacts.csv");
    EXPECT_EQ(first, (dir.path() / "hq100-impacts.csv").string());
    std::ofstream(first) << "a";
    const std::string second = unique_path(folder, "hq100-impacts.csv");
    EXPECT_EQ(second, (dir.path() / "hq100-impacts-2.csv").string());
    std::ofstream(second) << "b";
    EXPECT_EQ(unique_path(folder, "hq100-impacts.csv"), (dir.path() / "hq100-impacts-3.csv").string());
}

TEST(FloodWaterGrid, CellsLieAtTheirEcefPositions) {
    sc::AsciiGrid g = grid(3, 2, 632000, 5497000, 10, 300);
    g.at(2, 1) = 310;
    g.nodata = -9999;
    g.at(0, 0) = -9999;
    const double n = 47.6;
    const zw::render::WaterGrid w = water_grid(g, n);
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
    d.grid = water_grid(d.ground, n);
    const glm::dvec3 aim = world_of(632125, 5497155, 300, n);  // centre of cell (12, 15)
    const glm::dvec3 above = world_of(632125, 5497155, 800, n);
    auto hit = ground_hit(d, above, aim - above);
    ASSERT_TRUE(hit);
    EXPECT_NEAR((*hit)[0], 632125, 1e-6);
    EXPECT_NEAR((*hit)[1], 5497155, 1e-6);
    const glm::dvec3 side = world_of(631700, 5496800, 450, n);  // south-west, outside the raster
    hit = ground_hit(d, side, aim - side);
    ASSERT_TRUE(hit);
    EXPECT_NEAR((*hit)[0], 632125, 10.0);
    EXPECT_NEAR((*hit)[1], 5497155, 10.0);
    EXPECT_FALSE(ground_hit(d, above, above - aim));  // up into the sky
    // A 60 m hill at cells 8..9 in the way of the oblique ray: it is hit instead.
    for (uint32_t r = 0; r < 30; ++r)
        for (uint32_t c = 8; c <= 9; ++c)
            d.ground.at(c, r) = 360;
    d.grid = water_grid(d.ground, n);
    hit = ground_hit(d, side, aim - side);
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
    EXPECT_EQ(d->grid.ground.size(), size_t(d->grid.nx) * d->grid.ny);
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
