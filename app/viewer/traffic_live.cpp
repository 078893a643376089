// The traffic view's live what-if (traffic_live.h): the road picked by a click or from the
// list, the live run started, watched and cancelled, its result added as a traffic source.
#include "app/viewer/traffic_live.h"

#include <imgui.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/viewer/config.h"
#include "app/viewer/format.h"
#include "app/viewer/panel.h"
#include "app/viewer/strings.h"
#include "app/viewer/traffic.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"
#include "engine/scenario/sumo/live.h"
#include "engine/scenario/traffic/road_pick.h"

namespace zw::viewer {
namespace {

namespace fs = std::filesystem;
namespace traffic = scenario::traffic;
namespace sumo = scenario::sumo;
using nlohmann::json;

// A file a served scenario names (its network, its demand) that may be fetched beside it: a
// plain relative path, never out of its folder.
bool plain_relative(const std::string& name) {
    if (name.empty() || name[0] == '/' || name.find('\\') != std::string::npos ||
        name.find(':') != std::string::npos)
        return false;
    for (const auto& part : fs::path(name))
        if (part == ".." || part == ".") return false;
    return true;
}

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out.flush()) fail("could not write '", path.string(), "' (is the disk full?)");
}

// The scenario's inputs: from the twin's folder; a served twin's files are fetched into
// `dir` first (the scenario and the two files it names, beside it as on the server).
std::shared_ptr<const sumo::TrafficInputs> read_inputs(const TrafficSource& src,
                                                       const core::FetchOptions& fetch, const fs::path& dir) {
    if (src.scenario_uri.empty())
        fail("traffic scenario '", src.id, "' has no scenario file in this twin; a live run needs one");
    if (!core::is_http(src.scenario_uri))
        return std::make_shared<const sumo::TrafficInputs>(
            sumo::read_traffic_inputs(core::file_path_of(src.scenario_uri)));
    const std::vector<uint8_t> bytes = core::fetch(src.scenario_uri, fetch);
    fs::create_directories(dir);
    const fs::path file = dir / "scenario.json";
    const traffic::TrafficScenario sc = traffic::parse_traffic_scenario(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), file.string());
    for (const std::string* name : {&sc.network_name, &sc.demand_name}) {
        if (!plain_relative(*name))
            fail("traffic scenario '", core::display_uri(src.scenario_uri), "' names '", *name,
                 "': a live run on a served twin fetches only files in the scenario's folder");
        const fs::path to = dir / *name;
        fs::create_directories(to.parent_path());
        write_file(to, core::fetch(core::resolve_uri(src.scenario_uri, *name), fetch));
    }
    write_file(file, bytes);
    return std::make_shared<const sumo::TrafficInputs>(sumo::read_traffic_inputs(file.string()));
}

// Where the ray from `eye` along `dir` (world) meets the level plane at height `z` (above
// sea level), as EPSG:25832 easting, northing and z: the frame's linear part inverted
// (second-order terms are centimetres within a town, a click is metres).
std::optional<glm::dvec3> plane_hit(const TrafficFrame& f, const glm::dvec3& origin, const glm::dvec3& eye,
                                    const glm::dvec3& dir, double z) {
    const glm::dmat3 to_local = glm::inverse(glm::dmat3(f.east, f.north, f.up));
    const glm::dvec3 e = to_local * (eye - f.origin_world), d = to_local * dir;
    if (std::abs(d.z) < 1e-9) return std::nullopt;
    const double t = (z - origin.z - e.z) / d.z;
    if (!(t > 0)) return std::nullopt;
    return origin + e + t * d;
}

std::string hmm(double s) {
    return scenario::format_hmm(s);
}

}  // namespace

TrafficLiveState::TrafficLiveState() : run(std::make_unique<sumo::LiveRun>()) {}
TrafficLiveState::~TrafficLiveState() = default;

bool TrafficView::live_running() const {
    return live_->run->running();
}

bool TrafficView::live_waiting() const {
    return !o_.traffic_close_edge.empty() && !live_->headless_done && error_.empty();
}

size_t TrafficView::add_live_result(TrafficSource source) {
    sources_.push_back(std::move(source));
    const size_t index = sources_.size() - 1;
    if (choice_) {
        // Kept as B beside the scenario it came from (A), split, so the two are compared.
        choose_b(index);
        compare_.show = TrafficShow::split;
    } else {
        choose(index);
    }
    return index;
}

