#include "engine/twin/addresses.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/json_depth.h"

namespace zw::twin {
namespace {

using json = nlohmann::json;

// The house number's leading digits as a number (12a -> 12), for sorting.
long number_value(const std::string& n) {
    return std::strtol(n.c_str(), nullptr, 10);
}

}  // namespace

std::vector<Address> parse_addresses(std::string_view text, const std::string& name) {
    if (core::json_nesting_depth(text) > core::max_json_depth)
        fail("addresses '", name, "' nest deeper than ", core::max_json_depth, " levels; refused");
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        fail("addresses '", name, "' are not JSON: ", e.what());
    }
    if (!j.is_object() || j.value("format", json()) != "zwilling-addresses" || !j.contains("addresses") ||
        !j["addresses"].is_array())
        fail("addresses '", name, "' must be {\"format\": \"zwilling-addresses\", \"addresses\": [...]}");
    const json& list = j["addresses"];
    if (list.size() > max_addresses)
        fail("addresses '", name, "' hold more than ", max_addresses, " entries");
    std::vector<Address> out;
    out.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
        const json& a = list[i];
        // [street, number, east, north, up]: compact, for a town of thousands of houses.
        if (!a.is_array() || a.size() != 5 || !a[0].is_string() || !a[1].is_string() ||
            !std::all_of(a.begin() + 2, a.end(), [](const json& x) {
                return x.is_number() && std::isfinite(x.get<double>()) && std::abs(x.get<double>()) <= 1e6;
            }))
            fail("addresses '", name, "': addresses[", i,
                 "] must be [street, house number, east, north, up] (metres from the twin's origin)");
        out.push_back({a[0].get<std::string>(),
                       a[1].get<std::string>(),
                       {a[2].get<double>(), a[3].get<double>(), a[4].get<double>()}});
    }
    return out;
}

std::string addresses_json(const std::vector<Address>& addresses) {
    json list = json::array();
    for (const Address& a : addresses) {
        auto dm = [](double v) { return std::round(v * 10.0) / 10.0; };
        list.push_back({a.street, a.number, dm(a.position.x), dm(a.position.y), dm(a.position.z)});
    }
    return json{{"format", "zwilling-addresses"}, {"format_version", 1}, {"addresses", list}}.dump() + "\n";
}

std::string search_key(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == 0xC3 && i + 1 < text.size()) {  // UTF-8 of ä ö ü Ä Ö Ü ß
            const unsigned char d = static_cast<unsigned char>(text[i + 1]);
            const char* spelt = d == 0xA4 || d == 0x84   ? "ae"
                                : d == 0xB6 || d == 0x96 ? "oe"
                                : d == 0xBC || d == 0x9C ? "ue"
                                : d == 0x9F              ? "ss"
                                                         : nullptr;
            if (spelt) {
                out += spelt;
                ++i;
                continue;
            }
        }
        if (std::isalnum(c) && c < 0x80) {
            out += char(std::tolower(c));
        } else if (out.size() >= 3 && out.compare(out.size() - 3, 3, "str") == 0 &&
                   (out.size() == 3 || !std::isdigit(static_cast<unsigned char>(out[out.size() - 4])))) {
            out += "asse";  // "Hauptstr." and "Hauptstr 12": the street's word ends here
        }
    }
    if (out.size() >= 3 && out.compare(out.size() - 3, 3, "str") == 0) out += "asse";
    return out;
}

std::vector<size_t> find_addresses(const std::vector<Address>& addresses, std::string_view query,
                                   size_t limit) {
    // The house number: the query's last word when it begins with a digit.
    std::string_view street = query, number;
    const size_t end = query.find_last_not_of(" \t");
    if (end != std::string_view::npos) {
        const size_t begin = query.find_last_of(" \t", end);
        const std::string_view last =
            query.substr(begin == std::string_view::npos ? 0 : begin + 1,
                         end - (begin == std::string_view::npos ? 0 : begin + 1) + 1);
        if (!last.empty() && std::isdigit(static_cast<unsigned char>(last[0]))) {
            number = last;
            street = query.substr(0, begin == std::string_view::npos ? 0 : begin);
        }
    }
    const std::string s = search_key(street), n = search_key(number);
    if (s.empty() && n.empty()) return {};
    struct Hit {
        size_t index;
        int rank;  // 0: street begins with it and exact number, 1: street begins, 2: street contains
    };
    std::vector<Hit> hits;
    for (size_t i = 0; i < addresses.size(); ++i) {
        const std::string as = search_key(addresses[i].street), an = search_key(addresses[i].number);
        const size_t at = as.find(s);
        if (at == std::string::npos || an.compare(0, n.size(), n) != 0) continue;
        hits.push_back({i, at == 0 ? (!n.empty() && an == n ? 0 : 1) : 2});
    }
    std::sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
        const Address& x = addresses[a.index];
        const Address& y = addresses[b.index];
        if (a.rank != b.rank) return a.rank < b.rank;
        if (x.street != y.street) return x.street < y.street;
        if (number_value(x.number) != number_value(y.number))
            return number_value(x.number) < number_value(y.number);
        return x.number < y.number;
    });
    std::vector<size_t> out;
    for (size_t i = 0; i < hits.size() && out.size() < limit; ++i)
        out.push_back(hits[i].index);
    return out;
}

}  // namespace zw::twin
