// Stage: one step of the article pipeline, with one hot method.
//
// A stage knows nothing of Kafka or files. It reads and writes the Article it
// is given and returns a Status: an error sends the page to the dead letters
// with the stage's name and the status message. A duplicate or an empty result
// that is still an article is not an error.
//
// Thread-safety: stateless stages are created once per worker and are never
// shared, so process() needs no locks. A stage that consults shared state (the
// dedup index, the gazetteer) holds a reference to an object that documents
// its own thread-safety.
#pragma once

#include <string_view>

#include "stages/article.h"
#include "stages/status.h"

namespace newsd {

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  virtual Status process(Article& article) = 0;
};

}  // namespace newsd
