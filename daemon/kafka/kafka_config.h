// Config of the Kafka layer (daemon/kafka/): brokers, topics, consumer group,
// delivery mode, extra librdkafka properties. Declared once here; the loader,
// `check-config --reference` and the example config follow from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/schema.h"
#include "daemon/kafka/security_config.h"

namespace newsd {

// kafka.delivery as a type: the key stays a string in the file, checked by
// one_of; code reads the mode through KafkaConfig::delivery_mode().
enum class DeliveryMode { kAtLeastOnce, kExactlyOnce };

struct KafkaConfig {
  std::vector<std::string> brokers = {"127.0.0.1:19092"};
  std::vector<std::string> input_topics = {"newsd.pages"};
  std::string output_topic = "newsd.articles";
  std::string dead_letter_topic = "newsd.dead-letters";
  std::string group_id = "newsd";
  std::string group_instance_id;
  std::string assignor = "eager";
  std::string delivery = "at_least_once";
  DeliveryMode delivery_mode() const {
    return delivery == "exactly_once" ? DeliveryMode::kExactlyOnce : DeliveryMode::kAtLeastOnce;
  }
  std::string transactional_id;
  config::Duration commit_interval = std::chrono::seconds(1);
  config::Duration session_timeout = std::chrono::seconds(45);
  config::Duration max_poll_interval = std::chrono::minutes(5);
  config::Duration statistics_interval = std::chrono::seconds(5);
  int64_t max_message_bytes = int64_t{32} << 20;
  config::StringMap consumer;
  config::StringMap producer;
  KafkaSecurityConfig security;

  template <class V>
  void visit(V& v) {
    v.key("brokers", brokers, "Bootstrap brokers, HOST:PORT", config::list_not_empty());
    v.key("input_topics", input_topics, "Topics of crawled pages (crawler record JSON or raw HTML)",
          config::list_not_empty());
    v.key("output_topic", output_topic, "Topic the article JSON records are published to", config::not_empty());
    v.key("dead_letter_topic", dead_letter_topic,
          "Topic for pages that failed a stage: original payload plus newsd-error/newsd-stage headers",
          config::not_empty());
    v.key("group_id", group_id, "Consumer group id", config::not_empty());
    v.key("group_instance_id", group_instance_id,
          "Static group membership id (KIP-345); empty = dynamic membership");
    v.key("assignor", assignor,
          "Partition assignment: eager (range,roundrobin; stop-the-world) or cooperative-sticky (incremental)",
          config::one_of({"eager", "cooperative-sticky"}));
    v.key("delivery", delivery,
          "at_least_once (idempotent producer, offsets follow delivery) or exactly_once (transactions)",
          config::one_of({"at_least_once", "exactly_once"}));
    v.key("transactional_id", transactional_id,
          "exactly_once only: stable id per instance; empty = GROUP_ID-HOSTNAME");
    v.key("commit_interval", commit_interval,
          "How often offsets are committed (exactly_once: how often a transaction is committed)",
          config::duration_in_range(std::chrono::milliseconds(100), std::chrono::minutes(10)));
    v.key("session_timeout", session_timeout, "Consumer group session timeout",
          config::duration_in_range(std::chrono::seconds(1), std::chrono::minutes(30)));
    v.key("max_poll_interval", max_poll_interval,
          "Consumer max.poll.interval.ms; the poll loop never blocks on workers, so slow pages do not hit it",
          config::duration_in_range(std::chrono::seconds(1), std::chrono::hours(24)));
    v.key("statistics_interval", statistics_interval,
          "How often librdkafka statistics (consumer lag per partition) are refreshed; 0s = never",
          config::duration_in_range(config::Duration(0), std::chrono::hours(1)));
    v.key("max_message_bytes", max_message_bytes,
          "Largest record fetched or produced; dead-letter payloads above it are truncated",
          config::in_range<int64_t>(int64_t{1} << 20, int64_t{1} << 30));
    v.key("consumer", consumer, "Extra librdkafka consumer properties (override the ones newsd sets)");
    v.key("producer", producer, "Extra librdkafka producer properties (override the ones newsd sets)");
    v.table("security", security,
            "TLS and SASL for every Kafka client: consumer, producer, dedup state log, newsd-kafka-tool");
  }
};

}  // namespace newsd
