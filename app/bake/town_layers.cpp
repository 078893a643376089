#include "app/bake/town_layers.h"

#include <algorithm>
#include <cmath>

#include "app/bake/critical_sites.h"
#include "engine/core/error.h"

namespace zw::bake {
namespace {

constexpr double pi = 3.14159265358979323846;
const Rgba8 tank_water = rgb(0x5f7f6a);  // the water in a round tank (a sewage works' basins)
using glm::dvec2;
using glm::dvec3;

// A planar polygon (convex, 3 or 4 points) facing `outward`.
void add_face(TriMesh& m, std::vector<dvec3> pts, const dvec3& outward, Rgba8 color) {
    dvec3 n = glm::cross(pts[1] - pts[0], pts[2] - pts[0]);
    if (pts.size() == 4 && glm::length(n) < 1e-9) n = glm::cross(pts[2] - pts[0], pts[3] - pts[0]);
    if (glm::length(n) < 1e-12) return;  // degenerate
    if (glm::dot(n, outward) < 0) {
        std::reverse(pts.begin(), pts.end());
        n = -n;
    }
    const glm::vec3 nf = glm::normalize(glm::vec3(glm::normalize(n)));
    const auto base = uint32_t(m.positions.size());
    for (const dvec3& p : pts) {
        m.positions.push_back(p);
        m.normals.push_back(nf);
        m.colors.push_back(color);
    }
    for (uint32_t i = 1; i + 1 < pts.size(); ++i) {
        m.indices.insert(m.indices.end(), {base, base + i, base + i + 1});
    }
}

struct Frame2 {
    dvec2 c, u, v;
    dvec3 at(double a, double b, double z) const { return dvec3(c + u * a + v * b, z); }
};

Frame2 frame_of(const BuildingPart& p) {
    return {p.centre, {std::cos(p.angle), std::sin(p.angle)}, {-std::sin(p.angle), std::cos(p.angle)}};
}

void add_walls(TriMesh& m, const BuildingPart& p, double top) {
    const Frame2 f = frame_of(p);
    const double a = p.length / 2, b = p.width / 2;
    const dvec2 c[4] = {{a, b}, {-a, b}, {-a, -b}, {a, -b}};
    for (int i = 0; i < 4; ++i) {
        const dvec2 p0 = c[i], p1 = c[(i + 1) % 4];
        const dvec2 mid = (p0 + p1) / 2.0;
        const dvec3 out = dvec3(f.u * mid.x + f.v * mid.y, 0);
        add_face(m,
                 {f.at(p0.x, p0.y, p.base), f.at(p1.x, p1.y, p.base), f.at(p1.x, p1.y, top),
                  f.at(p0.x, p0.y, top)},
                 out, p.wall);
    }
}

void add_cylinder(TriMesh& m, const BuildingPart& p) {
    const int n = 24;
    const double r = p.length / 2;
    for (int i = 0; i < n; ++i) {
        const double a0 = 2 * pi * i / n, a1 = 2 * pi * (i + 1) / n;
        const dvec2 d0{std::cos(a0), std::sin(a0)}, d1{std::cos(a1), std::sin(a1)};
        const dvec2 q0 = p.centre + r * d0, q1 = p.centre + r * d1;
        add_face(m, {dvec3(q0, p.base), dvec3(q1, p.base), dvec3(q1, p.eave), dvec3(q0, p.eave)},
                 dvec3((d0 + d1) / 2.0, 0), p.wall);
        // Water surface of the tank, slightly below the rim.
        add_face(m, {dvec3(p.centre, p.eave - 0.3), dvec3(q0, p.eave - 0.3), dvec3(q1, p.eave - 0.3)},
                 {0, 0, 1}, tank_water);
    }
}

}  // namespace

void add_box(TriMesh& m, const dvec3& lo, const dvec3& hi, Rgba8 color) {
    const dvec3 c = (lo + hi) / 2.0;
    auto corner = [&](int i) { return dvec3(i & 1 ? hi.x : lo.x, i & 2 ? hi.y : lo.y, i & 4 ? hi.z : lo.z); };
    const int faces[6][4] = {{0, 1, 3, 2}, {4, 5, 7, 6}, {0, 1, 5, 4},
                             {2, 3, 7, 6}, {0, 2, 6, 4}, {1, 3, 7, 5}};
    for (const auto& f : faces) {
        std::vector<dvec3> pts{corner(f[0]), corner(f[1]), corner(f[2]), corner(f[3])};
        const dvec3 mid = (pts[0] + pts[1] + pts[2] + pts[3]) / 4.0;
        add_face(m, pts, mid - c, color);
    }
}

void add_part(TriMesh& m, const BuildingPart& p) {
    if (p.roof == RoofType::cylinder) return add_cylinder(m, p);
    add_walls(m, p, p.eave);
    const Frame2 f = frame_of(p);
    const double a = p.length / 2, b = p.width / 2;
    auto up_out = [&](double x, double y) { return dvec3(f.u * x + f.v * y, 0) + dvec3(0, 0, 1); };
    switch (p.roof) {
        case RoofType::flat:
            add_face(m, {f.at(a, b, p.eave), f.at(-a, b, p.eave), f.at(-a, -b, p.eave), f.at(a, -b, p.eave)},
                     {0, 0, 1}, p.roof_color);
            break;
        case RoofType::gabled: {
            const dvec3 r0 = f.at(-a, 0, p.ridge), r1 = f.at(a, 0, p.ridge);
            add_face(m, {f.at(-a, b, p.eave), f.at(a, b, p.eave), r1, r0}, up_out(0, 1), p.roof_color);
            add_face(m, {f.at(-a, -b, p.eave), f.at(a, -b, p.eave), r1, r0}, up_out(0, -1), p.roof_color);
            add_face(m, {f.at(a, -b, p.eave), f.at(a, b, p.eave), r1}, dvec3(f.u, 0), p.wall);
            add_face(m, {f.at(-a, -b, p.eave), f.at(-a, b, p.eave), r0}, dvec3(-f.u, 0), p.wall);
            break;
        }
        case RoofType::hipped: {
            const double ra = std::max(a - b, 0.0);
            const dvec3 r0 = f.at(-ra, 0, p.ridge), r1 = f.at(ra, 0, p.ridge);
            if (ra > 0.01) {
                add_face(m, {f.at(-a, b, p.eave), f.at(a, b, p.eave), r1, r0}, up_out(0, 1), p.roof_color);
                add_face(m, {f.at(-a, -b, p.eave), f.at(a, -b, p.eave), r1, r0}, up_out(0, -1), p.roof_color);
            } else {
                add_face(m, {f.at(-a, b, p.eave), f.at(a, b, p.eave), r1}, up_out(0, 1), p.roof_color);
                add_face(m, {f.at(-a, -b, p.eave), f.at(a, -b, p.eave), r1}, up_out(0, -1), p.roof_color);
            }
            add_face(m, {f.at(a, -b, p.eave), f.at(a, b, p.eave), r1}, up_out(1, 0), p.roof_color);
            add_face(m, {f.at(-a, -b, p.eave), f.at(-a, b, p.eave), r0}, up_out(-1, 0), p.roof_color);
            break;
        }
        case RoofType::pyramid: {
            const dvec3 apex = f.at(0, 0, p.ridge);
            const dvec2 c[4] = {{a, b}, {-a, b}, {-a, -b}, {a, -b}};
            for (int i = 0; i < 4; ++i) {
                const dvec2 q0 = c[i], q1 = c[(i + 1) % 4], mid = (q0 + q1) / 2.0;
                add_face(m, {f.at(q0.x, q0.y, p.eave), f.at(q1.x, q1.y, p.eave), apex}, up_out(mid.x, mid.y),
                         p.roof_color);
            }
            break;
        }
        case RoofType::cylinder:
            break;
    }
}

void add_block(TriMesh& m, const BuildingPart& p) {
    BuildingPart block = p;
    if (p.roof == RoofType::gabled || p.roof == RoofType::hipped || p.roof == RoofType::pyramid)
        block.eave = p.eave + 0.5 * (p.ridge - p.eave);
    if (p.roof == RoofType::cylinder) {
        const dvec3 lo(p.centre - dvec2(p.length / 2), p.base), hi(p.centre + dvec2(p.length / 2), p.eave);
        return add_box(m, lo, hi, p.wall);
    }
    block.roof = RoofType::flat;
    add_part(m, block);
}

namespace {

PropertyDef prop(const char* name, PropertyType type, Access access, const char* de, const char* en) {
    return {name, type, access, de, en};
}

// Points every `step` metres along a polyline (ends included).
std::vector<dvec2> resample(const std::vector<dvec2>& pts, double step) {
    std::vector<dvec2> out{pts.front()};
    for (size_t i = 1; i < pts.size(); ++i) {
        const dvec2 a = pts[i - 1], b = pts[i];
        const double len = glm::length(b - a);
        const int n = std::max(1, int(std::ceil(len / step)));
        for (int k = 1; k <= n; ++k)
            out.push_back(a + (b - a) * (double(k) / n));
    }
    return out;
}

// A ribbon of `width` along `pts`, each point lifted by `z(point)`.
template <typename ZFn>
void add_ribbon(TriMesh& m, const std::vector<dvec2>& pts, double width, Rgba8 color, ZFn&& z) {
    if (pts.size() < 2) return;
    const auto base = uint32_t(m.positions.size());
    for (size_t i = 0; i < pts.size(); ++i) {
        const dvec2 a = pts[i > 0 ? i - 1 : 0], b = pts[std::min(i + 1, pts.size() - 1)];
        dvec2 t = b - a;
        t = glm::length(t) > 0 ? glm::normalize(t) : dvec2(1, 0);
        const dvec2 n{-t.y, t.x};
        for (int side = -1; side <= 1; side += 2) {
            const dvec2 p = pts[i] + n * (side * width / 2);
            m.positions.push_back(dvec3(p, z(p)));
            m.normals.push_back({0, 0, 1});
            m.colors.push_back(color);
        }
    }
    for (uint32_t i = 0; i + 1 < pts.size(); ++i) {
        // Per point: the right edge first (side -1), then the left.
        const uint32_t right0 = base + 2 * i, left0 = right0 + 1, right1 = right0 + 2, left1 = right0 + 3;
        // Counter-clockwise seen from above.
        m.indices.insert(m.indices.end(), {right0, right1, left1, right0, left1, left0});
    }
}

// A tube of radius r along a 3D polyline (hexagonal cross-section).
void add_tube(TriMesh& m, const std::vector<dvec3>& pts, double r, Rgba8 color) {
    const int sides = 6;
    const auto base = uint32_t(m.positions.size());
    for (size_t i = 0; i < pts.size(); ++i) {
        const dvec3 a = pts[i > 0 ? i - 1 : 0], b = pts[std::min(i + 1, pts.size() - 1)];
        dvec3 t = glm::normalize(b - a);
        dvec3 side = glm::normalize(glm::cross(t, dvec3(0, 0, 1)));
        if (!std::isfinite(side.x)) side = {1, 0, 0};
        const dvec3 up = glm::cross(side, t);
        for (int k = 0; k < sides; ++k) {
            const double ang = 2 * pi * k / sides;
            const dvec3 d = side * std::cos(ang) + up * std::sin(ang);
            m.positions.push_back(pts[i] + d * r);
            m.normals.push_back(glm::normalize(glm::vec3(d)));
            m.colors.push_back(color);
        }
    }
    for (uint32_t i = 0; i + 1 < pts.size(); ++i)
        for (uint32_t k = 0; k < uint32_t(sides); ++k) {
            const uint32_t k1 = (k + 1) % sides;
            const uint32_t a0 = base + i * sides + k, a1 = base + i * sides + k1;
            const uint32_t b0 = a0 + sides, b1 = a1 + sides;
            m.indices.insert(m.indices.end(), {a0, b0, b1, a0, b1, a1});
        }
}

double road_z(const Terrain& t, dvec2 p, double lift) {
    double z = t.height(p.x, p.y);
    // Bridges: over the channel the road keeps the bank's height.
    if (t.creek_distance(p.x, p.y) < t.channel_half_width() + 5) z = std::max(z, t.creek_bed(p.x) + 2.0);
    return z + lift;
}

FeatureLayer buildings_layer(const Town& town) {
    FeatureLayer l;
    l.id = "buildings";
    l.title_de = "Gebäude";
    l.title_en = "Buildings";
    l.group = "base";
    l.access = Access::citizen;
    l.feature_class = building_class();
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
        l.features.push_back(std::move(f));
    }
    return l;
}

FeatureLayer roads_layer(const Town& town) {
    FeatureLayer l;
    l.id = "roads";
    l.title_de = "Straßen und Wege";
    l.title_en = "Roads and tracks";
    l.group = "base";
    l.feature_class = {"road",
                       {prop("id", PropertyType::string, Access::citizen, "Kennung", "Id"),
                        prop("name", PropertyType::string, Access::citizen, "Name", "Name"),
                        prop("class", PropertyType::string, Access::citizen, "Straßenklasse", "Road class"),
                        prop("speed_limit_kmh", PropertyType::int32, Access::citizen,
                             "Höchstgeschwindigkeit (km/h)", "Speed limit (km/h)"),
                        prop("lanes", PropertyType::int32, Access::citizen, "Fahrstreifen je Richtung",
                             "Lanes per direction")}};
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
        l.features.push_back(std::move(f));
    }
    return l;
}

