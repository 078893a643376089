// Traffic playback benchmarks, run by hand or by tests/bench/traffic.sh (never by ctest):
//
//   zw_traffic_bench info FILE.zwt
//       one JSON line: vehicles, vehicle-hours, bytes, chunks, first and last sample time
//   zw_traffic_bench seek FILE.zwt [SEEKS]
//       state_at after a random seek (cold chunk) and again in the same chunk (warm), the
//       plain TrajectoryReader against the prefetching TrajectoryStream; then playing forward
//       at 1x, 10x and 60x at 60 fps in real time (10 s each, across chunk borders): the
//       median, 99th percentile and worst state_at time per frame, and the frames that
//       waited for a chunk. Same file, same machine, one run: compare the columns.
//   zw_traffic_bench frame [N ...]
//       N vehicles (default 1000 10000 50000) synthesised on a 3 x 3 km street grid around
//       the origin, played at 1x: CPU time per frame of the vehicle update, interpolating
//       every vehicle (state_at) against only the cells in view (state_in_view), each then
//       placed and culled (app/viewer/traffic_place.h), with a camera over the town and one
//       over a block: the second's cost must follow the vehicles on screen, not N.
//   zw_traffic_bench synth N OUT.zwt [--like FILE.zwt] [--minutes M]
//       writes that synthetic run (origin and start time taken from FILE.zwt, else the
//       defaults below), for the headless viewer's frame time.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "app/viewer/traffic_place.h"
#include "engine/scenario/traffic/trajectory_stream.h"

namespace {

using namespace zw::scenario::traffic;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// Where a synthetic run lies without --like: near the sample town, from 6:00.
const glm::dvec3 default_origin(630000, 5497000, 300);
constexpr double default_begin_s = 21600;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Spread {
    double median = 0, p99 = 0, max = 0;
};
Spread spread(std::vector<double> v) {
    if (v.empty()) return {};
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5))]; };
    return {at(0.5), at(0.99), v.back()};
}

// N vehicles on a street grid of 100 m blocks within 1.5 km of the origin, each driving up
// and down its own street at 5 to 15 m/s for the whole run, sampled every second.
void synthesise(const std::string& path, uint32_t n, const glm::dvec3& origin, double begin_s,
                double minutes) {
    TrajectoryWriter w(path, origin);
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> u(0, 1);
    struct V {
        bool east;
        double line, start, speed;
        std::string id;
    };
    std::vector<V> vs(n);
    for (uint32_t i = 0; i < n; ++i)
        vs[i] = {u(rng) < 0.5, std::round(u(rng) * 30 - 15) * 100 + (u(rng) < 0.5 ? 2 : -2), u(rng) * 6000,
                 5 + 10 * u(rng), "bench" + std::to_string(i)};
    const int steps = int(minutes * 60) + 1;
    for (int k = 0; k < steps; ++k) {
        w.begin_step(begin_s + k);
        for (const V& v : vs) {
            // Back and forth along 3 km of street: s in [0, 6000) folded onto [-1500, 1500].
            const double s = std::fmod(v.start + v.speed * k, 6000.0);
            const bool back = s >= 3000;
            const double along = (back ? 6000 - s : s) - 1500;
            const double angle = v.east ? (back ? 270 : 90) : (back ? 180 : 0);
            const glm::dvec3 p = v.east ? glm::dvec3(along, v.line, 0) : glm::dvec3(v.line, along, 0);
            w.add(v.id, VehicleClass::car, origin + p, angle, v.speed);
        }
    }
    w.finish();
}

int info(const std::string& path) {
    const TrajectoryReader r = TrajectoryReader::open(path);
    double vehicle_s = 0;
    for (const VehicleInfo& v : r.vehicles())
        vehicle_s += v.last_s - v.first_s;
    std::printf(
        "{\"vehicles\": %zu, \"vehicle_hours\": %.3f, \"bytes\": %llu, \"chunks\": %zu, \"begin_s\": %.1f, "
        "\"end_s\": %.1f}\n",
        r.vehicles().size(), vehicle_s / 3600, (unsigned long long)fs::file_size(path), r.chunks().size(),
        r.begin_s(), r.end_s());
    return 0;
}

// A time inside chunk k, a few seconds in (not on a sample time).
double inside(const std::vector<ChunkInfo>& chunks, size_t k, double frac) {
    return chunks[k].t0_s + frac * (chunks[k].t1_s - chunks[k].t0_s);
}

