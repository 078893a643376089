// zw_make_traffic_twin DIR: writes a small twin with one traffic scenario for the viewer's
// command-line tests: twin.json (the sample town's origin), a tileset without content, and
// the scenario "baseline" (6:00 to 6:10) with 30 vehicles, 5 of each class, driving circles
// of 40 to 115 m around the origin, its summary, one closure and the fire brigade's reach.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/scenario/traffic/trajectories.h"

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: zw_make_traffic_twin DIR\n");
        return 2;
    }
    namespace traffic = zw::scenario::traffic;
    const std::filesystem::path dir = argv[1];
    std::filesystem::remove_all(dir);
    // The sample town's origin: 49.617 N, 10.833 E in EPSG:25832.
    const glm::dvec3 origin{632402.786, 5497661.955, 0.0};
    write(dir / "twin.json", R"J({"format": "zwilling-twin", "format_version": 1,
  "twin": {"id": "citizen", "audience": "public", "title_de": "Bürgerzwilling", "title_en": "Citizens' twin"},
  "town": {"name": "Verkehrstest (synthetisch)", "synthetic": true},
  "crs": {"horizontal": "EPSG:25832", "vertical": "heights above sea level (DHHN2016)", "geoid_undulation_m": 47.5},
  "origin": {"easting": 632402.786, "northing": 5497661.955, "height": 300, "lat_deg": 49.617, "lon_deg": 10.833},
  "layers": [{"id": "terrain", "title_de": "Gelände", "title_en": "Terrain", "group": "base",
              "tileset": "terrain/tileset.json", "default_visible": true}],
  "scenarios": [{"id": "baseline", "kind": "traffic", "title_de": "Morgenspitze", "title_en": "Morning peak",
                 "uri": "scenarios/traffic/baseline.json", "results": "scenarios/traffic/baseline", "public": true}]})J");
    write(dir / "terrain" / "tileset.json", R"J({"asset": {"version": "1.1"}, "geometricError": 0,
  "root": {"boundingVolume": {"region": [0.18906, 0.86596, 0.18909, 0.86599, 250, 350]},
           "geometricError": 0, "refine": "REPLACE"}})J");
    write(dir / "scenarios" / "traffic" / "baseline.json",
          R"J({"begin_s": 21600, "end_s": 22200, "title_de": "Morgenspitze (Basis)",
  "title_en": "Morning peak (baseline)"})J");
    const std::filesystem::path results = dir / "scenarios" / "traffic" / "baseline";
    write(results / "summary.json", R"J({"vehicles": 30, "arrived": 28, "mean_travel_time_s": 412.5,
  "median_travel_time_s": 380, "time_loss_vh": 1.25, "waiting_vh": 0.3, "vehicle_km": 140.2})J");
    write(results / "closures.json",
          R"J([{"id": "hauptstrasse", "edges": ["e1", "-e1"], "from_s": 21700, "to_s": 36000,
  "kind": "construction", "reason_de": "Baustelle Hauptstraße", "reason_en": "Construction site Hauptstraße"}])J");
    write(results / "emergency.json",
          R"J({"target_s": 600, "open": {"in_time": 2480, "late": 20, "unreachable": 0},
  "worst": {"in_time": 2300, "late": 190, "unreachable": 10}})J");
    traffic::TrajectoryWriter w((results / "trajectories.zwt").string(), origin);
    for (int t = 0; t <= 600; ++t) {
        w.begin_step(21600.0 + t);
        for (int k = 0; k < int(traffic::vehicle_class_count); ++k)
            for (int j = 0; j < 5; ++j) {
                // Counter-clockwise around the origin: SUMO's heading is minus the polar angle.
                const double a = 0.01 * t + j * 1.2 + k * 0.2, r = 40.0 + 15.0 * k;
                w.add("v" + std::to_string(k) + "_" + std::to_string(j), traffic::VehicleClass(k),
                      origin + glm::dvec3(r * std::cos(a), r * std::sin(a), 300.0),
                      std::fmod(720.0 - a * 180.0 / 3.14159265358979, 360.0), r * 0.01);
            }
    }
    w.finish();
    std::printf("wrote %s\n", dir.string().c_str());
    return 0;
}