// The scenario a source runs: itself, or for a live result the scenario it came from.
static const TrafficSource* base_source(const std::vector<TrafficSource>& sources,
                                        const std::optional<size_t>& choice, const TrafficLiveState& l) {
    if (!choice || *choice >= sources.size()) return nullptr;
    const TrafficSource& s = sources[*choice];
    const auto it = l.base_of.find(s.id);
    if (it == l.base_of.end()) return &s;
    for (const TrafficSource& b : sources)
        if (b.id == it->second) return &b;
    return nullptr;
}

// Reads the inputs of the chosen scenario on a worker, unless they are read or being read.
static void need_inputs(TrafficLiveState& l, const TrafficSource& src, const core::FetchOptions& fetch) {
    if (l.inputs_for == src.id && (l.inputs || l.inputs_job.valid() || !l.inputs_error.empty())) return;
    if (l.inputs_job.valid()) l.inputs_job.wait();  // another scenario's: dropped
    l.inputs_for = src.id;
    l.inputs.reset();
    l.inputs_error.clear();
    l.streets.clear();
    if (l.temp_dir.empty())
        l.temp_dir = (fs::temp_directory_path() / ("zwilling-live-" + std::to_string(::getpid()))).string();
    const fs::path dir = fs::path(l.temp_dir) / ("inputs-" + std::to_string(l.runs) + "-" + src.id);
    core::info("traffic live: reading the network and demand of '", src.id, "'");
    l.inputs_job = std::async(std::launch::async, [src, fetch, dir] { return read_inputs(src, fetch, dir); });
}

// The road of `e` (both directions), or its whole street.
static void pick_edge(TrafficLiveState& l, const traffic::Edge& e) {
    l.edge = e.id;
    l.street = e.name;
    l.edges = l.whole_street && !e.name.empty() ? traffic::street_edges(l.inputs->network, e.name)
                                                : traffic::segment_edges(l.inputs->network, e.id);
}

void TrafficView::live_view(const VehicleCulling& culling) {
    live_->eye = culling.eye;
    live_->view_projection = culling.view_projection;
}

bool TrafficView::click(const glm::dvec3& eye, const glm::dvec3& dir) {
    TrafficLiveState& l = *live_;
    if (!l.closing) return false;
    l.pick_message.clear();
    if (!reader_ || !l.inputs) return true;  // taken: no feature pick while closing
    const traffic::Network& net = l.inputs->network;
    const glm::dvec3 origin = reader_->origin();
    std::optional<traffic::EdgeHit> hit;
    if (const auto p = plane_hit(frame_, origin, eye, dir, l.ground_z)) {
        // Again at the height of the road found there, for a road on a hillside.
        if (const auto near = traffic::nearest_edge(net, glm::dvec2(*p)))
            if (const auto q = plane_hit(frame_, origin, eye, dir, near->point.z))
                hit = traffic::nearest_edge(net, glm::dvec2(*q), "passenger", config.traffic_pick_m);
    }
    if (!hit) {
        char text[160];
        std::snprintf(text, sizeof text, tr(S::traffic_live_no_road), num(config.traffic_pick_m, 0).c_str());
        l.pick_message = text;
        return true;
    }
    pick_edge(l, *hit->edge);
    l.pick_distance_m = hit->distance_m;
    l.from_s = std::floor(shown_s_ / 60.0) * 60.0;
    l.to_s = std::numeric_limits<double>::infinity();
    core::info("traffic live: picked edge '", l.edge, "' (", l.street.empty() ? "no name" : l.street, "), ",
               hit->distance_m, " m from the click; ", l.edges.size(), " edges to close");
    return true;
}

void TrafficView::apply_close(const intent::TrafficClose& a) {
    using Op = intent::TrafficClose::Op;
    TrafficLiveState& l = *live_;
    switch (a.op) {
        case Op::closing:
            l.closing = a.on;
            if (a.on)
                if (const TrafficSource* src = base_source(sources_, choice_, l))
                    need_inputs(l, *src, fetch_);
            break;
        case Op::whole_street:
            l.whole_street = a.on;
            if (l.inputs && !l.edge.empty())
                if (const traffic::Edge* e = l.inputs->network.edge(l.edge)) pick_edge(l, *e);
            break;
        case Op::street:
            if (!l.inputs) break;
            l.edge.clear();
            l.street = a.street;
            l.edges = traffic::street_edges(l.inputs->network, a.street);
            l.from_s = std::floor(shown_s_ / 60.0) * 60.0;
            l.to_s = std::numeric_limits<double>::infinity();
            break;
        case Op::times:
            l.from_s = a.from_s;
            l.to_s = a.to_s;
            break;
        case Op::run:
            live_start();
            break;
        case Op::cancel:
            l.run->cancel();
            break;
        case Op::clear:
            l.edge.clear();
            l.street.clear();
            l.edges.clear();
            break;
    }
}

