#include "stages/tag/tag_stage.h"

#include "stages/deadline.h"

namespace newsd {

TagStage::TagStage(const TagConfig& config, tag::TagData& data, MetricsRegistry& metrics)
    : data_(data), tagger_(config) {
  const char* sources[] = {"gazetteer", "rule", "model"};
  for (int i = 0; i < 3; ++i)
    by_source_[i] = &metrics.counter("newsd_tag_entities_total", "Entities found by the tag stage, by source",
                                     {{"source", sources[i]}});
}

Status TagStage::process(Article& article) {
  const std::shared_ptr<const tag::TagResources> res = data_.current();
  if (!res) return internal_error("tag data not loaded");
  tagger_.tag(*res, article.text, article.entities);
  if (PageDeadline::expired()) return timeout("tag ran past limits.max_page_ms");
  for (const Entity& e : article.entities) {
    const int i = e.source == "gazetteer" ? 0 : e.source == "rule" ? 1 : 2;
    by_source_[i]->inc();
  }
  article.tagged = true;
  return Status::ok();
}

}  // namespace newsd
