#include "app/viewer/lighting.h"

#include <cmath>
#include <cstdio>

#include "app/viewer/config.h"
#include "engine/core/log.h"
#include "engine/geo/geo.h"
#include "engine/geo/sun.h"

namespace zw::viewer {

SunPlace sun_place(const View& view) {
    if (view.twin) return {view.twin->origin.lat_deg, view.twin->origin.lon_deg, "the twin's origin"};
    const glm::dvec3 origin(view.local_to_world[3]);
    if (glm::length(origin) > 1.0e6) {
        // frame_at's geocentric east-north-up: the geocentric latitude is the frame's own
        // (within 0.2 degrees of the geodetic one).
        const glm::dvec3 up = glm::normalize(origin);
        return {glm::degrees(std::asin(up.z)), glm::degrees(std::atan2(up.y, up.x)), "the content's centre"};
    }
    return {geo::weisendorf.lat_deg, geo::weisendorf.lon_deg, "Weisendorf (content without coordinates)"};
}

void apply_sun(const Options& o, const View& view, render::SceneSettings& s) {
    if (o.sun.empty()) return;
    const std::optional<geo::CivilTime> local = geo::parse_civil_minutes(o.sun);
    if (!local) return;  // parse_options refused it already
    const SunPlace place = sun_place(view);
    const geo::SunPosition sun =
        geo::sun_position(geo::berlin_to_utc_seconds(*local), place.lat_deg, place.lon_deg);
    render::sun_light(sun, s);
    char line[256];
    std::snprintf(line, sizeof line,
                  "sun at %s (Europe/Berlin) over %s (%.3f N, %.3f E): azimuth %.1f, elevation %.1f",
                  o.sun.c_str(), place.what.c_str(), place.lat_deg, place.lon_deg, sun.azimuth_deg,
                  sun.apparent_elevation_deg);
    core::info(line);
}

void apply_haze(const View& view, const geo::Aabb& box, bool streaming, render::SceneSettings& s) {
    if (!streaming) return;
    const glm::dvec3 ground = view.origin_on_ground ? glm::dvec3(0.0) : glm::dvec3(0.0, 0.0, box.min.z);
    s.fog_ground = glm::dvec3(view.local_to_world * glm::dvec4(ground, 1.0));
    s.fog_height_falloff = 1.0f / config.haze_scale_height_m;
}

}  // namespace zw::viewer
