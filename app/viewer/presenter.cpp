#include "app/viewer/presenter.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string_view>

#include "app/viewer/overlay.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
#include "engine/core/numbers.h"

namespace zw::viewer {
namespace {

// shaders/water.frag's albedo at depth `d` metres. The overlay draws into the same sRGB
// image as the water, which encodes ImGui's colours like the shader's: linear values.
ImU32 water_colour(float d) {
    const float t = std::pow(std::clamp((d - 0.1f) / 1.9f, 0.0f, 1.0f), 0.7f);
    const float shallow[3] = {0.10f, 0.55f, 0.60f}, deep[3] = {0.004f, 0.035f, 0.22f};
    int c[3];
    for (int i = 0; i < 3; ++i)
        c[i] = int(std::lround(std::clamp(shallow[i] + (deep[i] - shallow[i]) * t, 0.0f, 1.0f) * 255.0f));
    return IM_COL32(c[0], c[1], c[2], 255);
}

}  // namespace

void water_depth_legend() {
    ImGui::TextUnformatted(tr(S::water_depth));
    const float width = std::max(em(120), ImGui::GetContentRegionAvail().x - em(16));
    const float bar = std::round(em(12));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // 0 to 2.5 m along the bar; 2 m and deeper share the deepest colour.
    constexpr float top_m = 2.5f;
    constexpr int steps = 25;
    for (int i = 0; i < steps; ++i) {
        const float d0 = top_m * float(i) / steps, d1 = top_m * float(i + 1) / steps;
        const float x0 = p.x + width * float(i) / steps, x1 = p.x + width * float(i + 1) / steps;
        dl->AddRectFilledMultiColor(ImVec2(x0, p.y), ImVec2(x1, p.y + bar), water_colour(d0),
                                    water_colour(d1), water_colour(d1), water_colour(d0));
    }
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const core::NumberStyle style = language() == Lang::de ? core::NumberStyle::de : core::NumberStyle::en;
    for (const float d : {0.1f, 0.5f, 1.0f, 2.0f}) {
        const std::string shown = core::format_number(d, d < 1 ? 1 : 0, style) + (d == 2.0f ? " m" : "");
        const float x = p.x + width * d / top_m;
        const float w = ImGui::CalcTextSize(shown.c_str()).x;
        dl->AddLine(ImVec2(x, p.y + bar), ImVec2(x, p.y + bar + em(3)), text);
        dl->AddText(ImVec2(std::clamp(x - w * 0.5f, p.x, p.x + width - w), p.y + bar + em(3)), text,
                    shown.c_str());
    }
    ImGui::Dummy(ImVec2(width, bar + em(3) + ImGui::GetTextLineHeight()));
}

void hud_panel(const HudView& hud) {
    panel_dock(Dock::left);
    ImGui::SetNextWindowBgAlpha(0.7f);
    panel_begin("##hud", nullptr,
                ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
    if (!hud.scenario.empty()) ImGui::TextUnformatted(hud.scenario.c_str());
    if (!hud.time.empty()) ImGui::TextUnformatted(hud.time.c_str());
    if (hud.water) {
        if (!hud.scenario.empty() || !hud.time.empty()) ImGui::Spacing();
        water_depth_legend();
    }
    if (!hud.scenario.empty() || hud.water) ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(S::hud_hint));
    panel_end();
}

std::string report_date(const std::string& iso, bool german) {
    int y = 0, m = 0, d = 0;
    if (iso.empty() || std::sscanf(iso.c_str(), "%d-%d-%d", &y, &m, &d) != 3) {
        const std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        y = local.tm_year + 1900;
        m = local.tm_mon + 1;
        d = local.tm_mday;
    }
    char text[32];
    if (german)
        std::snprintf(text, sizeof text, "%02d.%02d.%04d", d, m, y);
    else
        std::snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
    return text;
}

void report_panels(const ReportView& report) {
    panel_dock(Dock::top);
    ImGui::SetNextWindowBgAlpha(0.85f);
    panel_begin("##report", nullptr,
                ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoNav);
    ImGui::TextUnformatted(report.title.c_str());
    ImGui::Separator();
    ImGui::TextUnformatted(report.lines.c_str());
    panel_end();
    if (!report.hud.water) return;
    panel_dock(Dock::left);
    ImGui::SetNextWindowBgAlpha(0.85f);
    panel_begin("##legend", nullptr,
                ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoNav);
    water_depth_legend();
    panel_end();
}

void report_status_panel(const char* title, const std::string& status, bool failed) {
    panel_dock(Dock::right);
    ImGui::SetNextWindowBgAlpha(0.9f);
    panel_begin(title, nullptr, ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
    if (failed)
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", status.c_str());
    else
        ImGui::TextUnformatted(status.c_str());
    panel_end();
}

std::optional<intent::Language> keys_help_panel() {
    const Box c = view_center();
    ImGui::SetNextWindowPos(ImVec2(c.x + c.w * 0.5f, c.y + c.h * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowBgAlpha(0.92f);
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(std::max(em(120), c.w - em(20)), c.h));
    panel_begin(tr(S::keys_title), nullptr,
                ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove |
                    ImGuiWindowFlags_NoSavedSettings);
    const std::optional<intent::Language> asked = language_switch();
    if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
        for (const S s :
             {S::keys_h, S::keys_f1, S::keys_f11, S::keys_space, S::keys_f, S::keys_mouse, S::keys_tab,
              S::keys_fly, S::keys_p, S::keys_m, S::keys_tour, S::keys_pages, S::keys_v, S::keys_f10}) {
            const std::string_view line = tr(s);
            const size_t tab = line.find('\t');
            const std::string key(line.substr(0, tab)), what(tab == line.npos ? "" : line.substr(tab + 1));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(key.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(what.c_str());
        }
        ImGui::EndTable();
    }
    panel_end();
    return asked;
}

}  // namespace zw::viewer
