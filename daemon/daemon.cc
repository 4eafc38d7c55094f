#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace newsd {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

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
      max_pages_(config.queue.max_pages > 0 ? static_cast<size_t>(config.queue.max_pages)
                                            : static_cast<size_t>(std::max(1, options.workers)) * 4),
      backlog_({static_cast<size_t>(config.queue.buffer_pages), static_cast<size_t>(config.queue.max_bytes)}) {
  MetricsRegistry& m = shared.metrics;
  consumed_ = &m.counter("newsd_pages_consumed_total", "Records consumed from the input topics");
  produced_ = &m.counter("newsd_pages_produced_total", "Articles delivered to the output topic");
  dropped_ = &m.counter("newsd_pages_dropped_on_purpose_total",
                        "Pages finished without output on purpose (e.g. dedup.drop); counted as done");
  rebalances_ = &m.counter("newsd_rebalances_total", "Partition assignments received from the group");
  commit_failures_ = &m.counter("newsd_commit_failures_total", "Offset or transaction commits that failed");
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
  std::vector<std::string> outputs = {config_.kafka.output_topic, config_.kafka.dead_letter_topic};
  if (shared_.dedup && !config_.dedup.state_topic.empty()) outputs.push_back(config_.dedup.state_topic);
  sink_ = kafka::KafkaSink::create(
      config_.kafka, outputs,
      [this](const kafka::DeliveryTag& tag, const Status& status) { delivery_->on_delivered(tag, status); }, error);
  if (!sink_) return internal_error(error);
  pool_ = std::make_unique<WorkerPool>(
      config_, shared_, options_.workers, WorkerPool::Bounds{max_pages_, static_cast<size_t>(config_.queue.max_bytes)},
      [this](Article&& a, PipelineOutcome o) { on_page_done(std::move(a), std::move(o)); });
  source_ = kafka::KafkaSource::create(config_.kafka, *this, shared_.metrics, error);
  if (!source_) return internal_error(error);
  delivery_ = Delivery::create(
      {config_, *this, *sink_, *source_, tracker_, shared_.metrics, shared_.dedup.get(), options_.abort_every});
  spdlog::info("newsd run: {} workers, queue {} pages / {} bytes, {} from {} to {} (dead letters: {}), group {}",
               options_.workers, max_pages_, config_.queue.max_bytes, config_.kafka.delivery,
               describe_topics(config_.kafka.input_topics), config_.kafka.output_topic, config_.kafka.dead_letter_topic,
               config_.kafka.group_id);
  return Status::ok();
}

void Daemon::poll_once() {
  const auto now = Clock::now();
  last_poll_ns_.store(now.time_since_epoch().count());
  if (source_->failed()) fail(source_->failure());
  delivery_->before_poll();

  dispatch_backlog();
  // Records the pool refused wait in the backlog, which pauses every
  // partition only when full (daemon/backlog.h). Keep polling while paused:
  // rebalances and the group heartbeat need it.
  const bool room = !backlog_.full(pool_->queued_bytes());
  const milliseconds timeout = backlog_.empty() ? milliseconds(100) : milliseconds(2);
  Article article;
  for (int n = 0; n < 256 && (n == 0 || !backlog_.full(pool_->queued_bytes())) &&
                  source_->poll(n == 0 ? timeout : milliseconds(0), article);
       ++n) {
    // Read again after the rewind of the pending abort.
    if (!delivery_->accepting()) continue;
    consumed_->inc();
    backlog_.push(std::move(article));
    dispatch_backlog();
    if (!room) break;
  }
  update_pause();
  delivery_->after_poll(now);
  in_flight_->set(static_cast<double>(tracker_.pending() + backlog_.size()));
}

void Daemon::dispatch_backlog() {
  while (!backlog_.empty() && !stopping_ && delivery_->accepting()) {
    Article& a = backlog_.front();
    const TopicPartition tp{a.source.topic, a.source.partition};
    if (!tracker_.track(tp, a.source.offset)) {  // revoked meanwhile: the new owner reads it
      backlog_.pop_front();
      continue;
    }
    if (!pool_->try_submit(a)) {
      tracker_.untrack_last(tp);
      return;
    }
    backlog_.pop_front();
    delivery_->dispatched();
  }
}

