#include "daemon/summary.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "daemon/logging.h"

namespace newsd {

MetricSums sum_metrics(const std::string& text) {
  MetricSums sums;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    const size_t name_end = line.find_first_of("{ ");
    if (name_end == std::string_view::npos || name_end == 0) continue;
    // Label values may hold spaces and '}', so the value is after the last space.
    const size_t space = line.rfind(' ');
    if (space == std::string_view::npos || space + 1 >= line.size() || space < name_end) continue;
    const std::string value(line.substr(space + 1));
    char* parse_end = nullptr;
    const double v = std::strtod(value.c_str(), &parse_end);
    if (parse_end == value.c_str() || *parse_end != '\0') continue;
    sums[std::string(line.substr(0, name_end))] += v;
  }
  return sums;
}

namespace {

std::optional<double> get(const MetricSums& sums, const std::string& name) {
  if (auto it = sums.find(name); it != sums.end()) return it->second;
  return std::nullopt;
}

std::optional<double> delta(const MetricSums& before, const MetricSums& now, const std::string& name) {
  const std::optional<double> b = get(before, name);
  const std::optional<double> n = get(now, name);
  if (!n) return std::nullopt;
  return *n - b.value_or(0);
}

std::string number(const std::optional<double>& v, const char* format) {
  if (!v) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, format, *v);
  return buf;
}

}  // namespace

Summary summarize(const MetricSums& before, const MetricSums& now, double seconds, const SummaryMetrics& names) {
  Summary s;
  if (seconds <= 0) seconds = 1;
  if (auto d = delta(before, now, names.consumed)) s.consumed_per_second = *d / seconds;
  if (auto d = delta(before, now, names.produced)) s.produced_per_second = *d / seconds;
  s.lag = get(now, names.lag);
  s.in_flight = get(now, names.in_flight);
  // Labelled counters appear with their first event, so absent means zero.
  s.dead_letters_delta = delta(before, now, names.dead_letters).value_or(0);
  s.dead_letters_total = get(now, names.dead_letters).value_or(0);
  s.duplicates_delta = delta(before, now, names.duplicates).value_or(0);
  s.paused = get(now, names.paused);
  return s;
}

std::string Summary::line() const {
  return "summary: " + number(consumed_per_second, "%.1f") + " pages/s in, " + number(produced_per_second, "%.1f") +
         " pages/s out, lag " + number(lag, "%.0f") + ", in-flight " + number(in_flight, "%.0f") + ", dead letters " +
         number(dead_letters_delta, "%+.0f") + " (" + number(dead_letters_total, "%.0f") + " total), duplicates " +
         number(duplicates_delta, "%+.0f") + ", paused partitions " + number(paused, "%.0f");
}

SummaryReporter::SummaryReporter(const MetricsRegistry& metrics, std::chrono::milliseconds interval, bool fields,
                                 SummaryMetrics names, Clock::time_point start)
    : metrics_(metrics), interval_(interval), fields_(fields), names_(std::move(names)), last_(start) {
  if (interval_.count() > 0) last_sums_ = sum_metrics(metrics_.render());
}

std::optional<Summary> SummaryReporter::poll(Clock::time_point now, bool log) {
  if (interval_.count() <= 0 || now - last_ < interval_) return std::nullopt;
  MetricSums sums = sum_metrics(metrics_.render());
  const double seconds = std::chrono::duration<double>(now - last_).count();
  Summary s = summarize(last_sums_, sums, seconds, names_);
  last_ = now;
  last_sums_ = std::move(sums);
  if (log) {
    std::vector<LogField> fields;
    const auto add = [&](const char* key, const std::optional<double>& v) {
      if (v && fields_) fields.emplace_back(key, *v);
    };
    add("pages_in_per_second", s.consumed_per_second);
    add("pages_out_per_second", s.produced_per_second);
    add("consumer_lag", s.lag);
    add("in_flight", s.in_flight);
    add("dead_letters", s.dead_letters_delta);
    add("dead_letters_total", s.dead_letters_total);
    add("duplicates", s.duplicates_delta);
    add("paused_partitions", s.paused);
    log_event(spdlog::level::info, s.line(), fields);
  }
  return s;
}

}  // namespace newsd
