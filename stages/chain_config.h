// ChainConfig: what the stage chain reads, and nothing else (no Kafka, queue
// or shutdown settings). The root Config (daemon/config.h) extends it with the
// daemon's tables; the loader sees them all through Config::visit.
#pragma once

#include "stages/decode/decode_config.h"
#include "stages/dedup/dedup_config.h"
#include "stages/extract/extract_config.h"
#include "stages/tag/tag_config.h"

namespace newsd {

struct ChainConfig {
  LimitsConfig limits;
  ExtractConfig extract;
  DedupConfig dedup;
  TagConfig tag;
};

}  // namespace newsd
