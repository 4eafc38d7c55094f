// KeyTable: the dedup index's map from keys (an article id, a MinHash band)
// to entry positions, in 4 bytes a key.
//
// A bucketised cuckoo hash table with partial keys, as in cuckoo filters
// (Fan et al., CoNEXT 2014): buckets of 8 four-byte slots; a slot holds an
// 8-bit tag (the key kind and 4 bits of the key's hash) and the entry
// position + 1 (24 bits). A key lives in one of two buckets: its home, and
// the alternate bucket (c(tag) - bucket) mod n, which is computed from the
// slot alone, so moving a slot (a cuckoo kick) and erasing one never read the
// entry it points to. Lookups touch two buckets (two cache lines) whatever
// the load, so the table runs at 90% load, and erasing is clearing a slot:
// both matter because a full index erases one entry's keys per insert.
//
// find() reports every position whose slot carries the key's tag; the caller
// checks the entry itself (a tag matches another key with p = 1/16 per slot
// of the same kind).
//
// Thread-safety: none; FingerprintIndex calls it under its mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "stages/dedup/huge_page_allocator.h"

namespace newsd::dedup {

class KeyTable {
 public:
  static constexpr int kSlotsPerBucket = 8;
  static constexpr double kMaxLoad = 0.9;

  // Empties the table and sizes it for `keys` keys at kMaxLoad.
  void reset(size_t keys);

  // Room for `keys` keys without passing kMaxLoad.
  size_t max_keys() const { return static_cast<size_t>(kMaxLoad * static_cast<double>(buckets_.size() * kSlotsPerBucket)); }
  size_t size() const { return used_; }
  uint64_t lost() const { return lost_; }

  static uint32_t tag_of(int kind, uint64_t hash) {
    return (static_cast<uint32_t>(kind) << 4) | static_cast<uint32_t>(hash & 0xf);
  }

  void insert(uint32_t tag, uint64_t hash, uint32_t pos);
  void erase(uint32_t tag, uint64_t hash, uint32_t pos);

  // Requests the key's buckets from memory, ahead of find().
  void prefetch(uint32_t tag, uint64_t hash) const {
    const size_t b = home(hash);
    __builtin_prefetch(&buckets_[b]);
    __builtin_prefetch(&buckets_[alternate(b, tag)]);
  }

  // Calls fn(pos) for every slot with this tag in the key's two buckets.
  template <class Fn>
  void find(uint32_t tag, uint64_t hash, Fn&& fn) const {
    const size_t b1 = home(hash);
    const size_t b2 = alternate(b1, tag);
    scan(buckets_[b1], tag, fn);
    if (b2 != b1) scan(buckets_[b2], tag, fn);
    for (uint32_t slot : stash_) {
      if (slot >> 24 == tag) fn((slot & kPosMask) - 1);
    }
  }

  size_t memory_bytes() const {
    return buckets_.capacity() * sizeof(Bucket) + stash_.capacity() * sizeof(uint32_t);
  }

 private:
  struct alignas(32) Bucket {
    uint32_t slot[kSlotsPerBucket];
  };
  static constexpr uint32_t kPosMask = 0x00ffffffu;
  // Kicks before a key goes to the stash; at 90% load a chain this long is
  // practically never needed.
  static constexpr int kMaxKicks = 500;
  static constexpr size_t kMaxStash = 64;

  size_t home(uint64_t hash) const {
    // Lemire's multiply-shift on the high bits: any bucket count, no modulo;
    // the tag takes the low bits.
    __extension__ using u128 = unsigned __int128;
    return static_cast<size_t>((static_cast<u128>(hash) * buckets_.size()) >> 64);
  }
  // An involution: alternate(alternate(b, t), t) == b.
  size_t alternate(size_t bucket, uint32_t tag) const {
    const size_t n = buckets_.size();
    const size_t c = static_cast<size_t>(fmix(tag) % n);
    return c >= bucket ? c - bucket : c + n - bucket;
  }
  static uint64_t fmix(uint64_t k) {
    k *= 0x9e3779b97f4a7c15ULL;
    return k ^ (k >> 29);
  }
  static bool put(Bucket& b, uint32_t slot);
  static int free_slots(const Bucket& b);

  template <class Fn>
  static void scan(const Bucket& b, uint32_t tag, Fn& fn) {
    for (uint32_t slot : b.slot) {
      if (slot != 0 && slot >> 24 == tag) fn((slot & kPosMask) - 1);
    }
  }

  std::vector<Bucket, HugePageAllocator<Bucket>> buckets_;
  std::vector<uint32_t> stash_;  // keys no bucket took (kick chain too long)
  size_t used_ = 0;
  uint64_t lost_ = 0;    // keys neither a bucket nor the stash took
  uint32_t victim_ = 0;  // rotates the slot a kick evicts
};

}  // namespace newsd::dedup
