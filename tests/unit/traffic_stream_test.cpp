// The prefetching player of trajectory bundles (engine/scenario/traffic/trajectory_stream.h):
// the same states as the plain reader at random times and on chunk borders, the chunks ahead
// decoded before play reaches them (forward and backwards), several threads at once, and a
// damaged chunk reported when play reaches it, not before.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/core/error.h"
#include "engine/scenario/traffic/trajectory_stream.h"
#include "tests/unit/temp_dir.h"

namespace {

using namespace zw::scenario::traffic;
namespace fs = std::filesystem;

const glm::dvec3 origin(630000, 5497000, 300);

// `vehicles` vehicles over `steps` seconds at 1 s steps in 60 s chunks, each present for a
// stretch of the run (so vehicles come and go across chunk borders), circling at its own
// speed. Deterministic.
std::string write_run(const fs::path& path, int vehicles, int steps) {
    TrajectoryWriter w(path.string(), origin);
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> u(0, 1);
    struct V {
        int from, to;
        double r, w, phase;
    };
    std::vector<V> vs;
    for (int v = 0; v < vehicles; ++v) {
        const int from = int(u(rng) * steps * 0.7);
        vs.push_back({from, from + 30 + int(u(rng) * steps * 0.5), 50 + u(rng) * 500, 0.01 + u(rng) * 0.05,
                      u(rng) * 6.28});
    }
    for (int k = 0; k < steps; ++k) {
        w.begin_step(21600 + k);
        for (int v = 0; v < vehicles; ++v) {
            const V& c = vs[size_t(v)];
            if (k < c.from || k > c.to) continue;
            const double a = c.phase + c.w * k;
            w.add("veh" + std::to_string(v), VehicleClass::car,
                  origin + glm::dvec3(c.r * std::cos(a), c.r * std::sin(a), 0.01 * k),
                  std::fmod(a * 57.3, 360.0), c.r * c.w);
        }
    }
    w.finish();
    return path.string();
}

void expect_same(const std::vector<VehicleState>& a, const std::vector<VehicleState>& b, double t) {
    ASSERT_EQ(a.size(), b.size()) << "t = " << t;
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].vehicle, b[i].vehicle) << "t = " << t;
        EXPECT_EQ(a[i].position, b[i].position) << "t = " << t;
        EXPECT_EQ(a[i].angle_deg, b[i].angle_deg) << "t = " << t;
        EXPECT_EQ(a[i].speed_ms, b[i].speed_ms) << "t = " << t;
    }
}

TEST(TrafficStream, SameStatesAsTheReaderAtRandomTimesAndBorders) {
    zw::test::TempDir dir;
    const std::string path = write_run(dir.path() / "t.zwt", 200, 900);  // 15 chunks
    TrajectoryReader plain = TrajectoryReader::open(path);
    TrajectoryStream stream(TrajectoryReader::open(path, 1), {.ahead_chunks = 2, .cache_chunks = 4});
    EXPECT_EQ(stream.vehicles().size(), plain.vehicles().size());
    EXPECT_EQ(stream.begin_s(), plain.begin_s());
    EXPECT_EQ(stream.end_s(), plain.end_s());
    ASSERT_EQ(stream.chunks().size(), 15u);

    std::vector<double> times;
    for (const ChunkInfo& c : plain.chunks())  // borders, just before and after, and the ends
        for (double t :
             {c.t0_s, c.t1_s, std::nextafter(c.t0_s, 1e9), std::nextafter(c.t1_s, -1e9), c.t1_s - 0.5})
            times.push_back(t);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(plain.begin_s() - 10, plain.end_s() + 10);
    for (int i = 0; i < 400; ++i)  // seeks anywhere, outside the run too
        times.push_back(u(rng));
    for (double t = plain.begin_s(); t <= plain.end_s(); t += 0.37)  // playing forward ...
        times.push_back(t);
    for (double t = plain.end_s(); t >= plain.begin_s(); t -= 1.3)  // ... and backwards
        times.push_back(t);
    times.push_back(std::nan(""));
    std::vector<VehicleState> a, b;
    size_t nonempty = 0;
    for (double t : times) {
        plain.state_at(t, a);
        stream.state_at(t, b);
        expect_same(a, b, t);
        nonempty += !a.empty();
    }
    EXPECT_GT(nonempty, times.size() / 2);
    EXPECT_GT(stream.stats().calls, 0u);
}

