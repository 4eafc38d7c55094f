// `newsd-kafka-tool`: a small publisher/reader for the local broker, used by
// scripts/demo and handy when feeding a running daemon by hand. A developer
// tool, so its own executable rather than a `newsd` subcommand.
//
// Brokers and [kafka.security] come from --config (and NEWSD_* variables) like
// for `newsd run`; --brokers overrides the brokers.
//
//   newsd-kafka-tool create-topics --brokers B NAME[:PARTITIONS]...
//   newsd-kafka-tool publish --brokers B --topic T INPUT...   (.html files or dirs as crawler records, .jsonl lines)
//   newsd-kafka-tool count --brokers B --topic T
//   newsd-kafka-tool read --brokers B --topic T [--count N] [--idle-ms MS] [--committed]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "daemon/cli.h"
#include "daemon/config.h"
#include "daemon/kafka/tool.h"
#include "stages/encode/json_writer.h"

namespace newsd {
namespace {

namespace fs = std::filesystem;

bool read_file(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buf;
  buf << in.rdbuf();
  out = buf.str();
  return true;
}

// A crawler record for an HTML file; the URL is made up from the file name.
std::string crawler_record(const fs::path& file, const std::string& html) {
  std::string json;
  JsonWriter w(json);
  w.begin_object();
  w.key("url").string("https://samples.newsd.invalid/" + file.filename().string());
  w.key("html").string(html);
  w.key("fetched_at").string("2026-01-01T00:00:00Z");
  w.end_object();
  return json;
}

int publish(const kafka::Endpoint& endpoint, const std::string& topic, const std::vector<std::string>& inputs) {
  std::string error;
  auto pub = kafka::Publisher::create(endpoint, error);
  if (!pub) {
    std::fprintf(stderr, "kafka-tool: %s\n", error.c_str());
    return 1;
  }
  std::vector<fs::path> files;
  for (const std::string& in : inputs) {
    if (fs::is_directory(in)) {
      for (const auto& e : fs::recursive_directory_iterator(in))
        if (e.is_regular_file()) files.push_back(e.path());
    } else {
      files.emplace_back(in);
    }
  }
  std::sort(files.begin(), files.end());
  size_t n = 0;
  for (const fs::path& f : files) {
    const std::string ext = f.extension().string();
    std::string body;
    if ((ext != ".html" && ext != ".htm" && ext != ".jsonl") || !read_file(f, body)) continue;
    if (ext == ".jsonl") {
      std::istringstream lines(body);
      for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        if (Status s = pub->publish(topic, {}, line, {}); !s.is_ok()) return std::fprintf(stderr, "%s\n", s.message().c_str()), 1;
        ++n;
      }
      continue;
    }
    if (Status s = pub->publish(topic, f.filename().string(), crawler_record(f, body), {}); !s.is_ok())
      return std::fprintf(stderr, "%s\n", s.message().c_str()), 1;
    ++n;
  }
  if (Status s = pub->flush(std::chrono::seconds(60)); !s.is_ok()) {
    std::fprintf(stderr, "kafka-tool: %s\n", s.message().c_str());
    return 1;
  }
  std::fprintf(stderr, "kafka-tool: published %zu records to %s\n", n, topic.c_str());
  return 0;
}

}  // namespace

int kafka_tool_command(const std::vector<std::string>& args) {
  std::string config_path, brokers, topic, count_text = "-1", idle_text = "5000";
  bool committed = false;
  ArgParser parser(
      "newsd-kafka-tool create-topics|publish|count|read [--config FILE] [--brokers B] [--topic T] [--count N] "
      "[--idle-ms MS] [ARGS...]",
      "create-topics NAME[:PARTITIONS]...  creates topics (default 4 partitions)\n"
      "publish INPUT...  publishes .html files (as crawler records) and .jsonl lines to --topic\n"
      "count  prints how many records were ever written to --topic (sum of end offsets)\n"
      "read  prints --topic from the beginning, one value per line, until --count records or --idle-ms of quiet");
  parser.option("--config", config_path, "TOML config whose kafka.brokers and [kafka.security] to use");
  parser.option("--brokers", brokers, "bootstrap brokers, HOST:PORT[,HOST:PORT] (default: kafka.brokers)");
  parser.option("--topic", topic, "topic to publish to or read");
  parser.option("--count", count_text, "read: stop after this many records");
  parser.option("--idle-ms", idle_text, "read: stop after this long without a record");
  parser.flag("--committed", committed, "read: only records of committed transactions");
  std::vector<std::string> rest;
  switch (parser.parse(args, rest)) {
    case ArgParser::Result::kHelp: return 0;
    case ArgParser::Result::kError: return 2;
    case ArgParser::Result::kOk: break;
  }
  if (rest.empty()) {
    std::fprintf(stderr, "%s", parser.help().c_str());
    return 2;
  }
  Config config;
  if (std::vector<std::string> errors = load_config(config_path, config); !errors.empty()) {
    for (const std::string& e : errors) std::fprintf(stderr, "config error: %s\n", e.c_str());
    return 2;
  }
  std::string joined;
  for (const std::string& b : config.kafka.brokers) joined += (joined.empty() ? "" : ",") + b;
  const kafka::Endpoint endpoint(brokers.empty() ? joined : brokers, config.kafka.security);
  const std::string verb = rest[0];
  rest.erase(rest.begin());
  if (verb == "create-topics") {
    std::vector<std::pair<std::string, int>> topics;
    for (const std::string& spec : rest) {
      const size_t colon = spec.find(':');
      topics.emplace_back(spec.substr(0, colon), colon == std::string::npos ? 4 : std::atoi(spec.c_str() + colon + 1));
    }
    if (Status s = kafka::create_topics(endpoint, topics); !s.is_ok()) {
      std::fprintf(stderr, "kafka-tool: %s\n", s.message().c_str());
      return 1;
    }
    return 0;
  }
  if (topic.empty()) {
    std::fprintf(stderr, "kafka-tool: --topic is required\n");
    return 2;
  }
  if (verb == "publish") return publish(endpoint, topic, rest);
  if (verb == "count") {
    const int64_t n = kafka::topic_end_offsets(endpoint, topic);
    std::printf("%lld\n", static_cast<long long>(n));
    return n < 0 ? 1 : 0;
  }
  if (verb == "read") {
    std::string error;
    auto reader = kafka::Reader::create(endpoint, {topic}, committed, error);
    if (!reader) {
      std::fprintf(stderr, "kafka-tool: %s\n", error.c_str());
      return 1;
    }
    for (const kafka::Record& r : reader->read(std::atoll(count_text.c_str()), std::chrono::milliseconds(std::atoll(idle_text.c_str())),
                                               std::chrono::hours(24)))
      std::cout << r.value << '\n';
    return 0;
  }
  std::fprintf(stderr, "kafka-tool: unknown verb '%s'\n", verb.c_str());
  return 2;
}

}  // namespace newsd

int main(int argc, char** argv) { return newsd::kafka_tool_command(std::vector<std::string>(argv + 1, argv + argc)); }
