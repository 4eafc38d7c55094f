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
// Delivery (acks, commits, aborts, rewinds) is the Delivery object of the
// configured mode (daemon/delivery.h); queueing and pause/resume are the
// Backlog (daemon/backlog.h). The daemon owns the clients and the workers
// and ties the three together.
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
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/backlog.h"
#include "daemon/config.h"
#include "daemon/delivery.h"
#include "daemon/kafka/sink.h"
#include "daemon/kafka/source.h"
#include "daemon/offset_tracker.h"
#include "daemon/worker_pool.h"
#include "stages/pipeline.h"

namespace newsd {

class Daemon final : private kafka::KafkaSource::Listener, private Delivery::Host {
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
  bool failed() const override { return failed_.load(); }
  std::string failure() const;
  // After shutdown(): workers were still busy when time ran out, so the pool
  // cannot be joined; the caller must leave with _Exit.
  bool abandoned_workers() const { return abandoned_workers_; }

  // --- health, for probes and the watchdog
  std::chrono::steady_clock::time_point last_poll() const;
  size_t assigned_partitions() const { return assigned_.load(); }
  // How long the busiest worker has been on its current page (zero: all idle).
  std::chrono::steady_clock::duration longest_page() const;
  bool paused() const { return backlog_.paused(); }
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

  // Delivery::Host
  void fail(const std::string& why) override;
  bool wait_for_workers(std::chrono::steady_clock::time_point deadline) override;
  bool workers_busy() const override { return pool_->in_flight() > 0; }
  void discard_backlog() override { backlog_.clear(); }
  const std::vector<TopicPartition>& assignment() const override { return assignment_; }

  // Worker thread.
  void on_page_done(Article&& article, PipelineOutcome outcome);
  void dispatch_backlog();
  void update_pause();

  const Config& config_;
  SharedState& shared_;
  const Options options_;
  const size_t max_pages_;

  OffsetTracker tracker_;
  // Polled, not yet accepted by the pool (poll-loop thread only). At most
  // queue.buffer_pages, and with the pool's queue at most queue.max_bytes
  // of payload (one page may overshoot), besides librdkafka's prefetch.
  Backlog backlog_;
  std::vector<TopicPartition> assignment_;
  bool stopping_ = false;
  bool abandoned_workers_ = false;
  std::atomic<int64_t> last_poll_ns_{0};
  std::atomic<size_t> assigned_{0};
  std::atomic<bool> draining_{false};
  std::atomic<bool> failed_{false};
  mutable std::mutex failure_mu_;
  std::string failure_;  // guarded by failure_mu_

  Counter* consumed_;
  Counter* produced_;
  Counter* dropped_;
  Counter* rebalances_;
  Counter* commit_failures_;
  Gauge* paused_partitions_;
  Gauge* in_flight_;
  Gauge* assigned_gauge_;

  // Destruction order matters: the pool (whose workers produce) goes first,
  // then the consumer, then the producer (whose delivery thread calls the
  // delivery, which acks into the tracker above).
  std::unique_ptr<Delivery> delivery_;
  std::unique_ptr<kafka::KafkaSink> sink_;
  std::unique_ptr<kafka::KafkaSource> source_;
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace newsd
