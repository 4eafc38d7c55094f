// Fault injection with librdkafka's mock cluster (no real broker): when an
// article cannot be delivered, the daemon stops with a failure and commits
// nothing past that page, so a restart processes it again.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "config/config.h"
#include "daemon/daemon.h"
#include "daemon/kafka/mock_cluster.h"
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
void run_until(Daemon& d, Pred done, std::chrono::seconds limit) {
  const auto end = Clock::now() + limit;
  while (!done() && Clock::now() < end) d.poll_once();
}

TEST(MockClusterFaultInjection, UndeliverableArticleStopsTheDaemonAndCommitsNothingPastIt) {
  std::string error;
  auto mock = kafka::MockCluster::create(1, error);
  ASSERT_TRUE(mock) << error;
  for (const char* t : {"pages", "articles", "dead"}) ASSERT_TRUE(mock->create_topic(t, 1).is_ok());
  constexpr int kPages = 20;
  {
    auto pub = kafka::Publisher::create(mock->bootstraps(), error);
    ASSERT_TRUE(pub) << error;
    for (int i = 0; i < kPages; ++i) ASSERT_TRUE(pub->publish("pages", {}, testing::valid_page(i), {}).is_ok());
    ASSERT_TRUE(pub->flush(std::chrono::seconds(30)).is_ok());
  }
  const Config config = mock_config(mock->bootstraps());

  mock->deny_topic("articles", true);
  {
    MetricsRegistry metrics;
    auto shared = SharedState::create(config, metrics, error);
    ASSERT_TRUE(shared) << error;
    Daemon d(config, *shared, {1, std::chrono::milliseconds(0)});
    ASSERT_TRUE(d.start().is_ok());
    run_until(d, [&] { return d.failed(); }, std::chrono::seconds(60));
    EXPECT_TRUE(d.failed()) << "delivery to a denied topic must stop the daemon";
    EXPECT_EQ(d.shutdown(), 1);
    EXPECT_EQ(d.totals().produced, 0u);
    EXPECT_GT(metrics.value("newsd_delivery_failures_total"), 0);
  }

  mock->deny_topic("articles", false);
  {
    MetricsRegistry metrics;
    auto shared = SharedState::create(config, metrics, error);
    ASSERT_TRUE(shared) << error;
    Daemon d(config, *shared, {1, std::chrono::milliseconds(0)});
    ASSERT_TRUE(d.start().is_ok());
    run_until(d, [&] { return d.totals().produced >= kPages || d.failed(); }, std::chrono::seconds(60));
    EXPECT_FALSE(d.failed()) << d.failure();
    EXPECT_EQ(d.shutdown(), 0);
    // Nothing was committed by the failed run: every page is read again.
    EXPECT_EQ(d.totals().consumed, static_cast<uint64_t>(kPages));
    EXPECT_EQ(d.totals().produced, static_cast<uint64_t>(kPages));
  }
}

}  // namespace
}  // namespace newsd