FeatureLayer water_layer(const Town& town) {
    FeatureLayer l;
    l.id = "water";
    l.title_de = "Gewässer";
    l.title_en = "Water bodies";
    l.group = "base";
    l.feature_class = {"water_body",
                       {prop("id", PropertyType::string, Access::citizen, "Kennung", "Id"),
                        prop("name", PropertyType::string, Access::citizen, "Name", "Name"),
                        prop("kind", PropertyType::string, Access::citizen, "Art", "Kind")}};
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
        l.features.push_back(std::move(f));
    }
    return l;
}

FeatureLayer planning_layer(const Town& town) {
    FeatureLayer l;
    l.id = "planning";
    l.title_de = "Planung: " + town.plan_name;
    l.title_en = "Planning: " + town.plan_name + " (draft)";
    l.group = "planning";
    l.access = Access::council;
    l.feature_class = {
        "planned_building",
        {prop("id", PropertyType::string, Access::council, "Kennung", "Id"),
         prop("plan", PropertyType::string, Access::council, "Bebauungsplan", "Development plan"),
         prop("use", PropertyType::string, Access::council, "Nutzung", "Use"),
         prop("storeys", PropertyType::int32, Access::council, "Geschosse", "Storeys"),
         prop("height_m", PropertyType::float64, Access::council, "Höhe (m)", "Height (m)"),
         prop("status", PropertyType::string, Access::council, "Stand", "Status")}};
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
        l.features.push_back(std::move(f));
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
        l.features.push_back(std::move(f));
    }
    return l;
}

