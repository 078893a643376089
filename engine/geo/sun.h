// Where the sun stands: NOAA's solar position algorithm (the one behind NOAA's solar
// calculator, after Meeus, "Astronomical Algorithms"), good to about 0.01 degree between
// 1800 and 2100, and the civil time of Europe/Berlin (CET/CEST) turned into UTC.
// Pure math: no clock, no time zone database.
#pragma once

#include <optional>
#include <string_view>

namespace zw::geo {

// A date and time on the proleptic Gregorian calendar, in whatever zone the caller says.
struct CivilTime {
    int year = 2000, month = 1, day = 1;  // month 1..12, day 1..31
    int hour = 0, minute = 0;             // 0..23, 0..59
    double second = 0;
};

// Seconds since 1970-01-01T00:00 of `t` read as UTC (no leap seconds, as POSIX time).
double unix_seconds(const CivilTime& t);

// Europe/Berlin's civil time to UTC seconds (unix_seconds): CET (UTC+1) in winter, CEST
// (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC
// (the EU rule since 1996). The hour that repeats in October is read as CEST (its first
// pass); a time in the hour skipped in March as CET (the clocks jump over it).
double berlin_to_utc_seconds(const CivilTime& local);

// Day `day` of `year` (1 = 1 January; clamped to the year's 365 or 366 days) at `minutes`
// after midnight (clamped to 0..1439): the viewer's sun panel, whose sliders are a day
// of the year and a time of day.
CivilTime civil_of_day(int year, int day, int minutes);
// The day of the year of `t` (1 = 1 January).
int day_of_year(const CivilTime& t);

// "YYYY-MM-DDTHH:MM" (minutes, no zone): nullopt when malformed or not a real date and time.
std::optional<CivilTime> parse_civil_minutes(std::string_view text);

struct SunPosition {
    double azimuth_deg = 0;    // clockwise from true north, 0..360
    double elevation_deg = 0;  // geometric, above the horizon (negative: below)
    // With NOAA's estimate of atmospheric refraction added (what one sees; differs from
    // the geometric one by up to ~0.6 degree at the horizon, by under 0.02 above 45 degrees).
    double apparent_elevation_deg = 0;
};

// The sun as seen from latitude/longitude (degrees, north and east positive) at
// `utc_seconds` (unix_seconds). O(1).
SunPosition sun_position(double utc_seconds, double lat_deg, double lon_deg);

}  // namespace zw::geo
