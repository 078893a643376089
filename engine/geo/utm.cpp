#include "engine/geo/utm.h"

#include <cmath>

namespace zw::geo {
namespace {

constexpr double a = 6378137.0;
constexpr double f = 1.0 / 298.257222101;  // GRS80 (ETRS89); WGS84 differs by 0.1 mm here
constexpr double k0 = 0.9996;
constexpr double false_easting = 500000.0;
constexpr double pi = 3.14159265358979323846;

struct Series {
    double n, A;
    double alpha[4], beta[4], delta[4];
};

const Series& series() {
    static const Series s = [] {
        Series r{};
        const double n = f / (2 - f), n2 = n * n, n3 = n2 * n, n4 = n3 * n;
        r.n = n;
        r.A = a / (1 + n) * (1 + n2 / 4 + n4 / 64);
        r.alpha[0] = n / 2 - 2 * n2 / 3 + 5 * n3 / 16 + 41 * n4 / 180;
        r.alpha[1] = 13 * n2 / 48 - 3 * n3 / 5 + 557 * n4 / 1440;
        r.alpha[2] = 61 * n3 / 240 - 103 * n4 / 140;
        r.alpha[3] = 49561 * n4 / 161280;
        r.beta[0] = n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360;
        r.beta[1] = n2 / 48 + n3 / 15 - 437 * n4 / 1440;
        r.beta[2] = 17 * n3 / 480 - 37 * n4 / 840;
        r.beta[3] = 4397 * n4 / 161280;
        r.delta[0] = 2 * n - 2 * n2 / 3 - 2 * n3 + 116 * n4 / 45;
        r.delta[1] = 7 * n2 / 3 - 8 * n3 / 5 - 227 * n4 / 45;
        r.delta[2] = 56 * n3 / 15 - 136 * n4 / 35;
        r.delta[3] = 4279 * n4 / 630;
        return r;
    }();
    return s;
}

double central_meridian(int zone) {
    return (zone * 6.0 - 183.0) * pi / 180.0;
}

}  // namespace

Utm geodetic_to_utm(double lat_deg, double lon_deg, int zone) {
    const Series& s = series();
    const double phi = lat_deg * pi / 180.0;
    const double dlon = lon_deg * pi / 180.0 - central_meridian(zone);
    const double c = 2 * std::sqrt(s.n) / (1 + s.n);
    const double t = std::sinh(std::atanh(std::sin(phi)) - c * std::atanh(c * std::sin(phi)));
    const double xi0 = std::atan2(t, std::cos(dlon));
    const double eta0 = std::atanh(std::sin(dlon) / std::sqrt(1 + t * t));
    double xi = xi0, eta = eta0;
    for (int j = 1; j <= 4; ++j) {
        xi += s.alpha[j - 1] * std::sin(2 * j * xi0) * std::cosh(2 * j * eta0);
        eta += s.alpha[j - 1] * std::cos(2 * j * xi0) * std::sinh(2 * j * eta0);
    }
    return {false_easting + k0 * s.A * eta, k0 * s.A * xi};
}

Geodetic utm_to_geodetic(const Utm& utm, int zone, double height_m) {
    const Series& s = series();
    const double xi = utm.northing / (k0 * s.A);
    const double eta = (utm.easting - false_easting) / (k0 * s.A);
    double xi0 = xi, eta0 = eta;
    for (int j = 1; j <= 4; ++j) {
        xi0 -= s.beta[j - 1] * std::sin(2 * j * xi) * std::cosh(2 * j * eta);
        eta0 -= s.beta[j - 1] * std::cos(2 * j * xi) * std::sinh(2 * j * eta);
    }
    const double chi = std::asin(std::sin(xi0) / std::cosh(eta0));
    double phi = chi;
    for (int j = 1; j <= 4; ++j)
        phi += s.delta[j - 1] * std::sin(2 * j * chi);
    const double lon = central_meridian(zone) + std::atan2(std::sinh(eta0), std::cos(xi0));
    return {phi * 180.0 / pi, lon * 180.0 / pi, height_m};
}

}  // namespace zw::geo
