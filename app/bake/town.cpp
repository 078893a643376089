#include "app/bake/town.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <unordered_map>

#include "app/bake/critical_sites.h"
#include "app/bake/layout.h"
#include "engine/core/log.h"

namespace zw::bake {
namespace {

constexpr double pi = 3.14159265358979323846;
using glm::dvec2;

// Wall and roof colours by use (the legend in twin.json lists the same).
struct Palette {
    uint32_t wall, roof;
};
Palette palette_for(const std::string& use) {
    static const std::map<std::string, Palette> table = {
        {"Wohnhaus", {0xe9dcc0, 0xa84a32}},    {"Mehrfamilienhaus", {0xe2cfa8, 0x9a4430}},
        {"Garage", {0xc9c4b8, 0x6e6a64}},      {"Bauernhaus", {0xd8b98a, 0x7e3b2a}},
        {"Scheune", {0x9a7a56, 0x6d3a2a}},     {"Gewerbe", {0xb7bcc2, 0x5a5e63}},
        {"Kirche", {0xf2efe8, 0x8f3a2c}},      {"Rathaus", {0xe6c45c, 0x8f3a2c}},
        {"Schule", {0xe7a96b, 0x7b3a2c}},      {"Feuerwehr", {0xc0392b, 0x5a5e63}},
        {"Wasserwerk", {0x7fa3c0, 0x4f5f6e}},  {"Pumpwerk", {0x7fa3c0, 0x4f5f6e}},
        {"Umspannwerk", {0x8c7fc0, 0x4f4f6e}}, {"Kläranlage", {0x6fb0a8, 0x4f5f5e}},
    };
    auto it = table.find(use);
    return it == table.end() ? Palette{0xdddddd, 0x888888} : it->second;
}

// Village names: made up from common Franconian parts, so that none is a real place
// by intent. Unique for the first 96.
std::string village_name(int k) {
    static const char* stems[] = {"Ebers",  "Heid",   "Lind", "Rothen", "Buchen", "Hasel",
                                  "Eichen", "Birken", "Wald", "Mühl",   "Stein",  "Kreuz"};
    static const char* endings[] = {"bach", "dorf", "feld", "hausen", "hof", "reuth", "au", "berg"};
    const int n = int(std::size(stems)), m = int(std::size(endings));
    std::string name = std::string(stems[k % n]) + endings[(k / n + k) % m];
    if (k >= n * m) name += " " + std::to_string(k / (n * m) + 1);
    return name;
}

class Generator {
  public:
    Generator(const Recipe& r, Town& t) : recipe_(r), town_(t), rng_(hash64(r.seed)), placer_(t.terrain) {}

