#include "app/viewer/lighting.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <ctime>

#include "app/viewer/config.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
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

intent::Sun initial_sun(const Options& o) {
    intent::Sun sun;
    if (const std::optional<geo::CivilTime> t = geo::parse_civil_minutes(o.sun)) {
        sun.on = true;
        sun.year = t->year;
        sun.day = geo::day_of_year(*t);
        sun.minutes = t->hour * 60 + t->minute;
        return sun;
    }
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    sun.year = local.tm_year + 1900;
    sun.day = local.tm_yday + 1;
    return sun;
}

namespace {

geo::SunPosition position_of(const intent::Sun& sun, const View& view) {
    const SunPlace place = sun_place(view);
    return geo::sun_position(geo::berlin_to_utc_seconds(geo::civil_of_day(sun.year, sun.day, sun.minutes)),
                             place.lat_deg, place.lon_deg);
}

}  // namespace

void apply_sun(const intent::Sun& sun, const View& view, const render::SceneSettings& default_light,
               render::SceneSettings& s) {
    if (sun.on) {
        render::sun_light(position_of(sun, view), s);
        return;
    }
    s.sun_azimuth_deg = default_light.sun_azimuth_deg;
    s.sun_elevation_deg = default_light.sun_elevation_deg;
    s.sun_intensity = default_light.sun_intensity;
    s.sun_tint = default_light.sun_tint;
    s.daylight = default_light.daylight;
}

std::optional<intent::Sun> sun_panel(const intent::Sun& sun, const View& view) {
    intent::Sun next = sun;
    panel_dock(Dock::right);
    ImGui::SetNextWindowBgAlpha(0.85f);
    ImGui::SetNextWindowCollapsed(!sun.on, ImGuiCond_FirstUseEver);  // open with --sun
    if (panel_begin(tr(S::sun_title), nullptr,
                    ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav)) {
        checkbox_wrapped(tr(S::sun_on), &next.on);
        const geo::CivilTime t = geo::civil_of_day(sun.year, sun.day, sun.minutes);
        char date[32], time[32];
        if (language() == Lang::de)
            std::snprintf(date, sizeof date, "%02d.%02d.%04d", t.day, t.month, t.year);
        else
            std::snprintf(date, sizeof date, "%04d-%02d-%02d", t.year, t.month, t.day);
        std::snprintf(time, sizeof time, "%d:%02d", t.hour, t.minute);
        ImGui::SetNextItemWidth(fit_width(160, tr(S::sun_day)));
        ImGui::SliderInt(tr(S::sun_day), &next.day, 1, 365, date, ImGuiSliderFlags_AlwaysClamp);
        int quarter = next.minutes / 15;
        ImGui::SetNextItemWidth(fit_width(160, tr(S::sun_time)));
        if (ImGui::SliderInt(tr(S::sun_time), &quarter, 0, 24 * 4 - 1, time, ImGuiSliderFlags_AlwaysClamp))
            next.minutes = quarter * 15;
        // The days of a shadow study.
        const struct {
            const char* label;
            int month;
        } days[] = {{"21.3.", 3}, {"21.6.", 6}, {"21.12.", 12}};
        for (size_t i = 0; i < std::size(days); ++i) {
            if (i > 0) same_line_if_fits(button_width(days[i].label));
            if (ImGui::Button(days[i].label))
                next.day = geo::day_of_year(geo::CivilTime{next.year, days[i].month, 21, 0, 0, 0});
        }
        if (next.on) {
            const geo::SunPosition p = position_of(next, view);
            char where[96];
            std::snprintf(where, sizeof where, tr(S::sun_position), p.azimuth_deg, p.apparent_elevation_deg);
            ImGui::TextWrapped("%s%s%s", where, p.apparent_elevation_deg < 0 ? ", " : "",
                               p.apparent_elevation_deg < 0 ? tr(S::sun_below) : "");
        }
    }
    panel_end();
    if (next.on == sun.on && next.day == sun.day && next.minutes == sun.minutes) return std::nullopt;
    if (next.day != sun.day || next.minutes != sun.minutes) next.on = true;  // moving a slider turns it on
    return next;
}

void apply_haze(const View& view, const geo::Aabb& box, bool streaming, render::SceneSettings& s) {
    if (!streaming) return;
    const glm::dvec3 ground = view.origin_on_ground ? glm::dvec3(0.0) : glm::dvec3(0.0, 0.0, box.min.z);
    s.fog_ground = glm::dvec3(view.local_to_world * glm::dvec4(ground, 1.0));
    s.fog_height_falloff = 1.0f / config.haze_scale_height_m;
}

}  // namespace zw::viewer