// A tree: a square trunk and a six-sided crown with smooth normals (a cone for
// conifers, a double cone with a wide middle for broadleaves): 30 vertices.
void add_tree(TriMesh& m, const Tree& t) {
    const Rgba8 bark = rgb(0x5a4632);
    const double trunk_top = t.ground + t.height * (t.conifer ? 0.25 : 0.4);
    const double trunk_r = std::max(0.15, t.height * 0.025);
    for (int i = 0; i < 4; ++i) {
        const double a0 = pi / 2 * i, a1 = pi / 2 * (i + 1);
        const dvec2 d0{std::cos(a0), std::sin(a0)}, d1{std::cos(a1), std::sin(a1)};
        const dvec2 q0 = t.position + trunk_r * d0, q1 = t.position + trunk_r * d1;
        add_face(m,
                 {dvec3(q0, t.ground - 0.2), dvec3(q1, t.ground - 0.2), dvec3(q1, trunk_top),
                  dvec3(q0, trunk_top)},
                 dvec3((d0 + d1) / 2.0, 0), bark);
    }
    const int sides = 6;
    const double r = t.crown_radius;
    const double base = t.conifer ? trunk_top - 0.5 : trunk_top;
    const double middle = t.conifer ? base + 0.3 : base + 0.45 * (t.height - (trunk_top - t.ground));
    const auto first = uint32_t(m.positions.size());
    m.positions.push_back(dvec3(t.position, t.ground + t.height));  // top
    m.normals.push_back({0, 0, 1});
    m.colors.push_back(t.crown);
    m.positions.push_back(dvec3(t.position, base));  // bottom
    m.normals.push_back({0, 0, -1});
    m.colors.push_back(shade(t.crown, 0.8));
    // The ring twice: facing up and out for the upper cone, down and out for the lower
    // one (for conifers the underside is nearly flat and must face down).
    const float down = t.conifer ? -3.0f : -0.3f;
    for (float nz : {0.3f, down}) {
        for (int i = 0; i < sides; ++i) {
            const double a = 2 * pi * i / sides;
            const dvec2 d{std::cos(a), std::sin(a)};
            m.positions.push_back(dvec3(t.position + r * d, middle));
            m.normals.push_back(glm::normalize(glm::vec3(float(d.x), float(d.y), nz)));
            m.colors.push_back(nz > 0 ? t.crown : shade(t.crown, 0.8));
        }
    }
    for (uint32_t i = 0; i < uint32_t(sides); ++i) {
        const uint32_t a = first + 2 + i, b = first + 2 + (i + 1) % sides;
        const uint32_t la = a + sides, lb = b + sides;
        m.indices.insert(m.indices.end(), {a, b, first, lb, la, first + 1});
    }
}

