#include "app/viewer/traffic.h"

#include "app/viewer/traffic_live.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"
#include "engine/twin/manifest.h"

namespace zw::viewer {
namespace {

using nlohmann::json;
namespace traffic = scenario::traffic;

json parse_json(const std::vector<uint8_t>& bytes, const std::string& uri) {
    try {
        return json::parse(bytes.begin(), bytes.end());
    } catch (const json::exception& e) {
        fail("'", core::display_uri(uri), "' is not valid JSON: ", e.what());
    }
}

double number_or(const json& j, const char* key, double fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string text_or(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

traffic::TripSummary parse_summary(const json& j) {
    traffic::TripSummary s;
    s.vehicles = uint64_t(std::max(0.0, number_or(j, "vehicles", 0)));
    s.arrived = uint64_t(std::max(0.0, number_or(j, "arrived", 0)));
    s.mean_travel_time_s = number_or(j, "mean_travel_time_s", 0);
    s.median_travel_time_s = number_or(j, "median_travel_time_s", 0);
    s.time_loss_vh = number_or(j, "time_loss_vh", 0);
    s.waiting_vh = number_or(j, "waiting_vh", 0);
    s.vehicle_km = number_or(j, "vehicle_km", 0);
    return s;
}

std::vector<traffic::Closure> parse_closures(const json& j) {
    const json& list = j.is_object() && j.contains("closures") ? j["closures"] : j;
    if (!list.is_array()) fail("closures.json: expected an array of closures");
    std::vector<traffic::Closure> out;
    for (const json& c : list) {
        if (!c.is_object()) continue;
        traffic::Closure cl;
        cl.id = text_or(c, "id");
        if (const auto e = c.find("edges"); e != c.end() && e->is_array())
            for (const json& id : *e)
                if (id.is_string()) cl.edges.push_back(id.get<std::string>());
        cl.from_s = number_or(c, "from_s", 0);
        cl.to_s = number_or(c, "to_s", std::numeric_limits<double>::infinity());
        cl.kind = text_or(c, "kind");
        cl.reason_de = text_or(c, "reason_de");
        cl.reason_en = text_or(c, "reason_en");
        out.push_back(std::move(cl));
    }
    return out;
}

std::optional<EmergencyCounts> parse_counts(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_object()) return std::nullopt;
    EmergencyCounts c;
    c.in_time = uint64_t(std::max(0.0, number_or(*it, "in_time", 0)));
    c.late = uint64_t(std::max(0.0, number_or(*it, "late", 0)));
    c.unreachable = uint64_t(std::max(0.0, number_or(*it, "unreachable", 0)));
    return c;
}

}  // namespace

std::vector<TrafficSource> traffic_sources(const twin::Manifest& twin) {
    std::vector<TrafficSource> out;
    for (const twin::Scenario& s : twin.scenarios) {
        if (s.kind != "traffic") continue;
        out.push_back({s.id, s.title_de, s.title_en, s.uri, s.results, twin.root});
    }
    return out;
}

std::string traffic_ids(const twin::Manifest& twin) {
    std::string ids;
    for (const TrafficSource& s : traffic_sources(twin))
        ids += (ids.empty() ? "" : ", ") + s.id;
    return ids.empty() ? std::string("none") : ids;
}

TrafficView::TrafficView(const Options& o, std::shared_ptr<const twin::Manifest> twin,
                         core::FetchOptions fetch)
    : live_(std::make_unique<TrafficLiveState>()), o_(o), twin_(std::move(twin)), fetch_(std::move(fetch)) {
    if (twin_) sources_ = traffic_sources(*twin_);
    roads_.mode = road_mode_from(o_.traffic_roads).value_or(RoadMode::off);
    if (!o_.traffic.empty())
        for (size_t i = 0; i < sources_.size(); ++i)
            if (sources_[i].id == o_.traffic) choose(i);
    export_dir = o_.export_dir;
    init_compare();
}

TrafficView::~TrafficView() {
    if (job_.valid()) {
        Loaded l;
        try {
            l = job_.get();
        } catch (const std::exception&) {
        }
        if (!l.temp_file.empty()) std::filesystem::remove(l.temp_file);
    }
    reader_.reset();
    drop_temp();
    live_end();
    drop_b();
}

void TrafficView::drop_temp() {
    if (temp_file_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(temp_file_, ec);
    temp_file_.clear();
}

void TrafficView::choose(std::optional<size_t> index) {
    if (index && *index >= sources_.size()) index.reset();
    if (choice_ == index && (data_ || job_.valid())) return;
    choice_ = index;
    error_.clear();
    data_.reset();
    reader_.reset();
    roads_.set_data(nullptr, frame_);
    drop_temp();
    if (!index) {
        pending_.reset();
        return;
    }
    if (job_.valid()) {
        pending_ = index;
        return;
    }
    start();
}

void TrafficView::start() {
    const TrafficSource src = sources_[*choice_];
    core::info("traffic: loading scenario '", src.id, "'");
    job_ = std::async(std::launch::async, [src, fetch = fetch_] { return load(src, fetch); });
}

TrafficView::Loaded TrafficView::load(const TrafficSource& src, const core::FetchOptions& fetch) {
    auto d = std::make_shared<TrafficData>();
    d->source = src;
    d->title_de = src.title_de;
    d->title_en = src.title_en;
    if (src.results_uri.empty()) fail("traffic scenario '", src.id, "' has no results in this twin");
    std::optional<double> begin, end;
    std::string network_uri;
    std::string network;  // the scenario's network (for the compare)
    if (!src.scenario_uri.empty()) {
        const json j = parse_json(core::fetch(src.scenario_uri, fetch), src.scenario_uri);
        if (!j.is_object()) fail("'", core::display_uri(src.scenario_uri), "' is not a JSON object");
        if (j.contains("begin_s")) begin = number_or(j, "begin_s", 0);
        if (j.contains("end_s")) end = number_or(j, "end_s", 0);
        if (const auto f = j.find("flood"); f != j.end() && f->is_object()) {
            d->flood_scenario = text_or(*f, "scenario");
            d->flood_start_s = number_or(*f, "start_s", 0);
        }
        if (const std::string t = text_or(j, "title_de"); !t.empty()) d->title_de = t;
        if (const std::string t = text_or(j, "title_en"); !t.empty()) d->title_en = t;
        d->description_de = text_or(j, "description_de");
        d->description_en = text_or(j, "description_en");
        if (const std::string net = text_or(j, "network"); !net.empty()) {
            try {
                network_uri = src.twin_root.empty()
                                  ? core::resolve_uri(src.scenario_uri, net)
                                  : twin::resolve_confined(src.twin_root, src.scenario_uri, net, "network");
            } catch (const std::exception& e) {
                d->warnings.push_back(e.what());
            }
        }
        if (const std::string n = text_or(j, "network"); !n.empty())
            network = core::resolve_uri(src.scenario_uri, n);
    }
    Loaded l;
    const std::string zwt = core::resolve_uri(src.results_uri, "trajectories.zwt");
    std::string path;
    if (core::is_http(zwt)) {
        // The reader seeks in a file: a served twin's trajectories are copied first.
        const std::vector<uint8_t> bytes = core::fetch(zwt, fetch);
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path = (std::filesystem::temp_directory_path() /
                ("zwilling-traffic-" + std::to_string(::getpid()) + "-" + std::to_string(stamp) + ".zwt"))
                   .string();
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        out.close();
        if (!out) fail("could not write a temporary copy of '", core::display_uri(zwt), "' to '", path, "'");
        l.temp_file = path;
    } else {
        path = core::file_path_of(zwt);
    }
    l.reader = std::make_shared<traffic::TrajectoryStream>(traffic::TrajectoryReader::open(path, 1));
    d->vehicles_total = uint32_t(l.reader->vehicles().size());
    d->begin_s = begin.value_or(l.reader->begin_s());
    d->end_s = end.value_or(l.reader->end_s());
    if (!(d->end_s > d->begin_s)) {
        d->warnings.push_back("begin_s " + std::to_string(d->begin_s) + " is not before end_s " +
                              std::to_string(d->end_s));
        d->end_s = d->begin_s;
    }
    // The optional files: a warning each when missing or broken.
    auto optional_json = [&](const char* name) -> std::optional<json> {
        const std::string uri = core::resolve_uri(src.results_uri, name);
        try {
            return parse_json(core::fetch(uri, fetch), uri);
        } catch (const std::exception& e) {
            d->warnings.push_back(e.what());
            return std::nullopt;
        }
    };
    if (const auto j = optional_json("summary.json")) d->summary = parse_summary(*j);
    if (const auto j = optional_json("closures.json")) {
        try {
            d->closures = parse_closures(*j);
        } catch (const std::exception& e) {
            d->warnings.push_back(e.what());
        }
    }
    if (const auto j = optional_json("emergency.json"); j && j->is_object()) {
        d->emergency_target_s = number_or(*j, "target_s", 600);
        d->emergency_open = parse_counts(*j, "open");
        d->emergency_worst = parse_counts(*j, "worst");
    }
    l.roads = load_road_data(network_uri, src.results_uri, l.reader->origin(), fetch, d->warnings);
    load_compare_files(*d, src.results_uri, network, fetch);
    l.data = std::move(d);
    return l;
}

double TrafficView::clock_start_s() const {
    if (!data_) return 0;
    return !data_->flood_scenario.empty() && data_->flood_scenario == flood_shown_ ? data_->flood_start_s
                                                                                   : data_->begin_s;
}

void TrafficView::take_loads(scenario::Timeline& timeline, bool flood_loaded) {
    live_poll(timeline);
    if (job_.valid() && job_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        Loaded l;
        std::string error;
        try {
            l = job_.get();
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (pending_) {
            if (!l.temp_file.empty()) std::filesystem::remove(l.temp_file);
            choice_ = pending_;
            pending_.reset();
            start();
        } else if (!error.empty()) {
            core::warn("traffic: ", error);
            error_ = error;
        } else {
            data_ = l.data;
            reader_ = l.reader;
            temp_file_ = l.temp_file;
            frame_ = TrafficFrame::at(reader_->origin(), twin_ ? twin_->geoid_undulation_m : 0.0);
            roads_.set_data(l.roads, frame_);
            core::info("traffic: scenario '", data_->source.id, "' ready: ", data_->vehicles_total,
                       " vehicles, ", scenario::format_hmm(data_->begin_s), " to ",
                       scenario::format_hmm(data_->end_s));
            for (const std::string& w : data_->warnings)
                core::warn("traffic: ", w);
            const double d = traffic_duration(clock_start_s(), data_->end_s);
            timeline.duration_s = flood_loaded ? std::max(timeline.duration_s, d) : d;
            timeline.scrub(timeline.time_s);
        }
    }
    take_load_b(timeline, flood_loaded);
}

void TrafficView::apply(const intent::Traffic& a) {
    std::visit(Overloaded{
                   [&](const intent::TrafficChoose& c) { choose(c.source); },
                   [&](const intent::TrafficDisplay& d) { display_ = d; },
                   [&](const intent::TrafficRoads& r) { roads_.mode = r.mode; },
                   [&](const intent::TrafficClose& c) { apply_close(c); },
                   [&](const intent::TrafficChooseB& c) { choose_b(c.source); },
                   [&](const intent::TrafficCompareDisplay& d) {
                       compare_ = d;
                       compare_.split = std::clamp(compare_.split, 0.0f, 1.0f);
                   },
                   [&](const intent::TrafficExportCsv&) { export_csv(); },
               },
               a.what);
}

void TrafficView::update(const scenario::Timeline& timeline, render::Renderer& renderer,
                         const VehicleCulling& culling) {
    live_view(culling);
    update_a(timeline, renderer, culling);
    update_b(timeline, renderer, culling);  // B, and the split (traffic_compare.cpp)
}

void TrafficView::update_a(const scenario::Timeline& timeline, render::Renderer& renderer,
                           const VehicleCulling& culling) {
    render::Vehicles& vehicles = renderer.vehicles();
    vehicles.visible = display_.vehicles_visible;
    if (!data_ || !reader_) {
        if (vehicles.size()) vehicles.set_instances({});
        if (!renderer.road_overlay().empty()) renderer.road_overlay().clear();
        present_ = drawn_ = 0;
        return;
    }
    shown_s_ = traffic_time(clock_start_s(), timeline.time_s);
    roads_.update(shown_s_, data_->closures, renderer.road_overlay());
    try {
        // Only the vehicles near the view are interpolated: the frame's cost follows them.
        present_ = reader_->state_in_view(
            shown_s_, display_.vehicles_visible ? cells_in_view(frame_, culling) : no_cells, states_);
    } catch (const std::exception& e) {
        // A damaged chunk: said once, and nothing more drawn from this scenario.
        error_ = e.what();
        core::warn("traffic: ", error_);
        reader_.reset();
        vehicles.set_instances({});
        present_ = drawn_ = 0;
        return;
    }
    if (!display_.vehicles_visible) {
        drawn_ = 0;
        return;
    }
    place_vehicles(states_, reader_->vehicles(), frame_, culling, instances_);
    drawn_ = instances_.size();
    vehicles.set_instances(instances_);
}

}  // namespace zw::viewer
