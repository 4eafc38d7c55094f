// Backlog: records polled but not yet accepted by the worker pool, and the
// pause/resume decision they drive.
//
// The poll loop keeps polling while partitions are paused (rebalances and
// the group heartbeat need it). Pausing drops librdkafka's prefetched
// records, so the backlog pauses only when it is full: at `max_pages`
// records, or when its payload plus the pool's queued bytes reach
// `max_bytes`. It resumes once both are back to half, so a full queue does
// not flip pause and resume on every poll.
//
// Thread-safety: every method except paused() is for the poll-loop thread;
// paused() may be called from any thread (health probes).
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>

#include "stages/article.h"

namespace newsd {

class Backlog {
 public:
  struct Bounds {
    size_t max_pages = 8192;
    size_t max_bytes = size_t{256} << 20;
  };
  enum class Change { kNone, kPause, kResume };

  explicit Backlog(Bounds bounds) : bounds_(bounds) {}

  void push(Article&& article);
  bool empty() const { return pages_.empty(); }
  size_t size() const { return pages_.size(); }
  size_t bytes() const { return bytes_; }
  // The oldest record; it may be moved from (into the pool) before pop_front.
  Article& front() { return pages_.front().article; }
  void pop_front();
  // Drops every record (consumed again after a rewind or a restart).
  void clear();
  // Drops the records `drop` selects (e.g. of revoked partitions).
  void erase_if(const std::function<bool(const Article&)>& drop);

  // `queued_bytes`: payload bytes waiting in the worker pool's queue.
  bool full(size_t queued_bytes) const;
  // Pauses when full, resumes when drained to half; says which to apply.
  Change update(size_t queued_bytes);
  bool paused() const { return paused_.load(std::memory_order_relaxed); }

 private:
  const Bounds bounds_;
  struct Entry {
    Article article;
    size_t bytes;  // payload size when pushed
  };
  std::deque<Entry> pages_;
  size_t bytes_ = 0;
  std::atomic<bool> paused_{false};
};

}  // namespace newsd
