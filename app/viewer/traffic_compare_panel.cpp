// The traffic panel's compare (see traffic.h): scenario B, A | B | split and the plots
// over time inside the panel "Verkehr / Traffic", the split's line and label, and the
// panel "Verkehr: Auswirkungen / Traffic: impacts" (B against A, or A alone: overall,
// per district, the most affected roads, the buildings the fire brigade no longer
// reaches in time, CSV and PNG). They read the traffic view and return intents.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "app/viewer/format.h"
#include "app/viewer/panel.h"
#include "app/viewer/scene.h"
#include "app/viewer/strings.h"
#include "app/viewer/traffic.h"

namespace zw::viewer {

namespace traffic = scenario::traffic;

struct TrafficComparePanel {
    const TrafficView& v;
    Intents& asked;

    const ImVec4 heading{0.65f, 0.8f, 1.0f, 1.0f};
    static constexpr ImU32 colour_a = IM_COL32(110, 190, 255, 255);
    static constexpr ImU32 colour_b = IM_COL32(255, 150, 60, 255);

    const char* title_of(const TrafficSource& s) const {
        const std::string& t = localized(s.title_de, s.title_en);
        return t.empty() ? s.id.c_str() : t.c_str();
    }
    static const char* title_of(const TrafficData& d) {
        const std::string& t = localized(d.title_de, d.title_en);
        return t.empty() ? d.source.id.c_str() : t.c_str();
    }

    void compare(TrafficShow show) {
        intent::TrafficCompareDisplay d = v.compare_;
        d.show = show;
        asked.emplace_back(intent::Traffic{d});
    }

    void b_combo() {
        ImGui::SetNextItemWidth(fit_width(300, tr(S::traffic_scenario_b)));
        const char* shown = v.b_.choice ? title_of(v.sources_[*v.b_.choice]) : tr(S::traffic_none);
        if (ImGui::BeginCombo(tr(S::traffic_scenario_b), shown)) {
            if (ImGui::Selectable(tr(S::traffic_none), !v.b_.choice))
                asked.emplace_back(intent::Traffic{intent::TrafficChooseB{std::nullopt}});
            for (size_t i = 0; i < v.sources_.size(); ++i) {
                ImGui::PushID(int(i));
                if (ImGui::Selectable(title_of(v.sources_[i]), v.b_.choice == i)) {
                    asked.emplace_back(intent::Traffic{intent::TrafficChooseB{i}});
                    compare(TrafficShow::split);
                }
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        ImGui::PushTextWrapPos(0.0f);
        if (v.b_.job.valid())
            ImGui::TextDisabled("%s", tr(S::traffic_loading));
        else if (!v.b_.error.empty())
            ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), tr(S::traffic_failed), v.b_.error.c_str());
        else if (v.b_.data)
            for (const std::string& w : v.b_.data->warnings)
                ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "%s", w.c_str());
        ImGui::PopTextWrapPos();
    }

    void show_controls() {
        if (!v.data_ || !v.b_.data) return;
        ImGui::TextUnformatted(tr(S::flood_show));
        for (const auto& [show, label] :
             {std::pair{TrafficShow::a, S::flood_show_a}, std::pair{TrafficShow::b, S::flood_show_b},
              std::pair{TrafficShow::split, S::flood_show_split}}) {
            same_line_if_fits(toggle_width(tr(label)));
            if (ImGui::RadioButton(tr(label), v.compare_.show == show)) compare(show);
        }
        if (v.compare_.show == TrafficShow::split) {
            int percent = int(v.compare_.split * 100.0f + 0.5f);
            ImGui::SetNextItemWidth(fit_width(300, tr(S::flood_split)));
            if (ImGui::SliderInt(tr(S::flood_split), &percent, 0, 100, "%d %%")) {
                intent::TrafficCompareDisplay d = v.compare_;
                d.split = float(percent) / 100.0f;
                asked.emplace_back(intent::Traffic{d});
            }
        }
    }

