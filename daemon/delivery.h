// Delivery: how `newsd run` publishes a finished page and commits its input
// offset. Two modes, one class each:
//
//   AtLeastOnceDelivery   the idempotent producer; a page is done when its
//                         output is acknowledged by the broker; the highest
//                         offset below which every page is done is stored
//                         (OffsetTracker) and committed by librdkafka every
//                         commit_interval, and synchronously on revocation
//                         and shutdown. An output the broker refuses for
//                         good (too large, invalid) becomes the page's dead
//                         letter; any other failed output stops the daemon
//                         (its page is redone after a restart).
//   TransactionalDelivery exactly_once: outputs and offsets are committed in
//                         one transaction every commit_interval, after the
//                         workers are drained. An abortable error (a failed
//                         produce, delivery or commit, a revocation while
//                         pages are in the workers) aborts the transaction,
//                         discards its pages' results, rewinds every
//                         assigned partition to its committed offset and goes
//                         on (newsd_transaction_aborts_total). Fatal producer
//                         errors, failures of the abort or rewind themselves,
//                         or kMaxConsecutiveAborts aborts in a row stop it.
//
// The shared part (this base class) turns a page's outcome into records:
// the article, or a dead letter (stages/encode/dead_letter.h), preceded by
// the page's fingerprint on dedup.state_topic when the dedup index accepted
// it (exactly_once: in the same transaction, so an abort takes it back on
// every replica); and counts what the broker acknowledged. An article larger
// than the output topic takes (max.message.bytes, read at start), or one the
// broker refuses for good, becomes a dead letter of stage `output` instead,
// and the partition flows on; exactly_once aborts the transaction holding a
// refused article and makes the page a dead letter when it comes again.
//
// Thread-safety: on_page_done from worker threads, on_delivered from the
// producer's delivery-report thread, every other method from the poll-loop
// thread. Lifetimes: the context's members outlive the delivery.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "daemon/kafka/sink.h"
#include "daemon/kafka/source.h"
#include "daemon/offset_tracker.h"
#include "stages/dedup/dedup_state.h"
#include "stages/pipeline.h"

namespace newsd {

class Delivery {
 public:
  using Clock = std::chrono::steady_clock;

  // What a delivery needs from the poll loop that owns it.
  class Host {
   public:
    // A fatal error: the loop stops and shutdown returns 1.
    virtual void fail(const std::string& why) = 0;
    virtual bool failed() const = 0;
    // Waits until no page is in the workers, or until `deadline`. True if idle.
    virtual bool wait_for_workers(Clock::time_point deadline) = 0;
    virtual bool workers_busy() const = 0;
    // Drops polled records not yet dispatched (consumed again after a rewind).
    virtual void discard_backlog() = 0;
    virtual const std::vector<TopicPartition>& assignment() const = 0;

   protected:
    ~Host() = default;
  };

  struct Context {
    const Config& config;
    Host& host;
    kafka::KafkaSink& sink;
    kafka::KafkaSource& source;
    OffsetTracker& tracker;
    MetricsRegistry& metrics;
    // The dedup index, when dedup is on: exactly_once takes back the
    // fingerprints of an aborted transaction.
    dedup::DedupState* dedup = nullptr;
    // Test hook (exactly_once): every Nth transaction is flushed and then
    // aborted instead of committed, as after an abortable error; 0 = never.
    int abort_every = 0;
  };

  // The mode kafka.delivery names.
  static std::unique_ptr<Delivery> create(const Context& context);
  virtual ~Delivery() = default;
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  // Worker thread: publish the article or dead letter of a finished page.
  void on_page_done(Article&& article, const PipelineOutcome& outcome);
  // Delivery-report thread.
  void on_delivered(const kafka::DeliveryTag& tag, const Status& status);

  // --- poll-loop thread
  // False while polled records must be dropped and none dispatched (an
  // abort is pending: they are consumed again after the rewind).
  virtual bool accepting() const { return true; }
  // Before each poll: finish a pending abort.
  virtual void before_poll() {}
  // A page was handed to the workers.
  void dispatched() { dispatched_since_commit_ = true; }
  // After each poll: store or commit offsets when due.
  virtual void after_poll(Clock::time_point now) = 0;
  // Partitions were lost (session expired): their pages are redone elsewhere.
  virtual void on_lost() {}
  // Partitions are being revoked; `idle`: no page is left in the workers.
  virtual void on_revoking(const std::vector<TopicPartition>& partitions, bool idle, bool stopping) = 0;
  // Shutdown, after draining the workers: flush the producer, then commit
  // what is done (or abort what cannot be committed).
  virtual void flush_for_shutdown(std::chrono::milliseconds timeout) = 0;
  virtual void commit_for_shutdown(bool drained, std::chrono::milliseconds timeout) = 0;

