// The flood panels (see flood.h): timeline with plots, impacts with exports, and the
// A | B split's label and handle. They read the flood view and the timeline and return
// what the user asked for as intents (intents.h).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/viewer/flood.h"
#include "app/viewer/panel.h"
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

    // The panels sit in the bottom corners: placed again while ImGui sizes them (their
    // contents change as scenarios load), then where the user moves them.
    ImGuiCond place() const { return v.placing_frames_ > 0 ? ImGuiCond_Always : ImGuiCond_FirstUseEver; }

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
        ImGui::SetNextItemWidth(300);
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
            ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 420);
            ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), tr(S::flood_failed), s.error.c_str());
            ImGui::PopTextWrapPos();
        } else if (s.data) {
            ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 420);
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
        const ImVec2 size = ImGui::GetIO().DisplaySize;
        ImGui::SetNextWindowPos(ImVec2(10, size.y - 10), place(), ImVec2(0.0f, 1.0f));
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
                ImGui::SameLine();
                if (ImGui::RadioButton(tr(label), shown.show == show))
                    display([show = show](intent::FloodDisplay& d) { d.show = show; });
            }
            if (!v.grid_error_.empty()) {
                ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", tr(S::flood_grid_mismatch));
            } else if (shown.show == FloodShow::split) {
                int percent = int(shown.split * 100.0f + 0.5f);
                ImGui::SetNextItemWidth(300);
                if (ImGui::SliderInt(tr(S::flood_split), &percent, 0, 100, "%d %%"))
                    display([percent](intent::FloodDisplay& d) { d.split = float(percent) / 100.0f; });
            }
        }
        bool water = shown.water_visible;
        if (ImGui::Checkbox(tr(S::flood_water), &water))
            display([water](intent::FloodDisplay& d) { d.water_visible = water; });
        ImGui::SameLine();
        int percent = int(shown.opacity * 100.0f + 0.5f);
        ImGui::SetNextItemWidth(150);
        if (ImGui::SliderInt(tr(S::opacity), &percent, 0, 100, "%d %%"))
            display([percent](intent::FloodDisplay& d) { d.opacity = float(percent) / 100.0f; });
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
            std::snprintf(text, sizeof text, tr(S::flood_inflow_now), now);
            ImGui::TextUnformatted(tr(S::flood_inflow));
            ImGui::PlotLines("##inflow", q.data(), int(q.size()), 0, text, 0.0f, std::max(qmax * 1.1f, 1.0f),
                             ImVec2(420, 60));
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
                          double(scenario::flooded_at(*d, c.time_s)));
            ImGui::PushID(k);
            ImGui::PlotLines("##flooded", d->flooded_over_time.data(), int(d->flooded_over_time.size()), 0,
                             text, 0.0f, top * 1.15f, ImVec2(420, 50));
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
        const float height = std::min(220.0f, ImGui::GetTextLineHeightWithSpacing() * float(n + 1) + 8.0f);
        if (ImGui::BeginTable("##buildings", 3,
                              ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV,
                              ImVec2(420, height))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn(tr(S::flood_col_building), ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn(tr(S::flood_col_depth), ImGuiTableColumnFlags_WidthFixed, 80);
            ImGui::TableSetupColumn(tr(S::flood_col_wet), ImGuiTableColumnFlags_WidthFixed, 70);
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
                    ImGui::Text(tr(S::flood_depth_m), si.max_depth_m);
                    ImGui::TableNextColumn();
                    wet_text(si.first_wet_s);
                }
            ImGui::EndTable();
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
        for (const scenario::SiteImpact& si : d.impacts.critical) {
            const scenario::Site& s = d.sites[si.site];
            if (side) {
                ImGui::TextUnformatted(side);
                ImGui::SameLine();
            }
            ImGui::TextUnformatted((s.name.empty() ? s.id : s.name).c_str());
            ImGui::SameLine(230);
            ImGui::Text(tr(S::flood_depth_m), si.max_depth_m);
            ImGui::SameLine(310);
            wet_text(si.first_wet_s);
        }
    }

    std::optional<intent::FlyTo> impacts() {
        const FloodData* a = v.data(0);
        const FloodData* b = v.data(1);
        if (!a && !b) return std::nullopt;
        if (!a) std::swap(a, b);
        std::optional<intent::FlyTo> fly;
        const ImVec2 size = ImGui::GetIO().DisplaySize;
        ImGui::SetNextWindowPos(ImVec2(size.x - 10, size.y - 10), place(), ImVec2(1.0f, 1.0f));
        ImGui::SetNextWindowBgAlpha(0.85f);
        panel_begin(tr(S::flood_impacts_title), nullptr,
                    ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
        const bool compare = b && b->has_impacts;
        if (!a->has_impacts) {
            ImGui::TextUnformatted(tr(S::flood_no_impacts));
        } else {
            const std::vector<scenario::SummaryRow> rows = scenario::summary_rows(
                a->impacts, a->sites, compare ? &b->impacts : nullptr, compare ? &b->sites : nullptr);
            if (ImGui::BeginTable("##summary", compare ? 3 : 2, ImGuiTableFlags_BordersInnerH)) {
                ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 220);
                ImGui::TableSetupColumn(compare ? "A" : "", ImGuiTableColumnFlags_WidthFixed, 90);
                if (compare) ImGui::TableSetupColumn("B", ImGuiTableColumnFlags_WidthFixed, 90);
                if (compare) ImGui::TableHeadersRow();
                for (const scenario::SummaryRow& r : rows) {
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    using What = scenario::SummaryRow::What;
                    ImGui::TextUnformatted(tr(r.what == What::over_10cm   ? S::flood_over_10cm
                                              : r.what == What::over_50cm ? S::flood_over_50cm
                                                                          : S::flood_residents));
                    ImGui::TableNextColumn();
                    ImGui::Text("%llu", static_cast<unsigned long long>(r.a));
                    if (r.b) {
                        ImGui::TableNextColumn();
                        ImGui::Text("%llu", static_cast<unsigned long long>(*r.b));
                    }
                }
                ImGui::EndTable();
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
        if (ImGui::Button(tr(S::flood_export_csv))) asked.emplace_back(intent::FloodExportCsv{});
        ImGui::SameLine();
        if (ImGui::Button(tr(S::flood_export_png))) asked.emplace_back(intent::SaveWindowPng{});
        if (!v.export_message.empty()) {
            ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 420);
            if (v.export_failed)
                ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), tr(S::flood_export_failed),
                                   v.export_message.c_str());
            else
                ImGui::TextDisabled(tr(S::flood_exported), v.export_message.c_str());
            ImGui::PopTextWrapPos();
        }
        panel_end();
        return fly;
    }

    // The split's line, the "A: ... | B: ..." label over it and a handle to drag it.
    void split_overlay() {
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
        const ImVec2 ts = ImGui::CalcTextSize(label);
        const float lx = std::clamp(x - ts.x * 0.5f, 6.0f, std::max(6.0f, size.x - ts.x - 6.0f));
        const float ly = 86;
        dl->AddRectFilled(ImVec2(lx - 6, ly - 3), ImVec2(lx + ts.x + 6, ly + ts.y + 3),
                          IM_COL32(20, 30, 45, 220), 4.0f);
        dl->AddText(ImVec2(lx, ly), IM_COL32(255, 255, 255, 255), label);
        // The handle: a small window, so that dragging it never turns the camera.
        const ImVec2 grip(14, 64);
        ImGui::SetNextWindowPos(ImVec2(x - grip.x * 0.5f, size.y * 0.5f - grip.y * 0.5f), ImGuiCond_Always);
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

Intents FloodView::split_overlay() const {
    Intents asked;
    draw_wall();
    if (live_on_) return asked;  // the live run is drawn full width
    FloodPanels{*this, asked}.split_overlay();
    return asked;
}

Intents FloodView::panels(const scenario::Timeline& timeline) const {
    Intents asked;
    FloodPanels p{*this, asked};
    p.timeline(timeline);
    if (std::optional<intent::FlyTo> fly = p.impacts()) asked.emplace_back(*fly);
    return asked;
}

}  // namespace zw::viewer
