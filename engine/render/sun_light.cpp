#include <algorithm>
#include <cmath>

#include "engine/render/scene_settings.h"

namespace zw::render {

void sun_light(const geo::SunPosition& sun, SceneSettings& s) {
    const double e = sun.apparent_elevation_deg;
    // Civil twilight ends at -6 degrees; from 10 degrees up the sky is the day's.
    s.daylight = float(std::clamp((e + 6.0) / 16.0, 0.0, 1.0));
    if (e > 0) {
        s.sun_azimuth_deg = sun.azimuth_deg;
        s.sun_elevation_deg = e;
        s.sun_intensity = float(std::min(1.0, 0.35 + e / 15.0));
        // Low sun: redder (a longer path through the air).
        const float warm = float(std::clamp(e / 20.0, 0.0, 1.0));
        s.sun_tint = glm::mix(glm::vec3(1.0f, 0.62f, 0.38f), glm::vec3(1.0f, 0.93f, 0.82f), warm);
    } else {
        // Night: a moon-like light, high and opposite the sun, so walls and roofs still read.
        s.sun_azimuth_deg = std::fmod(sun.azimuth_deg + 180.0, 360.0);
        s.sun_elevation_deg = 35.0;
        s.sun_intensity = 0.16f;
        s.sun_tint = {0.72f, 0.8f, 1.0f};
    }
}

}  // namespace zw::render