    void run() {
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

    uint32_t add_road(Road r) {
        placer_.add_road(r);
        town_.roads.push_back(std::move(r));
        return uint32_t(town_.roads.size() - 1);
    }

    // A polyline split at the town's radius: the part inside gets the town name
    // and 50 km/h, the parts outside the road number and 100 km/h.
    void add_through_road(std::vector<dvec2> pts, const std::string& inside_name,
                          const std::string& outside_name) {
        const double r = recipe_.town_radius();
        std::vector<std::pair<bool, std::vector<dvec2>>> pieces;
        auto inside = [r](dvec2 p) { return glm::length(p) < r; };
        pieces.push_back({inside(pts[0]), {pts[0]}});
        for (size_t i = 1; i < pts.size(); ++i) {
            const bool in = inside(pts[i]);
            if (in != pieces.back().first) {
                // bisect the crossing
                dvec2 a = pts[i - 1], b = pts[i];
                for (int k = 0; k < 40; ++k) {
                    const dvec2 m = (a + b) / 2.0;
                    (inside(m) == pieces.back().first ? a : b) = m;
                }
                pieces.back().second.push_back(a);
                pieces.push_back({in, {a}});
            }
            pieces.back().second.push_back(pts[i]);
        }
        for (auto& [in, piece] : pieces) {
            if (piece.size() < 2) continue;
            Road road;
            road.cls = RoadClass::main;
            road.name = in ? inside_name : outside_name;
            road.width = 7.0;
            road.speed_kmh = in ? 50 : 100;
            road.points = std::move(piece);
            add_road(std::move(road));
        }
    }

    void main_roads() {
        const double h = terrain().half_extent();
        const double p1 = rng_.uniform(0, 2 * pi), p2 = rng_.uniform(0, 2 * pi);
        auto ns_x = [&](double y) { return 30 * std::sin(y / 700 + p1) + 10 * std::sin(y / 230 + p2); };
        std::vector<dvec2> south, north;
        for (double y = -h; y <= 150 + 1e-9; y += 50)
            south.push_back({ns_x(y), y});
        for (double y = 150; y <= h + 1e-9; y += 50)
            north.push_back({ns_x(y), y});
        market_ = {ns_x(150), 150};
        // Both halves meet at the market square and reach the edges, whatever the extent.
        if (south.back().y < 150) south.push_back(market_);
        if (north.back().y < h) north.push_back({ns_x(h), h});
        add_through_road(south, "Hauptstraße", "St 2263");
        add_through_road(north, "Höchstadter Straße", "St 2263");
        // Kept in ew_y_ beyond this function: captures by value.
        auto ew_y = [p1, p2](double x) {
            return 250 + 45 * std::sin(x / 900 + p2) + 12 * std::sin(x / 260 + p1);
        };
        std::vector<dvec2> west, east;
        for (double x = -h; x <= market_.x + 1e-9; x += 50)
            west.push_back({x, ew_y(x)});
        west.push_back({market_.x, 150});
        // The west road meets the main road at the market square.
        west.back() = market_;
        for (auto& p : west)
            if (p.x > market_.x - 120 && &p != &west.back())
                p.y = glm::mix(p.y, 150.0, (p.x - (market_.x - 120)) / 120);
        std::vector<dvec2> east_pts{market_};
        for (double x = market_.x + 50; x <= h + 1e-9; x += 50) {
            double y = ew_y(x);
            if (x < market_.x + 120) y = glm::mix(150.0, y, (x - market_.x) / 120);
            east_pts.push_back({x, y});
        }
        add_through_road(west, "Neustädter Straße", "ERH 25");
        add_through_road(east_pts, "Erlanger Straße", "ERH 25");
        ew_y_ = [ew_y](double x) { return ew_y(x); };
    }

    BuildingPart make_part(dvec2 c, double angle, double length, double width, double eave_h, double ridge_h,
                           RoofType roof, const std::string& use) {
        BuildingPart p;
        p.centre = c;
        p.angle = angle;
        p.length = length;
        p.width = width;
        const Obb b{c, angle, {length / 2, width / 2}};
        double lo = 1e30, hi = -1e30;
        for (const dvec2& q : b.corners()) {
            const double z = terrain().height(q.x, q.y);
            lo = std::min(lo, z);
            hi = std::max(hi, z);
        }
        p.base = lo - 0.3;
        p.eave = hi + eave_h;
        p.ridge = hi + ridge_h;
        p.roof = roof;
        const Palette pal = palette_for(use);
        // Every house a little different: brightness of the plaster, and the roof tiles
        // from a few common colours. Derived from the position, so it costs no random draws.
        const uint64_t h = hash64(uint64_t(int64_t(std::floor(c.x * 10))) * 0x9e3779b1ull ^
                                  uint64_t(int64_t(std::floor(c.y * 10))));
        p.wall = shade(rgb(pal.wall), 0.92 + 0.1 * double(h % 1000) / 1000.0);
        p.roof_color = rgb(pal.roof);
        if (use == "Wohnhaus" || use == "Mehrfamilienhaus") {
            static const uint32_t roofs[] = {0xa84a32, 0x9a4430, 0x7a3b2e, 0x5b5b5f, 0xb0603a, 0x8c3f2a};
            p.roof_color = rgb(roofs[(h >> 20) % 6]);
        }
        return p;
    }

    std::string next_id() {
        char buf[32];
        std::snprintf(buf, sizeof buf, "WDF-B-%05d", int(town_.buildings.size() + 1));
        return buf;
    }

    std::string inspection_date(int from_year, int to_year) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", rng_.range(from_year, to_year), rng_.range(1, 12),
                      rng_.range(1, 28));
        return buf;
    }

    // Tries to place `parts` (first part's box checked with margins); on success adds
    // the building and occupies its footprints.
    bool try_place(Building b, double road_margin = 1.0, double box_margin = 1.5) {
        for (const BuildingPart& p : b.parts)
            if (!placer_.free(part_box(p), road_margin, box_margin)) return false;
        for (const BuildingPart& p : b.parts)
            placer_.occupy(part_box(p));
        if (is_critical_site(b.critical_infrastructure)) {
            // Its own series, and the ordinary id that twins which may not name it show.
            char buf[32];
            std::snprintf(buf, sizeof buf, "WDF-K-%02d", ++critical_sites_);
            b.generic_id = next_id();
            b.id = buf;
        } else {
            b.id = next_id();
        }
        town_.buildings.push_back(std::move(b));
        return true;
    }

    // Places a landmark near its wanted spot, searching outwards when it is taken.
    // `make(offset)` builds the landmark moved by `offset`.
    bool place_near(const std::function<Building(dvec2)>& make) {
        for (int ring = 0; ring < 12; ++ring) {
            for (int k = 0; k < std::max(1, ring * 6); ++k) {
                const double a = 2 * pi * k / std::max(1, ring * 6);
                if (try_place(make(ring * 9.0 * dvec2(std::cos(a), std::sin(a))), 1.0, 2.0)) return true;
            }
        }
        core::warn("bake: could not place the ", make(dvec2(0.0)).use,
                   " (everything near its spot is taken)");
        return false;
    }

