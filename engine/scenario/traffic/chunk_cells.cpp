// The cell index of a decoded trajectory chunk and the reads that use it
// (engine/scenario/traffic/trajectories.h: ChunkCells, index_chunk, states_in_chunk_view).
#include <algorithm>
#include <cmath>

#include <glm/common.hpp>

#include "engine/scenario/traffic/trajectories.h"
#include "engine/scenario/traffic/trajectory_format.h"

namespace zw::scenario::traffic {

using format::sample_between;
using format::sample_state;

namespace {

// The sample time i of c with times[i] <= t < times[i + 1] (or the last for t on it).
size_t time_at(const Chunk& c, double t) {
    return size_t(std::upper_bound(c.times_s.begin(), c.times_s.end(), t) - c.times_s.begin()) - 1;
}

bool inside(const Chunk& c, double t) {
    return !c.times_s.empty() && t >= c.times_s.front() && t <= c.times_s.back();
}

glm::dvec3 metres(const Sample& s) {
    return glm::dvec3(s.x_cm, s.y_cm, s.z_cm) * position_unit_m;
}

int64_t cell_of(int32_t cm) {
    return int64_t(std::floor(cm * position_unit_m / ChunkCells::cell_size_m));
}

}  // namespace

void index_chunk(Chunk& c) {
    ChunkCells& x = c.cells;
    x = ChunkCells{};
    const size_t times = c.times_s.size();
    const std::vector<Sample>& s = c.samples;
    x.next.assign(s.size(), ChunkCells::none);
    x.order.resize(s.size());
    x.reach_m.assign(times, 0.0f);
    x.pairs.assign(times, 0);
    x.cells_first.reserve(times + 1);
    std::vector<std::pair<uint64_t, uint32_t>> keyed;
    for (size_t i = 0; i < times; ++i) {
        const uint32_t a0 = c.first[i], a1 = c.first[i + 1];
        // Partners at the next time: both runs ascend by vehicle.
        if (i + 1 < times) {
            uint32_t b = a1;
            const uint32_t b1 = c.first[i + 2];
            double reach2 = 0;
            for (uint32_t a = a0; a < a1 && b < b1;) {
                if (s[a].vehicle < s[b].vehicle) {
                    ++a;
                } else if (s[b].vehicle < s[a].vehicle) {
                    ++b;
                } else {
                    x.next[a] = b;
                    ++x.pairs[i];
                    const glm::dvec3 d = metres(s[b]) - metres(s[a]);
                    reach2 = std::max(reach2, d.x * d.x + d.y * d.y + d.z * d.z);
                    ++a, ++b;
                }
            }
            x.reach_m[i] = float(std::sqrt(reach2)) + 0.01f;  // and a centimetre for rounding
        }
        // The samples cell by cell.
        keyed.clear();
        for (uint32_t a = a0; a < a1; ++a) {
            const uint64_t key = (uint64_t(uint32_t(int32_t(cell_of(s[a].x_cm)))) << 32) |
                                 uint32_t(int32_t(cell_of(s[a].y_cm)));
            keyed.emplace_back(key, a);
        }
        std::sort(keyed.begin(), keyed.end());
        x.cells_first.push_back(uint32_t(x.cells.size()));
        for (size_t j = 0; j < keyed.size(); ++j) {
            const uint32_t at = a0 + uint32_t(j);
            x.order[at] = keyed[j].second;
            const glm::dvec3 p = metres(s[keyed[j].second]);
            if (j == 0 || keyed[j].first != keyed[j - 1].first) {
                x.cells.push_back(ChunkCells::Cell{p, p, at, at});
            }
            ChunkCells::Cell& cell = x.cells.back();
            cell.lo = glm::min(cell.lo, p);
            cell.hi = glm::max(cell.hi, p);
            cell.end = at + 1;
        }
    }
    x.cells_first.push_back(uint32_t(x.cells.size()));
}

size_t present_in_chunk(const Chunk& c, double t) {
    if (!inside(c, t)) return 0;
    const size_t i = time_at(c, t);
    if (c.times_s[i] == t) return c.first[i + 1] - c.first[i];
    if (c.cells.built()) return c.cells.pairs[i];
    std::vector<VehicleState> all;
    states_in_chunk(c, t, all);
    return all.size();
}

void states_in_chunk_view(const Chunk& c, double t, const CellVisible& visible,
                          std::vector<VehicleState>& out) {
    if (!c.cells.built()) {
        states_in_chunk(c, t, out);
        return;
    }
    out.clear();
    if (!inside(c, t)) return;
    const ChunkCells& x = c.cells;
    const size_t i = time_at(c, t);
    const bool on_sample = c.times_s[i] == t;
    const double w = on_sample ? 0.0 : (t - c.times_s[i]) / (c.times_s[i + 1] - c.times_s[i]);
    const glm::dvec3 grow(on_sample ? 0.0 : double(x.reach_m[i]));
    std::vector<VehicleState> one;
    for (uint32_t k = x.cells_first[i]; k < x.cells_first[i + 1]; ++k) {
        const ChunkCells::Cell& cell = x.cells[k];
        if (!visible(glm::dvec3(cell.lo) - grow, glm::dvec3(cell.hi) + grow)) continue;
        for (uint32_t j = cell.begin; j < cell.end; ++j) {
            const uint32_t a = x.order[j];
            if (on_sample) {
                out.push_back(sample_state(c.samples[a]));
            } else if (x.next[a] != ChunkCells::none) {
                out.push_back(sample_between(c.samples[a], c.samples[x.next[a]], w));
            }
        }
    }
}

}  // namespace zw::scenario::traffic
