// TransactionalDelivery (daemon/delivery.h): exactly_once.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/delivery.h"

namespace newsd {
namespace {

using std::chrono::milliseconds;

// This many aborts in a row without a commit between them is a persistent
// fault (e.g. an output the broker always refuses), not a blip.
constexpr int kMaxConsecutiveAborts = 10;

}  // namespace

TransactionalDelivery::TransactionalDelivery(const Context& context)
    : Delivery(context),
      txn_aborts_(&context.metrics.counter("newsd_transaction_aborts_total",
                                           "exactly_once transactions aborted and redone after an abortable error")) {
  // The index must be able to take back what an aborted transaction added.
  if (ctx_.dedup) ctx_.dedup->track_changes();
}

void TransactionalDelivery::article_refused(const kafka::DeliveryTag& tag, const Status& status) {
  // The transaction cannot commit with a failed record in it: abort, and
  // when the page comes again after the rewind it is a dead letter.
  remember_refusal(tag.source, tag.offset,
                   Status(status.code(), ctx_.config.kafka.output_topic + " refused the article: " + status.message()));
  request_abort(tag.source.topic + "/" + std::to_string(tag.source.partition) + "@" + std::to_string(tag.offset) +
                ": " + status.message());
}

void TransactionalDelivery::produced(const TopicPartition& tp, int64_t offset) {
  // The record is part of the open transaction, which commits only with
  // every record of it delivered, so the page is done for the offsets sent
  // with that commit (waiting for delivery reports instead would commit
  // offsets behind the outputs).
  ctx_.tracker.ack(tp, offset);
}

void TransactionalDelivery::output_failed(const std::string& why) {
  std::string fatal;
  if (ctx_.sink.fatal_error(fatal))
    ctx_.host.fail(fatal);
  else
    request_abort(why);
}

void TransactionalDelivery::before_poll() {
  if (abort_requested_.load()) abort_and_rewind();
}

void TransactionalDelivery::after_poll(Clock::time_point now) {
  if (!dispatched_since_commit_ || abort_requested_.load() || now - last_commit_ < ctx_.config.kafka.commit_interval)
    return;
  // Outputs and offsets must enter the same transaction: finish what the
  // workers hold, then commit. Bounded so the loop still polls in time.
  if (ctx_.host.wait_for_workers(Clock::now() + ctx_.config.kafka.max_poll_interval / 2))
    commit_now(ctx_.config.shutdown.timeout);
}

void TransactionalDelivery::on_lost() {
  // Their records in the open transaction must not become visible: the new
  // owner redoes them.
  request_abort("partitions lost");
}

void TransactionalDelivery::on_revoking(const std::vector<TopicPartition>& partitions, bool idle, bool stopping) {
  // Their outputs would land in the open transaction without their offsets,
  // so the new owner would publish them again: abort instead.
  if (!idle && !stopping) request_abort("revocation while pages are in the workers");
  if (idle && dispatched_since_commit_ && !ctx_.host.failed() && !abort_requested_.load())
    commit_now(ctx_.config.shutdown.timeout);
  if (idle && !stopping && abort_requested_.load()) abort_and_rewind(partitions);
}

void TransactionalDelivery::flush_for_shutdown(milliseconds timeout) {
  // A failed transaction cannot flush (its records wait for the abort).
  if (abort_requested_.load()) return;
  if (Status s = ctx_.sink.flush(timeout); !s.is_ok()) spdlog::warn("shutdown: {}", s.message());
}

void TransactionalDelivery::commit_for_shutdown(bool drained, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const auto remaining = [&] {
    return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
  };
  if (drained && !ctx_.host.failed() && !abort_requested_.load() && dispatched_since_commit_) commit_now(remaining());
  // Not committed (failure, abort pending, time out): abort, so nothing of
  // it is visible; its inputs are consumed again after a restart.
  if (!drained || ctx_.host.failed() || abort_requested_.load()) ctx_.sink.abort_transaction(remaining());
}

void TransactionalDelivery::commit_now(milliseconds timeout) {
  // commit_transaction flushes by itself, and returns at once when the
  // transaction already failed (a flush would wait out the timeout).
  if (ctx_.abort_every > 0 && ++transactions_ % static_cast<uint64_t>(ctx_.abort_every) == 0) {
    // Its records reach the log first, so readers must skip them.
    (void)ctx_.sink.flush(timeout);
    request_abort("test hook: every " + std::to_string(ctx_.abort_every) + "th transaction is aborted");
    return;
  }
  std::string why;
  switch (ctx_.sink.commit_transaction(ctx_.source, ctx_.tracker.committable(), timeout, why)) {
    case kafka::KafkaSink::TxnError::kNone:
      if (ctx_.dedup) ctx_.dedup->commit_changes();
      dispatched_since_commit_ = false;
      last_commit_ = Clock::now();
      consecutive_aborts_ = 0;
      return;
    case kafka::KafkaSink::TxnError::kAbortable:
      commit_failures_->inc();
      request_abort(why);
      return;
    case kafka::KafkaSink::TxnError::kFatal:
      commit_failures_->inc();
      ctx_.host.fail(why);
      return;
  }
}

void TransactionalDelivery::request_abort(const std::string& why) {
  {
    std::lock_guard lock(abort_mu_);
    if (abort_requested_.load()) return;
    abort_reason_ = why;
    abort_requested_.store(true);
  }
  spdlog::warn("kafka: transaction must be aborted: {}", why);
}

void TransactionalDelivery::abort_and_rewind(const std::vector<TopicPartition>& revoking) {
  ctx_.host.discard_backlog();           // consumed again after the rewind
  if (ctx_.host.workers_busy()) return;  // the workers discard what they finish
  // Nothing of this generation can be produced any more: its delivery
  // reports (including the purge of the abort) are stale from here on.
  epoch_.fetch_add(1);
  std::string why;
  {
    std::lock_guard lock(abort_mu_);
    why = abort_reason_;
  }
  const milliseconds timeout = ctx_.config.shutdown.timeout;
  std::string error;
  if (!ctx_.sink.abort_and_begin(timeout, error)) {
    ctx_.host.fail("aborting the transaction failed: " + error);
    return;
  }
  // No replica sees this transaction's fingerprints; this one forgets them
  // too, so the redone pages are judged as the first time.
  if (ctx_.dedup) ctx_.dedup->rollback_changes();
  const std::vector<TopicPartition>& assignment = ctx_.host.assignment();
  std::vector<TopicPartition> rewind;
  for (const TopicPartition& tp : assignment)
    if (std::find(revoking.begin(), revoking.end(), tp) == revoking.end()) rewind.push_back(tp);
  if (Status s = ctx_.source.rewind(rewind, timeout); !s.is_ok()) {
    ctx_.host.fail("rewinding after an aborted transaction: " + s.message());  // going on would skip pages
    return;
  }
  for (const TopicPartition& tp : assignment) ctx_.tracker.assign(tp);
  dispatched_since_commit_ = false;
  last_commit_ = Clock::now();
  txn_aborts_->inc();
  spdlog::warn("kafka: transaction aborted ({}); {} partitions rewound to their committed offsets", why, rewind.size());
  abort_requested_.store(false);
  if (++consecutive_aborts_ >= kMaxConsecutiveAborts)
    ctx_.host.fail(std::to_string(consecutive_aborts_) + " transactions aborted in a row; last: " + why);
}

}  // namespace newsd
