#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "stages/dedup/dedup_stage.h"
#include "stages/metrics.h"
#include "tests/testing/seed_article.h"

namespace newsd {
namespace {

Article seed_article(const std::string& name, uint64_t sequence) {
  Article a = testing::seed_article(name);
  a.sequence = sequence;
  return a;
}

struct Fixture {
  explicit Fixture(DedupConfig c = {}) : config(c), state(config, metrics), stage(config, state) {}
  DedupConfig config;
  MetricsRegistry metrics;
  dedup::DedupState state;
  DedupStage stage;
};

TEST(DedupStage, SeedPagesSyndicatedCopyIsNearDuplicateOthersAreNot) {
  Fixture f;
  Article seed = seed_article("hindi-seed", 0);
  ASSERT_TRUE(f.stage.process(seed).is_ok());
  ASSERT_TRUE(seed.dedup);
  EXPECT_EQ(dedup_status_name(seed.dedup->status), "unique");
  EXPECT_EQ(seed.dedup->cluster_id, seed.id);
  EXPECT_EQ(seed.dedup->simhash.size(), 16u);
  EXPECT_EQ(seed.dedup->content_hash.size(), 32u);
  EXPECT_FALSE(seed.dedup->distance);

  Article other = seed_article("hindi-other", 1);
  ASSERT_TRUE(f.stage.process(other).is_ok());
  EXPECT_EQ(dedup_status_name(other.dedup->status), "unique");

  Article english = seed_article("english-syndicated", 2);
  ASSERT_TRUE(f.stage.process(english).is_ok());
  EXPECT_EQ(dedup_status_name(english.dedup->status), "unique");

  Article syndicated = seed_article("hindi-seed-syndicated", 3);
  ASSERT_NE(syndicated.id, seed.id);
  ASSERT_TRUE(f.stage.process(syndicated).is_ok());
  EXPECT_EQ(dedup_status_name(syndicated.dedup->status), "near_duplicate");
  EXPECT_EQ(syndicated.dedup->duplicate_of, seed.id);
  EXPECT_EQ(syndicated.dedup->cluster_id, seed.id);
  ASSERT_TRUE(syndicated.dedup->similarity);
  EXPECT_GE(*syndicated.dedup->similarity, 0.5);

  // Same URL, same text: a re-crawl.
  Article nodate = seed_article("hindi-seed-nodate", 4);
  ASSERT_TRUE(f.stage.process(nodate).is_ok());
  EXPECT_EQ(dedup_status_name(nodate.dedup->status), "same_url");
  EXPECT_EQ(nodate.dedup->duplicate_of, seed.id);

  EXPECT_EQ(f.metrics.value("newsd_dedup_verdicts_total", {{"status", "unique"}}), 3);
  EXPECT_EQ(f.metrics.value("newsd_dedup_verdicts_total", {{"status", "near_duplicate"}}), 1);
  EXPECT_EQ(f.metrics.value("newsd_dedup_verdicts_total", {{"status", "same_url"}}), 1);
  EXPECT_EQ(f.metrics.value("newsd_duplicates_total", {{"verdict", "near_duplicate"}}), 1);
  EXPECT_EQ(f.metrics.value("newsd_duplicates_total", {{"verdict", "same_url"}}), 1);
  EXPECT_EQ(f.metrics.value("newsd_duplicates_total", {{"verdict", "unique"}}), -1);  // never registered
}

TEST(DedupStage, ExactCopyUnderAnotherUrlAndUpdatedPage) {
  Fixture f;
  Article a = seed_article("hindi-other", 0);
  ASSERT_TRUE(f.stage.process(a).is_ok());
  Article copy = a;
  copy.url = "https://elsewhere.example/copy";
  copy.id = article_id(copy.url);
  copy.dedup.reset();
  ASSERT_TRUE(f.stage.process(copy).is_ok());
  EXPECT_EQ(dedup_status_name(copy.dedup->status), "exact_duplicate");
  EXPECT_EQ(copy.dedup->duplicate_of, a.id);
  EXPECT_EQ(copy.dedup->distance, 0);
  EXPECT_EQ(copy.dedup->content_hash, a.dedup->content_hash);

  Article updated = seed_article("hindi-seed", 2);
  updated.url = a.url;
  updated.id = a.id;
  ASSERT_TRUE(f.stage.process(updated).is_ok());
  EXPECT_EQ(dedup_status_name(updated.dedup->status), "updated");
  EXPECT_EQ(updated.dedup->duplicate_of, a.id);
}

TEST(DedupStage, TooShortTextIsMarkedAndNotIndexed) {
  Fixture f;
  Article a;
  a.url = "https://x.example/short";
  a.id = article_id(a.url);
  a.text = "विदेश मंत्री ने बातचीत की।";
  ASSERT_TRUE(f.stage.process(a).is_ok());
  EXPECT_EQ(dedup_status_name(a.dedup->status), "too_short");
  EXPECT_FALSE(a.dedup->duplicate_of.size());
  EXPECT_EQ(f.state.index().size(), 0u);
}

TEST(DedupStage, DropReturnsDroppedForCopiesOnly) {
  DedupConfig c;
  c.drop = true;
  Fixture f(c);
  Article seed = seed_article("hindi-seed", 0);
  ASSERT_TRUE(f.stage.process(seed).is_ok());
  Article syndicated = seed_article("hindi-seed-syndicated", 1);
  const Status s = f.stage.process(syndicated);
  EXPECT_EQ(s.code(), StatusCode::kDropped);
  EXPECT_NE(s.message().find("near_duplicate of " + seed.id), std::string::npos) << s.message();
  Article other = seed_article("hindi-other", 2);
  EXPECT_TRUE(f.stage.process(other).is_ok());
}

TEST(DedupStage, OrderedVerdictsFollowSequenceWhateverTheThreadTiming) {
  // Pairs (original, copy) spread over the input. Like the worker pool, four
  // threads take pages first-in first-out, but each spends a random time
  // before dedup (as extract would), so they reach dedup out of order; yet
  // the lower sequence is always the original.
  const std::vector<std::string> names = {"hindi-seed", "hindi-other", "english-syndicated"};
  for (int round = 0; round < 5; ++round) {
    DedupConfig c;
    c.ordered = true;
    Fixture f(c);
    std::vector<Article> pages;
    for (uint64_t s = 0; s < 12; ++s) {
      Article a = seed_article(names[s % 3], s);
      a.url += "?copy=" + std::to_string(s);
      a.id = article_id(a.url);
      pages.push_back(std::move(a));
    }
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        DedupStage stage(c, f.state);  // one per worker, as in the pipeline
        std::mt19937 rng(static_cast<unsigned>(round * 10 + t));
        for (size_t i = next++; i < pages.size(); i = next++) {
          // Later pages tend to be faster, so without the gate copies would win.
          std::this_thread::sleep_for(std::chrono::microseconds(rng() % 2000 + (pages.size() - i) * 300));
          ASSERT_TRUE(stage.process(pages[i]).is_ok());
        }
      });
    }
    for (auto& t : threads) t.join();
    for (size_t s = 0; s < pages.size(); ++s) {
      EXPECT_EQ(dedup_status_name(pages[s].dedup->status), s < 3 ? "unique" : "exact_duplicate")
          << "round " << round << " seq " << s;
      if (s >= 3) {
        EXPECT_EQ(pages[s].dedup->duplicate_of, pages[s % 3].id);
      }
    }
  }
}

