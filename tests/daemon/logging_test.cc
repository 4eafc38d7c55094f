// Logging formats and the summary line.
#include "daemon/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <algorithm>
#include <sstream>

#include "daemon/summary.h"

namespace newsd {
namespace {

struct Captured {
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> logger;
  explicit Captured(const std::string& format, const std::string& level = "info") {
    LogConfig config;
    config.format = format;
    config.level = level;
    std::string error;
    logger = make_logger(config, std::make_shared<spdlog::sinks::ostream_sink_mt>(out), error);
    EXPECT_NE(logger, nullptr) << error;
  }
};

// "2026-11-26T15:53:15.123Z".length()
constexpr size_t kTimestampLength = 24;

TEST(Logging, JsonLineHasTimestampLevelMessageAndFields) {
  Captured c("json");
  log_event(spdlog::level::warn, "commit \"failed\"",
            {{"partition", 3}, {"topic", "pages"}, {"retry", true}, {"lag", 1.5}}, c.logger.get());
  const std::string line = c.out.str();
  ASSERT_EQ(line.rfind("{\"timestamp\":\"", 0), 0u) << line;
  const std::string ts = line.substr(14, kTimestampLength);
  EXPECT_EQ(ts[4], '-');
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts.back(), 'Z');
  EXPECT_EQ(line.substr(14 + kTimestampLength),
            "\",\"level\":\"warn\",\"message\":\"commit \\\"failed\\\"\",\"partition\":3,\"topic\":\"pages\","
            "\"retry\":true,\"lag\":1.5}\n");
}

TEST(Logging, JsonStaysValidForControlBytesAndBadUtf8) {
  Captured c("json");
  // Devanagari passes through; a lone 0xFF and a truncated sequence become U+FFFD.
  log_event(spdlog::level::info, "हिन्दी\t\x01\xff end \xe0\xa4", {}, c.logger.get());
  const std::string line = c.out.str();
  EXPECT_NE(line.find("\"message\":\"हिन्दी\\t\\u0001\\ufffd end \\ufffd\\ufffd\"}"), std::string::npos) << line;
}

TEST(Logging, PlainSpdlogCallsUseTheSameFormat) {
  Captured c("json");
  c.logger->info("plain {}", 7);
  EXPECT_NE(c.out.str().find("\"level\":\"info\",\"message\":\"plain 7\"}\n"), std::string::npos) << c.out.str();
}

TEST(Logging, TextLine) {
  Captured c("text");
  log_event(spdlog::level::err, "broker down", {{"broker", "k1:9092"}, {"reason", "connection refused"}},
            c.logger.get());
  const std::string line = c.out.str();
  EXPECT_EQ(line.substr(kTimestampLength), " error broker down broker=k1:9092 reason=\"connection refused\"\n");
}

TEST(Logging, LevelFilters) {
  Captured c("text", "warn");
  log_event(spdlog::level::info, "hidden", {{"k", 1}}, c.logger.get());
  EXPECT_EQ(c.out.str(), "");
  log_event(spdlog::level::warn, "shown", {}, c.logger.get());
  EXPECT_NE(c.out.str().find("warn shown"), std::string::npos);
}

TEST(Logging, UnknownLevelOrFormatIsAnError) {
  std::string error;
  LogConfig config;
  config.level = "loud";
  EXPECT_EQ(make_logger(config, std::make_shared<spdlog::sinks::ostream_sink_mt>(std::cerr), error), nullptr);
  EXPECT_EQ(error, "log.level: unknown level 'loud'");
  config.level = "info";
  config.format = "xml";
  EXPECT_EQ(make_logger(config, std::make_shared<spdlog::sinks::ostream_sink_mt>(std::cerr), error), nullptr);
  EXPECT_EQ(error, "log.format: unknown format 'xml'");
}

TEST(Logging, LibrdkafkaLevelsMapToSpdlog) {
  Captured c("json", "debug");
  log_librdkafka(3, "FAIL", "k1:9092/1: Connect to ipv4#127.0.0.1:9092 failed", "rdkafka#consumer-1", c.logger.get());
  log_librdkafka(4, "REQTMOUT", "timed out", "rdkafka#producer-2", c.logger.get());
  log_librdkafka(6, "CGRPOP", "joined", "rdkafka#consumer-1", c.logger.get());
  log_librdkafka(7, "FETCH", "fetch", "rdkafka#consumer-1", c.logger.get());
  log_librdkafka(0, "X", "emerg", "c", c.logger.get());
  std::istringstream lines(c.out.str());
  std::string line;
  std::vector<std::string> levels;
  while (std::getline(lines, line)) {
    const size_t at = line.find("\"level\":\"") + 9;
    levels.push_back(line.substr(at, line.find('"', at) - at));
    EXPECT_NE(line.find("\"component\":\"librdkafka\""), std::string::npos) << line;
  }
  EXPECT_EQ(levels, (std::vector<std::string>{"error", "warn", "info", "debug", "critical"}));
  EXPECT_NE(c.out.str().find("\"facility\":\"FAIL\",\"client\":\"rdkafka#consumer-1\""), std::string::npos);
}

TEST(Summary, SumsSeriesAcrossLabels) {
  const MetricSums sums = sum_metrics(
      "# HELP x help\n# TYPE x gauge\nx{p=\"0\"} 2\nx{p=\"1\",v=\"a b}\"} 3.5\ny 7\nbroken\nz{a=\"1\"} nan-ish\n");
  EXPECT_EQ(sums.at("x"), 5.5);
  EXPECT_EQ(sums.at("y"), 7);
  EXPECT_EQ(sums.count("broken"), 0u);
  EXPECT_EQ(sums.count("z"), 0u);
}

TEST(Summary, ReporterComputesRatesOverTheInterval) {
  MetricsRegistry metrics;
  Counter& consumed = metrics.counter("newsd_pages_consumed_total", "in");
  Counter& produced = metrics.counter("newsd_pages_produced_total", "out");
  Counter& dead = metrics.counter("newsd_dead_letters_total", "dl", {{"stage", "decode"}, {"reason", "binary"}});
  metrics.gauge("newsd_consumer_lag", "lag", {{"partition", "0"}}).set(100);
  metrics.gauge("newsd_consumer_lag", "lag", {{"partition", "1"}}).set(23);
  dead.inc(5);

  const auto t0 = SummaryReporter::Clock::now();
  SummaryReporter reporter(metrics, std::chrono::seconds(10), true, SummaryMetrics(), t0);
  consumed.inc(2000);
  produced.inc(1900);
  dead.inc(3);
  EXPECT_FALSE(reporter.poll(t0 + std::chrono::seconds(9), false));
  const std::optional<Summary> s = reporter.poll(t0 + std::chrono::seconds(10), false);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->line(),
            "summary: 200.0 pages/s in, 190.0 pages/s out, lag 123, in-flight -, dead letters +3 (8 total), "
            "duplicates +0, paused partitions -");
  // The next interval starts from the last report.
  consumed.inc(50);
  const std::optional<Summary> s2 = reporter.poll(t0 + std::chrono::seconds(20), false);
  ASSERT_TRUE(s2);
  EXPECT_DOUBLE_EQ(*s2->consumed_per_second, 5.0);
  EXPECT_DOUBLE_EQ(*s2->dead_letters_delta, 0.0);
}

