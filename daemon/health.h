// Health: what the poll loop reports about itself, read by /livez, /readyz
// and the systemd watchdog.
//
// The poll loop calls mark_progress() and mark_longest_page() on every
// iteration and sets assigned / connected / draining as they change; the HTTP
// threads and the watchdog only read. Liveness = the loop went round recently
// and no worker has been on one page past the stall limit (limits.max_page_ms
// plus the liveness window: a page the time limit could not stop holds its
// worker for good, and only a restart frees it); readiness = partitions
// assigned and the broker reachable, and not draining (a draining pod takes no
// new traffic, but must not be killed for it).
//
// Thread-safety: every member is an atomic; any thread may call anything.
// Lifetime: must outlive the HttpServer and the poll loop that hold it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace newsd {

class Health {
 public:
  using Clock = std::chrono::steady_clock;

  Health() { mark_progress(); }

  void mark_progress(Clock::time_point now = Clock::now()) {
    last_progress_ns_.store(now.time_since_epoch().count(), std::memory_order_relaxed);
  }
  void set_assigned(bool v) { assigned_.store(v, std::memory_order_relaxed); }
  void set_connected(bool v) { connected_.store(v, std::memory_order_relaxed); }
  void set_draining(bool v) { draining_.store(v, std::memory_order_relaxed); }
  // How long the busiest worker has been on its current page (0 = all idle).
  void mark_longest_page(Clock::duration d) { longest_page_ns_.store(d.count(), std::memory_order_relaxed); }
  // Longer than this on one page is a stuck worker; zero = never (no page time limit).
  void set_page_stall_limit(Clock::duration d) { page_stall_limit_ns_.store(d.count(), std::memory_order_relaxed); }

  // Time since the poll loop last went round.
  Clock::duration since_progress(Clock::time_point now = Clock::now()) const {
    return now - Clock::time_point(Clock::duration(last_progress_ns_.load(std::memory_order_relaxed)));
  }
  // While draining the loop has stopped polling on purpose and shutdown.timeout
  // bounds the drain, so a restart would only lose the drain's work.
  bool live(Clock::duration window, Clock::time_point now = Clock::now()) const {
    return draining() || (since_progress(now) <= window && !worker_stuck());
  }
  Clock::duration longest_page() const { return Clock::duration(longest_page_ns_.load(std::memory_order_relaxed)); }
  bool worker_stuck() const {
    const int64_t limit = page_stall_limit_ns_.load(std::memory_order_relaxed);
    return limit > 0 && longest_page_ns_.load(std::memory_order_relaxed) > limit;
  }
  bool ready() const { return assigned() && connected() && !draining(); }

  bool assigned() const { return assigned_.load(std::memory_order_relaxed); }
  bool connected() const { return connected_.load(std::memory_order_relaxed); }
  bool draining() const { return draining_.load(std::memory_order_relaxed); }

  // One line saying why /readyz answers what it does ("ready", "draining", ...).
  std::string readiness_reason() const {
    if (draining()) return "draining";
    if (!connected()) return "not connected to the broker";
    if (!assigned()) return "no partitions assigned";
    return "ready";
  }

 private:
  std::atomic<int64_t> last_progress_ns_{0};
  std::atomic<int64_t> longest_page_ns_{0};
  std::atomic<int64_t> page_stall_limit_ns_{0};
  std::atomic<bool> assigned_{false};
  std::atomic<bool> connected_{false};
  std::atomic<bool> draining_{false};
};

}  // namespace newsd
