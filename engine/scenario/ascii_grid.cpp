#include "engine/scenario/ascii_grid.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "engine/core/error.h"

namespace zw::scenario {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Splits text into whitespace-separated tokens, remembering each token's line.
class Tokens {
  public:
    explicit Tokens(std::string_view text) : text_(text) {}
    bool next(std::string_view& token, size_t& line) {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) {
            if (text_[pos_] == '\n') ++line_;
            ++pos_;
        }
        if (pos_ >= text_.size()) return false;
        const size_t start = pos_;
        while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
        token = text_.substr(start, pos_ - start);
        line = line_;
        return true;
    }
    // Bytes not read yet.
    size_t remaining() const { return text_.size() - pos_; }
    // The next token without taking it.
    bool peek(std::string_view& token) {
        const size_t pos = pos_, line = line_;
        size_t l = 0;
        const bool ok = next(token, l);
        pos_ = pos;
        line_ = line;
        return ok;
    }

  private:
    std::string_view text_;
    size_t pos_ = 0, line_ = 1;
};

bool parse_double(std::string_view s, double& out) {
    // from_chars for double is in GCC 12's libstdc++; it does not accept a leading '+'.
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

}  // namespace

AsciiGrid parse_ascii_grid(std::string_view text, const std::string& name) {
    auto error = [&](size_t line, const std::string& what) -> void {
        fail("ESRI ASCII grid '", name, "', line ", line, ": ", what);
    };
    Tokens tokens(text);
    std::map<std::string, double> header;
    std::map<std::string, size_t> header_line;
    std::string_view key, value;
    size_t line = 1;
    // Header: key value pairs until the first token that is a number.
    while (tokens.peek(key)) {
        double number = 0;
        if (parse_double(key, number)) break;
        tokens.next(key, line);
        const std::string k = lower(key);
        static const char* const known[] = {"ncols",     "nrows",       "xllcorner", "yllcorner",
                                            "xllcenter", "yllcenter",   "cellsize",  "dx",
                                            "dy",        "nodata_value"};
        if (std::find_if(std::begin(known), std::end(known), [&](const char* n) { return k == n; }) ==
            std::end(known))
            error(line, "unknown header key '" + std::string(key) +
                            "' (expected ncols, nrows, xllcorner/xllcenter, yllcorner/yllcenter, cellsize, "
                            "NODATA_value)");
        if (header.count(k)) error(line, "'" + std::string(key) + "' is given twice");
        size_t value_line = line;
        if (!tokens.next(value, value_line) || value_line != line)
            error(line, "'" + std::string(key) + "' has no value");
        if (!parse_double(value, number))
            error(line, "'" + std::string(key) + "' must be a number (got '" + std::string(value) + "')");
        header[k] = number;
        header_line[k] = line;
    }
    auto size = [&](const char* k) {
        if (!header.count(k)) error(line, std::string("the header has no '") + k + "'");
        const double v = header[k];
        if (!(v >= 1) || v != std::floor(v) || v > 1e9)
            error(header_line[k], std::string("'") + k + "' must be a positive whole number");
        return uint32_t(v);
    };
    AsciiGrid g;
    g.ncols = size("ncols");
    g.nrows = size("nrows");
    if (uint64_t(g.ncols) * g.nrows > max_ascii_grid_cells)
        error(header_line["nrows"], std::to_string(g.ncols) + " x " + std::to_string(g.nrows) +
                                        " cells is more than this program reads (" +
                                        std::to_string(max_ascii_grid_cells) + ")");
    if (header.count("cellsize")) {
        g.cellsize = header["cellsize"];
    } else if (header.count("dx") && header.count("dy")) {
        if (header["dx"] != header["dy"])
            error(header_line["dy"], "dx and dy differ; only square cells are read");
        g.cellsize = header["dx"];
    } else {
        error(line, "the header has no 'cellsize'");
    }
    if (!(g.cellsize > 0)) error(line, "the cell size must be positive");
    const bool centre_x = header.count("xllcenter") > 0, centre_y = header.count("yllcenter") > 0;
    if (centre_x == (header.count("xllcorner") > 0))
        error(line, "the header needs exactly one of 'xllcorner' and 'xllcenter'");
    if (centre_y == (header.count("yllcorner") > 0))
        error(line, "the header needs exactly one of 'yllcorner' and 'yllcenter'");
    g.xllcorner = centre_x ? header["xllcenter"] - g.cellsize / 2 : header["xllcorner"];
    g.yllcorner = centre_y ? header["yllcenter"] - g.cellsize / 2 : header["yllcorner"];
    if (header.count("nodata_value")) g.nodata = header["nodata_value"];
    const double reach = max_ascii_grid_coordinate;
    if (!(g.cellsize <= reach && std::abs(g.xllcorner) <= reach && std::abs(g.yllcorner) <= reach &&
          std::abs(g.xllcorner + g.ncols * g.cellsize) <= reach &&
          std::abs(g.yllcorner + g.nrows * g.cellsize) <= reach))
        error(line, "the grid reaches beyond 1e9 of its system's origin (cell size " +
                        std::to_string(g.cellsize) + "); check the header's corner and cell size");

    const size_t n = size_t(g.ncols) * g.nrows;
    // n values need at least 2n - 1 bytes: a short file is refused before memory is taken
    // for what its header announces.
    if (tokens.remaining() < 2 * n - 1)
        error(line, "holds at most " + std::to_string((tokens.remaining() + 1) / 2) +
                        " values, but its header announces " + std::to_string(n) + " (" +
                        std::to_string(g.nrows) + " rows of " + std::to_string(g.ncols) + ")");
    g.values.resize(n);
    for (size_t i = 0; i < n; ++i) {
        if (!tokens.next(value, line))
            error(line, "ends after " + std::to_string(i) + " of " + std::to_string(n) + " values (" +
                            std::to_string(g.nrows) + " rows of " + std::to_string(g.ncols) + ")");
        double v = 0;
        if (!parse_double(value, v)) error(line, "'" + std::string(value) + "' is not a number");
        // The file's first row is the northern one.
        const size_t file_row = i / g.ncols, col = i % g.ncols;
        g.values[(g.nrows - 1 - file_row) * g.ncols + col] = v;
    }
    if (tokens.next(value, line))
        error(line, "holds more than the " + std::to_string(n) + " values its header announces");
    return g;
}

