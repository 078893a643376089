// The cell index of decoded trajectory chunks (engine/scenario/traffic/trajectories.h:
// index_chunk, states_in_chunk_view, present_in_chunk) and the viewer's view test on it
// (app/viewer/traffic_place.h: cells_in_view): a vehicle that may be drawn is never lost,
// one in view is interpolated to the bit as state_at does, and the work follows the
// vehicles near the view, not all on the road.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

#include "app/viewer/traffic_place.h"
#include "engine/render/camera.h"
#include "engine/scenario/traffic/trajectories.h"

namespace zw {
namespace {

using namespace scenario::traffic;

// A chunk of `vehicles` spread over 4 x 4 km around the origin, sampled every `dt` seconds
// for `times` sample times, each driving straight at its own speed (up to 50 m/s, so that
// many cross cells between samples); some leave and some join halfway.
Chunk fleet_chunk(uint32_t vehicles, int times, double dt, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    struct Car {
        double x, y, z, vx, vy;
        int from, to;
    };
    std::vector<Car> cars(vehicles);
    for (Car& c : cars) {
        const double a = u(rng) * 6.283185307, v = u(rng) * 50;
        c = {u(rng) * 4000 - 2000,
             u(rng) * 4000 - 2000,
             u(rng) * 40,
             v * std::sin(a),
             v * std::cos(a),
             u(rng) < 0.2 ? times / 2 : 0,
             u(rng) < 0.2 ? times / 2 : times};
    }
    Chunk ch;
    for (int i = 0; i < times; ++i) {
        ch.times_s.push_back(21600 + i * dt);
        ch.first.push_back(uint32_t(ch.samples.size()));
        for (uint32_t v = 0; v < vehicles; ++v) {
            const Car& c = cars[v];
            if (i < c.from || i >= c.to) continue;
            const double t = i * dt;
            Sample s;
            s.vehicle = v;
            s.x_cm = int32_t(std::lround((c.x + c.vx * t) * 100));
            s.y_cm = int32_t(std::lround((c.y + c.vy * t) * 100));
            s.z_cm = int32_t(std::lround(c.z * 100));
            s.angle = uint16_t(std::lround(std::atan2(c.vx, c.vy) / 6.283185307 * 65536) & 0xffff);
            s.speed_cms = uint16_t(std::lround(std::hypot(c.vx, c.vy) * 100));
            ch.samples.push_back(s);
        }
    }
    ch.first.push_back(uint32_t(ch.samples.size()));
    return ch;
}

bool same(const VehicleState& a, const VehicleState& b) {
    return a.vehicle == b.vehicle && a.position == b.position && a.angle_deg == b.angle_deg &&
           a.speed_ms == b.speed_ms;
}

std::vector<VehicleState> by_vehicle(std::vector<VehicleState> v) {
    std::sort(v.begin(), v.end(),
              [](const VehicleState& a, const VehicleState& b) { return a.vehicle < b.vehicle; });
    return v;
}

// The times a test asks for: every sample time and three between each two.
std::vector<double> probe_times(const Chunk& c) {
    std::vector<double> t;
    for (size_t i = 0; i < c.times_s.size(); ++i) {
        t.push_back(c.times_s[i]);
        if (i + 1 < c.times_s.size())
            for (double w : {0.25, 0.5, 0.9})
                t.push_back(c.times_s[i] + w * (c.times_s[i + 1] - c.times_s[i]));
    }
    return t;
}

TEST(TrafficChunkCells, EveryCellAcceptedGivesStateAtToTheBit) {
    Chunk c = fleet_chunk(3000, 7, 1.0, 1);
    index_chunk(c);
    const CellVisible all = [](const glm::dvec3&, const glm::dvec3&) { return true; };
    std::vector<VehicleState> expect, got;
    for (double t : probe_times(c)) {
        states_in_chunk(c, t, expect);
        states_in_chunk_view(c, t, all, got);
        ASSERT_EQ(got.size(), expect.size()) << "t = " << t;
        EXPECT_EQ(present_in_chunk(c, t), expect.size()) << "t = " << t;
        got = by_vehicle(got);
        for (size_t k = 0; k < got.size(); ++k)
            ASSERT_TRUE(same(got[k], expect[k])) << "t = " << t << ", vehicle " << expect[k].vehicle;
    }
    // Outside the chunk: nothing, and nothing counted.
    states_in_chunk_view(c, c.times_s.back() + 1, all, got);
    EXPECT_TRUE(got.empty());
    EXPECT_EQ(present_in_chunk(c, c.times_s.front() - 1), 0u);
}

TEST(TrafficChunkCells, AVehicleInsideAnAcceptedBoxIsNeverLostAndTheWorkFollowsTheView) {
    for (const double dt : {1.0, 10.0}) {  // 10 s samples: vehicles cross up to 500 m between
        Chunk c = fleet_chunk(20000, 5, dt, 2);
        index_chunk(c);
        std::mt19937 rng(3);
        std::uniform_real_distribution<double> u(-1800, 1800);
        std::vector<VehicleState> all, got;
        for (int q = 0; q < 20; ++q) {
            // A 200 x 200 m view of the 4 x 4 km town.
            const glm::dvec3 qlo(u(rng), u(rng), -10), qhi = qlo + glm::dvec3(200, 200, 100);
            const CellVisible visible = [&](const glm::dvec3& lo, const glm::dvec3& hi) {
                return glm::all(glm::lessThanEqual(lo, qhi)) && glm::all(glm::lessThanEqual(qlo, hi));
            };
            for (double t : probe_times(c)) {
                states_in_chunk(c, t, all);
                states_in_chunk_view(c, t, visible, got);
                const std::vector<VehicleState> sorted = by_vehicle(got);
                size_t inside = 0;
                for (const VehicleState& s : all) {
                    const auto it =
                        std::lower_bound(sorted.begin(), sorted.end(), s.vehicle,
                                         [](const VehicleState& a, uint32_t v) { return a.vehicle < v; });
                    const bool found = it != sorted.end() && it->vehicle == s.vehicle;
                    if (found) {
                        ASSERT_TRUE(same(*it, s)) << "interpolated as state_at, t = " << t;
                    }
                    if (glm::all(glm::lessThanEqual(qlo, s.position)) &&
                        glm::all(glm::lessThanEqual(s.position, qhi))) {
                        ++inside;
                        ASSERT_TRUE(found) << "vehicle " << s.vehicle << " in view lost at t = " << t
                                           << " (dt " << dt << " s)";
                    }
                }
                // No vehicle twice; and the cells read hold a few times the vehicles in view,
                // a small share of the 20,000 on the road (with 1 s samples: 200 m of view in
                // 128 m cells is at most 3 x 3 cells, ~400 vehicles).
                EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end(),
                                             [](const VehicleState& a, const VehicleState& b) {
                                                 return a.vehicle == b.vehicle;
                                             }) == sorted.end(),
                          true);
                if (dt == 1.0) {
                    EXPECT_LT(got.size(), all.size() / 25) << inside << " in view";
                }
            }
        }
    }
}

