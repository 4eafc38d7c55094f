// Preclean: a byte scan that removes what no extractor reads before the HTML
// parser sees it.
//
// <script>, <style>, <svg>, <noscript>, <template>, <iframe> elements and
// comments are dropped (on news pages they are about 60% of the bytes; gumbo
// parses the rest about four times faster). JSON-LD scripts are kept aside for
// the metadata reader. Tags nested deeper than `max_depth` are left out so a
// page of 100,000 nested <div>s neither overflows a stack nor makes the parser's
// scope checks quadratic; their text stays, attached to the deepest kept
// ancestor. Depth is counted as the parser nests: an end tag closes the
// innermost open element of its name, and one closing nothing is ignored.
//
// Thread-safety: a Precleaner is used by one thread; it keeps its buffers
// between pages to avoid reallocating.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace newsd::extract {

inline constexpr size_t kDataScriptMinBytes = 1024;

struct Precleaned {
  std::string html;                  // what the parser should read
  std::vector<std::string> json_ld;  // bodies of <script type="application/ld+json">
  // [begin, end) in the input of the other scripts of kDataScriptMinBytes or
  // more: the page's data, where a script-rendered body may be its only copy.
  std::vector<std::pair<size_t, size_t>> data_scripts;
  int flattened_tags = 0;            // tags left out by the depth cap
  size_t noscript_bytes = 0;         // content of the <noscript> elements left out

  // Scratch: the open elements (name keys, innermost last) and how many of
  // each name are open, so an end tag that closes nothing is not counted.
  std::vector<uint64_t> open_stack;
  std::unordered_map<uint64_t, uint32_t> open_counts;
};

// Fills `out` (its buffers are reused) from `html`. With `keep_noscript`,
// <noscript> elements are unwrapped instead of dropped: their content is
// what a page without JavaScript shows, sometimes its only copy of the body.
// Stops early, leaving a partial result, when the page's PageDeadline expires.
void preclean(std::string_view html, int max_depth, Precleaned& out, bool keep_noscript = false);

}  // namespace newsd::extract
