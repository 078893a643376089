// The bake's terrain (app/bake/terrain.h): seeds, the creek in its floodplain, the
// valley sides and the ponds.
// Expectations come from geometry, geodesy or the documented contract (docs/twin-bundle.md,
// the headers), not from numbers the implementation happened to produce.
#include <gtest/gtest.h>

#include <cmath>

#include "app/bake/recipe.h"
#include "app/bake/terrain.h"

namespace {

using namespace zw::bake;
using glm::dvec2;

// A point `d` metres from the creek's centreline at x, perpendicular to it (side +1: north).
dvec2 across_creek(const Terrain& t, double x, double d) {
    const double slope = (t.creek_y(x + 0.01) - t.creek_y(x - 0.01)) / 0.02;
    const dvec2 n = glm::normalize(dvec2(-slope, 1));
    return dvec2(x, t.creek_y(x)) + n * d;
}

TEST(BakeTerrain, SameSeedSameLandAnotherSeedOtherLand) {
    Recipe a, b;
    b.seed = a.seed + 1;
    const Terrain t1(a), t2(a), t3(b);
    int differ = 0;
    for (double x = -1900; x <= 1900; x += 190)
        for (double y = -1900; y <= 1900; y += 190) {
            EXPECT_EQ(t1.height(x, y), t2.height(x, y));
            differ += std::abs(t1.height(x, y) - t3.height(x, y)) > 0.1;
        }
    EXPECT_GT(differ, 50);  // of 441 points
}

TEST(BakeTerrain, CreekChannelSitsInItsFloodplain) {
    const Recipe r;
    const Terrain t(r);
    const double hw = r.channel_width_m / 2;
    for (double x = -600; x <= 1800; x += 300) {  // the ponds lie further west
        SCOPED_TRACE("x = " + std::to_string(x));
        const dvec2 c(x, t.creek_y(x));
        const double bed = t.height(c.x, c.y);
        EXPECT_NEAR(bed, t.creek_bed(x), 0.01);
        EXPECT_NEAR(t.creek_distance(c.x, c.y), 0, 1e-9);
        for (double side : {-1.0, 1.0}) {
            // Just past the bank, and at the floodplain's edge.
            const dvec2 bank_p = across_creek(t, x, side * (hw * 1.5));
            const dvec2 edge_p = across_creek(t, x, side * r.floodplain_half_width_m);
            EXPECT_NEAR(t.creek_distance(bank_p.x, bank_p.y), hw * 1.5, 0.05);
            const double bank = t.height(bank_p.x, bank_p.y);
            const double edge = t.height(edge_p.x, edge_p.y);
            EXPECT_LT(bed, bank);
            EXPECT_LT(bank, edge);
            EXPECT_NEAR(bank - bed, r.channel_depth_m, 0.05);
            EXPECT_NEAR(edge - bank, r.floodplain_rise_m, 0.15);
            // Water flows in the channel, below the banks.
            EXPECT_GT(t.creek_water(x), bed);
            EXPECT_LT(t.creek_water(x), bank);
        }
    }
}

TEST(BakeTerrain, FloodplainLiesBelowTheValleySides) {
    const Recipe r;
    const Terrain t(r);
    double floodplain = 0, sides = 0;
    int n = 0;
    for (double x = -1800; x <= 1800; x += 100) {
        const dvec2 f = across_creek(t, x, r.floodplain_half_width_m / 2);
        floodplain += t.height(f.x, f.y);
        for (double side : {-1.0, 1.0}) {
            const dvec2 s = across_creek(t, x, side * 600);
            sides += t.height(s.x, s.y) / 2;
        }
        ++n;
    }
    EXPECT_GT(sides / n, floodplain / n + 3);
}

TEST(BakeTerrain, CreekFallsFromWestToEast) {
    const Recipe r;
    const Terrain t(r);
    const double h = r.extent_m / 2;
    // The recipe's drop: bed height at the west edge minus the east edge.
    EXPECT_NEAR(t.creek_bed(-h) - t.creek_bed(h), r.creek_drop_m, 1e-9);
    double previous = 1e300;
    for (double x = -h; x <= h; x += 50) {
        const double bed = t.height(x, t.creek_y(x));
        EXPECT_LT(bed, previous) << "x = " << x;
        previous = bed;
    }
    const auto line = t.creek_line(8);
    ASSERT_GE(line.size(), 2u);
    EXPECT_NEAR(line.front().x, -h, 1e-9);
    EXPECT_NEAR(line.back().x, h, 1e-6);
}

TEST(BakeTerrain, PondsHoldWater) {
    const Recipe r;
    const Terrain t(r);
    ASSERT_EQ(int(t.ponds().size()), r.pond_count);
    for (const Pond& p : t.ponds()) {
        SCOPED_TRACE(p.name);
        EXPECT_LT(p.bottom, p.water_level);
        EXPECT_LT(p.water_level, p.crest);
        EXPECT_LT(t.height(p.centre.x, p.centre.y), p.water_level);
        EXPECT_LT(p.signed_distance(p.centre), 0);
        // The dam around the pond reaches the crest, above the water.
        const auto outline = p.outline(4);
        for (const dvec2& q : outline)
            EXPECT_NEAR(p.signed_distance(q), 0, 1e-6);
        for (const dvec2& q : outline) {
            const dvec2 out = q + 3.0 * glm::normalize(q - p.centre);
            EXPECT_GT(t.height(out.x, out.y), p.water_level);
        }
        // No pond in the creek's channel.
        EXPECT_GT(t.creek_distance(p.centre.x, p.centre.y), t.channel_half_width() + p.half.y);
    }
}

}  // namespace
