// TopicPartition, PartitionOffset: the Kafka layer's names for a partition and
// a committable position in it. Plain values; no librdkafka.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace newsd {

struct TopicPartition {
  std::string topic;
  int32_t partition = -1;
  auto operator<=>(const TopicPartition&) const = default;
};

// `offset` is the next offset to consume, as Kafka commits it.
struct PartitionOffset {
  TopicPartition tp;
  int64_t offset = -1;
};

}  // namespace newsd
