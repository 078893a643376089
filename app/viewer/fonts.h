// The overlay's type: a TrueType sans (DejaVu Sans, Debian's fonts-dejavu-core, found
// through fontconfig) rasterised by FreeType (imgui_freetype from libimgui-dev) at a size
// that follows the window's height, so that a panel reads the same from the back of the
// hall at 720p, 1080p and 4K. The UI size (S, M, L) sets the height of a capital letter at
// 1080p; L, the default, is the presenter's: 20 px capitals at 1080p.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace zw::viewer {

enum class UiSize { s, m, l };

// "s", "m" or "l" (any case); nullopt otherwise.
std::optional<UiSize> parse_ui_size(std::string_view s);
const char* ui_size_name(UiSize s);

// A capital letter's height in pixels at 1080p for each size: 12, 16, 20.
float ui_cap_px_1080(UiSize s);
// DejaVu Sans' capital height as a share of its em (1493 / 2048 units).
inline constexpr float ui_font_cap_share = 1493.0f / 2048.0f;
// The font's pixel size (em) for a window `height` pixels tall: the capitals of `s`
// scaled with the height, never below 13 px (ImGui's own font, the smallest legible).
float ui_font_px(UiSize s, float height);

// The file of the UI font as fontconfig resolves "DejaVu Sans" (or, with another family
// installed in its place, that one's file); "" when fontconfig finds no TrueType or
// OpenType file at all. `bold`: the bold face.
std::string find_ui_font(bool bold = false);

}  // namespace zw::viewer
