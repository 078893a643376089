// Trajectory bundles (engine/scenario/traffic/trajectories.h): quantisation at sample times,
// interpolation between them (straight, across north), chunk borders without popping,
// seeking, presence, the bytes per vehicle-hour, writer errors, and damaged files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <glm/geometric.hpp>

#include "engine/core/error.h"
#include "engine/scenario/traffic/trajectories.h"
#include "tests/unit/temp_dir.h"

namespace {

using namespace zw::scenario::traffic;
namespace fs = std::filesystem;

const glm::dvec3 origin(630000, 5497000, 300);
constexpr double pi = 3.14159265358979323846;

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const zw::Error& e) {
        return e.what();
    }
    return "no error";
}

// The shorter way from a to b around the circle, in degrees.
double angle_gap(double a, double b) {
    const double d = std::fmod(std::abs(a - b), 360.0);
    return std::min(d, 360.0 - d);
}

struct Truth {
    glm::dvec3 p;
    double angle, speed;
};

// A town's worth of plausible motion: vehicles depart at random times, drive curving roads
// at speeds that rise and fall (stopping now and then), and arrive. Positions are absolute
// EPSG:25832 metres; everything is deterministic.
struct Fleet {
    std::map<std::pair<int, std::string>, Truth> truth;  // (time step, id)
    std::vector<std::string> ids;
    int steps = 0;
    double dt = 1;

    Fleet(int vehicles, int steps_, double dt_, unsigned seed) : steps(steps_), dt(dt_) {
        std::mt19937 rng(seed);
        std::uniform_real_distribution<double> u(0, 1);
        for (int v = 0; v < vehicles; ++v) {
            const std::string id = "veh" + std::to_string(v);
            ids.push_back(id);
            const int depart = int(u(rng) * steps * 0.6), duration = 60 + int(u(rng) * steps * 0.5);
            glm::dvec3 p = origin + glm::dvec3(u(rng) * 4000 - 2000, u(rng) * 4000 - 2000, u(rng) * 30);
            double heading = u(rng) * 2 * pi, turn = 0;
            const double cruise = 8 + u(rng) * 8, phase = u(rng) * 100;
            for (int k = depart; k < std::min(steps, depart + duration); ++k) {
                const double t = k * dt;
                // Stop-and-go every ~3 minutes, curves now and then.
                const double speed = std::max(0.0, cruise * std::sin((t + phase) / 60.0) + 2);
                if (u(rng) < 0.02) turn = (u(rng) - 0.5) * 0.2;
                if (u(rng) < 0.05) turn = 0;
                heading += turn * dt;
                const double deg = std::fmod(heading * 180 / pi + 3600.0, 360.0);
                truth[{k, id}] = {p, deg, speed};
                p += glm::dvec3(std::sin(heading), std::cos(heading), 0.001) * speed * dt;
            }
        }
    }

    std::string write(const fs::path& path, double chunk_s = default_chunk_length_s) const {
        TrajectoryWriter w(path.string(), origin, chunk_s);
        auto it = truth.begin();
        for (int k = 0; k < steps; ++k) {
            w.begin_step(k * dt);
            for (; it != truth.end() && it->first.first == k; ++it) {
                const Truth& s = it->second;
                w.add(it->first.second, VehicleClass::car, s.p, s.angle, s.speed);
            }
        }
        w.finish();
        return path.string();
    }
};

