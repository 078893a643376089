#include "app/viewer/tour.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <utility>

#include "app/viewer/options.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/scenario/ascii_grid.h"

namespace zw::viewer {
namespace {

std::string text_of(const std::string& uri, const core::FetchOptions& fetch) {
    const std::vector<uint8_t> bytes = core::fetch(uri, fetch);
    return std::string(bytes.begin(), bytes.end());
}

// The grid the bake writes (docs/tours.md): x, y east and north of the twin's origin,
// heights above it; NODATA cells have no surface.
twin::SurfaceGrid surface_of(const scenario::AsciiGrid& g) {
    twin::SurfaceGrid s;
    s.nx = g.ncols;
    s.ny = g.nrows;
    s.cell_m = g.cellsize;
    s.origin = {g.xllcorner + 0.5 * g.cellsize, g.yllcorner + 0.5 * g.cellsize};
    s.z.resize(g.values.size());
    for (size_t i = 0; i < g.values.size(); ++i)
        s.z[i] = g.is_nodata(g.values[i]) ? std::numeric_limits<float>::quiet_NaN() : float(g.values[i]);
    return s;
}

const ImVec4 red(1.0f, 0.45f, 0.4f, 1.0f);

}  // namespace

std::string user_views_path(const std::string& folder) {
    return (std::filesystem::path(folder.empty() ? "." : folder) / "ansichten.json").string();
}

TourPlayer::TourPlayer(const Options& o, std::shared_ptr<const twin::Manifest> twin, core::FetchOptions fetch)
    : asked_(o.tour), asked_address_(o.address) {
    if (twin) {
        for (const twin::TourRef& ref : twin->tours)
            jobs_.push_back(std::async(std::launch::async, [ref, fetch] {
                return LoadedTour{twin::parse_tour(text_of(ref.uri, fetch), ref.id), ref.id};
            }));
        if (!twin->addresses.empty())
            addresses_job_ = std::async(std::launch::async, [uri = twin->addresses, fetch] {
                return twin::parse_addresses(text_of(uri, fetch), uri);
            });
        if (!twin->surface.empty())
            surface_job_ = std::async(std::launch::async, [uri = twin->surface, fetch] {
                return surface_of(scenario::parse_ascii_grid(text_of(uri, fetch), uri));
            });
    }
    const bool twin_tour = twin && std::any_of(twin->tours.begin(), twin->tours.end(),
                                               [&](const twin::TourRef& r) { return r.id == o.tour; });
    if (!o.tour.empty() && !twin_tour)
        jobs_.push_back(std::async(std::launch::async, [path = o.tour] {
            LoadedTour t{twin::parse_tour(scenario::read_input_file(path, "tour"), path), path};
            if (t.tour.id.empty()) t.tour.id = std::filesystem::path(path).stem().string();
            return t;
        }));
}

void TourPlayer::take_loads() {
    for (auto it = jobs_.begin(); it != jobs_.end();) {
        if (it->wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            ++it;
            continue;
        }
        try {
            tours_.push_back(it->get());
            core::info("tour '", tours_.back().tour.id, "': ", tours_.back().tour.views.size(), " views");
        } catch (const std::exception& e) {
            core::warn(e.what());
            errors_.push_back(e.what());
        }
        it = jobs_.erase(it);
    }
    // The twin's tours in the manifest's order, a file last.
    std::stable_sort(tours_.begin(), tours_.end(), [&](const LoadedTour& a, const LoadedTour& b) {
        return (a.source == a.tour.id) > (b.source == b.tour.id);
    });
    if (addresses_job_.valid() &&
        addresses_job_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        try {
            addresses_ = addresses_job_.get();
        } catch (const std::exception& e) {
            core::warn(e.what(), "; the address search is off");
            errors_.push_back(e.what());
        }
    }
    if (surface_job_.valid() && surface_job_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        try {
            surface_ = surface_job_.get();
        } catch (const std::exception& e) {
            core::warn(e.what(), "; camera flights keep to their arcs");
        }
    }
}

TourPlayer::Step TourPlayer::update(double dt, const glm::dvec3& eye, const glm::dvec3& target, bool ready) {
    take_loads();
    if (!asked_.empty() && !started_) {
        const auto it = std::find_if(tours_.begin(), tours_.end(), [&](const LoadedTour& t) {
            return t.tour.id == asked_ || t.source == asked_;
        });
        if (it != tours_.end() && !surface_job_.valid()) {
            // The tour begins at its first view, without a flight there.
            started_ = true;
            tour_ = size_t(it - tours_.begin());
            playing_ = true;
            go(0, eye, target, false);
        } else if (jobs_.empty() && it == tours_.end()) {
            started_ = finished_ = failed_ = true;
            if (errors_.empty())
                core::error("no tour '", asked_, "': give a tour file or the id of one of the twin's tours",
                            tours_.empty() ? std::string(" (it has none)")
                                           : " (" + tours_.front().tour.id + ", ...)");
            else
                core::error("cannot play the tour: ", errors_.back());
        }
    }
    Step step;
    if (!asked_address_.empty() && !address_done_ && !addresses_job_.valid() && !surface_job_.valid()) {
        address_done_ = true;
        const std::vector<size_t> found = twin::find_addresses(addresses_, asked_address_, 1);
        if (found.empty()) {
            failed_ = true;
            core::error("no address '", asked_address_, "' in this twin",
                        addresses_.empty()
                            ? std::string(" (it has no address list)")
                            : " (e.g. " + addresses_.front().street + " " + addresses_.front().number + ")");
        } else {
            go_address(found.front(), eye, target, false);
            step.address = &addresses_[found.front()];
        }
    }
    if (free_flight_) {
        free_elapsed_ += dt;
        step.camera = free_flight_->at(free_elapsed_);
        if (free_elapsed_ >= free_flight_->duration_s) free_flight_.reset();
        return step;
    }
    const twin::Tour* t = current();
    if (!t || phase_ == Phase::idle) return step;
    const twin::TourView& v = t->views[view_];
    if (std::exchange(begin_pending_, false)) step.begin = &v;
    if (phase_ == Phase::flying) {
        elapsed_ += dt;
        step.camera = flight_.at(elapsed_);
        if (elapsed_ >= flight_.duration_s) {
            phase_ = Phase::dwelling;
            elapsed_ = 0;
            arrived_pending_ = true;
        }
        return step;
    }
    // Dwelling: it begins once what the view shows is there.
    if (!ready) return step;
    if (std::exchange(arrived_pending_, false)) step.arrived = &v;
    if (!playing_) return step;
    elapsed_ += dt;
    if (elapsed_ < v.dwell_s) return step;
    if (view_ + 1 < t->views.size()) {
        go(view_ + 1, eye, target, true);
    } else {
        playing_ = false;
        if (started_) finished_ = true;
    }
    return step;
}

void TourPlayer::go(size_t view, const glm::dvec3& eye, const glm::dvec3& target, bool fly) {
    const twin::TourView& v = current()->views[view];
    view_ = view;
    flight_ = twin::plan_flight(eye, target, v.eye, v.target, v.flight_s, surface());
    if (!fly) flight_.duration_s = 0;
    phase_ = Phase::flying;
    elapsed_ = 0;
    begin_pending_ = true;
}

void TourPlayer::go_address(size_t i, const glm::dvec3& eye, const glm::dvec3& target, bool fly) {
    // From the south-south-west, 45 degrees down, about 90 m away: the house and its street.
    const glm::dvec3 at = addresses_[i].position + glm::dvec3(0, 0, 4);
    const glm::dvec3 to_eye = at + glm::dvec3(-25, -55, 65);
    free_flight_ = twin::plan_flight(eye, target, to_eye, at, std::nullopt, surface());
    if (!fly) free_flight_->duration_s = 0;
    free_elapsed_ = 0;
    playing_ = false;
    phase_ = Phase::idle;  // no tour view (and no caption) while at an address
}

void TourPlayer::apply(const intent::Tour& a, const glm::dvec3& eye, const glm::dvec3& target) {
    using Op = intent::Tour::Op;
    if (a.op == Op::address) {
        if (a.view < addresses_.size()) go_address(a.view, eye, target, true);
        return;
    }
    if (tours_.empty()) return;
    free_flight_.reset();
    if (!current()) tour_ = 0;
    const size_t n = current()->views.size();
    switch (a.op) {
        case Op::play:  // T: start (again at the first view when it had ended), or stop
            if (playing_) {
                playing_ = false;
            } else {
                playing_ = true;
                if (phase_ == Phase::idle || (phase_ == Phase::dwelling && view_ + 1 >= n && elapsed_ > 0))
                    go(0, eye, target, true);
            }
            break;
        case Op::next:
            go(phase_ == Phase::idle ? 0 : std::min(view_ + 1, n - 1), eye, target, true);
            break;
        case Op::previous:
            go(phase_ == Phase::idle || view_ == 0 ? 0 : view_ - 1, eye, target, true);
            break;
        case Op::go:
            if (a.tour < tours_.size() && a.view < tours_[a.tour].tour.views.size()) {
                tour_ = a.tour;
                go(a.view, eye, target, true);
            }
            break;
        case Op::save:
        case Op::video:
        case Op::address:
            break;  // the session saves and makes videos; addresses are handled above
    }
}

void TourPlayer::save(twin::TourView view, const std::string& folder) {
    const std::string path = user_views_path(folder);
    try {
        twin::Tour mine;
        std::error_code ec;
        if (std::filesystem::exists(path, ec))
            mine = twin::parse_tour(scenario::read_input_file(path, "views file"), path);
        else
            mine = {"ansichten", "Eigene Ansichten", "My views", {}};
        if (mine.views.size() >= twin::max_tour_views)
            fail("'", path, "' holds ", twin::max_tour_views,
                 " views already; move it away to start a new one");
        char title[64];
        std::snprintf(title, sizeof title, "%s %zu", tr(S::tour_view, Lang::de), mine.views.size() + 1);
        view.title_de = title;
        std::snprintf(title, sizeof title, "%s %zu", tr(S::tour_view, Lang::en), mine.views.size() + 1);
        view.title_en = title;
        mine.views.push_back(std::move(view));
        const std::string tmp = path + ".tmp";
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out << twin::tour_json(mine);
            if (!out.flush()) fail("cannot write '", tmp, "' (is the folder writable? --export-dir)");
        }
        std::filesystem::rename(tmp, path);
        save_message = std::string(tr(S::tour_saved)) + "\n" + path;
        save_failed = false;
        core::info("saved view ", mine.views.size(), " to ", path);
        // The user's views are a tour of their own: shown (and updated) in the panel.
        auto it =
            std::find_if(tours_.begin(), tours_.end(), [&](const LoadedTour& t) { return t.source == path; });
        if (it == tours_.end())
            tours_.push_back({std::move(mine), path});
        else
            it->tour = std::move(mine);
    } catch (const std::exception& e) {
        save_message = e.what();
        save_failed = true;
        core::warn(e.what());
    }
}