std::string read_input_file(const std::string& path, const std::string& what) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        fail("cannot read ", what, " '", path, "': it is a folder, not a file (name the file itself)");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read ", what, " '", path, "': ", std::strerror(errno));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) fail("cannot read ", what, " '", path, "': ", std::strerror(errno));
    return text;
}

AsciiGrid read_ascii_grid(const std::string& path) {
    return parse_ascii_grid(read_input_file(path, "the ESRI ASCII grid"), path);
}

namespace {

// Appends v with `decimals` digits after the point, however many digits it has before
// it (1e300 has 301): snprintf's result is the length it needed, not what it wrote.
void append_fixed(std::string& out, double v, int decimals) {
    char buf[64];
    const int len = std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    if (len < 0) fail("cannot format the value ", v, " for an ESRI ASCII grid");
    if (size_t(len) < sizeof buf) {
        out.append(buf, size_t(len));
        return;
    }
    const size_t at = out.size();
    out.resize(at + size_t(len) + 1);
    std::snprintf(out.data() + at, size_t(len) + 1, "%.*f", decimals, v);
    out.resize(at + size_t(len));
}

}  // namespace

std::string format_ascii_grid(const AsciiGrid& g, int decimals) {
    decimals = std::clamp(decimals, 0, 17);
    std::string out;
    auto line = [&](const char* key, double v, int digits) {
        out += key;
        out.append(14 - std::strlen(key), ' ');  // every key is shorter
        append_fixed(out, v, digits);
        out += '\n';
    };
    line("ncols", g.ncols, 0);
    line("nrows", g.nrows, 0);
    line("xllcorner", g.xllcorner, 6);
    line("yllcorner", g.yllcorner, 6);
    line("cellsize", g.cellsize, 6);
    // NODATA exactly as it is, so that a reader compares equal.
    std::string nodata;
    if (g.nodata) {
        if (!std::isfinite(*g.nodata))
            fail("cannot write an ESRI ASCII grid whose NODATA_value is not finite");
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", *g.nodata);  // at most 24 characters
        nodata = buf;
        out += "NODATA_value  " + nodata + "\n";
    }
    out.reserve(out.size() + g.values.size() * size_t(decimals + 4));
    for (uint32_t r = g.nrows; r-- > 0;) {
        for (uint32_t c = 0; c < g.ncols; ++c) {
            const double v = g.at(c, r);
            if (g.is_nodata(v)) {
                out += nodata;
            } else {
                if (!std::isfinite(v))
                    fail("cannot write the value ", v, " (row ", g.nrows - r, " from the top, column ", c + 1,
                         ") into an ESRI ASCII grid: it is not a finite number");
                append_fixed(out, v, decimals);
            }
            out += c + 1 < g.ncols ? ' ' : '\n';
        }
    }
    return out;
}

void write_ascii_grid(const std::string& path, const AsciiGrid& grid, int decimals) {
    const std::string text = format_ascii_grid(grid, decimals);
    const std::string tmp = path + ".part";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) fail("cannot write '", path, "': ", std::strerror(errno), " (does the folder exist?)");
        out.write(text.data(), std::streamsize(text.size()));
        out.close();
        if (!out) fail("cannot write '", path, "': disk full or not writable");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail("cannot write '", path, "': ", ec.message());
}

}  // namespace zw::scenario
