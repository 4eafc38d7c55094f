// Daemon: the `newsd run` loop. Consume pages from Kafka, run them through
// the worker pool, publish articles and dead letters, commit offsets only
// for pages whose output is durable.
//
//   start()      create producer (exactly_once: init transactions), worker
//                pool and consumer; subscribe.
//   poll_once()  one round of the loop: poll one record (or a rebalance
//                event), hand queued records to the workers, pause every
//                partition while the backlog in front of the queue is full
//                and resume when it has drained to half, store committable offsets, commit the
//                transaction every kafka.commit_interval (exactly_once).
//   shutdown()   named steps within shutdown.timeout: stop polling, drain
//                workers, flush producer, commit offsets, close consumer,
//                close producer.
//
// The loop never waits on a worker, so a slow page cannot push it past
// max.poll.interval.ms; back-pressure is partition pause/resume.
//
// Delivery: at_least_once stores per partition the highest offset below
// which every page is done (OffsetTracker); librdkafka commits it every
// commit_interval, and the daemon commits synchronously on revocation and
// shutdown. exactly_once drains the workers, flushes, and commits the
// transaction with those offsets, so outputs and offsets become visible
// together. An abortable transaction error (a failed produce, delivery or
// commit that librdkafka says requires an abort, or a revocation while pages
// are in the workers) does not stop the daemon: the transaction is aborted,
// the results of its pages are discarded, every assigned partition is
// rewound to its committed offset and processing goes on
// (newsd_transaction_aborts_total). Only fatal producer errors, failures of
// the abort or rewind themselves, or kMaxConsecutiveAborts aborts without a
// commit in between stop it.
//
// Hook points for the operations side (HTTP /metrics, probes, systemd): the
// health accessors below; every metric goes to the SharedState's registry.
//
// Thread-safety: start/poll_once/shutdown are for one thread (the poll
// loop). The health accessors may be called from any thread. Worker threads
// and the producer's delivery thread call back into the daemon internally.
// Lifetimes: config and shared state outlive the daemon.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "daemon/kafka/sink.h"
#include "daemon/kafka/source.h"
#include "daemon/offset_tracker.h"
#include "daemon/worker_pool.h"
#include "stages/pipeline.h"

namespace newsd {

class Daemon final : private kafka::KafkaSource::Listener {
 public:
  struct Options {
    int workers = 1;
    // Test hook: every page takes at least this long in its worker (a slow
    // stage), to show that slow pages do not get the consumer kicked out.
    std::chrono::milliseconds page_delay{0};
    // Test hook (exactly_once): every Nth transaction is flushed and then
    // aborted instead of committed, as after an abortable error; 0 = never.
    int abort_every = 0;
  };

  Daemon(const Config& config, SharedState& shared, Options options);
  ~Daemon() override;
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  Status start();
  void poll_once();
  // Returns the process exit status: 0 clean, 1 after a failure or when a
  // step ran out of time (offsets of unfinished pages are not committed;
  // those pages are consumed again after a restart).
  int shutdown();

  // A fatal error (delivery failed for good, transaction failed, fatal
  // consumer error): the loop should stop and shutdown() will return 1.
  bool failed() const { return failed_.load(); }
  std::string failure() const;
  // After shutdown(): workers were still busy when time ran out, so the pool
  // cannot be joined; the caller must leave with _Exit.
  bool abandoned_workers() const { return abandoned_workers_; }

  // --- health, for probes and the watchdog
  std::chrono::steady_clock::time_point last_poll() const;
  size_t assigned_partitions() const { return assigned_.load(); }
  bool paused() const { return paused_; }
  bool draining() const { return draining_.load(); }

  // Totals, also in the registry; for the exit summary.
  struct Totals {
    uint64_t consumed, produced, dead_letters, dropped, rebalances, commit_failures;
  };
  Totals totals() const;

 private:
  // KafkaSource::Listener, called from inside poll on this thread.
  void on_assigned(const std::vector<TopicPartition>& partitions) override;
  void on_revoking(const std::vector<TopicPartition>& partitions, bool lost) override;

  // Worker thread: publish the article or dead letter of a finished page.
  void on_page_done(Article&& article, PipelineOutcome outcome);
  // Delivery-report thread.
  void on_delivered(const kafka::DeliveryTag& tag, const Status& status);

  void dispatch_backlog();
  bool backlog_full() const;
  void update_pause();
  void store_offsets();
  // Waits until no page is in the pool, or until `deadline`. True if idle.
  bool wait_for_workers(std::chrono::steady_clock::time_point deadline);
  // at_least_once: commit now; exactly_once: flush, commit the transaction.
  void commit_now(std::chrono::milliseconds timeout);
  void fail(const std::string& why);
  // A record could not be produced or delivered: at_least_once stops,
  // exactly_once aborts the transaction unless the producer is dead.
  void output_failed(const std::string& why);
  // Any thread (exactly_once): the open transaction must be aborted. From
  // now on finished pages are discarded and polled records dropped.
  void request_abort(const std::string& why);
  // Poll-loop thread: once no page is in the workers, aborts the
  // transaction, rewinds every assigned partition except `revoking` to its
  // committed offset and starts afresh. Returns early (to be called again)
  // while pages are still in the workers.
  void abort_and_rewind(const std::vector<TopicPartition>& revoking = {});

  const Config& config_;
  SharedState& shared_;
  const Options options_;
  const bool exactly_once_;
  const size_t max_pages_;

  OffsetTracker tracker_;
  // Polled, not yet accepted by the pool (poll-loop thread only). At most
  // queue.buffer_pages, and with the pool's queue at most queue.max_bytes
  // of payload (one page may overshoot), besides librdkafka's prefetch.
  std::deque<Article> backlog_;
  size_t backlog_bytes_ = 0;
  std::vector<TopicPartition> assignment_;
  bool paused_ = false;
  bool stopping_ = false;
  bool dispatched_since_commit_ = false;
  bool abandoned_workers_ = false;
  std::atomic<uint64_t> dead_letters_{0};
  std::chrono::steady_clock::time_point last_store_;
  std::chrono::steady_clock::time_point last_commit_;
  std::atomic<int64_t> last_poll_ns_{0};
  std::atomic<size_t> assigned_{0};
  std::atomic<bool> draining_{false};
  std::atomic<bool> failed_{false};
  mutable std::mutex failure_mu_;
  std::string failure_;
  std::string abort_reason_;  // guarded by failure_mu_
  // exactly_once: set by any thread, cleared by abort_and_rewind.
  std::atomic<bool> abort_requested_{false};
  // exactly_once: transaction generation, bumped by each abort; delivery
  // reports of earlier generations are ignored.
  std::atomic<uint64_t> epoch_{0};
  int consecutive_aborts_ = 0;
  uint64_t transactions_ = 0;  // commit attempts, for Options::abort_every

  Counter* consumed_;
  Counter* produced_;
  Counter* dropped_;
  Counter* rebalances_;
  Counter* commit_failures_;
  Counter* delivery_failures_;
  Counter* txn_aborts_;
  Gauge* paused_partitions_;
  Gauge* in_flight_;
  Gauge* assigned_gauge_;

  // Destruction order matters: the pool (whose workers produce) goes first,
  // then the consumer, then the producer (whose delivery thread acks into the
  // tracker above).
  std::unique_ptr<kafka::KafkaSink> sink_;
  std::unique_ptr<kafka::KafkaSource> source_;
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace newsd
