#include "stages/extract/script_data.h"

#include <simdjson.h>

namespace newsd::extract {
namespace {

// Paragraph tags in a raw (still escaped) JSON string, at most two counted.
int paragraph_tags(std::string_view raw) {
  int n = 0;
  for (size_t i = 0; i + 3 < raw.size() && n < 2; ++i) {
    size_t after = std::string_view::npos;
    if (raw[i] == '<')
      after = i + 1;
    else if (raw[i] == '\\' && raw.compare(i + 1, 4, "u003") == 0 && i + 5 < raw.size() && (raw[i + 5] | 0x20) == 'c')
      after = i + 6;
    if (after == std::string_view::npos || after + 1 >= raw.size()) continue;
    if (raw[after] != 'p' && raw[after] != 'P') continue;
    const char c = raw[after + 1];
    // "<p>", "<p class=…>", "\u003cp\u003e"; not "<path", "<pre".
    if (c == '>' || c == ' ' || c == '\\') ++n;
  }
  return n;
}

// The literal's value, its escapes decoded by a JSON parser; empty when it
// is no valid JSON string (a lone surrogate, a raw control character).
std::string decode_json_string(std::string_view raw) {
  std::string quoted;
  quoted.reserve(raw.size() + 2 + simdjson::SIMDJSON_PADDING);
  quoted += '"';
  quoted += raw;
  quoted += '"';
  simdjson::dom::parser parser;
  std::string_view value;
  if (parser.parse(quoted).get_string().get(value)) return {};
  return std::string(value);
}

}  // namespace

std::string html_in_script_data(std::string_view html, std::span<const std::pair<size_t, size_t>> scripts) {
  std::string_view best;
  for (const auto& [begin, end] : scripts) {
    if (begin >= end || end > html.size()) continue;
    const std::string_view script = html.substr(begin, end - begin);
    size_t i = 0;
    while (i < script.size()) {
      const size_t open = script.find('"', i);
      if (open == std::string_view::npos) break;
      size_t close = open + 1;
      while (close < script.size() && script[close] != '"') close += script[close] == '\\' ? 2 : 1;
      if (close >= script.size()) break;
      const std::string_view raw = script.substr(open + 1, close - open - 1);
      if (raw.size() > best.size() && paragraph_tags(raw) >= 2) best = raw;
      i = close + 1;
    }
  }
  return best.empty() ? std::string() : decode_json_string(best);
}

}  // namespace newsd::extract
