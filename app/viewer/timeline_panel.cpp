#include "app/viewer/timeline_panel.h"

#include <imgui.h>

#include <cstdio>

#include "app/viewer/format.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"

namespace zw::viewer {

void timeline_controls(const scenario::Timeline& c, Intents& asked) {
    if (ImGui::Button(tr(c.playing ? S::flood_pause : S::flood_play), ImVec2(em(90), 0)))
        asked.emplace_back(intent::TimelineToggle{});
    same_line_if_fits(button_width(tr(S::flood_to_start)));
    if (ImGui::Button(tr(S::flood_to_start))) asked.emplace_back(intent::TimelineScrub{0});
    same_line_if_fits(em(60) + toggle_width(tr(S::flood_speed)));
    ImGui::SetNextItemWidth(fit_width(90, tr(S::flood_speed)));
    char speed[32];
    std::snprintf(speed, sizeof speed, tr(S::flood_speed_value), num(c.speed, 0).c_str());
    if (ImGui::BeginCombo(tr(S::flood_speed), speed)) {
        for (double s : scenario::Timeline::speeds()) {
            std::snprintf(speed, sizeof speed, tr(S::flood_speed_value), num(s, 0).c_str());
            if (ImGui::Selectable(speed, c.speed == s)) asked.emplace_back(intent::TimelineSpeed{s});
        }
        ImGui::EndCombo();
    }
    same_line_if_fits(toggle_width(tr(S::flood_loop)));
    bool loop = c.loop;
    if (ImGui::Checkbox(tr(S::flood_loop), &loop)) asked.emplace_back(intent::TimelineLoop{loop});
    // The slider shows h:mm (no printf conversion left in its label).
    char when[96];
    std::snprintf(when, sizeof when, tr(S::flood_time_of), scenario::format_hmm(c.time_s).c_str(),
                  scenario::format_hmm(c.duration_s).c_str());
    float t = float(c.time_s);
    ImGui::SetNextItemWidth(fit_width(300, tr(S::flood_time)));
    if (ImGui::SliderFloat(tr(S::flood_time), &t, 0.0f, float(c.duration_s), when, ImGuiSliderFlags_NoInput))
        asked.emplace_back(intent::TimelineScrub{t});
}

}  // namespace zw::viewer
