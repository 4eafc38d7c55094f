#include "stages/dedup/fingerprint_index.h"

#include <algorithm>
#include <cstring>

namespace newsd::dedup {
namespace {

constexpr uint32_t kEmpty = 0;
constexpr uint32_t kPosMask = 0x00ffffffu;
constexpr int64_t kMaxCapacity = 16'000'000;  // positions + 1 must fit 24 bits
// Most keys per slot. Deletion shifts later slots back (no tombstones), and
// a probe compares 4-byte slots, touching an entry only when kind and tag
// agree, so linear probing stays short and cache-friendly at this load.
constexpr double kMaxLoad = 0.85;


uint32_t slot_pos(uint32_t slot) { return (slot & kPosMask) - 1; }
// The slot's top byte: the key kind (id, band) in 4 bits and 4 bits of the
// key's hash — low bits, independent of the home position, which comes from
// the high bits.
uint32_t slot_tag(uint32_t slot) { return slot >> 24; }
uint32_t tag_of(int kind, uint64_t hash) { return (static_cast<uint32_t>(kind) << 4) | static_cast<uint32_t>(hash & 0xf); }
uint32_t slot_kind(uint32_t slot) { return slot >> 28; }

}  // namespace

const char* match_kind_name(MatchKind kind) {
  switch (kind) {
    case MatchKind::kUnique: return "unique";
    case MatchKind::kExactDuplicate: return "exact_duplicate";
    case MatchKind::kNearDuplicate: return "near_duplicate";
    case MatchKind::kSameUrl: return "same_url";
    case MatchKind::kUpdated: return "updated";
  }
  return "unique";
}

FingerprintIndex::FingerprintIndex(Options options) : opt_(options) {
  const_cast<Options&>(opt_).capacity = std::clamp<int64_t>(opt_.capacity, 1, kMaxCapacity);
  const_cast<Options&>(opt_).max_distance = std::clamp(opt_.max_distance, -1, 3);
  static_assert(kKeyKinds <= 16, "the kind must fit the slot's 4 bits");
  keys_max_size_ = static_cast<size_t>(static_cast<double>(opt_.capacity) * kKeyKinds / kMaxLoad) + 64;
  keys_.assign(std::min<size_t>(1024, keys_max_size_), kEmpty);
  if (opt_.max_distance >= 0) sim_.resize(size_t{kSimTables} << 16);
}

// ---- key table

uint64_t FingerprintIndex::key_of(const Entry& e, int kind) {
  if (kind == 0) return e.id;
  uint32_t band;
  std::memcpy(&band, &e.sig[static_cast<size_t>(kind - 1) * kBandRows], sizeof band);
  return band;
}

uint64_t FingerprintIndex::key_of(const FingerprintRecord& r, int kind) {
  if (kind == 0) return r.id;
  uint32_t band;
  std::memcpy(&band, &r.minhash[static_cast<size_t>(kind - 1) * kBandRows], sizeof band);
  return band;
}

uint64_t FingerprintIndex::key_hash(int kind, uint64_t key) {
  return fmix64(key ^ (static_cast<uint64_t>(kind + 1) * 0x9e3779b97f4a7c15ULL));
}

size_t FingerprintIndex::home(uint64_t hash) const {
  // Lemire's multiply-shift: any table size, no modulo.
  __extension__ using u128 = unsigned __int128;
  return static_cast<size_t>((static_cast<u128>(hash) * keys_.size()) >> 64);
}

void FingerprintIndex::key_insert(int kind, uint64_t hash, uint32_t pos) {
  const uint32_t slot = (tag_of(kind, hash) << 24) | (pos + 1);
  size_t i = home(hash);
  while (keys_[i] != kEmpty) i = i + 1 == keys_.size() ? 0 : i + 1;
  keys_[i] = slot;
  ++keys_used_;
}

uint64_t FingerprintIndex::slot_home(uint32_t slot) const {
  const int kind = static_cast<int>(slot_kind(slot));
  return home(key_hash(kind, key_of(ring_[slot_pos(slot)], kind)));
}

void FingerprintIndex::key_erase(int kind, uint64_t hash, uint32_t pos) {
  const uint32_t slot = (tag_of(kind, hash) << 24) | (pos + 1);
  const size_t n = keys_.size();
  size_t i = home(hash);
  while (keys_[i] != slot) {
    if (keys_[i] == kEmpty) return;  // not there (never happens while the invariant holds)
    i = i + 1 == n ? 0 : i + 1;
  }
  // Backward-shift deletion: pull later slots of the cluster into the hole
  // when their home allows it, so no probe ever stops early.
  size_t hole = i;
  for (size_t j = hole + 1 == n ? 0 : hole + 1; keys_[j] != kEmpty; j = j + 1 == n ? 0 : j + 1) {
    const size_t h = slot_home(keys_[j]);
    // Slot j may move to `hole` unless its home lies cyclically in (hole, j].
    const bool home_after_hole = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j);
    if (home_after_hole) continue;
    keys_[hole] = keys_[j];
    hole = j;
  }
  keys_[hole] = kEmpty;
  --keys_used_;
}