int seek(const std::string& path, int seeks) {
    std::vector<VehicleState> out;
    std::vector<double> reader_cold, reader_warm, stream_cold, stream_warm;
    std::mt19937 rng(9);
    std::uniform_real_distribution<double> u(0.05, 0.95);
    {
        TrajectoryReader r = TrajectoryReader::open(path, 1);
        const size_t n = r.chunks().size();
        std::uniform_int_distribution<size_t> pick(0, n - 1);
        size_t last = n;
        for (int i = 0; i < seeks; ++i) {
            size_t k = pick(rng);
            if (k == last) k = (k + 1) % n;
            last = k;
            const double t = inside(r.chunks(), k, u(rng));
            auto t0 = Clock::now();
            r.state_at(t, out);
            reader_cold.push_back(ms_since(t0));
            t0 = Clock::now();
            r.state_at(std::min(t + 0.5, r.chunks()[k].t1_s), out);
            reader_warm.push_back(ms_since(t0));
        }
    }
    size_t vehicles = 0, chunk_count = 0;
    {
        TrajectoryStream s(TrajectoryReader::open(path, 1));
        const size_t n = s.chunks().size();
        chunk_count = n;
        std::uniform_int_distribution<size_t> pick(0, n - 1);
        for (int i = 0; i < seeks; ++i) {
            size_t k = pick(rng);
            for (int tries = 0; s.ready(k) && tries < 16; ++tries)
                k = pick(rng);
            s.wait_idle();  // the seek alone, not a prefetch still running
            const double t = inside(s.chunks(), k, u(rng));
            auto t0 = Clock::now();
            s.state_at(t, out);
            stream_cold.push_back(ms_since(t0));
            vehicles = std::max(vehicles, out.size());
            t0 = Clock::now();
            s.state_at(std::min(t + 0.5, s.chunks()[k].t1_s), out);
            stream_warm.push_back(ms_since(t0));
        }
    }
    std::printf("%s: %zu chunks, up to %zu vehicles at a time\n", path.c_str(), chunk_count, vehicles);
    std::printf("%-34s %10s %10s %10s\n", "state_at after a seek (ms)", "median", "p99", "max");
    auto row = [](const char* name, const std::vector<double>& v) {
        const Spread s = spread(v);
        std::printf("%-34s %10.3f %10.3f %10.3f\n", name, s.median, s.p99, s.max);
    };
    row("reader, cold chunk", reader_cold);
    row("reader, warm chunk", reader_warm);
    row("stream, cold chunk (waits)", stream_cold);
    row("stream, warm chunk", stream_warm);

    // Playing in real time: a frame every 1/60 s, the shown time advancing speed/60 s a
    // frame, starting 5 s before a chunk border a third into the run. The first frame (a
    // seek for both) is left out of the figures.
    std::printf("\n%-30s %8s %8s %8s %8s %8s\n", "playing at 60 fps (ms/frame)", "median", "p99", "max",
                "borders", "waits");
    const int frames = 600;
    for (double speed : {1.0, 10.0, 60.0})
        for (int use_stream = 0; use_stream < 2; ++use_stream) {
            TrajectoryReader r = TrajectoryReader::open(path, 1);
            const size_t start_chunk = r.chunks().size() / 3;
            const double t_start = std::max(r.begin_s(), r.chunks()[start_chunk].t1_s - 5);
            std::unique_ptr<TrajectoryStream> s;
            if (use_stream) s = std::make_unique<TrajectoryStream>(std::move(r));
            std::vector<double> times;
            size_t borders = 0, last_chunk = 0;
            const auto& chunks = s ? s->chunks() : r.chunks();
            auto next = Clock::now();
            for (int f = 0; f <= frames; ++f) {
                const double t = std::min(t_start + speed * f / 60.0, chunks.back().t1_s);
                const size_t k = chunk_at(chunks, t);
                const auto t0 = Clock::now();
                if (s)
                    s->state_at(t, out);
                else
                    r.state_at(t, out);
                const double ms = ms_since(t0);
                if (f > 0) {
                    times.push_back(ms);
                    borders += k != last_chunk;
                }
                last_chunk = k;
                next += std::chrono::microseconds(16667);
                std::this_thread::sleep_until(next);
            }
            const Spread sp = spread(times);
            char name[64];
            std::snprintf(name, sizeof name, "%gx, %s", speed, use_stream ? "stream" : "reader");
            const std::string waits = s ? std::to_string(s->stats().waits - 1) : std::string("-");
            std::printf("%-30s %8.3f %8.3f %8.3f %8zu %8s\n", name, sp.median, sp.p99, sp.max, borders,
                        waits.c_str());
        }
    return 0;
}

