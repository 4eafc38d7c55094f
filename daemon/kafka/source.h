// KafkaSource: the consumer side of `newsd run`. One wrapper owns the
// librdkafka consumer; the rest of newsd sees Articles and TopicPartitions.
//
// Each record is copied once into an owning Article: payload into
// article.input.payload, headers url / content-type / fetched-at into
// article.input, topic/partition/offset into article.source.
//
// Rebalances reach the Listener from inside poll() (and close()), on the
// caller's thread, before the partitions are taken away: that is where the
// owner commits what is finished. Offsets are never stored automatically
// (enable.auto.offset.store=false); in at_least_once mode offsets stored with
// store() are committed every kafka.commit_interval and commit() commits
// synchronously; in exactly_once mode offsets go through KafkaSink's
// transaction instead and the consumer reads read_committed.
//
// Failed offset commits, synchronous or automatic, are counted in
// newsd_commit_failures_total.
//
// Consumer lag per partition is read from librdkafka's statistics and
// exported as newsd_consumer_lag{topic,partition} through a registry collector.
//
// Thread-safety: one thread (the poll loop) calls everything.
// Lifetimes: listener and metrics outlive the source; close() before destroy
// (the destructor closes if needed).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "daemon/kafka/kafka_config.h"
#include "daemon/kafka/topic_partition.h"
#include "stages/article.h"
#include "stages/metrics.h"
#include "stages/status.h"

struct rd_kafka_s;  // librdkafka's client handle, rd_kafka_t

namespace newsd::kafka {

class KafkaSource {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_assigned(const std::vector<TopicPartition>& partitions) = 0;
    // Runs before `partitions` are given up. `lost` = they were already taken
    // (session timed out): committing for them would fail, so do not.
    virtual void on_revoking(const std::vector<TopicPartition>& partitions, bool lost) = 0;
  };

  // Creates the consumer and subscribes. Null with `error` set on bad config.
  static std::unique_ptr<KafkaSource> create(const KafkaConfig& config, Listener& listener, MetricsRegistry& metrics,
                                             std::string& error);
  ~KafkaSource();

  // Waits up to `timeout` for one record; true when `out` was filled.
  // Consumer errors are logged; a fatal one makes failed() true.
  bool poll(std::chrono::milliseconds timeout, Article& out);

  void pause(const std::vector<TopicPartition>& partitions);
  void resume(const std::vector<TopicPartition>& partitions);

  // Hands offsets to librdkafka's auto-commit (at_least_once).
  Status store(const std::vector<PartitionOffset>& offsets);
  // Commits offsets now and waits for the answer.
  Status commit(const std::vector<PartitionOffset>& offsets);

  // Moves the consumer of each partition back to its committed offset (the
  // first offset polled since assignment when the group has none), so every
  // record after it is consumed again: exactly_once after an aborted
  // transaction. Records fetched before are discarded by librdkafka.
  Status rewind(const std::vector<TopicPartition>& partitions, std::chrono::milliseconds timeout);

  // Leaves the group: the listener sees the final revocation.
  void close();

  bool failed() const;
  const std::string& failure() const;

  struct Impl;

 private:
  explicit KafkaSource(std::unique_ptr<Impl> impl);
  friend class KafkaSink;  // the transactional producer needs the group metadata
  rd_kafka_s* handle() const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsd::kafka
