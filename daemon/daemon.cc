#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace newsd {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Room left in a dead-letter record for headers, below kafka.max_message_bytes.
constexpr size_t kDeadLetterHeadroom = 64 * 1024;
// exactly_once: this many aborts in a row without a commit between them is a
// persistent fault (e.g. an output the broker always refuses), not a blip.
constexpr int kMaxConsecutiveAborts = 10;

milliseconds remaining(Clock::time_point deadline) {
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
}

std::string describe(const std::vector<TopicPartition>& tps) {
  std::string out;
  for (const TopicPartition& tp : tps) out += (out.empty() ? "" : ", ") + tp.topic + "/" + std::to_string(tp.partition);
  return out;
}

std::string describe_topics(const std::vector<std::string>& topics) {
  std::string out;
  for (const std::string& t : topics) out += (out.empty() ? "" : ",") + t;
  return out;
}

}  // namespace

Daemon::Daemon(const Config& config, SharedState& shared, Options options)
    : config_(config),
      shared_(shared),
      options_(options),
      exactly_once_(config.kafka.delivery == "exactly_once"),
      max_pages_(config.queue.max_pages > 0 ? static_cast<size_t>(config.queue.max_pages)
                                            : static_cast<size_t>(std::max(1, options.workers)) * 4) {
  MetricsRegistry& m = shared.metrics;
  consumed_ = &m.counter("newsd_pages_consumed_total", "Records consumed from the input topics");
  produced_ = &m.counter("newsd_pages_produced_total", "Articles delivered to the output topic");
  dropped_ = &m.counter("newsd_pages_dropped_on_purpose_total",
                        "Pages finished without output on purpose (e.g. dedup.drop); counted as done");
  rebalances_ = &m.counter("newsd_rebalances_total", "Partition assignments received from the group");
  commit_failures_ = &m.counter("newsd_commit_failures_total", "Offset or transaction commits that failed");
  delivery_failures_ = &m.counter("newsd_delivery_failures_total", "Records the producer could not deliver");
  txn_aborts_ = &m.counter("newsd_transaction_aborts_total",
                           "exactly_once transactions aborted and redone after an abortable error");
  paused_partitions_ = &m.gauge("newsd_paused_partitions", "Partitions paused because the work queue is full");
  in_flight_ = &m.gauge("newsd_pages_in_flight", "Pages consumed whose output is not yet delivered");
  assigned_gauge_ = &m.gauge("newsd_assigned_partitions", "Input partitions assigned to this instance");
  last_poll_ns_.store(Clock::now().time_since_epoch().count());
}

Daemon::~Daemon() {
  // Normally shutdown() ran; this only covers an aborted start.
  if (pool_) pool_->close();
  if (source_) source_->close();
  if (sink_) sink_->close();
}

Status Daemon::start() {
  std::string error;
  sink_ = kafka::KafkaSink::create(
      config_.kafka, [this](const kafka::DeliveryTag& tag, const Status& status) { on_delivered(tag, status); }, error);
  if (!sink_) return internal_error(error);
  pool_ = std::make_unique<WorkerPool>(config_, shared_, options_.workers,
                                       WorkerPool::Bounds{max_pages_, static_cast<size_t>(config_.queue.max_bytes)},
                                       [this](Article&& a, PipelineOutcome o) { on_page_done(std::move(a), std::move(o)); });
  source_ = kafka::KafkaSource::create(config_.kafka, *this, shared_.metrics, error);
  if (!source_) return internal_error(error);
  last_store_ = last_commit_ = Clock::now();
  spdlog::info("newsd run: {} workers, queue {} pages / {} bytes, {} from {} to {} (dead letters: {}), group {}",
               options_.workers, max_pages_, config_.queue.max_bytes, config_.kafka.delivery,
               describe_topics(config_.kafka.input_topics), config_.kafka.output_topic,
               config_.kafka.dead_letter_topic, config_.kafka.group_id);
  return Status::ok();
}

