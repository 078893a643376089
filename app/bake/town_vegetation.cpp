// Trees of the generated town: gardens, the creek banks and the woods on the hills.
#include "app/bake/town_internal.h"

#include <cstdio>

namespace zw::bake::town_detail {

void Generator::trees() {
    int n = 0;
    auto add = [&](dvec2 p, const char* species, double height, double radius, bool conifer, uint32_t color) {
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
            add(spot, garden[rng_.range(0, 4)], rng_.uniform(6, 11), rng_.uniform(2, 3.2), false, 0x5e8a3a);
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

}  // namespace zw::bake::town_detail
