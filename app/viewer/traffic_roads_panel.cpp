// The traffic panel's roads part (traffic_roads.h): what the roads are coloured by, the
// measures' interval shown and the legend. Reads the traffic view's roads, returns intents.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>

#include "app/viewer/format.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
#include "app/viewer/traffic_roads.h"
#include "engine/scenario/timeline.h"

namespace zw::viewer {
namespace {

// The overlay blends into the sRGB target in linear values, as the scene does: the legend's
// colours go in linear too, so that they look like the ribbons.
ImU32 color_of(glm::vec3 srgb) {
    const glm::vec3 c = linear_of(srgb);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 1.0f));
}

// The ramp with its values (LOS: a box per level), then grey and red for no data and closed.
void roads_legend(RoadMode mode) {
    const std::span<const RampStop> ramp = road_ramp(mode);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float width = std::min(em(330), ImGui::GetContentRegionAvail().x - em(8)), bar = std::round(em(14)),
                line = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const float step = mode == RoadMode::los ? width / float(ramp.size()) : width / float(ramp.size() - 1);
    for (size_t i = 0; i < ramp.size(); ++i) {
        char label[16];
        if (mode == RoadMode::los) {
            const float x = p.x + step * float(i);
            dl->AddRectFilled(ImVec2(x, p.y), ImVec2(x + step - 2, p.y + bar), color_of(ramp[i].srgb));
            std::snprintf(label, sizeof label, "%c", los_letter(Los(i)));
            dl->AddText(ImVec2(x + step * 0.5f - ImGui::CalcTextSize(label).x * 0.5f, p.y + bar + 2), text,
                        label);
            continue;
        }
        const float x = p.x + step * float(i);
        if (i + 1 < ramp.size())
            dl->AddRectFilledMultiColor(ImVec2(x, p.y), ImVec2(x + step, p.y + bar), color_of(ramp[i].srgb),
                                        color_of(ramp[i + 1].srgb), color_of(ramp[i + 1].srgb),
                                        color_of(ramp[i].srgb));
        std::snprintf(label, sizeof label, "%s%s", num(ramp[i].value, 0).c_str(),
                      i + 1 < ramp.size() ? "" : "+");
        const float w = ImGui::CalcTextSize(label).x;
        dl->AddText(ImVec2(std::clamp(x - w * 0.5f, p.x, p.x + width - w), p.y + bar + 2), text, label);
    }
    ImGui::Dummy(ImVec2(width, bar + line + 4));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", tr(mode == RoadMode::speed  ? S::traffic_roads_speed_unit
                                 : mode == RoadMode::flow ? S::traffic_roads_flow_unit
                                                          : S::traffic_roads_los_note));
    ImGui::PopTextWrapPos();
    auto swatch = [&](glm::vec3 srgb, bool hatched, S label) {
        const ImVec2 a = ImGui::GetCursorScreenPos();
        const ImVec2 b(a.x + em(28), a.y + line);
        dl->AddRectFilled(a, b, color_of(srgb));
        if (hatched)
            for (float x = a.x - line; x < b.x; x += 8)
                dl->AddLine(ImVec2(std::max(x, a.x), a.y + (std::max(x, a.x) - x)),
                            ImVec2(std::min(x + line, b.x), b.y - (x + line - std::min(x + line, b.x))),
                            IM_COL32(235, 235, 235, 255), 3.0f);
        ImGui::Dummy(ImVec2(em(28), line));
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(label));
    };
    swatch(no_data_srgb, false, S::traffic_roads_no_data);
    same_line_if_fits(em(52) + ImGui::CalcTextSize(tr(S::traffic_roads_closed)).x);
    swatch(closed_srgb, true, S::traffic_roads_closed);
}

}  // namespace

// The roads' colouring (traffic_roads_model.h): the mode and, while on, its legend.
void roads_controls(const TrafficRoads& r, Intents& asked) {
    const RoadMode mode = r.mode;
    constexpr S names[] = {S::traffic_roads_off, S::traffic_roads_speed, S::traffic_roads_flow,
                           S::traffic_roads_los};
    ImGui::SetNextItemWidth(fit_width(220, tr(S::traffic_roads)));
    if (ImGui::BeginCombo(tr(S::traffic_roads), tr(names[int(mode)]))) {
        for (int i = 0; i < 4; ++i)
            if (ImGui::Selectable(tr(names[i]), int(mode) == i))
                asked.emplace_back(intent::Traffic{intent::TrafficRoads{RoadMode(i)}});
        ImGui::EndCombo();
    }
    if (mode == RoadMode::off) return;
    const RoadData* roads = r.data();
    if (!roads || !roads->measures) {
        ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "%s", tr(S::traffic_roads_unavailable));
    } else if (const std::optional<size_t> i = r.interval()) {
        ImGui::TextDisabled(tr(S::traffic_roads_interval),
                            scenario::format_hmm(roads->measures->begin_s[*i]).c_str(),
                            scenario::format_hmm(roads->measures->end_s[*i]).c_str());
    } else {
        ImGui::TextDisabled("%s", tr(S::traffic_roads_no_interval));
    }
    roads_legend(mode);
}

}  // namespace zw::viewer
