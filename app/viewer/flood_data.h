// A flood scenario as the viewer plays it: the scenario file, its results (depth frames,
// maximum depth, arrival time) and sites from a twin bundle, or a folder of imported
// depth rasters, read through the twin's fetch options (credentials, CA file) on a
// worker thread; and where its raster lies in the world (render::WaterGrid).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/fetch.h"
#include "engine/render/water.h"
#include "engine/scenario/flood/depth_frames.h"
#include "engine/scenario/flood/impacts.h"
#include "engine/scenario/flood/scenario.h"
#include "engine/twin/manifest.h"

namespace zw::viewer {

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
    bool has_scenario = false;         // false for an import
    scenario::FloodScenario scenario;  // inflows for the hydrograph
    scenario::AsciiGrid ground;        // the water's ground: terrain with the measures applied
    scenario::DepthFrames frames;      // with the initial depth at t = 0 when known
    double duration_s = 0;
    std::vector<scenario::Site> sites;
    bool has_impacts = false;
    scenario::Impacts impacts;
    std::vector<float> flooded_over_time;  // sites over 10 cm per frame (frames.times_s)
    std::vector<float> inflow_m3s;         // total inflow at `inflow_samples` times over [0, duration]
    std::vector<std::string> warnings;     // what is missing, shown in the panel
    render::WaterGrid grid;                // `ground` in the world (water_grid)

    static constexpr int inflow_samples = 241;
};

// Reads everything (blocking: a worker thread). Throws zw::Error (core::FetchError for
// fetches) with a message naming the file when the scenario, its terrain or its depth
// frames are missing or corrupt. Missing sites or impact rasters are warnings: the
// impacts are then left out or computed from the frames.
std::shared_ptr<const FloodData> load_flood(const FloodSource& source, const twin::Manifest* twin,
                                            const core::FetchOptions& fetch);

// The impacts of `data` as CSV (scenario::impacts_csv). Throws zw::Error when it has none.
std::string flood_impacts_csv(const FloodData& data);

// The raster's cells as a water grid in world (= ECEF) coordinates: each cell centre's
// easting/northing (EPSG:25832) and ground height above sea level + geoid undulation,
// relative to the grid centre; the axes are the grid's at its centre. NODATA cells get
// the lowest ground and never hold water.
render::WaterGrid water_grid(const scenario::AsciiGrid& ground, double geoid_undulation_m);

// The cell whose ground a ray (world coordinates) meets first, as the cell centre's
// easting/northing; nullopt when it misses the raster. Marches half a cell at a time
// against the water grid's ground (a click on the ground in live mode).
std::optional<scenario::Point> ground_hit(const FloodData& data, const glm::dvec3& eye, glm::dvec3 dir);

// The world position of point (easting, northing) at `height_asl` metres.
glm::dvec3 world_of(double easting, double northing, double height_asl, double geoid_undulation_m);

}  // namespace zw::viewer