    Building civic(const std::string& use, int storeys, int year, const std::string& owner,
                   const std::string& kritis) {
        Building b;
        b.use = use;
        b.storeys = storeys;
        b.year_built = year;
        b.owner_category = owner;
        b.critical_infrastructure = kritis;
        b.last_inspection = inspection_date(2021, 2026);
        b.street = "";
        return b;
    }

    // A road from `from` straight to the nearest road, if the way is clear.
    void access_road(dvec2 from, const std::string& name) {
        dvec2 to;
        if (!placer_.nearest_road(from, 500, to)) return;
        if (glm::length(to - from) < 5) return;
        Road r;
        r.name = name;
        r.cls = RoadClass::track;
        r.width = 3.5;
        r.speed_kmh = 30;
        r.points = {from, to};
        add_road(std::move(r));
    }

    void special_buildings() {
        const dvec2 c = market_;
        // The tracks to the critical sites carry no name that leads to them (a street named
        // after the water works would name it in every twin's road layer).
        const std::string critical_access = "Wirtschaftsweg";
        place_near([&](dvec2 o) {
            Building b = civic("Rathaus", 3, 1732, "Gemeinde", "Verwaltung");
            b.street = "Marktplatz";
            b.house_number = "1";
            b.parts.push_back(
                make_part(c + dvec2(24, 8) + o, pi / 2, 20, 14, 10, 15, RoofType::hipped, "Rathaus"));
            return b;
        });
        place_near([&](dvec2 o) {
            Building b = civic("Kirche", 1, 1496, "Kirchengemeinde", "keine");
            b.street = "Kirchplatz";
            b.house_number = "2";
            const dvec2 nave = c + dvec2(-52, 45) + o;
            b.parts.push_back(make_part(nave, 0, 32, 14, 10, 19, RoofType::gabled, "Kirche"));
            BuildingPart tower =
                make_part(nave + dvec2(-20, 0), 0, 8, 8, 27, 39, RoofType::pyramid, "Kirche");
            tower.roof_color = rgb(0x4d5560);
            b.parts.push_back(tower);
            return b;
        });
        if (place_near([&](dvec2 o) {
                Building b = civic("Schule", 3, 1968, "Gemeinde", "keine");
                b.street = "Schulstraße";
                b.house_number = "10";
                const dvec2 s = c + dvec2(-230, 330) + o;
                b.parts.push_back(make_part(s, 0, 52, 16, 10, 13.5, RoofType::hipped, "Schule"));
                b.parts.push_back(
                    make_part(s + dvec2(-17, -23), pi / 2, 30, 14, 10, 13.5, RoofType::hipped, "Schule"));
                return b;
            }))
            access_road(front_of(town_.buildings.back(), 10), "Schulstraße");
        place_near([&](dvec2 o) {
            Building b = civic("Feuerwehr", 2, 1994, "Gemeinde", "Rettungswesen");
            b.street = "Erlanger Straße";
            b.house_number = "31";
            const dvec2 f = dvec2(c.x + 210, ew_y_(c.x + 210) + 28) + o;
            b.parts.push_back(make_part(f, 0, 26, 16, 7, 9.5, RoofType::gabled, "Feuerwehr"));
            b.parts.push_back(make_part(f + dvec2(15.5, 5), 0, 4, 4, 17, 17, RoofType::flat, "Feuerwehr"));
            return b;
        });
        if (place_near([&](dvec2 o) {
                Building b = civic("Wasserwerk", 1, 1978, "Zweckverband Wasserversorgung", "KRITIS Wasser");
                b.street = "Am Wasserwerk";
                b.house_number = "1";
                b.parts.push_back(make_part(dvec2(-980, terrain().creek_y(-980) + 150) + o, 0.2, 24, 14, 6, 9,
                                            RoofType::hipped, "Wasserwerk"));
                return b;
            }))
            access_road(front_of(town_.buildings.back(), 10), critical_access);
        if (place_near([&](dvec2 o) {
                Building b = civic("Pumpwerk", 1, 1989, "Zweckverband Abwasser", "KRITIS Abwasser");
                b.street = "Am Seebach";
                b.house_number = "2";
                b.parts.push_back(make_part(dvec2(380, terrain().creek_y(380) + 24) + o, 0, 9, 7, 3.5, 3.5,
                                            RoofType::flat, "Pumpwerk"));
                return b;
            }))
            access_road(front_of(town_.buildings.back(), 6), critical_access);
        if (place_near([&](dvec2 o) {
                Building b = civic("Umspannwerk", 1, 1983, "Energieversorger", "KRITIS Energie");
                b.street = "Am Umspannwerk";
                b.house_number = "1";
                const dvec2 u = dvec2(-700, -520) + o;
                b.parts.push_back(make_part(u, 0.3, 16, 10, 4.5, 4.5, RoofType::flat, "Umspannwerk"));
                for (int k = 0; k < 3; ++k)
                    b.parts.push_back(make_part(u + dvec2(-12 + 9 * k, 14), 0.3, 5, 4, 3.2, 3.2,
                                                RoofType::flat, "Umspannwerk"));
                return b;
            }))
            access_road(front_of(town_.buildings.back(), -8), critical_access);
        if (place_near([&](dvec2 o) {
                Building b = civic("Kläranlage", 1, 1975, "Zweckverband Abwasser", "KRITIS Abwasser");
                b.street = "Am Klärwerk";
                b.house_number = "1";
                const dvec2 k = dvec2(1560, terrain().creek_y(1560) + 75) + o;
                b.parts.push_back(make_part(k, 0, 20, 10, 5, 5, RoofType::flat, "Kläranlage"));
                b.parts.push_back(
                    make_part(k + dvec2(-30, 22), 0, 28, 28, 3.5, 3.5, RoofType::cylinder, "Kläranlage"));
                b.parts.push_back(
                    make_part(k + dvec2(4, 26), 0, 24, 24, 3.5, 3.5, RoofType::cylinder, "Kläranlage"));
                return b;
            }))
            access_road(front_of(town_.buildings.back(), 8), critical_access);
    }

