#include "daemon/delivery.h"

#include <spdlog/spdlog.h>

#include "stages/encode/dead_letter.h"

namespace newsd {
namespace {

// Room left in a dead-letter record for headers, below the topic's limit.
constexpr int64_t kDeadLetterHeadroom = 64 * 1024;
// Room in a record for its framing beyond key, value and headers.
constexpr size_t kRecordOverhead = 256;

const kafka::Headers kArticleHeaders = {{"content-type", "application/json"}, {"schema", "newsd.article.v1"}};

size_t record_size(std::string_view key, std::string_view value, const kafka::Headers& headers) {
  size_t n = key.size() + value.size() + kRecordOverhead;
  for (const auto& [k, v] : headers) n += k.size() + v.size() + 8;
  return n;
}

}  // namespace

std::unique_ptr<Delivery> Delivery::create(const Context& context) {
  if (context.config.kafka.delivery_mode() == DeliveryMode::kExactlyOnce)
    return std::make_unique<TransactionalDelivery>(context);
  return std::make_unique<AtLeastOnceDelivery>(context);
}

Delivery::Delivery(const Context& context)
    : ctx_(context),
      commit_failures_(
          &context.metrics.counter("newsd_commit_failures_total", "Offset or transaction commits that failed")),
      produced_(&context.metrics.counter("newsd_pages_produced_total", "Articles delivered to the output topic")),
      dropped_(&context.metrics.counter("newsd_pages_dropped_on_purpose_total",
                                        "Pages finished without output on purpose (e.g. dedup.drop); counted as done")),
      delivery_failures_(
          &context.metrics.counter("newsd_delivery_failures_total", "Records the producer could not deliver")) {
  state_errors_ =
      &context.metrics.counter("newsd_dedup_state_errors_total", "Failed appends to or reads from the state log");
}

void Delivery::on_page_done(Article&& article, const PipelineOutcome& outcome) {
  // The transaction this page belongs to is being aborted: its input is
  // consumed again after the rewind.
  if (discarding()) return;
  const uint64_t gen = epoch();
  const TopicPartition tp{article.source.topic, article.source.partition};
  const int64_t offset = article.source.offset;
  const KafkaConfig& out = ctx_.config.kafka;
  // The fingerprint the index accepted goes out whatever became of the page,
  // so other replicas and restarts remember what this index does.
  if (!article.dedup_record.empty() && !ctx_.config.dedup.state_topic.empty()) {
    if (Status s = ctx_.sink.produce(ctx_.config.dedup.state_topic, article.dedup_key, article.dedup_record, {},
                                     {kafka::DeliveryTag::Kind::kState, tp, offset, {}, {}, gen, {}});
        !s.is_ok()) {
      output_failed(s.message());
      return;
    }
  }
  if (outcome.dropped()) {
    dropped_->inc();
    ctx_.tracker.ack(tp, offset);
    return;
  }
  Status sent;
  if (outcome.ok()) {
    Status refused = take_refusal(tp, offset);
    const size_t size = record_size(article.id, article.json, kArticleHeaders);
    const int64_t limit = ctx_.sink.record_limit(out.output_topic);
    if (refused.is_ok() && static_cast<int64_t>(size) > limit) {
      refused = too_large("an article of " + std::to_string(size) + " bytes is larger than " + out.output_topic +
                          " takes (" + std::to_string(limit) + " bytes)");
    }
    if (refused.is_ok()) {
      auto input = std::make_shared<const RawInput>(std::move(article.input));
      sent = ctx_.sink.produce(out.output_topic, article.id, article.json, kArticleHeaders,
                               {kafka::DeliveryTag::Kind::kArticle, tp, offset, {}, {}, gen, input});
      if (sent.code() == StatusCode::kTooLarge) {
        refused = sent;
        article.input = *input;  // for its dead letter
      }
    }
    if (!refused.is_ok()) sent = send_dead_letter(article, refused, "output", gen);
  } else {
    sent = send_dead_letter(article, outcome.status, outcome.stage, gen);
  }
  // Not acked: the offset stays uncommitted and the page is consumed again.
  if (!sent.is_ok()) {
    output_failed(sent.message());
    return;
  }
  produced(tp, offset);
}

Status Delivery::send_dead_letter(const Article& article, const Status& status, std::string_view stage, uint64_t gen) {
  const std::string& topic = ctx_.config.kafka.dead_letter_topic;
  const int64_t limit = ctx_.sink.record_limit(topic);
  const DeadLetter dl =
      make_dead_letter(article, status, stage, static_cast<size_t>(std::max(limit - kDeadLetterHeadroom, limit / 2)));
  return ctx_.sink.produce(topic, {}, dl.payload, dl.headers,
                           {kafka::DeliveryTag::Kind::kDeadLetter,
                            {article.source.topic, article.source.partition},
                            article.source.offset,
                            std::string(stage),
                            std::string(status_code_name(status.code())),
                            gen,
                            {}});
}

void Delivery::remember_refusal(const TopicPartition& tp, int64_t offset, const Status& status) {
  std::lock_guard lock(refused_mu_);
  refused_[{tp, offset}] = status;
}

Status Delivery::take_refusal(const TopicPartition& tp, int64_t offset) {
  std::lock_guard lock(refused_mu_);
  const auto it = refused_.find({tp, offset});
  if (it == refused_.end()) return Status::ok();
  Status s = std::move(it->second);
  refused_.erase(it);
  return s;
}

void Delivery::on_delivered(const kafka::DeliveryTag& tag, const Status& status) {
  if (stale(tag)) return;
  if (!status.is_ok()) {
    delivery_failures_->inc();
    if (tag.kind == kafka::DeliveryTag::Kind::kArticle && status.code() != StatusCode::kInternal) {
      article_refused(tag, status);
      return;
    }
    if (tag.kind == kafka::DeliveryTag::Kind::kState) state_errors_->inc();
    output_failed(tag.source.topic + "/" + std::to_string(tag.source.partition) + "@" + std::to_string(tag.offset) +
                  ": " + status.message());
    return;
  }
  if (tag.kind == kafka::DeliveryTag::Kind::kState) return;  // the page is done with its article or dead letter
  if (tag.kind == kafka::DeliveryTag::Kind::kArticle) {
    produced_->inc();
  } else {
    dead_letters_.fetch_add(1);
    ctx_.metrics
        .counter("newsd_dead_letters_total", "Pages sent to the dead-letter topic, by stage and reason",
                 {{"stage", tag.stage}, {"reason", tag.reason}})
        .inc();
  }
  delivered(tag.source, tag.offset);
}

// --- at_least_once

AtLeastOnceDelivery::AtLeastOnceDelivery(const Context& context) : Delivery(context) {}

void AtLeastOnceDelivery::delivered(const TopicPartition& tp, int64_t offset) {
  ctx_.tracker.ack(tp, offset);
}

void AtLeastOnceDelivery::output_failed(const std::string& why) {
  ctx_.host.fail(why);
}

void AtLeastOnceDelivery::article_refused(const kafka::DeliveryTag& tag, const Status& status) {
  // The page is not acked yet: its dead letter's delivery acks it.
  Article page;
  if (tag.input) page.input = *tag.input;
  page.source.topic = tag.source.topic;
  page.source.partition = tag.source.partition;
  page.source.offset = tag.offset;
  const Status refused(status.code(), ctx_.config.kafka.output_topic + " refused the article: " + status.message());
  if (Status s = send_dead_letter(page, refused, "output", 0); !s.is_ok()) output_failed(s.message());
}

void AtLeastOnceDelivery::after_poll(Clock::time_point now) {
  if (now - last_store_ < std::chrono::milliseconds(100)) return;
  last_store_ = Clock::now();
  if (Status s = ctx_.source.store(ctx_.tracker.committable()); !s.is_ok()) spdlog::warn("kafka: {}", s.message());
}

void AtLeastOnceDelivery::on_revoking(const std::vector<TopicPartition>&, bool, bool) {
  commit_now(ctx_.config.shutdown.timeout);
}

void AtLeastOnceDelivery::flush_for_shutdown(std::chrono::milliseconds timeout) {
  if (Status s = ctx_.sink.flush(timeout); !s.is_ok()) spdlog::warn("shutdown: {}", s.message());
}

void AtLeastOnceDelivery::commit_for_shutdown(bool, std::chrono::milliseconds timeout) {
  commit_now(timeout);
}

void AtLeastOnceDelivery::commit_now(std::chrono::milliseconds timeout) {
  if (Status s = ctx_.sink.flush(timeout); !s.is_ok()) spdlog::warn("kafka: {}", s.message());
  const std::vector<PartitionOffset> offsets = ctx_.tracker.committable();
  (void)ctx_.source.store(offsets);
  // A failure is counted by the source; the pages are redone after a restart
  // or by the next owner (duplicates, never loss).
  if (Status s = ctx_.source.commit(offsets); !s.is_ok()) spdlog::warn("kafka: {}", s.message());
}

}  // namespace newsd
