// The town generator's insides, shared by its files (private to app/bake; the public
// side is app/bake/town.h). One Generator draws every random number in one fixed order,
// so that the same recipe and seed give the same town; its steps live in files by topic:
//   town.cpp              the order of the steps, the planning area, the public functions
//   town_roads.cpp        through roads, access roads, street names, farm tracks
//   town_buildings.cpp    parts, ids and placement; farmsteads, houses, the industrial estate
//   town_landmarks.cpp    the civic buildings and the critical sites (water, sewage, power)
//   town_settlements.cpp  villages and residential neighbourhoods
//   town_vegetation.cpp   trees
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "app/bake/layout.h"
#include "app/bake/recipe.h"
#include "app/bake/town.h"

namespace zw::bake::town_detail {

constexpr double pi = 3.14159265358979323846;
using glm::dvec2;

// Wall and roof colours by use (the legend in twin.json lists the same).
struct Palette {
    uint32_t wall, roof;
};
Palette palette_for(const std::string& use);

// Village names: made up from common Franconian parts, so that none is a real place
// by intent. Unique for the first 96.
std::string village_name(int k);

class Generator {
  public:
    Generator(const Recipe& r, Town& t) : recipe_(r), town_(t), rng_(hash64(r.seed)), placer_(t.terrain) {}

    void run();

  private:
    // Where neighbourhoods go: their streets' corners stay within `radius` of `centre`,
    // they are drawn around `core` and keep `core_radius` from it (the market square).
    struct Settlement {
        dvec2 centre{0.0};
        double radius = 0;
        dvec2 core{0.0};
        double core_radius = 0;
    };

    const Terrain& terrain() const { return town_.terrain; }

    // ---- Roads (town_roads.cpp) ----
    uint32_t add_road(Road r);
    // A polyline split at the town's radius: the part inside gets the town name
    // and 50 km/h, the parts outside the road number and 100 km/h.
    void add_through_road(std::vector<dvec2> pts, const std::string& inside_name,
                          const std::string& outside_name);
    void main_roads();
    // A road from `from` straight to the nearest road, if the way is clear.
    void access_road(dvec2 from, const std::string& name);
    std::string street_name();
    bool link_ok(dvec2 a, dvec2 b) const;
    // Farm tracks from the edge of town out into the fields.
    void farm_tracks();

    // ---- Buildings (town_buildings.cpp) ----
    BuildingPart make_part(dvec2 c, double angle, double length, double width, double eave_h, double ridge_h,
                           RoofType roof, const std::string& use);
    std::string next_id();
    std::string inspection_date(int from_year, int to_year);
    // Tries to place `parts` (first part's box checked with margins); on success adds
    // the building and occupies its footprints.
    bool try_place(Building b, double road_margin = 1.0, double box_margin = 1.5);
    // Old farmsteads along the main roads around the market: farmhouse with its gable
    // to the street, a barn behind, sometimes a shed.
    void farmsteads();
    Building house(const std::string& street, int number, int base_year);
    // Houses (and garages) on both sides of a street polyline.
    void houses_along(const Road& road, int base_year, double density, int target);
    void industrial_estate();

    // ---- Landmarks and critical sites (town_landmarks.cpp) ----
    // Places a landmark near its wanted spot, searching outwards when it is taken.
    // `make(offset)` builds the landmark moved by `offset`.
    bool place_near(const std::function<Building(dvec2)>& make);
    Building civic(const std::string& use, int storeys, int year, const std::string& owner,
                   const std::string& kritis);
    void special_buildings();
    // A point `d` metres north (south when negative) of a building's first part.
    static dvec2 front_of(const Building& b, double d);

    // ---- Villages and neighbourhoods (town_settlements.cpp) ----
    // Villages (Ortsteile, recipe key `villages`): disks away from the town and from each
    // other, each with a village street through its centre and a road from the street's
    // end nearer the market to the nearest road. Their neighbourhoods come with the
    // town's. Draws nothing from the generator's random numbers when there are none.
    void villages();
    // Is `p` within a village's disk grown by `margin`?
    bool in_village(dvec2 p, double margin = 60) const;
    // Residential neighbourhoods: a few parallel streets and a collector, linked to
    // the nearest road, filled with houses until the target count is reached. The town
    // and the villages take turns, so that they grow alike.
    void neighbourhoods();
    bool area_ok(const Obb& area, const Settlement& place) const;

    // ---- The planning area (town.cpp) and trees (town_vegetation.cpp) ----
    void planning_area();
    // Trees: one in many back gardens, alders and willows along the creek, and woods on
    // the hilltops (where the terrain is coloured as forest).
    void trees();

    const Recipe& recipe_;
    Town& town_;
    Rng rng_;
    Placer placer_;
    dvec2 market_{0.0};
    std::function<double(double)> ew_y_;
    std::vector<Obb> reserved_;
    std::vector<Settlement> villages_;
    size_t used_names_ = 0;
    int neighbourhood_count_ = 0;
    int critical_sites_ = 0;
};

}  // namespace zw::bake::town_detail
