// The scene light a sun position gives (render::sun_light).
#include <gtest/gtest.h>

#include "engine/render/scene_settings.h"

namespace {

using zw::geo::SunPosition;
using zw::render::SceneSettings;
using zw::render::sun_light;

SunPosition at(double azimuth, double elevation) {
    SunPosition p;
    p.azimuth_deg = azimuth;
    p.elevation_deg = p.apparent_elevation_deg = elevation;
    return p;
}

TEST(SunLight, HighSunIsTheFullDaylightFromWhereTheSunIs) {
    SceneSettings s;
    sun_light(at(259.5, 39.9), s);
    EXPECT_DOUBLE_EQ(s.sun_azimuth_deg, 259.5);
    EXPECT_DOUBLE_EQ(s.sun_elevation_deg, 39.9);
    EXPECT_FLOAT_EQ(s.sun_intensity, 1.0f);
    EXPECT_FLOAT_EQ(s.daylight, 1.0f);
    EXPECT_EQ(s.sun_tint, SceneSettings{}.sun_tint);
}

TEST(SunLight, LowSunIsWeakerAndRedder) {
    SceneSettings s;
    sun_light(at(300, 3), s);
    EXPECT_LT(s.sun_intensity, 0.6f);
    EXPECT_LT(s.sun_tint.b, 0.6f);
    EXPECT_LT(s.daylight, 1.0f);
    EXPECT_GT(s.daylight, 0.5f);
}

TEST(SunLight, NightIsDimButNotBlackAndComesFromAbove) {
    SceneSettings s;
    sun_light(at(352, -63), s);
    EXPECT_GT(s.sun_intensity, 0.05f);
    EXPECT_LT(s.sun_intensity, 0.3f);
    EXPECT_GT(s.sun_elevation_deg, 20.0);
    EXPECT_FLOAT_EQ(s.daylight, 0.0f);
    EXPECT_GT(s.sun_tint.b, s.sun_tint.r);  // moonlight blue
}

TEST(SunLight, LeavesTheFogAlone) {
    SceneSettings s;
    s.fog_density = 0.123f;
    sun_light(at(180, 20), s);
    EXPECT_FLOAT_EQ(s.fog_density, 0.123f);
}

}  // namespace
