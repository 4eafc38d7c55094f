// attach_dedup_state_log: gives `newsd run`'s dedup index its shared state on
// Kafka (daemon/kafka/dedup_state_log.h). The dedup stage sees only the
// FingerprintLog interface; this is where the two meet.
#pragma once

#include <string>

#include "daemon/config.h"
#include "stages/pipeline.h"

namespace newsd {

// When dedup is on and dedup.state_topic is set, opens the log, replays it
// into shared.dedup and starts tailing. Call after SharedState::create and
// before the workers start. False with `error` set when the topic cannot be
// opened or replayed; true (doing nothing) when no state topic is configured.
bool attach_dedup_state_log(const Config& config, SharedState& shared, std::string& error);

}  // namespace newsd
