// `newsd run` in a consumer group against a real broker: two instances share
// the partitions and one takes over when the other stops; a stage slower than
// max.poll.interval.ms does not get the consumer kicked out.
#include <signal.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "tests/integration/kafka_fixture.h"

namespace newsd::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

size_t occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

bool wait_for_log(DaemonProcess& d, const std::string& needle, size_t times, milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (occurrences(d.log(), needle) >= times) return true;
    std::this_thread::sleep_for(milliseconds(100));
  }
  return false;
}

// 4) Two daemons in one group share the partitions; when one stops, the
// other takes over its partitions and nothing is lost. Run with the default
// eager assignor and with cooperative-sticky (incremental rebalances).
void two_daemons_share_and_one_takes_over(const std::string& assignor) {
  const std::string brokers = test_brokers();
  ASSERT_FALSE(brokers.empty());
  constexpr int kPages = 2000;
  const Topics t = make_topics(brokers, "group", 4);
  const std::string config = write_config(brokers, t, t.in + "-g", "assignor = \"" + assignor + "\"\n");
  DaemonProcess a(config, {"--test-page-delay", "5ms"});
  ASSERT_TRUE(wait_for_log(a, "kafka: assigned", 1, seconds(30))) << a.log();
  DaemonProcess b(config, {"--test-page-delay", "5ms"});
  // Both get a share: b its first assignment, a a revocation (eager: all,
  // cooperative: the partitions that move to b).
  ASSERT_TRUE(wait_for_log(b, "kafka: assigned", 1, seconds(30))) << b.log();
  ASSERT_TRUE(wait_for_log(a, "kafka: revoked", 1, seconds(30))) << a.log();

  publish_pages(brokers, t.in, kPages, 20);
  ASSERT_TRUE(wait_written(brokers, t, 500, seconds(60)));
  a.signal(SIGTERM);
  EXPECT_EQ(a.wait(seconds(20)), 0) << a.log();
  EXPECT_GT(exit_total(a.log(), "consumed"), 0) << "a had a share of the partitions";

  const ReadBack rb = read_back(brokers, t, kPages, false, seconds(90), seconds(3));
  b.signal(SIGTERM);
  EXPECT_EQ(b.wait(seconds(20)), 0) << b.log();
  EXPECT_EQ(rb.sources.size(), static_cast<size_t>(kPages)) << "every input offset seen";
  EXPECT_GE(exit_total(b.log(), "rebalances"), 2) << b.log();
  if (std::getenv("NEWSD_TEST_VERBOSE") != nullptr) std::printf("--- a:\n%s--- b:\n%s", a.log().c_str(), b.log().c_str());
  std::printf("%s: two daemons, one stopped mid-stream: %zu records for %d inputs, %d duplicates; a consumed %lld\n",
              assignor.c_str(), rb.outputs.size() + rb.dead.size(), kPages, rb.duplicates(),
              static_cast<long long>(exit_total(a.log(), "consumed")));
}

TEST(KafkaRunGroup, TwoDaemonsShareAndOneTakesOver) { two_daemons_share_and_one_takes_over("eager"); }

TEST(KafkaRunGroup, TwoDaemonsShareAndOneTakesOverCooperative) {
  two_daemons_share_and_one_takes_over("cooperative-sticky");
}

// 7) Pages that take longer than max.poll.interval.ms: the poll loop keeps
// polling while workers are busy, so the consumer stays in the group.
TEST(KafkaRunGroup, SlowStageDoesNotGetTheConsumerKickedOut) {
  const std::string brokers = test_brokers();
  ASSERT_FALSE(brokers.empty());
  constexpr int kPages = 4;
  const Topics t = make_topics(brokers, "slow", 2);
  publish_pages(brokers, t.in, kPages, 0);
  // librdkafka needs max.poll.interval >= session.timeout (6s in the fixture).
  DaemonProcess d(write_config(brokers, t, t.in + "-g", "max_poll_interval = \"7s\"\n"), {"--test-page-delay", "8s"});
  const ReadBack rb = read_back(brokers, t, kPages, false, seconds(60), seconds(1));
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(seconds(20)), 0) << d.log();
  EXPECT_EQ(rb.sources.size(), static_cast<size_t>(kPages));
  EXPECT_EQ(rb.duplicates(), 0);
  EXPECT_EQ(exit_total(d.log(), "rebalances"), 1) << d.log();
  EXPECT_EQ(d.log().find("MAX_POLL_EXCEEDED"), std::string::npos) << d.log();
  EXPECT_EQ(d.log().find("revoked"), d.log().rfind("revoked")) << "revoked only at shutdown:\n" << d.log();
}

}  // namespace
}  // namespace newsd::testing
