// Config of the extract stage: what counts as an article and how deep the
// parser may go.
#pragma once

#include <cstdint>

#include "config/schema.h"

namespace newsd {

struct ExtractConfig {
  int64_t min_text_chars = 200;
  int max_depth = 400;
  bool detect_language = true;

  template <class V>
  void visit(V& v) {
    v.key("min_text_chars", min_text_chars,
          "Fewest code points of main text for a page to count as an article (fewer = no_article dead letter); "
          "a page that declares itself an article and shows its headline or date is one whatever its length",
          config::in_range<int64_t>(0, 1 << 20));
    v.key("max_depth", max_depth,
          "Deepest element nesting kept; deeper tags are flattened into their ancestor before parsing",
          config::in_range(32, 100000));
    v.key("detect_language", detect_language,
          "Detect the language of the text with CLD2; off = take it from <html lang> only");
  }
};

}  // namespace newsd
