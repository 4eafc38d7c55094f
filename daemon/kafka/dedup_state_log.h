// DedupStateLog: the dedup index's FingerprintLog on a compacted Kafka topic.
//
// Every replica of `newsd run` appends the fingerprints its index accepted
// (key: the article id's 16 hex digits, value: the 65-byte record of
// stages/dedup/fingerprint_log.h) and reads every partition of the topic from
// the beginning, without a consumer group, so each replica (and each restart)
// rebuilds the whole index and then tails what the others add. Compaction
// keeps the latest fingerprint per article id and a topic newsd creates also
// deletes records older than dedup.window plus a day (cleanup.policy
// compact,delete), so the topic stays about as large as the window's
// articles; older records still present are dropped by the index itself.
//
// Records are read read_committed: records of an aborted transaction (an
// exactly_once replica publishes its fingerprints in the transaction of the
// pages they belong to) are never applied.
//
// Thread-safety: append() and catch_up() from any thread (librdkafka's
// producer is thread-safe); replay() and poll() from one thread at a time.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemon/kafka/kafka_config.h"
#include "stages/dedup/dedup_config.h"
#include "stages/dedup/fingerprint_log.h"

namespace newsd::kafka {

class DedupStateLog : public dedup::FingerprintLog {
 public:
  struct Options {
    std::string brokers;  // bootstrap, "host:port,host:port"
    std::string topic;
    int partitions = 4;  // when the topic has to be created
    std::map<std::string, std::string> properties;  // extra librdkafka properties, applied after `security`
    int linger_ms = 20;
    int64_t retention_ms = 0;  // when the topic has to be created; 0 = the broker's default
    KafkaSecurityConfig security;  // [kafka.security]
  };

  // Connects, creates the topic (compacted) when missing and assigns every
  // partition from the beginning. Null with `error` set on failure.
  static std::unique_ptr<DedupStateLog> open(const Options& options, std::string& error);
  ~DedupStateLog() override;  // flushes pending appends (up to 10 s)

  Status append(const dedup::FingerprintRecord& record) override;
  Status replay(const Sink& sink) override;
  Status poll(const Sink& sink, std::chrono::milliseconds timeout) override;
  Status catch_up(std::chrono::milliseconds timeout) override;

  // Waits until every append so far is stored (or the timeout passes).
  Status flush(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  explicit DedupStateLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The log `newsd run` opens for dedup.state_topic: on kafka.brokers, with
// [kafka.security] and then the security.*, sasl.* and ssl.* properties of
// kafka.consumer, keeping records a day longer than dedup.window.
DedupStateLog::Options dedup_state_log_options(const KafkaConfig& kafka, const DedupConfig& dedup);

}  // namespace newsd::kafka