TEST(TrafficStream, ChunksAheadAreReadBeforePlayReachesThem) {
    zw::test::TempDir dir;
    const std::string path = write_run(dir.path() / "t.zwt", 100, 600);  // 10 chunks
    TrajectoryStream stream(TrajectoryReader::open(path, 1));
    const std::vector<ChunkInfo>& chunks = stream.chunks();
    ASSERT_EQ(chunks.size(), 10u);

    // The first call waits (nothing is read yet) and sets the worker to read two ahead.
    std::vector<VehicleState> out;
    stream.state_at(chunks[0].t0_s, out);
    EXPECT_EQ(stream.stats().waits, 1u);
    stream.wait_idle();
    EXPECT_TRUE(stream.ready(1));
    EXPECT_TRUE(stream.ready(2));
    EXPECT_FALSE(stream.ready(3));

    // Playing forward at 1 s a frame, with the worker given its time at each new chunk:
    // no call waits again, and every chunk after the first came from the prefetch.
    for (double t = chunks[0].t0_s; t <= stream.end_s(); t += 1) {
        stream.state_at(t, out);
        stream.wait_idle();
    }
    TrajectoryStream::Stats s = stream.stats();
    EXPECT_EQ(s.waits, 1u);
    EXPECT_EQ(s.prefetch_hits, 9u);
    EXPECT_EQ(s.decoded, 10u);

    // Backwards from the end: the chunks before are read ahead (the cache of six still holds
    // 4 .. 9, so reading starts at 3).
    for (double t = stream.end_s(); t >= stream.begin_s(); t -= 1) {
        stream.state_at(t, out);
        stream.wait_idle();
    }
    s = stream.stats();
    EXPECT_EQ(s.waits, 1u);
    EXPECT_EQ(s.decoded, 14u);

    // A seek to a chunk not kept waits once, and is timed.
    stream.state_at(chunks[7].t0_s + 5, out);
    s = stream.stats();
    EXPECT_EQ(s.waits, 2u);
    EXPECT_GT(s.wait_s_max, 0.0);
    EXPECT_LT(s.wait_s_max, 5.0);
}

TEST(TrafficStream, ManyThreadsAtOnce) {
    zw::test::TempDir dir;
    const std::string path = write_run(dir.path() / "t.zwt", 150, 1200);  // 20 chunks
    TrajectoryReader plain = TrajectoryReader::open(path);
    // Every whole and half second, as the plain reader gives them.
    std::vector<double> times;
    std::vector<std::vector<VehicleState>> truth;
    for (double t = plain.begin_s(); t <= plain.end_s(); t += 0.5) {
        times.push_back(t);
        truth.push_back(plain.state_at(t));
    }
    // A small cache, so that the threads push each other's chunks out.
    TrajectoryStream stream(TrajectoryReader::open(path, 1), {.ahead_chunks = 1, .cache_chunks = 3});
    std::vector<std::thread> threads;
    std::vector<int> mismatches(4, 0);
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&, i] {
            std::mt19937 rng(unsigned(100 + i));
            std::uniform_int_distribution<size_t> pick(0, times.size() - 1);
            std::vector<VehicleState> out;
            for (int n = 0; n < 300; ++n) {
                // Threads 0 and 1 play (forward, backwards), 2 and 3 seek at random.
                const size_t j = i == 0   ? size_t(n) * 7 % times.size()
                                 : i == 1 ? times.size() - 1 - size_t(n) * 5 % times.size()
                                          : pick(rng);
                stream.state_at(times[j], out);
                const std::vector<VehicleState>& want = truth[j];
                bool same = out.size() == want.size();
                for (size_t v = 0; same && v < out.size(); ++v)
                    same = out[v].vehicle == want[v].vehicle && out[v].position == want[v].position &&
                           out[v].angle_deg == want[v].angle_deg && out[v].speed_ms == want[v].speed_ms;
                mismatches[size_t(i)] += !same;
                if (n % 50 == 0) (void)stream.ready(j % 20), (void)stream.stats();
            }
        });
    for (std::thread& t : threads)
        t.join();
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(mismatches[size_t(i)], 0) << "thread " << i;
    EXPECT_EQ(stream.stats().calls, 1200u);
}

TEST(TrafficStream, DamagedChunkIsAnErrorWhenPlayReachesIt) {
    zw::test::TempDir dir;
    const std::string path = write_run(dir.path() / "t.zwt", 50, 300);  // 5 chunks
    std::vector<ChunkInfo> chunks = TrajectoryReader::open(path).chunks();
    ASSERT_EQ(chunks.size(), 5u);
    {  // Chunk 2's compressed bytes overwritten: it no longer inflates.
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(std::streamoff(chunks[2].offset + 2));
        const std::string junk(std::min<uint32_t>(chunks[2].bytes - 4, 64), '\x5a');
        f.write(junk.data(), std::streamsize(junk.size()));
    }
    TrajectoryStream stream(TrajectoryReader::open(path, 1));
    std::vector<VehicleState> out;
    EXPECT_NO_THROW(stream.state_at(chunks[1].t0_s + 1, out));  // chunk 2 is read ahead: no error yet
    stream.wait_idle();
    EXPECT_FALSE(stream.ready(2));
    EXPECT_NO_THROW(stream.state_at(chunks[1].t0_s + 2, out));
    for (int i = 0; i < 2; ++i) {  // each time it is asked for
        try {
            stream.state_at(chunks[2].t0_s + 1, out);
            ADD_FAILURE() << "no error";
        } catch (const zw::Error& e) {
            EXPECT_NE(std::string(e.what()).find("chunk 2"), std::string::npos) << e.what();
        }
    }
    EXPECT_NO_THROW(stream.state_at(chunks[3].t0_s + 1, out));  // the chunks after still play
    EXPECT_FALSE(out.empty());
}

}  // namespace
