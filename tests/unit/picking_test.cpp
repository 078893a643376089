// Picking without a GPU: which sample of the pick region counts, highlight matching by
// stable id across tiles, attributes, tile paths and the JSON line of --pick.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <vector>

#include "engine/render/picking.h"

namespace {

using namespace zw::render;
using zw::gltf::Model;
using zw::gltf::PropertyTable;

std::vector<PickSample> empty_region() {
    return std::vector<PickSample>(pick_region * pick_region);
}
size_t at(uint32_t col, uint32_t row) {
    return row * pick_region + col;
}

TEST(Picking, TheMiddleSampleWinsOverNearerFeatures) {
    auto r = empty_region();
    r[at(pick_radius, pick_radius)] = {7, 1, 1, 1};
    r[at(pick_radius + 1, pick_radius)] = {8, 1, 1, 1};
    EXPECT_EQ(choose_sample(r, 100, 100, 1000, 1000), at(pick_radius, pick_radius));
}

TEST(Picking, WithoutAFeatureInTheMiddleTheNearestOneIsTaken) {
    auto r = empty_region();
    r[at(pick_radius, pick_radius)] = {no_feature, 1, 0, 1};  // terrain: drawn, no feature
    r[at(0, 0)] = {3, 2, 1, 1};
    r[at(pick_radius + 1, pick_radius + 1)] = {4, 2, 1, 1};
    EXPECT_EQ(choose_sample(r, 100, 100, 1000, 1000), at(pick_radius + 1, pick_radius + 1));
}

TEST(Picking, SkyAndFeaturelessGeometryAreAMiss) {
    auto r = empty_region();
    EXPECT_FALSE(choose_sample(r, 0, 0, 100, 100).has_value());
    for (PickSample& s : r)
        s = {no_feature, 3, 0, 1};
    EXPECT_FALSE(choose_sample(r, 0, 0, 100, 100).has_value());
    r[at(1, 1)].written = 0;
    r[at(1, 1)].feature = 5;  // not written: the clear value, whatever it holds
    EXPECT_FALSE(choose_sample(r, 0, 0, 100, 100).has_value());
}

TEST(Picking, SamplesOffTheScreenAreIgnored) {
    auto r = empty_region();
    r[at(0, pick_radius)] = {9, 1, 1, 1};
    // The region starts two pixels left of the screen: column 0 is off it.
    EXPECT_FALSE(choose_sample(r, -2, 10, 100, 100).has_value());
    EXPECT_TRUE(choose_sample(r, 0, 10, 100, 100).has_value());
    EXPECT_FALSE(choose_sample(r, 0, 10, 0, 100).has_value());
    EXPECT_FALSE(choose_sample(std::vector<PickSample>(3), 0, 0, 100, 100).has_value()) << "too small";
}

PropertyTable table(std::vector<std::string> ids) {
    PropertyTable t;
    t.count = uint32_t(ids.size());
    t.properties = {"street", "id"};
    t.values = {std::vector<std::string>(ids.size(), "Hauptstraße"), ids};
    return t;
}

Model model_with(std::vector<PropertyTable> tables) {
    Model m;
    m.property_tables = std::move(tables);
    return m;
}

TEST(Picking, FeaturesAreFoundByTheirStableId) {
    const PropertyTable t = table({"B1", "B2", "B3"});
    EXPECT_EQ(find_id_column(t), 1);
    EXPECT_EQ(find_feature(t, "B3"), 2u);
    EXPECT_EQ(find_feature(t, "B4"), no_feature);
    EXPECT_EQ(find_feature(t, ""), no_feature);
    PropertyTable no_ids = t;
    no_ids.properties[1] = "name";
    EXPECT_EQ(find_id_column(no_ids), -1);
    EXPECT_EQ(find_feature(no_ids, "B3"), no_feature);
}

TEST(Picking, AHighlightMatchesTheSameIdInOtherTilesOfTheLayer) {
    const Model coarse = model_with({table({"B7", "B1"})});
    const Model fine = model_with({table({"B1", "B2", "B3"}), table({"X", "B2"})});
    const std::string coarse_uri = "t/0.glb", fine_uri = "t/1.glb";
    Highlight h;
    h.id = "B1";
    h.content = coarse_uri;
    h.layer = 2;
    h.table = 0;
    h.feature = 1;
    EXPECT_EQ(highlighted_feature(coarse, &coarse_uri, 2, 0, h), 1u);
    EXPECT_EQ(highlighted_feature(fine, &fine_uri, 2, 0, h), 0u) << "another index in the finer tile";
    EXPECT_EQ(highlighted_feature(fine, &fine_uri, 2, 1, h), no_feature) << "a table without B1";
    EXPECT_EQ(highlighted_feature(fine, &fine_uri, 3, 0, h), no_feature) << "another layer";
    EXPECT_EQ(highlighted_feature(fine, &fine_uri, 2, -1, h), no_feature) << "ids without a table";
    EXPECT_EQ(highlighted_feature(fine, &fine_uri, 2, 5, h), no_feature) << "a table that is not there";
    EXPECT_EQ(highlighted_feature(fine, &fine_uri, 2, 0, Highlight{}), no_feature) << "nothing highlighted";
}

TEST(Picking, WithoutAnIdColumnOnlyThePickedContentHighlights) {
    PropertyTable t = table({"a", "b"});
    t.properties[1] = "name";
    const Model m = model_with({t});
    const std::string picked = "t/0.glb", other = "t/1.glb";
    Highlight h;
    h.content = picked;
    h.layer = 0;
    h.table = 0;
    h.feature = 1;
    EXPECT_EQ(highlighted_feature(m, &picked, 0, 0, h), 1u);
    EXPECT_EQ(highlighted_feature(m, &other, 0, 0, h), no_feature);
    EXPECT_EQ(highlighted_feature(m, &picked, 0, -1, h), no_feature) << "another table";
    // The renderer's own model: no URI, no layer.
    Highlight own;
    own.feature = 1;
    own.table = 0;
    EXPECT_EQ(highlighted_feature(m, nullptr, UINT32_MAX, 0, own), 1u);
    EXPECT_EQ(highlighted_feature(m, &picked, UINT32_MAX, 0, own), no_feature);
}

TEST(Picking, AttributesAreEveryColumnOfTheFeature) {
    const Model m = model_with({table({"B1", "B2"})});
    const auto a = feature_attributes(m, 0, 1);
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0], (std::pair<std::string, std::string>{"street", "Hauptstraße"}));
    EXPECT_EQ(a[1], (std::pair<std::string, std::string>{"id", "B2"}));
    EXPECT_TRUE(feature_attributes(m, 0, 2).empty());
    EXPECT_TRUE(feature_attributes(m, -1, 0).empty());
    EXPECT_TRUE(feature_attributes(m, 1, 0).empty());
}