TEST(TrafficTrajectories, RoundTripAtSampleTimesAndBytesPerVehicleHour) {
    zw::test::TempDir dir;
    const Fleet fleet(300, 1800, 1.0, 7);
    const fs::path path = dir.path() / "trajectories.zwt";
    TrajectoryWriter w(path.string(), origin);
    auto it = fleet.truth.begin();
    for (int k = 0; k < fleet.steps; ++k) {
        w.begin_step(k);
        for (; it != fleet.truth.end() && it->first.first == k; ++it)
            w.add(it->first.second, VehicleClass::car, it->second.p, it->second.angle, it->second.speed);
    }
    w.finish();
    EXPECT_FALSE(fs::exists(path.string() + ".tmp"));

    TrajectoryReader r = TrajectoryReader::open(path.string());
    ASSERT_EQ(r.vehicles().size(), w.stats().vehicles);
    EXPECT_EQ(r.origin(), origin);
    EXPECT_EQ(r.sample_step_s(), 1.0);
    EXPECT_EQ(r.begin_s(), 0.0);
    EXPECT_EQ(r.end_s(), fleet.steps - 1.0);
    EXPECT_EQ(r.chunks().size(), 30u);  // 1800 s in 60 s chunks
    std::map<std::string, uint32_t> index;
    for (uint32_t v = 0; v < r.vehicles().size(); ++v)
        index[r.vehicles()[v].id] = v;
    double worst_pos = 0, worst_angle = 0, worst_speed = 0;
    size_t compared = 0;
    std::vector<VehicleState> states;
    for (int k = 0; k < fleet.steps; ++k) {
        r.state_at(k, states);
        size_t expected = 0;
        for (auto t = fleet.truth.lower_bound({k, ""}); t != fleet.truth.end() && t->first.first == k; ++t)
            ++expected;
        ASSERT_EQ(states.size(), expected) << "t = " << k;
        for (const VehicleState& s : states) {
            const Truth& truth = fleet.truth.at({k, r.vehicles()[s.vehicle].id});
            const glm::dvec3 d = (s.position + origin) - truth.p;
            worst_pos = std::max({worst_pos, std::abs(d.x), std::abs(d.y), std::abs(d.z)});
            worst_angle = std::max(worst_angle, angle_gap(s.angle_deg, truth.angle));
            worst_speed = std::max(worst_speed, std::abs(s.speed_ms - truth.speed));
            ++compared;
        }
    }
    EXPECT_EQ(compared, fleet.truth.size());
    EXPECT_LE(worst_pos, 0.005 + 1e-9);            // half a centimetre
    EXPECT_LE(worst_angle, 360.0 / 65536 + 1e-9);  // one step of the heading
    EXPECT_LE(worst_speed, 0.005 + 1e-9);
    EXPECT_GT(worst_pos, 0.001);  // the positions were really quantised, not stored as doubles

    const double vehicle_hours = w.stats().vehicle_s / 3600;
    const double bytes = double(fs::file_size(path));
    const double per_vh = bytes / vehicle_hours;
    std::printf(
        "[ TRAFFIC  ] trajectories.zwt: %.0f bytes for %.1f vehicle-hours at 1 s steps in %u chunks: "
        "%.0f bytes per vehicle-hour, %.2f bytes per sample (raw samples take 16)\n",
        bytes, vehicle_hours, w.stats().chunks, per_vh, bytes / double(w.stats().samples));
    EXPECT_LT(per_vh, 16000);  // under 4.5 bytes per sample (the raw sample is 16)
}

TEST(TrafficTrajectories, InterpolatesBetweenSamples) {
    zw::test::TempDir dir;
    const std::string path = (dir.path() / "t.zwt").string();
    {
        TrajectoryWriter w(path, origin);
        w.begin_step(100);
        w.add("straight", VehicleClass::car, origin + glm::dvec3(10, 20, 1), 90, 10);
        w.add("north", VehicleClass::bus, origin + glm::dvec3(0, 0, 0), 359, 4);
        w.add("south", VehicleClass::truck, origin + glm::dvec3(0, 0, 0), 170, 0);
        w.begin_step(101);
        w.add("straight", VehicleClass::car, origin + glm::dvec3(20, 20, 1), 90, 12);
        w.add("north", VehicleClass::bus, origin + glm::dvec3(0, 4, 0), 1, 4);
        w.add("south", VehicleClass::truck, origin + glm::dvec3(0, 0, 0), 190, 0);
        w.finish();
    }
    TrajectoryReader r = TrajectoryReader::open(path);
    const std::vector<VehicleState> s = r.state_at(100.25);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(r.vehicles()[s[0].vehicle].id, "straight");
    EXPECT_NEAR(s[0].position.x, 12.5, 1e-9);
    EXPECT_NEAR(s[0].position.y, 20, 1e-9);
    EXPECT_NEAR(s[0].position.z, 1, 1e-9);
    EXPECT_NEAR(s[0].angle_deg, 90, 1e-9);
    EXPECT_NEAR(s[0].speed_ms, 10.5, 1e-9);
    // 359 -> 1 degree turns through north: a quarter of the way is 359.5, half is 0.
    EXPECT_NEAR(s[1].angle_deg, 359.5, 360.0 / 65536);
    EXPECT_NEAR(angle_gap(r.state_at(100.5)[1].angle_deg, 0), 0, 360.0 / 65536);
    EXPECT_NEAR(r.state_at(100.75)[1].angle_deg, 0.5, 360.0 / 65536);
    EXPECT_NEAR(s[1].position.y, 1, 1e-9);
    // 170 -> 190 turns through south, not the long way round through north.
    EXPECT_NEAR(r.state_at(100.5)[2].angle_deg, 180, 360.0 / 65536);
    for (const VehicleState& v : r.state_at(100.5)) {
        EXPECT_GE(v.angle_deg, 0);
        EXPECT_LT(v.angle_deg, 360);
    }
    EXPECT_EQ(r.vehicles()[1].cls, VehicleClass::bus);
    EXPECT_EQ(r.vehicles()[2].cls, VehicleClass::truck);
}

