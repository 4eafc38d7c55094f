#include "daemon/http_server.h"

#include <httplib.h>

#include <chrono>

namespace newsd {

namespace {

constexpr const char* kPrometheusType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kTextType = "text/plain; charset=utf-8";
// Enough for a scraper and two probes at once; the endpoint is never busy.
constexpr size_t kServerThreads = 2;

}  // namespace

void register_build_info(MetricsRegistry& metrics) {
  metrics.gauge("newsd_build_info", "Always 1; the version label says which newsd is running",
                {{"version", NEWSD_VERSION}})
      .set(1);
}

HttpServer::HttpServer(const HttpConfig& config, MetricsRegistry& metrics, const Health& health)
    : config_(config), metrics_(metrics), health_(health), server_(std::make_unique<httplib::Server>()) {
  register_build_info(metrics_);
  server_->new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  // Probes and scrapes are tiny requests; a stalled client must not hold a thread long.
  server_->set_read_timeout(std::chrono::seconds(5));
  server_->set_write_timeout(std::chrono::seconds(5));
  server_->set_payload_max_length(64 * 1024);
  // httplib's default sets SO_REUSEPORT, which lets a second newsd on the same
  // host bind the same port and silently take half the scrapes and probes.
  // SO_REUSEADDR alone still allows a quick restart over TIME_WAIT sockets.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  install_routes();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::install_routes() {
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.render(), kPrometheusType);
  });
  server_->Get("/livez", [this](const httplib::Request&, httplib::Response& res) {
    const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(health_.since_progress());
    if (health_.live(config_.liveness_window)) {
      res.set_content(health_.draining() ? "ok, draining\n" : "ok\n", kTextType);
      return;
    }
    res.status = 503;
    if (health_.worker_stuck()) {
      const auto page = std::chrono::duration_cast<std::chrono::milliseconds>(health_.longest_page());
      res.set_content("a worker has been on one page for " + std::to_string(page.count()) +
                          "ms, past limits.max_page_ms and the liveness window\n",
                      kTextType);
      return;
    }
    res.set_content("poll loop stalled for " + std::to_string(since.count()) + "ms (window " +
                        std::to_string(config_.liveness_window.count()) + "ms)\n",
                    kTextType);
  });
  server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    if (!health_.ready()) res.status = 503;
    res.set_content(health_.readiness_reason() + "\n", kTextType);
  });
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("internal error\n", kTextType);
  });
}

bool HttpServer::start(std::string& error) {
  if (thread_.joinable()) {
    error = "http server already started";
    return false;
  }
  std::string host;
  int port = 0;
  if (!parse_listen_address(config_.listen, host, port)) {
    error = "http.listen: cannot parse '" + config_.listen + "' as HOST:PORT";
    return false;
  }
  if (port == 0) {
    port = server_->bind_to_any_port(host);
    if (port < 0) port = 0;
  } else if (!server_->bind_to_port(host, port)) {
    port = 0;
  }
  if (port == 0) {
    error = "http.listen: cannot bind " + config_.listen;
    return false;
  }
  port_ = port;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() only takes effect once the accept loop runs; waiting here
  // makes a stop() right after start() safe.
  for (int i = 0; i < 2000 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return true;
}

void HttpServer::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
  port_ = 0;
}

}  // namespace newsd
