#include "app/bake/town_layers.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "app/bake/critical_sites.h"
#include "app/bake/town_meshes.h"
#include "engine/core/error.h"

namespace zw::bake {

using glm::dvec2;
using glm::dvec3;

double road_z(const Terrain& t, dvec2 p, double lift) {
    double z = t.height(p.x, p.y);
    // Bridges: over the channel the road keeps the bank's height.
    if (t.creek_distance(p.x, p.y) < t.channel_half_width() + 5) z = std::max(z, t.creek_bed(p.x) + 2.0);
    return z + lift;
}

namespace {

// ---- The features of each layer, from the town --------------------------------------

std::vector<Feature> building_features(const Town& town) {
    std::vector<Feature> features;
    for (const Building& b : town.buildings) {
        Feature f;
        f.values = {b.id,
                    b.street,
                    b.house_number,
                    b.use,
                    int64_t(b.storeys),
                    std::round(b.height() * 10) / 10,
                    int64_t(b.year_built),
                    int64_t(b.residents),
                    b.owner_category,
                    b.critical_infrastructure,
                    b.last_inspection};
        TriMesh full, block;
        for (const BuildingPart& p : b.parts) {
            add_part(full, p);
            add_block(block, p);
        }
        f.lods = {std::move(full), std::move(block)};
        if (!b.generic_id.empty()) {
            // An ordinary public building: no address, the generic use and its colours.
            f.generic_values = f.values;
            f.generic_values[0] = b.generic_id;
            f.generic_values[1] = std::string();
            f.generic_values[2] = std::string();
            f.generic_values[3] = std::string(generic_public_use);
            const Rgba8 wall = rgb(generic_public_wall), roof = rgb(generic_public_roof);
            for (const BuildingPart& p : b.parts) {
                f.generic_colors.push_back({p.wall, wall});
                f.generic_colors.push_back({p.roof_color, roof});
            }
            f.generic_colors.push_back({tank_water, roof});
        }
        features.push_back(std::move(f));
    }
    return features;
}

// One feature per edge of the road graph (a road between two junctions).
std::vector<Feature> road_features(const Town& town) {
    std::vector<Feature> features;
    for (size_t i = 0; i < town.edges.size(); ++i) {
        const RoadEdge& e = town.edges[i];
        const Road& r = town.roads[e.road];
        Feature f;
        f.values = {"e" + std::to_string(i), r.name, std::string(road_class_name(r.cls)),
                    int64_t(r.speed_kmh), int64_t(r.lanes)};
        const Rgba8 color = r.cls == RoadClass::track
                                ? rgb(0xa8987a)
                                : (r.cls == RoadClass::main ? rgb(0x4f5254) : rgb(0x66686a));
        const double lift = r.cls == RoadClass::main ? 0.2 : (r.cls == RoadClass::residential ? 0.16 : 0.12);
        TriMesh full, coarse;
        auto z = [&](dvec2 p) { return road_z(town.terrain, p, lift); };
        add_ribbon(full, resample(e.shape, 4), r.width, color, z);
        add_ribbon(coarse, resample(e.shape, 40), r.width, color, z);
        f.lods = {std::move(full), std::move(coarse)};
        features.push_back(std::move(f));
    }
    return features;
}

std::vector<Feature> water_features(const Town& town) {
    std::vector<Feature> features;
    const Rgba8 blue = rgb(0x3f6e8c);
    for (const WaterBody& w : town.water) {
        Feature f;
        f.values = {w.id, w.name, w.kind};
        TriMesh m;
        if (!w.line.empty()) {
            // The creek in pieces of ~200 m, so tiles stay local.
            const auto pts = resample(w.line, 4);
            add_ribbon(m, pts, w.width, blue, [&](dvec2 p) { return town.terrain.creek_water(p.x); });
        } else {
            dvec2 c{0.0};
            for (const dvec2& p : w.outline)
                c += p;
            c /= double(w.outline.size());
            for (size_t i = 0; i < w.outline.size(); ++i)
                add_face(m,
                         {dvec3(c, w.level), dvec3(w.outline[i], w.level),
                          dvec3(w.outline[(i + 1) % w.outline.size()], w.level)},
                         {0, 0, 1}, blue);
        }
        f.lods = {std::move(m)};
        features.push_back(std::move(f));
    }
    return features;
}

std::vector<Feature> tree_features(const Town& town) {
    std::vector<Feature> features;
    for (const Tree& t : town.trees) {
        Feature f;
        f.values = {t.id, t.species, std::round(t.height * 10) / 10};
        TriMesh m;
        add_tree(m, t);
        f.lods = {std::move(m)};
        features.push_back(std::move(f));
    }
    return features;
}

// The planned buildings, and the plan's boundary (Geltungsbereich) as one more feature.
std::vector<Feature> planned_features(const Town& town) {
    std::vector<Feature> features;
    for (const PlannedBuilding& b : town.planned) {
        Feature f;
        f.values = {b.id,
                    town.plan_name,
                    b.use,
                    int64_t(b.storeys),
                    std::round((b.part.ridge - b.part.base - 0.3) * 10) / 10,
                    b.status};
        TriMesh full, block;
        add_part(full, b.part);
        add_block(block, b.part);
        f.lods = {std::move(full), std::move(block)};
        features.push_back(std::move(f));
    }
    if (!town.plan_area.empty()) {
        Feature f;
        f.values = {std::string("WDF-P-GB"), town.plan_name, std::string("Geltungsbereich"), int64_t(0), 0.0,
                    std::string("Entwurf")};
        TriMesh m;
        std::vector<dvec2> ring = town.plan_area;
        ring.push_back(ring.front());
        add_ribbon(m, resample(ring, 5), 2.0, rgb(0xe07b00),
                   [&](dvec2 p) { return town.terrain.height(p.x, p.y) + 0.3; });
        f.lods = {std::move(m)};
        features.push_back(std::move(f));
    }
    return features;
}

std::vector<Feature> utility_features(const Town& town) {
    std::vector<Feature> features;
    for (const UtilityLine& u : town.utilities) {
        Feature f;
        f.values = {u.id,
                    u.network,
                    u.material,
                    int64_t(u.diameter_mm),
                    int64_t(u.year_laid),
                    std::round(u.depth_m * 10) / 10};
        const Rgba8 color = u.network == "Trinkwasser"
                                ? rgb(0x2a6fdb)
                                : (u.network == "Abwasser" ? rgb(0x8b5a2b) : rgb(0xe8702a));
        // Drawn at least 0.5 m thick so that a pipe can be seen and picked.
        const double r = std::max(u.diameter_mm / 2000.0, 0.25);
        auto line3 = [&](double step) {
            std::vector<dvec3> out;
            for (const dvec2& p : resample(u.points, step))
                out.push_back(dvec3(p, town.terrain.height(p.x, p.y) - u.depth_m));
            return out;
        };
        TriMesh full, coarse;
        add_tube(full, line3(5), r, color);
        add_tube(coarse, line3(40), r, color);
        f.lods = {std::move(full), std::move(coarse)};
        features.push_back(std::move(f));
    }
    return features;
}

// ---- The layers as a table -----------------------------------------------------------

// One attribute of a layer's class (a PropertyDef in literals).
struct PropertyRow {
    const char* name;
    PropertyType type;
    Access access;  // the lowest twin allowed to hold it
    const char* title_de;
    const char* title_en;
};

// One layer of the generated town: what the legend, the twins and the tiler know of it,
// and the function that makes its features.
struct LayerRow {
    const char* id;        // folder name in the bundle
    const char* group;     // legend group
    Access access;         // the lowest twin allowed to hold the layer
    const char* title_de;  // "{plan}" stands for the development plan's name
    const char* title_en;
    const char* class_id;  // EXT_structural_metadata class
    std::span<const PropertyRow> properties;
    std::vector<Feature> (*features)(const Town&);
};

constexpr auto string = PropertyType::string;
constexpr auto int32 = PropertyType::int32;
constexpr auto float64 = PropertyType::float64;
constexpr auto citizen = Access::citizen;
constexpr auto council = Access::council;
constexpr auto administration = Access::administration;

constexpr PropertyRow building_properties[] = {
    {"id", string, citizen, "Kennung", "Id"},
    {"street", string, citizen, "Straße", "Street"},
    {"house_number", string, citizen, "Hausnummer", "House number"},
    {"use", string, citizen, "Nutzung", "Use"},
    {"storeys", int32, citizen, "Geschosse", "Storeys"},
    {"height_m", float64, citizen, "Höhe (m)", "Height (m)"},
    {"year_built", int32, citizen, "Baujahr", "Year built"},
    {"residents", int32, council, "Bewohner", "Residents"},
    {"owner_category", string, administration, "Eigentümerart", "Owner category"},
    {"critical_infrastructure", string, administration, "Kritische Infrastruktur", "Critical infrastructure"},
    {"last_inspection", string, administration, "Letzte Begehung", "Last inspection"},
};
constexpr PropertyRow road_properties[] = {
    {"id", string, citizen, "Kennung", "Id"},
    {"name", string, citizen, "Name", "Name"},
    {"class", string, citizen, "Straßenklasse", "Road class"},
    {"speed_limit_kmh", int32, citizen, "Höchstgeschwindigkeit (km/h)", "Speed limit (km/h)"},
    {"lanes", int32, citizen, "Fahrstreifen je Richtung", "Lanes per direction"},
};
constexpr PropertyRow water_properties[] = {
    {"id", string, citizen, "Kennung", "Id"},
    {"name", string, citizen, "Name", "Name"},
    {"kind", string, citizen, "Art", "Kind"},
};
constexpr PropertyRow tree_properties[] = {
    {"id", string, citizen, "Kennung", "Id"},
    {"species", string, citizen, "Baumart", "Species"},
    {"height_m", float64, citizen, "Höhe (m)", "Height (m)"},
};
constexpr PropertyRow planned_properties[] = {
    {"id", string, council, "Kennung", "Id"},
    {"plan", string, council, "Bebauungsplan", "Development plan"},
    {"use", string, council, "Nutzung", "Use"},
    {"storeys", int32, council, "Geschosse", "Storeys"},
    {"height_m", float64, council, "Höhe (m)", "Height (m)"},
    {"status", string, council, "Stand", "Status"},
};
constexpr PropertyRow utility_properties[] = {
    {"id", string, administration, "Kennung", "Id"},
    {"network", string, administration, "Netz", "Network"},
    {"material", string, administration, "Werkstoff", "Material"},
    {"diameter_mm", int32, administration, "Nennweite (mm)", "Diameter (mm)"},
    {"year_laid", int32, administration, "Verlegejahr", "Year laid"},
    {"depth_m", float64, administration, "Tiefe (m)", "Depth (m)"},
};

// In this order in the bundle and the legend (town_layer_ids).
constexpr LayerRow layers[] = {
    {"buildings", "base", citizen, "Gebäude", "Buildings", "building", building_properties,
     building_features},
    {"roads", "base", citizen, "Straßen und Wege", "Roads and tracks", "road", road_properties,
     road_features},
    {"water", "base", citizen, "Gewässer", "Water bodies", "water_body", water_properties, water_features},
    {"trees", "base", citizen, "Bäume", "Trees", "tree", tree_properties, tree_features},
    {"planning", "planning", council, "Planung: {plan}", "Planning: {plan} (draft)", "planned_building",
     planned_properties, planned_features},
    {"utilities", "infrastructure", administration, "Leitungsnetze (Wasser, Abwasser, Strom)",
     "Utility networks (water, sewer, power)", "utility", utility_properties, utility_features},
};

FeatureClass class_of(const LayerRow& row) {
    FeatureClass c{row.class_id, {}};
    for (const PropertyRow& p : row.properties)
        c.properties.push_back({p.name, p.type, p.access, p.title_de, p.title_en});
    return c;
}

// `title` with "{plan}" replaced by the development plan's name.
std::string title_of(const char* title, const Town& town) {
    std::string out = title;
    const std::string placeholder = "{plan}";
    if (const size_t at = out.find(placeholder); at != std::string::npos)
        out.replace(at, placeholder.size(), town.plan_name);
    return out;
}

}  // namespace

FeatureClass building_class() {
    return class_of(layers[0]);
}

const std::vector<std::string>& town_layer_ids() {
    static const std::vector<std::string> ids = [] {
        std::vector<std::string> out;
        for (const LayerRow& row : layers)
            out.push_back(row.id);
        return out;
    }();
    return ids;
}

FeatureLayer town_feature_layer(const Town& town, const std::string& id) {
    for (const LayerRow& row : layers) {
        if (id != row.id) continue;
        FeatureLayer l;
        l.id = row.id;
        l.title_de = title_of(row.title_de, town);
        l.title_en = title_of(row.title_en, town);
        l.group = row.group;
        l.access = row.access;
        l.feature_class = class_of(row);
        l.features = row.features(town);
        return l;
    }
    fail("the town has no layer '", id, "'");
}

bool apply_generic_colors(TileMesh& mesh, const FeatureLayer& layer) {
    bool changed = false;
    for (size_t v = 0; v < mesh.colors.size() && v < mesh.feature_ids.size(); ++v) {
        const auto row = size_t(mesh.feature_ids[v]);
        if (row >= mesh.features.size() || mesh.features[row] >= layer.features.size()) continue;
        for (const auto& [from, to] : layer.features[mesh.features[row]].generic_colors)
            if (mesh.colors[v] == from) {
                mesh.colors[v] = to;
                changed = true;
                break;
            }
    }
    return changed;
}

std::vector<FeatureLayer> town_feature_layers(const Town& town) {
    std::vector<FeatureLayer> out;
    for (const std::string& id : town_layer_ids())
        out.push_back(town_feature_layer(town, id));
    return out;
}

}  // namespace zw::bake
