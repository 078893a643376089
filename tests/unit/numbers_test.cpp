// engine/core/numbers.h: what a German or English reader sees for a number, a time and a
// CSV field.
#include "engine/core/numbers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace zw::core {
namespace {

constexpr auto de = NumberStyle::de;
constexpr auto en = NumberStyle::en;
const double nan = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

TEST(Numbers, DecimalAndThousandsSeparatorsFollowTheLanguage) {
    EXPECT_EQ(format_number(1234.5, 1, de), "1.234,5");
    EXPECT_EQ(format_number(1234.5, 1, en), "1,234.5");
    EXPECT_EQ(format_number(0.72, 2, de), "0,72");
    EXPECT_EQ(format_number(0.72, 2, en), "0.72");
    EXPECT_EQ(format_number(1234567.25, 2, de), "1.234.567,25");
    EXPECT_EQ(format_number(1234567.25, 2, en), "1,234,567.25");
    EXPECT_EQ(format_number(1234567.25, 2, de, false), "1234567,25");
}

TEST(Numbers, GroupsOnlyAboveThreeDigits) {
    EXPECT_EQ(format_number(0, 0, de), "0");
    EXPECT_EQ(format_number(999, 0, de), "999");
    EXPECT_EQ(format_number(1000, 0, de), "1.000");
    EXPECT_EQ(format_number(100000, 0, en), "100,000");
    EXPECT_EQ(format_number(999999, 0, en), "999,999");
    EXPECT_EQ(format_number(1e6, 0, de), "1.000.000");
    EXPECT_EQ(format_number(-1e6, 0, de), "-1.000.000");
    EXPECT_EQ(format_number(-123, 0, de), "-123");
    EXPECT_EQ(format_number(-1234, 0, en), "-1,234");
}

TEST(Numbers, RoundsToTheGivenDecimals) {
    EXPECT_EQ(format_number(2.0, 2, de), "2,00");
    EXPECT_EQ(format_number(0.996, 2, de), "1,00");
    EXPECT_EQ(format_number(999.96, 1, de), "1.000,0");  // the carry reaches a new group
    EXPECT_EQ(format_number(999999.5, 0, en), "1,000,000");
    EXPECT_EQ(format_number(0.04, 1, de), "0,0");
    EXPECT_EQ(format_number(1.26, 1, en), "1.3");
    EXPECT_EQ(format_number(-1.26, 1, de), "-1,3");
    EXPECT_EQ(format_number(3.14159, 0, de), "3");
    EXPECT_EQ(format_number(1.5, -2, de), "2");                    // decimals below 0 are 0
    EXPECT_EQ(format_number(0.123456789, 12, en), "0.123456789");  // at most 9
}

TEST(Numbers, ZeroHasNoMinusSign) {
    EXPECT_EQ(format_number(-0.0, 1, de), "0,0");
    EXPECT_EQ(format_number(-0.04, 1, de), "0,0");
    EXPECT_EQ(format_number(-0.4, 0, en), "0");
    EXPECT_EQ(format_number(-0.05001, 1, en), "-0.1");
}

TEST(Numbers, LargeValues) {
    EXPECT_EQ(format_number(1e15, 0, de), "1.000.000.000.000.000");
    EXPECT_EQ(format_number(12345678901.5, 1, en), "12,345,678,901.5");
    EXPECT_NO_THROW(format_number(std::numeric_limits<double>::max(), 9, de));
    EXPECT_EQ(format_number(std::numeric_limits<double>::max(), 0, de).size(),
              309u + 102u);  // 309 digits, 102 dots
}

TEST(Numbers, NotFiniteIsADash) {
    for (double v : {nan, inf, -inf}) {
        EXPECT_EQ(format_number(v, 2, de), "\xE2\x80\x93");
        EXPECT_EQ(format_signed(v, 2, en), dash);
        EXPECT_EQ(format_percent(v, 0, de), dash);
        EXPECT_EQ(format_hm(v), dash);
        EXPECT_EQ(format_duration(v, de), dash);
        EXPECT_EQ(format_clock(v, de), dash);
    }
}

TEST(Numbers, ChangesCarryTheirSign) {
    EXPECT_EQ(format_signed(0.4, 1, de), "+0,4");
    EXPECT_EQ(format_signed(0.4, 1, en), "+0.4");
    EXPECT_EQ(format_signed(-0.4, 1, de), "-0,4");
    EXPECT_EQ(format_signed(1234, 0, de), "+1.234");
    EXPECT_EQ(format_signed(-1234.56, 1, en), "-1,234.6");
    EXPECT_EQ(format_signed(0.0, 1, de), "0,0");
    EXPECT_EQ(format_signed(0.04, 1, de), "0,0");  // no change at this precision
    EXPECT_EQ(format_signed(-0.04, 1, en), "0.0");
    EXPECT_EQ(format_signed(0.05001, 1, en), "+0.1");
}

TEST(Numbers, PercentagesWithANoBreakSpaceInGerman) {
    EXPECT_EQ(format_percent(12, 0, de), "12\xC2\xA0%");
    EXPECT_EQ(format_percent(12, 0, en), "12%");
    EXPECT_EQ(format_percent(12.345, 1, de), "12,3\xC2\xA0%");
    EXPECT_EQ(format_percent(-3.5, 1, en), "-3.5%");
    EXPECT_EQ(format_percent(1500, 0, de), "1.500\xC2\xA0%");
}

TEST(Numbers, DurationsAsHoursAndMinutes) {
    EXPECT_EQ(format_hm(0), "0:00");
    EXPECT_EQ(format_hm(5400), "1:30");
    EXPECT_EQ(format_hm(59.6), "0:01");  // rounded to the minute
    EXPECT_EQ(format_hm(29.9), "0:00");
    EXPECT_EQ(format_hm(3599.9), "1:00");  // the carry into the hour
    EXPECT_EQ(format_hm(-1800), "-0:30");
    EXPECT_EQ(format_hm(-20), "0:00");                    // no minus on zero
    EXPECT_EQ(format_hm(100 * 3600 + 5 * 60), "100:05");  // not wrapped at 24 h
    EXPECT_EQ(format_duration(5400, de), "1:30 h");
    EXPECT_EQ(format_duration(5400, en), "1:30 h");
}

TEST(Numbers, ClockTimes) {
    EXPECT_EQ(format_clock(7.5 * 3600, de), "7:30 Uhr");
    EXPECT_EQ(format_clock(7.5 * 3600, en), "7:30");
    EXPECT_EQ(format_clock(0, de), "0:00 Uhr");
    EXPECT_EQ(format_clock(23 * 3600 + 59 * 60 + 50, en), "0:00");  // rounded, then wrapped
    EXPECT_EQ(format_clock(25 * 3600, en), "1:00");
    EXPECT_EQ(format_clock(-60, en), "23:59");
    EXPECT_EQ(format_clock(6 * 3600 + 5 * 60, de), "6:05 Uhr");
}

TEST(Csv, DialectsDifferInSeparatorBomAndDecimals) {
    const CsvDialect g{de}, e{en};
    EXPECT_EQ(g.separator(), ';');
    EXPECT_EQ(e.separator(), ',');
    EXPECT_EQ(g.preamble(), "\xEF\xBB\xBF");
    EXPECT_EQ(e.preamble(), "");
    EXPECT_EQ(csv_number(1234.5, 1, g), "1234,5");  // never grouped
    EXPECT_EQ(csv_number(1234.5, 1, e), "1234.5");
    EXPECT_EQ(csv_number(-0.001, 2, g), "0,00");
    EXPECT_EQ(csv_number(-2.5, 3, g), "-2,500");
    EXPECT_EQ(csv_number(nan, 1, g), "");
    EXPECT_EQ(csv_number(inf, 1, e), "");
}

TEST(Csv, FieldsAreQuotedWhenTheyHoldTheSeparator) {
    const CsvDialect g{de}, e{en};
    EXPECT_EQ(csv_field("Hauptstraße 3, Anbau", g), "Hauptstraße 3, Anbau");
    EXPECT_EQ(csv_field("Hauptstraße 3, Anbau", e), "\"Hauptstraße 3, Anbau\"");
    EXPECT_EQ(csv_field("a;b", g), "\"a;b\"");
    EXPECT_EQ(csv_field("a;b", e), "a;b");
    EXPECT_EQ(csv_field("say \"hi\"", g), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_field("two\nlines", e), "\"two\nlines\"");
    EXPECT_EQ(csv_field("", g), "");
}

}  // namespace
}  // namespace zw::core
