// UTF-8 walking shared by every stage: one strict decoder, one encoder.
//
// Strict means what decode accepts as valid: no overlong forms, no UTF-16
// surrogates, nothing above U+10FFFF. Pure inline functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace newsd {

inline constexpr char32_t kInvalidUtf8 = 0xFFFFFFFF;
inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point at s[i] (i < s.size()) and advances i past it. An
// invalid or truncated sequence consumes one byte and yields kInvalidUtf8.
inline char32_t decode_utf8(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  size_t len = 0;
  char32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return kInvalidUtf8;
  }
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kInvalidUtf8;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
    ++i;
    return kInvalidUtf8;
  }
  i += len;
  return cp;
}

// As decode_utf8, with invalid bytes read as U+FFFD.
inline char32_t next_code_point(std::string_view s, size_t& i) {
  const char32_t cp = decode_utf8(s, i);
  return cp == kInvalidUtf8 ? kReplacementChar : cp;
}

inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Number of code points in valid UTF-8 (counts every byte that starts one).
inline int64_t code_points(std::string_view s) {
  int64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace newsd
