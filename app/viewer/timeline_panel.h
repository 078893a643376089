// The controls of the one scenario::Timeline (play/pause, to the start, speed, loop and
// the time slider), shared by the panels that carry them: the flood's, or the traffic's
// when there is no flood panel. Returns what the user asked for as timeline intents.
#pragma once

#include "app/viewer/intents.h"
#include "engine/scenario/timeline.h"

namespace zw::viewer {

// Draws the controls into the current ImGui window; appends the user's intents to `asked`.
void timeline_controls(const scenario::Timeline& timeline, Intents& asked);

}  // namespace zw::viewer
