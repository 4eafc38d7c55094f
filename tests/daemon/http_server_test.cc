// HttpServer: /metrics, /livez and /readyz over a real socket on an ephemeral port.
#include "daemon/http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <optional>

namespace newsd {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { config_.listen = "127.0.0.1:0"; }

  void start() {
    server_ = std::make_unique<HttpServer>(config_, metrics_, health_);
    std::string error;
    ASSERT_TRUE(server_->start(error)) << error;
    ASSERT_GT(server_->port(), 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  httplib::Result get(const std::string& path) { return client_->Get(path.c_str()); }

  HttpConfig config_;
  MetricsRegistry metrics_;
  Health health_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpServerTest, MetricsServesTheRegistryAndBuildInfo) {
  metrics_.counter("newsd_pages_consumed_total", "Pages read").inc(42);
  metrics_.counter("newsd_dead_letters_total", "Dead letters", {{"stage", "decode"}, {"reason", "binary"}}).inc(3);
  start();
  auto res = get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(res->body.find("# TYPE newsd_pages_consumed_total counter\n"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("newsd_pages_consumed_total 42\n"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("newsd_dead_letters_total{stage=\"decode\",reason=\"binary\"} 3\n"), std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find(std::string("newsd_build_info{version=\"") + NEWSD_VERSION + "\"} 1"), std::string::npos)
      << res->body;
  // Later updates show up in the next scrape: the endpoint renders on demand.
  metrics_.counter("newsd_pages_consumed_total", "Pages read").inc();
  res = get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("newsd_pages_consumed_total 43\n"), std::string::npos);
}

TEST_F(HttpServerTest, LivezFollowsPollLoopProgress) {
  config_.liveness_window = std::chrono::seconds(10);
  start();
  health_.mark_progress();
  auto res = get("/livez");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "ok\n");

  health_.mark_progress(Health::Clock::now() - std::chrono::seconds(11));
  res = get("/livez");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_NE(res->body.find("poll loop stalled"), std::string::npos) << res->body;

  health_.mark_progress();
  res = get("/livez");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(HttpServerTest, LivezFailsWhileAWorkerIsStuckOnOnePage) {
  config_.liveness_window = std::chrono::seconds(10);
  start();
  health_.set_page_stall_limit(std::chrono::seconds(20));
  health_.mark_longest_page(std::chrono::seconds(15));
  auto res = get("/livez");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);

  health_.mark_longest_page(std::chrono::seconds(25));
  res = get("/livez");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_NE(res->body.find("a worker has been on one page for 25000ms"), std::string::npos) << res->body;

  health_.mark_longest_page(std::chrono::seconds(0));  // the page ended after all
  res = get("/livez");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  health_.set_page_stall_limit(std::chrono::seconds(0));  // no page time limit: no stall check
  health_.mark_longest_page(std::chrono::hours(1));
  res = get("/livez");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(HttpServerTest, ReadyzNeedsAssignmentAndConnectionAndFailsWhileDraining) {
  start();
  auto expect = [&](int status, const std::string& body) {
    auto res = get("/readyz");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status);
    EXPECT_EQ(res->body, body + "\n");
  };
  expect(503, "not connected to the broker");
  health_.set_connected(true);
  expect(503, "no partitions assigned");
  health_.set_assigned(true);
  expect(200, "ready");
  health_.set_draining(true);
  expect(503, "draining");
  // Draining is not death: the loop stops polling on purpose and
  // shutdown.timeout bounds the drain, so /livez must not get it killed.
  health_.mark_progress(Health::Clock::now() - std::chrono::hours(1));
  auto live = get("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
  EXPECT_EQ(live->body, "ok, draining\n");
}

TEST_F(HttpServerTest, UnknownPathIs404) {
  start();
  auto res = get("/nope");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(HttpServerTest, StopReleasesThePortAndIsIdempotent) {
  start();
  const int port = server_->port();
  server_->stop();
  server_->stop();
  EXPECT_EQ(server_->port(), 0);
  httplib::Client probe("127.0.0.1", port);
  probe.set_connection_timeout(std::chrono::seconds(1));
  EXPECT_FALSE(probe.Get("/livez"));
  // The same port can be bound again right away.
  HttpConfig again = config_;
  again.listen = "127.0.0.1:" + std::to_string(port);
  HttpServer second(again, metrics_, health_);
  std::string error;
  EXPECT_TRUE(second.start(error)) << error;
}

TEST_F(HttpServerTest, PortInUseIsAClearError) {
  start();
  HttpConfig clash = config_;
  clash.listen = "127.0.0.1:" + std::to_string(server_->port());
  HttpServer second(clash, metrics_, health_);
  std::string error;
  EXPECT_FALSE(second.start(error));
  EXPECT_EQ(error, "http.listen: cannot bind " + clash.listen);
}

TEST_F(HttpServerTest, MalformedListenAddressIsAClearError) {
  config_.listen = "localhost";
  HttpServer server(config_, metrics_, health_);
  std::string error;
  EXPECT_FALSE(server.start(error));
  EXPECT_EQ(error, "http.listen: cannot parse 'localhost' as HOST:PORT");
}

TEST(HttpConfig, ListenIsCheckedAndOverridableFromTheEnvironment) {
  Config config;
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "NEWSD_HTTP__LISTEN") return "0.0.0.0:9555";
    if (name == "NEWSD_LOG__SUMMARY_INTERVAL") return "1m";
    return std::nullopt;
  };
  EXPECT_TRUE(load_config_text("[http]\nlisten = \"127.0.0.1:1\"\n", "t.toml", config, env).empty());
  EXPECT_EQ(config.http.listen, "0.0.0.0:9555");
  EXPECT_EQ(config.log.summary_interval, std::chrono::minutes(1));

  const auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  Config bad;
  const auto errors = load_config_text("[http]\nlisten = \"9464\"\nliveness_window = \"0s\"\n", "t.toml", bad, no_env);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "http.listen: must be HOST:PORT (e.g. 127.0.0.1:9464, [::]:9464) or empty, got \"9464\"");
  EXPECT_EQ(errors[1].rfind("http.liveness_window: must be between", 0), 0u) << errors[1];

  std::string host;
  int port = 0;
  EXPECT_TRUE(parse_listen_address("[::1]:9464", host, port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 9464);
  EXPECT_FALSE(parse_listen_address("127.0.0.1:70000", host, port));
  EXPECT_FALSE(parse_listen_address(":9464", host, port));
  EXPECT_FALSE(parse_listen_address("127.0.0.1:", host, port));
}

}  // namespace
}  // namespace newsd