TEST(Summary, ZeroIntervalNeverReports) {
  MetricsRegistry metrics;
  const auto t0 = SummaryReporter::Clock::now();
  SummaryReporter reporter(metrics, std::chrono::milliseconds(0), true, SummaryMetrics(), t0);
  EXPECT_FALSE(reporter.poll(t0 + std::chrono::hours(1), false));
}

}  // namespace
}  // namespace newsd

namespace newsd {
namespace {

TEST(Summary, LogsOneLineWithOnlyTheKnownFieldsAsJson) {
  Captured c("json");
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(c.logger);
  MetricsRegistry metrics;
  Counter& consumed = metrics.counter("newsd_pages_consumed_total", "in");
  const auto t0 = SummaryReporter::Clock::now();
  SummaryReporter reporter(metrics, std::chrono::seconds(5), true, SummaryMetrics(), t0);
  consumed.inc(10);
  ASSERT_TRUE(reporter.poll(t0 + std::chrono::seconds(5)));
  spdlog::set_default_logger(previous);
  const std::string line = c.out.str();
  EXPECT_NE(line.find("\"message\":\"summary: 2.0 pages/s in, - pages/s out"), std::string::npos) << line;
  EXPECT_NE(line.find("\"pages_in_per_second\":2,\"dead_letters\":0,\"dead_letters_total\":0,\"duplicates\":0}"),
            std::string::npos)
      << line;
  EXPECT_EQ(line.find("consumer_lag"), std::string::npos) << "absent gauges are left out: " << line;
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
}

TEST(Summary, TextLogsTheLineWithoutRepeatingItAsFields) {
  Captured c("text");
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(c.logger);
  MetricsRegistry metrics;
  metrics.counter("newsd_pages_consumed_total", "in").inc(3);
  const auto t0 = SummaryReporter::Clock::now();
  SummaryReporter reporter(metrics, std::chrono::seconds(1), false, SummaryMetrics(), t0);
  ASSERT_TRUE(reporter.poll(t0 + std::chrono::seconds(1)));
  spdlog::set_default_logger(previous);
  const std::string line = c.out.str();
  EXPECT_NE(line.find(" info summary: 0.0 pages/s in, "), std::string::npos) << line;
  EXPECT_EQ(line.find('='), std::string::npos) << line;
}

}  // namespace
}  // namespace newsd