void TrafficView::live_start() {
    TrafficLiveState& l = *live_;
    l.error.clear();
    try {
        const TrafficSource* base = base_source(sources_, choice_, l);
        if (!base || !l.inputs || l.inputs_for != base->id)
            fail("the scenario's network and demand are not read yet (turn on closing a road first)");
        if (l.edges.empty()) fail("no road picked: click on a road, or pick a street from the list");
        fs::create_directories(l.temp_dir);
        const int n = l.runs + 1;
        const std::string what = l.street.empty() ? l.edge : l.street;
        sumo::LiveRunOptions o;
        o.inputs = l.inputs;
        o.closure.id = "live";
        o.closure.edges = l.edges;
        o.closure.from_s = l.from_s;
        o.closure.to_s = l.to_s;
        o.closure.kind = "user";
        o.closure.reason_de = what + ": " + tr(S::traffic_live_reason, Lang::de);
        o.closure.reason_en = what + ": " + tr(S::traffic_live_reason, Lang::en);
        o.out = (fs::path(l.temp_dir) / ("live-" + std::to_string(n))).string();
        o.id = base->id + "-live-" + std::to_string(n);
        l.run->start(o);
        l.runs = n;
        l.run_pending = true;
        l.run_id = "live-" + std::to_string(n);
        l.run_out = o.out;
        auto title = [&](Lang lang) {
            char text[256];
            if (std::isfinite(l.to_s))
                std::snprintf(text, sizeof text, tr(S::traffic_live_title_between, lang), what.c_str(),
                              hmm(l.from_s).c_str(), hmm(l.to_s).c_str());
            else
                std::snprintf(text, sizeof text, tr(S::traffic_live_title_from, lang), what.c_str(),
                              hmm(l.from_s).c_str());
            return std::string(text);
        };
        l.run_title_de = title(Lang::de);
        l.run_title_en = title(Lang::en);
        l.base_of[l.run_id] = base->id;
        std::string edges;
        for (const std::string& e : l.edges)
            edges += (edges.empty() ? "" : " ") + e;
        core::info("traffic live: running '", base->id, "' with ", what, " closed (", edges, ") from ",
                   hmm(l.from_s), std::isfinite(l.to_s) ? " to " + hmm(l.to_s) : std::string(" to the end"));
    } catch (const std::exception& e) {
        l.error = e.what();
        core::warn("traffic live: ", l.error);
    }
}

