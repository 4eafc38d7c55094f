// `newsd run` against a real broker, the two ways a new user lost or
// blocked pages with every stage on:
//   - exactly_once with the dedup state topic and dedup.drop: kill -9 while
//     the first transaction is open, restart. The aborted pages' fingerprints
//     must not survive the abort, or the redone pages are dropped as copies
//     of themselves (it was 10 articles for 180 inputs).
//   - an article larger than the output topic takes: a dead letter with the
//     reason, the partition flows on (it was exit 1, and a restarted daemon
//     stopped on the same page again: a crash loop).
#include <signal.h>

#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/kafka_fixture.h"

namespace newsd::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool wait_committed(const std::string& brokers, const std::string& group, const Topics& t, int partitions, int64_t n,
                    milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (kafka::group_committed(brokers, group, t.in, partitions) >= n) return true;
    std::this_thread::sleep_for(milliseconds(200));
  }
  return false;
}

TEST(KafkaRunRedelivery, ExactlyOnceKillNineInFirstTransactionKeepsEveryPage) {
  const std::string brokers = test_brokers();
  ASSERT_FALSE(brokers.empty());
  const Topics t = make_topics(brokers, "eos-state", 1);
  constexpr int kPages = 180;
  publish_pages(brokers, t.in, kPages, 0);
  const std::string group = t.in + "-g";
  auto config = [&](const char* commit_interval) {
    return write_config(brokers, t, group,
                        "delivery = \"exactly_once\"\ntransactional_id = \"" + t.in +
                            "-tx\"\ngroup_instance_id = \"eos-state\"\ncommit_interval = \"" + commit_interval + "\"\n",
                        "[dedup]\nstate_topic = \"" + t.in + "-state\"\ndrop = true\n");
  };
  {
    // The first transaction stays open for a minute: the kill lands in it.
    DaemonProcess first(config("60s"), {"--test-page-delay", "10ms"});
    // Half the pages are in the open transaction (end offsets would not
    // show them: they read up to the last stable offset).
    const ReadBack open = read_back(brokers, t, kPages / 2, false, seconds(60), milliseconds(0));
    ASSERT_GE(open.sources.size(), static_cast<size_t>(kPages / 2)) << first.log();
    first.signal(SIGKILL);
    EXPECT_EQ(first.wait(seconds(10)), 128 + SIGKILL);
  }
  DaemonProcess second(config("500ms"));
  EXPECT_TRUE(wait_committed(brokers, group, t, 1, kPages, seconds(90))) << second.log();
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait(seconds(30)), 0) << second.log();
  const ReadBack rb = read_back(brokers, t, kPages, true, seconds(30), seconds(1));
  EXPECT_EQ(rb.outputs.size(), static_cast<size_t>(kPages)) << "a read_committed reader sees every page\n"
                                                            << second.log();
  EXPECT_EQ(rb.duplicates(), 0);
  for (const kafka::Record& r : rb.outputs) {
    EXPECT_NE(r.value.find("\"status\":\"unique\""), std::string::npos) << r.value.substr(0, 300);
  }
  EXPECT_EQ(exit_total(second.log(), "dropped"), 0) << second.log();
}

class KafkaRunOversize : public ::testing::TestWithParam<const char*> {};

TEST_P(KafkaRunOversize, ArticleLargerThanTheOutputTopicIsADeadLetterAndThePartitionFlows) {
  const std::string brokers = test_brokers();
  ASSERT_FALSE(brokers.empty());
  const std::string delivery = GetParam();
  Topics t = make_topics(brokers, "oversize-" + delivery, 1);
  t.out += "-small";
  ASSERT_TRUE(kafka::create_topics(brokers, {{t.out, 1}}, 64 * 1024).is_ok());
  // Wait until the broker serves its metadata.
  for (int i = 0; i < 100 && kafka::topic_end_offsets(brokers, t.out) < 0; ++i)
    std::this_thread::sleep_for(milliseconds(100));
  std::string error;
  auto pub = kafka::Publisher::create(brokers, error);
  ASSERT_TRUE(pub) << error;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pub->publish(t.in, {}, valid_page(i), {}).is_ok());
  std::string text;
  for (int i = 0; text.size() < 100 * 1024; ++i) text += "<p>Paragraph " + std::to_string(i) + " of a long report.</p>";
  ASSERT_TRUE(pub->publish(t.in, {}, "<html><body><article><h1>Long</h1>" + text + "</article></body></html>",
                           {{"url", "https://long.example/report"}, {"content-type", "text/html"}})
                  .is_ok());
  for (int i = 5; i < 10; ++i) ASSERT_TRUE(pub->publish(t.in, {}, valid_page(i), {}).is_ok());
  ASSERT_TRUE(pub->flush(seconds(30)).is_ok());

  std::string extra = "delivery = \"" + delivery + "\"\n";
  if (delivery == "exactly_once") extra += "transactional_id = \"" + t.in + "-tx\"\ncommit_interval = \"200ms\"\n";
  DaemonProcess d(write_config(brokers, t, t.in + "-g", extra));
  EXPECT_TRUE(wait_committed(brokers, t.in + "-g", t, 1, 11, seconds(60))) << "the partition must flow on\n" << d.log();
  EXPECT_TRUE(d.running()) << "the daemon must not stop on one record the topic refuses\n" << d.log();
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(seconds(30)), 0) << d.log();
  const ReadBack rb = read_back(brokers, t, 11, delivery == "exactly_once", seconds(30), seconds(1));
  EXPECT_EQ(rb.sources.size(), 11u) << "every input accounted for\n" << d.log();
  EXPECT_EQ(rb.outputs.size(), 10u);
  ASSERT_EQ(rb.dead.size(), 1u);
  EXPECT_EQ(rb.dead[0].header("newsd-reason"), "too_large");
  EXPECT_EQ(rb.dead[0].header("newsd-source-offset"), "5");
  EXPECT_NE(rb.dead[0].header("newsd-error").find(t.out), std::string::npos) << rb.dead[0].header("newsd-error");
}

INSTANTIATE_TEST_SUITE_P(Delivery, KafkaRunOversize, ::testing::Values("at_least_once", "exactly_once"));

}  // namespace
}  // namespace newsd::testing
