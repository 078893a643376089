// How the cost of tile selection + culling grows with the size of a tileset, the
// viewpoints and the screen kept equal: synthetic quadtrees over the same 25 km square,
// each level one more subdivision (about 4x the tiles per level, so a tree one level
// deeper gives 4x the tiles, two levels 16x), every tile loaded. A camera
// flies the same low path over each; the median and worst time of select_tiles per
// frame are printed with their ratios. Run by hand (release build):
//   build/release/tests/bench/zw_selection_bench
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include <glm/gtc/constants.hpp>

#include "engine/render/camera.h"
#include "engine/tiles/selection.h"

namespace {

using namespace zw::tiles;

// A quadtree of `levels` levels over a square of `size` metres; leaves have error 0,
// each level up doubles it (like the baked buildings). Tiles hold one ready content.
std::unique_ptr<Tile> build(double cx, double cy, double half, uint32_t level, uint32_t levels,
                            size_t& count) {
    auto t = std::make_unique<Tile>();
    ++count;
    const std::array<double, 12> box{cx, cy, 15, half, 0, 0, 0, half, 0, 0, 0, 15};
    t->bounds = bounds_from_box(box, glm::dmat4(1.0));
    t->depth = level;
    t->geometric_error = level + 1 == levels ? 0.0 : 0.25 * half;
    t->contents.push_back({"t.glb"});
    t->contents.back().state = ContentState::ready;
    if (level + 1 < levels) {
        for (int i = 0; i < 4; ++i) {
            auto c = build(cx + (i & 1 ? 0.5 : -0.5) * half, cy + (i & 2 ? 0.5 : -0.5) * half, half / 2,
                           level + 1, levels, count);
            c->parent = t.get();
            t->children.push_back(std::move(c));
        }
    }
    return t;
}

ViewState view_at(const glm::dvec3& eye, const glm::dvec3& target) {
    zw::render::Camera cam;
    cam.look_at(eye, target);
    ViewState v;
    v.eye = cam.eye();
    v.direction = cam.forward();
    v.culling = CullingVolume::from_matrix(cam.projection(16.0 / 9.0) * cam.view_rotation());
    v.viewport_height = 720;
    v.fov_y = cam.fov_y;
    return v;
}

struct Result {
    size_t tiles = 0;
    double median_ms = 0, worst_ms = 0, mean_drawn = 0;
};

Result measure(uint32_t levels) {
    Result r;
    auto root = build(0, 0, 12500, 0, levels, r.tiles);
    std::vector<double> ms;
    Selection s;
    size_t drawn = 0;
    const int frames = 2000;
    for (int f = 0; f < frames; ++f) {
        // A low pass across the square and a climb at its end: the same for every tree.
        const double u = double(f) / frames;
        const glm::dvec3 eye{-10000 + 20000 * u, -3000 + 6000 * u, 40 + 1500 * u * u};
        const ViewState v = view_at(eye, eye + glm::dvec3(600, 300, -60 - 400 * u));
        s.render.clear();
        s.loads.clear();
        const auto t0 = std::chrono::steady_clock::now();
        select_tiles(*root, v, {}, uint64_t(f) + 1, s);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        drawn += s.render.size();
    }
    std::sort(ms.begin(), ms.end());
    r.median_ms = ms[ms.size() / 2];
    r.worst_ms = ms.back();
    r.mean_drawn = double(drawn) / frames;
    return r;
}

}  // namespace

int main() {
    std::vector<Result> results;
    for (uint32_t levels : {6u, 8u, 10u, 12u}) {
        results.push_back(measure(levels));
        const Result& r = results.back();
        std::printf(
            "%8zu tiles: selection + culling median %.4f ms, worst %.4f ms, %.0f tiles drawn per frame\n",
            r.tiles, r.median_ms, r.worst_ms, r.mean_drawn);
    }
    for (size_t i = 1; i < results.size(); ++i) {
        const Result& a = results[i - 1];
        const Result& b = results[i];
        const double growth = double(b.tiles) / double(a.tiles);
        const double cost = b.median_ms / a.median_ms;
        // Cost growth per 10x tiles, from this step: cost^(1 / log10(growth)).
        std::printf("%zu -> %zu tiles (%.0fx): median cost %.2fx, i.e. %.2fx per 10x tiles\n", a.tiles,
                    b.tiles, growth, cost, std::pow(cost, 1.0 / std::log10(growth)));
    }
    return 0;
}
