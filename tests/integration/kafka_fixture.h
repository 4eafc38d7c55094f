// Helpers for the real-broker tests of `newsd run` (ctest label `kafka`):
// the broker address, fresh topics per test, generated pages, the daemon as
// a subprocess, and reading back what it published.
//
// The broker comes from NEWSD_TEST_BROKERS (scripts/test sets it). Unset and
// CI=true: the test fails. Unset otherwise: scripts/kafka start is run once
// (the broker is left running for the next tests; `scripts/kafka stop`).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "daemon/kafka/tool.h"

namespace newsd::testing {

// Bootstrap address, or "" after recording a test failure that says why.
std::string test_brokers();

struct Topics {
  std::string in, out, dead;
};
// Creates NAME-in (partitions), NAME-out (partitions) and NAME-dead (1),
// unique to this process and moment.
Topics make_topics(const std::string& brokers, const std::string& name, int partitions);

// Writes a config for these topics and returns its path. `extra_kafka` is
// appended inside [kafka]; `extra` after it (other tables).
std::string write_config(const std::string& brokers, const Topics& topics, const std::string& group,
                         const std::string& extra_kafka = "", const std::string& extra = "");

// `s` with quotes, backslashes and newlines escaped for a JSON string.
std::string json_escape(const std::string& s);

// A crawler record of a unique article page (different words per i).
std::string valid_page(int i);

// Publishes `count` pages: every `invalid_every`-th is broken (alternately
// binary junk, malformed JSON, a record without html); 0 = none broken.
// Returns how many were broken.
int publish_pages(const std::string& brokers, const std::string& topic, int count, int invalid_every);

// `newsd run` as a child process; stdout+stderr go to a log file.
class DaemonProcess {
 public:
  DaemonProcess(const std::string& config_path, const std::vector<std::string>& extra_args = {});
  ~DaemonProcess();  // SIGKILL if still running
  void signal(int sig);
  // Exit status, 128+signal when killed, or -1 if still running at the timeout.
  int wait(std::chrono::milliseconds timeout);
  bool running();
  std::string log() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string log_path_;
};

// (partition, offset) of the input record each output or dead letter came
// from, with how often it was seen. Outputs carry it in their JSON
// ("source"), dead letters in newsd-source-* headers.
using SourceCounts = std::map<std::pair<int32_t, int64_t>, int>;
SourceCounts count_sources(const std::vector<kafka::Record>& outputs, const std::vector<kafka::Record>& dead);

// Reads out and dead topics until `distinct` different inputs are covered or
// `deadline` passes, then keeps reading for `settle` to catch late extras.
struct ReadBack {
  std::vector<kafka::Record> outputs, dead;
  SourceCounts sources;
  int duplicates() const;
};
ReadBack read_back(const std::string& brokers, const Topics& topics, size_t distinct, bool read_committed,
                   std::chrono::milliseconds deadline, std::chrono::milliseconds settle);

// Records written so far to out + dead (high watermarks; includes
// transaction markers in exactly_once mode).
int64_t written(const std::string& brokers, const Topics& topics);

// Polls `written` until it reaches `n` or the deadline passes.
bool wait_written(const std::string& brokers, const Topics& topics, int64_t n, std::chrono::milliseconds deadline);

// The value of `key=` in the daemon's exit line, or -1.
int64_t exit_total(const std::string& log, const std::string& key);

}  // namespace newsd::testing
