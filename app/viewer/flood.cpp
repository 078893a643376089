#include "app/viewer/flood.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/viewer/export_path.h"
#include "app/viewer/flood_water.h"
#include "app/viewer/format.h"
#include "app/viewer/scene.h"
#include "app/viewer/viewer.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

namespace zw::viewer {
namespace {

std::optional<size_t> find_source(const std::vector<FloodSource>& sources, const std::string& id) {
    for (size_t i = 0; i < sources.size(); ++i)
        if (sources[i].id == id) return i;
    return std::nullopt;
}

std::vector<FloodSource> all_sources(const Options& o, const twin::Manifest* twin) {
    std::vector<FloodSource> s;
    if (twin) s = flood_sources(*twin);
    if (!o.flood_import.empty()) {
        FloodSource f;
        f.id = "import";
        f.import_folder = o.flood_import;
        f.import_interval_s = o.flood_import_interval_s;
        s.push_back(f);
    }
    return s;
}

// Writes `text` to a new file next to `wanted` (a number suffix when it exists).
std::string write_new_file(const std::string& folder, const std::string& name, const std::string& text) {
    const std::string path = unique_path(folder, name);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (out) out << text;
    out.close();
    if (!out) fail("could not write '", path, "' (does the folder exist and may you write there?)");
    return path;
}

}  // namespace

std::string flood_ids(const twin::Manifest& twin) {
    std::string ids;
    for (const FloodSource& s : flood_sources(twin))
        ids += (ids.empty() ? "" : ", ") + s.id;
    return ids.empty() ? std::string("none") : ids;
}

FloodView::FloodView(const Options& o, std::shared_ptr<const twin::Manifest> twin, core::FetchOptions fetch)
    : o_(o), twin_(std::move(twin)), fetch_(std::move(fetch)), sources_(all_sources(o, twin_.get())) {
    export_dir = o.export_dir;
    live_headless_ = !o.flood_live_wall.empty();
    if (o.flood_split) display_.split = float(*o.flood_split);
    const std::string a = !o.flood.empty() ? o.flood : (!o.flood_import.empty() ? "import" : "");
    if (!a.empty()) {
        if (const auto i = find_source(sources_, a)) choose(0, i);
    }
    if (!o.flood_compare.empty()) {
        if (const auto i = find_source(sources_, o.flood_compare)) {
            choose(1, i);
            display_.show = FloodShow::split;
        }
    }
}

FloodView::~FloodView() {
    live_.stop();
    for (Side& s : sides_)
        if (s.job.valid()) s.job.wait();
}

void FloodView::choose(int side, std::optional<size_t> index) {
    Side& s = sides_[side];
    if (index && *index >= sources_.size()) index.reset();
    if (s.choice == index && (s.data || s.job.valid())) return;
    s.choice = index;
    s.error.clear();
    s.data.reset();
    if (!index) {
        s.pending.reset();
        if (side == 1 && display_.show != FloodShow::a) display_.show = FloodShow::a;
        return;
    }
    if (s.job.valid()) {
        s.pending = index;  // started when the running load is done
        return;
    }
    start(side);
}

void FloodView::start(int side) {
    Side& s = sides_[side];
    const FloodSource src = sources_[*s.choice];
    core::info("flood: loading scenario '", src.id, "' for side ", side == 0 ? "A" : "B");
    s.job = std::async(std::launch::async, [src, twin = twin_, fetch = fetch_] {
        return scenario::load_flood(src, twin.get(), fetch);
    });
}

void FloodView::apply(const intent::FloodDisplay& a) {
    display_ = a;
    display_.split = std::clamp(display_.split, 0.0f, 1.0f);
    display_.opacity = std::clamp(display_.opacity, 0.0f, 1.0f);
}

void FloodView::take_loads(scenario::Timeline& timeline) {
    for (int side = 0; side < 2; ++side) {
        Side& s = sides_[side];
        if (!s.job.valid() || s.job.wait_for(std::chrono::seconds(0)) != std::future_status::ready) continue;
        std::shared_ptr<const FloodData> d;
        std::string error;
        try {
            d = s.job.get();
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (s.pending) {  // a newer choice came in meanwhile
            s.choice = s.pending;
            s.pending.reset();
            start(side);
            continue;
        }
        if (!error.empty()) {
            core::warn(error);
            s.error = error;
            continue;
        }
        core::info("flood: scenario '", d->source.id, "' ready: ", d->frames.times_s.size(), " frames, ",
                   d->world.nx, " x ", d->world.ny, " cells",
                   d->has_impacts ? ", " + std::to_string(d->impacts.flooded) + " buildings over 10 cm" : "");
        s.data = d;
        if (side == 0) timeline.duration_s = d->duration_s;
        if (side == 0) timeline.scrub(timeline.time_s);
    }
    if (!sides_[0].data && sides_[1].data) timeline.duration_s = sides_[1].data->duration_s;
    if (sides_[0].data && sides_[1].data)
        timeline.duration_s = std::max(sides_[0].data->duration_s, sides_[1].data->duration_s);
}

void FloodView::update(scenario::Timeline& timeline, render::Water& water, double streak_dt,
                       uint32_t framebuffer_width) {
    water.time_s += streak_dt;
    water.visible = display_.water_visible;
    water.opacity = display_.opacity;
    // The grid is A's (B is drawn on it); with only B, B's.
    const FloodData* a = sides_[0].data.get();
    const FloodData* b = sides_[1].data.get();
    const FloodData* base = a ? a : b;
    if (!base) {
        if (grid_of_) water.set_grid({});
        grid_of_ = nullptr;
        water.split_x = -1;
        return;
    }
    if (grid_of_ != base) {
        water.set_grid(water_grid(base->world));
        grid_of_ = base;
        drawn_time_ = -1;
    }
    if (live_update(timeline, water)) return;
    grid_error_.clear();
    const bool b_fits = b && scenario::comparable(*base, *b);
    if (b && !b_fits) grid_error_ = "grid";
    FloodShow want = display_.show;
    if (!b || !b_fits) want = FloodShow::a;
    if (!a) want = FloodShow::b;
    water.split_x = want == FloodShow::split ? display_.split * float(framebuffer_width) : -1.0f;
    if (drawn_time_ == timeline.time_s && drawn_[0] == a && drawn_[1] == b && drawn_show_ == want) return;
    drawn_time_ = timeline.time_s;
    drawn_[0] = a;
    drawn_[1] = b;
    drawn_show_ = want;
    if (a && want != FloodShow::b) {
        a->frames.sample(timeline.time_s, depth_a_);
        a->frames.sample_velocity(timeline.time_s, velocity_a_);
        water.set_frame(0, {depth_a_, velocity_a_});
    }
    if (b && want != FloodShow::a) {
        b->frames.sample(timeline.time_s, depth_b_);
        b->frames.sample_velocity(timeline.time_s, velocity_b_);
        // B's depths on A's ground (the renderer draws both on A's grid).
        if (a && a != b) scenario::depth_on_ground(depth_b_, *b, *a);
        water.set_frame(want == FloodShow::b ? 0 : 1, {depth_b_, velocity_b_});
    }
}

std::vector<std::string> FloodView::export_csv() {
    std::vector<std::string> written;
    export_failed = false;
    export_message.clear();
    try {
        for (const Side& s : sides_) {
            if (!s.data || !s.data->has_impacts) continue;
            written.push_back(write_new_file(export_dir, s.data->source.id + "-impacts.csv",
                                             scenario::flood_impacts_csv(*s.data, csv_dialect())));
            core::info("flood: wrote ", written.back());
        }
        if (written.empty()) fail("no scenario with impacts is loaded");
    } catch (const std::exception& e) {
        export_failed = true;
        export_message = e.what();
        core::warn("flood export: ", e.what());
        return written;
    }
    for (const std::string& w : written)
        export_message += (export_message.empty() ? "" : "\n") + w;
    return written;
}

std::string FloodView::next_png_path(double time_s) const {
    const FloodData* a = data(0);
    std::string name = a ? a->source.id : std::string("zwilling");
    if (const FloodData* b = data(1); b && display_.show == FloodShow::split) name += "-vs-" + b->source.id;
    const long minutes = long(time_s / 60.0);
    char t[32];
    std::snprintf(t, sizeof t, "-%ldh%02ld", minutes / 60, minutes % 60);
    return unique_path(export_dir, name + t + ".png");
}

int export_flood_csv(const Options& o) {
    View view;
    load_scene(o, view);  // the manifest, with the credentials and CA file of the twin
    const std::vector<FloodSource> sources = all_sources(o, view.twin.get());
    const std::string id = !o.flood.empty() ? o.flood : "import";
    const auto i = find_source(sources, id);
    if (!i) {
        std::fprintf(stderr, "zwilling: no flood scenario '%s' in this twin; available: %s\n", id.c_str(),
                     view.twin ? flood_ids(*view.twin).c_str() : "none");
        return exit_usage;
    }
    const std::shared_ptr<const FloodData> d = scenario::load_flood(sources[*i], view.twin.get(), view.fetch);
    const std::filesystem::path target(o.flood_export_csv);
    const std::string folder = target.has_parent_path() ? target.parent_path().string() : std::string(".");
    const std::string path =
        write_new_file(folder, target.filename().string(), scenario::flood_impacts_csv(*d, csv_dialect()));
    if (path != (std::filesystem::path(folder) / target.filename()).string())
        core::warn("'", o.flood_export_csv, "' exists; wrote '", path, "' instead");
    core::info("flood: ", d->impacts.flooded, " buildings over 10 cm, ", d->impacts.flooded_deep,
               " over 50 cm");
    std::printf("%s\n", path.c_str());
    return exit_ok;
}

}  // namespace zw::viewer
