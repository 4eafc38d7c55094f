#include "daemon/kafka/tool.h"

#include <atomic>
#include <chrono>
#include <map>
#include <random>

#include "daemon/kafka/client_conf.h"
#include "daemon/kafka/handles.h"
#include "daemon/kafka/security.h"

namespace newsd::kafka {
namespace {

ConfPtr base_conf(const Endpoint& endpoint, std::string& error) {
  std::map<std::string, std::string> props = {{"bootstrap.servers", endpoint.brokers}};
  if (!security_properties(endpoint.security, props, error)) return nullptr;
  ConfPtr conf(rd_kafka_conf_new());
  for (const auto& [k, v] : props)
    if (!set_property(conf.get(), k, v, error)) return nullptr;
  return conf;
}

std::string random_suffix() {
  std::random_device rd;
  return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" + std::to_string(rd());
}

}  // namespace

std::string Record::header(std::string_view name) const {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it)
    if (it->first == name) return it->second;
  return {};
}

Status create_topics(const Endpoint& endpoint, const std::vector<std::pair<std::string, int>>& topics,
                     int64_t max_message_bytes) {
  std::string error;
  ConfPtr conf = base_conf(endpoint, error);
  if (!conf) return internal_error(error);
  ClientPtr rk = make_client(RD_KAFKA_PRODUCER, std::move(conf), error);
  if (!rk) return internal_error(error);
  char err[512];
  std::vector<NewTopicPtr> owned;
  std::vector<rd_kafka_NewTopic_t*> raw;
  for (const auto& [name, partitions] : topics) {
    owned.emplace_back(rd_kafka_NewTopic_new(name.c_str(), partitions, 1, err, sizeof err));
    if (!owned.back()) return internal_error(name + ": " + err);
    rd_kafka_NewTopic_set_config(owned.back().get(), "max.message.bytes", std::to_string(max_message_bytes).c_str());
    raw.push_back(owned.back().get());
  }
  QueuePtr queue(rd_kafka_queue_new(rk.get()));
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(rk.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS));
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), 30000, err, sizeof err);
  rd_kafka_CreateTopics(rk.get(), raw.data(), raw.size(), options.get(), queue.get());
  EventPtr event(rd_kafka_queue_poll(queue.get(), 60000));
  if (!event) return internal_error("create topics: no answer from the broker within 60s");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return internal_error(std::string("create topics: ") + rd_kafka_event_error_string(event.get()));
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t n = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &n);
  for (size_t i = 0; i < n; ++i) {
    rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
      return internal_error(std::string("create topic ") + rd_kafka_topic_result_name(results[i]) + ": " +
                            rd_kafka_err2str(e));
  }
  return Status::ok();
}

struct Publisher::Impl {
  std::atomic<int64_t> failed{0};
  std::string last_error;
  ClientPtr rk;

  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
    if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    auto* self = static_cast<Impl*>(opaque);
    self->failed.fetch_add(1);
    self->last_error = rd_kafka_err2str(msg->err);
  }
};

Publisher::Publisher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Publisher::~Publisher() = default;

std::unique_ptr<Publisher> Publisher::create(const Endpoint& endpoint, std::string& error) {
  auto impl = std::make_unique<Impl>();
  ConfPtr conf = base_conf(endpoint, error);
  if (!conf || !set_property(conf.get(), "enable.idempotence", "true", error) ||
      !set_property(conf.get(), "linger.ms", "5", error) ||
      !set_property(conf.get(), "message.max.bytes", "67108864", error) ||
      !set_property(conf.get(), "queue.buffering.max.kbytes", "1048576", error))
    return nullptr;
  rd_kafka_conf_set_opaque(conf.get(), impl.get());
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &Impl::on_delivery);
  impl->rk = make_client(RD_KAFKA_PRODUCER, std::move(conf), error);
  if (!impl->rk) return nullptr;
  return std::unique_ptr<Publisher>(new Publisher(std::move(impl)));
}

Status Publisher::publish(const std::string& topic, std::string_view key, std::string_view value,
                          const ToolHeaders& headers, int32_t partition) {
  for (;;) {
    HeadersPtr hdrs(rd_kafka_headers_new(headers.size()));
    for (const auto& [k, v] : headers)
      rd_kafka_header_add(hdrs.get(), k.data(), static_cast<ssize_t>(k.size()), v.data(), static_cast<ssize_t>(v.size()));
    rd_kafka_resp_err_t e = rd_kafka_producev(
        impl_->rk.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
        RD_KAFKA_V_PARTITION(partition < 0 ? RD_KAFKA_PARTITION_UA : partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_HEADERS(hdrs.get()),
        RD_KAFKA_V_END);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
      (void)hdrs.release();
      return Status::ok();
    }
    if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) return internal_error(rd_kafka_err2str(e));
    rd_kafka_poll(impl_->rk.get(), 10);
  }
}

