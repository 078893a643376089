// The panel "Verkehr / Traffic" (see traffic.h): the scenario, the time of day, the
// vehicles on the road, the scenario's figures, closures and the fire brigade's reach. It
// reads the traffic view and the timeline and returns intents (intents.h).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/viewer/format.h"
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
        ImGui::SetNextItemWidth(fit_width(300, tr(S::traffic_scenario)));
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
        ImGui::PushTextWrapPos(0.0f);
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

    static void row(const char* label, const std::string& value) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", label);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(value.c_str());
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
        if (begin_table("##figures", 2, ImGuiTableFlags_BordersInnerH)) {
            name_column("");
            value_column("");
            char minutes[48];
            std::snprintf(minutes, sizeof minutes, tr(S::traffic_minutes),
                          num(s.mean_travel_time_s / 60.0, 1).c_str());
            row(tr(S::traffic_vehicles), num(double(s.vehicles), 0));
            row(tr(S::traffic_arrived), num(double(s.arrived), 0));
            row(tr(S::traffic_mean_travel), minutes);
            row(tr(S::traffic_delay), num(s.time_loss_vh, 1));
            row(tr(S::traffic_vehicle_km), num(s.vehicle_km, 0));
            end_table();
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
            char when[64];
            if (std::isfinite(c.to_s))
                std::snprintf(when, sizeof when, tr(S::traffic_closure_time),
                              scenario::format_hmm(c.from_s).c_str(), scenario::format_hmm(c.to_s).c_str());
            else
                std::snprintf(when, sizeof when, tr(S::traffic_closure_from),
                              scenario::format_hmm(c.from_s).c_str());
            same_line_if_fits(ImGui::CalcTextSize(when).x);
            ImGui::TextDisabled("%s", when);
            if (!c.open_at(v.shown_s_)) {
                same_line_if_fits(ImGui::CalcTextSize(tr(S::traffic_closed_now)).x);
                ImGui::TextColored(ImVec4(1.0f, 0.55f, 0.3f, 1.0f), "%s", tr(S::traffic_closed_now));
            }
        }
    }

    void emergency(const TrafficData& d) {
        if (!d.emergency_open && !d.emergency_worst) return;
        ImGui::Spacing();
        ImGui::TextColored(ImVec4(0.65f, 0.8f, 1.0f, 1.0f), tr(S::traffic_emergency),
                           num(d.emergency_target_s / 60.0, 0).c_str());
        ImGui::Separator();
        if (!begin_table("##emergency", 3, ImGuiTableFlags_BordersInnerH)) return;
        name_column("");
        value_column(tr(S::traffic_emergency_open));
        value_column(tr(S::traffic_emergency_worst));
        ImGui::TableHeadersRow();
        auto count_row = [&](S label, uint64_t EmergencyCounts::*field) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", tr(label));
            for (const std::optional<EmergencyCounts>& c : {d.emergency_open, d.emergency_worst}) {
                ImGui::TableNextColumn();
                if (c)
                    ImGui::TextUnformatted(num(double((*c).*field), 0).c_str());
                else
                    ImGui::TextDisabled("-");
            }
        };
        count_row(S::traffic_in_time, &EmergencyCounts::in_time);
        count_row(S::traffic_late, &EmergencyCounts::late);
        count_row(S::traffic_unreachable, &EmergencyCounts::unreachable);
        end_table();
    }

    void panel(const scenario::Timeline& timeline, bool with_timeline, bool flood_panels) {
        // In the left column; with the flood's panels open it starts collapsed under them.
        panel_dock(Dock::left);
        if (flood_panels) ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
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
            ImGui::Text(tr(S::traffic_on_road), num(double(v.present_), 0).c_str(),
                        num(double(v.drawn_), 0).c_str());
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

std::string TrafficView::hud_title() const {
    auto title = [&](std::optional<size_t> choice) -> std::string {
        if (!choice) return {};
        const TrafficSource& s = sources_[*choice];
        const std::string& t = localized(s.title_de, s.title_en);
        return t.empty() ? s.id : t;
    };
    const bool a = data() != nullptr, b = data_b() != nullptr;
    switch (a || b ? shown() : TrafficShow::a) {
        case TrafficShow::split: {
            char text[512];
            std::snprintf(text, sizeof text, tr(S::flood_split_label), title(choice_).c_str(),
                          title(b_.choice).c_str());
            return text;
        }
        case TrafficShow::b:
            return title(b_.choice);
        case TrafficShow::a:
            break;
    }
    return a ? title(choice_) : "";
}

}  // namespace zw::viewer