template <class Fn>
void FingerprintIndex::key_find(int kind, uint64_t key, Fn&& fn) const {
  key_find(kind, key, key_hash(kind, key), std::forward<Fn>(fn));
}

template <class Fn>
void FingerprintIndex::key_find(int kind, uint64_t key, uint64_t hash, Fn&& fn) const {
  const uint32_t tag = tag_of(kind, hash);
  for (size_t i = home(hash); keys_[i] != kEmpty; i = i + 1 == keys_.size() ? 0 : i + 1) {
    const uint32_t slot = keys_[i];
    if (slot_tag(slot) != tag) continue;
    const uint32_t pos = slot_pos(slot);
    const Entry& e = ring_[pos];
    if (e.live() && key_of(e, kind) == key) fn(pos);
  }
}

void FingerprintIndex::key_rebuild(size_t size) {
  keys_.assign(std::max<size_t>(size, 16), kEmpty);
  keys_used_ = 0;
  for (size_t n = 0, pos = head_; n < used_; ++n, pos = pos + 1 == ring_.size() ? 0 : pos + 1) {
    const Entry& e = ring_[pos];
    if (!e.live()) continue;
    for (int kind = 0; kind < kKeyKinds; ++kind)
      key_insert(kind, key_hash(kind, key_of(e, kind)), static_cast<uint32_t>(pos));
  }
}

// ---- entries

uint32_t FingerprintIndex::to_minute_locked(int64_t minute) {
  // Unknown times (<= 0) count as the newest time seen, so they neither expire
  // others nor are born expired.
  if (minute <= 0) return newest_minute_;
  const uint32_t m = static_cast<uint32_t>(std::min<int64_t>(minute, UINT32_MAX));
  newest_minute_ = std::max(newest_minute_, m);
  return m;
}

bool FingerprintIndex::expired(const Entry& e, uint32_t now) const {
  return static_cast<int64_t>(e.minute) + opt_.window_minutes < static_cast<int64_t>(now);
}

void FingerprintIndex::remove_locked(uint32_t pos) {
  Entry& e = ring_[pos];
  if (!e.live()) return;
  for (int kind = 0; kind < kKeyKinds; ++kind) key_erase(kind, key_hash(kind, key_of(e, kind)), pos);
  for (int t = 0; t < kSimTables && !sim_.empty(); ++t) {
    std::vector<SimSlot>& bucket = sim_[(size_t{static_cast<uint32_t>(t)} << 16) | sim_block(e.simhash, t)];
    for (size_t i = 0; i < bucket.size(); ++i) {
      if (bucket[i].pos() == pos) {
        bucket[i] = bucket.back();
        bucket.pop_back();
        break;
      }
    }
  }
  e.minute = 0;
  --live_;
}