TEST(TrafficTrajectories, ContinuousAcrossChunkBorders) {
    zw::test::TempDir dir;
    const std::string path = (dir.path() / "t.zwt").string();
    // One vehicle driving a circle of 200 m radius at 15 m/s, sampled every 0.5 s, in
    // chunks of 10 s: borders at 10, 20, ... s.
    {
        TrajectoryWriter w(path, origin, 10);
        for (int k = 0; k <= 100; ++k) {
            const double t = 3 + 0.5 * k, a = 15 * t / 200;  // radians along the circle
            w.begin_step(t);
            w.add("ring", VehicleClass::fire_engine,
                  origin + glm::dvec3(200 * std::sin(a), 200 * std::cos(a), 0),
                  std::fmod(a * 180 / pi + 90, 360.0), 15);
        }
        w.finish();
    }
    TrajectoryReader r = TrajectoryReader::open(path, 1);
    ASSERT_EQ(r.chunks().size(), 6u);  // [3, 10], [10, 20], ..., [50, 53]
    EXPECT_EQ(r.chunks()[0].t0_s, 3);
    EXPECT_EQ(r.chunks()[0].t1_s, 10);
    EXPECT_EQ(r.chunks()[5].t0_s, 50);
    EXPECT_EQ(r.chunks()[5].t1_s, 53);
    for (size_t k = 0; k + 1 < r.chunks().size(); ++k) {
        // The last sample time of a chunk is the first of the next, with the same samples.
        const auto a = r.chunk(k), b = r.chunk(k + 1);
        ASSERT_EQ(a->times_s.back(), b->times_s.front());
        const Sample& sa = a->samples[a->first[a->times_s.size() - 1]];
        const Sample& sb = b->samples[0];
        EXPECT_EQ(sa.x_cm, sb.x_cm);
        EXPECT_EQ(sa.y_cm, sb.y_cm);
        EXPECT_EQ(sa.angle, sb.angle);
        const double border = r.chunks()[k].t1_s;
        const std::vector<VehicleState> before = r.state_at(border - 1e-6), after = r.state_at(border + 1e-6),
                                        at = r.state_at(border);
        ASSERT_EQ(before.size(), 1u);
        ASSERT_EQ(after.size(), 1u);
        // 2 us at 15 m/s is 0.03 mm; the rest is quantisation.
        EXPECT_LE(glm::length(before[0].position - after[0].position), 0.0001) << "border " << border;
        EXPECT_LE(angle_gap(before[0].angle_deg, after[0].angle_deg), 0.001);
        EXPECT_LE(glm::length(at[0].position - after[0].position), 0.0001);
    }
}

