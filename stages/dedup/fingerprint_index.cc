#include "stages/dedup/fingerprint_index.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace newsd::dedup {
namespace {

constexpr int64_t kMaxCapacity = 16'000'000;  // positions + 1 must fit 24 bits

uint64_t band_key(const uint8_t* sig, int kind) {
  uint64_t band = 0;
  std::memcpy(&band, sig + static_cast<size_t>(kind - 1) * kBandRows, kBandRows);
  return band;
}

// Options with capacity and max_distance clamped to what the index supports.
FingerprintIndex::Options clamped(FingerprintIndex::Options o) {
  o.capacity = std::clamp<int64_t>(o.capacity, 1, kMaxCapacity);
  o.max_distance = std::clamp(o.max_distance, -1, 3);
  return o;
}

}  // namespace

DedupStatus dedup_status(MatchKind kind) {
  switch (kind) {
    case MatchKind::kUnique:
      return DedupStatus::kUnique;
    case MatchKind::kExactDuplicate:
      return DedupStatus::kExactDuplicate;
    case MatchKind::kNearDuplicate:
      return DedupStatus::kNearDuplicate;
    case MatchKind::kSameUrl:
      return DedupStatus::kSameUrl;
    case MatchKind::kUpdated:
      return DedupStatus::kUpdated;
  }
  return DedupStatus::kUnique;
}

uint32_t stream_of(std::string_view topic, int32_t partition) {
  const uint32_t h = static_cast<uint32_t>(
      XXH3_64bits_withSeed(topic.data(), topic.size(), static_cast<uint64_t>(static_cast<uint32_t>(partition))));
  return h != 0 ? h : 1;
}

FingerprintRecord FingerprintIndex::record_of(const Entry& e) {
  FingerprintRecord r;
  r.id = e.id;
  r.simhash = e.simhash;
  r.content_lo = e.content;  // all that same_content compares
  r.minute = e.minute;
  r.minhash = e.sig;
  r.stream = e.stream;
  r.offset = e.offset();
  r.kind = e.verdict & 0x80 ? MatchKind::kUpdated : MatchKind::kUnique;
  r.distance = (e.verdict & 0x7f) == 0x7f ? -1 : e.verdict & 0x7f;
  r.similarity_milli = e.similarity_milli;
  return r;
}

FingerprintIndex::FingerprintIndex(Options options) : opt_(clamped(options)) {
  static_assert(kKeyKinds <= 16, "the kind must fit the slot's 4 bits");
  keys_max_ = static_cast<size_t>(opt_.capacity) * kKeyKinds;
  keys_.reset(std::min<size_t>(8192, keys_max_));
  if (opt_.max_distance >= 0) sim_.resize(size_t{kSimTables} << 16);
}

// ---- key table

uint64_t FingerprintIndex::key_of(const Entry& e, int kind) {
  if (kind == 0) return e.id;
  return band_key(e.sig.data(), kind);
}

uint64_t FingerprintIndex::key_of(const FingerprintRecord& r, int kind) {
  if (kind == 0) return r.id;
  return band_key(r.minhash.data(), kind);
}

uint64_t FingerprintIndex::key_hash(int kind, uint64_t key) {
  return fmix64(key ^ (static_cast<uint64_t>(kind + 1) * 0x9e3779b97f4a7c15ULL));
}

template <class Fn>
void FingerprintIndex::key_find(int kind, uint64_t key, Fn&& fn) const {
  const uint64_t hash = key_hash(kind, key);
  keys_.find(KeyTable::tag_of(kind, hash), hash, [&](uint32_t pos) {
    const Entry& e = ring_[pos];
    if (e.live() && key_of(e, kind) == key) fn(pos);
  });
}

template <class T>
void FingerprintIndex::key_hashes_prefetched(const T& x, uint64_t (&hashes)[kKeyKinds]) const {
  for (int kind = 0; kind < kKeyKinds; ++kind) {
    hashes[kind] = key_hash(kind, key_of(x, kind));
    keys_.prefetch(KeyTable::tag_of(kind, hashes[kind]), hashes[kind]);
  }
}

void FingerprintIndex::keys_insert(const Entry& e, uint32_t pos) {
  for (int kind = 0; kind < kKeyKinds; ++kind) {
    const uint64_t hash = key_hash(kind, key_of(e, kind));
    keys_.insert(KeyTable::tag_of(kind, hash), hash, pos);
  }
}

