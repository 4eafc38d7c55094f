#include "stages/dedup/sequence_gate.h"

namespace newsd::dedup {

bool SequenceGate::wait_turn(uint64_t sequence) {
  std::unique_lock lock(mu_);
  return turn_.wait_for(lock, max_wait_, [&] { return next_ >= sequence; });
}

void SequenceGate::release(uint64_t sequence) {
  {
    std::lock_guard lock(mu_);
    if (sequence < next_) return;
    early_.insert(sequence);
    while (!early_.empty() && *early_.begin() == next_) {
      early_.erase(early_.begin());
      ++next_;
    }
  }
  turn_.notify_all();
}

uint64_t SequenceGate::next() const {
  std::lock_guard lock(mu_);
  return next_;
}

}  // namespace newsd::dedup
