// The flood panels (see flood.h): timeline with plots, impacts with exports, and the
// A | B split's label and handle. They read the flood view and the timeline and return
// what the user asked for as intents (intents.h).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/viewer/flood.h"
#include "app/viewer/format.h"
#include "app/viewer/panel.h"
#include "app/viewer/presenter.h"
#include "app/viewer/scene.h"
#include "app/viewer/strings.h"
#include "app/viewer/timeline_panel.h"
#include "engine/scenario/world_grid.h"

namespace zw::viewer {

struct FloodPanels {
    const FloodView& v;
    Intents& asked;

    // The display with one setting changed, as an intent.
    template <typename F>
    void display(F&& change) {
        intent::FloodDisplay d = v.display_;
        change(d);
        asked.emplace_back(d);
    }

    const char* title_of(const FloodSource& s) const {
        const std::string& t = localized(s.title_de, s.title_en);
        return t.empty() ? s.id.c_str() : t.c_str();
    }

    const char* side_title(int side) const {
        const FloodView::Side& s = v.sides_[side];
        return s.choice ? title_of(v.sources_[*s.choice]) : tr(S::flood_none);
    }

    void scenario_combo(int side) {
        const char* label = tr(side == 0 ? S::flood_scenario_a : S::flood_scenario_b);
        ImGui::SetNextItemWidth(fit_width(300, label));
        if (ImGui::BeginCombo(label, side_title(side))) {
            if (side == 1 && ImGui::Selectable(tr(S::flood_none), !v.sides_[1].choice))
                asked.emplace_back(intent::FloodChoose{1, std::nullopt});
            for (size_t i = 0; i < v.sources_.size(); ++i) {
                ImGui::PushID(int(i));
                if (ImGui::Selectable(title_of(v.sources_[i]), v.sides_[side].choice == i)) {
                    asked.emplace_back(intent::FloodChoose{side, i});
                    if (side == 1) display([](intent::FloodDisplay& d) { d.show = FloodShow::split; });
                }
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        const FloodView::Side& s = v.sides_[side];
        if (s.job.valid()) {
            ImGui::TextDisabled("%s", tr(S::flood_loading));
        } else if (!s.error.empty()) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), tr(S::flood_failed), s.error.c_str());
            ImGui::PopTextWrapPos();
        } else if (s.data) {
            ImGui::PushTextWrapPos(0.0f);
            const std::string& d = localized(s.data->description_de, s.data->description_en);
            if (!d.empty()) ImGui::TextDisabled("%s", d.c_str());
            for (const std::string& w : s.data->warnings)
                ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "%s", w.c_str());
            ImGui::PopTextWrapPos();
        }
    }

    // A vertical line over the last plot at fraction `f` of its width.
    static void marker(float f) {
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        const ImVec2 pad = ImGui::GetStyle().FramePadding;
        const float x = a.x + pad.x + std::clamp(f, 0.0f, 1.0f) * (b.x - a.x - 2 * pad.x);
        ImGui::GetWindowDrawList()->AddLine(ImVec2(x, a.y + 1), ImVec2(x, b.y - 1),
                                            IM_COL32(255, 210, 60, 255), 2.0f);
    }

    void timeline(const scenario::Timeline& c) {
        panel_dock(Dock::left);
        ImGui::SetNextWindowBgAlpha(0.85f);
        panel_begin(tr(S::flood_title), nullptr,
                    ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
        if (v.sources_.empty()) {
            ImGui::TextUnformatted(tr(S::flood_no_scenarios));
            panel_end();
            return;
        }
        scenario_combo(0);
        if (v.sources_.size() > 1) scenario_combo(1);
        const FloodData* a = v.data(0);
        const FloodData* b = v.data(1);
        if (!a && !b) {
            panel_end();
            return;
        }
        ImGui::Separator();
        timeline_controls(c, asked);
        const intent::FloodDisplay& shown = v.display_;
        if (a && b) {
            ImGui::TextUnformatted(tr(S::flood_show));
            for (const auto& [show, label] :
                 {std::pair{FloodShow::a, S::flood_show_a}, std::pair{FloodShow::b, S::flood_show_b},
                  std::pair{FloodShow::split, S::flood_show_split}}) {
                same_line_if_fits(toggle_width(tr(label)));
                if (ImGui::RadioButton(tr(label), shown.show == show))
                    display([show = show](intent::FloodDisplay& d) { d.show = show; });
            }
            if (!v.grid_error_.empty()) {
                ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", tr(S::flood_grid_mismatch));
            } else if (shown.show == FloodShow::split) {
                int percent = int(shown.split * 100.0f + 0.5f);
                ImGui::SetNextItemWidth(fit_width(300, tr(S::flood_split)));
                if (ImGui::SliderInt(tr(S::flood_split), &percent, 0, 100, "%d %%"))
                    display([percent](intent::FloodDisplay& d) { d.split = float(percent) / 100.0f; });
            }
        }
        bool water = shown.water_visible;
        if (ImGui::Checkbox(tr(S::flood_water), &water))
            display([water](intent::FloodDisplay& d) { d.water_visible = water; });
        same_line_if_fits(em(100) + toggle_width(tr(S::opacity)));
        int percent = int(shown.opacity * 100.0f + 0.5f);
        ImGui::SetNextItemWidth(fit_width(150, tr(S::opacity)));
        if (ImGui::SliderInt(tr(S::opacity), &percent, 0, 100, "%d %%"))
            display([percent](intent::FloodDisplay& d) { d.opacity = float(percent) / 100.0f; });
        if (shown.water_visible) water_depth_legend();
        v.live_panel(asked);
        plots(c, a ? a : b, a && b ? b : nullptr);
        panel_end();
    }

    void plots(const scenario::Timeline& c, const FloodData* first, const FloodData* second) {
        const float f = c.duration_s > 0 ? float(c.time_s / c.duration_s) : 0.0f;
        if (first->has_scenario) {
            const auto& q = first->inflow_m3s;
            const float qmax = *std::max_element(q.begin(), q.end());
            const double now = scenario::total_inflow(first->scenario, c.time_s);
            char text[64];
            std::snprintf(text, sizeof text, tr(S::flood_inflow_now), num(now, 1).c_str());
            ImGui::TextUnformatted(tr(S::flood_inflow));
            ImGui::PlotLines("##inflow", q.data(), int(q.size()), 0, text, 0.0f, std::max(qmax * 1.1f, 1.0f),
                             ImVec2(ImGui::GetContentRegionAvail().x, em(60)));
            marker(float(first->duration_s > 0 ? c.time_s / first->duration_s : 0.0));
        }
        if (!first->has_impacts) return;
        ImGui::TextUnformatted(tr(S::flood_flooded_over_time));
        float top = 1;
        for (const FloodData* d : {first, second})
            if (d && d->has_impacts)
                top = std::max(top,
                               *std::max_element(d->flooded_over_time.begin(), d->flooded_over_time.end()));
        int k = 0;
        for (const FloodData* d : {first, second}) {
            ++k;
            if (!d || !d->has_impacts || d->flooded_over_time.empty()) continue;
            // The count now: the frame at or before the current time.
            char text[96];
            const char* side = second ? (k == 1 ? "A" : "B") : "A";
            std::snprintf(text, sizeof text, tr(S::flood_flooded_now), side,
                          num(double(scenario::flooded_at(*d, c.time_s)), 0).c_str());
            ImGui::PushID(k);
            ImGui::PlotLines("##flooded", d->flooded_over_time.data(), int(d->flooded_over_time.size()), 0,
                             text, 0.0f, top * 1.15f, ImVec2(ImGui::GetContentRegionAvail().x, em(50)));
            ImGui::PopID();
            const double last = d->frames.times_s.back();
            marker(last > 0 ? float(c.time_s / last) : f);
        }
    }

    std::optional<intent::FlyTo> fly_to(const FloodData& d, const scenario::Site& s) const {
        if (s.footprint.empty() || !v.twin_) return std::nullopt;
        double x = 0, y = 0;
        for (const scenario::Point& p : s.footprint) {
            x += p[0];
            y += p[1];
        }
        x /= double(s.footprint.size());
        y /= double(s.footprint.size());
        double h = v.twin_->origin.height_m - v.twin_->geoid_undulation_m;
        if (const auto cell = scenario::cell_of(d.ground, {x, y})) {
            const double g = d.ground.at((*cell)[0], (*cell)[1]);
            if (!d.ground.is_nodata(g)) h = g;
        }
        intent::FlyTo r;
        r.target = scenario::world_of(x, y, h, v.twin_->geoid_undulation_m);
        const glm::dmat4 enu = frame_at(r.target);
        r.eye = glm::dvec3(enu * glm::dvec4(-60.0, -95.0, 75.0, 1.0));
        return r;
    }

    std::optional<intent::FlyTo> building_list(const FloodData& d) {
        std::optional<intent::FlyTo> fly;
        const auto& list = d.impacts.sites;
        const int n = int(std::count_if(list.begin(), list.end(), [&](const scenario::SiteImpact& s) {
            return s.max_depth_m > d.impacts.wet_m;
        }));
        ImGui::TextDisabled("%s", tr(S::flood_fly_hint));
        const float height = std::min(em(220), ImGui::GetTextLineHeightWithSpacing() * float(n + 1) + 8.0f);
        if (begin_table("##buildings", 3,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV,
                        height)) {
            ImGui::TableSetupScrollFreeze(0, 1);
            name_column(tr(S::flood_col_building));
            value_column(tr(S::flood_col_depth));
            value_column(tr(S::flood_col_wet));
            ImGui::TableHeadersRow();
            ImGuiListClipper clip;
            clip.Begin(n);
            while (clip.Step())
                for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                    const scenario::SiteImpact& si = list[size_t(i)];
                    const scenario::Site& s = d.sites[si.site];
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    ImGui::PushID(i);
                    const std::string label = s.name.empty() ? s.id : s.name;
                    if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns))
                        fly = fly_to(d, s);
                    if (ImGui::IsItemHovered() && !s.kind.empty())
                        ImGui::SetTooltip("%s (%s)", s.kind.c_str(), s.id.c_str());
                    ImGui::PopID();
                    ImGui::TableNextColumn();
                    ImGui::Text(tr(S::flood_depth_m), num(si.max_depth_m, 2).c_str());
                    ImGui::TableNextColumn();
                    wet_text(si.first_wet_s);
                }
            end_table();
        }
        return fly;
    }

    static void wet_text(double first_wet_s) {
        if (first_wet_s >= 0)
            ImGui::Text(tr(S::flood_wet_at), scenario::format_hmm(first_wet_s).c_str());
        else
            ImGui::TextDisabled("%s", tr(S::flood_never));
    }

    void critical_list(const FloodData& d, const char* side) {
        if (d.impacts.critical.empty() || !begin_table(side ? side : "##critical", 3)) return;
        name_column("");
        value_column("");
        value_column("");
        for (const scenario::SiteImpact& si : d.impacts.critical) {
            const scenario::Site& s = d.sites[si.site];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::string name = s.name.empty() ? s.id : s.name;
            ImGui::TextWrapped("%s", side ? (std::string(side) + " " + name).c_str() : name.c_str());
            ImGui::TableNextColumn();
            ImGui::Text(tr(S::flood_depth_m), num(si.max_depth_m, 2).c_str());
            ImGui::TableNextColumn();
            wet_text(si.first_wet_s);
        }
        end_table();
    }

    std::optional<intent::FlyTo> impacts() {
        const FloodData* a = v.data(0);
        const FloodData* b = v.data(1);
        if (!a && !b) return std::nullopt;
        if (!a) std::swap(a, b);
        std::optional<intent::FlyTo> fly;
        panel_dock(Dock::right);
        ImGui::SetNextWindowBgAlpha(0.85f);
        panel_begin(tr(S::flood_impacts_title), nullptr,
                    ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
        const bool compare = b && b->has_impacts;
        if (!a->has_impacts) {
            ImGui::TextUnformatted(tr(S::flood_no_impacts));
        } else {
            const std::vector<scenario::SummaryRow> rows = scenario::summary_rows(
                a->impacts, a->sites, compare ? &b->impacts : nullptr, compare ? &b->sites : nullptr);
            if (begin_table("##summary", compare ? 3 : 2, ImGuiTableFlags_BordersInnerH)) {
                name_column("");
                value_column(compare ? "A" : "");
                if (compare) value_column("B");
                if (compare) ImGui::TableHeadersRow();
                for (const scenario::SummaryRow& r : rows) {
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    using What = scenario::SummaryRow::What;
                    ImGui::TextWrapped("%s", tr(r.what == What::over_10cm   ? S::flood_over_10cm
                                                : r.what == What::over_50cm ? S::flood_over_50cm
                                                                            : S::flood_residents));
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(num(double(r.a), 0).c_str());
                    if (r.b) {
                        ImGui::TableNextColumn();
                        ImGui::TextUnformatted(num(double(*r.b), 0).c_str());
                    }
                }
                end_table();
            }
            if (scenario::critical_known(a->sites) &&
                (!a->impacts.critical.empty() || (compare && !b->impacts.critical.empty()))) {
                ImGui::Spacing();
                ImGui::TextColored(ImVec4(0.65f, 0.8f, 1.0f, 1.0f), "%s", tr(S::flood_critical));
                ImGui::Separator();
                critical_list(*a, compare ? "A" : nullptr);
                if (compare && scenario::critical_known(b->sites)) critical_list(*b, "B");
            }
            ImGui::Spacing();
            ImGui::TextColored(ImVec4(0.65f, 0.8f, 1.0f, 1.0f), "%s", tr(S::flood_buildings));
            ImGui::Separator();
            if (compare) {
                if (ImGui::BeginTabBar("##sides")) {
                    for (const FloodData* d : {a, b}) {
                        const std::string tab =
                            std::string(d == a ? "A: " : "B: ") + localized(d->title_de, d->title_en);
                        if (ImGui::BeginTabItem(tab.c_str())) {
                            if (auto f = building_list(*d)) fly = f;
                            ImGui::EndTabItem();
                        }
                    }
                    ImGui::EndTabBar();
                }
            } else if (auto f = building_list(*a)) {
                fly = f;
            }
        }
        ImGui::Separator();
        export_row(intent::FloodExportCsv{}, intent::SaveWindowPng{}, v.export_message, v.export_failed,
                   asked);
        panel_end();
        return fly;
    }

    // The split's line, the "A: ... | B: ..." label over it and (`handle`) a handle to drag it.
    void split_overlay(bool handle) {
        const FloodData* a = v.data(0);
        const FloodData* b = v.data(1);
        if (!a || !b || v.display_.show != FloodShow::split || !v.grid_error_.empty()) return;
        const ImVec2 size = ImGui::GetIO().DisplaySize;
        const float x = std::round(v.display_.split * size.x);
        ImDrawList* dl = ImGui::GetBackgroundDrawList();
        dl->AddLine(ImVec2(x, 0), ImVec2(x, size.y), IM_COL32(255, 255, 255, 200), 2.0f);
        char label[512];
        std::snprintf(label, sizeof label, tr(S::flood_split_label),
                      localized(a->title_de, a->title_en).c_str(),
                      localized(b->title_de, b->title_en).c_str());
        view_label(x, label, IM_COL32(20, 30, 45, 220));
        if (!handle) return;
        // The handle: a small window, so that dragging it never turns the camera; it stays in
        // the view's middle when the line runs under a column of panels.
        const ImVec2 grip(std::round(em(14)), std::round(em(64)));
        const Box c = view_center();
        const float gx = std::clamp(x - grip.x * 0.5f, c.x, std::max(c.x, c.right() - grip.x));
        ImGui::SetNextWindowPos(ImVec2(gx, c.y + c.h * 0.5f - grip.y * 0.5f), ImGuiCond_Always);
        ImGui::SetNextWindowSize(grip, ImGuiCond_Always);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
        panel_begin("##flood_split", nullptr,
                    ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground |
                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                        ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove);
        ImGui::InvisibleButton("##grip", grip);
        if (ImGui::IsItemActive() && size.x > 0)
            display([&](intent::FloodDisplay& d) {
                d.split = std::clamp(d.split + ImGui::GetIO().MouseDelta.x / size.x, 0.0f, 1.0f);
            });
        const bool hot = ImGui::IsItemHovered() || ImGui::IsItemActive();
        ImGui::GetWindowDrawList()->AddRectFilled(
            ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
            hot ? IM_COL32(255, 210, 60, 255) : IM_COL32(235, 235, 235, 230), 4.0f);
        if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
        panel_end();
        ImGui::PopStyleVar(2);
    }
};

Intents FloodView::split_overlay(bool handle) const {
    Intents asked;
    draw_wall();
    if (live_on_) return asked;  // the live run is drawn full width
    FloodPanels{*this, asked}.split_overlay(handle);
    return asked;
}

std::string FloodView::hud_title() const {
    Intents none;
    const FloodPanels p{*this, none};
    const bool a = data(0) != nullptr, b = data(1) != nullptr;
    if (a && b && display_.show == FloodShow::split) {
        char text[512];
        std::snprintf(text, sizeof text, tr(S::flood_split_label), p.side_title(0), p.side_title(1));
        return text;
    }
    if (b && (!a || display_.show == FloodShow::b)) return p.side_title(1);
    return a ? p.side_title(0) : "";
}

Intents FloodView::panels(const scenario::Timeline& timeline) const {
    Intents asked;
    FloodPanels p{*this, asked};
    p.timeline(timeline);
    if (std::optional<intent::FlyTo> fly = p.impacts()) asked.emplace_back(*fly);
    return asked;
}

}  // namespace zw::viewer
