#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "stages/dedup/fingerprint_index.h"
#include "stages/dedup/sequence_gate.h"

namespace newsd::dedup {
namespace {

FingerprintRecord random_record(std::mt19937_64& rng, uint64_t id, int64_t minute = 1'000'000) {
  FingerprintRecord r;
  r.id = id;
  r.simhash = rng();
  r.content_hi = rng();
  r.content_lo = rng();
  r.minute = minute;
  for (auto& b : r.minhash) b = static_cast<uint8_t>(rng());
  return r;
}

// A copy under another id: the last `changed` signature bytes and `flips`
// simhash bits differ (so the first bands survive).
FingerprintRecord edited(const FingerprintRecord& r, uint64_t id, int changed, int flips, std::mt19937_64& rng) {
  FingerprintRecord c = r;
  c.id = id;
  c.content_lo = rng();
  for (int i = 0; i < changed; ++i) c.minhash[static_cast<size_t>(kMinHashes - 1 - i)] ^= 0x5a;
  for (int i = 0; i < flips; ++i) c.simhash ^= uint64_t{1} << (i * 17 % 64);
  return c;
}

// max_distance 3 is the default; -1 leaves out the simhash tables.
FingerprintIndex::Options options(int64_t capacity = 10'000, int max_distance = 3) {
  FingerprintIndex::Options o;
  o.capacity = capacity;
  o.max_distance = max_distance;
  return o;
}

TEST(DedupIndex, ExactCopyUnderAnotherIdPointsToTheFirst) {
  std::mt19937_64 rng(1);
  FingerprintIndex index(options());
  const FingerprintRecord a = random_record(rng, 100);
  EXPECT_EQ(index.check_and_insert(a, true).kind, MatchKind::kUnique);
  FingerprintRecord b = a;
  b.id = 200;
  const Match m = index.check_and_insert(b, true);
  EXPECT_EQ(m.kind, MatchKind::kExactDuplicate);
  EXPECT_EQ(m.duplicate_of, 100u);
  EXPECT_EQ(m.distance, 0);
  EXPECT_EQ(index.size(), 1u);  // copies are not remembered
  FingerprintRecord c = a;
  c.id = 300;
  EXPECT_EQ(index.check_and_insert(c, true).duplicate_of, 100u);
}

TEST(DedupIndex, SameUrlAndUpdated) {
  std::mt19937_64 rng(2);
  FingerprintIndex index(options());
  const FingerprintRecord a = random_record(rng, 7);
  ASSERT_EQ(index.check_and_insert(a, true).kind, MatchKind::kUnique);
  EXPECT_EQ(index.check_and_insert(a, true).kind, MatchKind::kSameUrl);
  FingerprintRecord changed = random_record(rng, 7);
  const Match m = index.check_and_insert(changed, true);
  EXPECT_EQ(m.kind, MatchKind::kUpdated);
  EXPECT_EQ(m.duplicate_of, 7u);
  EXPECT_EQ(index.size(), 1u);  // the new version replaced the old
  EXPECT_EQ(index.check_and_insert(changed, true).kind, MatchKind::kSameUrl);
  FingerprintRecord copy_of_old = a;
  copy_of_old.id = 8;
  EXPECT_EQ(index.check_and_insert(copy_of_old, false).kind, MatchKind::kUnique);
  // Only 32 content-hash bits are kept: same content also needs the same
  // simhash, so a new text whose low 32 bits collide is still an update.
  FingerprintRecord collides = changed;
  collides.content_hi ^= 1;
  collides.simhash ^= 1;
  EXPECT_EQ(index.check_and_insert(collides, false).kind, MatchKind::kUpdated);
}

TEST(DedupIndex, NearDuplicateFoundBySimhashOrBandsAndVerified) {
  for (const int max_distance : {-1, 3}) {
    SCOPED_TRACE(max_distance);
    std::mt19937_64 rng(3);
    FingerprintIndex index(options(10'000, max_distance));
    std::vector<FingerprintRecord> originals;
    for (uint64_t i = 1; i <= 500; ++i) {
      originals.push_back(random_record(rng, i));
      ASSERT_EQ(index.check_and_insert(originals.back(), true).kind, MatchKind::kUnique);
    }
    // Close simhash, most bands equal.
    Match m = index.check_and_insert(edited(originals[10], 1000, 4, 2, rng), false);
    EXPECT_EQ(m.kind, MatchKind::kNearDuplicate);
    EXPECT_EQ(m.duplicate_of, 11u);
    EXPECT_EQ(m.distance, 2);
    // MinHash 20 of 24 (0.833), simhash 2 bits (0.990): (2 * 0.833 + 0.990) / 3.
    EXPECT_NEAR(m.similarity, 0.885, 0.005);
    // Far simhash, but LSH bands survive and the signature agrees on two thirds.
    m = index.check_and_insert(edited(originals[20], 1001, 8, 20, rng), false);
    EXPECT_EQ(m.kind, MatchKind::kNearDuplicate);
    EXPECT_EQ(m.duplicate_of, 21u);
    // Simhash within 3 bits but signatures unrelated: rejected by verification.
    FingerprintRecord impostor = random_record(rng, 1002);
    impostor.simhash = originals[30].simhash ^ 0b101;
    EXPECT_EQ(index.check_and_insert(impostor, false).kind, MatchKind::kUnique);
    // Unrelated.
    EXPECT_EQ(index.check_and_insert(random_record(rng, 1003), false).kind, MatchKind::kUnique);
  }
}

TEST(DedupIndex, EveryHammingDistanceUpToThreeIsFound) {
  std::mt19937_64 rng(4);
  FingerprintIndex index(options(10'000, 3));
  const FingerprintRecord a = random_record(rng, 1);
  ASSERT_EQ(index.check_and_insert(a, true).kind, MatchKind::kUnique);
  for (int trial = 0; trial < 200; ++trial) {
    FingerprintRecord c = a;
    c.id = 2;
    c.content_lo = rng();
    // Different signature bands (no LSH help): only the simhash tables can find it.
    for (int band = 0; band < kBands; ++band) c.minhash[static_cast<size_t>(band) * kBandRows] ^= 1;
    const int flips = trial % 4;
    for (int f = 0; f < flips; ++f) c.simhash ^= uint64_t{1} << (rng() % 64);
    const Match m = index.check_and_insert(c, false);
    ASSERT_EQ(m.kind, MatchKind::kNearDuplicate) << "trial " << trial;
    EXPECT_LE(m.distance, 3);
  }
}

TEST(DedupIndex, CapacityEvictsOldestFirst) {
  std::mt19937_64 rng(5);
  FingerprintIndex index(options(1000));
  std::vector<FingerprintRecord> all;
  for (uint64_t i = 1; i <= 3000; ++i) {
    all.push_back(random_record(rng, i));
    ASSERT_EQ(index.check_and_insert(all.back(), true).kind, MatchKind::kUnique) << i;
  }
  EXPECT_EQ(index.size(), 1000u);
  EXPECT_EQ(index.evicted(), 2000u);
  EXPECT_FALSE(index.contains(1));
  EXPECT_FALSE(index.contains(2000));
  EXPECT_TRUE(index.contains(2001));
  EXPECT_TRUE(index.contains(3000));
  FingerprintRecord copy = all[2500];
  copy.id = 9999;
  EXPECT_EQ(index.check_and_insert(copy, false).kind, MatchKind::kExactDuplicate);
  copy = all[5];
  copy.id = 9999;
  EXPECT_EQ(index.check_and_insert(copy, false).kind, MatchKind::kUnique);
  // 1,000 entries and their keys, plus the fixed 4 x 65,536 simhash bucket
  // headers (8 MiB): nothing grows with the 2,000 evicted.
  EXPECT_LT(index.memory_bytes(), size_t{9} << 20);
}

TEST(DedupIndex, HeavyChurnKeepsEveryLiveEntryFindable) {
  // Eviction, updates and re-inserts delete from the middle of probe
  // clusters; every live entry must stay reachable through each of its keys.
  for (const int max_distance : {-1, 3}) {
    SCOPED_TRACE(max_distance);
    std::mt19937_64 rng(9);
    FingerprintIndex index(options(2000, max_distance));
    std::vector<FingerprintRecord> all;
    size_t bytes_at_10k = 0;
    for (uint64_t i = 1; i <= 20'000; ++i) {
      FingerprintRecord r = random_record(rng, i % 3 == 0 ? i - 1 : i);  // every third: an update of the previous id
      index.check_and_insert(r, true);
      all.push_back(r);
      if (i == 10'000) bytes_at_10k = index.memory_bytes();
    }
    EXPECT_LE(index.size(), 2000u);
    // Simhash slots of evicted and replaced entries leave with the ring's
    // head: 10,000 more inserts (240 KB of slots if none left) grow nothing.
    EXPECT_LE(index.memory_bytes(), bytes_at_10k + 16 * 1024);
    int checked = 0;
    for (size_t k = all.size() - 1500; k < all.size(); ++k) {
      if (k + 1 < all.size() && all[k + 1].id == all[k].id) continue;  // replaced by its update
      FingerprintRecord copy = all[k];
      copy.id = 1'000'000 + k;
      const Match m = index.check_and_insert(copy, false);
      ASSERT_EQ(m.kind, MatchKind::kExactDuplicate) << k;
      ASSERT_EQ(m.duplicate_of, all[k].id);
      ASSERT_TRUE(index.contains(all[k].id));
      // Found through the bands alone, too: simhash pushed far away.
      copy.simhash = ~copy.simhash;
      copy.content_lo ^= 1;
      ASSERT_EQ(index.check_and_insert(copy, false).kind, MatchKind::kNearDuplicate) << k;
      ++checked;
    }
    EXPECT_GT(checked, 900);
    EXPECT_FALSE(index.contains(1));
  }
}

TEST(DedupIndex, SimhashTablesAreOptionalAndCostMemory) {
  std::mt19937_64 rng(10);
  FingerprintIndex without(options(20'000, -1)), with(options(20'000, 3));
  for (uint64_t i = 1; i <= 20'000; ++i) {
    const FingerprintRecord r = random_record(rng, i);
    without.check_and_insert(r, true);
    with.check_and_insert(r, true);
  }
  // 4 tables of 65,536 bucket headers plus 4 six-byte slots per entry.
  EXPECT_GE(with.memory_bytes() - without.memory_bytes(), size_t{4} * 65'536 * 24 + size_t{20'000} * 4 * 6);
}

TEST(DedupIndex, TimeWindowForgetsOldArticles) {
  std::mt19937_64 rng(6);
  FingerprintIndex::Options o = options();
  o.window_minutes = 60;
  FingerprintIndex index(o);
  const FingerprintRecord old = random_record(rng, 1, 1'000'000);
  ASSERT_EQ(index.check_and_insert(old, true).kind, MatchKind::kUnique);
  FingerprintRecord copy = old;
  copy.id = 2;
  copy.minute = 1'000'030;
  EXPECT_EQ(index.check_and_insert(copy, false).kind, MatchKind::kExactDuplicate);
  copy.minute = 1'000'100;  // two window lengths later
  EXPECT_EQ(index.check_and_insert(copy, false).kind, MatchKind::kUnique);
  // A newer article pushes the old one out of memory altogether.
  ASSERT_EQ(index.check_and_insert(random_record(rng, 3, 1'000'200), true).kind, MatchKind::kUnique);
  EXPECT_FALSE(index.contains(1));
  EXPECT_EQ(index.size(), 1u);
}

TEST(DedupIndex, ConcurrentCopiesYieldExactlyOneUnique) {
  std::mt19937_64 rng(7);
  FingerprintIndex index(options());
  const FingerprintRecord a = random_record(rng, 0);
  std::atomic<int> unique{0}, exact{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        FingerprintRecord c = a;
        c.id = static_cast<uint64_t>(t * 1000 + i + 1);
        const Match m = index.check_and_insert(c, true);
        (m.kind == MatchKind::kUnique ? unique : exact)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(unique.load(), 1);
  EXPECT_EQ(exact.load(), 799);
}

TEST(DedupIndex, AddFromLogIsIdempotent) {
  std::mt19937_64 rng(8);
  FingerprintIndex index(options());
  const FingerprintRecord a = random_record(rng, 5);
  EXPECT_TRUE(index.add(a));
  EXPECT_FALSE(index.add(a));
  EXPECT_EQ(index.size(), 1u);
  FingerprintRecord copy = a;
  copy.id = 6;
  EXPECT_EQ(index.check_and_insert(copy, true).duplicate_of, 5u);
}

TEST(DedupSequenceGate, LetsSequencesThroughInOrder) {
  SequenceGate gate(0);
  std::vector<int> order;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int s = 9; s >= 0; --s) {
    threads.emplace_back([&, s] {
      if (s == 4) {
        gate.release(4);  // failed before dedup: skipped
        return;
      }
      ASSERT_TRUE(gate.wait_turn(static_cast<uint64_t>(s)));
      {
        std::lock_guard lock(mu);
        order.push_back(s);
      }
      gate.release(static_cast<uint64_t>(s));
      gate.release(static_cast<uint64_t>(s));  // repeated: no-op
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 5, 6, 7, 8, 9}));
  EXPECT_EQ(gate.next(), 10u);
}

TEST(DedupSequenceGate, GivesUpOnALostSequence) {
  SequenceGate gate(0, std::chrono::milliseconds(20));
  EXPECT_FALSE(gate.wait_turn(1));  // 0 never released
}

}  // namespace
}  // namespace newsd::dedup
