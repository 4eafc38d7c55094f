// FingerprintIndex: the bounded memory of articles already seen, for dedup.
//
// One entry per accepted (unique or updated) article: its id, simhash, the
// low 32 bits of its content hash, a time in minutes and its b-bit MinHash
// signature (48 bytes; the full 128-bit hash is still output by the stage).
// "Same content" (exact_duplicate, same_url) means equal 64-bit simhash AND
// equal 32-bit content hash: two different texts pass only if their simhashes
// collide (in practice: near copies) and then with probability 2^-32 — and
// such a miss labels a near copy exact (or an edit a re-crawl), never an
// unrelated article a duplicate.
// Candidates come from:
//   - the article id (same_url / updated),
//   - MinHash LSH: kBands bands of kBandRows signature bytes each; a copy
//     with Jaccard J shares at least one band with probability
//     1 - (1 - J^3)^6 (0.96 at J = 0.75, 0.986 at J = 0.8). An unrelated
//     article shares a 3-byte band with p = 2^-24 per band (about 3.6
//     entries per query at 10M fingerprints), which verification rejects,
//   - when Options::max_distance >= 0 (the default is 3): simhash permuted
//     tables. The 64 bits are cut into 4 blocks of 16; two simhashes within
//     Hamming distance <= 3 agree exactly on at least one block
//     (pigeonhole), so each block value keys a bucket that stores the entry
//     position and 24 more simhash bits as a pre-filter.
// Every candidate is verified on the entry itself (exact: same content as
// above; near: estimated Jaccard >= min_similarity) before it is reported.
//
// Bounds: at most `capacity` entries (<= 16,000,000: positions + 1 are kept
// in 24 bits; larger values are clamped), kept in a ring in insertion order;
// an entry is forgotten when the ring is full (oldest first) or when it is
// older than `window` relative to the newest time seen. About 122 bytes per
// fingerprint at full capacity: entry 64, keys 7 x 4 / 0.9 = 31, simhash
// slots 4 x 6 + growth slack = 26 (README.md); 25 less without the simhash
// tables.
//
// Redelivery: an entry remembers the stream (topic and partition) and offset
// of its page. A page checked again at that position (after a crash, an
// aborted transaction, a rebalance) gets the verdict stored in its entry back
// and changes nothing. Entries of the same stream at a higher offset are
// later pages, processed before this one only because it is being redone:
// they are ignored as matches, and they keep their id (the redone page is not
// inserted over them). An entry an update replaced from a later page of its
// own stream (up to 2^24 offsets later) is kept, superseded: only pages of
// that stream before the update see it, so redone copies still find it.
//
// Invariant: every live entry (superseded or current) has exactly one slot
// per key (id, each band) in the key table; every ring slot between head and tail, live or dead, has
// one slot in each of the 4 simhash tables (when they exist), and each bucket
// holds its slots in ring order, so eviction pops them from the front instead
// of searching; there is at most one current (not superseded) entry per
// article id; only unique
// and updated articles become entries, so `duplicate_of` always names the
// first copy seen.
//
// Thread-safety: all public methods lock one mutex. check_and_insert looks up
// and inserts under one hold of that lock, so two copies of one article racing
// on two workers cannot both be found unique.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "stages/article.h"
#include "stages/dedup/fingerprint.h"
#include "stages/dedup/huge_page_allocator.h"
#include "stages/dedup/key_table.h"

namespace newsd::dedup {

enum class MatchKind { kUnique, kExactDuplicate, kNearDuplicate, kSameUrl, kUpdated };
DedupStatus dedup_status(MatchKind kind);

struct Match {
  MatchKind kind = MatchKind::kUnique;
  uint64_t duplicate_of = 0;  // id of the matched entry (kUnique: none)
  int distance = -1;          // simhash Hamming distance to it
  double similarity = 0;      // estimated Jaccard to it
  // The index holds this very page (same stream and offset): it is being
  // processed again, and the match is the verdict it got the first time.
  bool redelivered = false;
};

// The input stream a page came from: a hash of its topic and partition,
// never 0 (0 = unknown: `newsd process`, or records of older versions).
uint32_t stream_of(std::string_view topic, int32_t partition);

// What the index keeps of an article, and what replicas exchange.
struct FingerprintRecord {
  uint64_t id = 0;
  uint64_t simhash = 0;
  uint64_t content_hi = 0;
  uint64_t content_lo = 0;
  int64_t minute = 0;  // minutes since the Unix epoch
  std::array<uint8_t, kMinHashes> minhash{};
  // Where the page was read (stream_of, offset), so that the same page
  // processed again is recognised instead of being found a copy of itself,
  // and the verdict the index gave it (unique or updated; for updated the
  // distance and similarity to the version it replaced), which it gets again.
  uint32_t stream = 0;
  int64_t offset = -1;
  MatchKind kind = MatchKind::kUnique;
  int distance = -1;
  uint16_t similarity_milli = 0;
};

class FingerprintIndex {
 public:
  struct Options {
    int64_t capacity = 2'000'000;  // at most 16,000,000
    int max_distance = 3;          // -1: no simhash tables; 0..3: search them up to this distance
    double min_similarity = 0.5;
    int64_t window_minutes = 7 * 24 * 60;
  };