  uint64_t dead_letters() const { return dead_letters_.load(); }

 protected:
  explicit Delivery(const Context& context);

  // Results of pages finished now are thrown away (an abort is pending).
  virtual bool discarding() const { return false; }
  // The transaction generation a record produced now belongs to.
  virtual uint64_t epoch() const { return 0; }
  // A delivery report of an aborted generation.
  virtual bool stale(const kafka::DeliveryTag&) const { return false; }
  // The page's record is queued in the producer / acknowledged by the broker.
  virtual void produced(const TopicPartition&, int64_t) {}
  virtual void delivered(const TopicPartition&, int64_t) {}
  // A record could not be produced or delivered.
  virtual void output_failed(const std::string& why) = 0;
  // Delivery-report thread: the broker refused a page's article for a
  // reason no retry fixes (`status`: kTooLarge or kRejected).
  virtual void article_refused(const kafka::DeliveryTag& tag, const Status& status) = 0;

  // Publishes the page's dead letter; `stage` failed with `status`.
  Status send_dead_letter(const Article& article, const Status& status, std::string_view stage, uint64_t gen);
  // exactly_once: the article of this page was refused in a transaction that
  // is being aborted; when the page comes again it becomes a dead letter.
  void remember_refusal(const TopicPartition& tp, int64_t offset, const Status& status);
  Status take_refusal(const TopicPartition& tp, int64_t offset);

  const Context ctx_;
  bool dispatched_since_commit_ = false;  // poll-loop thread
  Counter* commit_failures_;

 private:
  std::atomic<uint64_t> dead_letters_{0};
  std::mutex refused_mu_;
  std::map<std::pair<TopicPartition, int64_t>, Status> refused_;  // guarded by refused_mu_
  Counter* state_errors_;
  Counter* produced_;
  Counter* dropped_;
  Counter* delivery_failures_;
};

class AtLeastOnceDelivery final : public Delivery {
 public:
  explicit AtLeastOnceDelivery(const Context& context);

  void after_poll(Clock::time_point now) override;
  void on_revoking(const std::vector<TopicPartition>& partitions, bool idle, bool stopping) override;
  void flush_for_shutdown(std::chrono::milliseconds timeout) override;
  void commit_for_shutdown(bool drained, std::chrono::milliseconds timeout) override;

 private:
  void delivered(const TopicPartition& tp, int64_t offset) override;
  void output_failed(const std::string& why) override;
  void article_refused(const kafka::DeliveryTag& tag, const Status& status) override;
  // Flushes, stores and commits the committable offsets now.
  void commit_now(std::chrono::milliseconds timeout);

  Clock::time_point last_store_ = Clock::now();
};

class TransactionalDelivery final : public Delivery {
 public:
  explicit TransactionalDelivery(const Context& context);

  bool accepting() const override { return !abort_requested_.load(); }
  void before_poll() override;
  void after_poll(Clock::time_point now) override;
  void on_lost() override;
  void on_revoking(const std::vector<TopicPartition>& partitions, bool idle, bool stopping) override;
  void flush_for_shutdown(std::chrono::milliseconds timeout) override;
  void commit_for_shutdown(bool drained, std::chrono::milliseconds timeout) override;

 private:
  bool discarding() const override { return abort_requested_.load(); }
  uint64_t epoch() const override { return epoch_.load(); }
  bool stale(const kafka::DeliveryTag& tag) const override { return tag.epoch != epoch_.load(); }
  void produced(const TopicPartition& tp, int64_t offset) override;
  void output_failed(const std::string& why) override;
  void article_refused(const kafka::DeliveryTag& tag, const Status& status) override;
  // Flushes and commits the transaction with the committable offsets.
  void commit_now(std::chrono::milliseconds timeout);
  // Any thread: the open transaction must be aborted. From now on finished
  // pages are discarded and polled records dropped.
  void request_abort(const std::string& why);
  // Poll-loop thread: once no page is in the workers, aborts the
  // transaction, rewinds every assigned partition except `revoking` to its
  // committed offset and starts afresh. Returns early (to be called again)
  // while pages are still in the workers.
  void abort_and_rewind(const std::vector<TopicPartition>& revoking = {});

  Counter* txn_aborts_;
  Clock::time_point last_commit_ = Clock::now();
  std::mutex abort_mu_;
  std::string abort_reason_;  // guarded by abort_mu_
  // Set by any thread, cleared by abort_and_rewind.
  std::atomic<bool> abort_requested_{false};
  // Transaction generation, bumped by each abort; delivery reports of
  // earlier generations are ignored.
  std::atomic<uint64_t> epoch_{0};
  int consecutive_aborts_ = 0;
  uint64_t transactions_ = 0;  // commit attempts, for Context::abort_every
};

}  // namespace newsd