Intents TourPlayer::panel() {
    Intents asked;
    panel_dock(Dock::left);
    ImGui::SetNextWindowBgAlpha(0.85f);
    if (panel_begin(tr(S::tour_title), nullptr,
                    ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav)) {
        for (size_t ti = 0; ti < tours_.size(); ++ti) {
            const twin::Tour& t = tours_[ti].tour;
            const std::string& title = localized(t.title_de, t.title_en);
            ImGui::TextWrapped("%s", (title.empty() ? t.id : title).c_str());
            ImGui::PushID(int(ti));
            for (size_t vi = 0; vi < t.views.size(); ++vi) {
                const twin::TourView& v = t.views[vi];
                std::string label = localized(v.title_de, v.title_en);
                if (label.empty()) label = v.id.empty() ? std::to_string(vi + 1) : v.id;
                ImGui::PushID(int(vi));
                const bool here = ti == tour_ && vi == view_ && phase_ != Phase::idle;
                if (ImGui::Selectable(label.c_str(), here))
                    asked.push_back(intent::Tour{intent::Tour::Op::go, ti, vi});
                ImGui::PopID();
            }
            ImGui::PopID();
        }
        if (loading()) ImGui::TextDisabled("%s", tr(S::tour_loading));
        if (!addresses_.empty()) {
            ImGui::SetNextItemWidth(fit_width(220, tr(S::address_search)));
            const bool enter = ImGui::InputTextWithHint(tr(S::address_search), tr(S::address_hint), query_,
                                                        sizeof query_, ImGuiInputTextFlags_EnterReturnsTrue);
            if (ImGui::IsItemEdited()) matches_ = twin::find_addresses(addresses_, query_, 6);
            if (enter && !matches_.empty())
                asked.push_back(intent::Tour{intent::Tour::Op::address, 0, matches_.front()});
            for (const size_t i : matches_) {
                const std::string label = addresses_[i].street + " " + addresses_[i].number;
                ImGui::PushID(int(i));
                if (ImGui::Selectable(label.c_str()))
                    asked.push_back(intent::Tour{intent::Tour::Op::address, 0, i});
                ImGui::PopID();
            }
            if (query_[0] && matches_.empty()) ImGui::TextDisabled("%s", tr(S::address_none));
        }
        for (const std::string& e : errors_)
            ImGui::TextColored(red, "%s", e.c_str());
        if (!tours_.empty()) {
            using Op = intent::Tour::Op;
            const char* play = playing_ ? tr(S::tour_stop) : tr(S::tour_play);
            if (ImGui::Button(tr(S::tour_previous))) asked.push_back(intent::Tour{Op::previous});
            same_line_if_fits(button_width(play));
            if (ImGui::Button(play)) asked.push_back(intent::Tour{Op::play});
            same_line_if_fits(button_width(tr(S::tour_next)));
            if (ImGui::Button(tr(S::tour_next))) asked.push_back(intent::Tour{Op::next});
        }
        if (ImGui::Button(tr(S::tour_save))) asked.push_back(intent::Tour{intent::Tour::Op::save});
        if (!tours_.empty()) {
            same_line_if_fits(button_width(tr(S::video_button)));
            if (ImGui::Button(tr(S::video_button))) asked.push_back(intent::Tour{intent::Tour::Op::video});
        }
        if (!save_message.empty()) {
            if (save_failed)
                ImGui::TextColored(red, "%s", save_message.c_str());
            else
                ImGui::TextWrapped("%s", save_message.c_str());
        }
    }
    panel_end();
    return asked;
}

