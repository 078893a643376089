// Every overlay window opens and closes through these (instead of ImGui::Begin/End),
// so that the overlay can keep each window's text when a test asks for it
// (Overlay::capture_text, `zwilling --ui-text`): ImGui logs one window at a time.
#pragma once

namespace zw::viewer {

// ImGui::Begin(name, open, flags) (flags: ImGuiWindowFlags); returns what it returns.
// Call panel_end() whatever it returns.
bool panel_begin(const char* name, bool* open, int flags);
void panel_end();

}  // namespace zw::viewer
