// The town recipe (assets/*.json): what the generator makes, and from which seed.
// Every field has a default; the file names what differs. Unknown keys are an error
// (a typo must not silently bake the default town; the message names the nearest known
// key), and so is every value outside its range:
//
//   key                                  range
//   name, planning_name, creek.name,     printable UTF-8 (no NUL or other control
//     imports[].crs                      characters), 1 to 200 bytes
//   imports[].layer_id, title_de/_en     the same, or empty (the import's defaults)
//   imports[].file                       printable UTF-8, 1 to 4096 bytes
//   description_de, description_en       printable UTF-8, line feeds allowed, <= 4000 bytes
//   seed                                 whole number, 0 to 2^64 - 1
//   origin.lat_deg, origin.lon_deg       0 to 84 N, 6 to 12 E: EPSG:25832's zone (UTM 32N)
//   origin.height_m                      -500 to 9000 m
//   origin.geoid_undulation_m            -110 to 90 m
//   extent_m                             512 to 100,000 m
//   built_up_radius_m                    100 m to extent_m / sqrt 2
//   town_radius_m                        above 0, at most built_up_radius_m
//   terrain.hill_amplitude_m             0 to 500 m
//   terrain.fine_cell_m                  0.5 to 1000 m
//   terrain.outer_cell_m                 terrain.fine_cell_m to 1000 m
//   creek.drop_m                         0 to 500 m
//   creek.channel_depth_m                0.1 to 20 m
//   creek.channel_width_m                0.5 to 200 m
//   creek.water_depth_m                  0 to creek.channel_depth_m
//   creek.floodplain_half_width_m        creek.channel_width_m / 2 to 5000 m
//   creek.floodplain_rise_m              0 to 50 m
//   creek.meander_amplitude_m            0 to 5000 m
//   pond_count                           0 to 100
//   building_target                      0 to 500,000
//   planned_houses                       0 to 24
//   villages.count / radius_m / gap_m    0 to 400 / above 0, below built_up_radius_m /
//                                        0 to 10,000 m
//   tiling.<layer>.max_level             0 to 16
//   tiling.<layer>.leaf_triangles        1 or more; leaf_features 0 or more
//   tiling.<layer>.drop_size_m           0 to extent_m
//   imports[].position                   easting 100,000 to 900,000 m, northing 0 to
//                                        9,400,000 m (EPSG:25832), height -500 to 9000 m
//   imports[].rotation_deg, scale        -360 to 360; 0.0001 to 10,000
//   tours[]                              tour files (docs/tours.md), relative to the recipe
//   flood_scenarios, traffic.network,    true or false
//     traffic.signal_at_market, traffic.scenarios
//
// Numbers are finite; whole numbers must be whole and fit. Before baking,
// estimate_bake_memory says what the recipe will take; zwilling-bake refuses a recipe
// above its limit (the machine's memory, or --max-memory GIB) and says how to proceed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

namespace zw::bake {

struct ImportSpec {
    enum class Kind { model, citygml } kind = Kind::model;
    std::filesystem::path file;  // relative paths resolve against the recipe's folder
    std::string crs = "EPSG:25832";
    glm::dvec3 position{0.0};  // model: easting, northing, height a.s.l.
    double rotation_deg = 0;   // model: counter-clockwise seen from above
    double scale = 1;
    std::string layer_id;
    std::string title_de, title_en;
    std::string access = "council";  // lowest twin that holds it: citizen, council, administration
};

// How one layer of the town is cut into tiles (recipe key `tiling.<layer>`). Unset
// fields take the layer's default, which grows with extents above 4096 m so that tiles
// hold about as much as in the sample town (bundle.cpp, docs/twin-bundle.md).
struct LayerTiling {
    std::optional<int> max_level;       // deepest quadtree level
    std::optional<int> leaf_triangles;  // a node with at most this many full-detail triangles ...
    std::optional<int> leaf_features;   // ... and at most this many features is a leaf (0: any)
    std::optional<double> drop_size_m;  // root tile: features smaller than this are left out
};

// Villages (Ortsteile) around the market town: each a disk of its own streets and
// neighbourhoods, joined to the road network; for large synthetic municipalities.
struct VillagesSpec {
    int count = 0;
    double radius_m = 900;  // houses stand within this radius of the village centre
    double gap_m = 200;     // least distance between two villages' disks (and the town's)
};

struct Recipe {
    std::filesystem::path path;  // where it was read from ("" for the defaults)
    std::string name = "Weisendorf (synthetisch)";
    std::string description_de =
        "Synthetische Modellgemeinde nach dem Vorbild eines fränkischen Marktes; keine echten Daten.";
    std::string description_en = "Synthetic model town after a Franconian market town; not real data.";
    uint64_t seed = 1;

    double origin_lat_deg = 49.617;
    double origin_lon_deg = 10.833;
    double origin_height_m = 300.0;
    double geoid_undulation_m = 47.6;

    double extent_m = 4096;           // the square the town and its tiles cover
    double built_up_radius_m = 1250;  // fine DEM and houses inside this radius
    double town_radius_m = 0;         // the market town's neighbourhoods; 0: built_up_radius_m

    double hill_amplitude_m = 22;
    double fine_cell_m = 2;   // DEM cell inside the built-up area
    double outer_cell_m = 8;  // DEM cell outside

