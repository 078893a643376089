// WGS84 geodetic -> ECEF and local east-north-up frames.
#include <gtest/gtest.h>

#include <cmath>

#include <glm/glm.hpp>

#include "engine/geo/geo.h"
#include "engine/geo/utm.h"

namespace {

using zw::geo::enu_to_ecef;
using zw::geo::Geodetic;
using zw::geo::geodetic_to_ecef;

// WGS84 defining constants.
constexpr double semi_major = 6378137.0;
constexpr double flattening = 1.0 / 298.257223563;
constexpr double semi_minor = semi_major * (1.0 - flattening);  // 6356752.314245 m

constexpr double mm = 1e-3;

void expect_near(const glm::dvec3& got, const glm::dvec3& want, double tolerance) {
    EXPECT_NEAR(got.x, want.x, tolerance);
    EXPECT_NEAR(got.y, want.y, tolerance);
    EXPECT_NEAR(got.z, want.z, tolerance);
}

const Geodetic places[] = {
    {0, 0, 0}, {0, 90, 0}, {49.617, 10.833, 300}, {-33.86, 151.21, 58}, {71.0, -156.8, 5}, {-89.9, 45, 2800},
};

TEST(Geo, EquatorAtPrimeMeridian) {
    expect_near(geodetic_to_ecef({0, 0, 0}), {semi_major, 0, 0}, 1e-6);
}

TEST(Geo, EquatorAtNinetyEast) {
    expect_near(geodetic_to_ecef({0, 90, 0}), {0, semi_major, 0}, 1e-6);
}

TEST(Geo, PolesLieOnTheSemiMinorAxis) {
    ASSERT_NEAR(semi_minor, 6356752.314, mm);
    expect_near(geodetic_to_ecef({90, 0, 0}), {0, 0, semi_minor}, mm);
    expect_near(geodetic_to_ecef({-90, 0, 0}), {0, 0, -semi_minor}, mm);
    expect_near(geodetic_to_ecef({90, 0, 1000}), {0, 0, semi_minor + 1000}, mm);
}

TEST(Geo, ZeroHeightPointsLieOnTheEllipsoid) {
    for (const Geodetic& g : places) {
        const glm::dvec3 p = geodetic_to_ecef({g.lat_deg, g.lon_deg, 0});
        const double e =
            (p.x * p.x + p.y * p.y) / (semi_major * semi_major) + p.z * p.z / (semi_minor * semi_minor);
        EXPECT_NEAR(e, 1.0, 1e-12) << g.lat_deg << ", " << g.lon_deg;
    }
}

TEST(Geo, EnuColumnsAreARightHandedOrthonormalBasis) {
    for (const Geodetic& g : places) {
        const glm::dmat4 m = enu_to_ecef(g);
        const glm::dvec3 east(m[0]), north(m[1]), up(m[2]);
        EXPECT_NEAR(glm::length(east), 1.0, 1e-12);
        EXPECT_NEAR(glm::length(north), 1.0, 1e-12);
        EXPECT_NEAR(glm::length(up), 1.0, 1e-12);
        EXPECT_NEAR(glm::dot(east, north), 0.0, 1e-12);
        EXPECT_NEAR(glm::dot(east, up), 0.0, 1e-12);
        EXPECT_NEAR(glm::dot(north, up), 0.0, 1e-12);
        expect_near(glm::cross(east, north), up, 1e-12);
        // North points towards the north pole's side: positive z component (except at a pole).
        EXPECT_GT(north.z, 0.0) << g.lat_deg;
        // The frame is anchored at the place itself, and is affine.
        expect_near(glm::dvec3(m[3]), geodetic_to_ecef(g), 1e-9);
        EXPECT_EQ(m[0][3], 0.0);
        EXPECT_EQ(m[1][3], 0.0);
        EXPECT_EQ(m[2][3], 0.0);
        EXPECT_EQ(m[3][3], 1.0);
    }
}

TEST(Geo, UpIsTheEllipsoidNormal) {
    for (const Geodetic& g : places) {
        const glm::dvec3 up(enu_to_ecef(g)[2]);
        // The gradient of x^2/a^2 + y^2/a^2 + z^2/b^2 at the surface point is the normal.
        const glm::dvec3 p = geodetic_to_ecef({g.lat_deg, g.lon_deg, 0});
        const glm::dvec3 normal =
            glm::normalize(glm::dvec3(p.x / (semi_major * semi_major), p.y / (semi_major * semi_major),
                                      p.z / (semi_minor * semi_minor)));
        expect_near(up, normal, 1e-9);
        // Height is measured along that normal.
        const glm::dvec3 raised = geodetic_to_ecef({g.lat_deg, g.lon_deg, 1234.5});
        expect_near(raised - p, up * 1234.5, mm);
    }
}

TEST(Geo, UpIsParallelToThePositionAtTheEquator) {
    for (double lon : {0.0, 10.833, 90.0, -120.0, 180.0}) {
        const glm::dmat4 m = enu_to_ecef({0, lon, 0});
        const glm::dvec3 up(m[2]);
        const glm::dvec3 direction = glm::normalize(glm::dvec3(m[3]));
        expect_near(up, direction, 1e-12);
    }
    const glm::dmat4 origin = enu_to_ecef({0, 0, 0});
    expect_near(glm::dvec3(origin[0]), {0, 1, 0}, 1e-12);  // east
    expect_near(glm::dvec3(origin[1]), {0, 0, 1}, 1e-12);  // north
    expect_near(glm::dvec3(origin[2]), {1, 0, 0}, 1e-12);  // up
}

}  // namespace

