#include "daemon/kafka/client_conf.h"

#include "daemon/kafka/check_properties.h"

#include <unistd.h>

#include <map>

#include "daemon/kafka/security.h"
#include "daemon/logging.h"

namespace newsd::kafka {
namespace {

// librdkafka's own log lines (broker connects, timeouts, group events) go to
// newsd's logger instead of its default stderr format. Called from
// librdkafka's threads; the logger is thread-safe.
void log_to_newsd(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  log_librdkafka(level, facility, message, rk != nullptr ? rd_kafka_name(rk) : "");
}

// `ours`, then [kafka.security], then the user's pass-through table.
ConfPtr build(std::map<std::string, std::string> ours, const KafkaConfig& c, const config::StringMap& overrides,
              std::string& error) {
  if (!security_properties(c.security, ours, error)) return nullptr;
  ConfPtr conf(rd_kafka_conf_new());
  rd_kafka_conf_set_log_cb(conf.get(), &log_to_newsd);
  std::string all_errors;
  auto apply = [&](const std::string& k, const std::string& v) {
    std::string e;
    if (!set_property(conf.get(), k, v, e)) all_errors += (all_errors.empty() ? "" : "; ") + e;
  };
  for (const auto& [k, v] : ours) apply(k, v);
  for (const auto& [k, v] : overrides) apply(k, v);
  if (!all_errors.empty()) {
    error = all_errors;
    return nullptr;
  }
  return conf;
}

std::string ms(config::Duration d) { return std::to_string(d.count()); }

}  // namespace

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

ConfPtr consumer_conf(const KafkaConfig& c, std::string& error) {
  const bool eos = c.delivery_mode() == DeliveryMode::kExactlyOnce;
  std::map<std::string, std::string> p = {
      {"bootstrap.servers", join(c.brokers, ",")},
      {"group.id", c.group_id},
      {"client.id", "newsd"},
      {"partition.assignment.strategy", c.assignor == "cooperative-sticky" ? "cooperative-sticky" : "range,roundrobin"},
      // Offsets follow output: the tracker decides what may be committed.
      {"enable.auto.offset.store", "false"},
      {"enable.auto.commit", eos ? "false" : "true"},
      {"auto.commit.interval.ms", ms(c.commit_interval)},
      {"auto.offset.reset", "earliest"},
      {"isolation.level", eos ? "read_committed" : "read_uncommitted"},
      {"session.timeout.ms", ms(c.session_timeout)},
      {"max.poll.interval.ms", ms(c.max_poll_interval)},
      {"statistics.interval.ms", ms(c.statistics_interval)},
      {"fetch.max.bytes", std::to_string(c.max_message_bytes)},
      {"max.partition.fetch.bytes", std::to_string(c.max_message_bytes)},
      {"receive.message.max.bytes", std::to_string(c.max_message_bytes + (1 << 20))},
      // Bounds the records prefetched but not yet polled (per partition).
      {"queued.max.messages.kbytes", std::to_string(std::max<int64_t>(c.max_message_bytes / 1024, 16384))},
  };
  if (!c.group_instance_id.empty()) p["group.instance.id"] = c.group_instance_id;
  return build(std::move(p), c, c.consumer, error);
}

std::string default_transactional_id(const KafkaConfig& c) {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return c.group_id + "-" + host;
}

ConfPtr producer_conf(const KafkaConfig& c, bool transactional, std::string& error) {
  std::map<std::string, std::string> p = {
      {"bootstrap.servers", join(c.brokers, ",")},
      {"client.id", "newsd"},
      // Retries without duplicates or reordering within a partition.
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"linger.ms", "5"},
      {"message.max.bytes", std::to_string(c.max_message_bytes + (1 << 20))},
      {"queue.buffering.max.kbytes", std::to_string(std::max<int64_t>(c.max_message_bytes / 1024 * 4, 65536))},
  };
  if (transactional) {
    p["transactional.id"] = c.transactional_id.empty() ? default_transactional_id(c) : c.transactional_id;
    p["transaction.timeout.ms"] = "60000";
  }
  return build(std::move(p), c, c.producer, error);
}

PartitionListPtr to_list(const std::vector<PartitionOffset>& offsets) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const PartitionOffset& o : offsets)
    rd_kafka_topic_partition_list_add(list.get(), o.tp.topic.c_str(), o.tp.partition)->offset = o.offset;
  return list;
}

PartitionListPtr to_list(const std::vector<TopicPartition>& partitions) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const TopicPartition& tp : partitions) rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition);
  return list;
}

std::vector<TopicPartition> from_list(const rd_kafka_topic_partition_list_t* list) {
  std::vector<TopicPartition> out;
  if (list == nullptr) return out;
  for (int i = 0; i < list->cnt; ++i) out.push_back({list->elems[i].topic, list->elems[i].partition});
  return out;
}

std::vector<std::string> check_client_properties(const KafkaConfig& config) {
  std::vector<std::string> errors;
  auto collect = [&errors](const char* table, const std::string& joined) {
    size_t start = 0;
    while (start < joined.size()) {
      size_t end = joined.find("; ", start);
      if (end == std::string::npos) end = joined.size();
      errors.push_back(std::string(table) + ": " + joined.substr(start, end - start));
      start = end + 2;
    }
  };
  std::string error;
  if (!consumer_conf(config, error)) collect("kafka.consumer", error);
  error.clear();
  if (!producer_conf(config, config.delivery_mode() == DeliveryMode::kExactlyOnce, error))
    collect("kafka.producer", error);
  return errors;
}

std::map<std::string, std::string> describe_topic_configs(rd_kafka_t* rk, const std::vector<std::string>& topics,
                                                          const std::string& name, int timeout_ms, std::string& error) {
  std::map<std::string, std::string> values;
  std::vector<ConfigResourcePtr> owned;
  std::vector<rd_kafka_ConfigResource_t*> resources;
  for (const std::string& topic : topics) {
    owned.emplace_back(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str()));
    resources.push_back(owned.back().get());
  }
  QueuePtr queue(rd_kafka_queue_new(rk));
  rd_kafka_DescribeConfigs(rk, resources.data(), resources.size(), nullptr, queue.get());
  EventPtr event(rd_kafka_queue_poll(queue.get(), timeout_ms));
  if (!event) {
    error = "describe configs: no answer from the broker within " + std::to_string(timeout_ms) + " ms";
    return values;
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = std::string("describe configs: ") + rd_kafka_event_error_string(event.get());
    return values;
  }
  size_t n = 0;
  const rd_kafka_ConfigResource_t** described =
      rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(event.get()), &n);
  for (size_t i = 0; i < n; ++i) {
    const std::string topic = rd_kafka_ConfigResource_name(described[i]);
    if (rd_kafka_ConfigResource_error(described[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      error = std::string("describe configs of ") + topic + ": " + rd_kafka_ConfigResource_error_string(described[i]);
      continue;
    }
    size_t entries = 0;
    const rd_kafka_ConfigEntry_t** config = rd_kafka_ConfigResource_configs(described[i], &entries);
    for (size_t j = 0; j < entries; ++j) {
      const char* value = rd_kafka_ConfigEntry_value(config[j]);
      if (name == rd_kafka_ConfigEntry_name(config[j])) values[topic] = value ? value : "";
    }
    if (!values.contains(topic)) error = topic + " has no config entry " + name;
  }
  return values;
}

}  // namespace newsd::kafka
