// Small blocking Kafka clients for the tests, the benchmark and
// `newsd kafka-tool` (used by scripts/demo): create topics, publish records,
// read a topic from the beginning. Not used by `newsd run`.
//
// Thread-safety: each object is used by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/kafka/security_config.h"
#include "stages/status.h"

namespace newsd::kafka {

using ToolHeaders = std::vector<std::pair<std::string, std::string>>;

// Where a client connects: bootstrap brokers ("host:port,host:port") and the
// cluster's [kafka.security]. A plain string is a plaintext endpoint.
struct Endpoint {
  Endpoint(const std::string& b) : brokers(b) {}  // NOLINT(google-explicit-constructor): brokers alone
  Endpoint(const char* b) : brokers(b) {}         // NOLINT(google-explicit-constructor)
  Endpoint(std::string b, KafkaSecurityConfig s) : brokers(std::move(b)), security(std::move(s)) {}
  std::string brokers;
  KafkaSecurityConfig security;
};

struct Record {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string key;
  std::string value;
  ToolHeaders headers;

  // Value of the last header named `name`, or "".
  std::string header(std::string_view name) const;
};

// Creates each topic with the given partition count and max.message.bytes;
// an existing topic is fine.
Status create_topics(const Endpoint& endpoint, const std::vector<std::pair<std::string, int>>& topics,
                     int64_t max_message_bytes = 64 << 20);

class Publisher {
 public:
  // Null with `error` set when the client cannot be made.
  static std::unique_ptr<Publisher> create(const Endpoint& endpoint, std::string& error);
  ~Publisher();
  // Queues a record; partition -1 = by key (or spread when the key is empty).
  Status publish(const std::string& topic, std::string_view key, std::string_view value, const ToolHeaders& headers,
                 int32_t partition = -1);
  // Waits for every record to be acknowledged; an error if any failed.
  Status flush(std::chrono::milliseconds timeout);

  struct Impl;

 private:
  explicit Publisher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Reader {
 public:
  // Reads `topics` from the beginning, in a fresh consumer group.
  // read_committed: only records of committed transactions.
  static std::unique_ptr<Reader> create(const Endpoint& endpoint, const std::vector<std::string>& topics,
                                        bool read_committed, std::string& error);
  ~Reader();
  // Returns once `count` records arrived (count < 0: never), or nothing new
  // arrived for `idle`, or `deadline` passed.
  std::vector<Record> read(int64_t count, std::chrono::milliseconds idle, std::chrono::milliseconds deadline);

  struct Impl;

 private:
  explicit Reader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Value of one configuration entry of a topic as the broker reports it (its
// default when not set on the topic); "" with `error` set when it cannot be read.
std::string topic_config(const Endpoint& endpoint, const std::string& topic, const std::string& name,
                         std::string& error);

// Sum over partitions of the end offsets (high watermarks) of a topic: how
// many records were ever written. -1 when it cannot be read.
int64_t topic_end_offsets(const Endpoint& endpoint, const std::string& topic);

// Sum over the topic's first `partitions` partitions of the offsets consumer
// group `group` has committed (a partition without a commit counts 0): how
// many of its records the group is done with. -1 when it cannot be read.
int64_t group_committed(const Endpoint& endpoint, const std::string& group, const std::string& topic,
                        int partitions);

}  // namespace newsd::kafka