FeatureLayer trees_layer(const Town& town) {
    FeatureLayer l;
    l.id = "trees";
    l.title_de = "Bäume";
    l.title_en = "Trees";
    l.group = "base";
    l.feature_class = {"tree",
                       {prop("id", PropertyType::string, Access::citizen, "Kennung", "Id"),
                        prop("species", PropertyType::string, Access::citizen, "Baumart", "Species"),
                        prop("height_m", PropertyType::float64, Access::citizen, "Höhe (m)", "Height (m)")}};
    for (const Tree& t : town.trees) {
        Feature f;
        f.values = {t.id, t.species, std::round(t.height * 10) / 10};
        TriMesh m;
        add_tree(m, t);
        f.lods = {std::move(m)};
        l.features.push_back(std::move(f));
    }
    return l;
}

FeatureLayer utilities_layer(const Town& town) {
    FeatureLayer l;
    l.id = "utilities";
    l.title_de = "Leitungsnetze (Wasser, Abwasser, Strom)";
    l.title_en = "Utility networks (water, sewer, power)";
    l.group = "infrastructure";
    l.access = Access::administration;
    const Access a = Access::administration;
    l.feature_class = {"utility",
                       {prop("id", PropertyType::string, a, "Kennung", "Id"),
                        prop("network", PropertyType::string, a, "Netz", "Network"),
                        prop("material", PropertyType::string, a, "Werkstoff", "Material"),
                        prop("diameter_mm", PropertyType::int32, a, "Nennweite (mm)", "Diameter (mm)"),
                        prop("year_laid", PropertyType::int32, a, "Verlegejahr", "Year laid"),
                        prop("depth_m", PropertyType::float64, a, "Tiefe (m)", "Depth (m)")}};
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
        l.features.push_back(std::move(f));
    }
    return l;
}

}  // namespace

