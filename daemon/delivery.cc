#include "daemon/delivery.h"

#include <spdlog/spdlog.h>

#include "stages/encode/dead_letter.h"

namespace newsd {
namespace {

// Room left in a dead-letter record for headers, below kafka.max_message_bytes.
constexpr size_t kDeadLetterHeadroom = 64 * 1024;

}  // namespace

std::unique_ptr<Delivery> Delivery::create(const Context& context) {
  if (context.config.kafka.delivery == "exactly_once") return std::make_unique<TransactionalDelivery>(context);
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
          &context.metrics.counter("newsd_delivery_failures_total", "Records the producer could not deliver")) {}

void Delivery::on_page_done(Article&& article, const PipelineOutcome& outcome) {
  // The transaction this page belongs to is being aborted: its input is
  // consumed again after the rewind.
  if (discarding()) return;
  const uint64_t gen = epoch();
  const TopicPartition tp{article.source.topic, article.source.partition};
  const int64_t offset = article.source.offset;
  if (outcome.dropped()) {
    dropped_->inc();
    ctx_.tracker.ack(tp, offset);
    return;
  }
  const KafkaConfig& out = ctx_.config.kafka;
  Status sent;
  if (outcome.ok()) {
    static const kafka::Headers kArticleHeaders = {{"content-type", "application/json"},
                                                   {"schema", "newsd.article.v1"}};
    sent = ctx_.sink.produce(out.output_topic, article.id, article.json, kArticleHeaders,
                             {kafka::DeliveryTag::Kind::kArticle, tp, offset, {}, {}, gen});
  } else {
    const DeadLetter dl = make_dead_letter(article, outcome.status, outcome.stage,
                                           static_cast<size_t>(out.max_message_bytes) - kDeadLetterHeadroom);
    sent = ctx_.sink.produce(out.dead_letter_topic, {}, dl.payload, dl.headers,
                             {kafka::DeliveryTag::Kind::kDeadLetter, tp, offset, std::string(outcome.stage),
                              std::string(status_code_name(outcome.status.code())), gen});
  }
  // Not acked: the offset stays uncommitted and the page is consumed again.
  if (!sent.is_ok()) {
    output_failed(sent.message());
    return;
  }
  produced(tp, offset);
}

void Delivery::on_delivered(const kafka::DeliveryTag& tag, const Status& status) {
  if (stale(tag)) return;
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
