#include "tests/integration/kafka_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace newsd::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string unique_suffix() {
  static int counter = 0;
  return std::to_string(getpid()) + "-" +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 100000000) + "-" +
         std::to_string(counter++);
}


constexpr const char* kWords[] = {
    "council", "river",   "budget",  "minister", "harbour", "festival", "railway", "school",   "farmers",
    "weather", "market",  "station", "village",  "court",   "bridge",   "museum",  "election", "hospital",
    "factory", "storm",   "library", "airport",  "mayor",   "teachers", "orchard", "ferry",    "highway",
    "tunnel",  "league",  "theatre", "vaccine",  "harvest", "coast",    "parade",  "senate",   "clinic",
    "reserve", "crater",  "glacier", "quarry",   "canal",   "orchestra", "drought", "monsoon", "cabinet",
    "pension", "tariff",  "census",  "lighthouse", "ministry", "province", "veteran", "archive", "estuary"};

std::string sentence(std::mt19937& rng, int words) {
  std::uniform_int_distribution<size_t> pick(0, std::size(kWords) - 1);
  std::string s = "The";
  for (int i = 0; i < words; ++i) s += std::string(" ") + kWords[pick(rng)];
  return s + " said on Tuesday.";
}

}  // namespace

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string test_brokers() {
  static std::string cached;
  if (!cached.empty()) return cached;
  if (const char* env = std::getenv("NEWSD_TEST_BROKERS"); env != nullptr && *env != '\0') return cached = env;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true") {
    ADD_FAILURE() << "NEWSD_TEST_BROKERS is not set and CI=true: these tests need a broker. "
                     "Run them through scripts/test, or `export NEWSD_TEST_BROKERS=$(scripts/kafka start | tail -n1)`";
    return "";
  }
  const std::string cmd = std::string(NEWSD_SOURCE_DIR) + "/scripts/kafka start | tail -n 1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[256] = {};
  std::string out;
  if (p != nullptr) {
    while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (out.find(':') == std::string::npos) {
    ADD_FAILURE() << "NEWSD_TEST_BROKERS is not set and `scripts/kafka start` did not print a broker address";
    return "";
  }
  return cached = out;
}

Topics make_topics(const std::string& brokers, const std::string& name, int partitions) {
  const std::string base = "it-" + name + "-" + unique_suffix();
  Topics t{base + "-in", base + "-out", base + "-dead"};
  const Status s = kafka::create_topics(brokers, {{t.in, partitions}, {t.out, partitions}, {t.dead, 1}});
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return t;
}

std::string write_config(const std::string& brokers, const Topics& topics, const std::string& group,
                         const std::string& extra_kafka, const std::string& extra) {
  const std::string path = ::testing::TempDir() + "newsd-" + unique_suffix() + ".toml";
  std::ofstream f(path);
  f << "workers = 2\n"
    << "[log]\nsummary_interval = \"0s\"\n"
    << "[http]\nlisten = \"\"\n"
    << "[kafka]\n"
    << "brokers = [\"" << brokers << "\"]\n"
    << "input_topics = [\"" << topics.in << "\"]\n"
    << "output_topic = \"" << topics.out << "\"\n"
    << "dead_letter_topic = \"" << topics.dead << "\"\n"
    << "group_id = \"" << group << "\"\n"
    << "session_timeout = \"6s\"\n"
    << "statistics_interval = \"1s\"\n"
    << extra_kafka << "\n"
    << "[shutdown]\ntimeout = \"15s\"\nrevoke_timeout = \"5s\"\n"
    << extra << "\n";
  return path;
}

std::string valid_page(int i) {
  std::mt19937 rng(static_cast<uint32_t>(i) * 2654435761u + 17);
  std::string body;
  for (int p = 0; p < 5; ++p) body += "<p>" + sentence(rng, 18) + " " + sentence(rng, 14) + "</p>\n";
  const std::string html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Story " +
                           std::to_string(i) + "</title></head><body><article><h1>Story number " +
                           std::to_string(i) + "</h1>\n" + body + "</article></body></html>";
  return "{\"url\":\"https://news.example.org/story/" + std::to_string(i) + "\",\"fetched_at\":\"2026-11-26T10:00:00Z\"," +
         "\"html\":\"" + json_escape(html) + "\"}";
}

