#include "engine/geo/geo.h"

#include <cmath>

namespace zw::geo {
namespace {
constexpr double a = 6378137.0;            // WGS84 semi-major axis
constexpr double f = 1.0 / 298.257223563;  // flattening
constexpr double e2 = f * (2.0 - f);       // first eccentricity squared
constexpr double deg = 3.14159265358979323846 / 180.0;
}  // namespace

glm::dvec3 geodetic_to_ecef(const Geodetic& g) {
    const double lat = g.lat_deg * deg, lon = g.lon_deg * deg;
    const double n = a / std::sqrt(1.0 - e2 * std::sin(lat) * std::sin(lat));
    return {(n + g.height_m) * std::cos(lat) * std::cos(lon),
            (n + g.height_m) * std::cos(lat) * std::sin(lon), (n * (1.0 - e2) + g.height_m) * std::sin(lat)};
}

glm::dmat4 enu_to_ecef(const Geodetic& g) {
    const double lat = g.lat_deg * deg, lon = g.lon_deg * deg;
    const glm::dvec3 east{-std::sin(lon), std::cos(lon), 0.0};
    const glm::dvec3 north{-std::sin(lat) * std::cos(lon), -std::sin(lat) * std::sin(lon), std::cos(lat)};
    const glm::dvec3 up{std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)};
    glm::dmat4 m(1.0);
    m[0] = glm::dvec4(east, 0.0);
    m[1] = glm::dvec4(north, 0.0);
    m[2] = glm::dvec4(up, 0.0);
    m[3] = glm::dvec4(geodetic_to_ecef(g), 1.0);
    return m;
}

glm::dmat3 enu_axes_at_ecef(const glm::dvec3& p) {
    const double b2 = a * a * (1.0 - e2);  // semi-minor axis squared
    glm::dvec3 up(p.x / (a * a), p.y / (a * a), p.z / b2);
    up = glm::length(up) > 0 ? glm::normalize(up) : glm::dvec3(0, 0, 1);
    glm::dvec3 east(-p.y, p.x, 0.0);
    east = glm::length(east) > 1e-9 ? glm::normalize(east) : glm::dvec3(1, 0, 0);
    return {east, glm::cross(up, east), up};
}

}  // namespace zw::geo
