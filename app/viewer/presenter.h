// Presenter mode (docs/presenter.md): what stays on the screen while H hides the
// overlay (the HUD: the twin's banner, the scenario and time shown, the water-depth
// legend, and the key that brings the panels back), the F1 keyboard help, and the
// water-depth legend that the flood panel shows too.
#pragma once

#include <string>

namespace zw::viewer {

struct HudView {
    std::string scenario;  // the scenario(s) shown ("" without)
    std::string time;      // the time shown ("" without a scenario)
    bool water = false;    // flood water is shown: with the depth legend
};

// The HUD: a small docked panel without a title in the left column.
void hud_panel(const HudView& hud);

// F1: every key and mouse gesture with what it does, in the view's middle.
void keys_help_panel();

// The water's colour by depth as drawn (shaders/water.frag: turquoise at 0.1 m to deep
// blue from 2 m), with ticks at 0.1, 0.5, 1 and 2 m, as wide as the panel.
void water_depth_legend();

}  // namespace zw::viewer
