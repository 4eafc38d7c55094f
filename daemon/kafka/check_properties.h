// The librdkafka check of the pass-through tables, for `newsd check-config`.
// Declared apart from client_conf.h so that callers outside daemon/kafka/ do
// not include librdkafka.
#pragma once

#include <string>
#include <vector>

#include "daemon/kafka/kafka_config.h"

namespace newsd::kafka {

// Every property librdkafka rejects in the consumer and producer configs newsd
// would build, each naming its table ("kafka.consumer: ..."). Empty when both
// are accepted. Makes no connection.
std::vector<std::string> check_client_properties(const KafkaConfig& config);

}  // namespace newsd::kafka