TEST(TrafficTrajectories, SeekingAnywhereMatchesPlayingThrough) {
    zw::test::TempDir dir;
    const Fleet fleet(60, 600, 0.5, 11);
    const std::string path = fleet.write(dir.path() / "t.zwt", 20);
    TrajectoryReader player = TrajectoryReader::open(path, 2);
    std::vector<double> times;
    for (double t = -5; t <= player.end_s() + 5; t += 0.37)
        times.push_back(t);
    std::map<double, std::vector<VehicleState>> played;
    for (double t : times)
        played[t] = player.state_at(t);
    // Every chunk read once in order, not the whole file per seek.
    EXPECT_EQ(player.chunk_reads(), player.chunks().size());

    TrajectoryReader seeker = TrajectoryReader::open(path, 1);
    std::mt19937 rng(3);
    std::shuffle(times.begin(), times.end(), rng);
    size_t nonempty = 0;
    for (double t : times) {
        const uint64_t reads = seeker.chunk_reads();
        const std::vector<VehicleState> s = seeker.state_at(t);
        EXPECT_LE(seeker.chunk_reads() - reads, 1u);  // one chunk at most per seek
        const std::vector<VehicleState>& p = played[t];
        ASSERT_EQ(s.size(), p.size()) << "t = " << t;
        for (size_t i = 0; i < s.size(); ++i) {
            EXPECT_EQ(s[i].vehicle, p[i].vehicle);
            EXPECT_EQ(s[i].position, p[i].position);
            EXPECT_EQ(s[i].angle_deg, p[i].angle_deg);
            EXPECT_EQ(s[i].speed_ms, p[i].speed_ms);
        }
        nonempty += !s.empty();
    }
    EXPECT_GT(nonempty, times.size() / 2);
}

TEST(TrafficTrajectories, PresentFromFirstToLastSampleOnly) {
    zw::test::TempDir dir;
    const std::string path = (dir.path() / "t.zwt").string();
    {
        TrajectoryWriter w(path, origin, 5);
        for (int t = 0; t <= 30; ++t) {
            w.begin_step(t);
            w.add("always", VehicleClass::car, origin + glm::dvec3(t, 0, 0), 90, 1);
            if (t >= 10 && t <= 20) w.add("visitor", VehicleClass::van, origin + glm::dvec3(0, t, 0), 0, 1);
            if (t <= 12 || t >= 15)  // SUMO teleported it at 13 and 14
                w.add("teleported", VehicleClass::truck, origin + glm::dvec3(-t, 0, 0), 270, 1);
        }
        w.finish();
    }
    TrajectoryReader r = TrajectoryReader::open(path);
    ASSERT_EQ(r.vehicles().size(), 3u);
    // Numbered in the order they first appear.
    EXPECT_EQ(r.vehicles()[0].id, "always");
    EXPECT_EQ(r.vehicles()[1].id, "teleported");
    const VehicleInfo& visitor = r.vehicles()[2];
    EXPECT_EQ(visitor.id, "visitor");
    EXPECT_EQ(visitor.cls, VehicleClass::van);
    EXPECT_EQ(visitor.first_s, 10);
    EXPECT_EQ(visitor.last_s, 20);
    auto has = [&](double t, uint32_t v) {
        for (const VehicleState& s : r.state_at(t))
            if (s.vehicle == v) return true;
        return false;
    };
    EXPECT_FALSE(has(9.5, 2));
    EXPECT_FALSE(has(9.999, 2));
    EXPECT_TRUE(has(10, 2));
    EXPECT_TRUE(has(15.5, 2));
    EXPECT_TRUE(has(20, 2));
    EXPECT_FALSE(has(20.001, 2));
    EXPECT_FALSE(has(25, 2));
    EXPECT_TRUE(has(12, 1));
    EXPECT_FALSE(has(12.5, 1));
    EXPECT_FALSE(has(14, 1));
    EXPECT_TRUE(has(15, 1));
    EXPECT_TRUE(has(29.5, 1));
    EXPECT_TRUE(r.state_at(-1).empty());
    EXPECT_TRUE(r.state_at(30.5).empty());
    EXPECT_TRUE(r.state_at(std::nan("")).empty());
    EXPECT_EQ(r.state_at(30).size(), 2u);
}

TEST(TrafficTrajectories, ChunkEndingOnABorderIsNotRepeatedAlone) {
    zw::test::TempDir dir;
    for (const int last : {60, 61}) {
        const std::string path = (dir.path() / ("t" + std::to_string(last) + ".zwt")).string();
        {
            TrajectoryWriter w(path, origin);
            for (int t = 0; t <= last; ++t) {
                w.begin_step(t);
                w.add("a", VehicleClass::car, origin, 0, 0);
            }
            w.finish();
        }
        TrajectoryReader r = TrajectoryReader::open(path);
        ASSERT_EQ(r.chunks().size(), last == 60 ? 1u : 2u) << last;
        EXPECT_EQ(r.chunks()[0].t1_s, 60);
        EXPECT_EQ(r.chunks()[0].times, 61u);
        EXPECT_EQ(r.state_at(last).size(), 1u);
    }
}

