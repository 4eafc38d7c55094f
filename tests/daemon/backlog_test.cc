// Backlog: pauses at its page or byte bound, resumes once drained to half.
#include "daemon/backlog.h"

#include <gtest/gtest.h>

#include <string>

namespace newsd {
namespace {

Article page(int64_t offset, size_t bytes = 1) {
  Article a;
  a.source.topic = "pages";
  a.source.partition = static_cast<int32_t>(offset % 2);
  a.source.offset = offset;
  a.input.payload.assign(bytes, 'x');
  return a;
}

TEST(Backlog, PausesAtThePageBoundAndResumesWhenDrainedToHalf) {
  Backlog backlog({/*max_pages=*/4, /*max_bytes=*/1000});
  for (int64_t i = 0; i < 3; ++i) {
    backlog.push(page(i));
    EXPECT_EQ(backlog.update(0), Backlog::Change::kNone);
  }
  backlog.push(page(3));
  EXPECT_TRUE(backlog.full(0));
  EXPECT_EQ(backlog.update(0), Backlog::Change::kPause);
  EXPECT_TRUE(backlog.paused());
  EXPECT_EQ(backlog.update(0), Backlog::Change::kNone);  // already paused
  backlog.pop_front();
  EXPECT_EQ(backlog.update(0), Backlog::Change::kNone);  // 3 > half of 4
  backlog.pop_front();
  EXPECT_EQ(backlog.update(0), Backlog::Change::kResume);
  EXPECT_FALSE(backlog.paused());
  EXPECT_EQ(backlog.front().source.offset, 2);
}

TEST(Backlog, CountsTheWorkerQueueBytesTowardsTheByteBound) {
  Backlog backlog({/*max_pages=*/100, /*max_bytes=*/100});
  backlog.push(page(0, 30));
  backlog.push(page(1, 30));
  EXPECT_EQ(backlog.bytes(), 60u);
  EXPECT_FALSE(backlog.full(0));
  EXPECT_EQ(backlog.update(40), Backlog::Change::kPause);  // 60 here + 40 in the pool
  EXPECT_EQ(backlog.update(0), Backlog::Change::kNone);    // 60 > half of 100
  backlog.pop_front();
  EXPECT_EQ(backlog.update(25), Backlog::Change::kNone);  // 30 + 25 > 50
  EXPECT_EQ(backlog.update(20), Backlog::Change::kResume);
}

TEST(Backlog, KeepsItsByteCountWhenTheFrontWasMovedAway) {
  Backlog backlog({100, 1000});
  backlog.push(page(0, 10));
  backlog.push(page(1, 20));
  Article taken = std::move(backlog.front());  // as the pool does on submit
  backlog.pop_front();
  EXPECT_EQ(taken.input.payload.size(), 10u);
  EXPECT_EQ(backlog.bytes(), 20u);
}

TEST(Backlog, EraseAndClearRecountBytes) {
  Backlog backlog({100, 1000});
  for (int64_t i = 0; i < 6; ++i) backlog.push(page(i, 10 + static_cast<size_t>(i)));
  backlog.erase_if([](const Article& a) { return a.source.partition == 1; });  // a revoked partition
  EXPECT_EQ(backlog.size(), 3u);
  EXPECT_EQ(backlog.bytes(), 10u + 12u + 14u);
  backlog.clear();
  EXPECT_TRUE(backlog.empty());
  EXPECT_EQ(backlog.bytes(), 0u);
}

}  // namespace
}  // namespace newsd
