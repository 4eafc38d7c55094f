// `newsd run`: the Kafka daemon. Reads crawled pages from the input topics,
// publishes articles and dead letters, until SIGTERM/SIGINT.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include "daemon/config.h"
#include "daemon/cli.h"
#include "daemon/commands.h"
#include "daemon/daemon.h"
#include "daemon/health.h"
#include "daemon/http_server.h"
#include "daemon/dedup_state_attach.h"
#include "daemon/logging.h"
#include "daemon/signals.h"
#include "daemon/summary.h"
#include "daemon/systemd_notify.h"
#include "stages/pipeline.h"

namespace newsd {
namespace {

constexpr const char* kDescription =
    "Consumes crawled pages (crawler record JSON, or raw HTML with headers url, content-type,\n"
    "fetched-at) from kafka.input_topics, runs the stage chain, and publishes newsd.article.v1\n"
    "JSON to kafka.output_topic (key = article id) and failures to kafka.dead_letter_topic.\n"
    "Offsets are committed only for pages whose output the broker acknowledged.\n"
    "SIGTERM/SIGINT: graceful shutdown within shutdown.timeout (a second signal exits at once);\n"
    "SIGHUP: reload data files. Exit status: 0 clean shutdown, 1 failure, 2 usage or config error.";

}  // namespace

int run_command(const Args& args) {
  std::string config_path, workers_text, page_delay_text, abort_every_text;
  ArgParser parser("newsd run [--config FILE] [--workers N]", kDescription);
  parser.option("--config", config_path, "TOML config file (default: built-in defaults)");
  parser.option("--workers", workers_text, "worker threads (default: config `workers`)");
  parser.option("--test-page-delay", page_delay_text,
                "testing only: every page takes at least this long in its worker (e.g. 5ms, 8s)");
  parser.option("--test-abort-every", abort_every_text,
                "testing only (exactly_once): abort every Nth transaction instead of committing it");
  std::vector<std::string> positional;
  switch (parser.parse(args, positional)) {
    case ArgParser::Result::kHelp: return 0;
    case ArgParser::Result::kError: return 2;
    case ArgParser::Result::kOk: break;
  }
  if (!positional.empty()) {
    std::fprintf(stderr, "newsd run: unexpected argument '%s'\n%s", positional[0].c_str(), parser.help().c_str());
    return 2;
  }
  Config config;
  if (auto errors = load_config(config_path, config); !errors.empty()) {
    for (const auto& e : errors) std::fprintf(stderr, "config error: %s\n", e.c_str());
    return 2;
  }
  Daemon::Options options;
  options.workers = config.effective_workers();
  if (!workers_text.empty() && !parse_positive_int("--workers", workers_text, options.workers)) return 2;
  if (!page_delay_text.empty() && !config::parse_duration(page_delay_text, options.page_delay)) {
    std::fprintf(stderr, "newsd run: --test-page-delay must be a duration (250ms, 8s), got '%s'\n",
                 page_delay_text.c_str());
    return 2;
  }
  if (!abort_every_text.empty() && !parse_positive_int("--test-abort-every", abort_every_text, options.abort_every))
    return 2;

  std::string error;
  if (!configure_logging(config.log, error)) {
    std::fprintf(stderr, "newsd run: %s\n", error.c_str());
    return 2;
  }
  signals::install();

  MetricsRegistry metrics;
  std::unique_ptr<SharedState> shared = SharedState::create(config, metrics, error);
  if (!shared) {
    spdlog::critical("newsd run: {}", error);
    return 2;
  }
  // Operations side: probes and /metrics (bound before any broker
  // connection, so a taken port fails fast), systemd notification, summary.
  Health health;
  // A page still in a worker this long after its time limit was not stopped
  // by it (a non-cooperative loop): only a restart frees the worker.
  if (config.limits.max_page_ms > 0)
    health.set_page_stall_limit(std::chrono::milliseconds(config.limits.max_page_ms) + config.http.liveness_window);
  std::unique_ptr<HttpServer> http;
  if (!config.http.listen.empty()) {
    http = std::make_unique<HttpServer>(config.http, metrics, health);
    if (!http->start(error)) {
      spdlog::critical("newsd run: {}", error);
      return 2;
    }
    log_event(spdlog::level::info, "newsd run: serving /metrics /livez /readyz",
              {{"listen", config.http.listen}, {"port", http->port()}});
  }
  SystemdNotifier notifier;
  // Fingerprints shared with restarts and other replicas (dedup.state_topic):
  // replayed before the first page, so copies of earlier articles are found.
  if (!attach_dedup_state_log(config, *shared, error)) {
    spdlog::critical("newsd run: cannot start: {}", error);
    return 1;
  }
  auto daemon = std::make_unique<Daemon>(config, *shared, options);
  if (Status s = daemon->start(); !s.is_ok()) {
    spdlog::critical("newsd run: cannot start: {}", s.message());
    return 1;
  }
  notifier.ready("consuming");
  SummaryReporter summary(metrics, config.log.summary_interval, config.log.format == "json");

  // The poll loop. Hook points for the operations side: daemon->last_poll(),
  // assigned_partitions(), draining() and the registry in `metrics`.
  while (!signals::stop_requested() && !daemon->failed()) {
    if (signals::take_reload_request()) {
      if (Status s = shared->reload(config); s.is_ok()) spdlog::info("SIGHUP: data files reloaded");
      else spdlog::error("SIGHUP: reload failed, keeping the old data: {}", s.message());
    }
    daemon->poll_once();
    const auto now = std::chrono::steady_clock::now();
    health.mark_progress(daemon->last_poll());
    health.mark_longest_page(daemon->longest_page());
    health.set_assigned(daemon->assigned_partitions() > 0);
    // No broker-link state is exposed by the consumer; a fatal Kafka error is what marks it gone.
    health.set_connected(!daemon->failed());
    notifier.tick(now, health.live(config.http.liveness_window, now));
    if (std::optional<Summary> line = summary.poll(now)) notifier.status(line->line());
  }
  health.set_draining(true);
  notifier.stopping("draining");
  spdlog::info("newsd run: {}, shutting down", daemon->failed() ? "failure" : "stop requested");
  const int code = daemon->shutdown();
  const Daemon::Totals t = daemon->totals();
  spdlog::info("newsd run: exit {}: consumed={} produced={} dead_letters={} dropped={} rebalances={} "
               "commit_failures={}",
               code, t.consumed, t.produced, t.dead_letters, t.dropped, t.rebalances, t.commit_failures);
  spdlog::default_logger()->flush();
  // Workers still busy past the deadline cannot be joined in time.
  if (daemon->abandoned_workers()) std::_Exit(code);
  return code;
}

}  // namespace newsd
