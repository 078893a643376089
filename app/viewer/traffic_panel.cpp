// The panel "Verkehr / Traffic" (see traffic.h): the scenario, the time of day, the
// vehicles on the road, the scenario's figures, closures and the fire brigade's reach. It
// reads the traffic view and the timeline and returns intents (intents.h).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
#include "app/viewer/timeline_panel.h"
#include "app/viewer/traffic.h"

namespace zw::viewer {

struct TrafficPanel {
    const TrafficView& v;
    Intents& asked;

    const char* title_of(const TrafficSource& s) const {
        const std::string& t = localized(s.title_de, s.title_en);
        return t.empty() ? s.id.c_str() : t.c_str();
    }

    void scenario_combo() {
        ImGui::SetNextItemWidth(300);
        const char* shown = v.choice_ ? title_of(v.sources_[*v.choice_]) : tr(S::traffic_none);
        if (ImGui::BeginCombo(tr(S::traffic_scenario), shown)) {
            if (ImGui::Selectable(tr(S::traffic_none), !v.choice_))
                asked.emplace_back(intent::Traffic{intent::TrafficChoose{std::nullopt}});
            for (size_t i = 0; i < v.sources_.size(); ++i) {
                ImGui::PushID(int(i));
                if (ImGui::Selectable(title_of(v.sources_[i]), v.choice_ == i))
                    asked.emplace_back(intent::Traffic{intent::TrafficChoose{i}});
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 420);
        if (v.job_.valid()) {
            ImGui::TextDisabled("%s", tr(S::traffic_loading));
        } else if (!v.error_.empty()) {
            ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), tr(S::traffic_failed), v.error_.c_str());
        } else if (const TrafficData* d = v.data()) {
            const std::string& text = localized(d->description_de, d->description_en);
            if (!text.empty()) ImGui::TextDisabled("%s", text.c_str());
            for (const std::string& w : d->warnings)
                ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "%s", w.c_str());
        }
        ImGui::PopTextWrapPos();
    }

    static void row(const char* label, const char* format, double value) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(label);
        ImGui::TableNextColumn();
        ImGui::Text(format, value);
    }

    void figures(const TrafficData& d) {
        ImGui::Spacing();
        ImGui::TextColored(ImVec4(0.65f, 0.8f, 1.0f, 1.0f), "%s", tr(S::traffic_figures));
        ImGui::Separator();
        if (!d.summary) {
            ImGui::TextDisabled("%s", tr(S::traffic_no_summary));
            return;
        }
        const scenario::traffic::TripSummary& s = *d.summary;
        if (ImGui::BeginTable("##figures", 2, ImGuiTableFlags_BordersInnerH)) {
            ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 240);
            ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 110);
            row(tr(S::traffic_vehicles), "%.0f", double(s.vehicles));
            row(tr(S::traffic_arrived), "%.0f", double(s.arrived));
            row(tr(S::traffic_mean_travel), tr(S::traffic_minutes), s.mean_travel_time_s / 60.0);
            row(tr(S::traffic_delay), "%.1f", s.time_loss_vh);
            row(tr(S::traffic_vehicle_km), "%.0f", s.vehicle_km);
            ImGui::EndTable();
        }
    }

    void closures(const TrafficData& d) {
        ImGui::Spacing();
        ImGui::TextColored(ImVec4(0.65f, 0.8f, 1.0f, 1.0f), "%s", tr(S::traffic_closures));
        ImGui::Separator();
        if (d.closures.empty()) {
            ImGui::TextDisabled("%s", tr(S::traffic_no_closures));
            return;
        }
        for (const scenario::traffic::Closure& c : d.closures) {
            const std::string& reason = localized(c.reason_de, c.reason_en);
            ImGui::TextUnformatted((reason.empty() ? c.id : reason).c_str());
            ImGui::SameLine(260);
            char when[64];
            if (std::isfinite(c.to_s))
                std::snprintf(when, sizeof when, tr(S::traffic_closure_time),
                              scenario::format_hmm(c.from_s).c_str(), scenario::format_hmm(c.to_s).c_str());
            else
                std::snprintf(when, sizeof when, tr(S::traffic_closure_from),
                              scenario::format_hmm(c.from_s).c_str());
            ImGui::TextDisabled("%s", when);
            if (!c.open_at(v.shown_s_)) {
                ImGui::SameLine();
                ImGui::TextColored(ImVec4(1.0f, 0.55f, 0.3f, 1.0f), "%s", tr(S::traffic_closed_now));
            }
        }
    }

    void emergency(const TrafficData& d) {
        if (!d.emergency_open && !d.emergency_worst) return;
        ImGui::Spacing();
        ImGui::TextColored(ImVec4(0.65f, 0.8f, 1.0f, 1.0f), tr(S::traffic_emergency),
                           d.emergency_target_s / 60.0);
        ImGui::Separator();
        if (!ImGui::BeginTable("##emergency", 3, ImGuiTableFlags_BordersInnerH)) return;
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 150);
        ImGui::TableSetupColumn(tr(S::traffic_emergency_open), ImGuiTableColumnFlags_WidthFixed, 100);
        ImGui::TableSetupColumn(tr(S::traffic_emergency_worst), ImGuiTableColumnFlags_WidthFixed, 130);
        ImGui::TableHeadersRow();
        auto count_row = [&](S label, uint64_t EmergencyCounts::*field) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(tr(label));
            for (const std::optional<EmergencyCounts>& c : {d.emergency_open, d.emergency_worst}) {
                ImGui::TableNextColumn();
                if (c)
                    ImGui::Text("%llu", static_cast<unsigned long long>((*c).*field));
                else
                    ImGui::TextDisabled("-");
            }
        };
        count_row(S::traffic_in_time, &EmergencyCounts::in_time);
        count_row(S::traffic_late, &EmergencyCounts::late);
        count_row(S::traffic_unreachable, &EmergencyCounts::unreachable);
        ImGui::EndTable();
    }

    void panel(const scenario::Timeline& timeline, bool with_timeline, bool flood_panels) {
        const ImVec2 size = ImGui::GetIO().DisplaySize;
        const ImGuiCond place = v.placing_frames_ > 0 ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
        if (flood_panels) {
            // The flood's panels hold both bottom corners and the layers the top right: this
            // one starts collapsed at the top left, under the collapsed statistics and tiles.
            ImGui::SetNextWindowPos(ImVec2(10, 120), ImGuiCond_FirstUseEver);
            ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
        } else {
            // The flood timeline's corner: this panel carries the timeline then.
            ImGui::SetNextWindowPos(ImVec2(10, size.y - 10), place, ImVec2(0.0f, 1.0f));
        }
        // Never over the twin's banner at the top: a small window scrolls the panel instead.
        ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(size.x, std::max(120.0f, size.y - 70.0f)));
        ImGui::SetNextWindowBgAlpha(0.85f);
        if (!panel_begin(tr(S::traffic_title), nullptr,
                         ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing)) {
            panel_end();
            return;
        }
        scenario_combo();
        if (v.choice_)
            v.compare_controls(timeline, asked);  // B, A | B | split, plots (traffic_compare_panel.cpp)
        const TrafficData* d = v.data();
        if (d) {
            ImGui::Separator();
            ImGui::Text(tr(S::traffic_time_of_day), scenario::format_hmm(v.shown_s_).c_str());
            if (with_timeline) timeline_controls(timeline, asked);
            ImGui::Text(tr(S::traffic_on_road), int(v.present_), int(v.drawn_));
            bool shown = v.display_.vehicles_visible;
            if (ImGui::Checkbox(tr(S::traffic_vehicles_visible), &shown)) {
                intent::TrafficDisplay a = v.display_;
                a.vehicles_visible = shown;
                asked.emplace_back(intent::Traffic{a});
            }
            roads_controls(v.roads(), asked);
            figures(*d);
            closures(*d);
            v.live_panel(asked);
            emergency(*d);
        }
        ImGui::Spacing();
        ImGui::TextDisabled("%s", tr(S::traffic_synthetic));
        panel_end();
    }
};

Intents TrafficView::panel(const scenario::Timeline& timeline, bool timeline_controls,
                           bool flood_panels) const {
    Intents asked;
    TrafficPanel{*this, asked}.panel(timeline, timeline_controls, flood_panels);
    impacts_panel(flood_panels, asked);
    return asked;
}

}  // namespace zw::viewer
