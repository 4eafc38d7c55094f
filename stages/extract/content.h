// Main-text selection: finds the element holding the article body by scoring
// blocks of prose and their ancestors, then keeps the body's blocks in order
// minus what is chrome, link lists and in-body cross-links.
//
// Signals, none decisive alone: the amount of prose (code points, commas,
// sentence ends of any script), link density, tag semantics (nav, aside,
// footer, header), class/id hints and visibility. Sizes are code points so
// Devanagari and CJK text weigh like Latin text.
//
// Pure functions over a PageIndex; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stages/extract/page_index.h"

namespace newsd::extract {

struct ContentResult {
  std::string text;        // paragraphs joined by "\n\n"
  std::vector<int> roots;  // elements the text was taken from (document order)
  int paragraphs = 0;      // kept blocks of prose (>= 25 code points)
};

// Fills `out`; `title` (may be empty) is dropped when it repeats as a heading.
// With `trust_class_names` false, class and id names no longer mark chrome
// (tags, roles and hiding still do): the second reading of a page whose
// first found almost nothing, since a framework's names ("widget-area" around
// a whole page) can hide the body.
void extract_content(const PageIndex& index, std::string_view title, ContentResult& out,
                     bool trust_class_names = true);

// True for an in-body cross-link label: "Read more:", "Also read", "यह भी पढ़ें", ...
bool is_cross_link_label(std::string_view text);

// True for a line that is only an advertisement marker ("Advertisement", "- Advertisment -", "विज्ञापन").
bool is_ad_marker(std::string_view text);

}  // namespace newsd::extract
