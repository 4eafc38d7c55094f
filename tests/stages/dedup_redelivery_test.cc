// Dedup under redelivery: a page processed again at the same input position
// (after a crash, an aborted transaction, a rebalance) gets the verdict of its
// first processing and is never a copy of itself; a new crawl of the same URL
// at another position is still same_url or updated. Also across a restart
// through the fingerprint log, and with the index changes of an aborted
// transaction rolled back.
#include <gtest/gtest.h>


#include "stages/dedup/dedup_stage.h"
#include "stages/metrics.h"
#include "tests/testing/seed_article.h"

namespace newsd {
namespace {

// A seed page read at `offset` of partition 0, under `url` if given.
Article page(const std::string& name, int64_t offset, const std::string& url = "") {
  Article a = testing::seed_article(name);
  if (!url.empty()) {
    a.url = url;
    a.id = article_id(url);
  }
  a.source.topic = "pages";
  a.source.partition = 0;
  a.source.offset = offset;
  return a;
}

struct Replica {
  explicit Replica(DedupConfig c = {}) : config(c), state(config, metrics), stage(config, state) {}
  // Processes a fresh copy of `a` and returns "status duplicate_of".
  std::string verdict(Article a) {
    a.dedup.reset();
    const Status s = stage.process(a);
    if (!s.is_ok() && s.code() != StatusCode::kDropped) return "error " + s.to_string();
    last = a;
    return std::string(dedup_status_name(a.dedup->status)) + " " + a.dedup->duplicate_of +
           (s.code() == StatusCode::kDropped ? " dropped" : "");
  }
  DedupConfig config;
  MetricsRegistry metrics;
  dedup::DedupState state;
  DedupStage stage;
  Article last;
};

TEST(DedupRedelivery, SamePositionGetsItsFirstVerdictOtherPositionsAreRecrawls) {
  for (bool drop : {false, true}) {
    DedupConfig c;
    c.drop = drop;
    Replica r(c);
    const Article original = page("hindi-seed", 5);
    const Article copy = page("hindi-seed", 6, "https://mirror.example/copy");
    const Article recrawl = page("hindi-seed", 9);
    const Article edited = page("hindi-other", 10, original.url);  // same URL, other text
    const std::string d = drop ? " dropped" : "";
    EXPECT_EQ(r.verdict(original), "unique ");
    EXPECT_EQ(r.verdict(copy), "exact_duplicate " + original.id + d);
    EXPECT_EQ(r.verdict(recrawl), "same_url " + original.id + d);

    // Again, as after a rewind to offset 5: the same verdicts.
    EXPECT_EQ(r.verdict(original), "unique ") << "drop " << drop;
    EXPECT_TRUE(r.last.dedup_record.empty()) << "nothing new to publish";
    EXPECT_EQ(r.verdict(copy), "exact_duplicate " + original.id + d);
    EXPECT_EQ(r.verdict(recrawl), "same_url " + original.id + d);
    EXPECT_EQ(r.metrics.value("newsd_dedup_redelivered_total"), 1);

    EXPECT_EQ(r.verdict(edited), "updated " + original.id);
    const DedupVerdict first_update = *r.last.dedup;
    EXPECT_EQ(r.verdict(edited), "updated " + original.id) << "its first verdict, though it replaced the original";
    EXPECT_EQ(r.last.dedup->distance, first_update.distance);
    EXPECT_EQ(r.last.dedup->similarity, first_update.similarity);
    // Everything again after the edit, as after a crash that redoes the
    // partition from offset 5: the edit at 10 replaced the original's entry,
    // yet the pages before it see the original as the first time (it is kept
    // for them), not the edit.
    EXPECT_EQ(r.verdict(original), "unique ");
    EXPECT_EQ(r.verdict(copy), "exact_duplicate " + original.id + d);
    EXPECT_EQ(r.verdict(recrawl), "same_url " + original.id + d);
    EXPECT_EQ(r.verdict(edited), "updated " + original.id);

    // A crawl of the same URL at a new offset is a re-crawl of the newest version.
    EXPECT_EQ(r.verdict(page("hindi-other", 11, original.url)), "same_url " + original.id + d);
  }
}

TEST(DedupRedelivery, RestartThroughTheLogGivesTheSameAnswer) {
  auto store = std::make_shared<dedup::MemoryFingerprintLog::Store>();
  const Article original = page("hindi-seed", 5);
  const Article syndicated = page("hindi-seed-syndicated", 7);
  {
    Replica first;
    ASSERT_TRUE(first.state.attach_log(std::make_unique<dedup::MemoryFingerprintLog>(store)).is_ok());
    EXPECT_EQ(first.verdict(original), "unique ");
    EXPECT_FALSE(first.last.dedup_record.empty());
    EXPECT_EQ(first.last.dedup_key, original.id);
    EXPECT_EQ(first.verdict(syndicated), "near_duplicate " + original.id);
  }  // crash before the offsets were committed: both pages come again
  Replica second;
  ASSERT_TRUE(second.state.attach_log(std::make_unique<dedup::MemoryFingerprintLog>(store)).is_ok());
  EXPECT_EQ(second.verdict(original), "unique ") << "not same_url of itself";
  EXPECT_EQ(second.verdict(syndicated), "near_duplicate " + original.id);
  EXPECT_EQ(second.verdict(page("hindi-seed", 8)), "same_url " + original.id) << "a later crawl";
}

TEST(DedupRedelivery, RollbackTakesBackTheAbortedTransactionsFingerprints) {
  Replica r;
  r.state.track_changes();
  const Article original = page("hindi-seed", 5);
  EXPECT_EQ(r.verdict(original), "unique ");
  r.state.commit_changes();  // its transaction committed

  const Article other = page("hindi-other", 6);
  const Article edited = page("english-syndicated", 7, original.url);
  EXPECT_EQ(r.verdict(other), "unique ");
  EXPECT_EQ(r.verdict(edited), "updated " + original.id);
  Article elsewhere = page("hindi-seed", 3, "https://mirror.example/x");
  elsewhere.source.partition = 1;
  EXPECT_EQ(r.verdict(elsewhere), "unique ") << "another stream does not see the replaced original";
  EXPECT_EQ(r.state.rollback_changes(), 3u);  // that transaction was aborted
  EXPECT_FALSE(r.state.index().contains(dedup::id_value(other.id)));
  EXPECT_TRUE(r.state.index().contains(dedup::id_value(original.id)));

  // Redone from offset 6: as the first time, and the committed page is itself.
  EXPECT_EQ(r.verdict(elsewhere), "exact_duplicate " + original.id) << "the original is current again";
  EXPECT_EQ(r.verdict(other), "unique ");
  EXPECT_FALSE(r.last.dedup_record.empty()) << "published again in the new transaction";
  EXPECT_EQ(r.verdict(edited), "updated " + original.id);
  EXPECT_EQ(r.verdict(original), "unique ");
}

TEST(DedupRedelivery, PagesWithoutAPositionAreUnchanged) {
  Replica r;
  Article a = page("hindi-seed", 5);
  a.source = {};  // newsd process
  EXPECT_EQ(r.verdict(a), "unique ");
  EXPECT_EQ(r.verdict(a), "same_url " + a.id);
}

TEST(DedupRedelivery, RecordCarriesPositionAndVerdict) {
  dedup::FingerprintRecord r;
  r.id = 1;
  r.stream = dedup::stream_of("pages", 3);
  r.offset = (int64_t{1} << 40) + 7;
  r.kind = dedup::MatchKind::kUpdated;
  r.distance = 12;
  r.similarity_milli = 640;
  dedup::FingerprintRecord back;
  ASSERT_TRUE(dedup::decode_record(dedup::encode_record(r), back));
  EXPECT_EQ(back.stream, r.stream);
  EXPECT_EQ(back.offset, r.offset);
  EXPECT_EQ(back.kind, r.kind);
  EXPECT_EQ(back.distance, 12);
  EXPECT_EQ(back.similarity_milli, 640);
  EXPECT_NE(dedup::stream_of("pages", 3), dedup::stream_of("pages", 4));
  // A version-2 record (before positions) still reads, at no position.
  std::string v2 = dedup::encode_record(r).substr(0, 65);
  v2[0] = 2;
  ASSERT_TRUE(dedup::decode_record(v2, back));
  EXPECT_EQ(back.stream, 0u);
  EXPECT_EQ(back.kind, dedup::MatchKind::kUnique);
}

}  // namespace
}  // namespace newsd