    // A point `d` metres north (south when negative) of a building's first part.
    static dvec2 front_of(const Building& b, double d) {
        const BuildingPart& p = b.parts[0];
        return p.centre + dvec2(0, d + (d > 0 ? 1 : -1) * p.width / 2);
    }

    // Old farmsteads along the main roads around the market: farmhouse with its gable
    // to the street, a barn behind, sometimes a shed.
    void farmsteads() {
        const size_t main_roads = town_.roads.size();
        int number = 0;
        for (size_t ri = 0; ri < main_roads; ++ri) {
            const Road road = town_.roads[ri];
            const double len = polyline_length(road.points);
            for (int side = -1; side <= 1; side += 2) {
                for (double s = rng_.uniform(10, 30); s < len; s += rng_.uniform(36, 48)) {
                    auto [p, t] = along(road.points, s);
                    if (glm::length(p - market_) > 420 || glm::length(p - market_) < 60) continue;
                    const dvec2 n{-t.y * side, t.x * side};
                    const double angle = std::atan2(t.y, t.x);
                    Building b;
                    b.use = "Bauernhaus";
                    b.street = road.name;
                    b.house_number = std::to_string(++number * 2 - (side < 0 ? 1 : 0));
                    b.storeys = 2;
                    b.year_built = rng_.range(1720, 1925);
                    b.residents = rng_.range(2, 6);
                    b.owner_category = "privat";
                    b.critical_infrastructure = "keine";
                    const dvec2 house_c = p + n * (road.width / 2 + 3 + 7);
                    b.parts.push_back(
                        make_part(house_c, angle + pi / 2, 14, 10, 5.8, 11, RoofType::gabled, "Bauernhaus"));
                    if (!try_place(b)) continue;
                    Building barn = b;
                    barn.use = "Scheune";
                    barn.residents = 0;
                    barn.storeys = 1;
                    barn.parts = {make_part(p + n * (road.width / 2 + 3 + 14 + 12) + t * rng_.uniform(-4, 4),
                                            angle, 22, 11, 6, 12, RoofType::gabled, "Scheune")};
                    try_place(barn);
                    if (rng_.chance(0.5)) {
                        Building shed = barn;
                        shed.use = "Garage";
                        shed.parts = {make_part(house_c + t * 12.0, angle + pi / 2, 9, 6, 3, 5,
                                                RoofType::gabled, "Garage")};
                        try_place(shed);
                    }
                }
            }
        }
    }

    Building house(const std::string& street, int number, int base_year) {
        Building b;
        b.street = street;
        b.house_number = std::to_string(number);
        if (rng_.chance(0.08)) b.house_number += "a";
        b.year_built = std::clamp(base_year + rng_.range(-6, 6), 1900, 2025);
        b.owner_category = "privat";
        b.critical_infrastructure = "keine";
        return b;
    }

