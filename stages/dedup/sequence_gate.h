// SequenceGate: lets pages through one point in Article::sequence order.
//
// `newsd process` runs pages on several workers, but its dedup verdicts must
// not depend on which worker is faster: the first copy in the input is the
// original. The dedup stage waits at the gate before it consults the index, so
// index operations happen in input order while fingerprinting stays parallel.
// A page that fails before dedup must be released (Pipeline does it), or the
// pages after it would wait until `max_wait`.
//
// Sequences start at `first` and each is released once; releasing a sequence
// twice, or one already passed, is a no-op.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>

namespace newsd::dedup {

class SequenceGate {
 public:
  explicit SequenceGate(uint64_t first = 0, std::chrono::milliseconds max_wait = std::chrono::seconds(60))
      : next_(first), max_wait_(max_wait) {}

  // Blocks until every lower sequence has been released. Returns false when
  // it gave up after max_wait (a lost sequence: a bug, never a deadlock).
  bool wait_turn(uint64_t sequence);

  void release(uint64_t sequence);

  uint64_t next() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable turn_;
  uint64_t next_;
  std::set<uint64_t> early_;  // released ahead of their turn
  const std::chrono::milliseconds max_wait_;
};

}  // namespace newsd::dedup
