#include "engine/scenario/flood/results.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/uri.h"
#include "engine/scenario/flood/frame_grids.h"

namespace zw::scenario {
namespace {

std::string text_of(const std::vector<uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

// The last path segment of a URI ("https://h/a/b.json" -> "b.json").
std::string file_name_of(const std::string& uri) {
    const size_t slash = uri.find_last_of('/');
    return slash == std::string::npos ? uri : uri.substr(slash + 1);
}

// A file the scenario names (relative to the scenario file), as a URI inside the twin.
std::string scenario_file(const twin::Manifest* twin, const std::string& scenario_uri, const std::string& ref,
                          const std::string& what) {
    if (twin) return twin::resolve_confined(twin->root, scenario_uri, ref, what);
    return core::resolve_uri(scenario_uri, ref);
}

AsciiGrid fetch_grid(const std::string& uri, const core::FetchOptions& fetch) {
    return parse_ascii_grid(text_of(core::fetch(uri, fetch)), core::display_uri(uri));
}

// The scenario file, parsed with references left relative (resolved by scenario_file):
// the parser resolves against a file path, which would mangle an https:// URI.
FloodScenario fetch_scenario(const std::string& uri, const core::FetchOptions& fetch) {
    return parse_flood_scenario(text_of(core::fetch(uri, fetch)), file_name_of(uri));
}

void fill_inflow(FloodData& d) {
    d.inflow_m3s.assign(FloodData::inflow_samples, 0.0f);
    if (!d.has_scenario) return;
    for (int i = 0; i < FloodData::inflow_samples; ++i) {
        const double t = d.duration_s * i / (FloodData::inflow_samples - 1);
        d.inflow_m3s[size_t(i)] = float(total_inflow(d.scenario, t));
    }
}

void fill_impacts(FloodData& d, const AsciiGrid& max_depth, const AsciiGrid& arrival) {
    if (d.sites.empty()) return;
    d.impacts = compute_impacts(max_depth, arrival, d.sites);
    d.has_impacts = true;
    d.flooded_over_time.clear();
    for (size_t k = 0; k < d.frames.depth_m.size(); ++k)
        d.flooded_over_time.push_back(float(count_flooded(frame_grid(d.frames, k), d.sites)));
}

void warn(FloodData& d, const std::string& message) {
    core::warn("flood scenario '", d.source.id, "': ", message);
    d.warnings.push_back(message);
}

void load_twin_scenario(FloodData& d, const twin::Manifest* twin, const core::FetchOptions& fetch) {
    const FloodSource& src = d.source;
    const std::string shown = core::display_uri(src.scenario_uri);
    d.scenario = fetch_scenario(src.scenario_uri, fetch);
    d.has_scenario = true;
    const FloodScenario& s = d.scenario;
    d.title_de = src.title_de.empty() ? s.title_de : src.title_de;
    d.title_en = src.title_en.empty() ? s.title_en : src.title_en;
    d.description_de = s.description_de;
    d.description_en = s.description_en;
    d.duration_s = s.duration_s;
    d.ground = fetch_grid(
        scenario_file(twin, src.scenario_uri, s.terrain, "flood scenario '" + shown + "': terrain"), fetch);
    apply_measures(d.ground, s.measures);
    if (src.results_uri.empty())
        fail("flood scenario '", shown, "' has no results in the twin (nothing to play)");
    const std::string frames_uri = core::resolve_uri(src.results_uri, "frames.zwf");
    DepthFrames frames = decode_frames(core::fetch(frames_uri, fetch), core::display_uri(frames_uri));
    if (!same_grid(frames, d.ground))
        fail("'", core::display_uri(frames_uri), "' is not on the grid of the scenario's terrain");
    // The water at the start, so that playback from 0:00 shows the creek at its normal level.
    if (!s.initial_depth.empty() && !frames.times_s.empty() && frames.times_s.front() > 0) {
        try {
            const AsciiGrid h0 = fetch_grid(scenario_file(twin, src.scenario_uri, s.initial_depth,
                                                          "flood scenario '" + shown + "': initial_depth"),
                                            fetch);
            if (!same_grid(frames, h0)) fail("the initial depth is not on the frames' grid");
            DepthFrames with_start;
            add_frame(with_start, 0.0, h0);
            for (size_t k = 0; k < frames.times_s.size(); ++k) {
                with_start.times_s.push_back(frames.times_s[k]);
                with_start.depth_m.push_back(std::move(frames.depth_m[k]));
            }
            frames = std::move(with_start);
        } catch (const Error& e) {
            warn(d, std::string("playback starts at the first stored frame: ") + e.what());
        }
    }
    d.frames = std::move(frames);
    d.duration_s = std::max(d.duration_s, d.frames.times_s.empty() ? 0.0 : d.frames.times_s.back());
    if (s.sites.empty()) {
        warn(d, "the scenario names no sites: no impacts");
    } else {
        try {
            const std::string uri =
                scenario_file(twin, src.scenario_uri, s.sites, "flood scenario '" + shown + "': sites");
            d.sites = parse_sites(text_of(core::fetch(uri, fetch)), core::display_uri(uri));
        } catch (const Error& e) {
            warn(d, std::string("no impacts: ") + e.what());
        }
    }
    if (!d.sites.empty()) {
        AsciiGrid max_depth, arrival;
        try {
            max_depth = fetch_grid(core::resolve_uri(src.results_uri, "max_depth.asc"), fetch);
            arrival = fetch_grid(core::resolve_uri(src.results_uri, "arrival_time.asc"), fetch);
            if (!same_grid(max_depth, d.ground) || !same_grid(arrival, d.ground))
                fail("max_depth.asc or arrival_time.asc is not on the scenario's grid");
        } catch (const Error& e) {
            warn(d, std::string(e.what()) + "; impacts computed from the stored frames instead");
            max_depth = max_depth_of(d.frames);
            arrival = arrival_of(d.frames);
        }
        fill_impacts(d, max_depth, arrival);
    }
}

void load_import(FloodData& d, const twin::Manifest* twin, const core::FetchOptions& fetch) {
    const FloodSource& src = d.source;
    d.frames = read_depth_folder(src.import_folder, src.import_interval_s);
    d.duration_s = d.frames.times_s.back();
    const std::string name = std::filesystem::path(src.import_folder).lexically_normal().filename().string();
    d.title_de = "Import: " + (name.empty() ? src.import_folder : name);
    d.title_en = d.title_de;
    std::optional<AsciiGrid> folder_ground, twin_ground;
    if (const std::string f = import_ground_file(src.import_folder); !f.empty())
        folder_ground = read_ascii_grid(f);
    // The twin's flood terrain (and its sites, for impacts), from its first flood scenario.
    std::string twin_sites_uri;
    if (twin) {
        for (const FloodSource& t : flood_sources(*twin)) {
            try {
                const FloodScenario s = fetch_scenario(t.scenario_uri, fetch);
                const std::string shown = core::display_uri(t.scenario_uri);
                if (!folder_ground)
                    twin_ground = fetch_grid(scenario_file(twin, t.scenario_uri, s.terrain,
                                                           "flood scenario '" + shown + "': terrain"),
                                             fetch);
                if (!s.sites.empty())
                    twin_sites_uri =
                        scenario_file(twin, t.scenario_uri, s.sites, "flood scenario '" + shown + "': sites");
            } catch (const Error& e) {
                warn(d, e.what());
            }
            break;
        }
    }
    const ImportGround g = choose_import_ground(d.frames, folder_ground ? &*folder_ground : nullptr,
                                                twin_ground ? &*twin_ground : nullptr);
    if (g.source == ImportGround::Source::none) fail(g.message);
    d.ground = g.source == ImportGround::Source::folder ? std::move(*folder_ground) : std::move(*twin_ground);
    if (!twin_sites_uri.empty()) {
        try {
            d.sites =
                parse_sites(text_of(core::fetch(twin_sites_uri, fetch)), core::display_uri(twin_sites_uri));
        } catch (const Error& e) {
            warn(d, std::string("no impacts: ") + e.what());
        }
    }
    if (!d.sites.empty()) fill_impacts(d, max_depth_of(d.frames), arrival_of(d.frames));
}

}  // namespace

std::vector<FloodSource> flood_sources(const twin::Manifest& twin) {
    std::vector<FloodSource> out;
    for (const twin::Scenario& s : twin.scenarios)
        if (s.kind == "flood") out.push_back({s.id, s.title_de, s.title_en, s.uri, s.results, {}, 0});
    return out;
}

std::shared_ptr<const FloodData> load_flood(const FloodSource& source, const twin::Manifest* twin,
                                            const core::FetchOptions& fetch) {
    auto d = std::make_shared<FloodData>();
    d->source = source;
    try {
        if (source.import_folder.empty())
            load_twin_scenario(*d, twin, fetch);
        else
            load_import(*d, twin, fetch);
        if (d->frames.times_s.empty()) fail("no depth frames");
    } catch (const Error& e) {
        fail("flood scenario '", source.id, "': ", e.what());
    }
    fill_inflow(*d);
    d->world = world_grid(d->ground, twin ? twin->geoid_undulation_m : 0.0);
    return d;
}

std::string flood_impacts_csv(const FloodData& d, const core::CsvDialect& csv) {
    if (!d.has_impacts) fail("flood scenario '", d.source.id, "' has no impacts (no sites)");
    return impacts_csv(d.impacts, d.sites, csv);
}

double total_inflow(const FloodScenario& s, double t_s) {
    double q = 0;
    for (const Inflow& in : s.inflows)
        q += in.discharge.at(t_s);
    return q;
}

float flooded_at(const FloodData& d, double t_s) {
    if (!d.has_impacts || d.flooded_over_time.empty()) return 0;
    size_t i = 0;
    while (i + 1 < d.frames.times_s.size() && d.frames.times_s[i + 1] <= t_s)
        ++i;
    return d.flooded_over_time[std::min(i, d.flooded_over_time.size() - 1)];
}

size_t sites_flooded(const FloodData& d, const std::vector<float>& depth) {
    AsciiGrid g = d.ground;
    g.values.assign(depth.begin(), depth.end());
    return count_flooded(g, d.sites, 0.10);
}

bool comparable(const FloodData& base, const FloodData& other) {
    return other.world.nx == base.world.nx && other.world.ny == base.world.ny &&
           same_grid(other.ground, base.ground);
}

void depth_on_ground(std::vector<float>& depth, const FloodData& other, const FloodData& base) {
    const AsciiGrid& ga = base.ground;
    const AsciiGrid& gb = other.ground;
    for (size_t i = 0; i < depth.size() && i < ga.values.size(); ++i) {
        if (!(depth[i] > 0)) continue;
        if (ga.is_nodata(ga.values[i]) || gb.is_nodata(gb.values[i])) continue;
        depth[i] = std::max(0.0f, float(double(depth[i]) + gb.values[i] - ga.values[i]));
    }
}

}  // namespace zw::scenario
