// Private to tiles/tileset.cpp (tileset.json) and tiles/implicit.cpp (implicit tiling,
// subtrees): the JSON helpers both parsers use. Not part of the module's interface.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace zw::tiles::detail {

using json = nlohmann::json;

// nlohmann's messages start with "[json.exception.parse_error.101] ", which says nothing to a user.
inline std::string json_message(const json::exception& e) {
    std::string s = e.what();
    if (s.starts_with("[json.exception.")) {
        if (const size_t end = s.find("] "); end != std::string::npos) s.erase(0, end + 2);
    }
    return s;
}

// The member `key` of the object `j`, or null when it has none.
inline const json* member(const json& j, const char* key) {
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

}  // namespace zw::tiles::detail
