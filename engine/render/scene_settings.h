// What lights the scene and how hazy it is: the renderer's SceneSettings, and the light a
// sun position gives (sun_light). Pure: no Vulkan.
#pragma once

#include <glm/glm.hpp>

#include "engine/geo/sun.h"

namespace zw::render {

struct SceneSettings {
    double sun_azimuth_deg = 135;  // clockwise from north, in the camera's local frame
    double sun_elevation_deg = 40;
    float sun_intensity = 1.0f;
    glm::vec3 sun_tint{1.0f, 0.93f, 0.82f};  // the light's colour (times 1.15 * sun_intensity)
    // 1: the day's sky and ambient light; towards 0 both fade to a dim night blue (never black).
    float daylight = 1.0f;
    float fog_density = 0.00025f;  // per metre (half the contrast gone after ~2.8 km); 0 disables fog
    // Height fog: the density falls by e per 1/fog_height_falloff metres above the ground
    // level through fog_ground (a world point), so a view from high up stays clear while
    // the horizon still fades. 0: the same density at every height.
    float fog_height_falloff = 0;
    glm::dvec3 fog_ground{0.0};
};

// The light of the sun at `sun` (azimuth from north in the camera's local frame; the
// caller turns true north into that frame): above the horizon the sun itself, warmer and
// weaker near the horizon, with the sky fading through twilight (elevation -6..10
// degrees); below it a dim, bluish light from high up opposite the sun (night-ish, so the
// town stays readable). Only the sun and daylight fields of `s` change.
void sun_light(const geo::SunPosition& sun, SceneSettings& s);

}  // namespace zw::render
