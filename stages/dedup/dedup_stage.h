// DedupStage: marks each article unique, a copy of an earlier one, or too short.
//
// Reads Article::text (and id, url, published_at/fetched_at), writes
// Article::dedup. Fingerprinting (normalisation, word breaking, hashing) runs
// here, in parallel on every worker; only the index look-up and insert go
// through the shared DedupState. With dedup.drop, exact and near duplicates
// and same-URL re-crawls return kDropped so the pipeline counts and drops them;
// an updated page (same URL, changed text) is always published.
//
// Thread-safety: one instance per worker (it owns an ICU break iterator).
// Lifetimes: `state` must outlive the stage.
#pragma once

#include <memory>
#include <string>

#include "stages/dedup/dedup_config.h"
#include "stages/dedup/dedup_state.h"
#include "stages/dedup/fingerprint.h"
#include "stages/stage.h"

namespace newsd {

class DedupStage : public Stage {
 public:
  DedupStage(const DedupConfig& config, dedup::DedupState& state);
  std::string_view name() const override { return "dedup"; }
  Status process(Article& article) override;

 private:
  const DedupConfig config_;
  dedup::DedupState& state_;
  std::unique_ptr<dedup::Fingerprinter> fingerprinter_;
  std::string init_error_;
};

namespace dedup {
// Minutes since the Unix epoch of an RFC 3339 / ISO 8601 time
// ("2022-01-11T09:30:00+05:30", "2022-01-11"); 0 when it cannot be read.
int64_t parse_minutes(std::string_view iso);
// The 64-bit value of a 16-hex-digit article id; other ids are hashed.
uint64_t id_value(std::string_view id);
}  // namespace dedup

}  // namespace newsd
