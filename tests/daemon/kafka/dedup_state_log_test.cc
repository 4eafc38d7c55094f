// Real-broker tests of the dedup state log (ctest label `kafka`): a restart
// between an original and its copy, and two replicas sharing one topic.
// The broker comes from NEWSD_TEST_BROKERS; without it the tests fail (with
// CI=true always; otherwise a running scripts/kafka broker is used if any).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "daemon/dedup_state_attach.h"
#include "daemon/kafka/dedup_state_log.h"
#include "daemon/kafka/tool.h"
#include "stages/dedup/dedup_stage.h"
#include "tests/testing/seed_article.h"

namespace newsd {
namespace {

std::string brokers() {
  if (const char* env = std::getenv("NEWSD_TEST_BROKERS"); env && *env) return env;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") {
    ADD_FAILURE() << "NEWSD_TEST_BROKERS is not set and CI=true: the kafka tests need a broker (scripts/kafka start)";
    return "";
  }
  std::string out;
  if (FILE* p = popen((std::string(NEWSD_SOURCE_DIR) + "/scripts/kafka status 2>/dev/null").c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  // "running host:port (pid N)"
  if (out.rfind("running ", 0) == 0) return out.substr(8, out.find(' ', 8) - 8);
  ADD_FAILURE() << "no broker: set NEWSD_TEST_BROKERS or run scripts/kafka start";
  return "";
}

std::string fresh_topic(const std::string& what) {
  std::random_device rd;
  return "newsd-test-dedup-" + what + "-" + std::to_string(rd());
}

using testing::seed_article;

struct Replica {
  Replica(const std::string& brokers, const std::string& topic) : state(config, metrics), stage(config, state) {
    std::string error;
    auto log = kafka::DedupStateLog::open({brokers, topic, 4, {}, 5}, error);
    EXPECT_TRUE(log) << error;
    if (log) {
      raw_log = log.get();
      const Status s = state.attach_log(std::move(log));
      EXPECT_TRUE(s.is_ok()) << s.to_string();
    }
  }
  DedupConfig config;
  MetricsRegistry metrics;
  dedup::DedupState state;
  DedupStage stage;
  kafka::DedupStateLog* raw_log = nullptr;
};

TEST(DedupStateLogKafka, CopyAfterRestartIsDetected) {
  const std::string b = brokers();
  ASSERT_FALSE(b.empty());
  const std::string topic = fresh_topic("restart");
  Article seed = seed_article("hindi-seed");
  {
    Replica before(b, topic);
    ASSERT_TRUE(before.raw_log);
    ASSERT_TRUE(before.stage.process(seed).is_ok());
    ASSERT_EQ(dedup_status_name(seed.dedup->status), "unique");
  }  // the log flushes on destruction: a clean restart
  const auto start = std::chrono::steady_clock::now();
  Replica after(b, topic);
  ASSERT_TRUE(after.raw_log);
  const double rebuild_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(after.state.index().size(), 1u);
  Article copy = seed_article("hindi-seed-syndicated");
  ASSERT_TRUE(after.stage.process(copy).is_ok());
  EXPECT_EQ(dedup_status_name(copy.dedup->status), "near_duplicate");
  EXPECT_EQ(copy.dedup->duplicate_of, seed.id);
  std::printf("restart: index rebuilt from %s in %.0f ms\n", topic.c_str(), rebuild_ms);
  RecordProperty("rebuild_ms", static_cast<int>(rebuild_ms));
}

TEST(DedupStateLogKafka, SecondReplicaSeesTheFirstsArticles) {
  const std::string b = brokers();
  ASSERT_FALSE(b.empty());
  const std::string topic = fresh_topic("replicas");
  Replica one(b, topic);
  Replica two(b, topic);
  ASSERT_TRUE(one.raw_log && two.raw_log);

  std::vector<double> delays_ms;
  const std::vector<std::string> names = {"hindi-seed", "hindi-other", "english-syndicated"};
  for (const std::string& name : names) {
    Article original = seed_article(name);
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(one.stage.process(original).is_ok());
    ASSERT_EQ(dedup_status_name(original.dedup->status), "unique");
    const uint64_t id = dedup::id_value(original.id);
    while (!two.state.index().contains(id) && std::chrono::steady_clock::now() - start < std::chrono::seconds(30))
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_TRUE(two.state.index().contains(id)) << name << " did not reach replica two in 30 s";
    delays_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());

    Article copy = original;
    copy.url = "https://mirror.example/" + name;
    copy.id = article_id(copy.url);
    copy.dedup.reset();
    ASSERT_TRUE(two.stage.process(copy).is_ok());
    EXPECT_EQ(dedup_status_name(copy.dedup->status), "exact_duplicate") << name;
    EXPECT_EQ(copy.dedup->duplicate_of, original.id) << name;
  }
  Article syndicated = seed_article("hindi-seed-syndicated");
  ASSERT_TRUE(two.stage.process(syndicated).is_ok());
  EXPECT_EQ(dedup_status_name(syndicated.dedup->status), "near_duplicate");
  // Replica one's own appends come back to it and change nothing.
  EXPECT_EQ(one.state.index().size(), 3u);
  for (double d : delays_ms) std::printf("propagation replica one -> two: %.1f ms\n", d);
  RecordProperty("max_propagation_ms", static_cast<int>(*std::max_element(delays_ms.begin(), delays_ms.end())));
}

TEST(DedupStateLogKafka, AttachFromConfigAsNewsdRunDoes) {
  const std::string b = brokers();
  ASSERT_FALSE(b.empty());
  Config config;
  config.kafka.brokers = {b};
  config.dedup.state_topic = fresh_topic("config");
  MetricsRegistry metrics;
  std::string error;
  Article seed = seed_article("hindi-seed");
  {
    auto shared = SharedState::create(config, metrics, error);
    ASSERT_TRUE(shared) << error;
    ASSERT_TRUE(attach_dedup_state_log(config, *shared, error)) << error;
    DedupStage stage(config.dedup, *shared->dedup);
    ASSERT_TRUE(stage.process(seed).is_ok());
    EXPECT_EQ(dedup_status_name(seed.dedup->status), "unique");
    // newsd run publishes the accepted fingerprint itself, with the page's
    // output (exactly_once: in its transaction), not through the log.
    EXPECT_EQ(metrics.value("newsd_dedup_state_records_total", {{"direction", "appended"}}), 0);
    ASSERT_FALSE(seed.dedup_record.empty());
    auto pub = kafka::Publisher::create(b, error);
    ASSERT_TRUE(pub) << error;
    ASSERT_TRUE(pub->publish(config.dedup.state_topic, seed.dedup_key, seed.dedup_record, {}).is_ok());
    ASSERT_TRUE(pub->flush(std::chrono::seconds(10)).is_ok());
  }
  // The topic newsd created compacts per article and drops what is older
  // than the window (plus a day).
  EXPECT_EQ(kafka::topic_config(b, config.dedup.state_topic, "cleanup.policy", error), "compact,delete") << error;
  EXPECT_EQ(kafka::topic_config(b, config.dedup.state_topic, "retention.ms", error),
            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(config.dedup.window).count() +
                           24 * 3600 * 1000))
      << error;

  MetricsRegistry metrics2;
  auto shared = SharedState::create(config, metrics2, error);
  ASSERT_TRUE(shared) << error;
  ASSERT_TRUE(attach_dedup_state_log(config, *shared, error)) << error;
  EXPECT_EQ(metrics2.value("newsd_dedup_state_records_total", {{"direction", "applied"}}), 1);
  DedupStage stage(config.dedup, *shared->dedup);
  Article copy = seed_article("hindi-seed-syndicated");
  ASSERT_TRUE(stage.process(copy).is_ok());
  EXPECT_EQ(dedup_status_name(copy.dedup->status), "near_duplicate");

  // A broker that is not there: a clear error, not a hang or a crash.
  config.kafka.brokers = {"127.0.0.1:1"};
  config.kafka.consumer["socket.connection.setup.timeout.ms"] = "1000";
  auto offline = SharedState::create(config, metrics2, error);
  ASSERT_TRUE(offline) << error;
  error.clear();
  EXPECT_FALSE(attach_dedup_state_log(config, *offline, error));
  EXPECT_NE(error.find(config.dedup.state_topic), std::string::npos) << error;
}

}  // namespace
}  // namespace newsd