TEST(TrafficTrajectories, EmptyBundleAndWriterErrors) {
    zw::test::TempDir dir;
    const std::string path = (dir.path() / "t.zwt").string();
    {
        TrajectoryWriter w(path, origin);
        w.finish();
    }
    TrajectoryReader r = TrajectoryReader::open(path);
    EXPECT_TRUE(r.vehicles().empty());
    EXPECT_TRUE(r.chunks().empty());
    EXPECT_TRUE(r.state_at(0).empty());

    const std::string other = (dir.path() / "u.zwt").string();
    {
        TrajectoryWriter w(other, origin);
        EXPECT_NE(error_of([&] {
                      w.add("a", VehicleClass::car, origin, 0, 0);
                  }).find("before the first begin_step"),
                  std::string::npos);
        w.begin_step(5);
        EXPECT_NE(error_of([&] { w.begin_step(5); }).find("sample times must grow"), std::string::npos);
        EXPECT_NE(error_of([&] { w.add("", VehicleClass::car, origin, 0, 0); }).find("1 to 255 bytes"),
                  std::string::npos);
        EXPECT_NE(error_of([&] {
                      w.add("a", VehicleClass::car, origin + glm::dvec3(3e7, 0, 0), 0, 0);
                  }).find("21,474 km"),
                  std::string::npos);
        EXPECT_NE(
            error_of([&] { w.add("a", VehicleClass::car, origin, std::nan(""), 0); }).find("not a number"),
            std::string::npos);
        w.add("a", VehicleClass::car, origin, 0, 0);
        w.add("a", VehicleClass::car, origin, 0, 0);
        EXPECT_NE(error_of([&] { w.begin_step(6); }).find("vehicle 'a' appears twice at t = 5"),
                  std::string::npos);
        EXPECT_TRUE(fs::exists(other + ".tmp"));
    }  // never finished: nothing is left behind
    EXPECT_FALSE(fs::exists(other + ".tmp"));
    EXPECT_FALSE(fs::exists(other));
    EXPECT_NE(error_of([&] {
                  TrajectoryWriter w((dir.path() / "no/such/dir/t.zwt").string(), origin);
              }).find("does the folder exist"),
              std::string::npos);
    EXPECT_NE(error_of([&] { TrajectoryWriter w(other, origin, 0); }).find("chunk length"),
              std::string::npos);
}

TEST(TrafficTrajectories, VehicleClassesFromSumoTypes) {
    EXPECT_EQ(vehicle_class_of("DEFAULT_VEHTYPE"), VehicleClass::car);
    EXPECT_EQ(vehicle_class_of("pkw_commuter", "passenger"), VehicleClass::car);
    EXPECT_EQ(vehicle_class_of("t1", "delivery"), VehicleClass::van);
    EXPECT_EQ(vehicle_class_of("t2", "trailer"), VehicleClass::truck);
    EXPECT_EQ(vehicle_class_of("LKW_40t"), VehicleClass::truck);
    EXPECT_EQ(vehicle_class_of("bus_line_201"), VehicleClass::bus);
    EXPECT_EQ(vehicle_class_of("x", "bus"), VehicleClass::bus);
    EXPECT_EQ(vehicle_class_of("x", "emergency"), VehicleClass::fire_engine);
    EXPECT_EQ(vehicle_class_of("FireEngine_HLF20", "truck"), VehicleClass::fire_engine);
    EXPECT_EQ(vehicle_class_of("Feuerwehr"), VehicleClass::fire_engine);
    EXPECT_EQ(vehicle_class_of("bike", "bicycle"), VehicleClass::other);
    EXPECT_EQ(vehicle_class_of("tractor"), VehicleClass::other);
    EXPECT_STREQ(vehicle_class_name(VehicleClass::fire_engine), "fire_engine");
}

// --- damaged files ---

