// DedupState: the dedup stage's shared part, one per process (in SharedState).
//
// Owns the FingerprintIndex, the optional SequenceGate (`newsd process`: index
// operations in input order) and the optional FingerprintLog (`newsd run`:
// fingerprints shared with restarts and replicas through a compacted topic).
//
// Thread-safety: check() and skip() are called by every worker concurrently.
// attach_log() is called once, before the workers start; the tailer thread it
// starts applies other replicas' records to the index until destruction.
// Lifetimes: must outlive every DedupStage built on it; the metrics registry
// must outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "stages/dedup/dedup_config.h"
#include "stages/dedup/fingerprint_index.h"
#include "stages/dedup/fingerprint_log.h"
#include "stages/dedup/sequence_gate.h"
#include "stages/metrics.h"

namespace newsd::dedup {

class DedupState {
 public:
  DedupState(const DedupConfig& config, MetricsRegistry& metrics);
  ~DedupState();
  DedupState(const DedupState&) = delete;
  DedupState& operator=(const DedupState&) = delete;

  // Waits for the article's turn (ordered mode), then checks it against the
  // index and inserts it if new, then lets the next sequence through. An
  // accepted fingerprint (as stored, verdict fields set) goes to `accepted`
  // and is appended to the log if one is attached that takes appends.
  Match check(uint64_t sequence, const FingerprintRecord& record, std::optional<FingerprintRecord>* accepted = nullptr);

  // The page with this sequence passed dedup without an index operation, or
  // will never reach it (failed earlier). No-op when unordered or repeated.
  void skip(uint64_t sequence);

  // Replays everything in `log` into the index, then tails it on a thread.
  // `append`: check() appends accepted fingerprints to it; false when the
  // caller publishes them itself (`newsd run`: in its own transaction).
  // Returns the replay's error, if any (the log is then not attached).
  Status attach_log(std::unique_ptr<FingerprintLog> log, bool append = true);

  // Returns once the index holds every record the log had when called (a
  // replica taking over partitions first sees what their last owner
  // committed). Ok at once without a log.
  Status catch_up(std::chrono::milliseconds timeout);

  // exactly_once: the index changes of pages whose transaction is still
  // open are kept, so that an abort can take them back. After
  // track_changes(), commit_changes() forgets them (the transaction
  // committed) and rollback_changes() undoes them newest first (it was
  // aborted; the pages will be processed again). Call neither while a
  // worker is in check().
  void track_changes();
  void commit_changes();
  size_t rollback_changes();

  // Counts a verdict in newsd_dedup_verdicts_total{status}, and copies also in
  // newsd_duplicates_total{verdict}.
  void count_verdict(DedupStatus status);

  FingerprintIndex& index() { return index_; }
  bool ordered() const { return gate_.has_value(); }

 private:
  void tail();
  void update_gauges();

  FingerprintIndex index_;
  std::optional<SequenceGate> gate_;
  std::unique_ptr<FingerprintLog> log_;
  bool append_ = true;
  bool tracking_ = false;
  std::mutex changes_mu_;
  std::vector<FingerprintIndex::Change> changes_;  // since the last commit, when tracking_
  std::atomic<bool> stop_{false};
  std::thread tailer_;

  Counter& appended_;
  Counter& applied_;
  Counter& log_errors_;
  Counter& order_timeouts_;
  Counter& redelivered_;
  Counter& rolled_back_;
  Gauge& fingerprints_;
  Gauge& bytes_;
  std::atomic<uint64_t> checks_{0};
  struct VerdictCounters {
    Counter* all;         // newsd_dedup_verdicts_total{status}
    Counter* duplicates;  // newsd_duplicates_total{verdict}; null for unique, updated, too_short
  };
  std::vector<VerdictCounters> verdicts_;  // by DedupStatus; fixed after construction
};

}  // namespace newsd::dedup
