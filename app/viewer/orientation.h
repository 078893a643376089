// Orientation over the 3D view (issue 16): a north arrow and a scale bar in the bottom
// right of the view's middle (never under a panel), drawn by ImGui behind the panels.
// The arrow turns with the camera's heading (yaw 0 looks north, render/camera.h); the
// bar is a round length (1, 2 or 5 x 10^n m) of about a sixth of the view's width at the
// distance of the camera's target, where the view is looked at.
#pragma once

#include "engine/render/camera.h"

namespace zw::viewer {

// Draws the north arrow and the scale bar for `camera` on a view `height` pixels tall.
void orientation_marks(const render::Camera& camera, float height);

}  // namespace zw::viewer
