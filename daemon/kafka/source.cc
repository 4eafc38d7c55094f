#include "daemon/kafka/source.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <map>
#include <mutex>

#include "daemon/kafka/client_conf.h"
#include "daemon/kafka/handles.h"
#include "daemon/kafka/security.h"

namespace newsd::kafka {
namespace {

// Latest consumer lag per partition from librdkafka statistics. Shared with
// the registry's collector, which may outlive the source.
struct LagTable {
  std::mutex mu;
  std::map<TopicPartition, int64_t> lag;

  void update(const char* json, size_t len) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(json, len).get(doc)) return;
    simdjson::dom::object topics;
    if (doc["topics"].get(topics)) return;
    std::map<TopicPartition, int64_t> fresh;
    for (auto [topic_name, topic] : topics) {
      simdjson::dom::object partitions;
      if (topic["partitions"].get(partitions)) continue;
      for (auto [key, p] : partitions) {
        int64_t partition = -1, consumer_lag = -1;
        if (p["partition"].get(partition) || partition < 0) continue;
        if (p["consumer_lag"].get(consumer_lag) || consumer_lag < 0) continue;
        fresh[{std::string(topic_name), static_cast<int32_t>(partition)}] = consumer_lag;
      }
    }
    std::lock_guard lock(mu);
    lag = std::move(fresh);
  }

  void render(std::string& out) {
    std::lock_guard lock(mu);
    if (lag.empty()) return;
    out += "# HELP newsd_consumer_lag Records behind the partition's end offset, from librdkafka statistics\n";
    out += "# TYPE newsd_consumer_lag gauge\n";
    for (const auto& [tp, n] : lag) {
      out += "newsd_consumer_lag" + render_labels({{"topic", tp.topic}, {"partition", std::to_string(tp.partition)}}) +
             " " + std::to_string(n) + "\n";
    }
  }
};

std::string header(rd_kafka_headers_t* headers, const char* name) {
  const void* value = nullptr;
  size_t size = 0;
  if (headers == nullptr || rd_kafka_header_get_last(headers, name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      value == nullptr)
    return {};
  return std::string(static_cast<const char*>(value), size);
}

}  // namespace

struct KafkaSource::Impl {
  Listener* listener = nullptr;
  std::shared_ptr<LagTable> lag = std::make_shared<LagTable>();
  Counter* consumer_errors = nullptr;
  Counter* commit_failures = nullptr;
  // Failed commit() calls already counted there; their callbacks come later.
  int counted_sync_failures = 0;
  // First offset polled per partition since its assignment: where to rewind
  // to when the group has no committed offset yet.
  std::map<TopicPartition, int64_t> first_polled;
  std::string failure;
  bool joined = false;  // has had an assignment: the brokers were reached once
  bool closed = false;
  // Last: destroyed first, so librdkafka's threads stop before the members
  // its callbacks use go away.
  ClientPtr rk;

  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                           void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    const std::vector<TopicPartition> tps = from_list(parts);
    for (const TopicPartition& tp : tps) self->first_polled.erase(tp);
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      self->joined = true;
      std::string e;
      if (cooperative) e = take_error(rd_kafka_incremental_assign(rk, parts));
      else if (rd_kafka_resp_err_t r = rd_kafka_assign(rk, parts); r != RD_KAFKA_RESP_ERR_NO_ERROR)
        e = rd_kafka_err2str(r);
      if (!e.empty()) spdlog::error("kafka: assigning {} partitions failed: {}", tps.size(), e);
      self->listener->on_assigned(tps);
    } else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
      self->listener->on_revoking(tps, rd_kafka_assignment_lost(rk) != 0);
      if (cooperative) (void)take_error(rd_kafka_incremental_unassign(rk, parts));
      else rd_kafka_assign(rk, nullptr);
    } else {
      spdlog::error("kafka: rebalance failed: {}", rd_kafka_err2str(err));
      self->listener->on_revoking(tps, true);
      rd_kafka_assign(rk, nullptr);
    }
  }

  // Served by consumer_poll for automatic and synchronous commits alike.
  static void on_commit(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets,
                        void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR && offsets != nullptr) {
      for (int i = 0; i < offsets->cnt && err == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) err = offsets->elems[i].err;
    }
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
    if (self->counted_sync_failures > 0) {
      --self->counted_sync_failures;
      return;
    }
    self->commit_failures->inc();
    spdlog::warn("kafka: offset commit failed: {}", rd_kafka_err2str(err));
  }

  static int on_stats(rd_kafka_t*, char* json, size_t len, void* opaque) {
    static_cast<Impl*>(opaque)->lag->update(json, len);
    return 0;  // librdkafka frees the JSON
  }

  // Served by consumer_poll, so on the poll thread like failed().
  static void on_error(rd_kafka_t*, int err, const char* reason, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    self->consumer_errors->inc();
    // librdkafka retries these for ever; newsd stops, and the daemon logs the one line why.
    if (std::optional<std::string> why = permanent_connection_error(err, reason, self->joined)) {
      if (self->failure.empty()) self->failure = "kafka: " + *why;
      return;
    }
    spdlog::warn("kafka consumer: {}: {}", rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err)), reason);
  }
};

