// The prefetching player of trajectories.zwt (trajectory_stream.h). One mutex guards the
// cache, the work lists and the statistics; only the worker calls the reader's chunk()
// (the reader is not thread-safe), and it does so without the lock, so a caller finding
// its chunk decoded never waits for a read in progress. The reader's header (origin,
// vehicles, chunk index) never changes after open and is read by anyone without the lock.
#include "engine/scenario/traffic/trajectory_stream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/core/error.h"

namespace zw::scenario::traffic {

struct TrajectoryStream::Impl {
    struct Entry {
        std::shared_ptr<const Chunk> chunk;
        bool prefetched_unused = false;  // decoded ahead, not yet asked for
    };

    TrajectoryReader reader;
    Options opt;

    mutable std::mutex m;
    std::condition_variable work_cv;          // the worker waits on it
    mutable std::condition_variable done_cv;  // callers wait on it for a decoded chunk
    std::map<size_t, Entry> cache;
    std::map<size_t, std::string> errors;  // damaged chunks: the reader's message
    std::vector<size_t> urgent;            // chunks a caller waits for, first asked first
    std::vector<size_t> ahead;             // chunks to read ahead, nearest first
    size_t shown = 0;                      // the chunk asked for last
    double last_t = std::numeric_limits<double>::quiet_NaN();
    int direction = 1;
    bool busy = false;  // the worker is decoding
    bool stop = false;
    Stats stats;
    std::thread worker;  // last: starts when everything above is set

    Impl(TrajectoryReader r, Options o) : reader(std::move(r)), opt(o) {
        opt.ahead_chunks = std::max<size_t>(opt.ahead_chunks, 1);
        opt.cache_chunks = std::max(opt.cache_chunks, opt.ahead_chunks + 2);
        worker = std::thread([this] { run(); });
    }

    bool known(size_t k) const { return cache.count(k) || errors.count(k); }

    // The next chunk to decode (with the lock held): a waited-for one first, else one ahead.
    std::optional<size_t> next_job() const {
        for (size_t k : urgent)
            if (!known(k)) return k;
        for (size_t k : ahead)
            if (!known(k)) return k;
        return std::nullopt;
    }

    // Drops the chunks farthest from the shown one until the cache fits; the shown chunk,
    // those ahead and `keep` stay (they number at most ahead_chunks + 2 <= cache_chunks).
    void evict(size_t keep) {
        while (cache.size() > opt.cache_chunks) {
            auto victim = cache.end();
            size_t worst = 0;
            for (auto it = cache.begin(); it != cache.end(); ++it) {
                const size_t k = it->first;
                if (k == shown || k == keep || std::find(ahead.begin(), ahead.end(), k) != ahead.end())
                    continue;
                const size_t d = k > shown ? k - shown : shown - k;
                if (victim == cache.end() || d > worst) victim = it, worst = d;
            }
            if (victim == cache.end()) return;
            cache.erase(victim);
        }
    }

