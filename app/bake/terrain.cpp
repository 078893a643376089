#include "app/bake/terrain.h"

#include <algorithm>
#include <cmath>

namespace zw::bake {
namespace {

constexpr double pi = 3.14159265358979323846;

double smoothstep(double e0, double e1, double x) {
    const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
    return t * t * (3 - 2 * t);
}

Rgba8 mix(Rgba8 a, Rgba8 b, double t) {
    auto m = [t](uint8_t x, uint8_t y) {
        return uint8_t(std::lround(x + (y - x) * std::clamp(t, 0.0, 1.0)));
    };
    return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b), 255};
}

}  // namespace

uint64_t hash64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

uint64_t Rng::next() {
    state_ += 0x9e3779b97f4a7c15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

double Rng::uniform() {
    return double(next() >> 11) * (1.0 / 9007199254740992.0);
}

int Rng::range(int lo, int hi) {
    return lo + int(next() % uint64_t(hi - lo + 1));
}

double Pond::signed_distance(glm::dvec2 p) const {
    const glm::dvec2 d = p - centre;
    const double c = std::cos(angle), s = std::sin(angle);
    const glm::dvec2 q{std::abs(d.x * c + d.y * s), std::abs(-d.x * s + d.y * c)};
    const double r = 8.0;  // rounded corners
    const glm::dvec2 e = q - (half - glm::dvec2(r));
    return glm::length(glm::max(e, glm::dvec2(0.0))) + std::min(std::max(e.x, e.y), 0.0) - r;
}

std::vector<glm::dvec2> Pond::outline(int corner_segments) const {
    const double r = 8.0;
    const glm::dvec2 inner = half - glm::dvec2(r);
    const glm::dvec2 corners[4] = {
        {inner.x, inner.y}, {-inner.x, inner.y}, {-inner.x, -inner.y}, {inner.x, -inner.y}};
    const double c = std::cos(angle), s = std::sin(angle);
    std::vector<glm::dvec2> out;
    for (int k = 0; k < 4; ++k) {
        for (int i = 0; i <= corner_segments; ++i) {
            const double a = (k + double(i) / corner_segments) * pi / 2;
            const glm::dvec2 q = corners[k] + r * glm::dvec2(std::cos(a), std::sin(a));
            out.push_back(centre + glm::dvec2(q.x * c - q.y * s, q.x * s + q.y * c));
        }
    }
    return out;
}

Terrain::Terrain(const Recipe& r)
    : seed_(hash64(r.seed ^ 0x7e77a1)),
      half_extent_(r.extent_m / 2),
      built_up_(r.built_up_radius_m),
      amplitude_(r.hill_amplitude_m),
      drop_(r.creek_drop_m),
      channel_depth_(r.channel_depth_m),
      channel_width_(r.channel_width_m),
      water_depth_(r.creek_water_depth_m),
      floodplain_(r.floodplain_half_width_m),
      floodplain_rise_(r.floodplain_rise_m),
      meander_(r.meander_amplitude_m) {
    Rng rng(seed_);
    phase1_ = rng.uniform(0, 2 * pi);
    phase2_ = rng.uniform(0, 2 * pi);
    creek_offset_ = 0;
    creek_offset_ = -80 - creek_y(0);  // the creek passes 80 m south of the market square
    base_ = 0;
    base_ = natural(0, 0);  // the origin lies on the ground: local z 0 is the recipe's height

    // Carp ponds, upstream (west), alternating beside the creek on the floodplain.
    static const char* names[] = {"Mühlweiher", "Großer Seeweiher", "Kleiner Seeweiher", "Brunnweiher",
                                  "Neuweiher",  "Rohrweiher",       "Langer Weiher",     "Hirtenweiher"};
    double x = -half_extent_ + 260;
    for (int i = 0; i < r.pond_count; ++i) {
        Pond p;
        p.name = names[i % 8];
        if (i >= 8) p.name += " " + std::to_string(i / 8 + 1);
        p.half = {rng.uniform(45, 70), rng.uniform(22, 32)};
        const double side = (i % 2 == 0) ? 1.0 : -1.0;
        const double cx = x + p.half.x;
        const double slope = (creek_y(cx + 1) - creek_y(cx - 1)) / 2;
        p.angle = std::atan(slope);
        const double offset = channel_width_ / 2 + 9 + p.half.y;
        p.centre = {cx, creek_y(cx) + side * offset};
        p.water_level = natural(p.centre.x, p.centre.y) - 0.25;
        p.bottom = p.water_level - 1.4;
        p.crest = p.water_level + 0.6;
        ponds_.push_back(p);
        x += 2 * p.half.x + rng.uniform(20, 45);
    }
}

double Terrain::creek_y(double x) const {
    return creek_offset_ + meander_ * std::sin(2 * pi * x / 1700 + phase1_) +
           0.4 * meander_ * std::sin(2 * pi * x / 640 + phase2_);
}

double Terrain::creek_bed(double x) const {
    return -2.5 - drop_ * (x / (2 * half_extent_));
}

double Terrain::creek_distance(double x, double y) const {
    const double slope = (creek_y(x + 1) - creek_y(x - 1)) / 2;
    return std::abs(y - creek_y(x)) / std::sqrt(1 + slope * slope);
}

std::vector<glm::dvec2> Terrain::creek_line(double step) const {
    std::vector<glm::dvec2> out;
    for (double x = -half_extent_; x <= half_extent_ + 1e-9; x += step)
        out.push_back({x, creek_y(x)});
    return out;
}

double Terrain::noise(double x, double y, uint64_t octave) const {
    const double fx = std::floor(x), fy = std::floor(y);
    const auto ix = int64_t(fx), iy = int64_t(fy);
    auto lattice = [&](int64_t i, int64_t j) {
        const uint64_t h =
            hash64(seed_ ^ hash64(uint64_t(i) * 0x1f1f1f1full ^ hash64(uint64_t(j) + octave * 7919)));
        return double(h >> 11) * (2.0 / 9007199254740992.0) - 1.0;
    };
    auto fade = [](double t) { return t * t * t * (t * (t * 6 - 15) + 10); };
    const double u = fade(x - fx), v = fade(y - fy);
    const double a = lattice(ix, iy), b = lattice(ix + 1, iy), c = lattice(ix, iy + 1),
                 d = lattice(ix + 1, iy + 1);
    return (a + (b - a) * u) + ((c + (d - c) * u) - (a + (b - a) * u)) * v;
}

double Terrain::hills(double x, double y) const {
    return 0.6 * noise(x / 1400, y / 1400, 0) + 0.3 * noise(x / 600, y / 600, 1) +
           0.1 * noise(x / 230, y / 230, 2);
}

double Terrain::natural(double x, double y) const {
    const double d = creek_distance(x, y);
    const double bed = creek_bed(x);
    const double hw = channel_width_ / 2;
    const double bank = bed + channel_depth_;
    double h;
    if (d < hw * 0.6) {
        h = bed;
    } else if (d < hw * 1.4) {
        h = bed + channel_depth_ * smoothstep(hw * 0.6, hw * 1.4, d);
    } else if (d < floodplain_) {
        h = bank + floodplain_rise_ * std::pow((d - hw * 1.4) / (floodplain_ - hw * 1.4), 1.5);
    } else {
        h = bank + floodplain_rise_ + 18 * (1 - std::exp(-(d - floodplain_) / 420));
    }
    return h + amplitude_ * hills(x, y) * smoothstep(floodplain_, floodplain_ + 350, d);
}

double Terrain::pond_distance(glm::dvec2 p) const {
    double best = 1e30;
    for (const Pond& pond : ponds_)
        best = std::min(best, pond.signed_distance(p));
    return best;
}

double Terrain::height(double x, double y) const {
    double h = natural(x, y);
    for (const Pond& p : ponds_) {
        const double sd = p.signed_distance({x, y});
        if (sd > 8) continue;
        if (sd < 0) {
            h = std::min(h, p.bottom + (p.crest - p.bottom) * smoothstep(-7, 0, sd));
        } else {
            h = std::max(h, p.crest - (p.crest - h) * smoothstep(2.5, 8, sd));
        }
    }
    return h;
}

glm::vec3 Terrain::normal(double x, double y, double step) const {
    const double dx = (height(x + step, y) - height(x - step, y)) / (2 * step);
    const double dy = (height(x, y + step) - height(x, y - step)) / (2 * step);
    return glm::normalize(glm::vec3(float(-dx), float(-dy), 1.0f));
}

bool Terrain::forest(double x, double y) const {
    return hills(x, y) > 0.45 && std::hypot(x, y) > built_up_ + 100 && creek_distance(x, y) > floodplain_;
}

Rgba8 Terrain::color(double x, double y) const {
    const double d = creek_distance(x, y);
    const double jitter = 0.93 + 0.07 * noise(x / 23, y / 23, 5) + 0.04 * noise(x / 5, y / 5, 6);
    if (d < channel_width_ * 0.7) return shade(rgb(0x6b5a43), jitter);  // muddy creek bed and banks
    if (pond_distance({x, y}) < 1) return shade(rgb(0x5d5a45), jitter);
    const double r = std::hypot(x, y);
    const Rgba8 meadow = rgb(0x7da357), wet = rgb(0x6a9450);
    if (d < floodplain_) return shade(mix(wet, meadow, d / floodplain_), jitter);
    if (r < built_up_) return shade(meadow, jitter);
    // Fields: a patchwork of strips in a slightly rotated grid, woods on the hilltops.
    if (forest(x, y)) return shade(rgb(0x4c6a37), jitter);
    const double a = 0.35;
    const double u = x * std::cos(a) + y * std::sin(a), v = -x * std::sin(a) + y * std::cos(a);
    const uint64_t field = hash64(seed_ ^ (uint64_t(int64_t(std::floor(u / 170))) * 31 + 7) ^
                                  hash64(uint64_t(int64_t(std::floor(v / 95)))));
    static const uint32_t crops[] = {0xc9b66c, 0x8fae5f, 0x9d7b57, 0xb8b75a, 0x7fa052, 0xa99c63};
    const Rgba8 crop = rgb(crops[field % 6]);
    return shade(mix(meadow, crop, smoothstep(built_up_, built_up_ + 150, r)), jitter);
}

}  // namespace zw::bake
