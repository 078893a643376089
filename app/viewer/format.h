// Numbers and CSV in the overlay's language (strings.h's language()): the panels print
// every number through these, the exports write CSV in csv_dialect(). The formatting
// itself is engine/core/numbers.h.
#pragma once

#include <cstddef>
#include <string>

#include "app/viewer/strings.h"
#include "engine/core/numbers.h"

namespace zw::viewer {

inline core::NumberStyle number_style() {
    return language() == Lang::de ? core::NumberStyle::de : core::NumberStyle::en;
}
// The CSV the exports write: German spreadsheet CSV in the German UI, English CSV in the
// English one (also for --flood-export-csv, which follows --lang).
inline core::CsvDialect csv_dialect() {
    return core::CsvDialect{number_style()};
}
// "1.234,5" / "1,234.5"
inline std::string num(double v, int decimals) {
    return core::format_number(v, decimals, number_style());
}
// "+0,4" / "+0.4"
inline std::string num_signed(double v, int decimals) {
    return core::format_signed(v, decimals, number_style());
}
// "12 %" / "12%"
inline std::string percent(double v, int decimals) {
    return core::format_percent(v, decimals, number_style());
}
// "1:30" (hours and minutes of a duration, no unit)
inline std::string hm(double seconds) {
    return core::format_hm(seconds);
}

// An attribute value as the data holds it, with a decimal comma in German where it is a
// plain decimal number ("0.72" -> "0,72"). Not regrouped: an attribute may be a year or
// a number that is an id ("1975" stays "1975").
inline std::string attribute_text(const std::string& value) {
    if (language() != Lang::de) return value;
    const size_t begin = !value.empty() && value[0] == '-' ? 1 : 0;
    const size_t point = value.find('.');
    if (point == std::string::npos || point == begin || point + 1 == value.size()) return value;
    for (size_t i = begin; i < value.size(); ++i)
        if (i != point && (value[i] < '0' || value[i] > '9')) return value;
    std::string out = value;
    out[point] = ',';
    return out;
}

}  // namespace zw::viewer
