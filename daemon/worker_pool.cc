#include "daemon/worker_pool.h"

#include <algorithm>
#include <memory>

namespace newsd {

namespace {

// Pipelines are built here, on the caller's thread, so a stage that fails to
// load its data fails start-up rather than a worker.
std::vector<WorkerPool::Task> pipelines(const ChainConfig& config, SharedState& shared, int workers) {
  std::vector<WorkerPool::Task> tasks;
  for (int i = 0; i < std::max(1, workers); ++i) {
    auto pipeline = std::make_shared<Pipeline>(config, shared);
    tasks.emplace_back([pipeline](Article& article) { return pipeline->run(article); });
  }
  return tasks;
}

}  // namespace

WorkerPool::WorkerPool(const ChainConfig& config, SharedState& shared, int workers, Bounds bounds, OnDone on_done)
    : WorkerPool(pipelines(config, shared, workers), shared.metrics, bounds, std::move(on_done)) {}

WorkerPool::WorkerPool(std::vector<Task> tasks, MetricsRegistry& metrics, Bounds bounds, OnDone on_done)
    : bounds_(bounds),
      on_done_(std::move(on_done)),
      queue_depth_(&metrics.gauge("newsd_queue_pages", "Pages waiting for a worker")),
      queue_bytes_(&metrics.gauge("newsd_queue_bytes", "Payload bytes waiting for a worker")),
      metrics_(metrics),
      tasks_(std::move(tasks)) {
  page_started_ns_ = std::make_unique<std::atomic<int64_t>[]>(tasks_.size());
  for (size_t i = 0; i < tasks_.size(); ++i)
    threads_.emplace_back([this, i] { run_worker(tasks_[i], page_started_ns_[i]); });
}

WorkerPool::~WorkerPool() {
  close();
}

bool WorkerPool::has_room_locked(size_t bytes) const {
  if (queue_.empty()) return true;
  return queue_.size() < bounds_.max_pages && queued_bytes_ + bytes <= bounds_.max_bytes;
}

void WorkerPool::submit(Article article) {
  std::unique_lock lock(mu_);
  const size_t bytes = article.input.payload.size();
  not_full_.wait(lock, [&] { return has_room_locked(bytes); });
  queued_bytes_ += bytes;
  queue_.push_back(std::move(article));
  queue_depth_->set(static_cast<double>(queue_.size()));
  queue_bytes_->set(static_cast<double>(queued_bytes_));
  not_empty_.notify_one();
}

bool WorkerPool::try_submit(Article& article) {
  std::lock_guard lock(mu_);
  const size_t bytes = article.input.payload.size();
  if (!has_room_locked(bytes)) return false;
  queued_bytes_ += bytes;
  queue_.push_back(std::move(article));
  queue_depth_->set(static_cast<double>(queue_.size()));
  queue_bytes_->set(static_cast<double>(queued_bytes_));
  not_empty_.notify_one();
  return true;
}

void WorkerPool::wait_idle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return queue_.empty() && busy_ == 0; });
}

void WorkerPool::close() {
  {
    std::lock_guard lock(mu_);
    if (closed_ && threads_.empty()) return;
    closed_ = true;
  }
  not_empty_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

size_t WorkerPool::queued_pages() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

size_t WorkerPool::queued_bytes() const {
  std::lock_guard lock(mu_);
  return queued_bytes_;
}

size_t WorkerPool::in_flight() const {
  std::lock_guard lock(mu_);
  return queue_.size() + busy_;
}

std::chrono::steady_clock::duration WorkerPool::longest_page() const {
  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  int64_t longest = 0;
  for (size_t i = 0; i < tasks_.size(); ++i) {
    const int64_t started = page_started_ns_[i].load(std::memory_order_relaxed);
    if (started != 0) longest = std::max(longest, now - started);
  }
  return std::chrono::steady_clock::duration(longest);
}

void WorkerPool::run_worker(Task& task, std::atomic<int64_t>& page_started_ns) {
  for (;;) {
    Article article;
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
      if (queue_.empty()) return;  // closed and drained
      article = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= article.input.payload.size();
      queue_depth_->set(static_cast<double>(queue_.size()));
      queue_bytes_->set(static_cast<double>(queued_bytes_));
      ++busy_;
    }
    not_full_.notify_one();
    page_started_ns.store(std::chrono::steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
    PipelineOutcome outcome = run_guarded(task, article);
    on_done_(std::move(article), std::move(outcome));
    page_started_ns.store(0, std::memory_order_relaxed);
    {
      std::lock_guard lock(mu_);
      --busy_;
      if (queue_.empty() && busy_ == 0) idle_.notify_all();
    }
  }
}

PipelineOutcome WorkerPool::run_guarded(Task& task, Article& article) noexcept {
  static constexpr std::string_view kStage = "worker";
  Status status;
  try {
    return task(article);
  } catch (...) {
    status = current_exception_status();
  }
  try {
    metrics_
        .counter("newsd_pages_failed_total", "Pages that failed a stage, by stage and reason",
                 {{"stage", std::string(kStage)}, {"reason", "internal"}})
        .inc();
  } catch (...) {
    // Out of memory even for the metric: the dead letter still says why.
  }
  return {std::move(status), kStage};
}

}  // namespace newsd