    // Houses (and garages) on both sides of a street polyline.
    void houses_along(const Road& road, int base_year, double density, int target) {
        const double len = polyline_length(road.points);
        int numbers[2] = {1, 2};
        for (int side = -1; side <= 1; side += 2) {
            for (double s = rng_.uniform(8, 16); s < len - 8; s += rng_.uniform(19, 25)) {
                if (int(town_.buildings.size()) >= target) return;
                if (!rng_.chance(density)) continue;
                auto [p, t] = along(road.points, s);
                const dvec2 n{-t.y * side, t.x * side};
                const double angle = std::atan2(t.y, t.x);
                const bool multi = rng_.chance(0.1);
                const double length = multi ? rng_.uniform(16, 20) : rng_.uniform(9, 12.5);
                const double depth = multi ? rng_.uniform(11, 13) : rng_.uniform(8, 10.5);
                const int storeys = multi ? 3 : (rng_.chance(0.7) ? 2 : 1);
                const double eave = storeys * 2.8 + 0.4;
                const double pitch = rng_.uniform(30, 45) * pi / 180;
                const double ridge = eave + std::tan(pitch) * depth / 2;
                const double r = rng_.uniform();
                const RoofType roof =
                    r < 0.6 ? RoofType::gabled : (r < 0.9 ? RoofType::hipped : RoofType::flat);
                const dvec2 c = p + n * (road.width / 2 + rng_.uniform(4, 7) + depth / 2);
                Building b = house(road.name, numbers[side > 0], base_year);
                b.use = multi ? "Mehrfamilienhaus" : "Wohnhaus";
                b.storeys = storeys;
                b.residents = multi ? rng_.range(7, 14) : rng_.range(1, 2 * storeys + 1);
                b.parts.push_back(make_part(c, angle, length, depth, eave,
                                            roof == RoofType::flat ? eave : ridge, roof, b.use));
                if (!try_place(b)) continue;
                numbers[side > 0] += 2;
                if (rng_.chance(0.3) && int(town_.buildings.size()) < target) {
                    Building g = b;
                    g.use = "Garage";
                    g.residents = 0;
                    g.storeys = 1;
                    const double off = (length / 2 + 2.3) * (rng_.chance(0.5) ? 1 : -1);
                    g.parts = {make_part(c + t * off - n * (depth / 2 - 3.2), angle, 3.6, 6.2, 2.7, 2.7,
                                         RoofType::flat, "Garage")};
                    try_place(g, 0.5, 0.6);
                }
            }
        }
    }

    std::string street_name() {
        static const char* names[] = {
            "Lindenweg",        "Birkenweg",         "Ahornstraße",   "Eichenstraße",     "Fichtenweg",
            "Gartenstraße",     "Bergstraße",        "Mühlweg",       "Rosenstraße",      "Tulpenweg",
            "Nelkenweg",        "Frankenstraße",     "Weiherstraße",  "Sonnenstraße",     "Am Anger",
            "Raiffeisenstraße", "Kastanienweg",      "Ulmenweg",      "Buchenweg",        "Erlenweg",
            "Am Seebach",       "Steigerwaldstraße", "Jurastraße",    "Aischgrundstraße", "Keltenweg",
            "Am Hang",          "Am Sportplatz",     "Schlehenweg",   "Holunderweg",      "Wiesenweg",
            "Kirchenweg",       "Brunnenstraße",     "Schulweg",      "Friedhofstraße",   "Lerchenweg",
            "Amselweg",         "Finkenweg",         "Meisenweg",     "Drosselweg",       "Starenweg",
            "Falkenstraße",     "Habichtweg",        "Kiefernweg",    "Tannenweg",        "Am Weinberg",
            "Hopfenweg",        "Karpfenweg",        "Am Mühlbach",   "Blumenstraße",     "Veilchenweg",
            "Asternweg",        "Dahlienweg",        "Lilienweg",     "Am Rain",          "Hirtengasse",
            "Schmiedgasse",     "Zehntstraße",       "Schlossstraße", "Bachgasse",        "Oberer Weg",
        };
        const size_t n = sizeof names / sizeof names[0];
        const size_t k = used_names_++;
        return k < n ? names[k] : std::string(names[k % n]) + " " + std::to_string(k / n + 1);
    }

    void industrial_estate() {
        const double x0 = 820 + rng_.uniform(0, 80);
        const dvec2 start{x0, ew_y_(x0)};
        dvec2 end = start + dvec2(40, 380);
        Road r;
        r.name = "Gewerbering";
        r.cls = RoadClass::residential;
        r.width = 7;
        r.speed_kmh = 50;
        r.points = {start, start + dvec2(10, 190), end};
        add_road(r);
        const double len = polyline_length(r.points);
        int number = 1;
        for (int side = -1; side <= 1; side += 2) {
            for (double s = 40; s < len - 20; s += rng_.uniform(55, 70)) {
                auto [p, t] = along(r.points, s);
                const dvec2 n{-t.y * side, t.x * side};
                const double l = rng_.uniform(30, 50), w = rng_.uniform(20, 32), h = rng_.uniform(7, 10);
                Building b;
                b.use = "Gewerbe";
                b.street = r.name;
                b.house_number = std::to_string(number++);
                b.storeys = 1;
                b.year_built = rng_.range(1975, 2018);
                b.owner_category = "Gewerbebetrieb";
                b.critical_infrastructure = "keine";
                b.parts.push_back(make_part(p + n * (3.5 + 8 + w / 2), std::atan2(t.y, t.x), l, w, h, h,
                                            RoofType::flat, "Gewerbe"));
                try_place(b, 2, 4);
            }
        }
        reserved_.push_back({(start + end) / 2.0, std::atan2(end.y - start.y, end.x - start.x), {220, 120}});
    }