TEST(TrafficChunkCells, AVehicleCrossingIntoViewBetweenSamplesIsDrawn) {
    // One vehicle 300 m west of a 20 m view at the first sample, 100 m east at the second:
    // at 3/4 of the way it is in the view, though neither sample's cell is.
    Chunk c;
    c.times_s = {100, 110};
    c.first = {0, 1, 2};
    c.samples = {Sample{0, -30000, 0, 0, 16384, 4000}, Sample{0, 10000, 0, 0, 16384, 4000}};
    index_chunk(c);
    const CellVisible view = [](const glm::dvec3& lo, const glm::dvec3& hi) {
        return lo.x <= 10 && hi.x >= -10 && lo.y <= 10 && hi.y >= -10;
    };
    std::vector<VehicleState> got;
    states_in_chunk_view(c, 107.5, view, got);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NEAR(got[0].position.x, 0, 1e-9);
    states_in_chunk_view(c, 100, view, got);
    EXPECT_TRUE(got.empty()) << "at the sample time it is 300 m away";
    EXPECT_EQ(present_in_chunk(c, 107.5), 1u);
}

TEST(TrafficChunkCells, ChunkWithoutIndexReadsAsStateAt) {
    const Chunk c = fleet_chunk(200, 3, 1.0, 4);  // not indexed
    const CellVisible none = [](const glm::dvec3&, const glm::dvec3&) { return false; };
    std::vector<VehicleState> expect, got;
    states_in_chunk(c, 21600.5, expect);
    states_in_chunk_view(c, 21600.5, none, got);
    EXPECT_EQ(got.size(), expect.size());
    EXPECT_EQ(present_in_chunk(c, 21600.5), expect.size());
}