void Daemon::poll_once() {
  const auto now = Clock::now();
  last_poll_ns_.store(now.time_since_epoch().count());
  if (source_->failed()) fail(source_->failure());
  if (exactly_once_ && abort_requested_.load()) abort_and_rewind();

  dispatch_backlog();
  // Records the pool refused wait in the backlog. Only when the backlog is
  // full are the partitions paused: pausing drops librdkafka's prefetched
  // records, so pausing at every full queue would refetch all the time.
  // Keep polling while paused: rebalances and the group heartbeat need it.
  const bool room = !backlog_full();
  const milliseconds timeout = backlog_.empty() ? milliseconds(100) : milliseconds(2);
  Article article;
  for (int n = 0; n < 256 && (n == 0 || !backlog_full()) && source_->poll(n == 0 ? timeout : milliseconds(0), article);
       ++n) {
    // Read again after the rewind of the pending abort.
    if (abort_requested_.load()) continue;
    consumed_->inc();
    backlog_bytes_ += article.input.payload.size();
    backlog_.push_back(std::move(article));
    dispatch_backlog();
    if (!room) break;
  }
  update_pause();

  if (!exactly_once_ && now - last_store_ >= milliseconds(100)) store_offsets();
  if (exactly_once_ && dispatched_since_commit_ && !abort_requested_.load() &&
      now - last_commit_ >= config_.kafka.commit_interval) {
    // Outputs and offsets must enter the same transaction: finish what the
    // workers hold, then commit. Bounded so the loop still polls in time.
    if (wait_for_workers(Clock::now() + config_.kafka.max_poll_interval / 2)) commit_now(config_.shutdown.timeout);
  }
  in_flight_->set(static_cast<double>(tracker_.pending() + backlog_.size()));
}

void Daemon::dispatch_backlog() {
  while (!backlog_.empty() && !stopping_ && !abort_requested_.load()) {
    Article& a = backlog_.front();
    const TopicPartition tp{a.source.topic, a.source.partition};
    if (!tracker_.track(tp, a.source.offset)) {  // revoked meanwhile: the new owner reads it
      backlog_bytes_ -= a.input.payload.size();
      backlog_.pop_front();
      continue;
    }
    const size_t bytes = a.input.payload.size();
    if (!pool_->try_submit(a)) {
      tracker_.untrack_last(tp);
      return;
    }
    backlog_bytes_ -= bytes;
    backlog_.pop_front();
    dispatched_since_commit_ = true;
  }
}

bool Daemon::backlog_full() const {
  return backlog_.size() >= static_cast<size_t>(config_.queue.buffer_pages) ||
         backlog_bytes_ + pool_->queued_bytes() >= static_cast<size_t>(config_.queue.max_bytes);
}

void Daemon::update_pause() {
  if (!paused_ && backlog_full()) {
    source_->pause(assignment_);
    paused_ = true;
  } else if (paused_ && backlog_.size() <= static_cast<size_t>(config_.queue.buffer_pages) / 2 &&
             backlog_bytes_ + pool_->queued_bytes() <= static_cast<size_t>(config_.queue.max_bytes) / 2) {
    source_->resume(assignment_);
    paused_ = false;
  }
  paused_partitions_->set(paused_ ? static_cast<double>(assignment_.size()) : 0.0);
}

void Daemon::store_offsets() {
  last_store_ = Clock::now();
  if (Status s = source_->store(tracker_.committable()); !s.is_ok()) spdlog::warn("kafka: {}", s.message());
}

