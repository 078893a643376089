// What the user asked for: the panels and the window's input return these instead of
// writing engine state, and the frame's update step applies them (a panel's intents in
// the next frame's update, before the streamer selects and the renderer draws).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <glm/glm.hpp>

#include "app/viewer/strings.h"
#include "engine/core/fetch.h"

namespace zw::viewer {

enum class FloodShow { a, b, split };    // the flood's water: A, B, or A | B split
enum class TrafficShow { a, b, split };  // the traffic's vehicles: A, B, or A | B split

}  // namespace zw::viewer

namespace zw::viewer::intent {

struct MaxSse {  // the tiles panel's slider: the streamer's maximum screen-space error
    double pixels = 16;
};
struct LayerVisible {  // a layer's checkbox in the layer panel
    size_t layer = 0;
    bool visible = true;
};
struct LayerOpacity {  // a layer's opacity slider, 0..1
    size_t layer = 0;
    float opacity = 1.0f;
};
struct SignIn {  // the sign-in form, submitted
    core::Credentials credentials;
};
struct FlyTo {  // the impacts panel: a clicked building (world coordinates)
    glm::dvec3 eye{0.0}, target{0.0};
};
struct SaveWindowPng {     // a panel's PNG button: a PNG of the window's next image
    bool traffic = false;  // named after the traffic scenarios shown (else the flood's)
};
struct Click {  // a click in the window (framebuffer pixel): a live flood wall point, else a pick
    uint32_t x = 0, y = 0;
};
struct FrameScene {};  // F: the camera frames the scene again
// The presenter's keys (docs/presenter.md): H hides and shows the overlay (a small HUD
// stays), F1 opens and closes the keyboard help, F11 switches to and from fullscreen, F10
// opens and closes the technical panels (statistics, tiles).
struct Presenter {
    enum class Op { overlay, help, fullscreen, technical, report } op = Op::overlay;
};
// Views and tours (tour.h): T starts and stops the tour, PageDown / PageUp (a presenter's
// clicker) go to the next and previous view, a view in the panel is flown to, V saves the
// view as it is into the user's views file, M renders the tour's video (a second process).
struct Tour {
    enum class Op { play, next, previous, go, save, video, address } op = Op::play;
    size_t tour = 0, view = 0;  // Op::go; Op::address: `view` is the address's index
};
// The sun panel (lighting.h): the sun by date and time at the town, or the default light.
struct Sun {
    bool on = false;
    int year = 2026, day = 172;  // day of the year, 1 = 1 January
    int minutes = 12 * 60;       // local time (Europe/Berlin) after midnight
};
struct Language {  // DE | EN (F1 help, stats panel): the overlay's texts, numbers and CSV exports
    Lang lang = Lang::de;
};

// The one scenario::Timeline that flood (and traffic) follow.
struct TimelineToggle {};  // play / pause
struct TimelineScrub {     // jump to a time (clamped to the timeline)
    double time_s = 0;
};
struct TimelineSpeed {  // simulated seconds per wall-clock second
    double speed = 1;
};
struct TimelineLoop {  // start again at the end
    bool on = false;
};

// The flood panels.
struct FloodChoose {  // scenario `source` (an index into the flood sources) on side 0 (A) or 1 (B)
    int side = 0;
    std::optional<size_t> source;  // nullopt: the side shows nothing
};
struct FloodDisplay {  // how the water is shown
    FloodShow show = FloodShow::a;
    float split = 0.5f;  // of the framebuffer width: where B begins
    bool water_visible = true;
    float opacity = 1.0f;
};
struct FloodLive {  // live mode: a mobile wall drawn on the ground, the solver run with it
    enum class Op { draw, height, run, clear, stop } op = Op::run;
    bool drawing = false;   // Op::draw: clicks on the ground add wall points
    float height_m = 1.0f;  // Op::height: the wall's height
    bool restart = false;   // Op::height: a running live run restarts with it
};
struct FloodExportCsv {};  // the impacts CSV of every loaded side into the export folder

// The traffic panel. Its intents travel as one `Traffic` (a variant of their own), which
// the session hands to the traffic view as a whole: a new traffic intent is added here and
// in TrafficView::apply, nowhere else.
struct TrafficChoose {             // scenario `source` (an index into the traffic sources)
    std::optional<size_t> source;  // nullopt: no traffic shown
};
struct TrafficDisplay {  // how the traffic is shown
    bool vehicles_visible = true;
};
struct TrafficRoads {  // what the roads are coloured by (app/viewer/traffic_roads_model.h)
    enum class Mode { off, speed, flow, los } mode = Mode::off;
};
struct TrafficClose {  // the live what-if (traffic_live.h): close a road, run SUMO with it
    enum class Op {
        closing,       // `on`: clicks on the ground pick the road to close
        whole_street,  // `on`: a picked road closes its whole street (every edge of its name)
        street,        // close the street `street` (every edge of that name)
        times,         // closed from `from_s` to `to_s` (seconds of the day; infinite: to the end)
        run,           // run the scenario with the closure (a live run, on a worker thread)
        cancel,        // stop the live run (nothing is kept)
        clear,         // forget the picked road
    } op = Op::run;
    bool on = false;
    std::string street;
    double from_s = 0, to_s = std::numeric_limits<double>::infinity();
};
struct TrafficChooseB {            // the scenario compared with A (B); an index into the traffic sources
    std::optional<size_t> source;  // nullopt: no comparison
};
struct TrafficCompareDisplay {  // how A and B are shown
    TrafficShow show = TrafficShow::a;
    float split = 0.5f;  // of the framebuffer width: where B begins (the flood's split wins while it is on)
};
struct TrafficExportCsv {};  // the impacts CSV (B against A, or A alone) into the export folder
using TrafficIntent = std::variant<TrafficChoose, TrafficDisplay, TrafficRoads, TrafficClose, TrafficChooseB,
                                   TrafficCompareDisplay, TrafficExportCsv>;
struct Traffic {
    TrafficIntent what;
};

}  // namespace zw::viewer::intent

namespace zw::viewer {

// std::visit over an intent with one lambda per kind.
template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

using Intent =
    std::variant<intent::MaxSse, intent::LayerVisible, intent::LayerOpacity, intent::SignIn, intent::FlyTo,
                 intent::SaveWindowPng, intent::Click, intent::FrameScene, intent::Presenter,
                 intent::TimelineToggle, intent::TimelineScrub, intent::TimelineSpeed, intent::TimelineLoop,
                 intent::FloodChoose, intent::FloodDisplay, intent::FloodLive, intent::FloodExportCsv,
                 intent::Traffic, intent::Language, intent::Tour, intent::Sun>;
using Intents = std::vector<Intent>;

}  // namespace zw::viewer