    // Villages (Ortsteile, recipe key `villages`): disks away from the town and from each
    // other, each with a village street through its centre and a road from the street's
    // end nearer the market to the nearest road. Their neighbourhoods come with the
    // town's. Draws nothing from the generator's random numbers when there are none.
    void villages() {
        const VillagesSpec& spec = recipe_.villages;
        if (spec.count <= 0) return;
        const double room = terrain().built_up_radius() - spec.radius_m;
        const double lim = terrain().half_extent() - 60 - spec.radius_m;
        const double floodplain = terrain().floodplain_half_width();
        for (int k = 0; k < spec.count; ++k) {
            bool placed = false;
            for (int attempt = 0; attempt < 2000 && !placed; ++attempt) {
                const double a = rng_.uniform(0, 2 * pi);
                const dvec2 c = std::sqrt(rng_.uniform()) * room * dvec2(std::cos(a), std::sin(a));
                if (std::abs(c.x) > lim || std::abs(c.y) > lim) continue;
                if (glm::length(c) < recipe_.town_radius() + spec.radius_m + spec.gap_m) continue;
                if (in_village(c, spec.radius_m + spec.gap_m)) continue;
                if (terrain().creek_distance(c.x, c.y) < floodplain + 40 || terrain().pond_distance(c) < 80)
                    continue;
                const double angle = rng_.uniform(0, pi);
                const dvec2 u{std::cos(angle), std::sin(angle)}, n{-u.y, u.x};
                const double half = 0.75 * spec.radius_m, bend = rng_.uniform(-0.05, 0.05) * spec.radius_m;
                std::vector<dvec2> street;
                for (int i = -4; i <= 4; ++i)
                    street.push_back(c + u * (half * i / 4.0) + n * (bend * (1 - (i * i) / 16.0)));
                const dvec2 from =
                    glm::length(street.front() - market_) < glm::length(street.back() - market_)
                        ? street.front()
                        : street.back();
                dvec2 to;
                // The market square lies on a road: the nearest road is no farther.
                if (!placer_.nearest_road(from, glm::length(from - market_) + 1, to)) continue;
                if (!placer_.street_clear(from, to, 4.5) ||
                    !placer_.street_clear(street.front(), street.back(), 4.5))
                    continue;
                const std::string name = village_name(k);
                Road main;
                main.name = "Dorfstraße (" + name + ")";
                main.cls = RoadClass::main;
                main.width = 6.5;
                main.speed_kmh = 50;
                main.points = street;
                add_road(std::move(main));
                if (glm::length(to - from) > 1) {
                    Road link;
                    link.name = "ERH " + std::to_string(31 + k);
                    link.cls = RoadClass::main;
                    link.width = 6.0;
                    link.speed_kmh = 100;
                    link.points = {from, to};
                    add_road(std::move(link));
                }
                villages_.push_back({c, spec.radius_m, c, 80});
                placed = true;
            }
            if (!placed) {
                core::warn(
                    "bake: placed ", k, " of ", spec.count,
                    " villages; there is no room for more (raise built_up_radius_m or lower villages.gap_m)");
                break;
            }
        }
        core::info("bake: ", villages_.size(), " villages of ", spec.radius_m, " m around the town");
    }

    // Is `p` within a village's disk grown by `margin`?
    bool in_village(dvec2 p, double margin = 60) const {
        for (const Settlement& v : villages_)
            if (glm::length(p - v.centre) < v.radius + margin) return true;
        return false;
    }