void TrafficView::live_poll(const scenario::Timeline& timeline) {
    TrafficLiveState& l = *live_;
    if (l.inputs_job.valid() && l.inputs_job.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        try {
            l.inputs = l.inputs_job.get();
            double z = 0;
            for (const traffic::Junction& j : l.inputs->network.junctions)
                z += j.position.z;
            l.ground_z =
                l.inputs->network.junctions.empty() ? 0 : z / double(l.inputs->network.junctions.size());
            l.streets = traffic::street_names(l.inputs->network);
            core::info("traffic live: '", l.inputs_for, "' read: ", l.inputs->network.edges.size(),
                       " edges, ", l.inputs->demand.trips.size(), " trips");
        } catch (const std::exception& e) {
            l.inputs_error = e.what();
            core::warn("traffic live: ", l.inputs_error);
        }
    }
    if (l.run_pending && !l.run->running()) {
        l.run->wait();
        l.run_pending = false;
        const sumo::LiveStatus s = l.run->status();
        if (s.state == sumo::LiveState::finished && s.result) {
            const sumo::TrafficRunResult& r = *s.result;
            core::info("traffic live: run finished in ", std::round(r.wall_s * 10) / 10, " s: ", r.inserted,
                       " vehicles inserted, ", r.arrived, " arrived, ", r.running_at_end,
                       " running at the end, ", r.stranded, " stranded, ", r.not_started.size(),
                       " not started");
            try {
                // What the view's loader reads of a scenario file: the window, the titles, the flood.
                const traffic::TrafficScenario& sc = l.inputs->scenario;
                json j = {{"format", "zwilling-traffic-scenario"},
                          {"format_version", 1},
                          {"id", l.run_id},
                          {"title_de", l.run_title_de},
                          {"title_en", l.run_title_en},
                          {"description_de", sc.title_de},
                          {"description_en", sc.title_en},
                          {"begin_s", sc.begin_s},
                          {"end_s", r.end_s}};
                if (!sc.flood_scenario.empty())
                    j["flood"] = {{"scenario", sc.flood_scenario}, {"start_s", sc.flood_start_s}};
                // The fire brigade's reach is not computed for a live run: its target only, so
                // that the panel shows no figures (rather than a missing file).
                const std::string reach =
                    json{{"target_s", sc.emergency_target_s}, {"computed", false}}.dump(2) + "\n";
                write_file(fs::path(l.run_out) / "emergency.json",
                           std::vector<uint8_t>(reach.begin(), reach.end()));
                const fs::path file = fs::path(l.temp_dir) / (l.run_id + ".json");
                const std::string text = j.dump(2) + "\n";
                write_file(file, std::vector<uint8_t>(text.begin(), text.end()));
                add_live_result({l.run_id, l.run_title_de, l.run_title_en, file.string(), l.run_out + "/"});
            } catch (const std::exception& e) {
                l.error = e.what();
                core::warn("traffic live: ", l.error);
            }
        } else {
            l.error = s.error;
            core::warn("traffic live: ", s.error);
        }
        if (!o_.traffic_close_edge.empty()) l.headless_done = true;  // the result loads now (job_)
    }
    // --traffic-close: once the scenario is shown and its inputs are read, the run starts.
    if (o_.traffic_close_edge.empty() || l.headless_started || !data_ || job_.valid()) return;
    const TrafficSource* base = base_source(sources_, choice_, l);
    if (!base) return;
    need_inputs(l, *base, fetch_);
    if (!l.inputs_error.empty()) {
        l.headless_started = l.headless_done = true;
        return;
    }
    if (!l.inputs || l.inputs_for != base->id) return;
    l.headless_started = true;
    if (const traffic::Edge* e = l.inputs->network.edge(o_.traffic_close_edge); e && !e->internal()) {
        pick_edge(l, *e);
    } else {
        l.error =
            "--traffic-close: the network of '" + base->id + "' has no edge '" + o_.traffic_close_edge + "'";
        core::warn("traffic live: ", l.error);
        l.headless_done = true;
        return;
    }
    l.from_s = o_.traffic_close_from_s.value_or(
        std::floor(traffic_time(clock_start_s(), timeline.time_s) / 60) * 60);
    l.to_s = std::numeric_limits<double>::infinity();
    live_start();
    if (!l.run_pending) l.headless_done = true;
}

void TrafficView::live_end() {
    TrafficLiveState& l = *live_;
    l.run->cancel();
    l.run->wait();
    if (l.inputs_job.valid()) l.inputs_job.wait();
    if (l.temp_dir.empty()) return;
    std::error_code ec;
    fs::remove_all(l.temp_dir, ec);
}