    // A plot of `field` over the run for A and B overlaid (A blue, B orange), with a
    // marker at the time shown and the values then as its caption.
    void plot(const char* id, S title, S now_text, std::vector<float> traffic::NetworkSeries::*field) {
        const TrafficData* sides[2] = {v.data_.get(), v.b_.data.get()};
        const double now[2] = {v.shown_s_, v.b_.shown_s};
        double t0 = std::numeric_limits<double>::infinity(), t1 = -t0;
        float top = 1;
        for (const TrafficData* d : sides) {
            if (!d || (d->series.*field).empty()) continue;
            t0 = std::min(t0, d->series.begin_s.front());
            t1 = std::max(t1, d->series.end_s.back());
            for (float f : d->series.*field)
                if (std::isfinite(f)) top = std::max(top, f);
        }
        if (!(t1 > t0)) return;
        ImGui::TextUnformatted(tr(title));
        const ImVec2 size(ImGui::GetContentRegionAvail().x, em(60));
        ImGui::InvisibleButton(id, size);
        const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(lo, hi, ImGui::GetColorU32(ImGuiCol_FrameBg), 3.0f);
        auto x_of = [&](double t) { return lo.x + 4 + float((t - t0) / (t1 - t0)) * (hi.x - lo.x - 8); };
        auto y_of = [&](float f) { return hi.y - 4 - f / (top * 1.1f) * (hi.y - lo.y - 8); };
        char caption[160] = "";
        for (int k = 0; k < 2; ++k) {
            const TrafficData* d = sides[k];
            if (!d || (d->series.*field).empty()) continue;
            const std::vector<float>& f = d->series.*field;
            ImVec2 last(0, 0);
            bool have = false;
            for (size_t i = 0; i < f.size(); ++i) {
                if (!std::isfinite(f[i])) {
                    have = false;
                    continue;
                }
                const ImVec2 p(x_of((d->series.begin_s[i] + d->series.end_s[i]) / 2), y_of(f[i]));
                if (have) dl->AddLine(last, p, k == 0 ? colour_a : colour_b, 2.0f);
                last = p;
                have = true;
            }
            const float value = traffic::series_at(d->series, f, now[k]);
            char part[80];
            std::snprintf(part, sizeof part, tr(now_text), k == 0 ? "A" : "B", num(value, 0).c_str());
            if (std::isfinite(value))
                std::snprintf(caption + std::strlen(caption), sizeof caption - std::strlen(caption), "%s%s",
                              caption[0] ? "   " : "", part);
        }
        const float x = x_of(std::clamp(v.shown_s_, t0, t1));
        dl->AddLine(ImVec2(x, lo.y + 1), ImVec2(x, hi.y - 1), IM_COL32(255, 210, 60, 255), 2.0f);
        dl->AddText(ImVec2(lo.x + 6, lo.y + 3), IM_COL32(235, 235, 235, 255), caption);
    }

    void controls() {
        if (v.sources_.size() > 1) b_combo();
        show_controls();
        if (!v.data_ && !v.b_.data) return;
        plot("##vehicles", S::traffic_plot_vehicles, S::traffic_plot_vehicles_now,
             &traffic::NetworkSeries::vehicles);
        plot("##speed", S::traffic_plot_speed, S::traffic_plot_speed_now, &traffic::NetworkSeries::speed_kmh);
    }

    // The split's line and its label (no handle: the slider moves it), unless the flood
    // draws its own line there.
    void split_overlay() {
        if (v.split_x_ < 0 || v.shown() != TrafficShow::split || !v.data_ || !v.b_.data) return;
        const ImVec2 size = ImGui::GetIO().DisplaySize;
        const float scale =
            ImGui::GetIO().DisplayFramebufferScale.x > 0 ? ImGui::GetIO().DisplayFramebufferScale.x : 1;
        const float x = std::round(v.split_x_ / scale);
        ImDrawList* dl = ImGui::GetBackgroundDrawList();
        dl->AddLine(ImVec2(x, 0), ImVec2(x, size.y), IM_COL32(255, 255, 255, 200), 2.0f);
        char label[512];
        std::snprintf(label, sizeof label, tr(S::flood_split_label), title_of(*v.data_),
                      title_of(*v.b_.data));
        view_label(x, label, IM_COL32(45, 30, 20, 220));  // under the flood's, where both are shown
    }