void FingerprintIndex::evict_locked(uint32_t now_minute) {
  const size_t capacity = static_cast<size_t>(opt_.capacity);
  while (used_ > 0) {
    Entry& e = ring_[head_];
    const bool full = used_ >= capacity;
    if (!full && e.live() && !expired(e, now_minute)) break;
    if (e.live()) {
      remove_locked(static_cast<uint32_t>(head_));
      ++evicted_;
    }
    head_ = head_ + 1 == capacity ? 0 : head_ + 1;
    --used_;
  }
}

void FingerprintIndex::insert_locked(const FingerprintRecord& r, uint32_t minute) {
  evict_locked(newest_minute_);
  // Room for this entry's keys first (a rebuild re-inserts every live
  // entry). The table only grows: at full capacity it is keys_max_size_.
  if (keys_used_ + kKeyKinds > static_cast<size_t>(kMaxLoad * static_cast<double>(keys_.size())) &&
      keys_.size() < keys_max_size_) {
    key_rebuild(std::min(keys_.size() * 2, keys_max_size_));
  }
  const size_t capacity = static_cast<size_t>(opt_.capacity);
  const size_t tail = (head_ + used_) % capacity;
  if (tail == ring_.size()) {
    // Grow by doubling, but never past capacity (a plain push_back could
    // reserve almost twice the bound).
    if (ring_.size() == ring_.capacity()) ring_.reserve(std::min(std::max<size_t>(1024, ring_.size() * 2), capacity));
    ring_.push_back({});
  }
  Entry& e = ring_[tail];
  e = Entry{r.id, r.simhash, static_cast<uint32_t>(r.content_lo), std::max<uint32_t>(minute, 1), r.minhash};
  ++used_;
  ++live_;
  const uint32_t pos = static_cast<uint32_t>(tail);
  for (int kind = 0; kind < kKeyKinds; ++kind) key_insert(kind, key_hash(kind, key_of(e, kind)), pos);
  for (int t = 0; t < kSimTables && !sim_.empty(); ++t) {
    std::vector<SimSlot>& bucket = sim_[(size_t{static_cast<uint32_t>(t)} << 16) | sim_block(e.simhash, t)];
    // Grow by an eighth, not double: these buckets are a fifth of the memory.
    if (bucket.size() == bucket.capacity()) bucket.reserve(bucket.size() + bucket.size() / 8 + 2);
    bucket.push_back(SimSlot::make(pos, sim_rest(e.simhash, t)));
  }
}

