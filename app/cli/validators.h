// The checks of option values that zwilling, zwilling-bake and zwilling-flood share, as
// CLI11 validators (use with ->transform). A bad value's message reads "--opt expects WHAT
// RANGE (got 'VALUE')"; CLI11 adds the option's name. Each hands the value on to CLI11 in
// a form it converts exactly: CLI11 converts decimals with strtold (which can round the
// last bit differently from the decimal the user wrote) and reads "010" as octal.
#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace zw::cli {

inline constexpr double unbounded = std::numeric_limits<double>::infinity();

// A number as written in decimal, finite (no "nan", "inf", hexadecimal or spaces).
inline std::optional<double> decimal(const std::string& s) {
    double d = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(d)) return std::nullopt;
    return d;
}

// A whole number written in digits only (no sign, point or spaces) that fits 32 bits: a
// part of a value such as "1280x720" or "640,360".
inline std::optional<uint32_t> digits(const std::string& s) {
    uint32_t n = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || s[0] < '0' || s[0] > '9' || r.ec != std::errc() || r.ptr != s.data() + s.size())
        return std::nullopt;
    return n;
}

// The shortest decimal that reads back as `d`.
inline std::string text(double d) {
    char buf[32];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
}

// " from LO to HI", " above LO", ", at least LO", " up to HI" or nothing: a range in a message.
inline std::string range_text(double lo, double hi, bool above) {
    if (lo == -unbounded) return hi == unbounded ? std::string() : " up to " + text(hi);
    if (hi == unbounded) return (above ? " above " : ", at least ") + text(lo);
    return above ? " above " + text(lo) + " and up to " + text(hi) : " from " + text(lo) + " to " + text(hi);
}

// A decimal number in [lo, hi] (above lo when `above`); else "expects WHAT RANGE (got 'V')".
// Handed on in its exact hexadecimal form.
inline CLI::Validator number(const std::string& what, double lo = -unbounded, double hi = unbounded,
                             bool above = false) {
    return CLI::Validator(
        [=](std::string& v) -> std::string {
            const std::optional<double> d = decimal(v);
            if (!d || *d < lo || *d > hi || (above && *d == lo))
                return "expects " + what + range_text(lo, hi, above) + " (got '" + v + "')";
            char buf[64];
            v = std::string(std::signbit(*d) ? "-0x" : "0x") +
                std::string(buf,
                            std::to_chars(buf, buf + sizeof buf, std::fabs(*d), std::chars_format::hex).ptr);
            return {};
        },
        "");
}

// A number above 0 (seconds, metres, ...).
inline CLI::Validator above_zero(const std::string& what) {
    return number(what, 0, unbounded, true);
}

// How a whole number may be written: digits only, or also as a decimal with a whole
// value ("2.0", "1e1"; up to 2^53, where doubles stop counting every number).
enum class Written { digits, digits_or_decimal };

// A whole number in [lo, hi] written as `written` allows (digits are read exactly); else
// "expects WHAT RANGE (got 'V')", with no upper bound in the message when `hi` is the
// default (the largest 32-bit number). Handed on in digits.
inline CLI::Validator whole_number(const std::string& what, uint64_t lo,
                                   uint64_t hi = std::numeric_limits<uint32_t>::max(),
                                   Written written = Written::digits) {
    return CLI::Validator(
        [=](std::string& v) -> std::string {
            std::optional<uint64_t> n;
            uint64_t exact = 0;
            const auto r = std::from_chars(v.data(), v.data() + v.size(), exact);
            if (!v.empty() && v[0] >= '0' && v[0] <= '9' && r.ec == std::errc() &&
                r.ptr == v.data() + v.size())
                n = exact;
            else if (const std::optional<double> d = decimal(v); written == Written::digits_or_decimal && d &&
                                                                 *d >= 0 && *d <= 9007199254740992.0 &&
                                                                 *d == std::floor(*d))
                n = uint64_t(*d);
            if (!n || *n < lo || *n > hi) {
                const bool open = hi == std::numeric_limits<uint32_t>::max();
                return "expects " + what +
                       (open ? (lo > 0 ? ", at least " + std::to_string(lo) : std::string())
                             : " from " + std::to_string(lo) + " to " + std::to_string(hi)) +
                       " (got '" + v + "')";
            }
            v = std::to_string(*n);
            return {};
        },
        "");
}

// One of `allowed`, spelled exactly; else "expects A, B or C (got 'V')".
inline CLI::Validator one_of(std::vector<std::string> allowed) {
    std::string list;
    for (size_t i = 0; i < allowed.size(); ++i)
        list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
    return CLI::Validator(
        [=](std::string& v) -> std::string {
            for (const std::string& a : allowed)
                if (v == a) return {};
            return "expects " + list + " (got '" + v + "')";
        },
        "");
}

// Not empty; else "needs WHAT".
inline CLI::Validator needs(const std::string& what) {
    return CLI::Validator([=](std::string& v) { return v.empty() ? "needs " + what : std::string(); }, "");
}

}  // namespace zw::cli
