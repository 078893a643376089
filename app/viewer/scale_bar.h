// The scale bar's length and label (orientation.h), without ImGui: unit-tested.
#pragma once

#include <string>

namespace zw::viewer {

// A round length for a scale bar of at most `metres`: 1, 2 or 5 times a power of ten
// (0 for no positive finite length).
double round_scale_length(double metres);
// Its label in the UI language: "500 m", "2 km", "0,5 m" (German) / "0.5 m" (English).
std::string scale_label(double metres);

}  // namespace zw::viewer