TEST(TrafficChunkCells, TheViewersCellTestKeepsEveryVehicleItDraws) {
    constexpr glm::dvec3 origin{632000.0, 5497000.0, 300.0};
    const viewer::TrafficFrame f = viewer::TrafficFrame::at(origin, 47.6);
    Chunk c = fleet_chunk(20000, 3, 1.0, 5);
    index_chunk(c);
    const std::vector<VehicleInfo> table(20000, VehicleInfo{"v", VehicleClass::car, 0, 1e9});
    render::Camera cam;
    cam.set_frame(glm::dmat3(glm::normalize(f.east), glm::normalize(f.north), f.up));
    std::vector<VehicleState> all, view;
    std::vector<render::VehicleInstance> expect, got;
    // A street view, a view from above and one looking across the whole town.
    const glm::dvec3 eyes[][2] = {
        {{100, -200, 2}, {100, 0, 2}}, {{0, -500, 300}, {0, 0, 0}}, {{-2500, -2500, 150}, {0, 0, 0}}};
    for (const auto& e : eyes) {
        cam.look_at(f.world(e[0]), f.world(e[1]));
        viewer::VehicleCulling cull;
        cull.eye = cam.eye();
        cull.view_projection = cam.projection(16.0 / 9.0) * cam.view_rotation();
        cull.max_distance_m = 3000;
        for (double t : {21600.0, 21600.4, 21601.7}) {
            states_in_chunk(c, t, all);
            states_in_chunk_view(c, t, viewer::cells_in_view(f, cull), view);
            viewer::place_vehicles(all, table, f, cull, expect);
            viewer::place_vehicles(view, table, f, cull, got);
            auto key = [](const render::VehicleInstance& a, const render::VehicleInstance& b) {
                return std::tie(a.position.x, a.position.y, a.position.z) <
                       std::tie(b.position.x, b.position.y, b.position.z);
            };
            std::sort(expect.begin(), expect.end(), key);
            std::sort(got.begin(), got.end(), key);
            ASSERT_EQ(got.size(), expect.size()) << "eye " << e[0].x << ", " << e[0].y << " at t = " << t;
            for (size_t k = 0; k < got.size(); ++k)
                ASSERT_EQ(got[k].position, expect[k].position);
        }
    }
    // Behind the street view's eye and beyond the distance nothing is interpolated at all.
    cam.look_at(f.world({0, 1900, 2}), f.world({0, 2100, 2}));
    viewer::VehicleCulling cull;
    cull.eye = cam.eye();
    cull.view_projection = cam.projection(16.0 / 9.0) * cam.view_rotation();
    cull.max_distance_m = 300;
    states_in_chunk(c, 21600.5, all);
    states_in_chunk_view(c, 21600.5, viewer::cells_in_view(f, cull), view);
    EXPECT_LT(view.size(), all.size() / 20) << "a view of the town's edge reads its cells only";
}

}  // namespace
}  // namespace zw