void Daemon::update_pause() {
  switch (backlog_.update(pool_->queued_bytes())) {
    case Backlog::Change::kPause:
      source_->pause(assignment_);
      break;
    case Backlog::Change::kResume:
      source_->resume(assignment_);
      break;
    case Backlog::Change::kNone:
      break;
  }
  paused_partitions_->set(backlog_.paused() ? static_cast<double>(assignment_.size()) : 0.0);
}

bool Daemon::wait_for_workers(Clock::time_point deadline) {
  while (pool_->in_flight() > 0) {
    if (Clock::now() >= deadline) return false;
    last_poll_ns_.store(Clock::now().time_since_epoch().count());
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

void Daemon::on_assigned(const std::vector<TopicPartition>& partitions) {
  for (const TopicPartition& tp : partitions) {
    tracker_.assign(tp);
    assignment_.push_back(tp);
  }
  rebalances_->inc();
  assigned_.store(assignment_.size());
  assigned_gauge_->set(static_cast<double>(assignment_.size()));
  if (backlog_.paused()) source_->pause(partitions);
  spdlog::info("kafka: assigned {} partitions: {}", partitions.size(), describe(partitions));
  // Their last owner published its fingerprints before it let them go:
  // read them before the first page, so its copies are still found here.
  if (shared_.dedup) {
    if (Status s = shared_.dedup->catch_up(config_.shutdown.revoke_timeout); !s.is_ok())
      spdlog::warn("dedup: state topic not caught up before the new partitions: {}", s.message());
  }
}

void Daemon::on_revoking(const std::vector<TopicPartition>& partitions, bool lost) {
  draining_.store(true);
  const auto is_revoked = [&](const TopicPartition& tp) {
    return std::find(partitions.begin(), partitions.end(), tp) != partitions.end();
  };
  // Step 1: stop dispatching their records.
  backlog_.erase_if([&](const Article& a) { return is_revoked({a.source.topic, a.source.partition}); });
  if (lost) {
    spdlog::warn("kafka: lost {} partitions (session expired); their unfinished pages will be redelivered",
                 partitions.size());
    delivery_->on_lost();
  } else {
    // Step 2: a bounded wait for pages in flight, then step 3: commit.
    const auto deadline = Clock::now() + (stopping_ ? milliseconds(0) : config_.shutdown.revoke_timeout);
    const bool idle = wait_for_workers(deadline);
    if (!idle)
      spdlog::warn("kafka: revoke: pages still in the workers after {}ms; they will be redelivered",
                   config_.shutdown.revoke_timeout.count());
    delivery_->on_revoking(partitions, idle, stopping_);
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
  delivery_->on_page_done(std::move(article), outcome);
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
    spdlog::info("shutdown: {} (+{}ms)", name, std::chrono::duration_cast<milliseconds>(Clock::now() - start).count());
  };
  stopping_ = true;
  draining_.store(true);
  if (!source_ || !sink_ || !pool_ || !delivery_) return 1;

  step("stop polling");
  backlog_.clear();  // never dispatched, so never committed: consumed again after restart

  step("drain workers");
  // Keep a fifth of the budget for flush, commit and close.
  const bool drained = wait_for_workers(deadline - config_.shutdown.timeout / 5);
  if (!drained) spdlog::warn("shutdown: {} pages still in the workers; not committed", pool_->in_flight());

  step("flush producer");
  delivery_->flush_for_shutdown(remaining(deadline));

  step("commit offsets");
  delivery_->commit_for_shutdown(drained, remaining(deadline));

  step("close consumer");
  source_->close();

  step("close producer");
  if (drained) pool_->close();
  sink_->close();
  step("done");
  abandoned_workers_ = !drained;
  return (drained && !failed()) ? 0 : 1;
}

std::chrono::steady_clock::duration Daemon::longest_page() const {
  return pool_ ? pool_->longest_page() : std::chrono::steady_clock::duration::zero();
}

std::chrono::steady_clock::time_point Daemon::last_poll() const {
  return Clock::time_point(Clock::duration(last_poll_ns_.load()));
}

Daemon::Totals Daemon::totals() const {
  return {consumed_->value(), produced_->value(),   delivery_ ? delivery_->dead_letters() : 0,
          dropped_->value(),  rebalances_->value(), commit_failures_->value()};
}

}  // namespace newsd
