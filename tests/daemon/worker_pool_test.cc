// WorkerPool: FIFO order, bounded queue, drain on close, and the exception
// barrier that turns a throwing task into a failed page.
#include "daemon/worker_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace newsd {
namespace {

Article page(int64_t offset, std::string payload = "x") {
  Article a;
  a.source.offset = offset;
  a.input.payload = std::move(payload);
  return a;
}

// What on_done saw, in the order it saw it.
struct Done {
  std::mutex mu;
  std::vector<int64_t> offsets;
  std::vector<PipelineOutcome> outcomes;
  WorkerPool::OnDone callback() {
    return [this](Article&& a, PipelineOutcome o) {
      std::lock_guard lock(mu);
      offsets.push_back(a.source.offset);
      outcomes.push_back(std::move(o));
    };
  }
};

std::vector<WorkerPool::Task> tasks(int n, WorkerPool::Task task) {
  return std::vector<WorkerPool::Task>(n, task);
}

TEST(WorkerPool, OneWorkerFinishesPagesInTheOrderTheyWereSubmitted) {
  MetricsRegistry metrics;
  Done done;
  WorkerPool pool(tasks(1, [](Article&) { return PipelineOutcome{}; }), metrics, {}, done.callback());
  for (int64_t i = 0; i < 200; ++i) pool.submit(page(i));
  pool.wait_idle();
  std::vector<int64_t> expected(200);
  for (int64_t i = 0; i < 200; ++i) expected[i] = i;
  EXPECT_EQ(done.offsets, expected);
}

TEST(WorkerPool, ManyWorkersFinishEveryPageExactlyOnce) {
  MetricsRegistry metrics;
  Done done;
  std::atomic<int> runs{0};
  WorkerPool pool(tasks(4,
                        [&](Article&) {
                          runs.fetch_add(1);
                          return PipelineOutcome{};
                        }),
                  metrics, {}, done.callback());
  EXPECT_EQ(pool.workers(), 4);
  for (int64_t i = 0; i < 1000; ++i) pool.submit(page(i));
  pool.wait_idle();
  EXPECT_EQ(pool.in_flight(), 0u);
  EXPECT_EQ(runs.load(), 1000);
  std::sort(done.offsets.begin(), done.offsets.end());
  for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(done.offsets[i], i);
}

TEST(WorkerPool, QueueIsBoundedInPagesAndBytesButAdmitsOneBigPageWhenEmpty) {
  MetricsRegistry metrics;
  Done done;
  std::mutex gate;
  std::unique_lock hold(gate);  // the worker blocks on its first page
  WorkerPool pool(tasks(1,
                        [&](Article&) {
                          std::lock_guard wait(gate);
                          return PipelineOutcome{};
                        }),
                  metrics, {/*max_pages=*/2, /*max_bytes=*/10}, done.callback());
  Article first = page(0);
  ASSERT_TRUE(pool.try_submit(first));
  while (pool.queued_pages() > 0) std::this_thread::yield();  // taken by the worker, which now waits
  Article big = page(1, std::string(100, 'b'));
  EXPECT_TRUE(pool.try_submit(big));  // larger than max_bytes, but the queue is empty
  Article next = page(2);
  EXPECT_FALSE(pool.try_submit(next));  // bytes bound
  EXPECT_EQ(next.source.offset, 2);     // refused articles are left untouched
  EXPECT_EQ(pool.queued_bytes(), 100u);
  hold.unlock();
  pool.wait_idle();
  Article a = page(3), b = page(4), c = page(5);
  hold.lock();
  ASSERT_TRUE(pool.try_submit(a));
  while (pool.queued_pages() > 0) std::this_thread::yield();
  EXPECT_TRUE(pool.try_submit(b));
  EXPECT_TRUE(pool.try_submit(c));
  Article d = page(6);
  EXPECT_FALSE(pool.try_submit(d));  // pages bound
  hold.unlock();
  pool.wait_idle();
  EXPECT_EQ(done.offsets, (std::vector<int64_t>{0, 1, 3, 4, 5}));
}

TEST(WorkerPool, CloseFinishesEveryQueuedPageAndJoinsTheWorkers) {
  MetricsRegistry metrics;
  Done done;
  {
    WorkerPool pool(tasks(2,
                          [](Article&) {
                            std::this_thread::sleep_for(std::chrono::milliseconds(1));
                            return PipelineOutcome{};
                          }),
                    metrics, {}, done.callback());
    for (int64_t i = 0; i < 50; ++i) pool.submit(page(i));
    pool.close();
    EXPECT_EQ(done.offsets.size(), 50u);
    pool.close();  // a second close (and the destructor) is harmless
  }
  EXPECT_EQ(done.offsets.size(), 50u);
}

TEST(WorkerPool, AThrowingTaskFailsItsPageAndTheWorkerTakesTheNext) {
  MetricsRegistry metrics;
  Done done;
  WorkerPool pool(tasks(1,
                        [](Article& a) -> PipelineOutcome {
                          if (a.source.offset == 1) throw std::runtime_error("stage blew up");
                          if (a.source.offset == 2) throw std::bad_alloc();
                          if (a.source.offset == 3) throw 42;
                          return {};
                        }),
                  metrics, {}, done.callback());
  for (int64_t i = 0; i < 5; ++i) pool.submit(page(i));
  pool.wait_idle();
  ASSERT_EQ(done.offsets, (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(done.outcomes[0].ok());
  for (int i : {1, 2, 3}) {
    EXPECT_EQ(done.outcomes[i].status.code(), StatusCode::kInternal) << i;
    EXPECT_EQ(done.outcomes[i].stage, "worker") << i;
  }
  EXPECT_EQ(done.outcomes[1].status.message(), "exception: stage blew up");
  EXPECT_EQ(done.outcomes[2].status.message(), "exception: std::bad_alloc");
  EXPECT_TRUE(done.outcomes[4].ok());
  EXPECT_EQ(metrics
                .counter("newsd_pages_failed_total", "Pages that failed a stage, by stage and reason",
                         {{"stage", "worker"}, {"reason", "internal"}})
                .value(),
            3u);
}

TEST(WorkerPool, LongestPageIsHowLongTheBusiestWorkerHasBeenOnItsPage) {
  MetricsRegistry metrics;
  Done done;
  std::atomic<bool> release{false};
  std::atomic<bool> started{false};
  WorkerPool pool(tasks(2,
                        [&](Article&) {
                          started = true;
                          while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                          return PipelineOutcome{};
                        }),
                  metrics, {}, done.callback());
  EXPECT_EQ(pool.longest_page(), std::chrono::steady_clock::duration::zero());  // idle
  pool.submit(page(1));
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(pool.longest_page(), std::chrono::milliseconds(20));
  release = true;
  pool.wait_idle();
  EXPECT_EQ(pool.longest_page(), std::chrono::steady_clock::duration::zero());
}

}  // namespace
}  // namespace newsd
