// Invariants the fuzz targets assert on every input: a violated one aborts, so
// libFuzzer (and the corpus regression) report it as a finding with the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "stages/utf8.h"

namespace newsd::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view detail) {
  const std::string shown(detail.substr(0, 200));
  std::fprintf(stderr, "fuzz invariant violated: %s: %s\n", what, shown.c_str());
  std::abort();
}

inline void check(bool ok, const char* what, std::string_view detail = {}) {
  if (!ok) fail(what, detail);
}

inline bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();)
    if (decode_utf8(s, i) == kInvalidUtf8) return false;
  return true;
}

inline void check_utf8(std::string_view s, const char* what) {
  check(valid_utf8(s), what, s);
}

}  // namespace newsd::fuzz
