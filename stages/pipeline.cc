#include "stages/pipeline.h"

#include <chrono>

#include "stages/deadline.h"
#include "stages/decode/decode_stage.h"
#include "stages/dedup/dedup_stage.h"
#include "stages/encode/encode_stage.h"
#include "stages/extract/extract_stage.h"
#include "stages/tag/tag_stage.h"

namespace newsd {
namespace {

using StageFactory = std::unique_ptr<Stage> (*)(const ChainConfig&, SharedState&);

// The chain, in order. A factory may return null when its stage is disabled
// by config.
constexpr StageFactory kChain[] = {
    [](const ChainConfig& c, SharedState&) -> std::unique_ptr<Stage> {
      return std::make_unique<DecodeStage>(c.limits);
    },
    [](const ChainConfig& c, SharedState&) -> std::unique_ptr<Stage> {
      return std::make_unique<ExtractStage>(c.extract);
    },
    [](const ChainConfig& c, SharedState& s) -> std::unique_ptr<Stage> {
      if (!s.dedup) return nullptr;
      return std::make_unique<DedupStage>(c.dedup, *s.dedup);
    },
    [](const ChainConfig& c, SharedState& s) -> std::unique_ptr<Stage> {
      if (!s.tag) return nullptr;
      return std::make_unique<TagStage>(c.tag, *s.tag, s.metrics);
    },
    [](const ChainConfig&, SharedState&) -> std::unique_ptr<Stage> { return std::make_unique<EncodeStage>(); },
};

// Gazetteer size as gauges, after start-up and after every reload.
void publish_tag_sizes(const tag::TagData& tag, MetricsRegistry& metrics) {
  const auto resources = tag.current();
  metrics.gauge("newsd_gazetteer_aliases", "Names in the loaded gazetteer")
      .set(static_cast<double>(resources->gazetteer.aliases()));
  metrics.gauge("newsd_gazetteer_entities", "Entities in the loaded gazetteer")
      .set(static_cast<double>(resources->gazetteer.entities()));
}

// A stage that throws (std::bad_alloc included) fails its page, not the
// worker: the exception becomes an internal error of that stage, so the page
// gets a dead letter and the worker takes the next one.
Status process_guarded(Stage& stage, Article& article) noexcept {
  try {
    return stage.process(article);
  } catch (...) {
    return current_exception_status();
  }
}

}  // namespace

std::unique_ptr<SharedState> SharedState::create(const ChainConfig& config, MetricsRegistry& metrics,
                                                 std::string& error) {
  auto shared = std::make_unique<SharedState>(metrics);
  if (config.tag.enabled) {
    shared->tag = tag::TagData::create(config.tag, error);
    if (!shared->tag) return nullptr;
    publish_tag_sizes(*shared->tag, metrics);
  }
  if (config.dedup.enabled) shared->dedup = std::make_unique<dedup::DedupState>(config.dedup, metrics);
  return shared;
}

Status SharedState::reload(const ChainConfig& config) {
  if (tag && config.tag.enabled) {
    if (Status s = tag->reload(config.tag); !s.is_ok()) return s;
    publish_tag_sizes(*tag, metrics);
  }
  return Status::ok();
}

Pipeline::Pipeline(const ChainConfig& config, SharedState& shared)
    : metrics_(&shared.metrics), dedup_(shared.dedup.get()), page_limit_(config.limits.max_page_ms) {
  for (StageFactory make : kChain) add(make(config, shared));
}

Pipeline::Pipeline(std::vector<std::unique_ptr<Stage>> stages, SharedState& shared)
    : metrics_(&shared.metrics), dedup_(shared.dedup.get()) {
  for (std::unique_ptr<Stage>& stage : stages) add(std::move(stage));
}

void Pipeline::add(std::unique_ptr<Stage> stage) {
  if (!stage) return;
  const Labels labels{{"stage", std::string(stage->name())}};
  Histogram& latency = metrics_->histogram("newsd_stage_duration_seconds", "Time spent in each stage", labels);
  Counter& processed = metrics_->counter("newsd_stage_pages_total", "Pages that entered each stage", labels);
  steps_.push_back({std::move(stage), &latency, &processed});
}

Pipeline::~Pipeline() = default;
Pipeline::Pipeline(Pipeline&&) noexcept = default;
Pipeline& Pipeline::operator=(Pipeline&&) noexcept = default;

PipelineOutcome Pipeline::run(Article& article) {
  using Clock = std::chrono::steady_clock;
  const PageDeadline deadline(page_limit_);
  for (Step& step : steps_) {
    const auto start = Clock::now();
    Status status = process_guarded(*step.stage, article);
    // A stage that ran out of time may have stopped early with a partial
    // result: whatever it returned, the page is a timeout.
    if (status.code() != StatusCode::kTimeout && PageDeadline::expired())
      status = timeout("page took longer than " + std::to_string(page_limit_.count()) + " ms (limits.max_page_ms)");
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    step.processed->inc();
    step.latency->observe(static_cast<double>(micros) * 1e-6);
    article.timings.push_back({step.stage->name().data(), micros});
    if (!status.is_ok()) {
      // A page that stops before dedup must not hold up later pages at the
      // input-order gate (no-op once it has passed).
      if (dedup_) dedup_->skip(article.sequence);
      const Labels labels{{"stage", std::string(step.stage->name())},
                          {"reason", std::string(status_code_name(status.code()))}};
      if (status.code() == StatusCode::kDropped) {
        metrics_->counter("newsd_pages_dropped_total", "Pages deliberately not published, by stage and reason", labels)
            .inc();
      } else {
        metrics_->counter("newsd_pages_failed_total", "Pages that failed a stage, by stage and reason", labels).inc();
      }
      return {std::move(status), step.stage->name()};
    }
  }
  return {};
}

std::vector<std::string_view> Pipeline::stage_names() const {
  std::vector<std::string_view> names;
  for (const Step& s : steps_) names.push_back(s.stage->name());
  return names;
}

}  // namespace newsd
