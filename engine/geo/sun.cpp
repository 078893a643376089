#include "engine/geo/sun.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace zw::geo {
namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double rad = pi / 180.0;

// Days from 1970-01-01 to year-month-day on the proleptic Gregorian calendar: count from
// 1 March so that the leap day ends a year, in 400-year eras of 146097 days.
long long days_from_civil(int year, int month, int day) {
    const long long y = month <= 2 ? year - 1 : year;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long year_of_era = y - era * 400;                               // 0..399
    const long long month_from_march = (month + 9) % 12;                       // March 0 .. February 11
    const long long day_of_year = (153 * month_from_march + 2) / 5 + day - 1;  // 0..365
    const long long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;  // 719468: 0000-03-01 to 1970-01-01
}

bool leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : days[month - 1];
}

// The day (of the month) of the month's last Sunday.
int last_sunday(int year, int month) {
    const int last = days_in_month(year, month);
    const long long days = days_from_civil(year, month, last);
    const int weekday = int(((days + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday; 0: Sunday
    return last - weekday;
}

double normalized(double deg) {
    deg = std::fmod(deg, 360.0);
    return deg < 0 ? deg + 360.0 : deg;
}

}  // namespace

CivilTime civil_of_day(int year, int day, int minutes) {
    day = std::clamp(day, 1, leap(year) ? 366 : 365);
    minutes = std::clamp(minutes, 0, 24 * 60 - 1);
    CivilTime t{year, 1, 1, minutes / 60, minutes % 60, 0};
    while (day > days_in_month(year, t.month))
        day -= days_in_month(year, t.month++);
    t.day = day;
    return t;
}

int day_of_year(const CivilTime& t) {
    return int(days_from_civil(t.year, t.month, t.day) - days_from_civil(t.year, 1, 1)) + 1;
}

double unix_seconds(const CivilTime& t) {
    return double(days_from_civil(t.year, t.month, t.day)) * 86400.0 + t.hour * 3600.0 + t.minute * 60.0 +
           t.second;
}

double berlin_to_utc_seconds(const CivilTime& local) {
    const double as_utc = unix_seconds(local);
    const double summer_begin = unix_seconds({local.year, 3, last_sunday(local.year, 3), 1, 0, 0});
    const double summer_end = unix_seconds({local.year, 10, last_sunday(local.year, 10), 1, 0, 0});
    const double if_summer = as_utc - 7200.0;
    if (if_summer >= summer_begin && if_summer < summer_end) return if_summer;
    return as_utc - 3600.0;
}

std::optional<CivilTime> parse_civil_minutes(std::string_view text) {
    if (text.size() != 16 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':')
        return std::nullopt;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    auto number = [&](size_t at, size_t digits) {
        int v = 0;
        for (size_t i = at; i < at + digits; ++i)
            v = v * 10 + (text[i] - '0');
        return v;
    };
    CivilTime t;
    t.year = number(0, 4);
    t.month = number(5, 2);
    t.day = number(8, 2);
    t.hour = number(11, 2);
    t.minute = number(14, 2);
    if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > days_in_month(t.year, t.month) || t.hour > 23 ||
        t.minute > 59)
        return std::nullopt;
    return t;
}

SunPosition sun_position(double utc_seconds, double lat_deg, double lon_deg) {
    // Julian centuries since J2000.0 (UT is used for TT: ~70 s, far below the accuracy).
    const double julian_day = utc_seconds / 86400.0 + 2440587.5;
    const double t = (julian_day - 2451545.0) / 36525.0;

    // The sun's geometric mean longitude and anomaly, the orbit's eccentricity.
    const double mean_long = normalized(280.46646 + t * (36000.76983 + t * 0.0003032));
    const double mean_anom = 357.52911 + t * (35999.05029 - 0.0001537 * t);
    const double ecc = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
    const double m = mean_anom * rad;
    const double centre = std::sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t)) +
                          std::sin(2 * m) * (0.019993 - 0.000101 * t) + std::sin(3 * m) * 0.000289;
    const double true_long = mean_long + centre;
    // Apparent longitude: nutation and aberration.
    const double omega = (125.04 - 1934.136 * t) * rad;
    const double apparent_long = (true_long - 0.00569 - 0.00478 * std::sin(omega)) * rad;
    // Obliquity of the ecliptic, corrected.
    const double mean_obliq =
        23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0;
    const double obliq = (mean_obliq + 0.00256 * std::cos(omega)) * rad;
    const double declination = std::asin(std::sin(obliq) * std::sin(apparent_long));

    // The equation of time (minutes): apparent minus mean solar time.
    const double y = std::tan(obliq / 2) * std::tan(obliq / 2);
    const double l0 = mean_long * rad;
    const double eq_time =
        4.0 / rad *
        (y * std::sin(2 * l0) - 2 * ecc * std::sin(m) + 4 * ecc * y * std::sin(m) * std::cos(2 * l0) -
         0.5 * y * y * std::sin(4 * l0) - 1.25 * ecc * ecc * std::sin(2 * m));

    const double day_seconds = utc_seconds - 86400.0 * std::floor(utc_seconds / 86400.0);
    const double true_solar_minutes =
        std::fmod(day_seconds / 60.0 + eq_time + 4.0 * lon_deg + 2880.0, 1440.0);
    double hour_angle = true_solar_minutes / 4.0 - 180.0;  // degrees, 0 at solar noon, + afternoon
    if (hour_angle < -180.0) hour_angle += 360.0;

    const double lat = lat_deg * rad, ha = hour_angle * rad;
    const double sin_elev =
        std::sin(lat) * std::sin(declination) + std::cos(lat) * std::cos(declination) * std::cos(ha);
    const double elevation = std::asin(std::fmax(-1.0, std::fmin(1.0, sin_elev))) / rad;
    // Clockwise from north: atan2 of the east and north components of the direction.
    const double azimuth = normalized(
        std::atan2(std::sin(ha), std::cos(ha) * std::sin(lat) - std::tan(declination) * std::cos(lat)) / rad +
        180.0);

    // NOAA's refraction estimate (arc seconds), by elevation band.
    double refraction = 0;
    if (elevation <= 85.0) {
        const double te = std::tan(elevation * rad);
        if (elevation > 5.0)
            refraction = 58.1 / te - 0.07 / (te * te * te) + 0.000086 / std::pow(te, 5);
        else if (elevation > -0.575)
            refraction =
                1735.0 +
                elevation * (-518.2 + elevation * (103.4 + elevation * (-12.79 + elevation * 0.711)));
        else
            refraction = -20.772 / te;
    }
    SunPosition s;
    s.azimuth_deg = azimuth;
    s.elevation_deg = elevation;
    s.apparent_elevation_deg = elevation + refraction / 3600.0;
    return s;
}

}  // namespace zw::geo
