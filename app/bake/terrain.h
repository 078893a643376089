// The synthetic landscape: gentle hills, the creek valley with its floodplain, and a
// chain of carp ponds upstream. Heights are a pure function of position, so any tile
// can sample the DEM at any resolution, and the same seed gives the same land.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "app/bake/feature_layer.h"
#include "app/bake/recipe.h"

namespace zw::bake {

// splitmix64: tiny, portable and the same on every platform (std distributions are not).
class Rng {
  public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next();
    double uniform();  // [0, 1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int range(int lo, int hi);  // [lo, hi]
    bool chance(double p) { return uniform() < p; }

  private:
    uint64_t state_;
};

uint64_t hash64(uint64_t x);

struct Pond {
    std::string name;
    glm::dvec2 centre{0.0};
    glm::dvec2 half{0.0};  // half length along the creek, half width across
    double angle = 0;      // radians, direction of the long side
    double water_level = 0;
    double bottom = 0;
    double crest = 0;
    double signed_distance(glm::dvec2 p) const;                      // negative inside the water
    std::vector<glm::dvec2> outline(int corner_segments = 4) const;  // counter-clockwise
};

class Terrain {
  public:
    explicit Terrain(const Recipe& recipe);

    // Height of the ground in the bake-local frame (metres relative to the origin height).
    double height(double x, double y) const;
    glm::vec3 normal(double x, double y, double step) const;
    Rgba8 color(double x, double y) const;
    bool forest(double x, double y) const;  // woods on the hilltops, outside the town

    // The creek: centreline y(x), its bed height and its normal water level.
    double creek_y(double x) const;
    double creek_bed(double x) const;
    double creek_water(double x) const { return creek_bed(x) + water_depth_; }
    double creek_distance(double x, double y) const;  // horizontal, from the centreline
    double channel_half_width() const { return channel_width_ / 2; }
    double floodplain_half_width() const { return floodplain_; }
    std::vector<glm::dvec2> creek_line(double step) const;  // west to east

    const std::vector<Pond>& ponds() const { return ponds_; }
    double pond_distance(glm::dvec2 p) const;  // signed, to the nearest pond

    double half_extent() const { return half_extent_; }
    double built_up_radius() const { return built_up_; }

  private:
    double natural(double x, double y) const;  // without ponds
    double hills(double x, double y) const;    // -1..1
    double noise(double x, double y, uint64_t octave) const;

    uint64_t seed_;
    double half_extent_, built_up_, amplitude_;
    double drop_, channel_depth_, channel_width_, water_depth_, floodplain_, floodplain_rise_, meander_;
    double phase1_, phase2_, creek_offset_, base_ = 0;
    std::vector<Pond> ponds_;
};

}  // namespace zw::bake