// UTM (EPSG:25832 is zone 32N).
TEST(Utm, CentralMeridianHasFalseEastingAndEquatorZeroNorthing) {
    const auto u = zw::geo::geodetic_to_utm(0.0, 9.0, 32);
    EXPECT_NEAR(u.easting, 500000.0, 1e-6);
    EXPECT_NEAR(u.northing, 0.0, 1e-6);
    // On the central meridian the northing is 0.9996 times the meridian arc: the
    // arc from the equator to 45 degrees on GRS80 is 4,984,944.378 m.
    EXPECT_NEAR(zw::geo::geodetic_to_utm(45.0, 9.0, 32).northing, 0.9996 * 4984944.378, 2e-3);
}

TEST(Utm, PublishedExampleCnTower) {
    // CN Tower, Toronto: 43°38'33.24"N 79°23'13.7"W is UTM 17T 630084 4833439 (metre-rounded).
    const auto u =
        zw::geo::geodetic_to_utm(43 + 38 / 60.0 + 33.24 / 3600, -(79 + 23 / 60.0 + 13.7 / 3600), 17);
    EXPECT_NEAR(u.easting, 630084, 1.0);
    EXPECT_NEAR(u.northing, 4833439, 1.0);
}

TEST(Utm, RoundTripsBelowAMillimetreAcrossZone32) {
    for (double lat = 47.0; lat <= 55.0; lat += 0.5) {
        for (double lon = 5.5; lon <= 12.5; lon += 0.5) {
            const auto u = zw::geo::geodetic_to_utm(lat, lon, 32);
            const auto g = zw::geo::utm_to_geodetic(u, 32, 300.0);
            const auto back = zw::geo::geodetic_to_utm(g.lat_deg, g.lon_deg, 32);
            EXPECT_NEAR(back.easting, u.easting, 1e-3) << lat << " " << lon;
            EXPECT_NEAR(back.northing, u.northing, 1e-3) << lat << " " << lon;
            EXPECT_NEAR(g.lat_deg, lat, 1e-8);
            EXPECT_NEAR(g.lon_deg, lon, 1e-8);
            EXPECT_EQ(g.height_m, 300.0);
        }
    }
}

TEST(Utm, WeisendorfLiesInZone32NearExpectedGrid) {
    // Weisendorf is about 134 km east of the 9 E central meridian (cos 49.6 * 1.833 deg).
    const auto u = zw::geo::geodetic_to_utm(zw::geo::weisendorf.lat_deg, zw::geo::weisendorf.lon_deg, 32);
    EXPECT_NEAR(u.easting, 632200, 1500);
    EXPECT_NEAR(u.northing, 5497700, 1500);
}
