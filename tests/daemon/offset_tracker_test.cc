// OffsetTracker: only offsets below which every page is done may be committed.
#include "daemon/offset_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>

namespace newsd {
namespace {

const TopicPartition kP0{"pages", 0};
const TopicPartition kP1{"pages", 1};

int64_t committable(const OffsetTracker& t, const TopicPartition& tp) {
  for (const PartitionOffset& o : t.committable())
    if (o.tp == tp) return o.offset;
  return -1;
}

TEST(OffsetTracker, NothingCommittableUntilTheFirstPageIsDone) {
  OffsetTracker t;
  t.assign(kP0);
  ASSERT_TRUE(t.track(kP0, 10));
  ASSERT_TRUE(t.track(kP0, 11));
  EXPECT_EQ(committable(t, kP0), -1);
  t.ack(kP0, 11);  // out of order: 10 is still in a worker
  EXPECT_EQ(committable(t, kP0), -1);
  t.ack(kP0, 10);
  EXPECT_EQ(committable(t, kP0), 12);
  EXPECT_EQ(t.pending(), 0u);
}

TEST(OffsetTracker, GapsInOffsetsAreFine) {
  // Compacted topics and transaction markers leave holes in the offsets.
  OffsetTracker t;
  t.assign(kP0);
  for (int64_t o : {3, 7, 8, 20}) ASSERT_TRUE(t.track(kP0, o));
  t.ack(kP0, 3);
  EXPECT_EQ(committable(t, kP0), 4);
  t.ack(kP0, 8);
  EXPECT_EQ(committable(t, kP0), 4);
  t.ack(kP0, 7);
  EXPECT_EQ(committable(t, kP0), 9);
  t.ack(kP0, 20);
  EXPECT_EQ(committable(t, kP0), 21);
}

TEST(OffsetTracker, PartitionsAreIndependent) {
  OffsetTracker t;
  t.assign(kP0);
  t.assign(kP1);
  ASSERT_TRUE(t.track(kP0, 0));
  ASSERT_TRUE(t.track(kP1, 100));
  t.ack(kP1, 100);
  EXPECT_EQ(committable(t, kP0), -1);
  EXPECT_EQ(committable(t, kP1), 101);
  EXPECT_EQ(t.pending(), 1u);
}

TEST(OffsetTracker, UnassignedPartitionsAreRefusedAndLateAcksIgnored) {
  OffsetTracker t;
  EXPECT_FALSE(t.track(kP0, 1));
  t.assign(kP0);
  ASSERT_TRUE(t.track(kP0, 1));
  t.revoke(kP0);
  t.ack(kP0, 1);  // the delivery report of a page whose partition went away
  EXPECT_TRUE(t.committable().empty());
  t.assign(kP0);  // assigned again: starts afresh from the committed offset
  ASSERT_TRUE(t.track(kP0, 1));
  EXPECT_EQ(committable(t, kP0), -1);
}

TEST(OffsetTracker, UntrackLastUndoesARefusedDispatch) {
  OffsetTracker t;
  t.assign(kP0);
  ASSERT_TRUE(t.track(kP0, 5));
  ASSERT_TRUE(t.track(kP0, 6));
  t.untrack_last(kP0);
  t.ack(kP0, 5);
  EXPECT_EQ(committable(t, kP0), 6);
  EXPECT_EQ(t.pending(), 0u);
  t.ack(kP0, 6);  // never tracked now: ignored
  EXPECT_EQ(committable(t, kP0), 6);
}

TEST(OffsetTracker, AcksFromManyThreadsInAnyOrderEndAtTheLastOffset) {
  OffsetTracker t;
  t.assign(kP0);
  constexpr int kPages = 20000;
  std::vector<int64_t> offsets(kPages);
  for (int i = 0; i < kPages; ++i) {
    offsets[i] = i;
    ASSERT_TRUE(t.track(kP0, i));
  }
  std::shuffle(offsets.begin(), offsets.end(), std::mt19937(42));
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      for (int i = w; i < kPages; i += 4) {
        t.ack(kP0, offsets[i]);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(committable(t, kP0), kPages);
  EXPECT_EQ(t.pending(), 0u);
}

TEST(OffsetTracker, CommittableNeverPassesAnUnfinishedPage) {
  OffsetTracker t;
  t.assign(kP0);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(t.track(kP0, i));
  std::vector<int64_t> order(100);
  for (int i = 0; i < 100; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  std::vector<bool> done(100, false);
  for (int64_t o : order) {
    t.ack(kP0, o);
    done[o] = true;
    int64_t expect = 0;
    while (expect < 100 && done[expect]) ++expect;
    EXPECT_EQ(committable(t, kP0), expect == 0 ? -1 : expect);
  }
}

}  // namespace
}  // namespace newsd