void TourPlayer::caption() const {
    const twin::Tour* t = current();
    if (!t || phase_ == Phase::idle) return;
    const twin::TourView& v = t->views[view_];
    const std::string& title = localized(v.title_de, v.title_en);
    const std::string& text = localized(v.caption_de, v.caption_en);
    if (title.empty() && text.empty()) return;
    char count[32];
    std::snprintf(count, sizeof count, "%zu / %zu", view_ + 1, t->views.size());
    const std::string shown =
        title + (title.empty() ? "" : "  ") + "(" + count + ")" + (text.empty() ? "" : "\n" + text);
    // Over the bottom of the 3D view, larger than the panels' type, clear of the north
    // arrow and scale bar in its bottom right corner.
    const Box c = view_center();
    const float size = ImGui::GetFontSize() * 1.25f, pad = em(8);
    const float wrap = std::max(em(240), c.w - 2.0f * em(120));
    ImFont* font = ImGui::GetFont();
    const ImVec2 ts = font->CalcTextSizeA(size, wrap, wrap, shown.c_str());
    const float x = c.x + 0.5f * (c.w - ts.x), y = c.y + c.h - ts.y - em(24);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    dl->AddRectFilled(ImVec2(x - pad, y - pad), ImVec2(x + ts.x + pad, y + ts.y + pad),
                      IM_COL32(0, 0, 0, 170), em(4));
    dl->AddText(font, size, ImVec2(x, y), IM_COL32(255, 255, 255, 255), shown.c_str(), nullptr, wrap);
}

}  // namespace zw::viewer
