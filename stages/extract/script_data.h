// Article bodies kept only in a page's script data.
//
// A page rendered by JavaScript (a React Query or Redux state, a CMS
// response inlined for hydration) may carry its article as an HTML string
// inside JSON, with nothing of it in the markup. This finds that string so
// the extractor can read it as a page of its own.
//
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace newsd::extract {

// The longest JSON string literal within `scripts` (byte ranges of `html`)
// that holds HTML paragraphs (two "<p>" or "<p " tags at least, also as
// "\u003cp"), with its escapes decoded; empty when there is none or it is no
// valid JSON string. One pass over the scripts' bytes.
std::string html_in_script_data(std::string_view html, std::span<const std::pair<size_t, size_t>> scripts);

}  // namespace newsd::extract
