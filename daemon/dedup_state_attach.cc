#include "daemon/dedup_state_attach.h"

#include "daemon/kafka/dedup_state_log.h"

namespace newsd {

bool attach_dedup_state_log(const Config& config, SharedState& shared, std::string& error) {
  if (!shared.dedup || config.dedup.state_topic.empty()) return true;
  const kafka::DedupStateLog::Options o = kafka::dedup_state_log_options(config.kafka, config.dedup);
  std::unique_ptr<kafka::DedupStateLog> log = kafka::DedupStateLog::open(o, error);
  if (!log) {
    error = "dedup state topic " + o.topic + ": " + error;
    return false;
  }
  // The daemon publishes the fingerprints itself, with each page's output
  // (exactly_once: in its transaction), not through the log's producer.
  if (Status s = shared.dedup->attach_log(std::move(log), /*append=*/false); !s.is_ok()) {
    error = "dedup state topic " + o.topic + ": " + s.message();
    return false;
  }
  return true;
}

}  // namespace newsd