TEST(Picking, TilePathsAreRelativeToTheTwinFolder) {
    EXPECT_EQ(tile_path("/d/town/citizen/buildings/tileset.json", "/d/town/citizen/buildings/L4_3_5.glb"),
              "buildings/L4_3_5.glb");
    EXPECT_EQ(tile_path("https://h/twin/roads/tileset.json", "https://h/twin/roads/c/1.glb"),
              "roads/c/1.glb");
    EXPECT_EQ(tile_path("/d/a/tileset.json", "/other/x.glb"), "/other/x.glb");
    EXPECT_EQ(tile_path("tileset.json", "x.glb"), "x.glb");
}

TEST(Picking, JsonIsOneLineWithTheKeysInOrder) {
    PickResult miss;
    miss.x = 3;
    miss.y = 4;
    EXPECT_EQ(pick_json(miss), R"({"x":3,"y":4,"hit":false})");

    PickResult r;
    r.x = 10;
    r.y = 20;
    r.hit = true;
    r.layer = "buildings";
    r.layer_title = "Gebäude";
    r.tile = "buildings/L4_3_5.glb";
    r.feature = 12;
    r.id = "B0421";
    r.attributes = {{"id", "B0421"}, {"street", "Am \"Bach\"\n"}, {"use", "Wohnhaus"}};
    const std::string line = pick_json(r);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(line.rfind(R"({"x":10,"y":20,"hit":true,"layer":"buildings","layer_title":"Gebäude",)", 0), 0u)
        << line;
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["tile"], "buildings/L4_3_5.glb");
    EXPECT_EQ(j["feature"], 12);
    EXPECT_EQ(j["id"], "B0421");
    EXPECT_EQ(j["attributes"]["street"], "Am \"Bach\"\n");
    EXPECT_EQ(j["attributes"].size(), 3u);
    r.id.clear();
    EXPECT_FALSE(nlohmann::json::parse(pick_json(r)).contains("id")) << "no id column, no id";
    r.attributes.push_back({"bad", std::string("\xff", 1)});
    EXPECT_NO_THROW(nlohmann::json::parse(pick_json(r))) << "invalid UTF-8 is replaced";
}

TEST(Picking, AHighlightComesFromAHitOnly) {
    PickResult r;
    EXPECT_FALSE(highlight_of(r).active());
    r.hit = true;
    r.id = "B1";
    r.content = "t/0.glb";
    r.layer_index = 1;
    r.table = 0;
    r.feature = 4;
    const Highlight h = highlight_of(r);
    EXPECT_TRUE(h.active());
    EXPECT_EQ(h.id, "B1");
    EXPECT_EQ(h.layer, 1u);
    EXPECT_EQ(h.feature, 4u);
}

}  // namespace
