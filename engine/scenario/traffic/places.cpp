#include "engine/scenario/traffic/places.h"

#include <string>

namespace zw::scenario::traffic {
namespace {

// Lower case for ASCII and the German capitals (UTF-8), so that "KIRCHE" and "Kirche",
// "ÜBERBAU" and "Überbau" compare alike.
std::string lower(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0xC3 && i + 1 < s.size()) {
            const auto d = static_cast<unsigned char>(s[i + 1]);
            out += char(c);
            // Ä Ö Ü (C3 84, 96, 9C) -> ä ö ü (C3 A4, B6, BC)
            out += char(d == 0x84 || d == 0x96 || d == 0x9C ? d + 0x20 : d);
            ++i;
            continue;
        }
        out += c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c);
    }
    return out;
}

bool starts(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

const char* place_kind_name(Place::Kind kind) {
    switch (kind) {
        case Place::Kind::home:
            return "home";
        case Place::Kind::school:
            return "school";
        case Place::Kind::shop:
            return "shop";
        case Place::Kind::work:
            return "work";
        case Place::Kind::farm:
            return "farm";
        case Place::Kind::civic:
            return "civic";
        case Place::Kind::church:
            return "church";
        case Place::Kind::fire_station:
            return "fire_station";
        case Place::Kind::other:
            return "other";
    }
    return "other";
}

Place::Kind place_kind_of(std::string_view use) {
    const std::string u = lower(use);
    using K = Place::Kind;
    struct Rule {
        const char* prefix;
        K kind;
    };
    static const Rule rules[] = {
        {"wohnhaus", K::home},        {"mehrfamilienhaus", K::home},
        {"einfamilienhaus", K::home}, {"bauernhaus", K::farm},
        {"bauernhof", K::farm},       {"schule", K::school},
        {"grundschule", K::school},   {"mittelschule", K::school},
        {"kindergarten", K::school},  {"kita", K::school},
        {"supermarkt", K::shop},      {"laden", K::shop},
        {"geschäft", K::shop},        {"markt", K::shop},
        {"bäckerei", K::shop},        {"metzgerei", K::shop},
        {"gewerbe", K::work},         {"halle", K::work},
        {"werkstatt", K::work},       {"büro", K::work},
        {"betrieb", K::work},         {"rathaus", K::civic},
        {"verwaltung", K::civic},     {"bauhof", K::civic},
        {"wasserwerk", K::civic},     {"pumpwerk", K::civic},
        {"umspannwerk", K::civic},    {"kläranlage", K::civic},
        {"kirche", K::church},        {"feuerwehr", K::fire_station},
    };
    for (const Rule& r : rules)
        if (starts(u, r.prefix)) return r.kind;
    return K::other;
}

}  // namespace zw::scenario::traffic
