// The scene's light from the command line: --sun's local date and time at the town, turned
// into the renderer's sun (render::sun_light). Without --sun the renderer's default light.
#pragma once

#include <string>

#include <optional>

#include "app/viewer/intents.h"
#include "app/viewer/options.h"
#include "app/viewer/scene.h"
#include "engine/geo/aabb.h"
#include "engine/render/scene_settings.h"

namespace zw::viewer {

// Where the sun is computed for: the twin's origin (twin.json); content at ECEF
// coordinates (a geo-referenced tileset) at its local frame's origin; else (a model
// file, the built-in village, a tileset in local coordinates) Weisendorf's market square.
struct SunPlace {
    double lat_deg = 0, lon_deg = 0;
    std::string what;  // for the log: "the twin's origin", ...
};
SunPlace sun_place(const View& view);

// With --sun: the sun at that Europe/Berlin time over sun_place(view), in the camera's
// local frame (view.local_to_world's east-north-up: true north, so no grid convergence
// to remove), written into `s`; the position is logged. Without --sun nothing changes.
void apply_sun(const Options& o, const View& view, render::SceneSettings& s);

// The sun panel's state at the start: --sun's date and time (on), else today at noon (off).
intent::Sun initial_sun(const Options& o);
// The panel's choice: the sun at that date and time over sun_place(view) when on, else
// `default_light`'s sun and daylight (the rest of `s` is kept).
void apply_sun(const intent::Sun& sun, const View& view, const render::SceneSettings& default_light,
               render::SceneSettings& s);
// The sun panel (right column, collapsed at first): on/off, date and time sliders, the
// days of a shadow study (21 March, June, December) and where the sun stands.
std::optional<intent::Sun> sun_panel(const intent::Sun& sun, const View& view);

// Height fog for streamed content (a twin's or a tileset's): the ground level is the
// twin's origin (on the ground), else the lowest point of `box` (the view's local frame).
// Models loaded whole keep the renderer's uniform haze.
void apply_haze(const View& view, const geo::Aabb& box, bool streaming, render::SceneSettings& s);

}  // namespace zw::viewer
