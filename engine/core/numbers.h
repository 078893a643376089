// Numbers, times and CSV as a reader of the UI's language expects them: German
// "1.234,5" (thousands '.', decimal ','), English "1,234.5". Pure functions of their
// arguments (no C locale, no globals), so panels, exports and tests get the same text.
// A value that is not finite (NaN, infinity) is shown as dash (an en dash) and written
// to CSV as an empty field.
#pragma once

#include <string>
#include <string_view>

namespace zw::core {

enum class NumberStyle { en, de };

// What a number that is not finite shows: U+2013 EN DASH.
inline constexpr const char* dash = "\xE2\x80\x93";

// `v` rounded to `decimals` (0..9) digits after the decimal separator, with thousands
// separators when `grouped`: (1234.5, 1, de) -> "1.234,5", en -> "1,234.5". A value that
// rounds to zero has no minus sign ("0,0", not "-0,0").
std::string format_number(double v, int decimals, NumberStyle style, bool grouped = true);

// A change: as format_number with an explicit sign, "+0,4" / "-0,4"; one that rounds to
// zero is "0,0" (no sign: nothing changed at this precision).
std::string format_signed(double v, int decimals, NumberStyle style);

// A percentage (`percent` already in per cent): German "12 %" with a no-break space
// (U+00A0, which the overlay's Latin-1 font has), English "12%".
std::string format_percent(double percent, int decimals, NumberStyle style);

// Seconds as hours and minutes, rounded to the minute: 5400 -> "1:30", 59.6 -> "0:01",
// -1800 -> "-0:30". Hours are not wrapped at 24 (a duration).
std::string format_hm(double seconds);
// A duration with its unit, the same in both languages: "1:30 h".
std::string format_duration(double seconds, NumberStyle style);
// A time of day (seconds since midnight, wrapped into 0..24 h): German "7:30 Uhr",
// English "7:30".
std::string format_clock(double seconds_of_day, NumberStyle style);

// ---- CSV -----------------------------------------------------------------------------

// How a CSV file is written. English: comma-separated, '.' decimals, no BOM (what scripts
// and English spreadsheets read). German: what German spreadsheet tools (Excel, LibreOffice
// with a German locale) open by double click without an import dialog: a UTF-8 byte order
// mark (else Excel reads "Straße" as cp1252), ';' between fields (',' is the decimal
// separator) and ',' decimals.
struct CsvDialect {
    NumberStyle style = NumberStyle::en;
    char separator() const { return style == NumberStyle::de ? ';' : ','; }
    // What the file starts with: the UTF-8 BOM for German, nothing for English.
    std::string_view preamble() const { return style == NumberStyle::de ? "\xEF\xBB\xBF" : ""; }
};

// A CSV field: as is, or (when it holds the separator, a quote or a line break) quoted
// with its quotes doubled (RFC 4180).
std::string csv_field(std::string_view text, const CsvDialect& dialect);

// A number in a CSV field: `decimals` digits, never grouped (spreadsheets read "1234,5",
// but "1.234,5" only in some locales), the dialect's decimal separator; empty when not
// finite.
std::string csv_number(double v, int decimals, const CsvDialect& dialect);

}  // namespace zw::core