TEST(DedupStage, RestartAndSecondReplicaThroughTheLog) {
  auto store = std::make_shared<dedup::MemoryFingerprintLog::Store>();
  Article seed = seed_article("hindi-seed", 0);
  {
    Fixture first;
    ASSERT_TRUE(first.state.attach_log(std::make_unique<dedup::MemoryFingerprintLog>(store)).is_ok());
    ASSERT_TRUE(first.stage.process(seed).is_ok());
  }  // "restart"
  Fixture second;
  ASSERT_TRUE(second.state.attach_log(std::make_unique<dedup::MemoryFingerprintLog>(store)).is_ok());
  Article syndicated = seed_article("hindi-seed-syndicated", 1);
  ASSERT_TRUE(second.stage.process(syndicated).is_ok());
  EXPECT_EQ(dedup_status_name(syndicated.dedup->status), "near_duplicate");
  EXPECT_EQ(syndicated.dedup->duplicate_of, seed.id);

  // A third replica running alongside sees what the second accepts.
  Fixture third;
  ASSERT_TRUE(third.state.attach_log(std::make_unique<dedup::MemoryFingerprintLog>(store)).is_ok());
  Article other = seed_article("hindi-other", 2);
  ASSERT_TRUE(second.stage.process(other).is_ok());
  for (int i = 0; i < 200 && !third.state.index().contains(dedup::id_value(other.id)); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  Article copy = other;
  copy.url = "https://mirror.example/other";
  copy.id = article_id(copy.url);
  ASSERT_TRUE(third.stage.process(copy).is_ok());
  EXPECT_EQ(dedup_status_name(copy.dedup->status), "exact_duplicate");
  EXPECT_EQ(copy.dedup->duplicate_of, other.id);
}

TEST(DedupStage, RecordWireFormatRoundTripsAndRejectsGarbage) {
  dedup::FingerprintRecord r;
  r.id = 0x0123456789abcdef;
  r.simhash = 42;
  r.content_hi = 7;
  r.content_lo = 9;
  r.minute = 27'000'000;
  r.minhash[3] = 200;
  dedup::FingerprintRecord back;
  ASSERT_TRUE(dedup::decode_record(dedup::encode_record(r), back));
  EXPECT_EQ(back.id, r.id);
  EXPECT_EQ(back.minute, r.minute);
  EXPECT_EQ(back.minhash, r.minhash);
  EXPECT_FALSE(dedup::decode_record("short", back));
}

TEST(DedupStage, ParsesTimesAndIds) {
  EXPECT_EQ(dedup::parse_minutes("1970-01-02T00:01:00Z"), 1441);
  EXPECT_EQ(dedup::parse_minutes("2022-01-11T10:00:00+05:30"), dedup::parse_minutes("2022-01-11T04:30:00Z"));
  EXPECT_EQ(dedup::parse_minutes("2022-01-11"), dedup::parse_minutes("2022-01-11T00:00Z"));
  EXPECT_EQ(dedup::parse_minutes("yesterday"), 0);
  EXPECT_EQ(dedup::id_value("00000000000000ff"), 255u);
  EXPECT_NE(dedup::id_value("not-hex"), 0u);
}

}  // namespace
}  // namespace newsd
