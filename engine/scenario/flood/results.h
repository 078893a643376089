// A flood scenario's results as a view plays them: the scenario file, its depth frames,
// maximum depth, arrival time and sites from a twin bundle, or a folder of imported depth
// rasters, read through the twin's fetch options (credentials, CA file); the impacts, the
// inflow and the flooded buildings over time; where the raster lies in the world; and
// what comparing two of them (A | B) needs. Pure code: no Vulkan, no UI.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/core/fetch.h"
#include "engine/scenario/ascii_grid.h"
#include "engine/scenario/flood/depth_frames.h"
#include "engine/scenario/flood/impacts.h"
#include "engine/scenario/flood/scenario.h"
#include "engine/scenario/world_grid.h"
#include "engine/twin/manifest.h"

namespace zw::scenario {

// What to load: one of the twin's flood scenarios, or an imported depth folder.
struct FloodSource {
    std::string id, title_de, title_en;
    std::string scenario_uri, results_uri;  // a twin's scenario (absolute URIs)
    std::string import_folder;              // else: a local folder of ESRI ASCII depth rasters
    double import_interval_s = 0;           // seconds per number of numbered rasters (LISFLOOD-FP)
};

// The twin's flood scenarios (kind "flood") as sources, in manifest order.
std::vector<FloodSource> flood_sources(const twin::Manifest& twin);

struct FloodData {
    FloodSource source;
    std::string title_de, title_en, description_de, description_en;
    bool has_scenario = false;  // false for an import
    FloodScenario scenario;     // inflows for the hydrograph
    AsciiGrid ground;           // the water's ground: terrain with the measures applied
    DepthFrames frames;         // with the initial depth at t = 0 when known
    double duration_s = 0;
    std::vector<Site> sites;
    bool has_impacts = false;
    Impacts impacts;
    std::vector<float> flooded_over_time;  // sites over 10 cm per frame (frames.times_s)
    std::vector<float> inflow_m3s;         // total inflow at `inflow_samples` times over [0, duration]
    std::vector<std::string> warnings;     // what is missing, for the user
    WorldGrid world;                       // `ground` in the world (world_grid)

    static constexpr int inflow_samples = 241;
};

// Reads everything (blocking: call it on a worker thread). `twin` (may be null for a
// scenario given by path) confines the scenario's file references to the twin's folder
// and gives the geoid undulation; for an import it lends its flood terrain and sites.
// Throws zw::Error (core::FetchError for fetches) with a message naming the file when
// the scenario, its terrain or its depth frames are missing or corrupt. Missing sites or
// impact rasters are warnings: the impacts are then left out or computed from the frames.
std::shared_ptr<const FloodData> load_flood(const FloodSource& source, const twin::Manifest* twin,
                                            const core::FetchOptions& fetch);

// The impacts of `data` as CSV (impacts_csv, in dialect `csv`). Throws zw::Error when it
// has none.
std::string flood_impacts_csv(const FloodData& data, const core::CsvDialect& csv = {});

// The total inflow of the scenario's hydrographs at time t (m^3/s).
double total_inflow(const FloodScenario& scenario, double t_s);

// The sites over 10 cm in the frame at or before time t (the first frame before it);
// 0 without impacts.
float flooded_at(const FloodData& data, double t_s);

// The sites over 10 cm in a depth raster of `data`'s grid (a live run's; cell count as
// the ground's).
size_t sites_flooded(const FloodData& data, const std::vector<float>& depth);

// Whether `other` can be shown on `base`'s grid (compared with it, A | B).
bool comparable(const FloodData& base, const FloodData& other);

// Depths of `other` moved onto `base`'s ground: the same water surface height, kept where
// it lies above base's ground (a retention basin dug in `other` does not show on `base`'s
// terrain). NODATA cells of either ground keep their depth. Both on the same grid.
void depth_on_ground(std::vector<float>& depth, const FloodData& other, const FloodData& base);

}  // namespace zw::scenario
