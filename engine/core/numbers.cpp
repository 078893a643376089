#include "engine/core/numbers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace zw::core {
namespace {

// "%.*f" in the C locale (the process never calls setlocale, so '.' is the decimal point),
// without a minus sign on a value that rounds to zero.
std::string plain(double v, int decimals) {
    decimals = std::clamp(decimals, 0, 9);
    char buf[400];  // DBL_MAX with 9 decimals fits
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
}

// "1234.5" (as plain() writes it) in the style's separators.
std::string styled(const std::string& text, NumberStyle style, bool grouped) {
    const char decimal = style == NumberStyle::de ? ',' : '.';
    const char group = style == NumberStyle::de ? '.' : ',';
    const bool negative = text[0] == '-';
    const size_t begin = negative ? 1 : 0;
    const size_t point = std::min(text.find('.'), text.size());
    std::string out = negative ? "-" : "";
    const size_t digits = point - begin;
    for (size_t i = begin; i < point; ++i) {
        out += text[i];
        const size_t left = point - i - 1;
        if (grouped && left > 0 && left % 3 == 0 && digits > 3) out += group;
    }
    if (point < text.size()) out += decimal + text.substr(point + 1);
    return out;
}

}  // namespace

std::string format_number(double v, int decimals, NumberStyle style, bool grouped) {
    if (!std::isfinite(v)) return dash;
    return styled(plain(v, decimals), style, grouped);
}

std::string format_signed(double v, int decimals, NumberStyle style) {
    if (!std::isfinite(v)) return dash;
    const std::string text = plain(v, decimals);
    if (text.find_first_not_of("0.") == std::string::npos) return styled(text, style, true);
    return (text[0] == '-' ? "" : "+") + styled(text, style, true);
}

std::string format_percent(double percent, int decimals, NumberStyle style) {
    if (!std::isfinite(percent)) return dash;
    return format_number(percent, decimals, style) + (style == NumberStyle::de ? "\xC2\xA0%" : "%");
}

std::string format_hm(double seconds) {
    if (!std::isfinite(seconds)) return dash;
    const long long minutes = std::llround(std::fabs(seconds) / 60.0);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s%lld:%02lld", seconds < 0 && minutes > 0 ? "-" : "", minutes / 60,
                  minutes % 60);
    return buf;
}

std::string format_duration(double seconds, NumberStyle) {
    if (!std::isfinite(seconds)) return dash;
    return format_hm(seconds) + " h";
}

std::string format_clock(double seconds_of_day, NumberStyle style) {
    if (!std::isfinite(seconds_of_day)) return dash;
    // Rounded to the minute first, so that 23:59:50 reads 0:00 and not 24:00.
    long long minutes = std::llround(seconds_of_day / 60.0) % (24 * 60);
    if (minutes < 0) minutes += 24 * 60;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%lld:%02lld%s", minutes / 60, minutes % 60,
                  style == NumberStyle::de ? " Uhr" : "");
    return buf;
}

std::string csv_field(std::string_view text, const CsvDialect& dialect) {
    const char specials[] = {dialect.separator(), '"', '\n', '\r', '\0'};
    if (text.find_first_of(specials) == std::string_view::npos) return std::string(text);
    std::string q = "\"";
    for (char c : text)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string csv_number(double v, int decimals, const CsvDialect& dialect) {
    if (!std::isfinite(v)) return "";
    return styled(plain(v, decimals), dialect.style, false);
}

}  // namespace zw::core
