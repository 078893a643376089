// The flood view's live mode: a mobile wall drawn on the ground, the solver run on a
// worker thread from t = 0 with it (engine/scenario/flood/live.h), the water growing.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/viewer/flood.h"
#include "app/viewer/format.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/scenario/flood/frame_grids.h"
#include "engine/scenario/geometry.h"
#include "engine/scenario/world_grid.h"

namespace zw::viewer {

bool FloodView::click(const glm::dvec3& eye, const glm::dvec3& dir) {
    const FloodData* a = data(0);
    if (!live_drawing_ || !a || !a->has_scenario) return false;
    if (const auto p = scenario::ground_hit(a->ground, a->world, eye, dir)) add_wall_point(*p);
    return true;  // a miss (the sky) is taken too: no feature pick while drawing
}

void FloodView::add_wall_point(const scenario::Point& p) {
    wall_.push_back(p);
    if (wall_.size() >= 2) live_start();
}

void FloodView::clear_wall() {
    wall_.clear();
    if (live_on_) live_start();
}

void FloodView::live_start() {
    live_error.clear();
    const FloodData* a = data(0);
    try {
        if (!a || !a->has_scenario) fail("scenario A is not loaded (or is an import without a scenario)");
        scenario::FloodSetup setup = scenario::live_setup(*a, wall_, live_height_m_);
        live_until_s_ =
            o_.flood_live_until_s > 0 ? std::min(o_.flood_live_until_s, a->duration_s) : a->duration_s;
        // One solver thread: the other core keeps the view smooth.
        live_.start(std::move(setup), live_until_s_);
        live_snap_ = {};
        live_on_ = true;
        live_flooded_ = 0;
        core::info("flood live: running '", a->source.id, "' with a wall of ", wall_.size(), " points, ",
                   live_height_m_, " m high, until ", live_until_s_, " s");
    } catch (const std::exception& e) {
        live_error = e.what();
        core::warn("flood live: ", e.what());
    }
}

void FloodView::live_stop() {
    live_.stop();
    live_on_ = false;
    drawn_time_ = -1;  // the stored frames again
}

void FloodView::apply(const intent::FloodLive& a) {
    using Op = intent::FloodLive::Op;
    switch (a.op) {
        case Op::draw:
            live_drawing_ = a.drawing;
            break;
        case Op::height:
            live_height_m_ = std::clamp(a.height_m, 0.3f, 3.0f);
            if (a.restart && live_on_) live_start();
            break;
        case Op::run:
            live_start();
            break;
        case Op::clear:
            clear_wall();
            break;
        case Op::stop:
            live_stop();
            break;
    }
}

bool FloodView::live_update(scenario::Timeline& timeline, render::Water& water) {
    const FloodData* a = data(0);
    if (live_headless_ && !live_headless_started_ && a) {
        live_headless_started_ = true;
        wall_ = o_.flood_live_wall;
        live_height_m_ = float(o_.flood_live_height_m);
        live_start();
    }
    if (!live_on_) return false;
    if (!a) {
        live_stop();
        return false;
    }
    water.split_x = -1;
    if (live_.latest(live_snap_)) {
        if (!live_snap_.error.empty()) {
            live_error = live_snap_.error;
            live_stop();
            return false;
        }
        // The timeline and the plots' markers show the live run's time.
        timeline.pause();
        timeline.time_s = live_snap_.t_s;
        if (live_snap_.depth.size() == size_t(a->world.nx) * a->world.ny) {
            water.set_frame(0, {live_snap_.depth, live_snap_.velocity});
            if (!a->sites.empty()) live_flooded_ = scenario::sites_flooded(*a, live_snap_.depth);
        }
    }
    return true;
}

void FloodView::write_live_depth(const std::string& path) const {
    const FloodData* a = data(0);
    if (!a || live_snap_.depth.size() != a->ground.values.size())
        fail("the live run has no depth to write (did scenario A load?)");
    scenario::write_ascii_grid(path, scenario::depth_grid(a->ground, live_snap_.depth), 3);
}

void FloodView::live_panel(Intents& asked) const {
    using Op = intent::FloodLive::Op;
    const FloodData* a = data(0);
    if (!a || !a->has_scenario) return;
    ImGui::Separator();
    ImGui::TextUnformatted(tr(S::flood_live));
    bool drawing = live_drawing_;
    if (ImGui::Checkbox(tr(S::flood_live_draw), &drawing))
        asked.emplace_back(intent::FloodLive{Op::draw, drawing});
    ImGui::SetNextItemWidth(fit_width(150, tr(S::flood_live_height)));
    // The wall takes the height while it is dragged; a running live run restarts with it
    // when the drag ends.
    float height = live_height_m_;
    char shown[32];  // the value in the UI's style (a format without conversions is shown as is)
    std::snprintf(shown, sizeof shown, tr(S::flood_live_height_value), num(height, 1).c_str());
    if (ImGui::SliderFloat(tr(S::flood_live_height), &height, 0.3f, 3.0f, shown))
        asked.emplace_back(intent::FloodLive{Op::height, drawing, height, false});
    if (ImGui::IsItemDeactivatedAfterEdit())
        asked.emplace_back(intent::FloodLive{Op::height, drawing, height, true});
    if (ImGui::Button(tr(S::flood_live_run))) asked.emplace_back(intent::FloodLive{Op::run});
    same_line_if_fits(button_width(tr(S::flood_live_clear)));
    if (ImGui::Button(tr(S::flood_live_clear))) asked.emplace_back(intent::FloodLive{Op::clear});
    if (live_on_) {
        same_line_if_fits(button_width(tr(S::flood_live_stop)));
        if (ImGui::Button(tr(S::flood_live_stop))) asked.emplace_back(intent::FloodLive{Op::stop});
    }
    if (live_drawing_) ImGui::TextDisabled("%s", tr(S::flood_live_hint));
    if (!wall_.empty())
        ImGui::Text(tr(S::flood_live_wall_info), int(wall_.size()),
                    num(scenario::polyline_length(wall_), 0).c_str());
    if (live_on_ && live_snap_.version > 0)
        ImGui::Text(tr(S::flood_live_status), scenario::format_hmm(live_snap_.t_s).c_str(),
                    num(live_snap_.sim_per_wall, 0).c_str(), num(double(live_flooded_), 0).c_str());
    if (!live_error.empty())
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), tr(S::flood_live_failed), live_error.c_str());
}

void FloodView::draw_wall() const {
    const FloodData* a = data(0);
    if (!a || wall_.empty() || !twin_) return;
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    std::optional<ImVec2> previous;
    for (const scenario::Point& p : wall_) {
        double h = 0;
        if (const auto cell = scenario::cell_of(a->ground, p)) h = a->ground.at((*cell)[0], (*cell)[1]);
        const glm::dvec3 w = scenario::world_of(p[0], p[1], h + live_height_m_, twin_->geoid_undulation_m);
        const glm::dvec4 clip = view_projection_ * glm::dvec4(w - eye_, 1.0);
        if (clip.w <= 1e-6) {
            previous.reset();
            continue;
        }
        const ImVec2 s(float((clip.x / clip.w * 0.5 + 0.5) * size.x),
                       float((clip.y / clip.w * 0.5 + 0.5) * size.y));
        if (previous) dl->AddLine(*previous, s, IM_COL32(255, 140, 30, 255), 4.0f);
        dl->AddCircleFilled(s, 5.0f, IM_COL32(255, 200, 60, 255));
        previous = s;
    }
}

}  // namespace zw::viewer