    void run() {
        std::unique_lock lk(m);
        for (;;) {
            work_cv.wait(lk, [&] { return stop || next_job(); });
            if (stop) return;
            const size_t k = *next_job();
            const bool prefetch = std::find(urgent.begin(), urgent.end(), k) == urgent.end();
            busy = true;
            lk.unlock();
            std::shared_ptr<const Chunk> chunk;
            std::string error;
            try {
                chunk = reader.chunk(k);
            } catch (const std::exception& e) {
                error = e.what();
            }
            lk.lock();
            busy = false;
            if (chunk) {
                cache[k] = Entry{std::move(chunk), prefetch};
                ++stats.decoded;
                if (prefetch) ++stats.prefetched;
                evict(k);
            } else {
                errors[k] = error;
            }
            urgent.erase(std::remove(urgent.begin(), urgent.end(), k), urgent.end());
            done_cv.notify_all();
        }
    }
};

TrajectoryStream::TrajectoryStream(TrajectoryReader reader, Options options)
    : impl_(std::make_unique<Impl>(std::move(reader), options)) {}

TrajectoryStream::~TrajectoryStream() {
    {
        std::lock_guard lk(impl_->m);
        impl_->stop = true;
    }
    impl_->work_cv.notify_all();
    impl_->worker.join();
}

const glm::dvec3& TrajectoryStream::origin() const {
    return impl_->reader.origin();
}
double TrajectoryStream::chunk_length_s() const {
    return impl_->reader.chunk_length_s();
}
double TrajectoryStream::sample_step_s() const {
    return impl_->reader.sample_step_s();
}
double TrajectoryStream::begin_s() const {
    return impl_->reader.begin_s();
}
double TrajectoryStream::end_s() const {
    return impl_->reader.end_s();
}
const std::vector<VehicleInfo>& TrajectoryStream::vehicles() const {
    return impl_->reader.vehicles();
}
const std::vector<ChunkInfo>& TrajectoryStream::chunks() const {
    return impl_->reader.chunks();
}

// The decoded chunk holding t (waiting for it if need be), or none outside the run.
std::shared_ptr<const Chunk> TrajectoryStream::chunk_for(double t) {
    Impl& m = *impl_;
    const std::vector<ChunkInfo>& index = m.reader.chunks();
    if (index.empty() || !(t >= m.reader.begin_s() && t <= m.reader.end_s())) return nullptr;
    const size_t k = chunk_at(index, t);
    std::shared_ptr<const Chunk> chunk;
    bool wake = false;
    {
        std::unique_lock lk(m.m);
        ++m.stats.calls;
        if (!std::isnan(m.last_t) && t != m.last_t) m.direction = t > m.last_t ? 1 : -1;
        m.last_t = t;
        m.shown = k;
        m.ahead.clear();
        for (size_t i = 1; i <= m.opt.ahead_chunks; ++i) {
            if (m.direction > 0 ? k + i >= index.size() : i > k) break;
            m.ahead.push_back(m.direction > 0 ? k + i : k - i);
        }
        if (const auto it = m.cache.find(k); it != m.cache.end()) {
            chunk = it->second.chunk;
            if (it->second.prefetched_unused) {
                it->second.prefetched_unused = false;
                ++m.stats.prefetch_hits;
            }
        } else if (const auto e = m.errors.find(k); e != m.errors.end()) {
            throw Error(e->second);
        } else {
            const auto t0 = std::chrono::steady_clock::now();
            ++m.stats.waits;
            auto note_wait = [&] {
                const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                m.stats.wait_s_total += s;
                m.stats.wait_s_max = std::max(m.stats.wait_s_max, s);
            };
            // Asked for again on every wake: another caller's chunk may have pushed this one
            // out of the cache before this thread woke up to take it.
            for (;;) {
                if (const auto got = m.cache.find(k); got != m.cache.end()) {
                    chunk = got->second.chunk;
                    got->second.prefetched_unused = false;
                    break;
                }
                if (const auto bad = m.errors.find(k); bad != m.errors.end()) {
                    note_wait();
                    throw Error(bad->second);
                }
                if (std::find(m.urgent.begin(), m.urgent.end(), k) == m.urgent.end()) m.urgent.push_back(k);
                m.work_cv.notify_one();
                m.done_cv.wait(lk);
            }
            note_wait();
        }
        // Woken only when there is something new to read: a wake-up every frame would cost
        // the frame thread its core on a busy machine.
        wake = !m.busy && m.next_job().has_value();
    }
    if (wake) m.work_cv.notify_one();  // the chunks ahead
    return chunk;
}

void TrajectoryStream::state_at(double t, std::vector<VehicleState>& out) {
    out.clear();
    if (const std::shared_ptr<const Chunk> c = chunk_for(t)) states_in_chunk(*c, t, out);
}

size_t TrajectoryStream::state_in_view(double t, const CellVisible& visible, std::vector<VehicleState>& out) {
    out.clear();
    const std::shared_ptr<const Chunk> c = chunk_for(t);
    if (!c) return 0;
    states_in_chunk_view(*c, t, visible, out);
    return present_in_chunk(*c, t);
}

std::vector<VehicleState> TrajectoryStream::state_at(double t) {
    std::vector<VehicleState> out;
    state_at(t, out);
    return out;
}

bool TrajectoryStream::ready(size_t k) const {
    std::lock_guard lk(impl_->m);
    return impl_->cache.count(k) != 0;
}

void TrajectoryStream::wait_idle() const {
    std::unique_lock lk(impl_->m);
    impl_->done_cv.wait(lk, [&] { return !impl_->busy && !impl_->next_job(); });
}

TrajectoryStream::Stats TrajectoryStream::stats() const {
    std::lock_guard lk(impl_->m);
    return impl_->stats;
}

}  // namespace zw::scenario::traffic
