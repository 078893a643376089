// A guard for JSON from outside: parsed JSON is copied, printed and destroyed by
// recursion, so text nested deeper than the stack allows must be refused before it is
// parsed. 1,000 levels leave room for any real tileset (a 256-level tile tree nests
// about 520 deep) and stay far from the stack's limit (the fuzzers overflow it beyond
// about 10,000 under AddressSanitizer).
#pragma once

#include <cstddef>
#include <string_view>

namespace zw::core {

inline constexpr size_t max_json_depth = 1000;

// The deepest nesting of arrays and objects in `text` (brackets inside strings do not
// count). Linear, allocates nothing; stops counting once past `limit`.
inline size_t json_nesting_depth(std::string_view text, size_t limit = max_json_depth) {
    size_t depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) deepest = depth;
            if (deepest > limit) return deepest;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

}  // namespace zw::core