void FingerprintIndex::keys_rebuild(size_t keys) {
  keys_.reset(keys);
  // Each insert is a few random bucket accesses: request those of the entry
  // kAhead places on while inserting this one.
  constexpr size_t kAhead = 4;
  auto at = [&](size_t n) { return (head_ + n) % ring_.size(); };
  for (size_t n = 0; n < used_; ++n) {
    uint64_t ahead[kKeyKinds];
    if (n + kAhead < used_ && ring_[at(n + kAhead)].live()) key_hashes_prefetched(ring_[at(n + kAhead)], ahead);
    if (ring_[at(n)].live()) keys_insert(ring_[at(n)], static_cast<uint32_t>(at(n)));
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
  uint64_t hashes[kKeyKinds];
  key_hashes_prefetched(e, hashes);
  for (int kind = 0; kind < kKeyKinds; ++kind) keys_.erase(KeyTable::tag_of(kind, hashes[kind]), hashes[kind], pos);
  // The simhash slots stay until the ring's head passes this entry (see
  // sim_release): a query that meets them first finds the entry dead.
  e.minute = 0;
  --live_;
}

void FingerprintIndex::sim_release(uint32_t pos) {
  const Entry& e = ring_[pos];
  for (int t = 0; t < kSimTables && !sim_.empty(); ++t) {
    SimBucket& bucket = sim_[(size_t{static_cast<uint32_t>(t)} << 16) | sim_block(e.simhash, t)];
    // Entries leave the ring oldest first and a bucket keeps insertion
    // order, so the entry at the head is at the front of each of its buckets.
    if (bucket.head < bucket.slots.size() && bucket.slots[bucket.head].pos() == pos) {
      if (++bucket.head == bucket.slots.size()) {
        // Free it: an index far below 65,536 entries per table leaves most
        // buckets empty most of the time.
        bucket.slots = std::vector<SimSlot>();
        bucket.head = 0;
      }
    }
  }
}

void FingerprintIndex::sim_append(uint64_t simhash, uint32_t pos) {
  for (int t = 0; t < kSimTables && !sim_.empty(); ++t) {
    SimBucket& bucket = sim_[(size_t{static_cast<uint32_t>(t)} << 16) | sim_block(simhash, t)];
    std::vector<SimSlot>& slots = bucket.slots;
    if (slots.size() == slots.capacity() && bucket.head > 0) {
      // Reuse the room released at the front before growing.
      slots.erase(slots.begin(), slots.begin() + bucket.head);
      bucket.head = 0;
    }
    // Grow by an eighth, not double: these buckets are a quarter of the memory.
    if (slots.size() == slots.capacity()) slots.reserve(slots.size() + slots.size() / 8 + 2);
    slots.push_back(SimSlot::make(pos, sim_rest(simhash, t)));
  }
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
    sim_release(static_cast<uint32_t>(head_));
    head_ = head_ + 1 == capacity ? 0 : head_ + 1;
    --used_;
  }
}

