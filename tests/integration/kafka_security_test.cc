// [kafka.security] against the real broker's secure listeners (scripts/kafka
// start --secure): TLS with a client certificate, SASL over TLS, and the
// failures that must end `newsd run` at once with one clear line and exit 1
// (a wrong password, a certificate from an unknown CA, a plaintext client on
// the TLS port) instead of retrying for ever. The password never shows in
// logs, check-config output or /metrics.
#include <signal.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "tests/integration/kafka_fixture.h"

namespace newsd::testing {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// The secure listeners from the environment scripts/test exports, else from
// the secure.env that `scripts/kafka start --secure` wrote. Missing: the test
// fails (never skips).
struct Secure {
  std::string ssl, sasl, tls_dir, user, password;
  bool ok() const { return !ssl.empty() && !sasl.empty() && !tls_dir.empty() && !password.empty(); }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Secure secure() {
  std::map<std::string, std::string> vars;
  const char* kafka_dir = std::getenv("NEWSD_KAFKA_DIR");
  std::ifstream env((kafka_dir != nullptr ? std::string(kafka_dir) : std::string(NEWSD_SOURCE_DIR) + "/.kafka") +
                    "/secure.env");
  for (std::string line; std::getline(env, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  auto get = [&](const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : vars[name];
  };
  Secure s{get("NEWSD_TEST_SSL_BROKERS"), get("NEWSD_TEST_SASL_BROKERS"), get("NEWSD_TEST_TLS_DIR"),
           get("NEWSD_TEST_SCRAM_USER"), ""};
  if (!s.tls_dir.empty()) {
    s.password = read_all(s.tls_dir + "/scram.password");
    while (!s.password.empty() && s.password.back() == '\n') s.password.pop_back();
  }
  if (!s.ok())
    ADD_FAILURE() << "no secure listeners: start the broker with `scripts/kafka start --secure` "
                     "(scripts/test does), or export the variables of .kafka/secure.env";
  return s;
}

std::string tls_table(const Secure& s, const std::string& ca = "ca.pem") {
  return "[kafka.security]\nprotocol = \"ssl\"\nca_file = \"" + s.tls_dir + "/" + ca + "\"\ncert_file = \"" +
         s.tls_dir + "/client.pem\"\nkey_file = \"" + s.tls_dir + "/client.key\"\n";
}

std::string sasl_table(const Secure& s, const std::string& mechanism, const std::string& password_line) {
  return "[kafka.security]\nprotocol = \"sasl_ssl\"\nca_file = \"" + s.tls_dir + "/ca.pem\"\nsasl_mechanism = \"" +
         mechanism + "\"\nusername = \"" + s.user + "\"\n" + password_line + "\n";
}

// Lines of a JSON log at level critical.
int critical_lines(const std::string& log) {
  int n = 0;
  for (size_t at = 0; (at = log.find("\"level\":\"critical\"", at)) != std::string::npos; ++at) ++n;
  return n;
}

struct DaemonRun {
  int exit_code;
  double seconds;
  std::string log;
};

// `newsd run` with `config` until it has published `pages` records (then
// SIGTERM), or until it exits by itself; at most `limit`.
DaemonRun run_daemon(const std::string& plain, const Topics& t, const std::string& config, int pages, seconds limit) {
  setenv("NEWSD_LOG__FORMAT", "json", 1);
  DaemonProcess daemon(config);
  unsetenv("NEWSD_LOG__FORMAT");
  const auto start = Clock::now();
  while (daemon.running() && Clock::now() - start < limit) {
    if (pages > 0 && kafka::topic_end_offsets(plain, t.out) >= pages) {
      daemon.signal(SIGTERM);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const int code = daemon.wait(seconds(40));
  return {code, std::chrono::duration<double>(Clock::now() - start).count(), daemon.log()};
}

// A config whose kafka.brokers is `brokers` plus `security` ([kafka.security]).
std::string secure_config(const std::string& brokers, const Topics& t, const std::string& security) {
  return write_config(brokers, t, t.in + "-g", "", security);
}

// `newsd-kafka-tool count` with a config: the tool speaks [kafka.security] too.
std::string kafka_tool_count(const std::string& config, const std::string& topic, const std::string& env = "") {
  const std::string cmd =
      env + " " NEWSD_BINARY_DIR "/newsd-kafka-tool count --config " + config + " --topic " + topic + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p != nullptr && fgets(buf, sizeof buf, p) != nullptr) out += buf;
  if (p != nullptr) pclose(p);
  return out;
}

constexpr int kPages = 6;

TEST(KafkaSecurity, TlsWithClientCertificateProcessesPagesAndKafkaToolReadsBack) {
  const std::string plain = test_brokers();
  const Secure s = secure();
  ASSERT_TRUE(!plain.empty() && s.ok());
  const Topics t = make_topics(plain, "tls", 2);
  publish_pages(plain, t.in, kPages, 0);
  const std::string config = secure_config(s.ssl, t, tls_table(s));
  const DaemonRun r = run_daemon(plain, t, config, kPages, seconds(90));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_EQ(kafka::topic_end_offsets(plain, t.out), kPages);
  EXPECT_EQ(kafka_tool_count(config, t.out), std::to_string(kPages) + "\n");
}

TEST(KafkaSecurity, SaslOverTlsWithPasswordFileProcessesPagesAndNeverShowsThePassword) {
  const std::string plain = test_brokers();
  const Secure s = secure();
  ASSERT_TRUE(!plain.empty() && s.ok());
  const Topics t = make_topics(plain, "sasl", 2);
  publish_pages(plain, t.in, kPages, 0);
  const std::string config =
      secure_config(s.sasl, t, sasl_table(s, "PLAIN", "password_file = \"" + s.tls_dir + "/scram.password\""));
  const DaemonRun r = run_daemon(plain, t, config, kPages, seconds(90));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_EQ(kafka::topic_end_offsets(plain, t.out), kPages);
  EXPECT_EQ(r.log.find(s.password), std::string::npos) << "the password is in the log";
}

TEST(KafkaSecurity, PasswordFromTheEnvironmentForKafkaToolAndNotInCheckConfigOrMetrics) {
  const std::string plain = test_brokers();
  const Secure s = secure();
  ASSERT_TRUE(!plain.empty() && s.ok());
  const Topics t = make_topics(plain, "env", 1);
  publish_pages(plain, t.in, 3, 0);
  const std::string config = secure_config(s.sasl, t, sasl_table(s, "PLAIN", ""));
  const std::string env = "NEWSD_KAFKA__SECURITY__PASSWORD=" + s.password;
  EXPECT_EQ(kafka_tool_count(config, t.in, env), "3\n");
  // Without the password the config is invalid; with it valid. Neither output quotes it.
  const std::string cmd = NEWSD_BINARY_DIR "/newsd check-config " + config + " 2>&1";
  for (const std::string& prefix : {std::string(), env + " NEWSD_KAFKA__SECURITY__USERNAME= "}) {
    FILE* p = popen((prefix + cmd).c_str(), "r");
    std::string out;
    char buf[512];
    while (p != nullptr && fgets(buf, sizeof buf, p) != nullptr) out += buf;
    if (p != nullptr) pclose(p);
    EXPECT_NE(out.find("kafka.security."), std::string::npos) << out;
    EXPECT_EQ(out.find(s.password), std::string::npos) << out;
  }
  // The running daemon's /metrics.
  setenv("NEWSD_KAFKA__SECURITY__PASSWORD", s.password.c_str(), 1);
  setenv("NEWSD_HTTP__LISTEN", "127.0.0.1:0", 1);
  setenv("NEWSD_LOG__FORMAT", "json", 1);
  DaemonProcess daemon(config);
  unsetenv("NEWSD_KAFKA__SECURITY__PASSWORD");
  unsetenv("NEWSD_HTTP__LISTEN");
  unsetenv("NEWSD_LOG__FORMAT");
  ASSERT_TRUE(wait_written(plain, t, 3, seconds(60))) << daemon.log();
  const std::string log = daemon.log();
  const size_t at = log.find("\"port\":");
  ASSERT_NE(at, std::string::npos) << log;
  httplib::Client http("127.0.0.1", std::atoi(log.c_str() + at + 7));
  auto metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("newsd_pages_produced_total"), std::string::npos);
  EXPECT_EQ(metrics->body.find(s.password), std::string::npos);
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(seconds(40)), 0) << daemon.log();
  EXPECT_EQ(daemon.log().find(s.password), std::string::npos);
}

// Debian 12's librdkafka (2.0.2) answers a SCRAM challenge with a nonce that
// Kafka 4 brokers reject (RFC 5802; fixed in librdkafka 2.6.1). With such a
// librdkafka newsd must say so in its one failure line; with a fixed one,
// SCRAM-SHA-512 must simply work.
TEST(KafkaSecurity, ScramSha512WorksOrFailsFastNamingTheLibrdkafkaBug) {
  const std::string plain = test_brokers();
  const Secure s = secure();
  ASSERT_TRUE(!plain.empty() && s.ok());
  const Topics t = make_topics(plain, "scram", 1);
  publish_pages(plain, t.in, 2, 0);
  const std::string config =
      secure_config(s.sasl, t, sasl_table(s, "SCRAM-SHA-512", "password_file = \"" + s.tls_dir + "/scram.password\""));
  const DaemonRun r = run_daemon(plain, t, config, 2, seconds(90));
  if (r.exit_code == 0) {
    EXPECT_EQ(kafka::topic_end_offsets(plain, t.out), 2);
  } else {
    EXPECT_EQ(r.exit_code, 1) << r.log;
    EXPECT_EQ(critical_lines(r.log), 1) << r.log;
    EXPECT_NE(r.log.find("librdkafka 2.6.1"), std::string::npos) << r.log;
    EXPECT_LT(r.seconds, 30.0) << r.log;
  }
}

struct Failure {
  const char* name;
  std::string brokers, security, expect;
};

void expect_fails_fast(const std::string& plain, const Failure& f, const Secure& s) {
  SCOPED_TRACE(f.name);
  const Topics t = make_topics(plain, f.name, 1);
  const DaemonRun r = run_daemon(plain, t, secure_config(f.brokers, t, f.security), 0, seconds(60));
  EXPECT_EQ(r.exit_code, 1) << r.log;
  EXPECT_LT(r.seconds, 30.0) << "not fast: " << r.log;
  EXPECT_EQ(critical_lines(r.log), 1) << r.log;
  EXPECT_NE(r.log.find(f.expect), std::string::npos) << r.log;
  EXPECT_EQ(r.log.find(s.password), std::string::npos) << r.log;
}

TEST(KafkaSecurity, WrongPasswordFailsFastWithOneLine) {
  const std::string plain = test_brokers();
  const Secure s = secure();
  ASSERT_TRUE(!plain.empty() && s.ok());
  expect_fails_fast(plain,
                    {"wrong-password", s.sasl, sasl_table(s, "PLAIN", "password = \"not-" + s.password + "\""),
                     "rejected the credentials"},
                    s);
}

TEST(KafkaSecurity, UnknownCaFailsFastWithOneLine) {
  const std::string plain = test_brokers();
  const Secure s = secure();
  ASSERT_TRUE(!plain.empty() && s.ok());
  expect_fails_fast(plain, {"unknown-ca", s.ssl, tls_table(s, "other-ca.pem"), "TLS with the broker failed"}, s);
}

TEST(KafkaSecurity, PlaintextClientOnTheTlsPortFailsFastWithOneLine) {
  const std::string plain = test_brokers();
  const Secure s = secure();
  ASSERT_TRUE(!plain.empty() && s.ok());
  expect_fails_fast(plain, {"plaintext-on-tls", s.ssl, "", "another protocol than kafka.security.protocol"}, s);
}

}  // namespace
}  // namespace newsd::testing