FeatureClass building_class() {
    const Access pub = Access::citizen;
    return {"building",
            {prop("id", PropertyType::string, pub, "Kennung", "Id"),
             prop("street", PropertyType::string, pub, "Straße", "Street"),
             prop("house_number", PropertyType::string, pub, "Hausnummer", "House number"),
             prop("use", PropertyType::string, pub, "Nutzung", "Use"),
             prop("storeys", PropertyType::int32, pub, "Geschosse", "Storeys"),
             prop("height_m", PropertyType::float64, pub, "Höhe (m)", "Height (m)"),
             prop("year_built", PropertyType::int32, pub, "Baujahr", "Year built"),
             prop("residents", PropertyType::int32, Access::council, "Bewohner", "Residents"),
             prop("owner_category", PropertyType::string, Access::administration, "Eigentümerart",
                  "Owner category"),
             prop("critical_infrastructure", PropertyType::string, Access::administration,
                  "Kritische Infrastruktur", "Critical infrastructure"),
             prop("last_inspection", PropertyType::string, Access::administration, "Letzte Begehung",
                  "Last inspection")}};
}

const std::vector<std::string>& town_layer_ids() {
    static const std::vector<std::string> ids = {"buildings", "roads",    "water",
                                                 "trees",     "planning", "utilities"};
    return ids;
}

FeatureLayer town_feature_layer(const Town& town, const std::string& id) {
    if (id == "buildings") return buildings_layer(town);
    if (id == "roads") return roads_layer(town);
    if (id == "water") return water_layer(town);
    if (id == "trees") return trees_layer(town);
    if (id == "planning") return planning_layer(town);
    if (id == "utilities") return utilities_layer(town);
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
