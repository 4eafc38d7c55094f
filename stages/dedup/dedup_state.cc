#include "stages/dedup/dedup_state.h"

namespace newsd::dedup {

DedupState::DedupState(const DedupConfig& config, MetricsRegistry& metrics)
    : index_(FingerprintIndex::Options{config.capacity, config.max_distance, config.min_similarity,
                                       std::chrono::duration_cast<std::chrono::minutes>(config.window).count()}),
      appended_(metrics.counter("newsd_dedup_state_records_total", "Fingerprint records exchanged with the state log",
                                {{"direction", "appended"}})),
      applied_(metrics.counter("newsd_dedup_state_records_total", "Fingerprint records exchanged with the state log",
                               {{"direction", "applied"}})),
      log_errors_(metrics.counter("newsd_dedup_state_errors_total", "Failed appends to or reads from the state log")),
      order_timeouts_(metrics.counter("newsd_dedup_order_timeouts_total",
                                      "Pages that stopped waiting for their input-order turn (a lost sequence)")),
      redelivered_(metrics.counter("newsd_dedup_redelivered_total",
                                   "Pages found at the position of their own fingerprint (processed again "
                                   "after a crash, an abort or a rebalance); they get their first verdict back")),
      rolled_back_(metrics.counter("newsd_dedup_rolled_back_total",
                                   "Fingerprints taken back from the index because their transaction was aborted")),
      fingerprints_(metrics.gauge("newsd_dedup_fingerprints", "Fingerprints held by the dedup index")),
      bytes_(metrics.gauge("newsd_dedup_index_bytes", "Memory held by the dedup index")) {
  if (config.ordered) gate_.emplace(0);
  for (DedupStatus s : {DedupStatus::kUnique, DedupStatus::kExactDuplicate, DedupStatus::kNearDuplicate,
                        DedupStatus::kSameUrl, DedupStatus::kUpdated, DedupStatus::kTooShort}) {
    const std::string status(dedup_status_name(s));
    // The copies downstream would count twice, apart for alerting and the summary line.
    const bool duplicate =
        s == DedupStatus::kExactDuplicate || s == DedupStatus::kNearDuplicate || s == DedupStatus::kSameUrl;
    verdicts_.push_back(
        {&metrics.counter("newsd_dedup_verdicts_total", "Dedup verdicts, by status", {{"status", status}}),
         duplicate ? &metrics.counter("newsd_duplicates_total",
                                      "Pages found to be copies of an earlier page, by verdict", {{"verdict", status}})
                   : nullptr});
  }
}

void DedupState::count_verdict(DedupStatus status) {
  const VerdictCounters& v = verdicts_[static_cast<size_t>(status)];
  v.all->inc();
  if (v.duplicates != nullptr) v.duplicates->inc();
}

DedupState::~DedupState() {
  stop_ = true;
  if (tailer_.joinable()) tailer_.join();
}

Match DedupState::check(uint64_t sequence, const FingerprintRecord& record,
                        std::optional<FingerprintRecord>* accepted) {
  if (gate_ && !gate_->wait_turn(sequence)) order_timeouts_.inc();
  FingerprintIndex::Change change;
  const Match m = index_.check_and_insert(record, true, &change);
  if (gate_) gate_->release(sequence);
  if (m.redelivered) redelivered_.inc();
  if (change.inserted) {
    if (accepted) *accepted = change.stored;
    if (log_ && append_) {
      if (log_->append(change.stored).is_ok())
        appended_.inc();
      else
        log_errors_.inc();
    }
    if (tracking_) {
      std::lock_guard lock(changes_mu_);
      changes_.push_back(std::move(change));
    }
  }
  if ((checks_.fetch_add(1, std::memory_order_relaxed) & 1023) == 0) update_gauges();
  return m;
}

void DedupState::skip(uint64_t sequence) {
  if (gate_) gate_->release(sequence);
}

void DedupState::update_gauges() {
  fingerprints_.set(static_cast<double>(index_.size()));
  bytes_.set(static_cast<double>(index_.memory_bytes()));
}

void DedupState::track_changes() {
  tracking_ = true;
}

void DedupState::commit_changes() {
  std::lock_guard lock(changes_mu_);
  changes_.clear();
}

size_t DedupState::rollback_changes() {
  std::lock_guard lock(changes_mu_);
  for (auto it = changes_.rbegin(); it != changes_.rend(); ++it) index_.undo(*it);
  const size_t n = changes_.size();
  rolled_back_.inc(n);
  changes_.clear();
  update_gauges();
  return n;
}

Status DedupState::catch_up(std::chrono::milliseconds timeout) {
  return log_ ? log_->catch_up(timeout) : Status::ok();
}

Status DedupState::attach_log(std::unique_ptr<FingerprintLog> log, bool append) {
  if (log_) return internal_error("dedup state log attached twice");
  Status status = log->replay([this](const FingerprintRecord& r) {
    if (index_.add(r)) applied_.inc();
  });
  if (!status.is_ok()) return status;
  update_gauges();
  log_ = std::move(log);
  append_ = append;
  tailer_ = std::thread([this] { tail(); });
  return Status::ok();
}

void DedupState::tail() {
  while (!stop_) {
    Status status = log_->poll(
        [this](const FingerprintRecord& r) {
          if (index_.add(r)) applied_.inc();
        },
        std::chrono::milliseconds(100));
    if (!status.is_ok()) {
      log_errors_.inc();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

}  // namespace newsd::dedup
