// bench/kafka: end-to-end throughput of `newsd run` against the local broker,
// next to the same pages through the worker pool alone (what `newsd process`
// does), with consumer lag over time and peak RSS.
//
//   kafka_bench [--brokers HOST:PORT] [--pages N] [--workers W] [--page-kb KB]
//               [--queue-mb MB] [--buffer-pages N]
//
// Pages are generated article pages of about --page-kb each, published as
// crawler records to a fresh topic. The daemon runs in this process (the
// same Daemon class `newsd run` uses), so peak RSS is the daemon's, measured
// from a reset high-water mark after publishing. Prints figures; never fails
// on them.
#include <malloc.h>
#include <sys/resource.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "daemon/config.h"
#include "daemon/daemon.h"
#include "daemon/kafka/tool.h"
#include "daemon/worker_pool.h"
#include "stages/encode/json_writer.h"
#include "stages/pipeline.h"

namespace {

using Clock = std::chrono::steady_clock;
using newsd::Article;
using newsd::Config;

constexpr const char* kWords[] = {
    "council", "river",   "budget",  "minister", "harbour", "festival", "railway", "school",  "farmers", "weather",
    "market",  "station", "village", "court",    "bridge",  "museum",   "election", "hospital", "factory", "storm",
    "library", "airport", "mayor",   "teachers", "orchard", "ferry",    "highway", "tunnel",  "league",  "theatre",
    "vaccine", "harvest", "coast",   "parade",   "senate",  "clinic",   "reserve", "drought", "monsoon", "cabinet"};

// A crawler record holding an article page of about `kb` kilobytes.
std::string page(int i, int kb) {
  std::mt19937 rng(static_cast<uint32_t>(i) * 2654435761u + 1);
  std::uniform_int_distribution<size_t> pick(0, std::size(kWords) - 1);
  std::string html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Story " +
                     std::to_string(i) + "</title></head><body><nav><a href=\"/\">Home</a></nav><article><h1>Story " +
                     std::to_string(i) + "</h1>";
  while (html.size() < static_cast<size_t>(kb) * 1024) {
    html += "<p>The";
    for (int w = 0; w < 40; ++w) html += std::string(" ") + kWords[pick(rng)];
    html += " said officials on Tuesday.</p>\n";
  }
  html += "</article><footer>Copyright</footer></body></html>";
  std::string json;
  newsd::JsonWriter w(json);
  w.begin_object();
  w.key("url").string("https://bench.example/story/" + std::to_string(i));
  w.key("fetched_at").string("2026-11-26T10:00:00Z");
  w.key("html").string(html);
  w.end_object();
  return json;
}

// CPU seconds (user + system) this process has used, all threads.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
  return -1;
}

