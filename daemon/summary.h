// Summary: the one-line status `newsd run` logs every log.summary_interval,
// computed from the metrics registry alone, so it always agrees with /metrics:
//
//   summary: 1520.3 pages/s in, 1498.7 pages/s out, lag 4210, in-flight 64,
//            dead letters +3 (12 total), duplicates +41, paused partitions 0
//
// It reads the rendered registry (collectors included, e.g. consumer lag from
// librdkafka statistics) and sums every series of a metric across labels.
//
// Thread-safety: SummaryReporter is used by one thread (the poll loop); the
// registry it reads is thread-safe. Lifetime: the registry outlives it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "stages/metrics.h"

namespace newsd {

// Sum of all samples of each metric name in Prometheus text ("a{x="1"} 2" and
// "a{x="2"} 3" give a -> 5). Comments and malformed lines are skipped.
using MetricSums = std::map<std::string, double>;
MetricSums sum_metrics(const std::string& prometheus_text);

// The metric names the summary reads. An absent gauge (lag before the first
// statistics) prints as "-"; an absent dead-letter or duplicate counter is 0,
// since those labelled series only appear with their first event.
struct SummaryMetrics {
  std::string consumed = "newsd_pages_consumed_total";
  std::string produced = "newsd_pages_produced_total";
  std::string lag = "newsd_consumer_lag";
  std::string in_flight = "newsd_pages_in_flight";
  std::string dead_letters = "newsd_dead_letters_total";
  std::string duplicates = "newsd_duplicates_total";
  std::string paused = "newsd_paused_partitions";
};

struct Summary {
  std::optional<double> consumed_per_second;
  std::optional<double> produced_per_second;
  std::optional<double> lag;
  std::optional<double> in_flight;
  std::optional<double> dead_letters_delta;
  std::optional<double> dead_letters_total;
  std::optional<double> duplicates_delta;
  std::optional<double> paused;

  std::string line() const;
};

// The summary between two snapshots taken `seconds` apart (> 0).
Summary summarize(const MetricSums& before, const MetricSums& now, double seconds,
                  const SummaryMetrics& names = SummaryMetrics());

class SummaryReporter {
 public:
  using Clock = std::chrono::steady_clock;

  // interval 0 = never report. `fields`: also log the figures as structured
  // fields (for log.format = json; in text they would repeat the line).
  SummaryReporter(const MetricsRegistry& metrics, std::chrono::milliseconds interval, bool fields = true,
                  SummaryMetrics names = SummaryMetrics(), Clock::time_point start = Clock::now());

  // Call from every poll-loop iteration: once `interval` has passed since the
  // last report, returns the summary (and logs it at info when `log` is true),
  // else nothing. Cheap when not due.
  std::optional<Summary> poll(Clock::time_point now = Clock::now(), bool log = true);

 private:
  const MetricsRegistry& metrics_;
  std::chrono::milliseconds interval_;
  bool fields_;
  SummaryMetrics names_;
  Clock::time_point last_;
  MetricSums last_sums_;
};

}  // namespace newsd