void FingerprintIndex::insert_locked(const FingerprintRecord& r, uint32_t minute) {
  evict_locked(newest_minute_);
  // Room for this entry's keys first (a rebuild re-inserts every live
  // entry). The table only grows: at full capacity it is keys_max_size_.
  if (keys_.size() + kKeyKinds > keys_.max_keys() && keys_.max_keys() < keys_max_) {
    keys_rebuild(std::min(keys_.max_keys() * 4, keys_max_));
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
  const auto offset = static_cast<uint64_t>(r.offset);
  const uint8_t distance = r.distance >= 0 && r.distance < 0x7f ? static_cast<uint8_t>(r.distance) : 0x7f;
  e = Entry{r.id,
            r.simhash,
            static_cast<uint32_t>(r.content_lo),
            std::max<uint32_t>(minute, 1),
            r.minhash,
            r.stream,
            static_cast<uint32_t>(offset),
            static_cast<uint16_t>(offset >> 32),
            r.similarity_milli,
            static_cast<uint8_t>((r.kind == MatchKind::kUpdated ? 0x80 : 0) | distance),
            {0, 0, 0}};
  ++used_;
  ++live_;
  const uint32_t pos = static_cast<uint32_t>(tail);
  keys_insert(e, pos);
  sim_append(e.simhash, pos);
}

Match FingerprintIndex::find_locked(const FingerprintRecord& r, uint32_t minute, bool& later_holds_id) {
  // Each probe below starts with a cache miss (a table slot, a bucket):
  // request them all first so the misses overlap instead of queueing.
  uint64_t hashes[kKeyKinds];
  key_hashes_prefetched(r, hashes);
  const SimBucket* buckets[kSimTables] = {};
  const int sim_tables = sim_.empty() ? 0 : kSimTables;
  for (int t = 0; t < sim_tables; ++t) {
    buckets[t] = &sim_[(size_t{static_cast<uint32_t>(t)} << 16) | sim_block(r.simhash, t)];
    __builtin_prefetch(buckets[t]);
  }
  // A bucket is ~150 slots (15 cache lines) at 10M fingerprints: request
  // every line of the four, not just the first, before scanning any.
  for (int t = 0; t < sim_tables; ++t) {
    const char* begin = reinterpret_cast<const char*>(buckets[t]->slots.data() + buckets[t]->head);
    const char* end = reinterpret_cast<const char*>(buckets[t]->slots.data() + buckets[t]->slots.size());
    for (const char* line = begin; line < end; line += 64) __builtin_prefetch(line);
  }

  Match best;
  later_holds_id = false;
  // Same article id first: this page again, a re-crawl or an edit of one page.
  key_find(0, r.id, [&](uint32_t pos) {
    const Entry& e = ring_[pos];
    if (best.redelivered) return;
    if (self(e, r)) {
      const FingerprintRecord first = record_of(e);
      best = {first.kind, first.kind == MatchKind::kUnique ? 0 : e.id, first.distance, first.similarity_milli / 1000.0,
              true};
      return;
    }
    if (later(e, r)) {
      later_holds_id = true;
      return;
    }
    if (!visible(e, r) || expired(e, minute)) return;
    const bool same = same_content(e, r);
    best.kind = same ? MatchKind::kSameUrl : MatchKind::kUpdated;
    best.duplicate_of = e.id;
    best.distance = hamming(e.simhash, r.simhash);
    best.similarity = same ? 1.0 : estimate_similarity(e.sig, r.minhash, best.distance);
  });
  if (best.kind != MatchKind::kUnique || best.redelivered) return best;

  // Gather every candidate position first and request its entry, then
  // verify: the entry reads are random misses in a ring of hundreds of MB,
  // and issued together they overlap instead of queueing one by one.
  candidates_.clear();
  auto propose = [&](uint32_t pos, int kind) {
    __builtin_prefetch(&ring_[pos]);
    candidates_.push_back({pos, kind});
  };
  for (int band = 1; band < kKeyKinds; ++band) {
    keys_.find(KeyTable::tag_of(band, hashes[band]), hashes[band], [&](uint32_t pos) { propose(pos, band); });
  }
  const int k = opt_.max_distance;
  for (int t = 0; t < sim_tables; ++t) {
    const uint32_t rest = sim_rest(r.simhash, t);
    const std::vector<SimSlot>& slots = buckets[t]->slots;
    for (size_t i = buckets[t]->head; i < slots.size(); ++i) {
      if (std::popcount(slots[i].rest() ^ rest) <= k) propose(slots[i].pos(), kSimKind);
    }
  }

  uint32_t best_exact_minute = UINT32_MAX;
  for (size_t c = 0; c < candidates_.size(); ++c) {
    const auto [pos, kind] = candidates_[c];
    const Entry& e = ring_[pos];
    if (!e.live() || expired(e, minute) || !visible(e, r)) continue;
    const bool is_candidate =
        kind == kSimKind ? hamming(e.simhash, r.simhash) <= k : key_of(e, kind) == key_of(r, kind);
    if (!is_candidate) continue;
    // One entry can share several bands (and a simhash block) with the query:
    // weigh it once.
    bool repeat = false;
    for (size_t d = 0; d < c && !repeat; ++d) repeat = candidates_[d].kind == kVerified && candidates_[d].pos == pos;
    if (repeat) continue;
    candidates_[c].kind = kVerified;
    const int distance = hamming(e.simhash, r.simhash);
    if (same_content(e, r)) {
      // Exact beats near; among exact copies the oldest entry wins.
      if (e.minute < best_exact_minute) {
        best = {MatchKind::kExactDuplicate, e.id, distance, 1.0};
        best_exact_minute = e.minute;
      }
      continue;
    }
    if (best.kind == MatchKind::kExactDuplicate) continue;
    const double similarity = estimate_similarity(e.sig, r.minhash, distance);
    if (similarity < opt_.min_similarity) continue;
    if (best.kind == MatchKind::kUnique || similarity > best.similarity ||
        (similarity == best.similarity && distance < best.distance)) {
      best = {MatchKind::kNearDuplicate, e.id, distance, similarity};
    }
  }
  return best;
}

Match FingerprintIndex::check_and_insert(const FingerprintRecord& r, bool insert, Change* change) {
  std::lock_guard lock(mu_);
  const uint32_t minute = to_minute_locked(r.minute);
  // A full index evicts its oldest entry on insert: request that entry's key
  // buckets now, so their misses overlap the query's.
  if (insert && used_ >= static_cast<size_t>(opt_.capacity)) {
    const Entry& oldest = ring_[head_];
    uint64_t hashes[kKeyKinds];
    if (oldest.live()) key_hashes_prefetched(oldest, hashes);
    for (int t = 0; t < kSimTables && !sim_.empty(); ++t) {
      __builtin_prefetch(&sim_[(size_t{static_cast<uint32_t>(t)} << 16) | sim_block(oldest.simhash, t)]);
    }
  }
  bool later_holds_id = false;
  Match m = find_locked(r, minute, later_holds_id);
  if (change) *change = Change{};
  if (insert && !m.redelivered && !later_holds_id && (m.kind == MatchKind::kUnique || m.kind == MatchKind::kUpdated)) {
    std::optional<FingerprintRecord> replaced;
    bool superseded = false;
    if (m.kind == MatchKind::kUpdated) {
      key_find(0, r.id, [&](uint32_t pos) {
        if (!visible(ring_[pos], r)) return;  // replaced before
        replaced = record_of(ring_[pos]);
        superseded = replace_locked(pos, r);
      });
    }
    FingerprintRecord stored = r;
    stored.kind = m.kind;
    stored.distance = m.kind == MatchKind::kUpdated ? m.distance : -1;
    stored.similarity_milli =
        m.kind == MatchKind::kUpdated ? static_cast<uint16_t>(std::lround(m.similarity * 1000)) : 0;
    insert_locked(stored, minute);
    if (change) *change = Change{true, stored, replaced, superseded};
  }
  return m;
}

void FingerprintIndex::undo(const Change& change) {
  if (!change.inserted) return;
  std::lock_guard lock(mu_);
  const FingerprintRecord& s = change.stored;
  const std::optional<FingerprintRecord>& old = change.replaced;
  bool held = false, restored = false;
  key_find(0, s.id, [&](uint32_t pos) {
    Entry& e = ring_[pos];
    if (self(e, s) && same_content(e, s)) {
      remove_locked(pos);
    } else if (old && change.superseded && self(e, *old) && e.superseded_by() != 0) {
      e.set_superseded(0);  // current again
      restored = true;
    } else if (e.superseded_by() == 0) {
      held = true;  // another page's entry now: it stays
    }
  });
  if (old && !change.superseded && !held && !restored) insert_locked(*old, to_minute_locked(old->minute));
}

bool FingerprintIndex::replace_locked(uint32_t pos, const FingerprintRecord& r) {
  Entry& e = ring_[pos];
  const int64_t delta = r.offset - e.offset();
  if (r.stream != 0 && e.stream == r.stream && delta > 0 && delta < (int64_t{1} << 24)) {
    e.set_superseded(static_cast<uint32_t>(delta));
    return true;
  }
  remove_locked(pos);
  return false;
}

bool FingerprintIndex::add(const FingerprintRecord& r) {
  std::lock_guard lock(mu_);
  const uint32_t minute = to_minute_locked(r.minute);
  bool same = false;
  std::vector<uint32_t> old;
  key_find(0, r.id, [&](uint32_t pos) {
    const Entry& e = ring_[pos];
    if (same_content(e, r) || later(e, r)) same = true;  // known, or older than what is known
    else if (e.superseded_by() == 0) old.push_back(pos);
  });
  if (same) return false;
  for (uint32_t pos : old) replace_locked(pos, r);
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
  size_t bytes = ring_.capacity() * sizeof(Entry) + keys_.memory_bytes() +
                 sim_.capacity() * sizeof(SimBucket) + candidates_.capacity() * sizeof(Candidate);
  for (const SimBucket& bucket : sim_) bytes += bucket.slots.capacity() * sizeof(SimSlot);
  return bytes;
}

}  // namespace newsd::dedup
