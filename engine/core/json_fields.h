// Reading the fields of a JSON object with messages that name them: "<what>: layers[2].tileset
// must be a string". For parsers of the project's own JSON formats (twin.json, scenario
// files, the bake's recipe); internal to the engine (nlohmann::json is not part of its
// public headers). Also the one place that says what an unknown key was meant to be
// (`nearest_key`, `unknown_key`) and what text a name may hold (`text_problem`).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"

namespace zw::core {

// Edits (insert, delete, replace, swap two neighbours) from a to b, letters compared
// without case, so that "West" is 0 edits from "west" and "durration_s" 1 from
// "duration_s". Quadratic; for key names.
inline size_t key_distance(std::string_view a, std::string_view b) {
    auto low = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    const size_t n = a.size(), m = b.size();
    std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (size_t j = 0; j <= m; ++j)
        prev[j] = j;
    for (size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= m; ++j) {
            const size_t cost = low(a[i - 1]) == low(b[j - 1]) ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && low(a[i - 1]) == low(b[j - 2]) && low(a[i - 2]) == low(b[j - 1]))
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

// The known key that `key` most likely misspells: the nearest by key_distance, when it
// is at most a third of the key's length away (at least 1, at most 3 edits); "" when
// none is that close (a key from another format, not a typo).
template <typename Keys>
std::string nearest_key(std::string_view key, const Keys& known) {
    std::string best;
    size_t best_d = std::numeric_limits<size_t>::max();
    for (const auto& k : known) {
        const std::string_view kv(k);
        const size_t d = key_distance(key, kv);
        if (d < best_d) {
            best_d = d;
            best = std::string(kv);
        }
    }
    const size_t allowed = std::clamp<size_t>(key.size() / 3, 1, 3);
    return best_d <= allowed ? best : std::string();
}

// "unknown key 'West' (did you mean 'west'?)", or, without a near one, the keys known
// there: "unknown key 'foo' (known keys: a, b, c)". `shown` is the key as the message
// names it (with its path, e.g. "boundaries.West").
template <typename Keys>
std::string unknown_key(std::string_view key, const std::string& shown, const Keys& known) {
    std::string s = "unknown key '" + shown + "'";
    if (const std::string near = nearest_key(key, known); !near.empty())
        return s + " (did you mean '" + near + "'?)";
    s += " (known keys:";
    const char* sep = " ";
    for (const auto& k : known) {
        s += sep + std::string(std::string_view(k));
        sep = ", ";
    }
    return s + ")";
}
inline std::string unknown_key(std::string_view key, const std::string& shown,
                               std::initializer_list<const char*> known) {
    return unknown_key<std::initializer_list<const char*>>(key, shown, known);
}

// Why `s` is no printable text, or "" when it is: valid UTF-8 (no overlong forms, no
// surrogates), no control characters (C0 including NUL, DEL, C1), at most `max_bytes`.
// `allow_newlines` lets a line feed (and a tab) through, for descriptions.
inline std::string text_problem(std::string_view s, size_t max_bytes, bool allow_newlines = false) {
    if (s.size() > max_bytes) return "is longer than " + std::to_string(max_bytes) + " bytes";
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if ((c < 0x20 && !(allow_newlines && (c == '\n' || c == '\t'))) || c == 0x7f) {
                std::ostringstream o;
                o << "holds a control character (code " << int(c) << ") at byte " << i
                  << "; use printable text";
                return o.str();
            }
            ++i;
            continue;
        }
        size_t len = 0;
        uint32_t cp = 0;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return "is not valid UTF-8 (byte " + std::to_string(i) + ")";
        }
        if (i + len > s.size()) return "is not valid UTF-8 (cut off at byte " + std::to_string(i) + ")";
        for (size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xc0u) != 0x80u) return "is not valid UTF-8 (byte " + std::to_string(i + k) + ")";
            cp = (cp << 6) | (cc & 0x3fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return "is not valid UTF-8 (byte " + std::to_string(i) + ")";
        if (cp >= 0x80 && cp <= 0x9f)
            return "holds a control character (U+00" + std::string(1, "0123456789ABCDEF"[cp >> 4]) +
                   std::string(1, "0123456789ABCDEF"[cp & 15]) + ") at byte " + std::to_string(i) +
                   "; use printable text";
        i += len;
    }
    return "";
}

