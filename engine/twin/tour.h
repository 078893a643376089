// Saved views and tours (docs/tours.md): a view is a camera, the layers shown, the
// scenarios and the time shown, and a caption; a tour is a list of views that the viewer
// flies through, dwelling on each. The town's tours are baked into its twins; users save
// their own views as tour files. Also the camera flight between two views: an eased path
// that starts and ends at rest and climbs over what lies between (a height grid of the
// highest surfaces: terrain, roofs, tree tops). Pure code: no Vulkan, no UI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

namespace zw::twin {

struct TourView {
    std::string id;  // optional, for people and scripts
    std::string title_de, title_en, caption_de, caption_en;
    // Metres in the twin's local frame: east, north, up from its origin (as --camera).
    glm::dvec3 eye{0.0}, target{0.0};
    std::optional<double> flight_s;  // the flight to this view; nullopt: from its length
    double dwell_s = 6;              // how long the tour stays on this view
    // Exactly these layers shown (ids); nullopt: the layers stay as they are.
    std::optional<std::vector<std::string>> layers;
    // Scenario ids shown; "" shows none; nullopt: as it is.
    std::optional<std::string> flood, flood_compare, traffic, traffic_b;
    std::optional<double> flood_split;  // 0..1 of the width where B begins
    std::optional<double> time_s;       // the timeline's time
    bool play = false;                  // the timeline plays while the tour dwells here

    bool operator==(const TourView&) const = default;
};

struct Tour {
    std::string id, title_de, title_en;
    std::vector<TourView> views;

    bool operator==(const Tour&) const = default;
};

inline constexpr size_t max_tour_views = 1000;
inline constexpr double max_tour_coordinate_m = 1e6;  // from the twin's origin

// Parses a tour file (`name` in messages). Throws zw::Error naming the field and what to
// write instead: not JSON, nested too deep, a wrong format, no views, a camera that is not
// three finite numbers (or whose eye is its target), a time or duration out of range.
Tour parse_tour(std::string_view text, const std::string& name);
// The tour as a tour file; parse_tour gives it back (numbers to the millimetre).
std::string tour_json(const Tour& tour);

// The highest surface (ground, roofs, tree tops) per cell of a grid, in the twin's local
// frame; the grid's axes may be turned against east and north (grid convergence).
struct SurfaceGrid {
    uint32_t nx = 0, ny = 0;
    double cell_m = 10;
    glm::dvec2 origin{0.0};                      // local x, y of the centre of cell (0, 0)
    glm::dvec2 east{1.0, 0.0}, north{0.0, 1.0};  // unit local directions of columns and rows
    std::vector<float> z;                        // nx * ny, row-major from the south; NaN: no data
    // The highest surface of the cells within `radius` of (x, y); nullopt: none there.
    std::optional<double> highest_near(glm::dvec2 p, double radius) const;
};

// How far above the highest surface a flight stays between its ends.
inline constexpr double flight_clearance_m = 12;

// A camera flight: the eye on a cubic Bezier whose inner points lie straight above its
// ends (so it climbs first, moves, and comes down), the target eased from one to the
// other; time runs through a smoothstep, so the camera starts and stops at rest.
struct CameraFlight {
    glm::dvec3 p0{0.0}, p1{0.0}, p2{0.0}, p3{0.0};
    glm::dvec3 target0{0.0}, target1{0.0};
    double lift_m = 0;  // p1 - p0 and p2 - p3, straight up
    double duration_s = 1;
    struct Pose {
        glm::dvec3 eye{0.0}, target{0.0};
    };
    Pose at(double t_s) const;  // clamped to [0, duration_s]
};

// The flight from one camera to another in `seconds` (nullopt: from how far it goes). It
// climbs in an arc that grows with the distance, and high enough that every point more
// than a cell from its ends keeps `clearance` above `surface` (null: no heights known).
CameraFlight plan_flight(const glm::dvec3& eye0, const glm::dvec3& target0, const glm::dvec3& eye1,
                         const glm::dvec3& target1, std::optional<double> seconds, const SurfaceGrid* surface,
                         double clearance = flight_clearance_m);

}  // namespace zw::twin