bool Daemon::wait_for_workers(Clock::time_point deadline) {
  while (pool_->in_flight() > 0) {
    if (Clock::now() >= deadline) return false;
    last_poll_ns_.store(Clock::now().time_since_epoch().count());
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

void Daemon::commit_now(milliseconds timeout) {
  if (exactly_once_) {
    // commit_transaction flushes by itself, and returns at once when the
    // transaction already failed (a flush would wait out the timeout).
    std::string why;
    if (options_.abort_every > 0 && ++transactions_ % static_cast<uint64_t>(options_.abort_every) == 0) {
      // Its records reach the log first, so readers must skip them.
      (void)sink_->flush(timeout);
      request_abort("test hook: every " + std::to_string(options_.abort_every) + "th transaction is aborted");
      return;
    }
    const std::vector<PartitionOffset> offsets = tracker_.committable();
    switch (sink_->commit_transaction(*source_, offsets, timeout, why)) {
      case kafka::KafkaSink::TxnError::kNone:
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
        fail(why);
        return;
    }
    return;
  }
  if (Status s = sink_->flush(timeout); !s.is_ok()) spdlog::warn("kafka: {}", s.message());
  const std::vector<PartitionOffset> offsets = tracker_.committable();
  (void)source_->store(offsets);
  // A failure is counted by the source; the pages are redone after a restart
  // or by the next owner (duplicates, never loss).
  if (Status s = source_->commit(offsets); !s.is_ok()) spdlog::warn("kafka: {}", s.message());
}

void Daemon::request_abort(const std::string& why) {
  {
    std::lock_guard lock(failure_mu_);
    if (abort_requested_.load()) return;
    abort_reason_ = why;
    abort_requested_.store(true);
  }
  spdlog::warn("kafka: transaction must be aborted: {}", why);
}

void Daemon::abort_and_rewind(const std::vector<TopicPartition>& revoking) {
  backlog_bytes_ = 0;
  backlog_.clear();  // consumed again after the rewind
  if (pool_->in_flight() > 0) return;  // the workers discard what they finish
  // Nothing of this generation can be produced any more: its delivery
  // reports (including the purge of the abort) are stale from here on.
  epoch_.fetch_add(1);
  std::string why;
  {
    std::lock_guard lock(failure_mu_);
    why = abort_reason_;
  }
  std::string error;
  if (!sink_->abort_and_begin(config_.shutdown.timeout, error)) {
    fail("aborting the transaction failed: " + error);
    return;
  }
  std::vector<TopicPartition> rewind;
  for (const TopicPartition& tp : assignment_)
    if (std::find(revoking.begin(), revoking.end(), tp) == revoking.end()) rewind.push_back(tp);
  if (Status s = source_->rewind(rewind, config_.shutdown.timeout); !s.is_ok()) {
    fail("rewinding after an aborted transaction: " + s.message());  // going on would skip pages
    return;
  }
  for (const TopicPartition& tp : assignment_) tracker_.assign(tp);
  dispatched_since_commit_ = false;
  last_commit_ = Clock::now();
  txn_aborts_->inc();
  spdlog::warn("kafka: transaction aborted ({}); {} partitions rewound to their committed offsets", why,
               rewind.size());
  abort_requested_.store(false);
  if (++consecutive_aborts_ >= kMaxConsecutiveAborts)
    fail(std::to_string(consecutive_aborts_) + " transactions aborted in a row; last: " + why);
}

void Daemon::output_failed(const std::string& why) {
  std::string fatal;
  if (!exactly_once_) fail(why);
  else if (sink_->fatal_error(fatal)) fail(fatal);
  else request_abort(why);
}

void Daemon::on_assigned(const std::vector<TopicPartition>& partitions) {
  for (const TopicPartition& tp : partitions) {
    tracker_.assign(tp);
    assignment_.push_back(tp);
  }
  rebalances_->inc();
  assigned_.store(assignment_.size());
  assigned_gauge_->set(static_cast<double>(assignment_.size()));
  if (paused_) source_->pause(partitions);
  spdlog::info("kafka: assigned {} partitions: {}", partitions.size(), describe(partitions));
}

void Daemon::on_revoking(const std::vector<TopicPartition>& partitions, bool lost) {
  draining_.store(true);
  const auto is_revoked = [&](const TopicPartition& tp) {
    return std::find(partitions.begin(), partitions.end(), tp) != partitions.end();
  };
  // Step 1: stop dispatching their records.
  std::erase_if(backlog_, [&](const Article& a) { return is_revoked({a.source.topic, a.source.partition}); });
  backlog_bytes_ = 0;
  for (const Article& a : backlog_) backlog_bytes_ += a.input.payload.size();
  if (lost) {
    spdlog::warn("kafka: lost {} partitions (session expired); their unfinished pages will be redelivered",
                 partitions.size());
    // Their records in the open transaction must not become visible: the
    // new owner redoes them.
    if (exactly_once_) request_abort("partitions lost");
  } else {
    // Step 2: a bounded wait for pages in flight, then step 3: commit.
    const auto deadline = Clock::now() + (stopping_ ? milliseconds(0) : config_.shutdown.revoke_timeout);
    const bool idle = wait_for_workers(deadline);
    if (!idle) spdlog::warn("kafka: revoke: pages still in the workers after {}ms; they will be redelivered",
                            config_.shutdown.revoke_timeout.count());
    // Their outputs would land in the open transaction without their
    // offsets, so the new owner would publish them again: abort instead.
    if (!idle && exactly_once_ && !stopping_) request_abort("revocation while pages are in the workers");
    if (!exactly_once_ || (idle && dispatched_since_commit_ && !failed() && !abort_requested_.load()))
      commit_now(config_.shutdown.timeout);
    if (exactly_once_ && idle && !stopping_ && abort_requested_.load()) abort_and_rewind(partitions);
  }
  for (const TopicPartition& tp : partitions) tracker_.revoke(tp);
  std::erase_if(assignment_, is_revoked);
  assigned_.store(assignment_.size());
  assigned_gauge_->set(static_cast<double>(assignment_.size()));
  spdlog::info("kafka: revoked {} partitions: {}", partitions.size(), describe(partitions));
  if (!stopping_) draining_.store(false);
}

void Daemon::on_page_done(Article&& article, PipelineOutcome outcome) {
  if (options_.page_delay.count() > 0) std::this_thread::sleep_for(options_.page_delay);
  // The transaction this page belongs to is being aborted: its input is
  // consumed again after the rewind.
  if (exactly_once_ && abort_requested_.load()) return;
  const uint64_t epoch = epoch_.load();
  const TopicPartition tp{article.source.topic, article.source.partition};
  const int64_t offset = article.source.offset;
  if (outcome.dropped()) {
    dropped_->inc();
    tracker_.ack(tp, offset);
    return;
  }
  Status sent;
  if (outcome.ok()) {
    static const kafka::Headers kArticleHeaders = {{"content-type", "application/json"},
                                                   {"schema", "newsd.article.v1"}};
    sent = sink_->produce(config_.kafka.output_topic, article.id, article.json, kArticleHeaders,
                          {kafka::DeliveryTag::Kind::kArticle, tp, offset, {}, {}, epoch});
  } else {
    const std::string stage(outcome.stage);
    const std::string reason(status_code_name(outcome.status.code()));
    kafka::Headers headers = {{"newsd-error", outcome.status.to_string()},
                              {"newsd-stage", stage},
                              {"newsd-reason", reason},
                              {"newsd-source-topic", tp.topic},
                              {"newsd-source-partition", std::to_string(tp.partition)},
                              {"newsd-source-offset", std::to_string(offset)}};
    if (!article.input.url.empty()) headers.emplace_back("url", article.input.url);
    if (!article.input.content_type.empty()) headers.emplace_back("content-type", article.input.content_type);
    if (!article.input.fetched_at.empty()) headers.emplace_back("fetched-at", article.input.fetched_at);
    std::string_view payload = article.input.payload;
    const size_t limit = static_cast<size_t>(config_.kafka.max_message_bytes) - kDeadLetterHeadroom;
    if (payload.size() > limit) {
      headers.emplace_back("newsd-truncated-from", std::to_string(payload.size()));
      payload = payload.substr(0, limit);
    }
    sent = sink_->produce(config_.kafka.dead_letter_topic, {}, payload, headers,
                          {kafka::DeliveryTag::Kind::kDeadLetter, tp, offset, stage, reason, epoch});
  }
  // Not acked: the offset stays uncommitted and the page is consumed again.
  if (!sent.is_ok()) {
    output_failed(sent.message());
    return;
  }
  // exactly_once: the record is part of the open transaction, which commits
  // only with every record of it delivered, so the page is done for the
  // offsets sent with that commit (waiting for delivery reports instead
  // would commit offsets behind the outputs).
  if (exactly_once_) tracker_.ack(tp, offset);
}

void Daemon::on_delivered(const kafka::DeliveryTag& tag, const Status& status) {
  if (exactly_once_ && tag.epoch != epoch_.load()) return;  // from an aborted transaction
  if (!status.is_ok()) {
    delivery_failures_->inc();
    output_failed(tag.source.topic + "/" + std::to_string(tag.source.partition) + "@" + std::to_string(tag.offset) +
                  ": " + status.message());
    return;
  }
  if (tag.kind == kafka::DeliveryTag::Kind::kArticle) {
    produced_->inc();
  } else {
    dead_letters_.fetch_add(1);
    shared_.metrics
        .counter("newsd_dead_letters_total", "Pages sent to the dead-letter topic, by stage and reason",
                 {{"stage", tag.stage}, {"reason", tag.reason}})
        .inc();
  }
  if (!exactly_once_) tracker_.ack(tag.source, tag.offset);  // exactly_once: acked when produced
}

void Daemon::fail(const std::string& why) {
  {
    std::lock_guard lock(failure_mu_);
    if (!failure_.empty()) return;
    failure_ = why;
  }
  spdlog::critical("newsd run: {}; stopping", why);
  failed_.store(true);
}

std::string Daemon::failure() const {
  std::lock_guard lock(failure_mu_);
  return failure_;
}

int Daemon::shutdown() {
  const auto start = Clock::now();
  const auto deadline = start + config_.shutdown.timeout;
  auto step = [&](const char* name) {
    spdlog::info("shutdown: {} (+{}ms)", name,
                 std::chrono::duration_cast<milliseconds>(Clock::now() - start).count());
  };
  stopping_ = true;
  draining_.store(true);
  if (!source_ || !sink_ || !pool_) return 1;

  step("stop polling");
  backlog_bytes_ = 0;
  backlog_.clear();  // never dispatched, so never committed: consumed again after restart

  step("drain workers");
  // Keep a fifth of the budget for flush, commit and close.
  const bool drained = wait_for_workers(deadline - config_.shutdown.timeout / 5);
  if (!drained) spdlog::warn("shutdown: {} pages still in the workers; not committed", pool_->in_flight());

  step("flush producer");
  // A failed transaction cannot flush (its records wait for the abort).
  if (!(exactly_once_ && abort_requested_.load())) {
    if (Status s = sink_->flush(remaining(deadline)); !s.is_ok()) spdlog::warn("shutdown: {}", s.message());
  }

  step("commit offsets");
  if (exactly_once_) {
    if (drained && !failed() && !abort_requested_.load() && dispatched_since_commit_) commit_now(remaining(deadline));
    // Not committed (failure, abort pending, time out): abort, so nothing
    // of it is visible; its inputs are consumed again after a restart.
    if (!drained || failed() || abort_requested_.load()) sink_->abort_transaction(remaining(deadline));
  } else {
    commit_now(remaining(deadline));
  }

  step("close consumer");
  source_->close();

  step("close producer");
  if (drained) pool_->close();
  sink_->close();
  step("done");
  abandoned_workers_ = !drained;
  return (drained && !failed()) ? 0 : 1;
}

std::chrono::steady_clock::time_point Daemon::last_poll() const {
  return Clock::time_point(Clock::duration(last_poll_ns_.load()));
}

Daemon::Totals Daemon::totals() const {
  return {consumed_->value(),   produced_->value(),   dead_letters_.load(),
          dropped_->value(),    rebalances_->value(), commit_failures_->value()};
}

}  // namespace newsd
