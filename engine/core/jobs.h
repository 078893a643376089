// The job system shared by all tilesets: a fixed pool of worker threads taking jobs
// from one priority queue. A job that is cancelled before a worker takes it never runs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace zw::core {

class JobSystem {
  public:
    struct Job {
        double priority = 0;  // larger runs first; equal priorities run in submission order
        std::function<void()> work;
        std::atomic<bool> cancelled{false};
        std::atomic<bool> started{false};
        uint64_t sequence = 0;
    };
    using Handle = std::shared_ptr<Job>;

    // `threads` workers (at least 1). 0: hardware concurrency - 1, at least 1.
    explicit JobSystem(unsigned threads = 0);
    // Drops jobs not yet started and joins the workers after their current job.
    ~JobSystem();
    JobSystem(const JobSystem&) = delete;
    JobSystem& operator=(const JobSystem&) = delete;

    Handle submit(double priority, std::function<void()> work);
    // True when the job had not started and now never will.
    static bool cancel(const Handle& job);
    // Changes the priority of a queued job (no effect once started).
    void reprioritize(const Handle& job, double priority);

    size_t queued() const;   // submitted, not started, not cancelled
    size_t running() const;  // being run by a worker
    unsigned threads() const { return unsigned(workers_.size()); }
    // Blocks until no job is queued or running (tests, shutdown).
    void wait_idle();

  private:
    void worker();
    mutable std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::vector<Handle> queue_;  // a heap ordered by (priority, -sequence)
    uint64_t next_sequence_ = 0;
    size_t running_ = 0;
    bool stop_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace zw::core
