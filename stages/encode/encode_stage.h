// EncodeStage: renders the article as one `newsd.article.v1` JSON line into
// Article::json. The schema is documented in README.md and
// schema/newsd.article.v1.json; fields are only ever added, never renamed.
//
// Stateless; one instance per worker.
#pragma once

#include "stages/stage.h"

namespace newsd {

inline constexpr const char* kArticleSchema = "newsd.article.v1";

class JsonWriter;

// One entity as it appears in `entities` (also printed by `newsd tag`).
void write_entity(JsonWriter& w, const Entity& e);

class EncodeStage final : public Stage {
 public:
  std::string_view name() const override { return "encode"; }
  Status process(Article& article) override;
};

}  // namespace newsd