// Resets the peak-RSS mark so VmHWM measures only what follows.
void reset_peak_rss() {
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

double g_process_cpu = 0;  // CPU seconds of the worker-pool-only run

double process_pages_per_second(const Config& config, int pages, int kb, int workers) {
  newsd::MetricsRegistry metrics;
  std::string error;
  auto shared = newsd::SharedState::create(config, metrics, error);
  if (!shared) {
    std::fprintf(stderr, "kafka_bench: %s\n", error.c_str());
    std::exit(1);
  }
  std::atomic<int> done{0};
  newsd::WorkerPool pool(config, *shared, workers,
                         {static_cast<size_t>(workers) * 4, static_cast<size_t>(config.queue.max_bytes)},
                         [&](Article&&, newsd::PipelineOutcome) { done.fetch_add(1); });
  // Pages are made before the clock starts, as the daemon finds them
  // already published; above 512 MB they are made on the fly.
  const bool premade = static_cast<int64_t>(pages) * kb <= 512 * 1024;
  std::vector<std::string> made;
  for (int i = 0; premade && i < pages; ++i) made.push_back(page(i, kb));
  const auto start = Clock::now();
  const double cpu0 = cpu_seconds();
  for (int i = 0; i < pages; ++i) {
    Article a;
    a.input.payload = premade ? std::move(made[i]) : page(i, kb);
    a.sequence = static_cast<uint64_t>(i);
    pool.submit(std::move(a));
  }
  pool.close();
  g_process_cpu = cpu_seconds() - cpu0;
  return pages / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string brokers = std::getenv("NEWSD_TEST_BROKERS") ? std::getenv("NEWSD_TEST_BROKERS") : "127.0.0.1:19092";
  int pages = 5000, workers = 2, kb = 8;
  long max_bytes_mb = 256;
  int buffer_pages = Config{}.queue.buffer_pages;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--brokers") brokers = argv[i + 1];
    else if (a == "--pages") pages = std::atoi(argv[i + 1]);
    else if (a == "--workers") workers = std::atoi(argv[i + 1]);
    else if (a == "--page-kb") kb = std::atoi(argv[i + 1]);
    else if (a == "--queue-mb") max_bytes_mb = std::atol(argv[i + 1]);
    else if (a == "--buffer-pages") buffer_pages = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: kafka_bench [--brokers B] [--pages N] [--workers W] [--page-kb KB] [--queue-mb MB] [--buffer-pages N]\n");
      return 2;
    }
  }
  spdlog::set_default_logger(spdlog::stderr_color_mt("bench"));
  spdlog::set_level(spdlog::level::warn);

  Config config;
  config.workers = workers;
  config.limits.max_page_bytes = std::max<int64_t>(config.limits.max_page_bytes, int64_t{kb + 64} * 1024);
  config.queue.max_bytes = max_bytes_mb << 20;
  config.queue.buffer_pages = buffer_pages;
  config.kafka.brokers = {brokers};
  const std::string suffix = std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
  config.kafka.input_topics = {"bench-in-" + suffix};
  config.kafka.output_topic = "bench-out-" + suffix;
  config.kafka.dead_letter_topic = "bench-dead-" + suffix;
  config.kafka.group_id = "bench-" + suffix;
  config.kafka.statistics_interval = std::chrono::seconds(1);
  config.kafka.max_message_bytes = std::max<int64_t>(config.kafka.max_message_bytes, int64_t{kb + 1024} * 1024 * 2);

  std::printf("kafka_bench: %d pages of ~%d KB, %d workers, queue.max_bytes %ld MB, broker %s\n", pages, kb, workers,
              max_bytes_mb, brokers.c_str());
  reset_peak_rss();
  const double process_rate = process_pages_per_second(config, pages, kb, workers);
  std::printf("worker pool alone (newsd process path): %.1f pages/s, peak RSS %ld MB (all pages held in memory)\n",
              process_rate, status_kb("VmHWM:") / 1024);

  if (newsd::Status s = newsd::kafka::create_topics(
          brokers, {{config.kafka.input_topics[0], 4}, {config.kafka.output_topic, 4}, {config.kafka.dead_letter_topic, 1}});
      !s.is_ok()) {
    std::fprintf(stderr, "kafka_bench: %s (is the broker up? scripts/kafka start)\n", s.message().c_str());
    return 1;
  }
  {
    std::string error;
    auto pub = newsd::kafka::Publisher::create(brokers, error);
    if (!pub) return std::fprintf(stderr, "kafka_bench: %s\n", error.c_str()), 1;
    const auto start = Clock::now();
    for (int i = 0; i < pages; ++i) {
      if (newsd::Status s = pub->publish(config.kafka.input_topics[0], std::to_string(i), page(i, kb), {}); !s.is_ok())
        return std::fprintf(stderr, "kafka_bench: %s\n", s.message().c_str()), 1;
      if (i % 64 == 63 && kb >= 1024 && !pub->flush(std::chrono::seconds(60)).is_ok()) return 1;  // bound memory
    }
    if (newsd::Status s = pub->flush(std::chrono::seconds(120)); !s.is_ok())
      return std::fprintf(stderr, "kafka_bench: %s\n", s.message().c_str()), 1;
    std::printf("published %d pages in %.1fs\n", pages, std::chrono::duration<double>(Clock::now() - start).count());
  }

  reset_peak_rss();
  const long rss_before = status_kb("VmRSS:");
  newsd::MetricsRegistry metrics;
  std::string error;
  auto shared = newsd::SharedState::create(config, metrics, error);
  if (!shared) return std::fprintf(stderr, "kafka_bench: %s\n", error.c_str()), 1;
  newsd::Daemon daemon(config, *shared, {workers, std::chrono::milliseconds(0)});
  const auto start = Clock::now();
  const double cpu0 = cpu_seconds();
  if (newsd::Status s = daemon.start(); !s.is_ok()) return std::fprintf(stderr, "kafka_bench: %s\n", s.message().c_str()), 1;
  auto next_sample = start;
  std::printf("  t(s)  finished  backlog(published-finished)  consumer_lag(librdkafka)  paused  rss(MB)\n");
  uint64_t finished = 0;
  Clock::time_point first_record{}, at10{}, at90{};
  while (finished < static_cast<uint64_t>(pages) && Clock::now() - start < std::chrono::minutes(10) && !daemon.failed()) {
    daemon.poll_once();
    const auto t = daemon.totals();
    finished = t.produced + t.dead_letters + t.dropped;
    if (first_record == Clock::time_point{} && t.consumed > 0) first_record = Clock::now();
    if (at10 == Clock::time_point{} && finished >= static_cast<uint64_t>(pages) / 10) at10 = Clock::now();
    if (at90 == Clock::time_point{} && finished >= static_cast<uint64_t>(pages) * 9 / 10) at90 = Clock::now();
    if (Clock::now() >= next_sample) {
      next_sample += std::chrono::milliseconds(500);
      double lag = 0;
      const std::string text = metrics.render();
      for (size_t p = text.find("\nnewsd_consumer_lag{"); p != std::string::npos; p = text.find("\nnewsd_consumer_lag{", p + 1))
        lag += std::atof(text.c_str() + text.find(' ', text.find('}', p)) + 1);
      std::printf("  %5.1f  %8llu  %27llu  %24.0f  %6s  %7ld\n", std::chrono::duration<double>(Clock::now() - start).count(),
                  static_cast<unsigned long long>(finished), static_cast<unsigned long long>(pages - finished), lag,
                  daemon.paused() ? "yes" : "no", status_kb("VmRSS:") / 1024);
    }
  }
  const auto end = Clock::now();
  const double daemon_cpu = cpu_seconds() - cpu0;
  const auto t = daemon.totals();
  const int code = daemon.shutdown();
  const double e2e = finished / std::chrono::duration<double>(end - first_record).count();
  std::printf("end to end (first record consumed -> last output delivered): %.1f pages/s; %llu articles, %llu dead "
              "letters, shutdown exit %d\n",
              e2e, static_cast<unsigned long long>(t.produced), static_cast<unsigned long long>(t.dead_letters), code);
  const double steady = (pages * 0.8) / std::chrono::duration<double>(at90 - at10).count();
  std::printf("steady state (10%% -> 90%% of pages finished): %.1f pages/s\n", steady);
  std::printf("end-to-end / worker pool alone: %.0f%% overall, %.0f%% steady state (target >= 90%%)\n",
              100.0 * e2e / process_rate, 100.0 * steady / process_rate);
  // Wall-clock rates suffer from whatever else runs on the machine (the
  // broker's JVM included); CPU per page does not.
  std::printf("CPU per page: worker pool alone %.2f ms, newsd run %.2f ms (librdkafka threads included; the broker not)"
              " -> pages per CPU-second %.0f%% of the pool alone\n",
              1000.0 * g_process_cpu / pages, 1000.0 * daemon_cpu / pages, 100.0 * g_process_cpu / daemon_cpu);
  std::printf("peak RSS during newsd run: %ld MB (RSS before start %ld MB); queue.max_bytes %ld MB\n",
              status_kb("VmHWM:") / 1024, rss_before / 1024, max_bytes_mb);
  return 0;
}
