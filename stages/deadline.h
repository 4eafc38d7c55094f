// PageDeadline: the time limit (limits.max_page_ms) of the page the calling
// thread is working on, checked cooperatively by the scanners, tree walks and
// the tagger.
//
// The pipeline opens a PageDeadline for each page; code anywhere below it asks
// `PageDeadline::expired()` (or a DeadlineCheck in hot loops) and, once it is
// true, stops its work early: the pipeline then turns the page into a
// `timeout` failure, so no page holds a worker much past its limit.
// A thread-local rather than a parameter: the checks sit deep in loops of
// code that otherwise knows nothing of pages or time.
//
// Thread-safety: each thread has its own deadline; a PageDeadline is opened
// and closed on one thread. Without an open PageDeadline nothing expires.
#pragma once

#include <chrono>
#include <cstdint>

namespace newsd {

class PageDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts the calling thread's limit; `limit` <= 0 means none.
  explicit PageDeadline(std::chrono::milliseconds limit);
  ~PageDeadline();
  PageDeadline(const PageDeadline&) = delete;
  PageDeadline& operator=(const PageDeadline&) = delete;

  // True once the calling thread's page is past its limit (stays true).
  static bool expired();

 private:
  struct State {
    Clock::time_point end = Clock::time_point::max();
    bool expired = false;
  };
  static thread_local State state_;
  State saved_;
};

// For hot loops: reads the clock only every 4096 calls.
class DeadlineCheck {
 public:
  bool expired() { return (++calls_ & 4095) == 0 ? PageDeadline::expired() : false; }

 private:
  uint32_t calls_ = 0;
};

}  // namespace newsd
