// Every overlay window opens and closes through these (instead of ImGui::Begin/End),
// so that the overlay can keep each window's text when a test asks for it
// (Overlay::capture_text, `zwilling --ui-text`): ImGui logs one window at a time.
#pragma once

#include <string>

#include "app/viewer/intents.h"
#include "app/viewer/layout.h"

namespace zw::viewer {

// ImGui::Begin(name, open, flags) (flags: ImGuiWindowFlags); returns what it returns.
// Call panel_end() whatever it returns.
bool panel_begin(const char* name, bool* open, int flags);
void panel_end();

// The next panel_begin opens a docked panel (layout.h): in the top strip or a column, with
// the column's width, as tall as its content when there is room, never moved or resized by
// hand and never over another docked panel. Its text wraps at its edge.
void panel_dock(Dock where);

// The part of the window the 3D view keeps between the columns (the whole window outside
// a frame): for labels drawn over the view.
Box view_center();

// A label over the 3D view at x (centred there, kept inside the view's middle, wrapped to
// its width), under the labels drawn before it in this frame. `background`: an ImU32.
void view_label(float x, const char* text, unsigned background);

// Sizes designed for ImGui's 13 px font, in pixels of the current type.
float em(float design_px);
// The width of the next item, whose label `label` (or none) is drawn to its right:
// `design_px` of the design, at most what the label leaves of the room on its line, so
// that item and label stay inside a docked panel; never below 40 design pixels.
float fit_width(float design_px, const char* label = nullptr);

// Widths of a button and of a checkbox or radio button with their labels.
float button_width(const char* label);
float toggle_width(const char* label);
// ImGui::SameLine() when an item `width` pixels wide still fits on the current line of the
// panel, else nothing (it goes on the next line): rows of buttons and toggles that wrap
// in a narrow column instead of running out of it.
void same_line_if_fits(float width);
// ImGui::Checkbox whose label wraps onto more lines when the panel is narrower than it
// (clicking the label toggles it, as ImGui's own does).
bool checkbox_wrapped(const char* label, bool* value);
// The impacts panels' last row: "CSV speichern" (asks `csv`), "PNG speichern" (the
// window as it is, asks `png`) and "Bericht-PNG" (the report PNG, report_export.h), with
// the last export's message (`failed`: in red) below.
void export_row(Intent csv, Intent png, const std::string& message, bool failed, Intents& asked);

// Tables in a docked panel: as wide as the panel (`height` 0: as tall as the rows; else
// scrolling). Inside, text does not wrap: the value columns (value_column) are as wide as
// their widest number or header, and the name column (name_column) takes what is left,
// where names wrap with ImGui::TextWrapped. begin_table returns ImGui::BeginTable's
// result; call end_table only when it was true.
bool begin_table(const char* id, int columns, int flags = 0, float height = 0);
void end_table();
void name_column(const char* label);
void value_column(const char* label);

}  // namespace zw::viewer
