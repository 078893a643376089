#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/core/jobs.h"

namespace zw::core {
namespace {

using namespace std::chrono_literals;

// A job that blocks its worker until released, so the tests can line jobs up behind it.
// Declared before the JobSystem in each test, so it outlives the workers.
class Gate {
  public:
    std::function<void()> job() {
        return [this] {
            entered_.set_value();
            opened_.wait();
        };
    }
    void wait_entered() { entered_future_.wait(); }
    void open() { open_.set_value(); }

  private:
    std::promise<void> entered_;
    std::promise<void> open_;
    std::future<void> entered_future_ = entered_.get_future();
    std::future<void> opened_ = open_.get_future();
};

// Records the order jobs ran in.
class Order {
  public:
    std::function<void()> job(int id) {
        return [this, id] {
            std::lock_guard lock(mutex_);
            ids_.push_back(id);
        };
    }
    std::vector<int> ids() const {
        std::lock_guard lock(mutex_);
        return ids_;
    }

  private:
    mutable std::mutex mutex_;
    std::vector<int> ids_;
};

TEST(Jobs, ThreadCount) {
    EXPECT_EQ(JobSystem(3).threads(), 3u);
    EXPECT_GE(JobSystem(0).threads(), 1u);
}

TEST(Jobs, LargerPriorityRunsFirst) {
    Gate gate;
    JobSystem jobs(1);
    Order order;
    jobs.submit(0, gate.job());
    gate.wait_entered();
    jobs.submit(1, order.job(1));
    jobs.submit(5, order.job(5));
    jobs.submit(-2, order.job(-2));
    jobs.submit(3, order.job(3));
    EXPECT_EQ(jobs.queued(), 4u);
    EXPECT_EQ(jobs.running(), 1u);
    gate.open();
    jobs.wait_idle();
    EXPECT_EQ(order.ids(), (std::vector<int>{5, 3, 1, -2}));
}

TEST(Jobs, EqualPrioritiesRunInSubmissionOrder) {
    Gate gate;
    JobSystem jobs(1);
    Order order;
    jobs.submit(0, gate.job());
    gate.wait_entered();
    std::vector<int> expected;
    for (int i = 0; i < 50; ++i) {
        jobs.submit(i % 2 ? 1.0 : 2.0, order.job(i));
    }
    for (int i = 0; i < 50; i += 2)
        expected.push_back(i);
    for (int i = 1; i < 50; i += 2)
        expected.push_back(i);
    gate.open();
    jobs.wait_idle();
    EXPECT_EQ(order.ids(), expected);
}

TEST(Jobs, CancelBeforeStartNeverRuns) {
    Gate gate;
    JobSystem jobs(1);
    Order order;
    jobs.submit(0, gate.job());
    gate.wait_entered();
    auto a = jobs.submit(1, order.job(1));
    auto b = jobs.submit(2, order.job(2));
    auto c = jobs.submit(3, order.job(3));
    EXPECT_TRUE(JobSystem::cancel(b));
    EXPECT_TRUE(b->cancelled);
    EXPECT_EQ(jobs.queued(), 2u);
    gate.open();
    jobs.wait_idle();
    EXPECT_EQ(order.ids(), (std::vector<int>{3, 1}));
    EXPECT_FALSE(b->started);
    EXPECT_EQ(jobs.queued(), 0u);
}

TEST(Jobs, CancelAfterStartReturnsFalse) {
    Gate gate;
    JobSystem jobs(1);
    auto running = jobs.submit(0, gate.job());
    gate.wait_entered();
    EXPECT_TRUE(running->started);
    EXPECT_FALSE(JobSystem::cancel(running));
    gate.open();
    jobs.wait_idle();
    EXPECT_FALSE(JobSystem::cancel(running));
    EXPECT_FALSE(JobSystem::cancel(nullptr));
}

TEST(Jobs, CancelledJobReleasesItsCaptures) {
    Gate gate;
    JobSystem jobs(1);
    jobs.submit(0, gate.job());
    gate.wait_entered();
    auto owned = std::make_shared<int>(7);
    std::weak_ptr<int> watch = owned;
    auto job = jobs.submit(1, [owned = std::move(owned)] {});
    JobSystem::cancel(job);
    gate.open();
    jobs.wait_idle();
    // The handle is still held, but the work and what it captured are gone.
    EXPECT_TRUE(watch.expired());
}

TEST(Jobs, ReprioritizeMovesAJobAhead) {
    Gate gate;
    JobSystem jobs(1);
    Order order;
    jobs.submit(0, gate.job());
    gate.wait_entered();
    jobs.submit(3, order.job(1));
    jobs.submit(2, order.job(2));
    auto late = jobs.submit(1, order.job(3));
    auto demoted = jobs.submit(2.5, order.job(4));
    jobs.reprioritize(late, 10);
    jobs.reprioritize(demoted, -1);
    EXPECT_EQ(late->priority, 10);
    gate.open();
    jobs.wait_idle();
    EXPECT_EQ(order.ids(), (std::vector<int>{3, 1, 2, 4}));
}

TEST(Jobs, ReprioritizeAfterStartHasNoEffect) {
    Gate gate;
    JobSystem jobs(1);
    auto running = jobs.submit(1, gate.job());
    gate.wait_entered();
    jobs.reprioritize(running, 9);
    EXPECT_EQ(running->priority, 1);
    gate.open();
    jobs.wait_idle();
}

TEST(Jobs, WaitIdleWaitsForQueuedAndRunningJobs) {
    JobSystem jobs(2);
    std::atomic<int> done{0};
    for (int i = 0; i < 20; ++i) {
        jobs.submit(0, [&done] {
            std::this_thread::sleep_for(2ms);
            ++done;
        });
    }
    jobs.wait_idle();
    EXPECT_EQ(done, 20);
    EXPECT_EQ(jobs.queued(), 0u);
    EXPECT_EQ(jobs.running(), 0u);
    jobs.wait_idle();  // returns at once when already idle
}

TEST(Jobs, ExceptionsDoNotKillWorkers) {
    JobSystem jobs(1);
    std::atomic<int> done{0};
    jobs.submit(2, [] { throw std::runtime_error("a tile could not be decoded"); });
    jobs.submit(1, [] { throw 42; });
    jobs.submit(0, [&done] { ++done; });
    jobs.wait_idle();
    EXPECT_EQ(done, 1);
    jobs.submit(0, [&done] { ++done; });
    jobs.wait_idle();
    EXPECT_EQ(done, 2);
}

TEST(Jobs, ManySubmittersCountCorrectly) {
    JobSystem jobs(3);
    std::atomic<int> ran{0};
    std::atomic<int> cancelled{0};
    std::vector<std::thread> submitters;
    for (int t = 0; t < 4; ++t) {
        submitters.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                auto job = jobs.submit(i % 7, [&ran] { ++ran; });
                if (i % 5 == t && JobSystem::cancel(job)) ++cancelled;
            }
        });
    }
    for (auto& s : submitters)
        s.join();
    jobs.wait_idle();
    EXPECT_EQ(ran + cancelled, 4 * 500);
    EXPECT_EQ(jobs.queued(), 0u);
    EXPECT_EQ(jobs.running(), 0u);
}

TEST(Jobs, JobsMaySubmitJobs) {
    JobSystem jobs(2);
    std::atomic<int> done{0};
    jobs.submit(0, [&] {
        for (int i = 0; i < 10; ++i)
            jobs.submit(1, [&done] { ++done; });
        ++done;
    });
    jobs.wait_idle();
    EXPECT_EQ(done, 11);
}

TEST(Jobs, DestructorDropsQueuedJobs) {
    std::atomic<int> ran{0};
    Gate gate;
    std::thread release;
    {
        JobSystem jobs(1);
        jobs.submit(1, gate.job());
        gate.wait_entered();
        for (int i = 0; i < 10; ++i)
            jobs.submit(0, [&ran] { ++ran; });
        // Opens the gate once the destructor has dropped the queue (and is joining).
        release = std::thread([&] {
            while (jobs.queued() != 0)
                std::this_thread::sleep_for(1ms);
            gate.open();
        });
    }
    release.join();
    EXPECT_EQ(ran, 0);
}

}  // namespace
}  // namespace zw::core