void TrafficView::live_panel(Intents& asked) const {
    using Op = intent::TrafficClose::Op;
    const TrafficLiveState& l = *live_;
    const TrafficData* d = data();
    if (!d) return;
    ImGui::Spacing();
    ImGui::TextColored(ImVec4(0.65f, 0.8f, 1.0f, 1.0f), "%s", tr(S::traffic_live));
    ImGui::Separator();
    bool closing = l.closing;
    if (ImGui::Checkbox(tr(S::traffic_live_closing), &closing))
        asked.emplace_back(intent::Traffic{intent::TrafficClose{Op::closing, closing}});
    ImGui::PushTextWrapPos(0.0f);
    if (l.closing) {
        if (l.inputs_job.valid()) {
            ImGui::TextDisabled("%s", tr(S::traffic_live_reading));
        } else if (!l.inputs_error.empty()) {
            ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), tr(S::traffic_live_failed),
                               l.inputs_error.c_str());
        } else if (l.inputs) {
            ImGui::TextDisabled("%s", tr(S::traffic_live_hint));
            ImGui::SetNextItemWidth(fit_width(220, tr(S::traffic_live_street)));
            const char* shown = l.street.empty() ? tr(S::traffic_live_pick_none) : l.street.c_str();
            if (ImGui::BeginCombo(tr(S::traffic_live_street), shown)) {
                for (size_t i = 0; i < l.streets.size(); ++i) {
                    ImGui::PushID(int(i));
                    if (ImGui::Selectable(l.streets[i].c_str(), l.edge.empty() && l.street == l.streets[i]))
                        asked.emplace_back(
                            intent::Traffic{intent::TrafficClose{Op::street, false, l.streets[i]}});
                    ImGui::PopID();
                }
                ImGui::EndCombo();
            }
            same_line_if_fits(toggle_width(tr(S::traffic_live_whole)));
            bool whole = l.whole_street;
            if (ImGui::Checkbox(tr(S::traffic_live_whole), &whole))
                asked.emplace_back(intent::Traffic{intent::TrafficClose{Op::whole_street, whole}});
            if (!l.pick_message.empty())
                ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "%s", l.pick_message.c_str());
        }
        if (!l.edges.empty()) {
            const std::string what = l.street.empty() ? l.edge : l.street;
            ImGui::Text(tr(S::traffic_live_picked), what.c_str(),
                        (l.edge.empty() ? l.street : l.edge).c_str(), int(l.edges.size()));
            // Minutes of the day, shown as H:MM.
            const int lo = int(std::floor(d->begin_s / 60)), hi = int(std::ceil(d->end_s / 60));
            int from = std::clamp(int(l.from_s / 60), lo, hi);
            ImGui::SetNextItemWidth(fit_width(220, tr(S::traffic_live_from)));
            if (ImGui::SliderInt(tr(S::traffic_live_from), &from, lo, hi, hmm(from * 60.0).c_str()))
                asked.emplace_back(
                    intent::Traffic{intent::TrafficClose{Op::times, false, {}, from * 60.0, l.to_s}});
            bool to_end = !std::isfinite(l.to_s);
            if (ImGui::Checkbox(tr(S::traffic_live_to_end), &to_end))
                asked.emplace_back(intent::Traffic{intent::TrafficClose{
                    Op::times,
                    false,
                    {},
                    l.from_s,
                    to_end ? std::numeric_limits<double>::infinity() : std::min(d->end_s, l.from_s + 3600)}});
            if (!to_end) {
                int to = std::clamp(int(l.to_s / 60), from + 1, hi);
                ImGui::SetNextItemWidth(fit_width(220, tr(S::traffic_live_to)));
                if (ImGui::SliderInt(tr(S::traffic_live_to), &to, from + 1, hi, hmm(to * 60.0).c_str()))
                    asked.emplace_back(
                        intent::Traffic{intent::TrafficClose{Op::times, false, {}, l.from_s, to * 60.0}});
            }
            ImGui::BeginDisabled(l.run->running());
            if (ImGui::Button(tr(S::traffic_live_run)))
                asked.emplace_back(intent::Traffic{intent::TrafficClose{Op::run}});
            ImGui::EndDisabled();
        }
    }
    if (l.run->running()) {
        const sumo::LiveStatus s = l.run->status();
        char text[200];
        std::snprintf(text, sizeof text, tr(S::traffic_live_running),
                      hmm(s.sim_s > 0 ? s.sim_s : d->begin_s).c_str(),
                      hmm(s.progress.end_s > 0 ? s.progress.end_s : d->end_s).c_str(),
                      num(double(s.progress.running), 0).c_str());
        ImGui::ProgressBar(float(l.run->fraction()), ImVec2(fit_width(300), 0));
        ImGui::TextUnformatted(text);
        if (ImGui::Button(tr(S::traffic_live_cancel)))
            asked.emplace_back(intent::Traffic{intent::TrafficClose{Op::cancel}});
    }
    if (!l.error.empty())
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), tr(S::traffic_live_failed), l.error.c_str());
    ImGui::PopTextWrapPos();
    draw_closure();
}

void TrafficView::draw_closure() const {
    const TrafficLiveState& l = *live_;
    if (l.edges.empty() || !l.inputs || !reader_) return;
    const glm::dvec3 origin = reader_->origin();
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    for (const std::string& id : l.edges) {
        const traffic::Edge* e = l.inputs->network.edge(id);
        if (!e || e->lanes.empty()) continue;
        std::optional<ImVec2> previous;
        for (const glm::dvec3& p : e->lanes.front().shape) {
            const glm::dvec3 w =
                frame_.world(p - origin + glm::dvec3(0, 0, 1.0));  // a metre up: over the road
            const glm::dvec4 clip = l.view_projection * glm::dvec4(w - l.eye, 1.0);
            if (clip.w <= 1e-6) {
                previous.reset();
                continue;
            }
            const ImVec2 s(float((clip.x / clip.w * 0.5 + 0.5) * size.x),
                           float((clip.y / clip.w * 0.5 + 0.5) * size.y));
            if (previous) dl->AddLine(*previous, s, IM_COL32(230, 40, 40, 255), 5.0f);
            previous = s;
        }
    }
}

}  // namespace zw::viewer
