// The generated town as plain data: roads (polylines and a graph), buildings as sets
// of simple parts, water bodies, utility lines and the draft development area. The
// generator is deterministic: the same recipe and seed give the same town.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "app/bake/feature_layer.h"
#include "app/bake/recipe.h"
#include "app/bake/terrain.h"

namespace zw::bake {

enum class RoadClass { main, residential, track };
const char* road_class_name(RoadClass c);  // "main", "residential", "track"

struct Road {
    std::string name;
    RoadClass cls = RoadClass::residential;
    std::vector<glm::dvec2> points;  // at least two
    double width = 5.5;
    int speed_kmh = 30;
    int lanes = 1;  // per direction
    // A farm track out into the fields (class track): for farm vehicles only. The other
    // tracks are access roads (to the school, the utility sites) and open to all.
    bool farm = false;
};

struct RoadNode {
    glm::dvec3 position{0.0};  // bake-local, z on the ground
};

struct RoadEdge {
    uint32_t from = 0, to = 0;
    uint32_t road = 0;              // index into Town::roads
    std::vector<glm::dvec2> shape;  // from `from` to `to`, end points included
    double length = 0;
};

enum class RoofType { gabled, hipped, flat, pyramid, cylinder };

// A box (or cylinder) with a roof; the footprint is a rectangle centred at `centre`,
// `length` along `angle`, `width` across. Heights are bake-local z.
struct BuildingPart {
    glm::dvec2 centre{0.0};
    double angle = 0;  // radians, direction of `length` (and of the ridge)
    double length = 10, width = 8;
    double base = 0, eave = 6, ridge = 9;
    RoofType roof = RoofType::gabled;
    Rgba8 wall, roof_color;
};

struct Building {
    std::string id;
    std::string street, house_number;
    std::string use;  // German, as shown to people: "Wohnhaus", "Kirche", ...
    int storeys = 1;
    int year_built = 1970;
    int residents = 0;
    std::string owner_category, critical_infrastructure, last_inspection;
    std::vector<BuildingPart> parts;
    // A critical site (app/bake/critical_sites.h) has an id of its own series ("WDF-K-01")
    // and, for twins that may not name it, the id of an ordinary building that it takes
    // in the ordinary series (no gap there gives it away). Empty for other buildings.
    std::string generic_id;
    double height() const;  // ground to the highest point
};

struct WaterBody {
    std::string id, name, kind;       // kind: "Bach" or "Weiher"
    std::vector<glm::dvec2> line;     // creek: centreline west to east
    std::vector<glm::dvec2> outline;  // pond: polygon
    double width = 0;                 // creek
    double level = 0;                 // pond water level (bake-local z)
};

struct UtilityLine {
    std::string id, network;  // network: "Trinkwasser", "Abwasser", "Strom"
    std::string material;
    int diameter_mm = 100;
    int year_laid = 1980;
    double depth_m = 1.5;  // below ground
    std::vector<glm::dvec2> points;
};

struct Tree {
    std::string id, species;
    glm::dvec2 position{0.0};
    double ground = 0;  // bake-local z at the trunk
    double height = 8, crown_radius = 2.5;
    bool conifer = false;
    Rgba8 crown;
};

struct PlannedBuilding {
    std::string id, use, status;
    int storeys = 2;
    BuildingPart part;
};

// A district: the market town or one of its villages (Ortsteile), as the generator placed
// it: a circle in bake-local metres. The traffic scenarios count trips by the district
// they start in (districts.json, docs/traffic-bundle.md).
struct District {
    std::string name;
    glm::dvec2 centre{0.0};
    double radius = 0;
};

struct Town {
    std::string name;
    Terrain terrain;
    std::vector<Road> roads;
    std::vector<RoadNode> nodes;
    std::vector<RoadEdge> edges;
    glm::dvec2 market{0.0};  // the market square, where the through roads cross
    std::vector<Building> buildings;
    std::vector<WaterBody> water;
    std::vector<UtilityLine> utilities;
    std::vector<Tree> trees;
    std::string plan_name;
    std::vector<glm::dvec2> plan_area;  // polygon
    std::vector<PlannedBuilding> planned;
    std::vector<District> districts;  // the market town first, then the villages

    explicit Town(const Recipe& r) : name(r.name), terrain(r) {}
};

// The critical sites of a town: their id -> the id a twin that may not name them shows.
std::map<std::string, std::string> critical_site_ids(const Town& town);

// Generates the town of `recipe` (logs a summary).
Town generate_town(const Recipe& recipe);

// Splits the roads into a graph at every crossing and T-junction (shared nodes within
// 1 m are merged). Fills town.nodes and town.edges.
void build_road_graph(Town& town);

}  // namespace zw::bake
