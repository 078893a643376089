// Buildings of the generated town: parts with their colours, ids and placement, and
// the ordinary buildings: farmsteads, houses along the streets, the industrial estate.
#include "app/bake/town_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "app/bake/critical_sites.h"

namespace zw::bake::town_detail {

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

BuildingPart Generator::make_part(dvec2 c, double angle, double length, double width, double eave_h,
                                  double ridge_h, RoofType roof, const std::string& use) {
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

std::string Generator::next_id() {
    char buf[32];
    std::snprintf(buf, sizeof buf, "WDF-B-%05d", int(town_.buildings.size() + 1));
    return buf;
}

std::string Generator::inspection_date(int from_year, int to_year) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", rng_.range(from_year, to_year), rng_.range(1, 12),
                  rng_.range(1, 28));
    return buf;
}

bool Generator::try_place(Building b, double road_margin, double box_margin) {
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

void Generator::farmsteads() {
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
                    shed.parts = {make_part(house_c + t * 12.0, angle + pi / 2, 9, 6, 3, 5, RoofType::gabled,
                                            "Garage")};
                    try_place(shed);
                }
            }
        }
    }
}

Building Generator::house(const std::string& street, int number, int base_year) {
    Building b;
    b.street = street;
    b.house_number = std::to_string(number);
    if (rng_.chance(0.08)) b.house_number += "a";
    b.year_built = std::clamp(base_year + rng_.range(-6, 6), 1900, 2025);
    b.owner_category = "privat";
    b.critical_infrastructure = "keine";
    return b;
}

void Generator::houses_along(const Road& road, int base_year, double density, int target) {
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
            const RoofType roof = r < 0.6 ? RoofType::gabled : (r < 0.9 ? RoofType::hipped : RoofType::flat);
            const dvec2 c = p + n * (road.width / 2 + rng_.uniform(4, 7) + depth / 2);
            Building b = house(road.name, numbers[side > 0], base_year);
            b.use = multi ? "Mehrfamilienhaus" : "Wohnhaus";
            b.storeys = storeys;
            b.residents = multi ? rng_.range(7, 14) : rng_.range(1, 2 * storeys + 1);
            b.parts.push_back(
                make_part(c, angle, length, depth, eave, roof == RoofType::flat ? eave : ridge, roof, b.use));
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

void Generator::industrial_estate() {
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

}  // namespace zw::bake::town_detail
