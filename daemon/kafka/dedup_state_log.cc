#include "daemon/kafka/dedup_state_log.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "daemon/kafka/handles.h"
#include "daemon/kafka/security.h"

namespace newsd::kafka {
namespace {

constexpr int kTimeoutMs = 10'000;

ConfPtr base_conf(const DedupStateLog::Options& o, std::string& error) {
  std::map<std::string, std::string> props;
  if (!security_properties(o.security, props, error)) return nullptr;
  for (const auto& [k, v] : o.properties) props[k] = v;  // the pass-through wins, as for the consumer
  ConfPtr conf(rd_kafka_conf_new());
  if (!set_property(conf.get(), "bootstrap.servers", o.brokers, error)) return nullptr;
  for (const auto& [k, v] : props)
    if (!set_property(conf.get(), k, v, error)) return nullptr;
  return conf;
}

// Creates the compacted topic; an existing topic is fine.
bool ensure_topic(rd_kafka_t* rk, const DedupStateLog::Options& o, std::string& error) {
  char err[512];
  NewTopicPtr topic(rd_kafka_NewTopic_new(o.topic.c_str(), o.partitions, -1, err, sizeof err));
  if (!topic) {
    error = err;
    return false;
  }
  // Compaction keeps the latest fingerprint per article; deletion drops
  // segments older than the window, which the index would ignore anyway, so
  // the topic does not grow with every article ever seen.
  rd_kafka_NewTopic_set_config(topic.get(), "cleanup.policy", "compact,delete");
  if (o.retention_ms > 0) {
    rd_kafka_NewTopic_set_config(topic.get(), "retention.ms", std::to_string(o.retention_ms).c_str());
  }
  QueuePtr queue(rd_kafka_queue_new(rk));
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS));
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), kTimeoutMs, err, sizeof err);
  rd_kafka_NewTopic_t* topics[] = {topic.get()};
  rd_kafka_CreateTopics(rk, topics, 1, options.get(), queue.get());
  EventPtr event(rd_kafka_queue_poll(queue.get(), kTimeoutMs + 5000));
  if (!event) {
    error = "no answer to CreateTopics within " + std::to_string(kTimeoutMs / 1000 + 5) + " s";
    return false;
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = rd_kafka_event_error_string(event.get());
    return false;
  }
  size_t n = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event.get()), &n);
  for (size_t i = 0; i < n; ++i) {
    const rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      error = std::string("creating ") + o.topic + ": " + rd_kafka_err2str(e);
      return false;
    }
  }
  return true;
}

int partition_count(rd_kafka_t* rk, const std::string& topic, std::string& error) {
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_topic_t* t = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, t, &md, kTimeoutMs);
  rd_kafka_topic_destroy(t);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = std::string("metadata of ") + topic + ": " + rd_kafka_err2str(e);
    return -1;
  }
  int n = -1;
  if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) n = md->topics[0].partition_cnt;
  else if (md->topic_cnt == 1) error = std::string("topic ") + topic + ": " + rd_kafka_err2str(md->topics[0].err);
  rd_kafka_metadata_destroy(md);
  return n;
}

}  // namespace

struct DedupStateLog::Impl {
  Options options;
  ClientPtr producer;
  ClientPtr consumer;
  int partitions = 0;
  // Per partition: the offset below which every record was delivered to a
  // sink (or skipped: aborted, control records), for catch_up().
  std::unique_ptr<std::atomic<int64_t>[]> applied;

  void mark(const rd_kafka_message_t* m, int64_t next) {
    if (m->partition >= 0 && m->partition < partitions) applied[m->partition].store(next);
  }

  ~Impl() {
    if (consumer) rd_kafka_consumer_close(consumer.get());
  }

  // Delivers one consumed message; false at a partition's end.
  static Status deliver(rd_kafka_message_t* m, const Sink& sink) {
    dedup::FingerprintRecord r;
    if (!dedup::decode_record(std::string_view(static_cast<const char*>(m->payload), m->len), r)) {
      return Status(StatusCode::kInvalidEnvelope,
                    "state topic record at offset " + std::to_string(m->offset) + " is not a fingerprint record");
    }
    sink(r);
    return Status::ok();
  }
};

DedupStateLog::DedupStateLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DedupStateLog::~DedupStateLog() {
  if (impl_ && impl_->producer) rd_kafka_flush(impl_->producer.get(), kTimeoutMs);
}

