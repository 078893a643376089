// The town generator's skeleton: the order of its steps (each step draws from one random
// number stream, so the order is part of the town), the draft development area, and
// the public functions of app/bake/town.h. The steps live in town_roads.cpp,
// town_buildings.cpp, town_landmarks.cpp, town_settlements.cpp and town_vegetation.cpp.
#include "app/bake/town.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/bake/town_internal.h"
#include "engine/core/log.h"

namespace zw::bake {
namespace town_detail {

void Generator::run() {
    main_roads();
    special_buildings();
    farmsteads();
    industrial_estate();
    villages();
    neighbourhoods();
    farm_tracks();
    build_road_graph(town_);
    add_water_bodies(town_, recipe_);
    add_utilities(town_, rng_);
    planning_area();
    trees();
}

void Generator::planning_area() {
    town_.plan_name = recipe_.planning_name;
    if (recipe_.planned_houses <= 0) return;
    const double radius = recipe_.town_radius();
    const double a = pi / 4 + rng_.uniform(-0.3, 0.3);
    const dvec2 c = (radius + 160) * dvec2(std::cos(a), std::sin(a));
    const Obb area{c, a + pi / 2, {170, 110}};
    town_.plan_area = area.corners();
    const dvec2 u = area.axis_u(), v = area.axis_v();
    int n = 0;
    for (int row = 0; row < 3 && n < recipe_.planned_houses; ++row) {
        for (int col = 0; col < 8 && n < recipe_.planned_houses; ++col) {
            const dvec2 p = c + u * (-140 + col * 40.0) + v * (-70 + row * 70.0);
            PlannedBuilding b;
            char id[32];
            std::snprintf(id, sizeof id, "WDF-P-%03d", n + 1);
            b.id = id;
            b.use = rng_.chance(0.25) ? "Mehrfamilienhaus" : "Wohnhaus";
            b.storeys = b.use == "Wohnhaus" ? 2 : 3;
            b.status = "Entwurf";
            const double eave = b.storeys * 2.8 + 0.4;
            b.part = make_part(p, a + pi / 2, b.use == "Wohnhaus" ? 11 : 18, 9, eave, eave + 3.5,
                               RoofType::gabled, "Wohnhaus");
            b.part.wall = rgb(0xf0a040);
            b.part.roof_color = rgb(0xc06020);
            town_.planned.push_back(b);
            ++n;
        }
    }
}

}  // namespace town_detail

const char* road_class_name(RoadClass c) {
    switch (c) {
        case RoadClass::main:
            return "main";
        case RoadClass::residential:
            return "residential";
        case RoadClass::track:
            return "track";
    }
    return "?";
}

double Building::height() const {
    double lo = 1e30, hi = -1e30;
    for (const BuildingPart& p : parts) {
        lo = std::min(lo, p.base + 0.3);
        hi = std::max(hi, p.roof == RoofType::flat || p.roof == RoofType::cylinder ? p.eave : p.ridge);
    }
    return hi - lo;
}

Town generate_town(const Recipe& recipe) {
    Town town(recipe);
    town_detail::Generator(recipe, town).run();
    core::info("bake: town '", town.name, "': ", town.buildings.size(), " buildings, ", town.roads.size(),
               " roads (", town.edges.size(), " graph edges, ", town.nodes.size(), " nodes), ",
               town.water.size(), " water bodies, ", town.utilities.size(), " utility lines, ",
               town.trees.size(), " trees, ", town.planned.size(), " planned buildings");
    return town;
}

}  // namespace zw::bake
