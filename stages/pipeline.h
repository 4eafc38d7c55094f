// Pipeline: the ordered chain of stages one worker runs on each page.
//
// The chain is fixed and built from one table in pipeline.cc
// (decode -> extract -> dedup -> tag -> encode). Each worker owns one Pipeline,
// so stateless stages need no locks; stages with shared state get it from
// SharedState, which outlives every pipeline.
//
// Thread-safety: a Pipeline is used by one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

#include "stages/chain_config.h"
#include "stages/dedup/dedup_state.h"
#include "stages/metrics.h"
#include "stages/stage.h"
#include "stages/tag/tagger.h"

namespace newsd {

// State shared by every worker's pipeline: the metrics registry and the
// bounded, thread-safe stores of stateful stages. Each member documents its
// own thread-safety; all must outlive the pipelines built from them.
struct SharedState {
  explicit SharedState(MetricsRegistry& registry) : metrics(registry) {}

  // Builds the shared state a config asks for (loads data files, opens
  // indexes). Returns null and sets `error` when that fails.
  static std::unique_ptr<SharedState> create(const ChainConfig& config, MetricsRegistry& metrics, std::string& error);

  // Reloads data files (gazetteer, model) after SIGHUP without stopping the
  // flow. On failure the old data stays in use and the error says why.
  Status reload(const ChainConfig& config);

  MetricsRegistry& metrics;
  // The dedup index (and input-order gate in `newsd process`); null when
  // dedup.enabled = false.
  std::unique_ptr<dedup::DedupState> dedup;

  // Gazetteer and tagger model, swapped atomically by reload(); null when
  // tag.enabled = false.
  std::unique_ptr<tag::TagData> tag;
};

struct PipelineOutcome {
  Status status;               // ok, dropped, or the failure
  std::string_view stage;      // the stage that returned `status`; empty when ok
  bool ok() const { return status.is_ok(); }
  bool dropped() const { return status.code() == StatusCode::kDropped; }
};

class Pipeline {
 public:
  // The chain of pipeline.cc, its stages configured by `config`.
  Pipeline(const ChainConfig& config, SharedState& shared);
  // These stages, in this order (tests: a chain with a stage of their own).
  Pipeline(std::vector<std::unique_ptr<Stage>> stages, SharedState& shared);
  ~Pipeline();
  Pipeline(Pipeline&&) noexcept;
  Pipeline& operator=(Pipeline&&) noexcept;

  // Runs every stage in order and stops at the first that does not return ok.
  // A stage that throws (std::bad_alloc included) fails the page with an
  // internal error naming it, as if it had returned that status. Records
  // each stage's time in article.timings and in the metrics. The page has
  // limits.max_page_ms (a PageDeadline) for the whole chain; a stage running
  // past it ends the page with a `timeout` failure.
  PipelineOutcome run(Article& article);

  std::vector<std::string_view> stage_names() const;

 private:
  void add(std::unique_ptr<Stage> stage);  // null: a stage disabled by config

  struct Step {
    std::unique_ptr<Stage> stage;
    Histogram* latency;
    Counter* processed;
  };
  std::vector<Step> steps_;
  MetricsRegistry* metrics_;
  dedup::DedupState* dedup_;              // to release a failed page's turn at the dedup gate
  std::chrono::milliseconds page_limit_{0};  // limits.max_page_ms; 0 = none
};

}  // namespace newsd
