// Address search (engine/twin/addresses): what people type finds the house.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/twin/addresses.h"

namespace {

using zw::twin::Address;
using zw::twin::find_addresses;
using zw::twin::search_key;

const std::vector<Address> town = {
    {"Hauptstraße", "12", {10, 20, 1}},  {"Hauptstraße", "2", {0, 0, 0}},
    {"Hauptstraße", "12a", {11, 21, 1}}, {"Hauptstraße", "120", {50, 60, 2}},
    {"Schulweg", "3", {-5, 7, 0}},       {"Am Schulweg", "1", {-8, 9, 0}},
    {"Mühlgasse", "4", {30, -30, -1}},   {"Große Straße", "7", {70, 70, 3}},
};

std::vector<std::string> found(const std::string& query) {
    std::vector<std::string> out;
    for (size_t i : find_addresses(town, query))
        out.push_back(town[i].street + " " + town[i].number);
    return out;
}

TEST(Addresses, KeysSpellUmlautsAndStreetsOut) {
    EXPECT_EQ(search_key("Mühlgasse"), "muehlgasse");
    EXPECT_EQ(search_key("Große Straße"), "grossestrasse");
    EXPECT_EQ(search_key("Hauptstr."), "hauptstrasse");
    EXPECT_EQ(search_key("hauptstr"), "hauptstrasse");
    EXPECT_EQ(search_key("HAUPTSTRASSE"), "hauptstrasse");
    EXPECT_EQ(search_key("  "), "");
}

TEST(Addresses, FindsWhatPeopleType) {
    // The exact number first, then the numbers it begins, in numeric order.
    EXPECT_EQ(found("Hauptstraße 12"),
              (std::vector<std::string>{"Hauptstraße 12", "Hauptstraße 12a", "Hauptstraße 120"}));
    EXPECT_EQ(found("hauptstr. 12a"), (std::vector<std::string>{"Hauptstraße 12a"}));
    EXPECT_EQ(found("HAUPTSTRASSE 2"), (std::vector<std::string>{"Hauptstraße 2"}));
    EXPECT_EQ(found("haupt"), (std::vector<std::string>{"Hauptstraße 2", "Hauptstraße 12", "Hauptstraße 12a",
                                                        "Hauptstraße 120"}));
    // Streets that begin with it before those that only contain it.
    EXPECT_EQ(found("schulweg"), (std::vector<std::string>{"Schulweg 3", "Am Schulweg 1"}));
    EXPECT_EQ(found("muehlgasse 4"), (std::vector<std::string>{"Mühlgasse 4"}));
    EXPECT_EQ(found("Mühlgasse 4"), (std::vector<std::string>{"Mühlgasse 4"}));
    EXPECT_EQ(found("große str 7"), (std::vector<std::string>{"Große Straße 7"}));
    EXPECT_TRUE(found("Hauptstraße 99").empty());
    EXPECT_TRUE(found("Bahnhofstraße").empty());
    EXPECT_TRUE(found("").empty());
    EXPECT_TRUE(found("   ").empty());
    EXPECT_EQ(find_addresses(town, "h", 2).size(), 2u);  // at most `limit`
}

TEST(Addresses, FileRoundTripAndBrokenFiles) {
    const std::vector<Address> back = zw::twin::parse_addresses(zw::twin::addresses_json(town), "a.json");
    EXPECT_EQ(back, town);
    for (const std::string& bad :
         {std::string("[]"), std::string("{\"format\": \"zwilling-addresses\"}"),
          std::string("{\"format\": \"zwilling-addresses\", \"addresses\": [[\"A\", "
                      "\"1\", 0, 0]]}"),
          std::string("{\"format\": \"zwilling-addresses\", \"addresses\": [[\"A\", 1, "
                      "0, 0, 0]]}"),
          std::string("not json")}) {
        try {
            zw::twin::parse_addresses(bad, "a.json");
            ADD_FAILURE() << "accepted " << bad;
        } catch (const zw::Error& e) {
            EXPECT_NE(std::string(e.what()).find("a.json"), std::string::npos) << e.what();
        }
    }
}

}  // namespace