std::unique_ptr<DedupStateLog> DedupStateLog::open(const Options& o, std::string& error) {
  if (o.topic.empty()) {
    error = "dedup.state_topic is empty";
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->options = o;

  ConfPtr pconf = base_conf(o, error);
  if (!pconf || !set_property(pconf.get(), "linger.ms", std::to_string(o.linger_ms), error)) return nullptr;
  impl->producer = make_client(RD_KAFKA_PRODUCER, std::move(pconf), error);
  if (!impl->producer) return nullptr;
  if (!ensure_topic(impl->producer.get(), o, error)) return nullptr;
  // A topic created a moment ago may not be in the metadata yet: retry a while.
  for (int attempt = 0; attempt < 40; ++attempt) {
    error.clear();
    impl->partitions = partition_count(impl->producer.get(), o.topic, error);
    if (impl->partitions > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  if (impl->partitions <= 0) {
    if (error.empty()) error = "topic " + o.topic + " has no partitions";
    return nullptr;
  }

  // Reads with assign(), never subscribe(): every replica reads everything,
  // and the group id is only there because librdkafka's consumer needs one.
  ConfPtr cconf = base_conf(o, error);
  std::random_device rd;
  if (!cconf || !set_property(cconf.get(), "group.id", "newsd-dedup-state-" + std::to_string(rd()), error) ||
      !set_property(cconf.get(), "enable.auto.commit", "false", error) ||
      !set_property(cconf.get(), "enable.partition.eof", "true", error) ||
      // exactly_once replicas publish fingerprints in their transactions:
      // an aborted one must leave none here.
      !set_property(cconf.get(), "isolation.level", "read_committed", error) ||
      !set_property(cconf.get(), "fetch.wait.max.ms", "20", error))
    return nullptr;
  impl->consumer = make_client(RD_KAFKA_CONSUMER, std::move(cconf), error);
  if (!impl->consumer) return nullptr;
  rd_kafka_poll_set_consumer(impl->consumer.get());
  impl->applied = std::make_unique<std::atomic<int64_t>[]>(static_cast<size_t>(impl->partitions));
  PartitionListPtr list(rd_kafka_topic_partition_list_new(impl->partitions));
  for (int p = 0; p < impl->partitions; ++p)
    rd_kafka_topic_partition_list_add(list.get(), o.topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  if (const rd_kafka_resp_err_t e = rd_kafka_assign(impl->consumer.get(), list.get())) {
    error = std::string("assigning ") + o.topic + ": " + rd_kafka_err2str(e);
    return nullptr;
  }
  return std::unique_ptr<DedupStateLog>(new DedupStateLog(std::move(impl)));
}

Status DedupStateLog::append(const dedup::FingerprintRecord& record) {
  const std::string key = dedup::hex64(record.id);
  const std::string value = dedup::encode_record(record);
  const rd_kafka_resp_err_t e = rd_kafka_producev(
      impl_->producer.get(), RD_KAFKA_V_TOPIC(impl_->options.topic.c_str()),
      RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  rd_kafka_poll(impl_->producer.get(), 0);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return internal_error(std::string("appending to ") + impl_->options.topic + ": " + rd_kafka_err2str(e));
  return Status::ok();
}

Status DedupStateLog::flush(std::chrono::milliseconds timeout) {
  const rd_kafka_resp_err_t e = rd_kafka_flush(impl_->producer.get(), static_cast<int>(timeout.count()));
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) return internal_error(std::string("flush: ") + rd_kafka_err2str(e));
  return Status::ok();
}

Status DedupStateLog::replay(const Sink& sink) {
  // The end of each partition now; records appended later come with poll().
  std::vector<int64_t> high(static_cast<size_t>(impl_->partitions), 0);
  std::vector<bool> done(high.size(), false);
  size_t remaining = high.size();
  for (int p = 0; p < impl_->partitions; ++p) {
    int64_t lo = 0, hi = 0;
    rd_kafka_resp_err_t e = RD_KAFKA_RESP_ERR_NO_ERROR;
    // A topic created a moment ago has no leader yet: retry for a while.
    for (int attempt = 0; attempt < 60; ++attempt) {
      e = rd_kafka_query_watermark_offsets(impl_->consumer.get(), impl_->options.topic.c_str(), p, &lo, &hi,
                                           kTimeoutMs);
      const bool retriable = e == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION ||
                             e == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
                             e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || e == RD_KAFKA_RESP_ERR__TRANSPORT ||
                             e == RD_KAFKA_RESP_ERR__TIMED_OUT || e == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION;
      if (!retriable) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
      return internal_error(std::string("watermarks of ") + impl_->options.topic + ": " + rd_kafka_err2str(e));
    high[static_cast<size_t>(p)] = hi;
    if (hi <= lo) {
      done[static_cast<size_t>(p)] = true;
      --remaining;
    }
  }
  Status first_error;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  while (remaining > 0) {
    if (std::chrono::steady_clock::now() > deadline) return internal_error("state topic replay did not finish in 10 min");
    MessagePtr m(rd_kafka_consumer_poll(impl_->consumer.get(), 500));
    if (!m) continue;
    const auto p = static_cast<size_t>(m->partition);
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      impl_->mark(m.get(), m->offset);
      if (p < done.size() && !done[p]) {
        done[p] = true;
        --remaining;
      }
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (rd_kafka_message_errstr(m.get()) && m->err != RD_KAFKA_RESP_ERR__TRANSPORT)
        return internal_error(std::string("reading ") + impl_->options.topic + ": " + rd_kafka_message_errstr(m.get()));
      continue;
    }
    Status s = Impl::deliver(m.get(), sink);
    impl_->mark(m.get(), m->offset + 1);
    if (!s.is_ok() && first_error.is_ok()) first_error = s;  // a bad record is skipped, not fatal
    if (p < done.size() && !done[p] && m->offset + 1 >= high[p]) {
      done[p] = true;
      --remaining;
    }
  }
  return first_error;
}

Status DedupStateLog::poll(const Sink& sink, std::chrono::milliseconds timeout) {
  rd_kafka_poll(impl_->producer.get(), 0);
  int wait = static_cast<int>(timeout.count());
  Status first_error;
  for (int n = 0; n < 10'000; ++n) {
    MessagePtr m(rd_kafka_consumer_poll(impl_->consumer.get(), wait));
    if (!m) break;
    wait = 0;  // drain what is there, without waiting again
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      impl_->mark(m.get(), m->offset);
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (first_error.is_ok()) first_error = internal_error(rd_kafka_message_errstr(m.get()));
      continue;
    }
    Status s = Impl::deliver(m.get(), sink);
    impl_->mark(m.get(), m->offset + 1);
    if (!s.is_ok() && first_error.is_ok()) first_error = s;
  }
  return first_error;
}

Status DedupStateLog::catch_up(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // The end of each partition now. For a read_committed reader the end it
  // can reach is the last stable offset: while another replica's
  // transaction is open this waits for its commit or abort.
  std::vector<int64_t> high(static_cast<size_t>(impl_->partitions), 0);
  for (int p = 0; p < impl_->partitions; ++p) {
    int64_t lo = 0;
    const int ms = static_cast<int>(std::max<int64_t>(
        1, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count()));
    if (const rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(
            impl_->consumer.get(), impl_->options.topic.c_str(), p, &lo, &high[static_cast<size_t>(p)], ms))
      return internal_error(std::string("watermarks of ") + impl_->options.topic + ": " + rd_kafka_err2str(e));
  }
  for (int p = 0; p < impl_->partitions; ++p) {
    while (impl_->applied[p].load() < high[static_cast<size_t>(p)]) {
      if (std::chrono::steady_clock::now() >= deadline)
        return internal_error(impl_->options.topic + "/" + std::to_string(p) + ": read up to " +
                              std::to_string(impl_->applied[p].load()) + " of " +
                              std::to_string(high[static_cast<size_t>(p)]) + " within the catch-up time");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return Status::ok();
}

DedupStateLog::Options dedup_state_log_options(const KafkaConfig& kafka, const DedupConfig& dedup) {
  DedupStateLog::Options o;
  for (const std::string& b : kafka.brokers) o.brokers += (o.brokers.empty() ? "" : ",") + b;
  o.topic = dedup.state_topic;
  o.security = kafka.security;
  // A day beyond the window: a replica that replays it still sees every
  // fingerprint the window holds, whatever the segment boundaries.
  o.retention_ms = std::chrono::duration_cast<std::chrono::milliseconds>(dedup.window + std::chrono::hours(24)).count();
  for (const auto& [k, v] : kafka.consumer) {
    if (k.rfind("security.", 0) == 0 || k.rfind("sasl.", 0) == 0 || k.rfind("ssl.", 0) == 0) o.properties[k] = v;
  }
  return o;
}

}  // namespace newsd::kafka
