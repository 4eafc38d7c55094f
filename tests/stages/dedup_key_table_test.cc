#include "stages/dedup/key_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include "stages/dedup/fingerprint.h"

namespace newsd::dedup {
namespace {

struct Key {
  uint32_t tag;
  uint64_t hash;
  uint32_t pos;
};

std::vector<uint32_t> found(const KeyTable& table, const Key& k) {
  std::vector<uint32_t> out;
  table.find(k.tag, k.hash, [&](uint32_t pos) { out.push_back(pos); });
  return out;
}

bool finds(const KeyTable& table, const Key& k) {
  const std::vector<uint32_t> got = found(table, k);
  return std::find(got.begin(), got.end(), k.pos) != got.end();
}

std::vector<Key> random_keys(size_t n, std::mt19937_64& rng) {
  std::vector<Key> keys;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t hash = fmix64(rng());
    keys.push_back({KeyTable::tag_of(static_cast<int>(i % 7), hash), hash, static_cast<uint32_t>(i)});
  }
  return keys;
}

TEST(DedupKeyTable, FillsToMaxLoadAndFindsEveryKey) {
  std::mt19937_64 rng(1);
  KeyTable table;
  table.reset(100'000);
  const std::vector<Key> keys = random_keys(table.max_keys(), rng);
  ASSERT_GE(keys.size(), 100'000u);
  for (const Key& k : keys) table.insert(k.tag, k.hash, k.pos);
  EXPECT_EQ(table.size(), keys.size());
  for (const Key& k : keys) ASSERT_TRUE(finds(table, k)) << k.pos;
  // Two buckets of 8 slots: a key's tag shows up in a handful of positions,
  // not in a scan of the table.
  size_t reported = 0;
  for (const Key& k : keys) reported += found(table, k).size();
  EXPECT_LT(static_cast<double>(reported) / static_cast<double>(keys.size()), 1.5);
}

TEST(DedupKeyTable, EraseRemovesOnlyThatKeyAndFreesItsSlot) {
  std::mt19937_64 rng(2);
  KeyTable table;
  table.reset(50'000);
  std::vector<Key> keys = random_keys(table.max_keys(), rng);
  for (const Key& k : keys) table.insert(k.tag, k.hash, k.pos);
  // Churn as a full index does: erase the oldest, insert a new key, many
  // times over; every live key stays findable, no erased key is reported.
  std::vector<Key> fresh = random_keys(keys.size() * 3, rng);
  size_t oldest = 0;
  for (Key& k : fresh) {
    const Key gone = keys[oldest];
    table.erase(gone.tag, gone.hash, gone.pos);
    EXPECT_FALSE(finds(table, gone));
    k.pos = gone.pos;  // positions are reused, as ring slots are
    k.hash ^= 1;       // ...by other keys
    table.insert(k.tag, k.hash, k.pos);
    keys[oldest] = k;
    oldest = (oldest + 1) % keys.size();
  }
  EXPECT_EQ(table.size(), keys.size());
  for (const Key& k : keys) ASSERT_TRUE(finds(table, k)) << k.pos;
}

TEST(DedupKeyTable, EqualKeysAreAllKept) {
  // Many entries can share a band value: every one must be reported.
  KeyTable table;
  table.reset(1000);
  const uint64_t hash = fmix64(42);
  const Key key{KeyTable::tag_of(3, hash), hash, 0};
  for (uint32_t pos = 0; pos < 40; ++pos) table.insert(key.tag, key.hash, pos);
  EXPECT_EQ(table.lost(), 0u);
  std::vector<uint32_t> got = found(table, key);
  std::sort(got.begin(), got.end());
  ASSERT_EQ(got.size(), 40u);
  for (uint32_t pos = 0; pos < 40; ++pos) EXPECT_EQ(got[pos], pos);
  for (uint32_t pos = 0; pos < 40; pos += 2) table.erase(key.tag, key.hash, pos);
  got = found(table, key);
  EXPECT_EQ(got.size(), 20u);
  for (uint32_t pos : got) EXPECT_EQ(pos % 2, 1u);
}

TEST(DedupKeyTable, AKeyTooCommonToPlaceIsCountedNotScannedForever) {
  KeyTable table;
  table.reset(1000);
  const uint64_t hash = fmix64(7);
  const uint32_t tag = KeyTable::tag_of(1, hash);
  for (uint32_t pos = 0; pos < 200; ++pos) table.insert(tag, hash, pos);
  // Two buckets (16 slots) and the bounded stash hold some; the rest are
  // counted as lost and every lookup stays short.
  size_t reported = 0;
  table.find(tag, hash, [&](uint32_t) { ++reported; });
  EXPECT_EQ(reported, table.size());
  EXPECT_EQ(table.size() + table.lost(), 200u);
  EXPECT_GT(table.lost(), 0u);
  EXPECT_LE(reported, 16u + 64u);
}

}  // namespace
}  // namespace newsd::dedup