std::vector<uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}
void write_bytes(const std::string& path, const std::vector<uint8_t>& b) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}
void put_u32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        b[at + size_t(i)] = uint8_t(v >> (8 * i));
}
void put_u64(std::vector<uint8_t>& b, size_t at, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        b[at + size_t(i)] = uint8_t(v >> (8 * i));
}
uint64_t get_u64(const std::vector<uint8_t>& b, size_t at) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v |= uint64_t(b[at + size_t(i)]) << (8 * i);
    return v;
}

// tests/fuzz/corpus/zwt/three_vehicles is written by tests/fuzz/make_corpus.py from
// docs/traffic-bundle.md alone, without the engine: the reader must read it, and the
// writer must write the same bytes.
TEST(TrafficTrajectories, ReadsAndWritesTheDocumentedLayout) {
    const std::string seed = std::string(ZW_SOURCE_DIR) + "/tests/fuzz/corpus/zwt/three_vehicles";
    TrajectoryReader r = TrajectoryReader::open(seed);
    const glm::dvec3 o(630000, 5497000, 300);
    EXPECT_EQ(r.origin(), o);
    EXPECT_EQ(r.chunk_length_s(), 2);
    EXPECT_EQ(r.sample_step_s(), 1);
    ASSERT_EQ(r.chunks().size(), 2u);
    EXPECT_EQ(r.chunks()[0].t1_s, 2);
    EXPECT_EQ(r.chunks()[1].t0_s, 2);
    ASSERT_EQ(r.vehicles().size(), 3u);
    EXPECT_EQ(r.vehicles()[1].id, "b");
    EXPECT_EQ(r.vehicles()[1].cls, VehicleClass::bus);
    EXPECT_EQ(r.vehicles()[2].cls, VehicleClass::fire_engine);
    EXPECT_EQ(r.vehicles()[2].first_s, 2);
    const std::vector<VehicleState> s = r.state_at(2.5);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_NEAR(s[0].position.x, 2.5, 1e-9);  // "a": 1 m/s east
    EXPECT_NEAR(s[0].position.z, -0.3, 1e-9);
    EXPECT_NEAR(s[0].angle_deg, 90, 1e-9);
    EXPECT_NEAR(s[1].position.y, 3, 1e-9);                                      // "b": (300 * 2.5 - 450) cm
    EXPECT_NEAR(s[1].angle_deg, (65500 + 100) % 65536 * angle_unit_deg, 1e-9);  // across north
    EXPECT_NEAR(s[1].speed_ms, 14.75, 1e-9);
    EXPECT_NEAR(s[2].position.x, -1234.56 * 2.5, 1e-9);
    EXPECT_NEAR(r.state_at(1)[1].angle_deg, 4 * angle_unit_deg, 1e-9);  // 65540 wraps to 4

    zw::test::TempDir dir;
    const std::string path = (dir.path() / "same.zwt").string();
    {
        TrajectoryWriter w(path, o, 2);
        for (int t = 0; t < 4; ++t) {
            w.begin_step(t);
            w.add("a", VehicleClass::car, o + glm::dvec3(t, 0.05, -0.3), 90, 1);
            w.add("b", VehicleClass::bus, o + glm::dvec3(-20, 3.0 * t - 4.5, 0),
                  (65500 + 40 * t) % 65536 * angle_unit_deg, 15 - 0.1 * t);
            if (t >= 2)
                w.add("c", VehicleClass::fire_engine, o + glm::dvec3(-1234.56 * t, 0.07, 0.01), 180, 0);
        }
        w.finish();
    }
    EXPECT_EQ(read_bytes(path), read_bytes(seed));
}

// Opens `path` and plays every chunk: a zw::Error's message, or "no error".
std::string play_all(const std::string& path) {
    return error_of([&] {
        TrajectoryReader r = TrajectoryReader::open(path, 1);
        for (size_t k = 0; k < r.chunks().size(); ++k)
            r.chunk(k);
    });
}

