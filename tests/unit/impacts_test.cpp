// Flood impacts (engine/scenario/flood/impacts.h): depth next to a building's walls, the
// thresholds, residents, critical sites by first wetting, the CSV, and the sites file.
#include <gtest/gtest.h>

#include <string>

#include "engine/core/error.h"
#include "engine/scenario/flood/impacts.h"
#include "tests/unit/csv_parse.h"

namespace {

using namespace zw::scenario;

AsciiGrid grid(double fill) {
    AsciiGrid g;
    g.ncols = g.nrows = 20;
    g.cellsize = 1;
    g.nodata = -9999;
    g.values.assign(400, fill);
    return g;
}

std::vector<Site> town() {
    std::vector<Site> s(3);
    s[0] = {"B1", "Hauptstraße 1", {{{5, 5}}, {{8, 5}}, {{8, 8}}, {{5, 8}}}, 4, false, "Wohnhaus"};
    s[1] = {"B2", "Am Berg 7", {{{15, 15}}, {{17, 15}}, {{17, 17}}, {{15, 17}}}, 2, false, "Wohnhaus"};
    s[2] = {"FW", "Feuerwehr, \"Nord\"", {{{2.5, 12.5}}}, 0, true, "Feuerwehr"};
    for (Site& x : s)
        x.residents_known = x.critical_known = true;
    return s;
}

TEST(Impacts, DepthNextToTheWallsThresholdsAndResidents) {
    AsciiGrid depth = grid(0), arrival = grid(-9999);
    // Water against B1's western wall (cell 4,6: its centre 0.5 m from the wall), none inside.
    depth.at(4, 6) = 0.3;
    arrival.at(4, 6) = 120;
    // Two cells away from B1: too far to count.
    depth.at(2, 6) = 2.0;
    // Around the fire station's point, one cell off.
    depth.at(3, 12) = 0.8;
    arrival.at(3, 12) = 60;
    const std::vector<Site> sites = town();
    const Impacts im = compute_impacts(depth, arrival, sites);
    EXPECT_EQ(im.flooded, 2u);       // B1 (0.3 m), the fire station (0.8 m)
    EXPECT_EQ(im.flooded_deep, 1u);  // the fire station
    EXPECT_EQ(im.residents_affected, 4u);
    ASSERT_EQ(im.sites.size(), 2u);
    EXPECT_EQ(im.sites[0].site, 2u);  // deepest first
    EXPECT_DOUBLE_EQ(im.sites[1].max_depth_m, 0.3);
    EXPECT_DOUBLE_EQ(im.sites[1].first_wet_s, 120);
    ASSERT_EQ(im.critical.size(), 1u);
    EXPECT_DOUBLE_EQ(im.critical[0].first_wet_s, 60);
    EXPECT_EQ(count_flooded(depth, sites), 2u);
    EXPECT_EQ(count_flooded(depth, sites, 0.5), 1u);

    const std::string csv = impacts_csv(im, sites);
    EXPECT_EQ(csv,
              "id,name,kind,residents,critical,max_depth_m,first_wet_s\n"
              "FW,\"Feuerwehr, \"\"Nord\"\"\",Feuerwehr,0,yes,0.800,60\n"
              "B1,Hauptstraße 1,Wohnhaus,4,no,0.300,120\n");
    // A twin that may not show residents and critical sites (the citizens'): no such columns.
    std::vector<Site> open_sites = sites;
    for (Site& s : open_sites)
        s.residents_known = s.critical_known = false;
    EXPECT_EQ(impacts_csv(im, open_sites),
              "id,name,kind,max_depth_m,first_wet_s\n"
              "FW,\"Feuerwehr, \"\"Nord\"\"\",Feuerwehr,0.800,60\n"
              "B1,Hauptstraße 1,Wohnhaus,0.300,120\n");

    // German spreadsheet CSV: BOM, ';', decimal comma, German headers and ja/nein.
    const std::string de = impacts_csv(im, sites, zw::core::CsvDialect{zw::core::NumberStyle::de});
    EXPECT_EQ(de,
              "\xEF\xBB\xBFID;Name;Art;Einwohner;kritisch;max. Tiefe (m);nass ab (s)\n"
              "FW;\"Feuerwehr, \"\"Nord\"\"\";Feuerwehr;0;ja;0,800;60\n"
              "B1;Hauptstraße 1;Wohnhaus;4;nein;0,300;120\n");
    const zw::test::ParsedCsv pd = zw::test::parse_csv(de, ';'), pe = zw::test::parse_csv(csv, ',');
    EXPECT_TRUE(pd.bom);
    EXPECT_FALSE(pe.bom);
    ASSERT_EQ(pd.rows.size(), 3u);
    EXPECT_EQ(pd.rows[1][1], "Feuerwehr, \"Nord\"");  // the name read back whole
    EXPECT_EQ(zw::test::compare_csv_values(pd, pe, {{"yes", "ja"}, {"no", "nein"}}), "");

    // Deeper everywhere: both houses, and the mismatch of rasters is an error.
    AsciiGrid flooded = grid(0.6);
    const Impacts all = compute_impacts(flooded, grid(-9999), sites);
    EXPECT_EQ(all.flooded_deep, 3u);
    EXPECT_EQ(all.residents_affected, 6u);
    EXPECT_LT(all.critical[0].first_wet_s, 0);  // never reached per the arrival raster
    AsciiGrid small = grid(0);
    small.ncols = 10;
    small.values.resize(200);
    EXPECT_THROW(compute_impacts(depth, small, sites), zw::Error);
}

TEST(Impacts, SitesFile) {
    const std::vector<Site> s = parse_sites(
        R"([{"id": "B1", "name": "Hauptstraße 1", "footprint": [[0, 0], [4, 0], [4, 4]], "residents": 3},
            {"id": "W", "at": [10, 10], "critical": true, "kind": "Wasserwerk"}])",
        "sites.json");
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].footprint.size(), 3u);
    EXPECT_EQ(s[0].residents, 3u);
    EXPECT_TRUE(s[0].residents_known);
    EXPECT_FALSE(s[0].critical_known);
    EXPECT_TRUE(s[1].critical);
    EXPECT_TRUE(s[1].critical_known);
    EXPECT_FALSE(s[1].residents_known);
    EXPECT_EQ(s[1].footprint.size(), 1u);
    auto error = [](const std::string& t) {
        try {
            parse_sites(t, "sites.json");
        } catch (const zw::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error(R"([{"id": "B1"}])").find("sites[0].footprint"), std::string::npos);
    EXPECT_NE(error(R"([{"id": "B1", "at": [1]}])").find("sites[0].at"), std::string::npos);
    EXPECT_NE(error(R"([{"id": "B1", "at": [1, 2], "residents": -1}])").find("sites[0].residents"),
              std::string::npos);
    EXPECT_NE(error(R"({"id": "B1"})").find("array"), std::string::npos);
}

}  // namespace
