// Presenter mode (docs/presenter.md): what stays on the screen while H hides the
// overlay (the HUD: the twin's banner, the scenario and time shown, the water-depth
// legend, and the key that brings the panels back), the F1 keyboard help, and the
// water-depth legend that the flood panel shows too.
#pragma once

#include <optional>
#include <string>

#include "app/viewer/intents.h"

namespace zw::viewer {

struct HudView {
    std::string scenario;  // the scenario(s) shown ("" without)
    std::string time;      // the time shown ("" without a scenario)
    bool water = false;    // flood water is shown: with the depth legend
};

// The HUD: a small docked panel without a title in the left column.
void hud_panel(const HudView& hud);

// --report: the view for a report, without panels: a title block in the top strip
// (`title`, then `lines`: scenario, time, twin and audience, date, "synthetic data") and
// the legend (the water depth when `hud.water`) in the left column.
struct ReportView {
    std::string title;
    std::string lines;
    HudView hud;
};
void report_panels(const ReportView& report);
// The date on a report: `iso` (YYYY-MM-DD, --date) or today's local date, as 06.12.2026
// (German) or 2026-12-06 (English).
std::string report_date(const std::string& iso, bool german);

// The report PNG's (or the tour video's) progress and result (report_export.h), docked in
// the right column under `title`.
void report_status_panel(const char* title, const std::string& status, bool failed);

// F1: the language switch (DE | EN) and every key and mouse gesture with what it does, in
// the view's middle. Returns the language picked.
std::optional<intent::Language> keys_help_panel();

// The water's colour by depth as drawn (shaders/water.frag: turquoise at 0.1 m to deep
// blue from 2 m), with ticks at 0.1, 0.5, 1 and 2 m, as wide as the panel.
void water_depth_legend();

}  // namespace zw::viewer
