// The language switch inside the app (overlay.h): "DE | EN" at the top of the stats panel.
#include <imgui.h>

#include "app/viewer/overlay.h"
#include "app/viewer/strings.h"

namespace zw::viewer {

std::optional<intent::Language> language_switch() {
    std::optional<intent::Language> asked;
    const Lang now = language();
    auto button = [&](const char* label, Lang lang) {
        const bool current = now == lang;
        // The current language looks pressed; clicking it again does nothing.
        if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::SmallButton(label) && !current) asked = intent::Language{lang};
        if (current) ImGui::PopStyleColor();
    };
    button("DE", Lang::de);
    ImGui::SameLine(0, 4);
    ImGui::TextDisabled("|");
    ImGui::SameLine(0, 4);
    button("EN", Lang::en);
    return asked;
}

}  // namespace zw::viewer
