// Where people live in the generated town: villages (Ortsteile) around it and the
// residential neighbourhoods of the town and the villages.
#include "app/bake/town_internal.h"

#include <cmath>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/log.h"

namespace zw::bake::town_detail {

std::string village_name(int k) {
    static const char* stems[] = {"Ebers",  "Heid",   "Lind", "Rothen", "Buchen", "Hasel",
                                  "Eichen", "Birken", "Wald", "Mühl",   "Stein",  "Kreuz"};
    static const char* endings[] = {"bach", "dorf", "feld", "hausen", "hof", "reuth", "au", "berg"};
    const int n = int(std::size(stems)), m = int(std::size(endings));
    std::string name = std::string(stems[k % n]) + endings[(k / n + k) % m];
    if (k >= n * m) name += " " + std::to_string(k / (n * m) + 1);
    return name;
}

void Generator::villages() {
    // The market town is a district too, named without a suffix such as "(synthetisch)".
    std::string town = town_.name;
    if (const size_t p = town.rfind(" ("); p != std::string::npos && !town.empty() && town.back() == ')')
        town.resize(p);
    town_.districts.push_back({town, dvec2(0.0), recipe_.town_radius()});
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
            const dvec2 from = glm::length(street.front() - market_) < glm::length(street.back() - market_)
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
            town_.districts.push_back({name, c, spec.radius_m});
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

bool Generator::in_village(dvec2 p, double margin) const {
    for (const Settlement& v : villages_)
        if (glm::length(p - v.centre) < v.radius + margin) return true;
    return false;
}

void Generator::neighbourhoods() {
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

bool Generator::area_ok(const Obb& area, const Settlement& place) const {
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

}  // namespace zw::bake::town_detail
