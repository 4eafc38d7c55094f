// Fault injection with librdkafka's mock cluster (no real broker, no label):
// - an article that cannot be delivered stops the daemon with a failure and
//   nothing past that page is committed, so a restart processes it again;
// - exactly_once: an abortable transaction error is aborted and redone in
//   process, every input once in the committed output;
// - at_least_once: the broker down for seconds, and offset commits failing,
//   lose nothing;
// - an article the broker refuses for good (invalid record) becomes a dead
//   letter and the partition flows on.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "daemon/config.h"
#include "daemon/daemon.h"
#include "tests/testing/mock_cluster.h"
#include "daemon/kafka/tool.h"
#include "stages/pipeline.h"
#include "tests/integration/kafka_fixture.h"

namespace newsd {
namespace {

using Clock = std::chrono::steady_clock;

Config mock_config(const std::string& bootstraps) {
  Config c;
  c.workers = 1;
  c.kafka.brokers = {bootstraps};
  c.kafka.input_topics = {"pages"};
  c.kafka.output_topic = "articles";
  c.kafka.dead_letter_topic = "dead";
  c.kafka.group_id = "fault-injection";
  c.kafka.statistics_interval = config::Duration(0);
  // The mock cluster may keep a closed member until its session expires.
  c.kafka.session_timeout = std::chrono::seconds(6);
  c.kafka.producer = {{"message.timeout.ms", "3000"}};
  c.shutdown.timeout = std::chrono::seconds(10);
  return c;
}

template <class Pred>
void run_until(Daemon& d, Pred done, std::chrono::milliseconds limit) {
  const auto end = Clock::now() + limit;
  while (!done() && Clock::now() < end) d.poll_once();
}

// A started Daemon with its own metrics and shared state (declared in
// destruction order: the daemon first).
struct Started {
  MetricsRegistry metrics;
  std::unique_ptr<SharedState> shared;
  std::unique_ptr<Daemon> daemon;
};

// Null after recording a failure.
std::unique_ptr<Started> start_daemon(const Config& config, Daemon::Options options) {
  auto run = std::make_unique<Started>();
  std::string error;
  run->shared = SharedState::create(config, run->metrics, error);
  EXPECT_TRUE(run->shared) << error;
  if (!run->shared) return nullptr;
  run->daemon = std::make_unique<Daemon>(config, *run->shared, options);
  const Status started = run->daemon->start();
  EXPECT_TRUE(started.is_ok()) << started.message();
  if (!started.is_ok()) return nullptr;
  return run;
}

// A fresh daemon after a fault that let nothing be committed: it consumes
// and produces every one of `pages` again and stops cleanly.
Daemon::Totals rerun_all(const Config& config, int pages) {
  auto run = start_daemon(config, {.workers = 1});
  if (!run) return {};
  Daemon& d = *run->daemon;
  run_until(d, [&] { return d.totals().produced >= static_cast<uint64_t>(pages) || d.failed(); },
            std::chrono::seconds(60));
  EXPECT_FALSE(d.failed()) << d.failure();
  EXPECT_EQ(d.shutdown(), 0);
  EXPECT_EQ(d.totals().consumed, static_cast<uint64_t>(pages)) << "nothing committed: every page is read again";
  EXPECT_EQ(d.totals().produced, static_cast<uint64_t>(pages));
  return d.totals();
}

// Publishes valid pages [from, to) round-robin over the input partitions,
// so page i is at partition i % partitions, offset i / partitions.
void publish_pages(const kafka::MockCluster& mock, int partitions, int from, int to) {
  std::string error;
  auto pub = kafka::Publisher::create(mock.bootstraps(), error);
  ASSERT_TRUE(pub) << error;
  for (int i = from; i < to; ++i)
    ASSERT_TRUE(pub->publish("pages", {}, testing::valid_page(i), {}, i % partitions).is_ok());
  ASSERT_TRUE(pub->flush(std::chrono::seconds(30)).is_ok());
}

// A mock cluster with pages (`partitions`), articles and dead (1 each) and
// `pages` valid pages in.
std::unique_ptr<kafka::MockCluster> mock_with_pages(int partitions, int pages) {
  std::string error;
  auto mock = kafka::MockCluster::create(1, error);
  EXPECT_TRUE(mock) << error;
  if (!mock) return nullptr;
  EXPECT_TRUE(mock->create_topic("pages", partitions).is_ok());
  EXPECT_TRUE(mock->create_topic("articles", 1).is_ok());
  EXPECT_TRUE(mock->create_topic("dead", 1).is_ok());
  publish_pages(*mock, partitions, 0, pages);
  return mock;
}

// Every input (partition, offset) of `pages` spread over `partitions` is
// among the sources; returns how many inputs are missing.
int missing_inputs(const testing::SourceCounts& sources, int partitions, int pages) {
  int missing = 0;
  for (int i = 0; i < pages; ++i)
    if (!sources.contains({i % partitions, i / partitions})) ++missing;
  return missing;
}

testing::ReadBack read_outputs(const kafka::MockCluster& mock, int pages, bool read_committed) {
  return testing::read_back(mock.bootstraps(), {"pages", "articles", "dead"}, static_cast<size_t>(pages),
                            read_committed, std::chrono::seconds(30), std::chrono::seconds(1));
}

TEST(MockClusterFaultInjection, UndeliverableArticleStopsTheDaemonAndCommitsNothingPastIt) {
  constexpr int kPages = 20;
  auto mock = mock_with_pages(1, kPages);
  ASSERT_TRUE(mock);
  const Config config = mock_config(mock->bootstraps());

  mock->deny_topic("articles", true);
  {
    auto run = start_daemon(config, {.workers = 1});
    ASSERT_TRUE(run);
    Daemon& d = *run->daemon;
    run_until(d, [&] { return d.failed(); }, std::chrono::seconds(60));
    EXPECT_TRUE(d.failed()) << "delivery to a denied topic must stop the daemon";
    EXPECT_EQ(d.shutdown(), 1);
    EXPECT_EQ(d.totals().produced, 0u);
    EXPECT_GT(run->metrics.value("newsd_delivery_failures_total"), 0);
  }

  mock->deny_topic("articles", false);
  rerun_all(config, kPages);
}

// The mock keeps no transaction markers (a read_committed reader would see
// aborted records too) and its TxnOffsetCommit stores nothing (a rewind
// would never find a committed offset), so this test covers what the mock
// can show truthfully: librdkafka's abortable error on the first
// transaction, before anything was committed or written. AddPartitionsToTxn
// fails (the output topic has one partition and no page is broken, so it is
// the transaction's only such request, sent with its first record): the
// daemon aborts, rewinds to where the assignment started, redoes the pages
// and keeps running. Aborts of transactions whose records reached the log,
// and the rewind to committed offsets, are tested against the real broker
// (tests/integration/run_delivery_test.cc, ExactlyOnceAbortsAreRedone).
TEST(MockClusterFaultInjection, ExactlyOnceAbortableTransactionErrorIsAbortedRewoundAndRedone) {
  constexpr int kPartitions = 2, kPages = 30;
  auto mock = mock_with_pages(kPartitions, kPages);
  ASSERT_TRUE(mock);
  Config config = mock_config(mock->bootstraps());
  config.kafka.delivery = "exactly_once";
  config.kafka.transactional_id = "fault-injection-eos";
  config.kafka.commit_interval = std::chrono::milliseconds(200);
  config.kafka.producer = {{"message.timeout.ms", "30000"}};

  mock->fail_next(kafka::MockCluster::Request::kAddPartitionsToTxn, 1);
  auto run = start_daemon(config, {.workers = 2});
  ASSERT_TRUE(run);
  Daemon& d = *run->daemon;
  const auto aborts = [&] { return run->metrics.value("newsd_transaction_aborts_total"); };
  run_until(d, [&] { return aborts() >= 1 || d.failed(); }, std::chrono::seconds(60));
  EXPECT_EQ(aborts(), 1) << d.failure();
  // The aborted transaction delivered nothing, so produced reaches kPages
  // exactly when every page has its output in a later transaction.
  run_until(d, [&] { return d.totals().produced >= kPages || d.failed(); }, std::chrono::seconds(60));
  run_until(d, [&] { return d.failed(); }, std::chrono::milliseconds(500));  // at least one more commit round
  EXPECT_FALSE(d.failed()) << "an abortable error must not stop the daemon: " << d.failure();
  EXPECT_EQ(d.shutdown(), 0);
  EXPECT_EQ(d.totals().produced, static_cast<uint64_t>(kPages));
  EXPECT_EQ(aborts(), 1);
  EXPECT_GT(d.totals().consumed, static_cast<uint64_t>(kPages)) << "pages of the aborted transaction are read again";

  const testing::ReadBack back = read_outputs(*mock, kPages, true);
  EXPECT_EQ(missing_inputs(back.sources, kPartitions, kPages), 0);
  EXPECT_EQ(back.sources.size(), static_cast<size_t>(kPages));
  EXPECT_EQ(back.duplicates(), 0);
  EXPECT_EQ(back.outputs.size() + back.dead.size(), static_cast<size_t>(kPages));
}

// The only broker is down for 4 s mid-stream (pages take 50 ms each, so the
// stream lasts ~3 s without the outage): the producer holds its records
// (message.timeout.ms is longer than the outage), the consumer reconnects,
// and every page ends up with an output; the daemon never stops.
TEST(MockClusterFaultInjection, BrokerDownForSecondsMidStreamLosesNothing) {
  constexpr int kPartitions = 2, kPages = 60;
  auto mock = mock_with_pages(kPartitions, kPages);
  ASSERT_TRUE(mock);
  Config config = mock_config(mock->bootstraps());
  config.kafka.producer = {{"message.timeout.ms", "60000"}};
  config.kafka.commit_interval = std::chrono::milliseconds(200);

  auto run = start_daemon(config, {.workers = 1, .page_delay = std::chrono::milliseconds(50)});
  ASSERT_TRUE(run);
  Daemon& d = *run->daemon;
  run_until(d, [&] { return d.totals().produced >= kPages / 4 || d.failed(); }, std::chrono::seconds(60));
  ASSERT_GE(d.totals().produced, static_cast<uint64_t>(kPages / 4)) << d.failure();
  ASSERT_LT(d.totals().produced, static_cast<uint64_t>(kPages)) << "too late: the outage must hit mid-stream";

  mock->set_broker_up(1, false);
  const uint64_t produced_at_outage = d.totals().produced;
  run_until(d, [&] { return d.failed(); }, std::chrono::seconds(4));
  const uint64_t produced_during_outage = d.totals().produced - produced_at_outage;
  mock->set_broker_up(1, true);

  run_until(d, [&] { return d.totals().produced >= kPages || d.failed(); }, std::chrono::seconds(90));
  // Pages read again after the reconnect count in produced too: on a busy
  // machine it reaches kPages before the last pages are done. Run until it
  // stops moving.
  for (uint64_t last = 0; last != d.totals().produced && !d.failed();) {
    last = d.totals().produced;
    run_until(d, [&] { return d.failed(); }, std::chrono::seconds(2));
  }
  EXPECT_FALSE(d.failed()) << d.failure();
  EXPECT_EQ(d.shutdown(), 0);
  // The outage was felt: librdkafka reported it, and at most what was
  // already in flight got through (a few records at most).
  EXPECT_GT(run->metrics.value("newsd_kafka_errors_total", {{"client", "consumer"}}), 0);
  EXPECT_LT(produced_during_outage, static_cast<uint64_t>(kPages / 2));

  const testing::ReadBack back = read_outputs(*mock, kPages, false);
  EXPECT_EQ(missing_inputs(back.sources, kPartitions, kPages), 0);
  std::printf("broker down 4 s: %zu records for %d inputs, %d duplicates\n", back.outputs.size() + back.dead.size(),
              kPages, back.duplicates());
}

// Every offset commit fails during a whole run (automatic ones and the final
// synchronous one): the failures are counted, the run goes on, and a
// restart redoes the uncommitted pages: duplicates, no loss. With commits
// working again, the second run's commits stick.
TEST(MockClusterFaultInjection, FailingOffsetCommitsAreCountedAndLoseNothing) {
  constexpr int kPartitions = 2, kPages = 40;
  auto mock = mock_with_pages(kPartitions, kPages);
  ASSERT_TRUE(mock);
  Config config = mock_config(mock->bootstraps());
  config.kafka.commit_interval = std::chrono::milliseconds(100);

  mock->fail_next(kafka::MockCluster::Request::kOffsetCommit, 100000);
  {
    auto run = start_daemon(config, {.workers = 1});
    ASSERT_TRUE(run);
    Daemon& d = *run->daemon;
    run_until(d, [&] { return d.totals().produced >= kPages || d.failed(); }, std::chrono::seconds(60));
    // Let a few automatic commits fail after the last page.
    run_until(d, [&] { return d.failed(); }, std::chrono::seconds(1));
    EXPECT_FALSE(d.failed()) << "failing commits must not stop the daemon: " << d.failure();
    EXPECT_EQ(d.shutdown(), 0);
    EXPECT_EQ(d.totals().produced, static_cast<uint64_t>(kPages));
    EXPECT_GE(d.totals().commit_failures, 2u) << "automatic and final commits fail";
    EXPECT_EQ(run->metrics.value("newsd_commit_failures_total"), static_cast<double>(d.totals().commit_failures));
  }

  mock->clear_failures(kafka::MockCluster::Request::kOffsetCommit);
  EXPECT_EQ(rerun_all(config, kPages).commit_failures, 0u);
  {
    auto run = start_daemon(config, {.workers = 1});
    ASSERT_TRUE(run);
    Daemon& d = *run->daemon;
    run_until(d, [&] { return d.assigned_partitions() == kPartitions || d.failed(); }, std::chrono::seconds(30));
    run_until(d, [&] { return d.failed(); }, std::chrono::seconds(2));
    EXPECT_EQ(d.shutdown(), 0);
    EXPECT_EQ(d.totals().consumed, 0u) << "the second run's commits must have stuck";
  }
  const testing::ReadBack back = read_outputs(*mock, kPages, false);
  EXPECT_EQ(missing_inputs(back.sources, kPartitions, kPages), 0);
  EXPECT_EQ(back.sources.size(), static_cast<size_t>(kPages));
  EXPECT_EQ(back.duplicates(), kPages) << "each page twice: once per run";
}

// The broker refuses the daemon's first produce request for good ("invalid
// record"): the articles in it become dead letters of stage output, reason
// rejected, and every other page is published; the daemon does not stop.
TEST(MockClusterFaultInjection, ArticleTheBrokerRefusesIsADeadLetterAndThePartitionFlows) {
  constexpr int kPages = 20;
  auto mock = mock_with_pages(1, kPages);
  ASSERT_TRUE(mock);
  const Config config = mock_config(mock->bootstraps());
  mock->fail_next(kafka::MockCluster::Request::kProduce, 1);
  auto run = start_daemon(config, {.workers = 1});
  ASSERT_TRUE(run);
  Daemon& d = *run->daemon;
  run_until(
      d, [&] { return d.totals().produced + d.totals().dead_letters >= kPages || d.failed(); },
      std::chrono::seconds(60));
  EXPECT_FALSE(d.failed()) << "one refused record must not stop the daemon: " << d.failure();
  EXPECT_EQ(d.shutdown(), 0);
  EXPECT_GE(d.totals().dead_letters, 1u);
  EXPECT_EQ(d.totals().produced + d.totals().dead_letters, static_cast<uint64_t>(kPages));
  EXPECT_EQ(run->metrics.value("newsd_dead_letters_total", {{"stage", "output"}, {"reason", "rejected"}}),
            static_cast<double>(d.totals().dead_letters));
  const testing::ReadBack back = read_outputs(*mock, kPages, false);
  EXPECT_EQ(missing_inputs(back.sources, 1, kPages), 0);
  for (const kafka::Record& r : back.dead) {
    EXPECT_EQ(r.header("newsd-stage"), "output");
    EXPECT_NE(r.header("newsd-error").find("refused"), std::string::npos) << r.header("newsd-error");
    EXPECT_FALSE(r.value.empty()) << "the page's payload";
  }
}

}  // namespace
}  // namespace newsd
