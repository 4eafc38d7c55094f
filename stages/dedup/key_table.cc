#include "stages/dedup/key_table.h"

#include <algorithm>
#include <utility>

namespace newsd::dedup {

void KeyTable::reset(size_t keys) {
  const size_t slots = static_cast<size_t>(static_cast<double>(keys) / kMaxLoad) + kSlotsPerBucket;
  buckets_.assign(std::max<size_t>(2, slots / kSlotsPerBucket), Bucket{});
  stash_.clear();
  used_ = 0;
  lost_ = 0;
}

int KeyTable::free_slots(const Bucket& b) {
  int n = 0;
  for (uint32_t s : b.slot) n += s == 0;
  return n;
}

bool KeyTable::put(Bucket& b, uint32_t slot) {
  for (uint32_t& s : b.slot) {
    if (s == 0) {
      s = slot;
      return true;
    }
  }
  return false;
}

void KeyTable::insert(uint32_t tag, uint64_t hash, uint32_t pos) {
  ++used_;
  uint32_t slot = (tag << 24) | (pos + 1);
  const size_t b1 = home(hash);
  const size_t b2 = alternate(b1, tag);
  // The emptier of the two buckets: keeps the load even, so kick chains
  // (each a random memory access) stay rare up to kMaxLoad.
  size_t b = free_slots(buckets_[b2]) > free_slots(buckets_[b1]) ? b2 : b1;
  if (put(buckets_[b], slot)) return;
  // Both full (common near kMaxLoad): one breadth-first step. Each of their
  // 16 slots could move to its own other bucket; fetch those together and
  // move the first that has room, instead of a random walk whose every
  // step waits for one cache miss.
  const size_t both[2] = {b1, b2};
  size_t other[2][kSlotsPerBucket];
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < kSlotsPerBucket; ++j) {
      other[i][j] = alternate(both[i], buckets_[both[i]].slot[j] >> 24);
      __builtin_prefetch(&buckets_[other[i][j]]);
    }
  }
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < kSlotsPerBucket; ++j) {
      if (other[i][j] != both[i] && put(buckets_[other[i][j]], buckets_[both[i]].slot[j])) {
        buckets_[both[i]].slot[j] = slot;
        return;
      }
    }
  }
  for (int kick = 0; kick < kMaxKicks; ++kick) {
    // Take a slot's place and move that slot to its own other bucket.
    victim_ = (victim_ + 1) % kSlotsPerBucket;
    std::swap(slot, buckets_[b].slot[victim_]);
    b = alternate(b, slot >> 24);
    if (put(buckets_[b], slot)) return;
  }
  // Only keys shared by more entries than two buckets hold get here (kick
  // chains at 90% load are short): keep a few, then give up on the key
  // rather than let every lookup scan a long stash. A lost band key costs
  // that entry one of its LSH chances; erase() of it finds nothing.
  if (stash_.size() < kMaxStash) {
    stash_.push_back(slot);
  } else {
    --used_;
    ++lost_;
  }
}

void KeyTable::erase(uint32_t tag, uint64_t hash, uint32_t pos) {
  const uint32_t slot = (tag << 24) | (pos + 1);
  const size_t b1 = home(hash);
  for (size_t b : {b1, alternate(b1, tag)}) {
    for (uint32_t& s : buckets_[b].slot) {
      if (s == slot) {
        s = 0;
        --used_;
        return;
      }
    }
  }
  if (auto it = std::find(stash_.begin(), stash_.end(), slot); it != stash_.end()) {
    *it = stash_.back();
    stash_.pop_back();
    --used_;
  }
}

}  // namespace newsd::dedup