  explicit FingerprintIndex(Options options);

  // What check_and_insert changed: the record to share with other replicas
  // and what undo() needs.
  struct Change {
    bool inserted = false;
    FingerprintRecord stored;                   // as inserted, verdict fields set
    std::optional<FingerprintRecord> replaced;  // the entry an update replaced
    bool superseded = false;                    // ... kept, superseded, rather than removed
  };

  // Finds the best earlier match of `r` and, when `insert` is set and the
  // article is new (unique) or changed under its URL (updated), remembers it.
  // Returns the match and fills `change`.
  Match check_and_insert(const FingerprintRecord& r, bool insert, Change* change = nullptr);

  // Takes back a check_and_insert (the transaction that held the page was
  // aborted): removes the entry it stored, if still there, and restores the
  // entry it replaced, if no other holds that id. Undo changes newest first.
  void undo(const Change& change);

  // Adds a record accepted elsewhere (another replica, a previous run) unless
  // that id is already present with the same content. Returns true if added.
  bool add(const FingerprintRecord& r);

  bool contains(uint64_t id) const;
  size_t size() const;          // live entries
  size_t memory_bytes() const;  // heap held by the index
  uint64_t evicted() const;

 private:
  struct Entry {
    uint64_t id;
    uint64_t simhash;
    uint32_t content;  // low 32 bits of the content hash; see same_content
    uint32_t minute;   // 0 = dead (removed, waiting for the ring to pass it)
    std::array<uint8_t, kMinHashes> sig;
    // Source position and first verdict (FingerprintRecord), in 16 bytes.
    uint32_t stream;
    uint32_t offset_lo;
    uint16_t offset_hi;  // offsets below 2^48
    uint16_t similarity_milli;
    uint8_t verdict;        // bit 7: updated; bits 0-6: distance (127: none)
    uint8_t superseded[3];  // > 0: replaced by the page this many offsets later in its stream
    bool live() const { return minute != 0; }
    int64_t offset() const { return static_cast<int64_t>(uint64_t{offset_hi} << 32 | offset_lo); }
    uint32_t superseded_by() const {
      return uint32_t{superseded[0]} | uint32_t{superseded[1]} << 8 | uint32_t{superseded[2]} << 16;
    }
    void set_superseded(uint32_t delta) {
      for (int i = 0; i < 3; ++i) superseded[i] = static_cast<uint8_t>(delta >> (8 * i));
    }
  };
  // One cache line: an entry read never straddles two.
  static_assert(sizeof(Entry) == 64);
  static FingerprintRecord record_of(const Entry& e);
  // `e` is a later page of the stream `r` comes from (see Redelivery above).
  static bool later(const Entry& e, const FingerprintRecord& r) {
    return r.stream != 0 && e.stream == r.stream && e.offset() > r.offset;
  }
  // `e` is the entry of the page `r` is.
  static bool self(const Entry& e, const FingerprintRecord& r) {
    return r.stream != 0 && e.stream == r.stream && e.offset() == r.offset;
  }
  // `e` takes part in checking `r`: not a later page of r's stream, and not
  // replaced, unless by a page of its stream later than r.
  static bool visible(const Entry& e, const FingerprintRecord& r) {
    if (later(e, r)) return false;
    const uint32_t by = e.superseded_by();
    return by == 0 || (r.stream != 0 && e.stream == r.stream && r.offset < e.offset() + by);
  }
  // The page of `r` replaces the entry at `pos` (an update of its URL): a
  // later page of the entry's own stream keeps it for the earlier pages of
  // that stream, which may be redone; otherwise it is removed. True if kept.
  bool replace_locked(uint32_t pos, const FingerprintRecord& r);
  static bool same_content(const Entry& e, const FingerprintRecord& r) {
    return e.content == static_cast<uint32_t>(r.content_lo) && e.simhash == r.simhash;
  }

