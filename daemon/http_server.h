// HttpServer: the operations endpoint of `newsd run` on http.listen.
//
//   GET /metrics  Prometheus text format (MetricsRegistry::render()), 200
//   GET /livez    200 while the poll loop progressed within http.liveness_window
//                 and no worker has been on one page longer than
//                 limits.max_page_ms plus that window, or the daemon is
//                 draining; else 503 (the kubelet or systemd restarts the process)
//   GET /readyz   200 when partitions are assigned and the broker is connected,
//                 503 otherwise and while draining
//
// Bodies are one short plain-text line saying why, for humans with curl.
// Requests are served by a small thread pool of its own (2 threads), so a
// slow scraper never touches the poll loop or the workers.
//
// Thread-safety: start() and stop() from one owning thread; handlers only
// read the registry (which locks) and Health (atomics).
// Lifetimes: `metrics` and `health` must outlive the server; the destructor
// stops it.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "daemon/config.h"
#include "daemon/health.h"
#include "stages/metrics.h"

namespace httplib {
class Server;
}

namespace newsd {

// Registers newsd_build_info{version=...} 1 (idempotent). HttpServer does it
// too, so every scrape carries the version.
void register_build_info(MetricsRegistry& metrics);

class HttpServer {
 public:
  HttpServer(const HttpConfig& config, MetricsRegistry& metrics, const Health& health);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds http.listen and starts serving in a background thread. Port 0 binds
  // an ephemeral port (see port()). Returns false and sets `error` when the
  // address is malformed or cannot be bound; nothing is running then.
  [[nodiscard]] bool start(std::string& error);

  // Stops accepting, finishes in-flight requests, joins the thread. Idempotent.
  void stop();

  // The bound port after a successful start(), else 0.
  int port() const { return port_; }

 private:
  void install_routes();

  HttpConfig config_;
  MetricsRegistry& metrics_;
  const Health& health_;
  // thread_ runs server_->listen_after_bind(); the destructor's stop() joins
  // it, and server_ is declared first so it is destroyed last regardless.
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace newsd