int publish_pages(const std::string& brokers, const std::string& topic, int count, int invalid_every) {
  std::string error;
  auto pub = kafka::Publisher::create(brokers, error);
  EXPECT_TRUE(pub) << error;
  if (!pub) return 0;
  int broken = 0;
  for (int i = 0; i < count; ++i) {
    std::string value;
    if (invalid_every > 0 && i % invalid_every == invalid_every - 1) {
      switch (broken++ % 3) {
        case 0: value = std::string("\x00\x01\x02\xff\xfe junk \x7f\x80", 14) + std::to_string(i); break;
        case 1: value = "{\"url\": \"https://x.example/" + std::to_string(i) + "\", \"html\": "; break;
        default: value = "{\"url\": \"https://x.example/" + std::to_string(i) + "\"}"; break;
      }
    } else {
      value = valid_page(i);
    }
    EXPECT_TRUE(pub->publish(topic, std::to_string(i), value, {}).is_ok());
  }
  const Status s = pub->flush(std::chrono::seconds(60));
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return broken;
}

DaemonProcess::DaemonProcess(const std::string& config_path, const std::vector<std::string>& extra_args) {
  log_path_ = ::testing::TempDir() + "newsd-run-" + unique_suffix() + ".log";
  std::vector<std::string> argv = {"newsd", "run", "--config", config_path};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ == 0) {
    const int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(NEWSD_BINARY_DIR "/newsd", args.data());
    _exit(127);
  }
}

DaemonProcess::~DaemonProcess() {
  if (running()) {
    kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
}

void DaemonProcess::signal(int sig) {
  if (pid_ > 0 && status_ < 0) kill(pid_, sig);
}

int DaemonProcess::wait(std::chrono::milliseconds timeout) {
  const auto end = Clock::now() + timeout;
  while (status_ < 0) {
    int st = 0;
    const pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    if (Clock::now() >= end) return -1;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return status_;
}

bool DaemonProcess::running() { return pid_ > 0 && wait(milliseconds(0)) < 0; }

std::string DaemonProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

SourceCounts count_sources(const std::vector<kafka::Record>& outputs, const std::vector<kafka::Record>& dead) {
  SourceCounts counts;
  simdjson::dom::parser parser;
  for (const kafka::Record& r : outputs) {
    simdjson::dom::element doc;
    int64_t partition = -1, offset = -1;
    if (parser.parse(r.value).get(doc) || doc["source"]["partition"].get(partition) ||
        doc["source"]["offset"].get(offset)) {
      ADD_FAILURE() << "output record without source: " << r.value.substr(0, 200);
      continue;
    }
    ++counts[{static_cast<int32_t>(partition), offset}];
  }
  for (const kafka::Record& r : dead) {
    const std::string p = r.header("newsd-source-partition"), o = r.header("newsd-source-offset");
    if (p.empty() || o.empty()) {
      ADD_FAILURE() << "dead letter without newsd-source headers";
      continue;
    }
    ++counts[{std::stoi(p), std::stoll(o)}];
  }
  return counts;
}

int ReadBack::duplicates() const {
  int n = 0;
  for (const auto& [src, c] : sources) n += c - 1;
  return n;
}

ReadBack read_back(const std::string& brokers, const Topics& topics, size_t distinct, bool read_committed,
                   milliseconds deadline, milliseconds settle) {
  ReadBack rb;
  std::string error;
  auto reader = kafka::Reader::create(brokers, {topics.out, topics.dead}, read_committed, error);
  EXPECT_TRUE(reader) << error;
  if (!reader) return rb;
  const auto end = Clock::now() + deadline;
  auto settle_end = Clock::time_point::max();
  while (Clock::now() < std::min(end, settle_end)) {
    for (kafka::Record& r : reader->read(-1, milliseconds(300), milliseconds(1000)))
      (r.topic == topics.out ? rb.outputs : rb.dead).push_back(std::move(r));
    rb.sources = count_sources(rb.outputs, rb.dead);
    if (rb.sources.size() >= distinct && settle_end == Clock::time_point::max()) settle_end = Clock::now() + settle;
  }
  return rb;
}

int64_t written(const std::string& brokers, const Topics& topics) {
  const int64_t a = kafka::topic_end_offsets(brokers, topics.out);
  const int64_t b = kafka::topic_end_offsets(brokers, topics.dead);
  return a < 0 || b < 0 ? -1 : a + b;
}

bool wait_written(const std::string& brokers, const Topics& topics, int64_t n, milliseconds deadline) {
  const auto end = Clock::now() + deadline;
  while (Clock::now() < end) {
    if (written(brokers, topics) >= n) return true;
    std::this_thread::sleep_for(milliseconds(100));
  }
  return false;
}

int64_t exit_total(const std::string& log, const std::string& key) {
  const size_t line = log.rfind("exit ");
  if (line == std::string::npos) return -1;
  const size_t pos = log.find(" " + key + "=", line);
  if (pos == std::string::npos) return -1;
  return std::atoll(log.c_str() + pos + key.size() + 2);
}

}  // namespace newsd::testing
