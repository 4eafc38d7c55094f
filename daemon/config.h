// Config: the root of newsd's configuration, one typed table per component.
//
// It sits at the top of the layering: the chain's tables come from
// ChainConfig (stages/chain_config.h), Kafka's from daemon/kafka/, the rest
// from the daemon. Every key is declared once, in its component's `visit`;
// see config/schema.h. `newsd check-config` and the README's reference are
// generated from here.
#pragma once

#include <string>
#include <vector>

#include "config/loader.h"
#include "config/schema.h"
#include "daemon/daemon_config.h"
#include "daemon/kafka/kafka_config.h"
#include "stages/chain_config.h"

namespace newsd {

struct LogConfig {
  std::string level = "info";
  std::string format = "text";
  config::Duration summary_interval = std::chrono::seconds(30);

  template <class V>
  void visit(V& v) {
    v.key("level", level, "Least severe level logged",
          config::one_of({"trace", "debug", "info", "warn", "error", "critical", "off"}));
    v.key("format", format, "Log line format: human-readable text or one JSON object per line",
          config::one_of({"text", "json"}));
    v.key("summary_interval", summary_interval,
          "How often `newsd run` logs a one-line summary (pages/s, lag, dead letters); 0s = never",
          config::duration_in_range(config::Duration(0), std::chrono::hours(24)));
  }
};

// Splits "HOST:PORT" ("[::1]:9464" for IPv6) into host and port 0..65535.
inline bool parse_listen_address(const std::string& text, std::string& host, int& port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size() || text.size() - colon > 6) return false;
  host = text.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return false;
  port = 0;
  for (size_t i = colon + 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    port = port * 10 + (text[i] - '0');
  }
  return port <= 65535;
}

inline std::string check_listen_address(const std::string& text) {
  std::string host;
  int port = 0;
  if (text.empty() || parse_listen_address(text, host, port)) return {};
  return "must be HOST:PORT (e.g. 127.0.0.1:9464, [::]:9464) or empty";
}

// The HTTP endpoint of `newsd run`: /metrics, /livez, /readyz (daemon/http_server.h).
struct HttpConfig {
  std::string listen = "127.0.0.1:9464";
  config::Duration liveness_window = std::chrono::seconds(30);

  template <class V>
  void visit(V& v) {
    v.key("listen", listen, "HOST:PORT the metrics and probe endpoint listens on; empty = no endpoint",
          check_listen_address);
    v.key("liveness_window", liveness_window,
          "/livez fails when the poll loop has not progressed for this long",
          config::duration_in_range(std::chrono::seconds(1), std::chrono::hours(1)));
  }
};

struct Config : ChainConfig {
  int workers = 0;
  LogConfig log;
  HttpConfig http;
  KafkaConfig kafka;
  QueueConfig queue;
  ShutdownConfig shutdown;

  template <class V>
  void visit(V& v) {
    v.key("workers", workers, "Worker threads running the stage chain; 0 = one per CPU core",
          config::in_range(0, 1024));
    v.table("limits", limits, "Limits on accepted pages");
    v.table("extract", extract, "Article extraction: main text and metadata");
    v.table("dedup", dedup, "Duplicate detection: exact and near copies, re-crawls, updates");
    v.table("tag", tag, "Entity tagging and linking: gazetteer, statistical tagger, rules");
    v.table("log", log, "Logging");
    v.table("http", http, "HTTP endpoint for metrics and health probes");
    v.table("kafka", kafka, "`newsd run`: Kafka input, output and dead-letter topics, consumer group, delivery mode");
    v.table("queue", queue, "`newsd run`: bounded queue between the consumer and the workers");
    v.table("shutdown", shutdown, "`newsd run`: graceful shutdown and partition revocation");
  }

  // Worker count with 0 resolved to the number of cores.
  int effective_workers() const;
};

// Loads a config file (path empty = defaults only), applying NEWSD_* environment
// overrides. Returns every error, each naming its key path.
std::vector<std::string> load_config(const std::string& path, Config& out,
                                     const config::EnvLookup& env = config::process_env());

// Same, from TOML text.
std::vector<std::string> load_config_text(const std::string& text, const std::string& source, Config& out,
                                          const config::EnvLookup& env = config::process_env());

}  // namespace newsd
