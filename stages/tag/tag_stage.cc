#include "stages/tag/tag_stage.h"

#include "stages/deadline.h"

namespace newsd {

TagStage::TagStage(const TagConfig& config, tag::TagData& data, MetricsRegistry& metrics)
    : data_(data), tagger_(config) {
  for (EntitySource s : {EntitySource::kGazetteer, EntitySource::kRule, EntitySource::kModel})
    by_source_[static_cast<size_t>(s)] =
        &metrics.counter("newsd_tag_entities_total", "Entities found by the tag stage, by source",
                         {{"source", std::string(entity_source_name(s))}});
}

Status TagStage::process(Article& article) {
  const std::shared_ptr<const tag::TagResources> res = data_.current();
  if (!res) return internal_error("tag data not loaded");
  tagger_.tag(*res, article.text, article.entities);
  if (PageDeadline::expired()) return timeout("tag ran past limits.max_page_ms");
  for (const Entity& e : article.entities) {
    by_source_[static_cast<size_t>(e.source)]->inc();
  }
  article.tagged = true;
  return Status::ok();
}

}  // namespace newsd
