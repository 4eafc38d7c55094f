// Builds librdkafka configurations from KafkaConfig: the properties newsd
// relies on, then the user's kafka.consumer / kafka.producer overrides.
// Internal to daemon/kafka/.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "daemon/kafka/kafka_config.h"
#include "daemon/kafka/handles.h"
#include "daemon/kafka/topic_partition.h"

namespace newsd::kafka {

// Null with every rejected property in `error` on failure.
ConfPtr consumer_conf(const KafkaConfig& config, std::string& error);
ConfPtr producer_conf(const KafkaConfig& config, bool transactional, std::string& error);

// The transactional.id used when kafka.transactional_id is empty.
std::string default_transactional_id(const KafkaConfig& config);

PartitionListPtr to_list(const std::vector<PartitionOffset>& offsets);
PartitionListPtr to_list(const std::vector<TopicPartition>& partitions);
std::vector<TopicPartition> from_list(const rd_kafka_topic_partition_list_t* list);

std::string join(const std::vector<std::string>& parts, const char* sep);

// The value of one configuration entry of each topic as the broker reports
// it (its default when not set on the topic), in one request. A topic it
// cannot be read for (no such topic) is missing, with `error` set; so are all
// when no answer comes within `timeout_ms`.
std::map<std::string, std::string> describe_topic_configs(rd_kafka_t* rk, const std::vector<std::string>& topics,
                                                          const std::string& name, int timeout_ms, std::string& error);

}  // namespace newsd::kafka
