// A small RFC 4180 reader for the tests of the CSV exports: what a spreadsheet tool does
// with the file (byte order mark, separator, quoted fields), so that a test can compare
// the German export's values with the English one's.
#pragma once

#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace zw::test {

struct ParsedCsv {
    bool bom = false;
    std::vector<std::vector<std::string>> rows;  // the header first
};

inline ParsedCsv parse_csv(std::string_view text, char separator) {
    ParsedCsv out;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        out.bom = true;
        text.remove_prefix(3);
    }
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == separator) {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\n') {
            row.push_back(std::move(field));
            field.clear();
            out.rows.push_back(std::move(row));
            row.clear();
        } else {
            field += c;
        }
    }
    if (!field.empty() || !row.empty()) {
        row.push_back(std::move(field));
        out.rows.push_back(std::move(row));
    }
    return out;
}

// A field as a number with `decimal` as the decimal separator; nullopt-like NaN when the
// field is not wholly a number.
inline double csv_number(const std::string& field, char decimal) {
    if (field.empty()) return std::nan("");
    std::string s = field;
    for (char& c : s) {
        if (c == decimal)
            c = '.';
        else if (c == '.' || c == ',')
            return std::nan("");  // a separator of the other style: not a number here
    }
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() ? v : std::nan("");
}

// Whether the German file's data rows hold the English file's values: numbers equal (read
// with ',' and '.' decimals), words equal after `german` (English word -> German word),
// the rest equal as text. Returns the first difference, empty when none.
inline std::string compare_csv_values(const ParsedCsv& de, const ParsedCsv& en,
                                      const std::map<std::string, std::string>& german) {
    if (de.rows.size() != en.rows.size()) return "row counts differ";
    for (size_t r = 1; r < en.rows.size(); ++r) {
        if (de.rows[r].size() != en.rows[r].size())
            return "row " + std::to_string(r) + ": field counts differ";
        for (size_t f = 0; f < en.rows[r].size(); ++f) {
            const std::string& e = en.rows[r][f];
            const std::string& d = de.rows[r][f];
            const double ev = csv_number(e, '.');
            const std::string where = "row " + std::to_string(r) + " field " + std::to_string(f) + ": ";
            if (!std::isnan(ev)) {
                if (csv_number(d, ',') != ev) return where + "'" + d + "' is not " + e;
                continue;
            }
            const auto it = german.find(e);
            const std::string want = it == german.end() ? e : it->second;
            if (d != want) return where + "'" + d + "', expected '" + want + "'";
        }
    }
    return {};
}

}  // namespace zw::test
