// The bake's coordinate frame (app/bake/crs.h): origin and up, a kilometre of grid, and
// the rotation with the grid convergence, checked against the geodesy module.
// Expectations come from geometry, geodesy or the documented contract (docs/twin-bundle.md,
// the headers), not from numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "app/bake/bundle.h"
#include "app/bake/crs.h"
#include "app/bake/recipe.h"
#include "engine/geo/geo.h"
#include "engine/geo/utm.h"

namespace {

using namespace zw::bake;
using glm::dvec3;
constexpr double pi = std::numbers::pi;

TEST(BakeFrame, OriginAndUpAreWhereTheyShouldBe) {
    const Recipe r;
    const Frame f = make_frame(r);
    EXPECT_LT(glm::length(f.to_enu({0, 0, 0})), 1e-3);
    EXPECT_LT(glm::length(f.to_enu({0, 0, 100}) - dvec3(0, 0, 100)), 1e-3);
    // The origin is the recipe's point, rounded to the centimetre in UTM.
    EXPECT_NEAR(f.origin_geodetic().lat_deg, r.origin_lat_deg, 1e-6);
    EXPECT_NEAR(f.origin_geodetic().lon_deg, r.origin_lon_deg, 1e-6);
    EXPECT_NEAR(f.origin_geodetic().height_m, r.origin_height_m + r.geoid_undulation_m, 1e-9);
    EXPECT_LT(glm::length(dvec3(f.enu_to_ecef()[3]) - zw::geo::geodetic_to_ecef(f.origin_geodetic())), 1e-6);
}

TEST(BakeFrame, AKilometreOfGridIsAKilometreOverTheUtmScaleFactor) {
    const Recipe r;
    const Frame f = make_frame(r);
    const double d = glm::length(f.to_enu({1000, 0, 0}) - f.to_enu({0, 0, 0}));
    // The same from the geodesy module, through ECEF.
    const double h = r.origin_height_m + r.geoid_undulation_m;
    const auto g0 = zw::geo::utm_to_geodetic({f.origin_easting(), f.origin_northing()}, 32, h);
    const auto g1 = zw::geo::utm_to_geodetic({f.origin_easting() + 1000, f.origin_northing()}, 32, h);
    EXPECT_NEAR(d, glm::length(zw::geo::geodetic_to_ecef(g1) - zw::geo::geodetic_to_ecef(g0)), 1e-6);
    // Transverse Mercator: k = k0 (1 + (1 + eta^2) (dlon cos(lat))^2 / 2) at the segment's middle,
    // and the ellipsoidal height h lengthens distances by (1 + h / N).
    const auto gm = zw::geo::utm_to_geodetic({f.origin_easting() + 500, f.origin_northing()}, 32, h);
    const double lat = gm.lat_deg * pi / 180, dlon = (gm.lon_deg - 9.0) * pi / 180;
    const double a = 6378137.0, e2 = 0.00669438002290, ep2 = e2 / (1 - e2);
    const double eta2 = ep2 * std::cos(lat) * std::cos(lat);
    const double l = dlon * std::cos(lat);
    const double k = 0.9996 * (1 + (1 + eta2) * l * l / 2);
    EXPECT_GT(k, 0.9996);
    EXPECT_LT(k, 0.9999);
    const double n = a / std::sqrt(1 - e2 * std::sin(lat) * std::sin(lat));
    EXPECT_NEAR(d, 1000 / k * (1 + h / n), 5e-3);
}

TEST(BakeFrame, RotationIsOrthonormalWithTheGridConvergence) {
    const Recipe r;
    const Frame f = make_frame(r);
    const glm::dmat3 m = f.rotation_at({0, 0, 0});
    const glm::dmat3 mtm = glm::transpose(m) * m;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            EXPECT_NEAR(mtm[i][j], i == j ? 1.0 : 0.0, 1e-9);
    EXPECT_NEAR(glm::determinant(m), 1, 1e-9);
    // East of the central meridian (9 deg) grid north lies east of true north by about
    // dlon * sin(lat): grid east (local x) points a little south of true east.
    const double lat = f.origin_geodetic().lat_deg, lon = f.origin_geodetic().lon_deg;
    const double expected = (lon - 9.0) * std::sin(lat * pi / 180);
    const double gamma_east = std::atan2(-m[0].y, m[0].x) * 180 / pi;
    const double gamma_north = std::atan2(m[1].x, m[1].y) * 180 / pi;
    EXPECT_NEAR(gamma_east, expected, 0.05);
    EXPECT_NEAR(gamma_north, expected, 0.05);
    EXPECT_NEAR(m[2].z, 1, 1e-9);  // up stays up at the origin
    // Directions agree with the frame's points: 10 m along local x.
    const dvec3 moved = f.to_enu({10, 0, 0}) - f.to_enu({0, 0, 0});
    EXPECT_LT(glm::length(glm::normalize(moved) - m * dvec3(1, 0, 0)), 1e-5);
}

}  // namespace