    // ---- The impacts panel ----

    std::optional<intent::FlyTo> fly_to(const glm::dvec3& epsg) const {
        if (!v.reader_) return std::nullopt;
        intent::FlyTo r;
        r.target = v.frame_.world(epsg - v.reader_->origin());
        const glm::dmat4 enu = frame_at(r.target);
        r.eye = glm::dvec3(enu * glm::dvec4(-60.0, -95.0, 75.0, 1.0));
        return r;
    }

    // A building's height: that of the nearest road point of the network (the buildings
    // stand by their roads), else the bundle origin's.
    double ground_of(glm::dvec2 p) const {
        double best = std::numeric_limits<double>::infinity(), z = v.reader_ ? v.reader_->origin().z : 0.0;
        if (const auto& net = v.data_->network)
            for (const traffic::Edge& e : net->edges)
                for (const traffic::Lane& l : e.lanes)
                    for (const glm::dvec3& q : l.shape)
                        if (const double d = glm::length(glm::dvec2(q) - p); d < best) {
                            best = d;
                            z = q.z;
                        }
        return z;
    }

    // B - A with its sign and `unit` (" min"), coloured: worse (more, unless `worse_is_more`
    // is false) red, better green, no change grey.
    static void change_cell(double a, std::optional<double> b, int decimals, bool worse_is_more = true,
                            const char* unit = "") {
        ImGui::TableNextColumn();
        if (!b) return;
        const double d = *b - a;
        const bool neutral = std::abs(d) < 1e-9;
        const ImVec4 colour = neutral                    ? ImVec4(0.8f, 0.8f, 0.8f, 1.0f)
                              : (d > 0) == worse_is_more ? ImVec4(1.0f, 0.55f, 0.4f, 1.0f)
                                                         : ImVec4(0.5f, 0.9f, 0.5f, 1.0f);
        ImGui::TextColored(colour, "%s%s", num_signed(d, decimals).c_str(), unit);
    }

    void overall(const traffic::ImpactsReport& r, bool compare) {
        ImGui::TextColored(heading, "%s", tr(S::traffic_overall));
        if (!begin_table("##overall", compare ? 4 : 2, ImGuiTableFlags_BordersInnerH)) return;
        name_column("");
        value_column("A");
        if (compare) {
            value_column("B");
            value_column(tr(S::traffic_col_change));
            ImGui::TableHeadersRow();
        }
        using W = traffic::OverallRow::What;
        for (const traffic::OverallRow& o : r.overall) {
            const bool minutes = o.what == W::mean_travel_time_s;
            const double scale = minutes ? 1.0 / 60.0 : 1.0;
            const int decimals = minutes || o.what == W::time_loss_vh ? 1 : 0;
            auto text = [&](double x) { return num(x, decimals) + (minutes ? " min" : ""); };
            const S label = o.what == W::mean_travel_time_s ? S::traffic_mean_travel
                            : o.what == W::time_loss_vh     ? S::traffic_delay
                            : o.what == W::vehicle_km       ? S::traffic_vehicle_km
                            : o.what == W::arrived          ? S::traffic_arrived
                                                            : S::traffic_not_started;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", tr(label));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(text(o.a * scale).c_str());
            if (!compare) continue;
            ImGui::TableNextColumn();
            if (o.b) ImGui::TextUnformatted(text(*o.b * scale).c_str());
            std::optional<double> b;
            if (o.b) b = *o.b * scale;
            change_cell(o.a * scale, b, decimals, o.what != W::arrived, minutes ? " min" : "");
        }
        end_table();
    }

