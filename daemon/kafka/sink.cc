#include "daemon/kafka/sink.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "daemon/kafka/client_conf.h"
#include "daemon/kafka/handles.h"
#include "daemon/kafka/security.h"
#include "daemon/kafka/source.h"

namespace newsd::kafka {

namespace {

// What a failed delivery means. Errors no retry fixes that concern the record
// alone make its page a dead letter; the rest concern the producer.
Status delivery_status(rd_kafka_resp_err_t err) {
  const std::string what = std::string("delivery failed: ") + rd_kafka_err2str(err);
  switch (err) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
      return too_large(what);
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_INVALID_MSG:
    case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
      return Status(StatusCode::kRejected, what);
    default:
      return internal_error(what);
  }
}

// A broker answers in milliseconds; one that does not answer (librdkafka's
// mock cluster) must not hold up the start for long.
constexpr int kDescribeTimeoutMs = 3'000;
// Room in a produce request beyond the records of a batch.
constexpr int64_t kBatchOverhead = 1024;

// max.message.bytes of each topic, capped at the producer's limit.
std::map<std::string, int64_t> record_limits(const KafkaConfig& config, const std::vector<std::string>& topics) {
  std::string error;
  ConfPtr conf = producer_conf(config, false, error);
  ClientPtr admin = conf ? make_client(RD_KAFKA_PRODUCER, std::move(conf), error) : nullptr;
  const std::map<std::string, std::string> values =
      admin ? describe_topic_configs(admin.get(), topics, "max.message.bytes", kDescribeTimeoutMs, error)
            : std::map<std::string, std::string>{};
  std::map<std::string, int64_t> limits;
  for (const std::string& topic : topics) {
    const auto it = values.find(topic);
    limits[topic] = it != values.end() ? std::min<int64_t>(config.max_message_bytes, std::atoll(it->second.c_str()))
                                       : config.max_message_bytes;
    if (it == values.end())
      spdlog::warn("kafka: max.message.bytes of {} unknown ({}); records up to {} bytes", topic, error,
                   config.max_message_bytes);
  }
  return limits;
}

}  // namespace

struct KafkaSink::Impl {
  OnDelivery on_delivery;
  std::map<std::string, int64_t> limits;  // fixed after create()
  int64_t default_limit = 0;
  bool transactional = false;
  bool in_transaction = false;
  std::atomic<bool> closing{false};
  ClientPtr rk;          // destroyed after the poll thread is joined (close())
  std::thread poller;    // serves delivery reports

  // Opens the next transaction; false with `why` set when it cannot.
  bool begin(std::string& why) {
    if (std::string e = take_error(rd_kafka_begin_transaction(rk.get())); !e.empty()) {
      why = "begin_transaction: " + e;
      return false;
    }
    in_transaction = true;
    return true;
  }

  static void on_delivery_report(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    std::unique_ptr<DeliveryTag> tag(static_cast<DeliveryTag*>(msg->_private));
    if (!tag) return;
    self->on_delivery(*tag, msg->err == RD_KAFKA_RESP_ERR_NO_ERROR ? Status::ok() : delivery_status(msg->err));
  }

  static void on_error(rd_kafka_t* rk, int err, const char* reason, void*) {
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
      char fatal[512];
      rd_kafka_fatal_error(rk, fatal, sizeof fatal);
      spdlog::critical("kafka producer: fatal: {}", fatal);
      return;
    }
    // Credential and certificate errors: the consumer meets them too on the
    // same brokers, and the daemon stops with one line about it.
    if (permanent_connection_error(err, reason, true)) return;
    spdlog::warn("kafka producer: {}: {}", rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err)), reason);
  }
};

KafkaSink::KafkaSink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

KafkaSink::~KafkaSink() { close(); }

std::unique_ptr<KafkaSink> KafkaSink::create(const KafkaConfig& config, const std::vector<std::string>& topics,
                                             OnDelivery on_delivery, std::string& error) {
  auto impl = std::make_unique<Impl>();
  impl->on_delivery = std::move(on_delivery);
  impl->transactional = config.delivery_mode() == DeliveryMode::kExactlyOnce;
  impl->limits = record_limits(config, topics);
  impl->default_limit = config.max_message_bytes;
  ConfPtr conf = producer_conf(config, impl->transactional, error);
  if (!conf) return nullptr;
  // The broker checks a topic's max.message.bytes against whole batches: a
  // batch of small records above it would fail every record in it.
  int64_t smallest = config.max_message_bytes;
  for (const auto& [topic, limit] : impl->limits) smallest = std::min(smallest, limit);
  if (!config.producer.contains("batch.size") &&
      !set_property(conf.get(), "batch.size",
                    std::to_string(std::clamp<int64_t>(smallest - kBatchOverhead, 1024, 1'000'000)), error))
    return nullptr;
  rd_kafka_conf_set_opaque(conf.get(), impl.get());
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &Impl::on_delivery_report);
  rd_kafka_conf_set_error_cb(conf.get(), &Impl::on_error);
  impl->rk = make_client(RD_KAFKA_PRODUCER, std::move(conf), error);
  if (!impl->rk) return nullptr;
  if (impl->transactional) {
    // Fences an earlier instance with the same transactional.id and aborts
    // its open transaction, so read_committed readers are not held up.
    if (std::string e = take_error(rd_kafka_init_transactions(impl->rk.get(), 60000)); !e.empty()) {
      error = "init_transactions: " + e;
      return nullptr;
    }
    if (!impl->begin(error)) return nullptr;
  }
  Impl* raw = impl.get();
  impl->poller = std::thread([raw] {
    while (!raw->closing.load(std::memory_order_relaxed)) rd_kafka_poll(raw->rk.get(), 100);
  });
  return std::unique_ptr<KafkaSink>(new KafkaSink(std::move(impl)));
}