Match FingerprintIndex::find_locked(const FingerprintRecord& r, uint32_t minute) {
  // Each probe below starts with a cache miss (a table slot, a bucket):
  // request them all first so the misses overlap instead of queueing.
  uint64_t hashes[kKeyKinds];
  for (int kind = 0; kind < kKeyKinds; ++kind) {
    hashes[kind] = key_hash(kind, key_of(r, kind));
    __builtin_prefetch(&keys_[home(hashes[kind])]);
  }
  const std::vector<SimSlot>* buckets[kSimTables] = {};
  const int sim_tables = sim_.empty() ? 0 : kSimTables;
  for (int t = 0; t < sim_tables; ++t) {
    buckets[t] = &sim_[(size_t{static_cast<uint32_t>(t)} << 16) | sim_block(r.simhash, t)];
    __builtin_prefetch(buckets[t]);
  }
  for (int t = 0; t < sim_tables; ++t) __builtin_prefetch(buckets[t]->data());

  Match best;
  // Same article id first: a re-crawl or an edit of one page.
  key_find(0, r.id, hashes[0], [&](uint32_t pos) {
    const Entry& e = ring_[pos];
    if (expired(e, minute)) return;
    const bool same = same_content(e, r);
    best.kind = same ? MatchKind::kSameUrl : MatchKind::kUpdated;
    best.duplicate_of = e.id;
    best.distance = hamming(e.simhash, r.simhash);
    best.similarity = same ? 1.0 : estimate_jaccard(e.sig, r.minhash);
  });
  if (best.kind != MatchKind::kUnique) return best;

  seen_.clear();
  uint32_t best_exact_minute = UINT32_MAX;
  auto consider = [&](uint32_t pos) {
    if (std::find(seen_.begin(), seen_.end(), pos) != seen_.end()) return;
    seen_.push_back(pos);
    const Entry& e = ring_[pos];
    if (!e.live() || expired(e, minute)) return;
    const int distance = hamming(e.simhash, r.simhash);
    if (same_content(e, r)) {
      // Exact beats near; among exact copies the oldest entry wins.
      if (e.minute < best_exact_minute) {
        best = {MatchKind::kExactDuplicate, e.id, distance, 1.0};
        best_exact_minute = e.minute;
      }
      return;
    }
    if (best.kind == MatchKind::kExactDuplicate) return;
    const double similarity = estimate_jaccard(e.sig, r.minhash);
    if (similarity < opt_.min_similarity) return;
    if (best.kind == MatchKind::kUnique || similarity > best.similarity ||
        (similarity == best.similarity && distance < best.distance)) {
      best = {MatchKind::kNearDuplicate, e.id, distance, similarity};
    }
  };

  const int k = opt_.max_distance;
  for (int t = 0; t < sim_tables; ++t) {
    const uint32_t rest = sim_rest(r.simhash, t);
    for (const SimSlot& s : *buckets[t]) {
      if (std::popcount(s.rest() ^ rest) > k) continue;
      if (hamming(ring_[s.pos()].simhash, r.simhash) <= k) consider(s.pos());
    }
  }
  for (int band = 1; band < kKeyKinds; ++band) key_find(band, key_of(r, band), hashes[band], consider);
  return best;
}

Match FingerprintIndex::check_and_insert(const FingerprintRecord& r, bool insert, bool* inserted) {
  std::lock_guard lock(mu_);
  const uint32_t minute = to_minute_locked(r.minute);
  Match m = find_locked(r, minute);
  bool did_insert = false;
  if (insert && (m.kind == MatchKind::kUnique || m.kind == MatchKind::kUpdated)) {
    if (m.kind == MatchKind::kUpdated) {
      key_find(0, r.id, [&](uint32_t pos) { remove_locked(pos); });
    }
    insert_locked(r, minute);
    did_insert = true;
  }
  if (inserted) *inserted = did_insert;
  return m;
}

bool FingerprintIndex::add(const FingerprintRecord& r) {
  std::lock_guard lock(mu_);
  const uint32_t minute = to_minute_locked(r.minute);
  bool same = false;
  std::vector<uint32_t> old;
  key_find(0, r.id, [&](uint32_t pos) {
    if (same_content(ring_[pos], r)) same = true;
    else old.push_back(pos);
  });
  if (same) return false;
  for (uint32_t pos : old) remove_locked(pos);
  insert_locked(r, minute);
  return true;
}

bool FingerprintIndex::contains(uint64_t id) const {
  std::lock_guard lock(mu_);
  bool found = false;
  key_find(0, id, [&](uint32_t) { found = true; });
  return found;
}

size_t FingerprintIndex::size() const {
  std::lock_guard lock(mu_);
  return live_;
}

uint64_t FingerprintIndex::evicted() const {
  std::lock_guard lock(mu_);
  return evicted_;
}

size_t FingerprintIndex::memory_bytes() const {
  std::lock_guard lock(mu_);
  size_t bytes = ring_.capacity() * sizeof(Entry) + keys_.capacity() * sizeof(uint32_t) +
                 sim_.capacity() * sizeof(std::vector<SimSlot>) + seen_.capacity() * sizeof(uint32_t);
  for (const auto& bucket : sim_) bytes += bucket.capacity() * sizeof(SimSlot);
  return bytes;
}

}  // namespace newsd::dedup