int frame(const std::vector<uint32_t>& counts) {
    const fs::path dir =
        fs::temp_directory_path() / ("zw_traffic_bench_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    const zw::viewer::TrafficFrame tf = zw::viewer::TrafficFrame::at(default_origin, 47);
    // Two cameras (the renderer's eye-relative view-projection): over the town, 300 m up and
    // 800 m south of the origin looking at it; and over a block, 150 m up looking steeply
    // down (a ~250 m wide piece of the 3 km grid), with most of the run's vehicles off screen.
    struct View {
        const char* name;
        zw::viewer::VehicleCulling culling;
    };
    auto view_of = [&](const char* name, glm::dvec3 eye_local, glm::dvec3 at_local) {
        const glm::dvec3 eye = tf.world(eye_local);
        const glm::dmat4 view = glm::lookAt(glm::dvec3(0), tf.world(at_local) - eye, tf.up);
        const glm::dmat4 proj = glm::perspective(glm::radians(60.0), 16.0 / 9.0, 1.0, 20000.0);
        return View{name, zw::viewer::VehicleCulling{eye, proj * view, 3000}};
    };
    const View views[] = {view_of("town", {0, -800, 300}, {0, 0, 0}),
                          view_of("block", {200, 200, 150}, {200, 260, 0})};
    std::printf(
        "CPU ms per frame (median / max of 600 frames at 1x): all = state_at + place_vehicles over\n"
        "every vehicle present; view = state_in_view (cells in view only) + place_vehicles\n");
    std::printf("%-9s %-7s %8s %8s %9s %9s %9s %9s %7s\n", "vehicles", "camera", "present", "drawn",
                "all med", "all max", "view med", "view max", "ratio");
    for (uint32_t n : counts) {
        const std::string path = (dir / ("n" + std::to_string(n) + ".zwt")).string();
        synthesise(path, n, default_origin, default_begin_s, 3);
        TrajectoryStream s(TrajectoryReader::open(path, 1));
        std::vector<VehicleState> states;
        std::vector<zw::render::VehicleInstance> instances;
        s.state_at(default_begin_s, states);  // the first (waiting) read left out
        s.wait_idle();
        for (const View& v : views) {
            const zw::scenario::traffic::CellVisible cells = zw::viewer::cells_in_view(tf, v.culling);
            std::vector<double> all_ms, view_ms;
            size_t present = 0, drawn = 0;
            for (int f = 0; f < 600; ++f) {  // 10 s at 1x, 60 fps, no pacing: CPU time per frame
                const double t = default_begin_s + 30 + f / 60.0;
                auto t0 = Clock::now();
                s.state_at(t, states);
                zw::viewer::place_vehicles(states, s.vehicles(), tf, v.culling, instances);
                all_ms.push_back(ms_since(t0));
                t0 = Clock::now();
                present = s.state_in_view(t, cells, states);
                zw::viewer::place_vehicles(states, s.vehicles(), tf, v.culling, instances);
                view_ms.push_back(ms_since(t0));
                drawn = instances.size();
            }
            const Spread a = spread(all_ms), b = spread(view_ms);
            std::printf("%-9u %-7s %8zu %8zu %9.3f %9.3f %9.3f %9.3f %7.2f\n", n, v.name, present, drawn,
                        a.median, a.max, b.median, b.max, a.median / std::max(b.median, 1e-6));
        }
        fs::remove(path);
    }
    fs::remove_all(dir);
    return 0;
}

int usage() {
    std::fprintf(stderr,
                 "usage: zw_traffic_bench info FILE.zwt | seek FILE.zwt [SEEKS] | frame [N ...] |\n"
                 "       synth N OUT.zwt [--like FILE.zwt] [--minutes M]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::vector<std::string> a(argv + 1, argv + argc);
        if (a.size() == 2 && a[0] == "info") return info(a[1]);
        if ((a.size() == 2 || a.size() == 3) && a[0] == "seek")
            return seek(a[1], a.size() == 3 ? std::max(1, std::atoi(a[2].c_str())) : 200);
        if (!a.empty() && a[0] == "frame") {
            std::vector<uint32_t> counts;
            for (size_t i = 1; i < a.size(); ++i)
                counts.push_back(uint32_t(std::strtoul(a[i].c_str(), nullptr, 10)));
            if (counts.empty()) counts = {1000, 10000, 50000};
            return frame(counts);
        }
        if (a.size() >= 3 && a[0] == "synth") {
            glm::dvec3 origin = default_origin;
            double begin_s = default_begin_s, minutes = 10;
            for (size_t i = 3; i + 1 < a.size(); i += 2) {
                if (a[i] == "--like") {
                    const TrajectoryReader like = TrajectoryReader::open(a[i + 1]);
                    origin = like.origin();
                    begin_s = like.begin_s();
                } else if (a[i] == "--minutes") {
                    minutes = std::atof(a[i + 1].c_str());
                } else {
                    return usage();
                }
            }
            synthesise(a[2], uint32_t(std::strtoul(a[1].c_str(), nullptr, 10)), origin, begin_s, minutes);
            return 0;
        }
        return usage();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "zw_traffic_bench: %s\n", e.what());
        return 1;
    }
}