  // A simhash bucket slot in 6 bytes: 24 more simhash bits as a pre-filter
  // (a random slot passes it with p = 1.4e-4), then the entry position (24
  // bits); the pre-filter is the low 3 bytes of one unaligned 4-byte load,
  // since the scan of a bucket reads it for every slot.
  struct SimSlot {
    uint8_t b[6];
    uint32_t rest() const { return load32(b) & 0xffffff; }
    uint32_t pos() const { return load32(b + 2) >> 8; }
    static SimSlot make(uint32_t pos, uint32_t rest24) {
      return {{static_cast<uint8_t>(rest24), static_cast<uint8_t>(rest24 >> 8), static_cast<uint8_t>(rest24 >> 16),
               static_cast<uint8_t>(pos), static_cast<uint8_t>(pos >> 8), static_cast<uint8_t>(pos >> 16)}};
    }
    static uint32_t load32(const uint8_t* p) {
      uint32_t v;
      std::memcpy(&v, p, sizeof v);
      return v;
    }
  };
  static_assert(std::endian::native == std::endian::little, "SimSlot's byte layout");
  static_assert(sizeof(SimSlot) == 6);

  static constexpr int kSimTables = 4;
  static constexpr int kKeyKinds = 1 + kBands;  // id, then one per band

  // `later_holds_id`: the id is held by a later page of r's stream.
  Match find_locked(const FingerprintRecord& r, uint32_t minute, bool& later_holds_id);
  void insert_locked(const FingerprintRecord& r, uint32_t minute);
  void remove_locked(uint32_t pos);   // keys go now, simhash slots at sim_release
  void sim_append(uint64_t simhash, uint32_t pos);
  void sim_release(uint32_t pos);     // the ring's head passes pos
  void evict_locked(uint32_t now_minute);
  uint32_t to_minute_locked(int64_t minute);
  bool expired(const Entry& e, uint32_t now) const;

  // Keys: the article id (kind 0) and each band (kinds 1..kBands), hashed
  // with their kind so equal values of two kinds do not meet.
  static uint64_t key_of(const Entry& e, int kind);
  static uint64_t key_of(const FingerprintRecord& r, int kind);
  static uint64_t key_hash(int kind, uint64_t key);
  template <class Fn>
  void key_find(int kind, uint64_t key, Fn&& fn) const;  // fn(pos) per live entry with that key
  // The hash of each key of `x` (an Entry or a FingerprintRecord), with its
  // key-table buckets requested from memory: every caller probes several
  // keys, and the misses overlap when requested together.
  template <class T>
  void key_hashes_prefetched(const T& x, uint64_t (&hashes)[kKeyKinds]) const;
  void keys_insert(const Entry& e, uint32_t pos);
  void keys_rebuild(size_t keys);

  static uint32_t sim_block(uint64_t simhash, int table) { return static_cast<uint32_t>(simhash >> (16 * table)) & 0xffff; }
  static uint32_t sim_rest(uint64_t simhash, int table) {
    // The 24 bits after the block, wrapping round.
    const uint64_t rot = std::rotr(simhash, 16 * table + 16);
    return static_cast<uint32_t>(rot) & 0xffffff;
  }

  const Options opt_;
  mutable std::mutex mu_;
  std::vector<Entry, HugePageAllocator<Entry>> ring_;  // grows to capacity, then reused oldest first
  size_t head_ = 0;          // oldest slot in use
  size_t used_ = 0;          // ring slots between head and tail, dead or alive
  size_t live_ = 0;
  uint32_t newest_minute_ = 0;
  uint64_t evicted_ = 0;

  KeyTable keys_;     // grows by doubling up to keys_max_
  size_t keys_max_;   // keys at full capacity

  // A simhash bucket: slots[head..] in insertion order (oldest first).
  struct SimBucket {
    std::vector<SimSlot> slots;
    uint32_t head = 0;
  };
  std::vector<SimBucket> sim_;  // kSimTables * 65536 buckets, or empty (max_distance < 0)

  struct Candidate {
    uint32_t pos;
    int kind;  // the key kind (band) that proposed it, kSimKind, or kVerified once checked
  };
  static constexpr int kSimKind = -1;
  static constexpr int kVerified = -2;
  std::vector<Candidate> candidates_;  // scratch of one query
};

}  // namespace newsd::dedup