// A number for messages: "0.5", "1e+300", "4096".
inline std::string number_text(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

// One JSON object; `what` starts every message (e.g. "twin manifest 'x/twin.json'").
class JsonFields {
  public:
    JsonFields(const nlohmann::json& j, std::string path, std::string what)
        : j_(j), path_(std::move(path)), what_(std::move(what)) {}

    std::string name(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

    [[noreturn]] void error(const std::string& field, const std::string& what) const {
        fail(what_, ": ", field, " ", what);
    }

    const nlohmann::json* find(const char* key) const {
        const auto it = j_.find(key);
        return it == j_.end() || it->is_null() ? nullptr : &*it;
    }
    std::string text(const char* key, const std::string& fallback = "") const {
        const nlohmann::json* v = find(key);
        if (!v) return fallback;
        if (!v->is_string()) error(name(key), "must be a string");
        return v->get<std::string>();
    }
    std::string required_text(const char* key) const {
        const std::string s = text(key);
        if (s.empty()) error(name(key), "is missing or empty");
        return s;
    }
    bool flag(const char* key, bool fallback) const {
        const nlohmann::json* v = find(key);
        if (!v) return fallback;
        if (!v->is_boolean()) error(name(key), "must be true or false");
        return v->get<bool>();
    }
    // A number; never NaN or infinite (a JSON number too large for a double is refused).
    double number(const char* key, double fallback) const {
        const nlohmann::json* v = find(key);
        if (!v) return fallback;
        if (!v->is_number()) error(name(key), "must be a number");
        const double d = v->get<double>();
        if (!std::isfinite(d)) error(name(key), "must be a finite number");
        return d;
    }
    // A number within [lo, hi]; the message says the range and what was given.
    double number_in(const char* key, double fallback, double lo, double hi, const char* unit = "") const {
        const double d = number(key, fallback);
        if (!(d >= lo && d <= hi))
            error(name(key), "must be between " + number_text(lo) + " and " + number_text(hi) + unit +
                                 ", not " + number_text(d));
        return d;
    }
    // Text that is printable (text_problem): names, titles, descriptions.
    std::string printable(const char* key, const std::string& fallback = "", size_t max_bytes = 256,
                          bool allow_newlines = false) const {
        std::string s = text(key, fallback);
        if (const std::string why = text_problem(s, max_bytes, allow_newlines); !why.empty())
            error(name(key), why);
        return s;
    }
    // Refuses every key of this object that is not in `known`, naming the nearest known
    // key ("unknown key 'solver.secondorder' (did you mean 'second_order'?)").
    void only_keys(std::initializer_list<const char*> known) const {
        if (!j_.is_object()) return;
        for (auto it = j_.begin(); it != j_.end(); ++it) {
            const std::string& key = it.key();
            if (std::find_if(known.begin(), known.end(), [&](const char* k) { return key == k; }) !=
                known.end())
                continue;
            fail(what_, ": ", unknown_key(key, name(key.c_str()), known));
        }
    }
    const nlohmann::json& object(const char* key) const {
        static const nlohmann::json empty = nlohmann::json::object();
        const nlohmann::json* v = find(key);
        if (!v) return empty;
        if (!v->is_object()) error(name(key), "must be an object");
        return *v;
    }
    const nlohmann::json& array(const char* key) const {
        static const nlohmann::json empty = nlohmann::json::array();
        const nlohmann::json* v = find(key);
        if (!v) return empty;
        if (!v->is_array()) error(name(key), "must be an array");
        return *v;
    }
    JsonFields child(const nlohmann::json& j, const std::string& key) const {
        if (!j.is_object()) error(name(key.c_str()), "must be an object");
        return JsonFields(j, name(key.c_str()), what_);
    }
    JsonFields element(const nlohmann::json& j, const char* key, size_t i) const {
        const std::string n = name(key) + "[" + std::to_string(i) + "]";
        if (!j.is_object()) error(n, "must be an object");
        return JsonFields(j, n, what_);
    }

  private:
    const nlohmann::json& j_;
    std::string path_;
    std::string what_;
};

}  // namespace zw::core
