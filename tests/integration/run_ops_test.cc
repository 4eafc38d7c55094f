// `newsd run` as a service, against a real broker: the HTTP endpoint (/metrics,
// /livez, /readyz), the systemd notifications over NOTIFY_SOCKET (the test
// plays systemd), JSON logs and the summary line, and STOPPING on SIGTERM.
#include <signal.h>

#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>

#include <cstdlib>
#include <sstream>
#include <thread>

#include "tests/integration/kafka_fixture.h"
#include "tests/testing/fake_service_manager.h"

namespace newsd::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// Sets environment variables for the daemon child; restores on destruction.
class ScopedEnv {
 public:
  void set(const char* name, const std::string& value) {
    names_.push_back(name);
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    for (const char* n : names_) unsetenv(n);
  }

 private:
  std::vector<const char*> names_;
};

// The bound port from the daemon's JSON log line, or 0.
int logged_port(const std::string& log) {
  const size_t at = log.find("\"port\":");
  return at == std::string::npos ? 0 : std::atoi(log.c_str() + at + 7);
}

TEST(KafkaRunOps, MetricsProbesNotifyAndJsonLogs) {
  const std::string brokers = test_brokers();
  ASSERT_FALSE(brokers.empty());
  const Topics t = make_topics(brokers, "ops", 2);
  constexpr int kPages = 60;
  const int broken = publish_pages(brokers, t.in, kPages, 10);

  FakeServiceManager notify;
  ASSERT_TRUE(notify.bound());
  ScopedEnv env;
  env.set("NOTIFY_SOCKET", notify.path());
  env.set("WATCHDOG_USEC", "1000000");  // ping every 0.5 s
  env.set("NEWSD_HTTP__LISTEN", "127.0.0.1:0");
  env.set("NEWSD_LOG__FORMAT", "json");
  env.set("NEWSD_LOG__SUMMARY_INTERVAL", "1s");
  DaemonProcess daemon(write_config(brokers, t, t.in + "-g"));

  ASSERT_TRUE(notify.wait_for("READY=1", seconds(30))) << notify.received() << daemon.log();
  const int port = logged_port(daemon.log());
  ASSERT_GT(port, 0) << daemon.log();
  httplib::Client http("127.0.0.1", port);

  // Ready once the group assigned partitions.
  bool ready = false;
  for (auto deadline = Clock::now() + seconds(30); !ready && Clock::now() < deadline;) {
    auto res = http.Get("/readyz");
    ready = res && res->status == 200;
    if (!ready) std::this_thread::sleep_for(milliseconds(200));
  }
  EXPECT_TRUE(ready) << daemon.log();
  auto live = http.Get("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);

  ASSERT_TRUE(wait_written(brokers, t, kPages, seconds(60))) << daemon.log();
  EXPECT_TRUE(notify.wait_for("WATCHDOG=1", seconds(5))) << notify.received();
  EXPECT_TRUE(notify.wait_for("STATUS=summary: ", seconds(5))) << notify.received();

  // Lag comes from librdkafka statistics (kafka.statistics_interval = 1s here).
  const std::string lag_series = "newsd_consumer_lag{topic=\"" + t.in + "\",partition=\"0\"}";
  std::string m;
  for (auto deadline = Clock::now() + seconds(10); Clock::now() < deadline;) {
    auto metrics = http.Get("/metrics");
    ASSERT_TRUE(metrics);
    ASSERT_EQ(metrics->status, 200);
    m = metrics->body;
    if (m.find(lag_series) != std::string::npos) break;
    std::this_thread::sleep_for(milliseconds(250));
  }
  EXPECT_NE(m.find("newsd_pages_consumed_total " + std::to_string(kPages) + "\n"), std::string::npos) << m;
  EXPECT_NE(m.find("newsd_build_info{version=\""), std::string::npos) << m;
  EXPECT_NE(m.find("newsd_dead_letters_total{stage=\"decode\""), std::string::npos) << m;
  EXPECT_NE(m.find("newsd_stage_duration_seconds_bucket{stage=\"extract\",le=\"+Inf\"}"), std::string::npos) << m;
  EXPECT_NE(m.find(lag_series), std::string::npos) << m;
  EXPECT_NE(m.find("newsd_assigned_partitions 2\n"), std::string::npos) << m;

  daemon.signal(SIGTERM);
  EXPECT_TRUE(notify.wait_for("STOPPING=1", seconds(10))) << notify.received();
  EXPECT_EQ(daemon.wait(seconds(30)), 0) << daemon.log();

  // Every log line is one JSON object with timestamp, level and message; the
  // summary carries its figures as fields; no line per page at info.
  std::istringstream lines(daemon.log());
  std::string line;
  simdjson::dom::parser parser;
  int summaries = 0, total = 0;
  while (std::getline(lines, line)) {
    ++total;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
    std::string_view message;
    EXPECT_EQ(doc["timestamp"].get(message), simdjson::SUCCESS) << line;
    EXPECT_EQ(doc["level"].get(message), simdjson::SUCCESS) << line;
    ASSERT_EQ(doc["message"].get(message), simdjson::SUCCESS) << line;
    if (message.rfind("summary: ", 0) == 0) {
      ++summaries;
      double in_rate = -1;
      EXPECT_EQ(doc["pages_in_per_second"].get(in_rate), simdjson::SUCCESS) << line;
      EXPECT_GE(in_rate, 0) << line;
    }
  }
  EXPECT_GE(summaries, 1) << daemon.log();
  EXPECT_LT(total, kPages) << "more log lines than pages: something logs per page";
  EXPECT_EQ(exit_total(daemon.log(), "dead_letters"), broken) << daemon.log();
}

}  // namespace
}  // namespace newsd::testing
