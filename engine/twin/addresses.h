// Address search (docs/tours.md): the twin's addresses (views/addresses.json: street,
// house number and where the building stands) and finding them from what a person types,
// e.g. "hauptstr 12", "Hauptstraße 12a", "schulweg". Pure code: no Vulkan, no UI.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

namespace zw::twin {

struct Address {
    std::string street, number;
    glm::dvec3 position{0.0};  // the building's ground, in the twin's local east-north-up frame

    bool operator==(const Address&) const = default;
};

inline constexpr size_t max_addresses = 1000000;

// Parses views/addresses.json (`name` in messages); throws zw::Error naming the entry.
std::vector<Address> parse_addresses(std::string_view text, const std::string& name);
std::string addresses_json(const std::vector<Address>& addresses);

// What typing compares: lower case, umlauts and ß spelt out (ä -> ae, ß -> ss), "str."
// and "str" at a word's end as "strasse", only letters and digits.
std::string search_key(std::string_view text);

// The addresses `query` names, best first, at most `limit`: the street's key must begin
// with (or, failing that, contain) the query's street part; a house number typed last
// must begin the address's number. An exact number comes before the ones it begins, then
// by street and number (numerically). An empty query finds nothing.
std::vector<size_t> find_addresses(const std::vector<Address>& addresses, std::string_view query,
                                   size_t limit = 8);

}  // namespace zw::twin
