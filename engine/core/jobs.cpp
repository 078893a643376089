#include "engine/core/jobs.h"

#include <algorithm>
#include <exception>

#include "engine/core/log.h"

namespace zw::core {
namespace {

// Heap order: larger priority on top, and among equal priorities the earlier submission.
bool runs_later(const JobSystem::Handle& a, const JobSystem::Handle& b) {
    if (a->priority != b->priority) return a->priority < b->priority;
    return a->sequence > b->sequence;
}

// `cancel` is static, so it cannot take a JobSystem's mutex. This one makes "check the
// other flag, then set mine" atomic between cancel and the worker that takes the job:
// with two separate atomics a job could end up neither run nor reported as cancelled.
// Held only for two flag accesses, so sharing it between job systems costs nothing.
std::mutex g_claim_mutex;

// True when the worker now owns the job; false when it was cancelled first.
bool claim(JobSystem::Job& job) {
    std::lock_guard lock(g_claim_mutex);
    if (job.cancelled) return false;
    job.started = true;
    return true;
}

// Jobs are expected to catch their own errors; one that escapes is logged so that it
// cannot take a worker (and with it the whole process) down.
void run_guarded(const std::function<void()>& work) {
    try {
        if (work) work();
    } catch (const std::exception& e) {
        error("a background job failed: ", e.what());
    } catch (...) {
        error("a background job failed with an unknown exception");
    }
}

}  // namespace

JobSystem::JobSystem(unsigned threads) {
    if (threads == 0) {
        const unsigned hardware = std::thread::hardware_concurrency();  // 0 when unknown
        threads = hardware > 1 ? hardware - 1 : 1;
    }
    workers_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i)
        workers_.emplace_back([this] { worker(); });
}

JobSystem::~JobSystem() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    idle_.notify_all();
    for (auto& w : workers_)
        w.join();
}

JobSystem::Handle JobSystem::submit(double priority, std::function<void()> work) {
    auto job = std::make_shared<Job>();
    job->priority = priority;
    job->work = std::move(work);
    {
        std::lock_guard lock(mutex_);
        job->sequence = next_sequence_++;
        queue_.push_back(job);
        std::push_heap(queue_.begin(), queue_.end(), runs_later);
    }
    wake_.notify_one();
    return job;
}

bool JobSystem::cancel(const Handle& job) {
    if (!job) return false;
    std::lock_guard lock(g_claim_mutex);
    if (job->started) return false;
    job->cancelled = true;
    return true;
}

void JobSystem::reprioritize(const Handle& job, double priority) {
    if (!job) return;
    std::lock_guard lock(mutex_);
    // Workers pop under mutex_, so a job not yet started is either in the heap or about
    // to be claimed; either way rebuilding the heap keeps it valid. O(n), and queues
    // hold a few thousand jobs at most.
    if (job->started || job->priority == priority) return;
    job->priority = priority;
    std::make_heap(queue_.begin(), queue_.end(), runs_later);
}

size_t JobSystem::queued() const {
    std::lock_guard lock(mutex_);
    // Cancelled jobs stay in the heap until a worker pops them; they are not counted.
    return size_t(std::count_if(queue_.begin(), queue_.end(), [](const Handle& j) { return !j->cancelled; }));
}

size_t JobSystem::running() const {
    std::lock_guard lock(mutex_);
    return running_;
}

void JobSystem::wait_idle() {
    std::unique_lock lock(mutex_);
    // Workers drain the heap without pause, so cancelled jobs left in it are popped soon.
    idle_.wait(lock, [this] { return stop_ || (queue_.empty() && running_ == 0); });
}

void JobSystem::worker() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        std::pop_heap(queue_.begin(), queue_.end(), runs_later);
        Handle job = std::move(queue_.back());
        queue_.pop_back();
        const bool run = claim(*job);
        // Moving the work out releases its captures as soon as it is done or skipped, even
        // while callers still hold the handle (a tile holding its own load job would
        // otherwise keep itself alive). Captures are destroyed outside the lock.
        auto work = std::move(job->work);
        job.reset();
        if (run) ++running_;
        lock.unlock();
        if (run) run_guarded(work);
        work = nullptr;
        lock.lock();
        if (run) --running_;
        if (queue_.empty() && running_ == 0) idle_.notify_all();
    }
}

}  // namespace zw::core
