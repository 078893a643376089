// The sun's position (NOAA's algorithm) and Europe/Berlin's civil time.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/geo/sun.h"

namespace {

using zw::geo::berlin_to_utc_seconds;
using zw::geo::CivilTime;
using zw::geo::parse_civil_minutes;
using zw::geo::sun_position;
using zw::geo::unix_seconds;

constexpr double weisendorf_lat = 49.626, weisendorf_lon = 10.826;

double angle_diff(double a, double b) {
    const double d = std::fmod(std::fabs(a - b), 360.0);
    return d > 180.0 ? 360.0 - d : d;
}

struct Reference {
    CivilTime local;  // Europe/Berlin
    double azimuth_deg, elevation_deg;
};

// Reference values: PyEphem 4.1.4 (Debian's python3-ephem; libastro, VSOP87 theory, an
// implementation independent of NOAA's), observer at 49.626 N 10.826 E, 0 m, pressure 0
// (no refraction: geometric elevation), the UTC hour written next to each local time. Made
// with tests/tools/sun_reference.py.
const Reference references[] = {
    {{2026, 3, 21, 7, 0}, 96.735, 6.020},      // 06:00 UTC
    {{2026, 3, 21, 9, 0}, 121.525, 24.308},    // 08:00 UTC
    {{2026, 3, 21, 12, 0}, 172.155, 40.441},   // 11:00 UTC
    {{2026, 3, 21, 15, 0}, 227.005, 30.539},   // 14:00 UTC
    {{2026, 3, 21, 18, 0}, 265.745, 4.174},    // 17:00 UTC
    {{2026, 6, 21, 6, 0}, 60.337, 5.942},      // 04:00 UTC (CEST)
    {{2026, 6, 21, 9, 0}, 92.899, 33.901},     // 07:00 UTC
    {{2026, 6, 21, 13, 0}, 170.433, 63.561},   // 11:00 UTC
    {{2026, 6, 21, 17, 0}, 259.522, 39.850},   // 15:00 UTC
    {{2026, 6, 21, 21, 0}, 303.892, 2.778},    // 19:00 UTC
    {{2026, 12, 21, 9, 0}, 136.232, 5.132},    // 08:00 UTC
    {{2026, 12, 21, 12, 0}, 176.467, 16.861},  // 11:00 UTC
    {{2026, 12, 21, 15, 0}, 217.725, 8.247},   // 14:00 UTC
    {{2026, 12, 21, 0, 0}, 352.492, -63.655},  // 2026-12-20 23:00 UTC: midnight, far below
};

TEST(Sun, MatchesAnIndependentEphemerisAtWeisendorf) {
    for (const Reference& r : references) {
        const auto s = sun_position(berlin_to_utc_seconds(r.local), weisendorf_lat, weisendorf_lon);
        SCOPED_TRACE(std::to_string(r.local.month) + "-" + std::to_string(r.local.day) + " " +
                     std::to_string(r.local.hour) + ":00");
        EXPECT_LT(angle_diff(s.azimuth_deg, r.azimuth_deg), 0.1);
        EXPECT_NEAR(s.elevation_deg, r.elevation_deg, 0.1);
    }
}

TEST(Sun, RefractionLiftsTheSunMostAtTheHorizon) {
    // 21 June 2026 21:00 CEST (2.8 degrees): refraction ~0.25 degree; at 13:00 (63.6) ~0.01.
    const auto low =
        sun_position(berlin_to_utc_seconds({2026, 6, 21, 21, 0}), weisendorf_lat, weisendorf_lon);
    EXPECT_NEAR(low.apparent_elevation_deg - low.elevation_deg, 0.25, 0.05);
    const auto high =
        sun_position(berlin_to_utc_seconds({2026, 6, 21, 13, 0}), weisendorf_lat, weisendorf_lon);
    EXPECT_NEAR(high.apparent_elevation_deg - high.elevation_deg, 0.008, 0.004);
}

TEST(Sun, SolarNoonAtTheEquinoxFacesSouthAtNinetyMinusLatitude) {
    // Equator, lon 0, 2026-03-20 12:07 UTC (equation of time ~ -7.5 min): overhead within ~0.5.
    const auto s = sun_position(unix_seconds({2026, 3, 20, 12, 7}), 0.0, 0.0);
    EXPECT_NEAR(s.elevation_deg, 90.0, 0.6);
    const auto north = sun_position(unix_seconds({2026, 3, 20, 12, 7}), 60.0, 0.0);
    EXPECT_NEAR(north.elevation_deg, 30.0, 0.6);
    EXPECT_LT(angle_diff(north.azimuth_deg, 180.0), 1.0);
}

TEST(BerlinTime, WinterIsUtcPlusOneSummerUtcPlusTwo) {
    EXPECT_EQ(berlin_to_utc_seconds({2026, 1, 15, 12, 0}), unix_seconds({2026, 1, 15, 11, 0}));
    EXPECT_EQ(berlin_to_utc_seconds({2026, 7, 15, 12, 0}), unix_seconds({2026, 7, 15, 10, 0}));
}

TEST(BerlinTime, SwitchesOnTheLastSundaysOfMarchAndOctober) {
    // 2026: 29 March and 25 October are the last Sundays; the switch is at 01:00 UTC.
    EXPECT_EQ(berlin_to_utc_seconds({2026, 3, 29, 1, 59}), unix_seconds({2026, 3, 29, 0, 59}));
    EXPECT_EQ(berlin_to_utc_seconds({2026, 3, 29, 3, 0}), unix_seconds({2026, 3, 29, 1, 0}));
    EXPECT_EQ(berlin_to_utc_seconds({2026, 3, 28, 12, 0}), unix_seconds({2026, 3, 28, 11, 0}));
    // The hour that repeats in October: its first pass (CEST).
    EXPECT_EQ(berlin_to_utc_seconds({2026, 10, 25, 2, 30}), unix_seconds({2026, 10, 25, 0, 30}));
    EXPECT_EQ(berlin_to_utc_seconds({2026, 10, 25, 3, 0}), unix_seconds({2026, 10, 25, 2, 0}));
    // 2024: 31 March (the month's last day) is the last Sunday.
    EXPECT_EQ(berlin_to_utc_seconds({2024, 3, 31, 12, 0}), unix_seconds({2024, 3, 31, 10, 0}));
    EXPECT_EQ(berlin_to_utc_seconds({2024, 3, 30, 12, 0}), unix_seconds({2024, 3, 30, 11, 0}));
}

TEST(BerlinTime, UnixSecondsOfKnownDates) {
    EXPECT_EQ(unix_seconds({1970, 1, 1, 0, 0}), 0.0);
    EXPECT_EQ(unix_seconds({2000, 3, 1, 0, 0}), 951868800.0);
    EXPECT_EQ(unix_seconds({2026, 6, 21, 15, 0}), 1782054000.0);
}

TEST(CivilTimeText, ParsesDateAndMinutesAndRefusesTheRest) {
    const auto t = parse_civil_minutes("2026-06-21T17:05");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->year, 2026);
    EXPECT_EQ(t->month, 6);
    EXPECT_EQ(t->day, 21);
    EXPECT_EQ(t->hour, 17);
    EXPECT_EQ(t->minute, 5);
    EXPECT_TRUE(parse_civil_minutes("2024-02-29T00:00"));
    for (const char* bad :
         {"2026-06-21", "2026-06-21 17:00", "2026-6-21T17:00", "2026-06-21T24:00", "2026-02-29T12:00",
          "2026-13-01T12:00", "2026-06-21T17:00Z", "", "abcd-ef-ghTij:kl"})
        EXPECT_FALSE(parse_civil_minutes(bad)) << bad;
}

}  // namespace

