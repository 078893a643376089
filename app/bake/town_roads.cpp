// Roads of the generated town: the two through roads that cross at the market square,
// access roads, street names and the farm tracks out into the fields.
#include "app/bake/town_internal.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace zw::bake::town_detail {

uint32_t Generator::add_road(Road r) {
    placer_.add_road(r);
    town_.roads.push_back(std::move(r));
    return uint32_t(town_.roads.size() - 1);
}

void Generator::add_through_road(std::vector<dvec2> pts, const std::string& inside_name,
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

void Generator::main_roads() {
    const double h = terrain().half_extent();
    const double p1 = rng_.uniform(0, 2 * pi), p2 = rng_.uniform(0, 2 * pi);
    auto ns_x = [&](double y) { return 30 * std::sin(y / 700 + p1) + 10 * std::sin(y / 230 + p2); };
    std::vector<dvec2> south, north;
    for (double y = -h; y <= 150 + 1e-9; y += 50)
        south.push_back({ns_x(y), y});
    for (double y = 150; y <= h + 1e-9; y += 50)
        north.push_back({ns_x(y), y});
    market_ = {ns_x(150), 150};
    town_.market = market_;
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

void Generator::access_road(dvec2 from, const std::string& name) {
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

std::string Generator::street_name() {
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

bool Generator::link_ok(dvec2 a, dvec2 b) const {
    for (double t = 0; t <= 1.0001; t += 0.05) {
        const dvec2 p = a + t * (b - a);
        if (terrain().creek_distance(p.x, p.y) < terrain().channel_half_width() + 4) return false;
    }
    return true;
}

void Generator::farm_tracks() {
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
            if (terrain().creek_distance(next.x, next.y) < 12 || terrain().pond_distance(next) < 10) break;
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
        t.farm = true;
        t.width = 3.0;
        t.speed_kmh = 30;
        t.points = std::move(pts);
        add_road(std::move(t));
    }
}

}  // namespace zw::bake::town_detail
