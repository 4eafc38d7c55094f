// `newsd run` start-up checks of the operations side, without a broker: they
// must fail before any connection is attempted.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code;
  std::string err;
  double seconds;
};

// Runs the built newsd with `env` prepended (VAR=value ...) under `wrapper`
// (e.g. "timeout --foreground -s TERM 3"), stderr captured.
Result run(const std::string& env, const std::string& args, const std::string& wrapper = "") {
  const fs::path err = fs::temp_directory_path() / ("newsd-run-ops-" + std::to_string(getpid()) + ".err");
  const std::string cmd =
      env + " " + wrapper + " " + NEWSD_BINARY_DIR + "/newsd " + args + " </dev/null >/dev/null 2>" + err.string();
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(cmd.c_str());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ifstream in(err);
  std::stringstream s;
  s << in.rdbuf();
  fs::remove(err);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, s.str(), seconds};
}

// A listening socket on an ephemeral loopback port, held for the test.
class TakenPort {
 public:
  TakenPort() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0 && listen(fd_, 1) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~TakenPort() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Nothing listens on port 1, so a connection attempt would hang in retries;
// the run must end on the HTTP error first. The tag stage is off: its data
// files are not what these tests are about.
constexpr const char* kNoBroker = "NEWSD_KAFKA__BROKERS=127.0.0.1:1 NEWSD_TAG__ENABLED=false";

TEST(RunCommandOps, PortInUseFailsFastWithExitTwoAndAJsonLogLine) {
  TakenPort taken;
  ASSERT_GT(taken.port(), 0);
  const Result r = run(std::string(kNoBroker) + " NEWSD_LOG__FORMAT=json NEWSD_HTTP__LISTEN=127.0.0.1:" +
                           std::to_string(taken.port()),
                       "run");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("\"level\":\"critical\",\"message\":\"newsd run: http.listen: cannot bind 127.0.0.1:" +
                       std::to_string(taken.port()) + "\"}"),
            std::string::npos)
      << r.err;
  EXPECT_LT(r.seconds, 30.0);
}

TEST(RunCommandOps, MalformedListenFromTheEnvironmentIsAConfigError) {
  const Result r = run(std::string(kNoBroker) + " NEWSD_HTTP__LISTEN=9464", "run");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("http.listen: must be HOST:PORT"), std::string::npos) << r.err;
}

TEST(RunCommandOps, UnknownLogFormatIsAConfigError) {
  const Result r = run(std::string(kNoBroker) + " NEWSD_LOG__FORMAT=xml", "run");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("log.format"), std::string::npos) << r.err;
}

TEST(RunCommandOps, LibrdkafkaLogLinesGoThroughTheJsonLogger) {
  // No broker on port 1: librdkafka logs connection failures through its log
  // callback, which must land in newsd's logger, not in librdkafka's own format.
  // --foreground: otherwise timeout signals its whole process group too, and
  // newsd sees that second TERM as "exit at once".
  const Result r = run(std::string(kNoBroker) + " NEWSD_LOG__FORMAT=json NEWSD_HTTP__LISTEN=", "run",
                       "timeout --foreground -s TERM 3");
  EXPECT_NE(r.err.find("\"level\":\"error\",\"message\":\"[thrd:127.0.0.1:1/bootstrap]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"component\":\"librdkafka\",\"facility\":\"FAIL\",\"client\":\"newsd#"), std::string::npos)
      << r.err;
  std::istringstream lines(r.err);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line.rfind("{\"timestamp\":\"", 0), 0u) << "not a JSON log line: " << line;
  }
}

}  // namespace