    std::string creek_name = "Seebach";
    double creek_drop_m = 10;      // bed height west edge minus east edge
    double channel_depth_m = 1.6;  // bank above bed
    double channel_width_m = 6;
    double creek_water_depth_m = 0.45;  // normal flow
    double floodplain_half_width_m = 85;
    double floodplain_rise_m = 1.1;  // floodplain edge above the bank
    double meander_amplitude_m = 60;

    int pond_count = 5;
    int building_target = 2500;
    int planned_houses = 18;
    std::string planning_name = "Baugebiet Am Sonnenhang";
    VillagesSpec villages;
    // The HQ100 flood scenarios of the creek (app/bake/flood_bundle.h), run by the bake
    // and stored in the twins: about a minute per scenario.
    bool flood_scenarios = false;
    // The town's tours (docs/tours.md): tour files, baked into every twin with the views
    // that twin can show.
    std::vector<std::filesystem::path> tours;
    // Recipe key `traffic`: `network`, the town's road network for SUMO, built by the bake
    // with SUMO's netconvert and stored in every twin (app/bake/traffic_network.h; the
    // bake needs Debian's sumo package then); `signal_at_market`, a traffic light where
    // the main roads cross at the market square (without it the main roads have
    // priority there, as at every junction they pass).
    bool traffic_network = false;
    bool signal_at_market = false;
    // `traffic.scenarios`: the weekday morning peak run with SUMO for the baseline, a
    // construction site on the Hauptstraße, the HQ100's flooded roads and the development
    // area built (app/bake/traffic_bundle.h); needs `traffic.network`.
    bool traffic_scenarios = false;

    // Whether the council twin names critical sites (app/bake/critical_sites.h): recipe key
    // `critical_sites.council`, "named" (the default) or "generic" (as the citizens' twin
    // shows them: ordinary buildings). The citizens' twin never names them, the
    // administration twin always does (docs/twin-bundle.md, "Critical sites").
    bool council_names_critical_sites = true;
    bool names_critical_sites(const std::string& twin_id) const {
        return twin_id == "administration" || (twin_id == "council" && council_names_critical_sites);
    }

    // Keyed by town layer: buildings, roads, water, trees, planning, utilities.
    std::map<std::string, LayerTiling> tiling;

    // The market town's radius: town_radius_m, or the built-up radius when unset.
    double town_radius() const { return town_radius_m > 0 ? town_radius_m : built_up_radius_m; }

    std::vector<ImportSpec> imports;
};

// building_target above this is refused (a typo, or a bake that would not fit in memory).
inline constexpr int max_building_target = 500000;
// The ranges of the table above.
inline constexpr double min_lat_deg = 0, max_lat_deg = 84, min_lon_deg = 6, max_lon_deg = 12;
inline constexpr double min_easting_m = 100000, max_easting_m = 900000;
inline constexpr double min_northing_m = 0, max_northing_m = 9400000;
inline constexpr double min_height_m = -500, max_height_m = 9000;
inline constexpr double min_extent_m = 512, max_extent_m = 100000;
inline constexpr double min_cell_m = 0.5, max_cell_m = 1000;
inline constexpr int max_pond_count = 100, max_planned_houses = 24;
inline constexpr size_t max_name_bytes = 200, max_description_bytes = 4000;

// Reads a recipe; throws zw::Error naming the file, the key and the problem.
Recipe load_recipe(const std::filesystem::path& path);
// The same for recipe text read from `path` (which names it and anchors its imports).
Recipe parse_recipe(std::string_view text, const std::filesystem::path& path);

// The memory a bake of `recipe` takes at its peak, in bytes, from the recipe's numbers:
// raster cells of the terrain (the built-up disk at terrain.fine_cell_m, the whole square
// at terrain.outer_cell_m, all tile levels held until written), buildings, the trees
// tried on open land (one per 16 m x 16 m), and the flood runs' rasters and frames.
// The per-item costs come from the peak RSS of bakes of the sample town and variants
// (a 1 m DEM cell: +13 bytes per added fine cell; 8192 m extent: +17 MB; buildings: ~6 KB
// each in the sample town, ~9 KB in assets/bench-large.json, whose bake peaked at 1.0 GiB),
// rounded up: the estimate is above the measured peak, by at most 1.7x
// (tests/unit/bake_recipe_test.cpp, BakeRecipe.MemoryIsEstimatedBeforeBakingAndALimitHolds).
// The flood part is counted from what the runs keep: 73 frames of 12 bytes per cell
// per scenario and the solver's state, about 2 KB per cell of the 10 m raster.
struct BakeMemory {
    double terrain = 0, buildings = 0, trees = 0, flood = 0;
    double total = 0;  // the above and what any bake takes
};
inline constexpr double bytes_base = 64.0 * (1 << 20);
inline constexpr double bytes_per_terrain_cell = 12;
inline constexpr double bytes_per_building = 12000;
inline constexpr double bytes_per_open_land_tree_slot = 64;
inline constexpr double bytes_per_flood_cell = 2000;
BakeMemory estimate_bake_memory(const Recipe& recipe);

// Throws zw::Error when estimate_bake_memory is above `limit_bytes`, with the estimate's
// parts and what to do: a smaller town, a coarser terrain, --no-flood, or --max-memory.
// `limit_source` says where the limit came from ("this machine's memory").
void check_bake_memory(const Recipe& recipe, double limit_bytes, const std::string& limit_source);

}  // namespace zw::bake
