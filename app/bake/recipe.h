// The town recipe (assets/*.json): what the generator makes, and from which seed.
// Every field has a default; the file names what differs. Unknown keys are an error
// (a typo must not silently bake the default town).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
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

    // Keyed by town layer: buildings, roads, water, trees, planning, utilities.
    std::map<std::string, LayerTiling> tiling;

    // The market town's radius: town_radius_m, or the built-up radius when unset.
    double town_radius() const { return town_radius_m > 0 ? town_radius_m : built_up_radius_m; }

    std::vector<ImportSpec> imports;
};

// building_target above this is refused (a typo, or a bake that would not fit in memory).
inline constexpr int max_building_target = 500000;

// Reads a recipe; throws zw::Error naming the file, the key and the problem.
Recipe load_recipe(const std::filesystem::path& path);

}  // namespace zw::bake