TEST(TrafficTrajectories, DamagedFilesAreRefusedInWords) {
    zw::test::TempDir dir;
    const Fleet fleet(20, 200, 1.0, 5);
    const std::string good = fleet.write(dir.path() / "good.zwt", 30);
    const std::vector<uint8_t> bytes = read_bytes(good);
    ASSERT_EQ(play_all(good), "no error");
    const std::string bad = (dir.path() / "bad.zwt").string();
    auto refused = [&](std::vector<uint8_t> b, const std::string& expect) {
        write_bytes(bad, b);
        const std::string e = play_all(bad);
        EXPECT_NE(e.find(expect), std::string::npos) << e;
        EXPECT_NE(e.find("bad.zwt"), std::string::npos) << e;
    };
    // Cut off anywhere: in the header, in a chunk, in the index.
    for (size_t n : {size_t(0), size_t(7), size_t(100), size_t(500), bytes.size() / 2, bytes.size() - 1}) {
        refused(std::vector<uint8_t>(bytes.begin(), bytes.begin() + std::ptrdiff_t(n)),
                n < 128 ? "fewer than its 128-byte header" : "cut off");
    }
    {
        auto b = bytes;
        b[0] = 'X';
        refused(b, "does not start with ZWTRAJS");
    }
    {
        auto b = bytes;
        put_u32(b, 8, 2);
        refused(b, "format version 2");
    }
    {
        auto b = bytes;
        put_u32(b, 72, 0xffffffffu);  // vehicles
        refused(b, "more than 4194304");
    }
    {
        auto b = bytes;
        put_u32(b, 76, 3'000'000);  // chunks: within the limit, but not in the index
        refused(b, "the chunk index has");
    }
    {
        auto b = bytes;
        put_u64(b, 88, uint64_t(1) << 40);  // vehicle table offset
        refused(b, "the vehicle table lies outside the file");
    }
    {
        auto b = bytes;
        put_u64(b, 104, bytes.size() - 8);  // index offset: runs past the end
        refused(b, "the chunk index lies outside the file");
    }
    {
        auto b = bytes;
        put_u32(b, 100, 0x7fffffff);  // the vehicle table's decompressed size
        refused(b, "does not fit");
    }
    const size_t index = size_t(get_u64(bytes, 104));
    {
        auto b = bytes;
        put_u64(b, index + 16, bytes.size() + 1000);  // chunk 0's offset
        refused(b, "chunk 0 lies outside");
    }
    {
        auto b = bytes;
        put_u32(b, index + 28, 200u << 20);  // chunk 0 decompresses to 200 MiB from a few kB
        refused(b, "decompressed bytes");
    }
    {
        auto b = bytes;
        put_u32(b, index + 40 + 36, 0x7fffffff);  // chunk 1's sample count
        refused(b, "claims");
    }
    {
        auto b = bytes;
        b[128 + 40] ^= 0x55;  // inside chunk 0's zlib stream
        refused(b, "chunk 0");
    }
}

TEST(TrafficTrajectories, NoByteFlipCrashes) {
    zw::test::TempDir dir;
    const Fleet fleet(8, 90, 1.0, 9);
    const std::string good = fleet.write(dir.path() / "good.zwt", 30);
    const std::vector<uint8_t> bytes = read_bytes(good);
    const std::string bad = (dir.path() / "bad.zwt").string();
    std::mt19937 rng(1);
    size_t refused = 0;
    // Every byte of the header and index, and random bytes elsewhere, set to random values:
    // each file either plays or is refused with a zw::Error (never a crash or a huge
    // allocation; the sanitizer build checks the rest).
    std::vector<size_t> where;
    for (size_t i = 0; i < 128; ++i)
        where.push_back(i);
    for (size_t i = size_t(get_u64(bytes, 88)); i < bytes.size(); ++i)
        where.push_back(i);
    for (int i = 0; i < 300; ++i)
        where.push_back(128 + rng() % (bytes.size() - 128));
    for (size_t at : where) {
        auto b = bytes;
        b[at] = uint8_t(b[at] ^ (1 + rng() % 255));
        write_bytes(bad, b);
        const std::string e = play_all(bad);
        if (e != "no error") {
            ++refused;
            EXPECT_NE(e.find("bad.zwt"), std::string::npos) << e;
        }
        if (e == "no error") {
            // A file that opens still answers any time.
            TrajectoryReader r = TrajectoryReader::open(bad);
            for (double t = r.begin_s(); t <= r.end_s(); t += 7.3)
                (void)r.state_at(t);
        }
    }
    EXPECT_GT(refused, where.size() / 2);
}

}  // namespace
