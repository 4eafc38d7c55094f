#include "stages/extract/script_data.h"

#include "stages/utf8.h"

namespace newsd::extract {
namespace {

// Paragraph tags in a raw (still escaped) JSON string, at most two counted.
int paragraph_tags(std::string_view raw) {
  int n = 0;
  for (size_t i = 0; i + 3 < raw.size() && n < 2; ++i) {
    size_t after = std::string_view::npos;
    if (raw[i] == '<') {
      after = i + 1;
    } else if (raw[i] == '\\' && raw.compare(i + 1, 5, "u003c") == 0) {
      after = i + 6;
    } else if (raw[i] == '\\' && raw.compare(i + 1, 5, "u003C") == 0) {
      after = i + 6;
    }
    if (after == std::string_view::npos || after + 1 >= raw.size()) continue;
    if (raw[after] != 'p' && raw[after] != 'P') continue;
    const char c = raw[after + 1];
    // "<p>", "<p class=…>", "\u003cp\u003e"; not "<path", "<pre".
    if (c == '>' || c == ' ' || c == '\\') ++n;
  }
  return n;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// \uXXXX at raw[i] (the backslash), or -1.
int32_t unicode_escape(std::string_view raw, size_t i) {
  if (i + 6 > raw.size() || raw[i + 1] != 'u') return -1;
  int32_t v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    const int h = hex_value(raw[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

std::string unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 >= raw.size()) {
      out += raw[i];
      continue;
    }
    const char e = raw[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
      case 'f':
        out += ' ';
        break;
      case 'u': {
        int32_t cp = unicode_escape(raw, i - 1);
        if (cp < 0) {
          out += 'u';
          break;
        }
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair's first half
          const int32_t low = i + 1 < raw.size() && raw[i + 1] == '\\' ? unicode_escape(raw, i + 1) : -1;
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        append_utf8(out, static_cast<char32_t>(cp));
        break;
      }
      default:
        out += e;
        break;  // \" \\ \/ and anything else as itself
    }
  }
  return out;
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
  return best.empty() ? std::string() : unescape(best);
}

}  // namespace newsd::extract
