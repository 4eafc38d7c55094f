// WorkerPool: N threads, each with its own task (normally a Pipeline), fed
// from one bounded FIFO queue.
//
// Used by both `newsd process` and `newsd run`, so the two run the same chain
// the same way. The queue is bounded in pages and in payload bytes; a page
// larger than the byte bound is still admitted when the queue is empty, so
// nothing can block forever.
//
// Exception barrier: a task that throws (std::bad_alloc included) fails its
// page with an internal error (stage "worker", the exception's message,
// counted in newsd_pages_failed_total) and the worker takes the next page.
// Pipeline::run has the same barrier around each stage, naming the stage.
//
// Thread-safety: submit/try_submit/close may be called from any one producer
// thread. `on_done` runs on the worker threads, concurrently; it must be
// thread-safe and must not call back into the pool.
// Lifetimes: config and shared state must outlive the pool; close() (or the
// destructor) joins the workers after the queue is drained.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "stages/pipeline.h"

namespace newsd {

class WorkerPool {
 public:
  using OnDone = std::function<void(Article&& article, PipelineOutcome outcome)>;
  // What one worker runs on each page; each worker has its own.
  using Task = std::function<PipelineOutcome(Article& article)>;

  struct Bounds {
    size_t max_pages = 1024;
    size_t max_bytes = size_t{256} << 20;
  };

  // One Pipeline per worker (at least one), built on the caller's thread.
  WorkerPool(const ChainConfig& config, SharedState& shared, int workers, Bounds bounds, OnDone on_done);
  // One worker per task.
  WorkerPool(std::vector<Task> tasks, MetricsRegistry& metrics, Bounds bounds, OnDone on_done);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Blocks while the queue is full.
  void submit(Article article);
  // Queues the article and returns true, or returns false (article untouched)
  // when the queue is full.
  bool try_submit(Article& article);

  // Blocks until the queue is empty and no page is in a worker.
  void wait_idle();
  // No more submissions; drains the queue and joins the workers.
  void close();

  size_t queued_pages() const;
  size_t queued_bytes() const;
  size_t in_flight() const;  // queued + being processed
  // How long the busiest worker has been on its current page; zero when every
  // worker is idle. Any thread (the poll loop feeds it to /livez).
  std::chrono::steady_clock::duration longest_page() const;
  int workers() const { return static_cast<int>(threads_.size()); }

 private:
  bool has_room_locked(size_t bytes) const;
  void run_worker(Task& task, std::atomic<int64_t>& page_started_ns);
  PipelineOutcome run_guarded(Task& task, Article& article) noexcept;

  const Bounds bounds_;
  OnDone on_done_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::condition_variable idle_;
  std::deque<Article> queue_;
  size_t queued_bytes_ = 0;
  size_t busy_ = 0;
  bool closed_ = false;
  Gauge* queue_depth_;
  Gauge* queue_bytes_;
  MetricsRegistry& metrics_;
  std::vector<Task> tasks_;
  // Per worker: steady-clock ns when its current page started, 0 when idle.
  std::unique_ptr<std::atomic<int64_t>[]> page_started_ns_;
  std::vector<std::thread> threads_;  // last: joined before the members above go
};

}  // namespace newsd
