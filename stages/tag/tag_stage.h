// TagStage: finds the named entities of an article's text and links them to
// ids (Article::entities), marking the article tagged.
//
// Thread-safety: one instance per worker (it owns the Tagger's scratch
// buffers); the gazetteer and model come from the shared TagData, taken
// afresh for each page so a reload applies from the next page on.
#pragma once

#include <string_view>

#include "stages/metrics.h"
#include "stages/stage.h"
#include "stages/tag/tag_config.h"
#include "stages/tag/tagger.h"

namespace newsd {

class TagStage : public Stage {
 public:
  TagStage(const TagConfig& config, tag::TagData& data, MetricsRegistry& metrics);

  std::string_view name() const override { return "tag"; }
  Status process(Article& article) override;

 private:
  tag::TagData& data_;
  tag::Tagger tagger_;
  Counter* by_source_[3];
};

}  // namespace newsd
