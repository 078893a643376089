#include "engine/scenario/traffic/flood_closures.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "engine/core/error.h"
#include "engine/scenario/flood/frame_grids.h"

namespace zw::scenario::traffic {
namespace {

// Where an edge is sampled: a cell of the frames' grid, and how far the lane lies above
// that cell's ground there where it is raised (a bridge, an embankment; else 0).
struct Sample {
    size_t cell;
    float lift;
};

// The samples of an edge's lanes, one per cell (the lowest lift where a cell has several).
std::vector<Sample> samples_of(const Edge& e, const DepthFrames& f, const AsciiGrid* ground,
                               const FloodClosureOptions& o) {
    std::vector<Sample> out;
    const double step = f.cellsize / 2;
    auto add = [&](glm::dvec3 p) {
        const double c = std::floor((p.x - f.xllcorner) / f.cellsize);
        const double r = std::floor((p.y - f.yllcorner) / f.cellsize);
        if (c < 0 || r < 0 || c >= double(f.ncols) || r >= double(f.nrows)) return;
        const size_t cell = size_t(r) * f.ncols + size_t(c);
        float lift = 0;
        if (ground) {
            const double g = ground->values[cell];
            const double above = p.z - g;
            if (!ground->is_nodata(g) && above > o.raised_m && above <= o.max_raised_m) lift = float(above);
        }
        out.push_back({cell, lift});
    };
    for (const Lane& lane : e.lanes) {
        for (size_t i = 0; i < lane.shape.size(); ++i) {
            const glm::dvec3 b = lane.shape[i];
            if (i == 0) {
                add(b);
                continue;
            }
            const glm::dvec3 a = lane.shape[i - 1];
            // At most half a cell between samples: only a lane that cuts a cell's corner by
            // less than that can miss it. The segment's end point is the last sample.
            const double pieces = std::ceil(glm::length(glm::dvec2(b - a)) / step);
            const size_t n = pieces > 1 ? size_t(std::min(pieces, 1e7)) : 1;
            for (size_t k = 1; k <= n; ++k)
                add(a + (b - a) * (double(k) / double(n)));
        }
    }
    std::sort(out.begin(), out.end(), [](const Sample& x, const Sample& y) {
        return x.cell != y.cell ? x.cell < y.cell : x.lift < y.lift;
    });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Sample& x, const Sample& y) { return x.cell == y.cell; }),
              out.end());
    return out;
}

struct Interval {
    double from_s, to_s;
    bool operator==(const Interval& o) const { return from_s == o.from_s && to_s == o.to_s; }
};

std::string centimetres(double m) {
    return std::to_string(std::lround(m * 100)) + " cm";
}

}  // namespace

std::vector<Closure> flood_closures(const DepthFrames& frames, const Network& net,
                                    const FloodClosureOptions& options, const AsciiGrid* ground) {
    if (!(options.threshold_m >= 0 && std::isfinite(options.threshold_m)))
        fail("flood closures: the threshold ", options.threshold_m, " m is not a depth of 0 or more");
    if (!std::isfinite(options.flood_start_s))
        fail("flood closures: the flood's start ", options.flood_start_s, " s is not a time of day");
    const size_t cells = size_t(frames.ncols) * frames.nrows;
    if (frames.depth_m.size() != frames.times_s.size())
        fail("flood closures: the depth frames have ", frames.depth_m.size(), " rasters for ",
             frames.times_s.size(), " times");
    for (const auto& d : frames.depth_m)
        if (d.size() != cells)
            fail("flood closures: a depth raster has ", d.size(), " cells where the grid has ", cells);
    if (ground && (!same_grid(frames, *ground) || ground->values.size() != cells))
        fail("flood closures: the ground (", ground->ncols, " x ", ground->nrows,
             " cells) is not on the depth frames' grid (", frames.ncols, " x ", frames.nrows, ")");
    if (!(options.raised_m >= 0 && options.max_raised_m >= options.raised_m))
        fail("flood closures: raised_m ", options.raised_m, " and max_raised_m ", options.max_raised_m,
             " are not 0 <= raised_m <= max_raised_m");
    if (!(frames.cellsize > 0) || frames.times_s.empty() || cells == 0) return {};

    // Per edge: its closed intervals in the traffic clock.
    std::vector<std::vector<Interval>> closed(net.edges.size());
    for (size_t i = 0; i < net.edges.size(); ++i) {
        const Edge& e = net.edges[i];
        if (e.internal()) continue;
        const std::vector<Sample> at = samples_of(e, frames, ground, options);
        if (at.empty()) continue;
        bool wet = false;
        double since = 0;
        for (size_t f = 0; f < frames.times_s.size(); ++f) {
            float deepest = 0;
            for (const Sample& a : at)
                deepest = std::max(deepest, frames.depth_m[f][a.cell] - a.lift);
            const double t = options.flood_start_s + frames.times_s[f];
            // Compared as stored (float): a depth of exactly the threshold stays open.
            const bool over = deepest > float(options.threshold_m);
            if (over && !wet) since = t;
            if (!over && wet) closed[i].push_back({since, t});
            wet = over;
        }
        if (wet) closed[i].push_back({since, std::numeric_limits<double>::infinity()});
    }

    // The other direction of each edge, where both close alike.
    std::vector<int64_t> partner(net.edges.size(), -1);
    if (options.merge_directions) {
        std::map<std::pair<std::string, std::string>, std::vector<size_t>> by_ends;
        for (size_t i = 0; i < net.edges.size(); ++i)
            if (!closed[i].empty()) by_ends[{net.edges[i].from, net.edges[i].to}].push_back(i);
        for (size_t i = 0; i < net.edges.size(); ++i) {
            if (closed[i].empty() || partner[i] >= 0) continue;
            const Edge& e = net.edges[i];
            if (e.from == e.to) continue;
            const auto it = by_ends.find({e.to, e.from});
            if (it == by_ends.end()) continue;
            for (const size_t k : it->second)
                if (partner[k] < 0 && closed[k] == closed[i]) {
                    partner[i] = int64_t(k);
                    partner[k] = int64_t(i);
                    break;
                }
        }
    }

    const std::string depth = centimetres(options.threshold_m);
    std::vector<Closure> out;
    for (size_t i = 0; i < net.edges.size(); ++i) {
        if (partner[i] >= 0 && size_t(partner[i]) < i) continue;  // closed with its partner
        std::vector<std::string> edges{net.edges[i].id};
        if (partner[i] >= 0) edges.push_back(net.edges[size_t(partner[i])].id);
        std::string name;
        for (const std::string& id : edges)
            name += (name.empty() ? "" : "+") + id;
        for (size_t n = 0; n < closed[i].size(); ++n) {
            Closure c;
            c.id = "flood:" + name + ":" + std::to_string(n + 1);
            c.edges = edges;
            c.from_s = closed[i][n].from_s;
            c.to_s = closed[i][n].to_s;
            c.kind = "flood";
            c.reason_de = "Überflutet: Wasser tiefer als " + depth;
            c.reason_en = "Flooded: water deeper than " + depth;
            out.push_back(std::move(c));
        }
    }
    std::sort(out.begin(), out.end(), [](const Closure& a, const Closure& b) {
        return a.from_s != b.from_s ? a.from_s < b.from_s : a.id < b.id;
    });
    return out;
}

}  // namespace zw::scenario::traffic