    void districts(const traffic::ImpactsReport& r, bool compare) {
        ImGui::Spacing();
        ImGui::TextColored(heading, "%s", tr(S::traffic_districts));
        if (r.districts.empty()) {
            ImGui::TextDisabled("%s", tr(S::traffic_no_districts));
            return;
        }
        const float height =
            std::min(em(190), ImGui::GetTextLineHeightWithSpacing() * float(r.districts.size() + 1) + 8.0f);
        if (!begin_table("##districts", compare ? 5 : 3,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV,
                         height))
            return;
        ImGui::TableSetupScrollFreeze(0, 1);
        name_column(tr(S::traffic_col_district));
        value_column(tr(S::traffic_col_trips));
        value_column("A");
        if (compare) {
            value_column("B");
            value_column(tr(S::traffic_col_change));
        }
        ImGui::TableHeadersRow();
        for (const traffic::DistrictRow& d : r.districts) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", d.outside ? tr(S::traffic_outside) : d.name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(num(double(d.a.trips), 0).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s min", num(d.a.mean_travel_time_s / 60.0, 1).c_str());
            if (!compare || !d.b) continue;
            ImGui::TableNextColumn();
            ImGui::Text("%s min", num(d.b->mean_travel_time_s / 60.0, 1).c_str());
            change_cell(d.a.mean_travel_time_s / 60.0, d.b->mean_travel_time_s / 60.0, 1);
        }
        end_table();
    }

    std::optional<intent::FlyTo> roads(const traffic::ImpactsReport& r, bool compare) {
        std::optional<intent::FlyTo> fly;
        ImGui::Spacing();
        ImGui::TextColored(heading, "%s",
                           tr(compare ? S::traffic_affected_roads : S::traffic_affected_roads_alone));
        if (r.roads.empty()) {
            ImGui::TextDisabled("%s", tr(S::traffic_no_roads));
            return fly;
        }
        ImGui::TextDisabled("%s", tr(S::flood_fly_hint));
        const float height =
            std::min(em(220), ImGui::GetTextLineHeightWithSpacing() * float(r.roads.size() + 1) + 8.0f);
        if (!begin_table("##roads", compare ? 5 : 3,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV,
                         height))
            return fly;
        char flow_a[32], flow_b[32];
        std::snprintf(flow_a, sizeof flow_a, "%s%s", compare ? "A " : "", tr(S::traffic_col_flow));
        std::snprintf(flow_b, sizeof flow_b, "B %s", tr(S::traffic_col_flow));
        ImGui::TableSetupScrollFreeze(0, 1);
        name_column(tr(S::traffic_col_road));
        value_column(flow_a);
        if (compare) {
            value_column(flow_b);
            value_column(tr(S::traffic_col_change));
        }
        value_column(tr(S::traffic_col_speed));
        ImGui::TableHeadersRow();
        for (size_t i = 0; i < r.roads.size(); ++i) {
            const traffic::RoadChange& c = r.roads[i];
            const std::string& name = r.road_names[i];
            const std::string label = name.empty() ? c.edge : name;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(int(i));
            if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
                const TrafficData* d =
                    v.data_->network && v.data_->network->edge(c.edge) ? v.data_.get() : v.b_.data.get();
                if (d && d->network)
                    if (const auto m = traffic::edge_middle(*d->network, c.edge)) fly = fly_to(*m);
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", c.edge.c_str());
            ImGui::PopID();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(num(c.flow_a_vph, 0).c_str());
            if (compare) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(num(c.flow_b_vph.value_or(0), 0).c_str());
                change_cell(c.flow_a_vph, c.flow_b_vph, 0);
            }
            ImGui::TableNextColumn();
            const double sa = c.speed_a_ms * 3.6, sb = c.speed_b_ms.value_or(std::nan("")) * 3.6;
            auto speed = [](double s) { return std::isfinite(s) ? num(s, 0) : std::string("-"); };
            if (compare)
                ImGui::Text("%s > %s", speed(sa).c_str(), speed(sb).c_str());
            else
                ImGui::TextUnformatted(speed(sa).c_str());
        }
        end_table();
        return fly;
    }

    std::optional<intent::FlyTo> emergency(const traffic::ImpactsReport& r, bool compare) {
        std::optional<intent::FlyTo> fly;
        const TrafficData& a = *v.data_;
        if (!r.emergency_a) return fly;
        ImGui::Spacing();
        ImGui::TextColored(heading, "%s (%s min)", tr(compare ? S::traffic_lost : S::traffic_lost_alone),
                           num(a.emergency_target_s / 60.0, 0).c_str());
        const bool listed = !a.reach.empty() && (!compare || !v.b_.data->reach.empty());
        if (!listed) {
            // The citizens' twin: counts only, never the buildings.
            const uint64_t late_a = (*r.emergency_a)[1] + (*r.emergency_a)[2];
            if (compare && r.emergency_b) {
                const uint64_t late_b = (*r.emergency_b)[1] + (*r.emergency_b)[2];
                ImGui::Text("%s: A %s  >  B %s", tr(S::traffic_late), num(double(late_a), 0).c_str(),
                            num(double(late_b), 0).c_str());
            } else {
                ImGui::Text(tr(S::traffic_lost_count), num(double(late_a), 0).c_str());
            }
            ImGui::TextDisabled("%s", tr(S::traffic_lost_counts_only));
            return fly;
        }
        ImGui::Text(tr(S::traffic_lost_count), num(double(r.lost.size()), 0).c_str());
        if (r.lost.empty()) return fly;
        const float height =
            std::min(em(160), ImGui::GetTextLineHeightWithSpacing() * float(r.lost.size() + 1) + 8.0f);
        if (!begin_table("##lost", 3,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV,
                         height))
            return fly;
        ImGui::TableSetupScrollFreeze(0, 1);
        name_column(tr(S::flood_col_building));
        value_column(compare ? "A" : tr(S::traffic_emergency_open));
        value_column(compare ? "B" : tr(S::traffic_emergency_worst));
        ImGui::TableHeadersRow();
        ImGuiListClipper clip;
        clip.Begin(int(r.lost.size()));
        while (clip.Step())
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const traffic::LostBuilding& l = r.lost[size_t(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(i);
                if (ImGui::Selectable(l.id.c_str(), false, ImGuiSelectableFlags_SpanAllColumns) && l.position)
                    fly = fly_to(glm::dvec3(*l.position, ground_of(*l.position)));
                ImGui::PopID();
                for (const std::optional<double>& t : {l.a_s, l.b_s}) {
                    ImGui::TableNextColumn();
                    if (t)
                        ImGui::Text("%s min", num(*t / 60.0, 1).c_str());
                    else
                        ImGui::TextDisabled("%s", tr(S::traffic_unreachable));
                }
            }
        end_table();
        return fly;
    }

    void impacts(bool flood_panels) {
        if (!v.data_) return;
        // In the right column; with the flood's panels open it starts collapsed under them.
        panel_dock(Dock::right);
        if (flood_panels) ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowBgAlpha(0.85f);
        if (!panel_begin(tr(S::traffic_impacts_title), nullptr,
                         ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing)) {
            panel_end();
            return;
        }
        const bool compare = v.b_.data != nullptr;
        if (compare) {
            char label[512];
            std::snprintf(label, sizeof label, tr(S::flood_split_label), title_of(*v.data_),
                          title_of(*v.b_.data));
            ImGui::TextUnformatted(label);
        } else {
            ImGui::TextDisabled("%s", tr(S::traffic_impacts_alone));
        }
        ImGui::Separator();
        const traffic::ImpactsReport r = v.impacts();
        std::optional<intent::FlyTo> fly;
        overall(r, compare);
        districts(r, compare);
        if (auto f = roads(r, compare)) fly = f;
        if (auto f = emergency(r, compare)) fly = f;
        ImGui::Separator();
        export_row(intent::Traffic{intent::TrafficExportCsv{}}, intent::SaveWindowPng{true}, v.export_message,
                   v.export_failed, asked);
        panel_end();
        if (fly) asked.emplace_back(*fly);
    }
};

void TrafficView::compare_controls(const scenario::Timeline&, Intents& asked) const {
    TrafficComparePanel{*this, asked}.controls();
}

void TrafficView::impacts_panel(bool flood_panels, Intents& asked) const {
    TrafficComparePanel p{*this, asked};
    p.split_overlay();
    p.impacts(flood_panels);
}

}  // namespace zw::viewer
