// KafkaSink: the producer side of `newsd run` (articles and dead letters).
//
// at_least_once: an idempotent producer (acks=all, no duplicates from
// retries). exactly_once: a transactional producer; the daemon commits a
// transaction together with the consumer offsets of the pages whose output it
// holds (send_offsets_to_transaction), so a read_committed reader sees each
// input's output exactly once.
//
// Every produce() carries a DeliveryTag that comes back, with the broker's
// verdict, to the OnDelivery callback. The callback runs on the sink's own
// poll thread (and inside flush()); it must be thread-safe and quick.
//
// Thread-safety: produce() may be called from many threads at once. The
// transaction methods and flush() are for one thread (the poll loop), and
// in exactly_once mode must not overlap with produce(): the daemon drains
// its workers before committing.
// Lifetimes: close() stops the poll thread; destroy after every producer
// thread (the worker pool) has stopped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/kafka/kafka_config.h"
#include "daemon/kafka/topic_partition.h"
#include "stages/article.h"
#include "stages/status.h"

namespace newsd::kafka {

class KafkaSource;

using Headers = std::vector<std::pair<std::string, std::string>>;

// What the daemon wants back when a record is delivered.
struct DeliveryTag {
  // kState: the page's fingerprint record on dedup.state_topic.
  enum class Kind { kArticle, kDeadLetter, kState } kind = Kind::kArticle;
  TopicPartition source;
  int64_t offset = -1;
  std::string stage;   // dead letters: the failing stage
  std::string reason;  // dead letters: status code name
  // exactly_once: the daemon's transaction generation when the record was
  // produced; reports of an aborted generation are stale and ignored.
  uint64_t epoch = 0;
  // Articles: the page's input, for its dead letter if the broker refuses
  // the article.
  std::shared_ptr<const RawInput> input;
};

class KafkaSink {
 public:
  using OnDelivery = std::function<void(const DeliveryTag& tag, const Status& status)>;

  // exactly_once: also init_transactions + begin_transaction. `topics`: the
  // topics it will produce to; their record limits are read first (see
  // record_limit) and batches are kept below the smallest.
  static std::unique_ptr<KafkaSink> create(const KafkaConfig& config, const std::vector<std::string>& topics,
                                           OnDelivery on_delivery, std::string& error);

  // The largest record `topic` takes, in bytes: the smaller of
  // kafka.max_message_bytes and the topic's max.message.bytes as the broker
  // reported it at create() (kafka.max_message_bytes alone for a topic it
  // could not describe, e.g. one not created yet). Any thread.
  int64_t record_limit(const std::string& topic) const;
  ~KafkaSink();

  // Queues a record (copied). Waits while librdkafka's queue is full. An
  // error means the record was not queued and no delivery report will come.
  // Errors that concern this record only (too large) have the code
  // kTooLarge; every other error concerns the producer.
  //
  // Delivery reports carry the same distinction: kTooLarge and kRejected
  // (invalid record, policy violation: no retry fixes them) concern the
  // record, kInternal (timed out, not authorised, fenced, fatal) the producer.
  Status produce(const std::string& topic, std::string_view key, std::string_view value, const Headers& headers,
                 DeliveryTag tag);

  // Waits until every queued record has its delivery report.
  Status flush(std::chrono::milliseconds timeout);

  bool transactional() const;

  // How a failed transactional call leaves the producer. Retriable errors
  // are retried inside the call until its timeout.
  enum class TxnError {
    kNone,
    kAbortable,  // the open transaction cannot commit: abort_and_begin(), redo its inputs
    kFatal,      // the producer is unusable (fenced, misconfigured): stop
  };
  // Sends `offsets` into the open transaction, commits it and opens the next.
  TxnError commit_transaction(const KafkaSource& source, const std::vector<PartitionOffset>& offsets,
                              std::chrono::milliseconds timeout, std::string& why);
  // Aborts the open transaction (its records are purged or marked aborted,
  // so read_committed readers never see them) and opens the next. False:
  // the producer cannot go on (`why` says why).
  bool abort_and_begin(std::chrono::milliseconds timeout, std::string& why);
  // Aborts the open transaction and opens none (shutdown).
  void abort_transaction(std::chrono::milliseconds timeout);
  // True once the producer has a fatal error; `why` gets librdkafka's reason.
  bool fatal_error(std::string& why) const;

  // Records not yet delivered.
  int queued() const;
  void close();

  struct Impl;

 private:
  explicit KafkaSink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsd::kafka
