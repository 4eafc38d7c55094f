// DeadLetter: the record a page that failed a stage becomes. The original
// payload (truncated to fit the output) with headers that say where it came
// from and why it failed: newsd-error, newsd-stage, newsd-reason, the source
// topic/partition/offset, and the input's url, content-type and fetched-at.
//
// Thread-safety: a pure function. Lifetime: `payload` points into
// article.input.payload, so the article must outlive the DeadLetter.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/article.h"
#include "stages/status.h"

namespace newsd {

struct DeadLetter {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view payload;
};

// `max_payload`: payload bytes kept; a longer payload is cut and the header
// newsd-truncated-from gives its original size.
DeadLetter make_dead_letter(const Article& article, const Status& status, std::string_view stage, size_t max_payload);

}  // namespace newsd