    // Residential neighbourhoods: a few parallel streets and a collector, linked to
    // the nearest road, filled with houses until the target count is reached. The town
    // and the villages take turns, so that they grow alike.
    void neighbourhoods() {
        const int target = recipe_.building_target;
        std::vector<Settlement> places{{dvec2(0.0), recipe_.town_radius(), market_, 300}};
        places.insert(places.end(), villages_.begin(), villages_.end());
        const int attempts = 3000 * int(places.size());
        for (int attempt = 0; attempt < attempts && int(town_.buildings.size()) < target; ++attempt) {
            const Settlement& place = places[size_t(attempt) % places.size()];
            const double a = rng_.uniform(0, 2 * pi);
            const double r = std::sqrt(rng_.uniform(0.12, 0.85)) * place.radius;
            const dvec2 c = place.core + r * dvec2(std::cos(a), std::sin(a));
            const double angle = rng_.uniform(0, pi);
            const int streets = rng_.range(2, 5);
            const double spacing = rng_.uniform(56, 64);
            const double length = rng_.uniform(220, 420);
            const Obb area{c, angle, {length / 2 + 12, (streets - 1) * spacing / 2 + 35}};
            if (!area_ok(area, place)) continue;
            const dvec2 u = area.axis_u(), v = area.axis_v();
            std::vector<Road> new_roads;
            // The collector runs across the streets at one end and links to the town.
            const dvec2 col_a = c - u * (length / 2) - v * ((streets - 1) * spacing / 2 + 0.0);
            const dvec2 col_b = c - u * (length / 2) + v * ((streets - 1) * spacing / 2 + 0.0);
            for (int k = 0; k < streets; ++k) {
                const dvec2 base = c + v * ((k - (streets - 1) / 2.0) * spacing);
                Road s;
                s.name = street_name();
                s.points = {base - u * (length / 2), base + u * (rng_.uniform(-0.1, 0.1) * length),
                            base + u * (length / 2)};
                s.points[1] += v * rng_.uniform(-4, 4);
                new_roads.push_back(s);
            }
            Road collector;
            collector.name = street_name();
            collector.points = {col_a, col_b};
            // Link from the collector end nearer the centre to the nearest road.
            const dvec2 link_from =
                glm::length(col_a - place.core) < glm::length(col_b - place.core) ? col_a : col_b;
            dvec2 link_to;
            if (!placer_.nearest_road(link_from, 450, link_to)) continue;
            Road link;
            link.name = collector.name;
            link.points = {link_from, link_to};
            bool clear = placer_.street_clear(link_from, link_to, 4.5);
            for (const Road& s : new_roads)
                clear = clear && placer_.street_clear(s.points.front(), s.points.back(), 4.5);
            clear = clear && placer_.street_clear(col_a, col_b, 4.5);
            if (!clear || !link_ok(link_from, link_to)) continue;
            reserved_.push_back(area);
            const int base_year = rng_.range(1950, 2022);
            const uint32_t collector_id = add_road(collector);
            if (glm::length(link_to - link_from) > 1) add_road(link);
            std::vector<uint32_t> ids;
            for (Road& s : new_roads)
                ids.push_back(add_road(std::move(s)));
            for (uint32_t id : ids)
                houses_along(town_.roads[id], base_year, 0.95, target);
            houses_along(town_.roads[collector_id], base_year, 0.9, target);
            ++neighbourhood_count_;
        }
        // Infill along the through roads inside the town.
        const size_t road_count = town_.roads.size();
        for (size_t i = 0; i < road_count && int(town_.buildings.size()) < target; ++i) {
            const Road road = town_.roads[i];
            if (road.cls == RoadClass::main && road.speed_kmh == 50) houses_along(road, 1965, 0.8, target);
        }
        if (int(town_.buildings.size()) < target)
            core::warn("bake: placed ", town_.buildings.size(), " of ", target,
                       " buildings; the town's area is full (raise built_up_radius_m, or town_radius_m and "
                       "villages)");
    }

    bool area_ok(const Obb& area, const Settlement& place) const {
        const double reach = glm::length(area.half);
        for (const Obb& o : reserved_) {
            // Far apart: no overlap (a bound on the separating-axis test, which is costly).
            if (glm::length(area.c - o.c) > 1.5 * (reach + glm::length(o.half) + 4)) continue;
            if (boxes_overlap(area, o, 4)) return false;
        }
        for (const dvec2& p : area.corners())
            if (glm::length(p - place.centre) > place.radius + 60 ||
                glm::length(p - place.core) < place.core_radius)
                return false;
        if (glm::length(area.c - place.core) < place.core_radius) return false;
        // Keep streets out of the creek and ponds (sample the area).
        const dvec2 u = area.axis_u(), v = area.axis_v();
        for (double i = -1; i <= 1.0001; i += 0.125)
            for (double j = -1; j <= 1.0001; j += 0.25) {
                const dvec2 p = area.c + u * (i * area.half.x) + v * (j * area.half.y);
                if (terrain().creek_distance(p.x, p.y) < terrain().channel_half_width() + 25) return false;
                if (terrain().pond_distance(p) < 15) return false;
            }
        return true;
    }

    bool link_ok(dvec2 a, dvec2 b) const {
        for (double t = 0; t <= 1.0001; t += 0.05) {
            const dvec2 p = a + t * (b - a);
            if (terrain().creek_distance(p.x, p.y) < terrain().channel_half_width() + 4) return false;
        }
        return true;
    }