KafkaSource::KafkaSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

KafkaSource::~KafkaSource() { close(); }

std::unique_ptr<KafkaSource> KafkaSource::create(const KafkaConfig& config, Listener& listener, MetricsRegistry& metrics,
                                                 std::string& error) {
  auto impl = std::make_unique<Impl>();
  impl->listener = &listener;
  impl->consumer_errors =
      &metrics.counter("newsd_kafka_errors_total", "Errors reported by librdkafka", {{"client", "consumer"}});
  impl->commit_failures =
      &metrics.counter("newsd_commit_failures_total", "Offset or transaction commits that failed");
  ConfPtr conf = consumer_conf(config, error);
  if (!conf) return nullptr;
  rd_kafka_conf_set_opaque(conf.get(), impl.get());
  rd_kafka_conf_set_offset_commit_cb(conf.get(), &Impl::on_commit);
  rd_kafka_conf_set_rebalance_cb(conf.get(), &Impl::on_rebalance);
  rd_kafka_conf_set_stats_cb(conf.get(), &Impl::on_stats);
  rd_kafka_conf_set_error_cb(conf.get(), &Impl::on_error);

  impl->rk = make_client(RD_KAFKA_CONSUMER, std::move(conf), error);
  if (!impl->rk) return nullptr;
  // Rebalance and statistics callbacks are served by consumer_poll.
  rd_kafka_poll_set_consumer(impl->rk.get());

  PartitionListPtr topics(rd_kafka_topic_partition_list_new(static_cast<int>(config.input_topics.size())));
  for (const std::string& t : config.input_topics)
    rd_kafka_topic_partition_list_add(topics.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  if (rd_kafka_resp_err_t e = rd_kafka_subscribe(impl->rk.get(), topics.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = std::string("cannot subscribe: ") + rd_kafka_err2str(e);
    return nullptr;
  }
  std::weak_ptr<LagTable> lag = impl->lag;
  metrics.add_collector([lag](std::string& out) {
    if (auto table = lag.lock()) table->render(out);
  });
  return std::unique_ptr<KafkaSource>(new KafkaSource(std::move(impl)));
}

bool KafkaSource::poll(std::chrono::milliseconds timeout, Article& out) {
  if (impl_->closed) return false;
  MessagePtr msg(rd_kafka_consumer_poll(impl_->rk.get(), static_cast<int>(timeout.count())));
  if (!msg) return false;
  if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return false;
    impl_->consumer_errors->inc();
    char reason[512];
    if (rd_kafka_fatal_error(impl_->rk.get(), reason, sizeof reason) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      impl_->failure = std::string("fatal consumer error: ") + reason;
      spdlog::critical("kafka: {}", impl_->failure);
    } else {
      spdlog::warn("kafka consumer: {}", rd_kafka_message_errstr(msg.get()));
    }
    return false;
  }
  out = Article{};
  if (msg->payload != nullptr) out.input.payload.assign(static_cast<const char*>(msg->payload), msg->len);
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(msg.get(), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    out.input.url = header(headers, "url");
    out.input.content_type = header(headers, "content-type");
    out.input.fetched_at = header(headers, "fetched-at");
  }
  out.source.topic = rd_kafka_topic_name(msg->rkt);
  out.source.partition = msg->partition;
  out.source.offset = msg->offset;
  impl_->first_polled.try_emplace(TopicPartition{out.source.topic, out.source.partition}, msg->offset);
  return true;
}

void KafkaSource::pause(const std::vector<TopicPartition>& partitions) {
  if (partitions.empty() || impl_->closed) return;
  PartitionListPtr list = to_list(partitions);
  rd_kafka_pause_partitions(impl_->rk.get(), list.get());
}

void KafkaSource::resume(const std::vector<TopicPartition>& partitions) {
  if (partitions.empty() || impl_->closed) return;
  PartitionListPtr list = to_list(partitions);
  rd_kafka_resume_partitions(impl_->rk.get(), list.get());
}

Status KafkaSource::store(const std::vector<PartitionOffset>& offsets) {
  if (offsets.empty() || impl_->closed) return Status::ok();
  PartitionListPtr list = to_list(offsets);
  // _STATE for a partition revoked meanwhile is expected and harmless.
  rd_kafka_resp_err_t e = rd_kafka_offsets_store(impl_->rk.get(), list.get());
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR__STATE)
    return internal_error(std::string("storing offsets: ") + rd_kafka_err2str(e));
  return Status::ok();
}