// The sun panel's sliders: a day of the year and minutes of the day, both ways.
TEST(CivilTimeText, DayOfTheYearBothWays) {
    using zw::geo::civil_of_day;
    using zw::geo::day_of_year;
    const CivilTime midsummer = civil_of_day(2026, 172, 17 * 60 + 15);
    EXPECT_EQ(midsummer.month, 6);
    EXPECT_EQ(midsummer.day, 21);
    EXPECT_EQ(midsummer.hour, 17);
    EXPECT_EQ(midsummer.minute, 15);
    EXPECT_EQ(civil_of_day(2024, 60, 0).month, 2);  // 29 February of a leap year
    EXPECT_EQ(civil_of_day(2024, 60, 0).day, 29);
    EXPECT_EQ(civil_of_day(2026, 60, 0).month, 3);      // 1 March otherwise
    EXPECT_EQ(civil_of_day(2026, 400, 99999).day, 31);  // clamped: 31 December, 23:59
    EXPECT_EQ(civil_of_day(2026, 400, 99999).minute, 59);
    EXPECT_EQ(civil_of_day(2026, -3, -1).day, 1);
    // Every day of two years, one of them a leap year, goes there and back.
    for (const int year : {2026, 2028})
        for (int d = 1; d <= (year == 2028 ? 366 : 365); ++d)
            EXPECT_EQ(day_of_year(civil_of_day(year, d, 720)), d) << year << " day " << d;
}