    // Farm tracks from the edge of town out into the fields.
    void farm_tracks() {
        const double r = recipe_.town_radius(), h = terrain().half_extent() - 5;
        static const char* names[] = {"Flurweg", "Feldweg", "Waldweg", "Weiherweg"};
        for (int k = 0; k < 10; ++k) {
            const double a = (k + rng_.uniform(0.2, 0.8)) * 2 * pi / 10;
            const dvec2 dir{std::cos(a), std::sin(a)};
            const dvec2 start = dir * (r + 20);
            dvec2 on_road;
            if (!placer_.nearest_road(start, 600, on_road)) continue;
            std::vector<dvec2> pts{on_road, start};
            dvec2 p = start;
            double heading = a;
            while (std::abs(p.x) < h && std::abs(p.y) < h && pts.size() < 80) {
                heading += rng_.uniform(-0.12, 0.12);
                const dvec2 next = p + 60.0 * dvec2(std::cos(heading), std::sin(heading));
                if (terrain().creek_distance(next.x, next.y) < 12 || terrain().pond_distance(next) < 10)
                    break;
                if (in_village(next)) break;  // tracks end at a village's edge
                p = glm::clamp(next, dvec2(-h), dvec2(h));
                pts.push_back(p);
                if (std::abs(p.x) >= h || std::abs(p.y) >= h) break;
            }
            if (pts.size() < 3 || !link_ok(on_road, start) || !placer_.street_clear(on_road, start, 2.5))
                continue;
            Road t;
            t.name = std::string(names[k % 4]) + " " + std::to_string(k + 1);
            t.cls = RoadClass::track;
            t.width = 3.0;
            t.speed_kmh = 30;
            t.points = std::move(pts);
            add_road(std::move(t));
        }
    }

    void planning_area() {
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

    // Trees: one in many back gardens, alders and willows along the creek, and woods on
    // the hilltops (where the terrain is coloured as forest).
    void trees() {
        int n = 0;
        auto add = [&](dvec2 p, const char* species, double height, double radius, bool conifer,
                       uint32_t color) {
            const Obb spot{p, 0, {1.2, 1.2}};
            if (!placer_.free(spot, 1.0, 0.5, 1.5)) return;
            placer_.occupy(spot);
            Tree t;
            char id[32];
            std::snprintf(id, sizeof id, "WDF-T-%05d", ++n);
            t.id = id;
            t.species = species;
            t.position = p;
            t.ground = terrain().height(p.x, p.y);
            t.height = height;
            t.crown_radius = radius;
            t.conifer = conifer;
            t.crown = shade(rgb(color), rng_.uniform(0.85, 1.1));
            town_.trees.push_back(t);
        };
        static const char* garden[] = {"Apfelbaum", "Kirschbaum", "Birke", "Ahorn", "Walnuss"};
        const size_t houses = town_.buildings.size();
        for (size_t i = 0; i < houses; ++i) {
            const Building& b = town_.buildings[i];
            if ((b.use != "Wohnhaus" && b.use != "Bauernhaus") || !rng_.chance(0.45)) continue;
            const BuildingPart& p = b.parts[0];
            const dvec2 v{-std::sin(p.angle), std::cos(p.angle)};
            const dvec2 u{std::cos(p.angle), std::sin(p.angle)};
            // The side of the house away from the street is the garden; try both.
            for (double side : {1.0, -1.0}) {
                const dvec2 spot =
                    p.centre + v * (side * (p.width / 2 + rng_.uniform(4, 7))) + u * rng_.uniform(-4, 4);
                const size_t before = town_.trees.size();
                add(spot, garden[rng_.range(0, 4)], rng_.uniform(6, 11), rng_.uniform(2, 3.2), false,
                    0x5e8a3a);
                if (town_.trees.size() > before) break;
            }
        }
        const auto creek = terrain().creek_line(22);
        for (const dvec2& c : creek) {
            for (double side : {1.0, -1.0}) {
                if (!rng_.chance(0.7)) continue;
                const dvec2 p = c + dvec2(0, side * (terrain().channel_half_width() + rng_.uniform(3, 8)));
                add(p, rng_.chance(0.6) ? "Schwarzerle" : "Weide", rng_.uniform(9, 16), rng_.uniform(2.5, 4),
                    false, 0x4f7a34);
            }
        }
        const double h = terrain().half_extent() - 20;
        for (double y = -h; y <= h; y += 16) {
            for (double x = -h; x <= h; x += 16) {
                const dvec2 p{x + rng_.uniform(-6, 6), y + rng_.uniform(-6, 6)};
                if (!terrain().forest(p.x, p.y) || !rng_.chance(0.8)) continue;
                if (rng_.chance(0.6))
                    add(p, "Kiefer", rng_.uniform(14, 24), rng_.uniform(2, 3), true, 0x35522a);
                else
                    add(p, "Eiche", rng_.uniform(14, 22), rng_.uniform(3.5, 5.5), false, 0x46692f);
            }
        }
    }

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

}  // namespace

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

std::map<std::string, std::string> critical_site_ids(const Town& town) {
    std::map<std::string, std::string> out;
    for (const Building& b : town.buildings)
        if (!b.generic_id.empty()) out[b.id] = b.generic_id;
    return out;
}

Town generate_town(const Recipe& recipe) {
    Town town(recipe);
    Generator(recipe, town).run();
    core::info("bake: town '", town.name, "': ", town.buildings.size(), " buildings, ", town.roads.size(),
               " roads (", town.edges.size(), " graph edges, ", town.nodes.size(), " nodes), ",
               town.water.size(), " water bodies, ", town.utilities.size(), " utility lines, ",
               town.trees.size(), " trees, ", town.planned.size(), " planned buildings");
    return town;
}

}  // namespace zw::bake
