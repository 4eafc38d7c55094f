// Config of the decode stage: what counts as an acceptable page.
#pragma once

#include <cstdint>

#include "config/schema.h"

namespace newsd {

struct LimitsConfig {
  int64_t max_page_bytes = 8 << 20;
  double max_invalid_utf8_ratio = 0.05;
  int64_t max_page_ms = 10000;

  template <class V>
  void visit(V& v) {
    v.key("max_page_bytes", max_page_bytes, "Largest page accepted, in bytes after decoding any envelope",
          config::in_range<int64_t>(1024, int64_t{1} << 30));
    v.key("max_invalid_utf8_ratio", max_invalid_utf8_ratio,
          "Share of bytes that may be invalid in the declared charset before the page is rejected as binary",
          config::in_range(0.0, 1.0));
    v.key("max_page_ms", max_page_ms,
          "Longest a page may take through the stage chain, in ms; past it the page is a timeout dead letter; 0 = no "
          "limit",
          config::in_range<int64_t>(0, int64_t{1} << 31));
  }
};

}  // namespace newsd