Status KafkaSource::commit(const std::vector<PartitionOffset>& offsets) {
  if (offsets.empty() || impl_->closed) return Status::ok();
  PartitionListPtr list = to_list(offsets);
  rd_kafka_resp_err_t e = rd_kafka_commit(impl_->rk.get(), list.get(), 0 /* sync */);
  for (int i = 0; i < list->cnt && e == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) e = list->elems[i].err;
  if (e == RD_KAFKA_RESP_ERR__NO_OFFSET) return Status::ok();
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    impl_->commit_failures->inc();
    ++impl_->counted_sync_failures;
    return internal_error(std::string("committing offsets: ") + rd_kafka_err2str(e));
  }
  return Status::ok();
}

Status KafkaSource::rewind(const std::vector<TopicPartition>& partitions, std::chrono::milliseconds timeout) {
  if (partitions.empty() || impl_->closed) return Status::ok();
  PartitionListPtr list = to_list(partitions);
  const int ms = static_cast<int>(timeout.count());
  if (rd_kafka_resp_err_t e = rd_kafka_committed(impl_->rk.get(), list.get(), ms); e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return internal_error(std::string("reading committed offsets: ") + rd_kafka_err2str(e));
  PartitionListPtr seek(rd_kafka_topic_partition_list_new(list->cnt));
  for (int i = 0; i < list->cnt; ++i) {
    const rd_kafka_topic_partition_t& p = list->elems[i];
    if (p.err != RD_KAFKA_RESP_ERR_NO_ERROR)
      return internal_error(std::string("committed offset of ") + p.topic + "/" + std::to_string(p.partition) + ": " +
                            rd_kafka_err2str(p.err));
    int64_t offset = p.offset;
    if (offset < 0) {
      // Nothing committed yet: back to where this assignment started. Not
      // polled at all: the position has not moved, nothing to do.
      auto it = impl_->first_polled.find({p.topic, p.partition});
      if (it == impl_->first_polled.end()) continue;
      offset = it->second;
    }
    rd_kafka_topic_partition_list_add(seek.get(), p.topic, p.partition)->offset = offset;
    spdlog::info("kafka: rewinding {}/{} to offset {} ({})", p.topic, p.partition, offset,
                 p.offset < 0 ? "first polled, nothing committed" : "committed");
  }
  if (seek->cnt == 0) return Status::ok();
  if (std::string e = take_error(rd_kafka_seek_partitions(impl_->rk.get(), seek.get(), ms)); !e.empty())
    return internal_error("seek: " + e);
  for (int i = 0; i < seek->cnt; ++i) {
    if (seek->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR)
      return internal_error(std::string("seek ") + seek->elems[i].topic + "/" +
                            std::to_string(seek->elems[i].partition) + ": " + rd_kafka_err2str(seek->elems[i].err));
  }
  // Rewound partitions start afresh; their first record is polled again.
  for (int i = 0; i < seek->cnt; ++i) impl_->first_polled.erase({seek->elems[i].topic, seek->elems[i].partition});
  return Status::ok();
}

void KafkaSource::close() {
  if (!impl_ || impl_->closed || !impl_->rk) return;
  if (rd_kafka_resp_err_t e = rd_kafka_consumer_close(impl_->rk.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR)
    spdlog::warn("kafka: closing the consumer: {}", rd_kafka_err2str(e));
  impl_->closed = true;
}

rd_kafka_t* KafkaSource::handle() const { return impl_->rk.get(); }

bool KafkaSource::failed() const { return !impl_->failure.empty(); }
const std::string& KafkaSource::failure() const { return impl_->failure; }

}  // namespace newsd::kafka