Status Publisher::flush(std::chrono::milliseconds timeout) {
  if (rd_kafka_flush(impl_->rk.get(), static_cast<int>(timeout.count())) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return internal_error("flush timed out");
  if (impl_->failed.load() > 0)
    return internal_error(std::to_string(impl_->failed.load()) + " records failed: " + impl_->last_error);
  return Status::ok();
}

struct Reader::Impl {
  ClientPtr rk;
  ~Impl() {
    if (rk) rd_kafka_consumer_close(rk.get());
  }
};

Reader::Reader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Reader::~Reader() = default;

std::unique_ptr<Reader> Reader::create(const Endpoint& endpoint, const std::vector<std::string>& topics,
                                       bool read_committed, std::string& error) {
  ConfPtr conf = base_conf(endpoint, error);
  if (!conf || !set_property(conf.get(), "group.id", "newsd-reader-" + random_suffix(), error) ||
      !set_property(conf.get(), "auto.offset.reset", "earliest", error) ||
      !set_property(conf.get(), "enable.auto.commit", "false", error) ||
      !set_property(conf.get(), "fetch.max.bytes", "67108864", error) ||
      !set_property(conf.get(), "max.partition.fetch.bytes", "67108864", error) ||
      !set_property(conf.get(), "receive.message.max.bytes", "70000000", error) ||
      !set_property(conf.get(), "isolation.level", read_committed ? "read_committed" : "read_uncommitted", error))
    return nullptr;
  auto impl = std::make_unique<Impl>();
  impl->rk = make_client(RD_KAFKA_CONSUMER, std::move(conf), error);
  if (!impl->rk) return nullptr;
  rd_kafka_poll_set_consumer(impl->rk.get());
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const std::string& t : topics) rd_kafka_topic_partition_list_add(list.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  if (rd_kafka_resp_err_t e = rd_kafka_subscribe(impl->rk.get(), list.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = rd_kafka_err2str(e);
    return nullptr;
  }
  return std::unique_ptr<Reader>(new Reader(std::move(impl)));
}

std::vector<Record> Reader::read(int64_t count, std::chrono::milliseconds idle, std::chrono::milliseconds deadline) {
  using Clock = std::chrono::steady_clock;
  const auto end = Clock::now() + deadline;
  auto last = Clock::now();
  std::vector<Record> out;
  while ((count < 0 || static_cast<int64_t>(out.size()) < count) && Clock::now() < end &&
         Clock::now() - last < idle) {
    MessagePtr msg(rd_kafka_consumer_poll(impl_->rk.get(), 100));
    if (!msg || msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    last = Clock::now();
    Record r;
    r.topic = rd_kafka_topic_name(msg->rkt);
    r.partition = msg->partition;
    r.offset = msg->offset;
    if (msg->key != nullptr) r.key.assign(static_cast<const char*>(msg->key), msg->key_len);
    if (msg->payload != nullptr) r.value.assign(static_cast<const char*>(msg->payload), msg->len);
    rd_kafka_headers_t* hdrs = nullptr;
    if (rd_kafka_message_headers(msg.get(), &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* name = nullptr;
      const void* value = nullptr;
      size_t size = 0;
      for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
        r.headers.emplace_back(name, value ? std::string(static_cast<const char*>(value), size) : std::string());
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string topic_config(const Endpoint& endpoint, const std::string& topic, const std::string& name,
                         std::string& error) {
  ConfPtr conf = base_conf(endpoint, error);
  if (!conf) return "";
  ClientPtr rk = make_client(RD_KAFKA_PRODUCER, std::move(conf), error);
  if (!rk) return "";
  const std::map<std::string, std::string> values = describe_topic_configs(rk.get(), {topic}, name, 30000, error);
  const auto it = values.find(topic);
  return it != values.end() ? it->second : "";
}

int64_t topic_end_offsets(const Endpoint& endpoint, const std::string& topic) {
  std::string error;
  ConfPtr conf = base_conf(endpoint, error);
  if (!conf) return -1;
  ClientPtr rk = make_client(RD_KAFKA_PRODUCER, std::move(conf), error);
  if (!rk) return -1;
  const rd_kafka_metadata_t* md = nullptr;
  std::unique_ptr<rd_kafka_topic_t, Deleter<rd_kafka_topic_destroy>> t(rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr));
  if (rd_kafka_metadata(rk.get(), 0, t.get(), &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) return -1;
  std::unique_ptr<const rd_kafka_metadata_t, Deleter<rd_kafka_metadata_destroy>> owned(md);
  if (md->topic_cnt != 1) return -1;
  int64_t total = 0;
  for (int i = 0; i < md->topics[0].partition_cnt; ++i) {
    int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), md->topics[0].partitions[i].id, &low, &high, 10000) !=
        RD_KAFKA_RESP_ERR_NO_ERROR)
      return -1;
    total += high;
  }
  return total;
}

int64_t group_committed(const Endpoint& endpoint, const std::string& group, const std::string& topic,
                        int partitions) {
  std::string error;
  ConfPtr conf = base_conf(endpoint, error);
  if (!conf || !set_property(conf.get(), "group.id", group, error)) return -1;
  ClientPtr rk = make_client(RD_KAFKA_CONSUMER, std::move(conf), error);
  if (!rk) return -1;
  PartitionListPtr list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
  const rd_kafka_resp_err_t e = rd_kafka_committed(rk.get(), list.get(), 10000);
  rd_kafka_consumer_close(rk.get());
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) return -1;
  int64_t total = 0;
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) return -1;
    if (list->elems[i].offset > 0) total += list->elems[i].offset;
  }
  return total;
}

}  // namespace newsd::kafka
