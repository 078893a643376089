// The traffic view's A | B compare (see traffic.h): scenario B loaded beside A, its
// vehicles drawn instead of A's or right of the split, the files the impacts read, the
// impacts themselves (engine/scenario/traffic/impacts.h) and their CSV export.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/viewer/export_path.h"
#include "app/viewer/format.h"
#include "app/viewer/traffic.h"
#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"

namespace zw::viewer {
namespace {

using nlohmann::json;
namespace traffic = scenario::traffic;

json fetch_json(const std::string& uri, const core::FetchOptions& fetch) {
    const std::vector<uint8_t> bytes = core::fetch(uri, fetch);
    try {
        return json::parse(bytes.begin(), bytes.end());
    } catch (const json::exception& e) {
        fail("'", core::display_uri(uri), "' is not valid JSON: ", e.what());
    }
}

}  // namespace

void TrafficView::load_compare_files(TrafficData& d, const std::string& results_uri,
                                     const std::string& network, const core::FetchOptions& fetch) {
    // Each optional: a warning when broken; a missing districts.json or network only
    // leaves its part of the panel empty (older bundles have none).
    auto attempt = [&](const char* what, auto&& f) {
        try {
            f();
        } catch (const std::exception& e) {
            d.warnings.push_back(std::string(what) + ": " + e.what());
        }
    };
    // A local file that is not there is left alone (served ones are fetched and fail loud).
    auto there = [](const std::string& uri) {
        return core::is_http(uri) || std::filesystem::exists(core::file_path_of(uri));
    };
    // (summary.json's and emergency.json's own warnings come from the scenario's load.)
    auto quietly = [](auto&& f) {
        try {
            f();
        } catch (const std::exception&) {
        }
    };
    if (there(core::resolve_uri(results_uri, "summary.json")))
        quietly([&] {
            const json j = fetch_json(core::resolve_uri(results_uri, "summary.json"), fetch);
            if (const auto run = j.find("run"); run != j.end() && run->is_object())
                if (const auto n = run->find("not_started"); n != run->end() && n->is_number())
                    d.not_started = uint64_t(std::max(0.0, n->get<double>()));
        });
    attempt("edge_measures.json", [&] {
        const std::string uri = core::resolve_uri(results_uri, "edge_measures.json");
        if (core::is_http(uri)) {
            // The reader takes a file: a served twin's measures are copied first.
            const std::vector<uint8_t> bytes = core::fetch(uri, fetch);
            const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
            const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                               ("zwilling-measures-" + std::to_string(stamp) + ".json");
            {
                std::ofstream out(path, std::ios::binary | std::ios::trunc);
                out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
            }
            try {
                d.measures =
                    std::make_shared<traffic::EdgeMeasures>(traffic::read_edge_measures(path.string()));
            } catch (...) {
                std::filesystem::remove(path);
                throw;
            }
            std::filesystem::remove(path);
        } else if (std::filesystem::exists(core::file_path_of(uri))) {
            d.measures =
                std::make_shared<traffic::EdgeMeasures>(traffic::read_edge_measures(core::file_path_of(uri)));
        }
    });
    if (!network.empty())
        attempt("network", [&] {
            const std::vector<uint8_t> bytes = core::fetch(network, fetch);
            d.network = std::make_shared<traffic::Network>(traffic::parse_network(
                std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                core::display_uri(network)));
        });
    if (d.measures && d.network) d.series = traffic::network_series(*d.measures, *d.network);
    const std::string districts = core::resolve_uri(results_uri, "districts.json");
    if (there(districts))
        attempt("districts.json",
                [&] { d.districts = traffic::parse_districts(fetch_json(districts, fetch)); });
    const std::string emergency = core::resolve_uri(results_uri, "emergency.json");
    if (there(emergency))
        quietly([&] { d.reach = traffic::parse_building_reach(fetch_json(emergency, fetch)); });
}

void TrafficView::init_compare() {
    if (!o_.traffic_b.empty())
        for (size_t i = 0; i < sources_.size(); ++i)
            if (sources_[i].id == o_.traffic_b) choose_b(i);
    compare_.show = o_.traffic_show == "b"                             ? TrafficShow::b
                    : o_.traffic_show == "split"                       ? TrafficShow::split
                    : o_.traffic_show.empty() && !o_.traffic_b.empty() ? TrafficShow::split
                                                                       : TrafficShow::a;
}

void TrafficView::drop_b() {
    if (b_.job.valid()) {
        try {
            Loaded l = b_.job.get();
            if (!l.temp_file.empty()) std::filesystem::remove(l.temp_file);
        } catch (const std::exception&) {
        }
    }
    b_.reader.reset();
    if (!b_.temp_file.empty()) {
        std::error_code ec;
        std::filesystem::remove(b_.temp_file, ec);
        b_.temp_file.clear();
    }
}

void TrafficView::choose_b(std::optional<size_t> index) {
    if (index && *index >= sources_.size()) index.reset();
    if (b_.choice == index && (b_.data || b_.job.valid())) return;
    b_.choice = index;
    b_.error.clear();
    b_.data.reset();
    b_.reader.reset();
    if (!b_.temp_file.empty()) {
        std::error_code ec;
        std::filesystem::remove(b_.temp_file, ec);
        b_.temp_file.clear();
    }
    if (!index) {
        b_.pending.reset();
        return;
    }
    if (b_.job.valid()) {
        b_.pending = index;
        return;
    }
    start_b();
}

void TrafficView::start_b() {
    const TrafficSource src = sources_[*b_.choice];
    core::info("traffic: loading scenario '", src.id, "' for side B");
    b_.job = std::async(std::launch::async, [src, fetch = fetch_] { return load(src, fetch); });
}

void TrafficView::take_load_b(scenario::Timeline& timeline, bool flood_loaded) {
    if (!b_.job.valid() || b_.job.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    Loaded l;
    std::string error;
    try {
        l = b_.job.get();
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (b_.pending) {
        if (!l.temp_file.empty()) std::filesystem::remove(l.temp_file);
        b_.choice = b_.pending;
        b_.pending.reset();
        start_b();
        return;
    }
    if (!error.empty()) {
        core::warn("traffic B: ", error);
        b_.error = error;
        return;
    }
    b_.data = l.data;
    b_.reader = l.reader;
    b_.temp_file = l.temp_file;
    b_.frame = TrafficFrame::at(b_.reader->origin(), twin_ ? twin_->geoid_undulation_m : 0.0);
    core::info("traffic: scenario '", b_.data->source.id, "' ready as B: ", b_.data->vehicles_total,
               " vehicles");
    for (const std::string& w : b_.data->warnings)
        core::warn("traffic B: ", w);
    // The timeline holds the longer of the two (and of the flood).
    const double d = traffic_duration(clock_start_of(*b_.data), b_.data->end_s);
    timeline.duration_s = data_ || flood_loaded ? std::max(timeline.duration_s, d) : d;
    timeline.scrub(timeline.time_s);
}

double TrafficView::clock_start_of(const TrafficData& d) const {
    return !d.flood_scenario.empty() && d.flood_scenario == flood_shown_ ? d.flood_start_s : d.begin_s;
}

TrafficShow TrafficView::shown() const {
    if (!b_.data || !b_.reader) return TrafficShow::a;
    if (!data_ || !reader_) return TrafficShow::b;
    return compare_.show;
}

void TrafficView::update_b(const scenario::Timeline& timeline, render::Renderer& renderer,
                           const VehicleCulling& culling) {
    render::Vehicles& vehicles = renderer.vehicles();
    const TrafficShow show = shown();
    split_x_ = -1;
    b_.present = b_.drawn = 0;
    if (!b_.data || !b_.reader) {
        if (vehicles.size_b()) vehicles.set_instances_b({});
        vehicles.split_x = -1;
        return;
    }
    b_.shown_s = traffic_time(clock_start_of(*b_.data), timeline.time_s);
    const bool draw = display_.vehicles_visible && show != TrafficShow::a;
    try {
        b_.present = b_.reader->state_in_view(b_.shown_s, draw ? cells_in_view(b_.frame, culling) : no_cells,
                                              b_.states);
    } catch (const std::exception& e) {
        b_.error = e.what();
        core::warn("traffic B: ", b_.error);
        b_.reader.reset();
        vehicles.set_instances_b({});
        vehicles.split_x = -1;
        return;
    }
    if (!draw) {
        b_.instances.clear();
    } else {
        place_vehicles(b_.states, b_.reader->vehicles(), b_.frame, culling, b_.instances);
        b_.drawn = b_.instances.size();
    }
    if (show == TrafficShow::b) {
        // B alone fills the width in A's place.
        vehicles.set_instances(b_.instances);
        vehicles.set_instances_b({});
        vehicles.split_x = -1;
        if (!data_) present_ = drawn_ = 0;
        return;
    }
    if (show == TrafficShow::a) {
        if (vehicles.size_b()) vehicles.set_instances_b({});
        vehicles.split_x = -1;
        return;
    }
    // Split: the flood's line while the flood shows a split, else this view's own.
    const render::Water& water = renderer.water();
    const float width = float(renderer.extent().width);
    split_x_ = water.split_x >= 0 ? water.split_x : compare_.split * width;
    vehicles.set_instances_b(b_.instances);
    vehicles.split_x = width > 0 ? split_x_ : -1.0f;
}

traffic::ImpactsReport TrafficView::impacts() const {
    traffic::ImpactsReport r;
    const TrafficData* a = data_.get();
    const TrafficData* b = b_.data.get();
    if (!a) return r;
    r.a_id = a->source.id;
    if (b) r.b_id = b->source.id;
    const traffic::TripSummary none;
    const traffic::TripSummary sa = a->summary.value_or(none), sb = b ? b->summary.value_or(none) : none;
    r.overall =
        traffic::overall_rows(sa, a->not_started, b ? &sb : nullptr, b ? b->not_started : std::nullopt);
    if (!a->districts.empty())
        r.districts = traffic::district_rows(a->districts, b ? &b->districts : nullptr);
    if (a->measures) {
        r.roads = traffic::most_affected_roads(*a->measures, b ? b->measures.get() : nullptr);
        for (const traffic::RoadChange& c : r.roads)
            r.road_names.push_back(a->network && a->network->edge(c.edge) ? a->network->edge(c.edge)->name
                                   : b && b->network && b->network->edge(c.edge)
                                       ? b->network->edge(c.edge)->name
                                       : std::string());
    }
    auto counts = [](const std::optional<EmergencyCounts>& c) -> std::optional<std::array<uint64_t, 3>> {
        if (!c) return std::nullopt;
        return std::array<uint64_t, 3>{c->in_time, c->late, c->unreachable};
    };
    r.emergency_a = counts(a->emergency_worst ? a->emergency_worst : a->emergency_open);
    if (b) r.emergency_b = counts(b->emergency_worst ? b->emergency_worst : b->emergency_open);
    r.lost = traffic::no_longer_in_time(a->reach, b ? &b->reach : nullptr, a->emergency_target_s);
    return r;
}

std::string TrafficView::next_png_path() const {
    const bool a = data_ && shown() != TrafficShow::b, b = b_.data && shown() != TrafficShow::a;
    const std::string name = a && b ? data_->source.id + "-vs-" + b_.data->source.id
                             : a    ? data_->source.id
                             : b    ? b_.data->source.id
                                    : std::string("traffic");
    const long minutes = long(std::max(0.0, data_ ? shown_s_ : b_.shown_s) / 60.0);
    return unique_path(export_dir, name + "-" + std::to_string(minutes / 60) + "h" +
                                       (minutes % 60 < 10 ? "0" : "") + std::to_string(minutes % 60) +
                                       ".png");
}

std::string TrafficView::export_csv() {
    export_failed = false;
    export_message.clear();
    try {
        if (!data_) fail("no traffic scenario is loaded");
        const traffic::ImpactsReport r = impacts();
        const std::string name = r.a_id + (r.b_id.empty() ? "" : "-vs-" + r.b_id) + "-impacts.csv";
        const std::string path = unique_path(export_dir, name);
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (out) out << traffic::impacts_csv(r, csv_dialect());
        out.close();
        if (!out) fail("could not write '", path, "' (does the folder exist and may you write there?)");
        core::info("traffic: wrote ", path);
        export_message = path;
        return path;
    } catch (const std::exception& e) {
        export_failed = true;
        export_message = e.what();
        core::warn("traffic export: ", e.what());
        return {};
    }
}

}  // namespace zw::viewer
