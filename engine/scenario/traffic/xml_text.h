// Text for SUMO's XML files as this project writes them (networks, route files): one
// escaping for every writer. Pure code.
#pragma once

#include <string>
#include <string_view>

namespace zw::scenario::traffic {

// `s` with &, <, >, " and ' as XML entities, for an attribute value or text.
inline std::string xml_escaped(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace zw::scenario::traffic