int64_t KafkaSink::record_limit(const std::string& topic) const {
  const auto it = impl_->limits.find(topic);
  return it != impl_->limits.end() ? it->second : impl_->default_limit;
}

Status KafkaSink::produce(const std::string& topic, std::string_view key, std::string_view value,
                          const Headers& headers, DeliveryTag tag) {
  auto owned_tag = std::make_unique<DeliveryTag>(std::move(tag));
  for (;;) {
    HeadersPtr hdrs(rd_kafka_headers_new(headers.size()));
    for (const auto& [k, v] : headers)
      rd_kafka_header_add(hdrs.get(), k.data(), static_cast<ssize_t>(k.size()), v.data(), static_cast<ssize_t>(v.size()));
    rd_kafka_resp_err_t e = rd_kafka_producev(
        impl_->rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_HEADERS(hdrs.get()), RD_KAFKA_V_OPAQUE(owned_tag.get()), RD_KAFKA_V_END);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
      (void)hdrs.release();       // owned by the message now
      (void)owned_tag.release();  // comes back in the delivery report
      return Status::ok();
    }
    if (e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
      return too_large(std::string("producing to ") + topic + ": " + rd_kafka_err2str(e));
    if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL || impl_->closing.load())
      return internal_error(std::string("producing to ") + topic + ": " + rd_kafka_err2str(e));
    // Back-pressure from the broker: wait for deliveries to free room.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

Status KafkaSink::flush(std::chrono::milliseconds timeout) {
  rd_kafka_resp_err_t e = rd_kafka_flush(impl_->rk.get(), static_cast<int>(timeout.count()));
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    return internal_error("flush: " + std::to_string(rd_kafka_outq_len(impl_->rk.get())) +
                          " records still undelivered: " + rd_kafka_err2str(e));
  return Status::ok();
}

bool KafkaSink::transactional() const { return impl_->transactional; }

namespace {

using Clock = std::chrono::steady_clock;

// Runs one transactional call, retrying what librdkafka calls retriable
// until `deadline`, and says what a remaining error means for the producer.
template <class Call>
KafkaSink::TxnError txn_call(const char* what, Clock::time_point deadline, std::string& why, Call call) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    ErrorPtr err(call(static_cast<int>(std::max<int64_t>(0, left.count()))));
    if (!err) return KafkaSink::TxnError::kNone;
    why = std::string(what) + ": " + rd_kafka_error_string(err.get());
    if (rd_kafka_error_is_fatal(err.get())) return KafkaSink::TxnError::kFatal;
    if (rd_kafka_error_txn_requires_abort(err.get())) return KafkaSink::TxnError::kAbortable;
    if (rd_kafka_error_is_retriable(err.get()) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    // Out of time with the outcome unknown: aborting is the way out that
    // can neither lose nor duplicate.
    return KafkaSink::TxnError::kAbortable;
  }
}

}  // namespace

KafkaSink::TxnError KafkaSink::commit_transaction(const KafkaSource& source,
                                                  const std::vector<PartitionOffset>& offsets,
                                                  std::chrono::milliseconds timeout, std::string& why) {
  rd_kafka_t* rk = impl_->rk.get();
  const auto deadline = Clock::now() + timeout;
  if (!offsets.empty()) {
    GroupMetadataPtr group(rd_kafka_consumer_group_metadata(source.handle()));
    PartitionListPtr list = to_list(offsets);
    const TxnError e = txn_call("send_offsets_to_transaction", deadline, why, [&](int ms) {
      return rd_kafka_send_offsets_to_transaction(rk, list.get(), group.get(), ms);
    });
    if (e != TxnError::kNone) return e;
  }
  const TxnError committed =
      txn_call("commit_transaction", deadline, why, [&](int ms) { return rd_kafka_commit_transaction(rk, ms); });
  if (committed != TxnError::kNone) return committed;
  impl_->in_transaction = false;
  return impl_->begin(why) ? TxnError::kNone : TxnError::kFatal;
}

bool KafkaSink::abort_and_begin(std::chrono::milliseconds timeout, std::string& why) {
  rd_kafka_t* rk = impl_->rk.get();
  if (impl_->in_transaction &&
      txn_call("abort_transaction", Clock::now() + timeout, why,
               [&](int ms) { return rd_kafka_abort_transaction(rk, ms); }) != TxnError::kNone)
    return false;
  impl_->in_transaction = false;
  return impl_->begin(why);
}

void KafkaSink::abort_transaction(std::chrono::milliseconds timeout) {
  if (!impl_->in_transaction) return;
  if (std::string e = take_error(rd_kafka_abort_transaction(impl_->rk.get(), static_cast<int>(timeout.count())));
      !e.empty())
    spdlog::warn("kafka: abort_transaction: {}", e);
  impl_->in_transaction = false;
}

bool KafkaSink::fatal_error(std::string& why) const {
  char reason[512];
  if (rd_kafka_fatal_error(impl_->rk.get(), reason, sizeof reason) == RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  why = std::string("fatal producer error: ") + reason;
  return true;
}

int KafkaSink::queued() const { return rd_kafka_outq_len(impl_->rk.get()); }

void KafkaSink::close() {
  if (!impl_ || impl_->closing.exchange(true)) return;
  if (impl_->poller.joinable()) impl_->poller.join();
}

}  // namespace newsd::kafka
