#include "stages/tag/normalize.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include <array>
#include <memory>

namespace newsd::tag {
namespace {

// One bit per BMP code point: is it a word character? Outside the BMP ICU is
// asked directly (rare in news text).
struct WordTable {
  std::array<uint64_t, 1024> bits{};
  WordTable() {
    for (uint32_t c = 0; c < 0x10000; ++c) {
      if (u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_ALPHABETIC) || u_isalnum(static_cast<UChar32>(c)) ||
          (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0)
        bits[c >> 6] |= uint64_t{1} << (c & 63);
    }
  }
};

const WordTable& word_table() {
  static const WordTable table;
  return table;
}

const UNormalizer2* nfc() {
  static const UNormalizer2* n = [] {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2* p = unorm2_getNFCInstance(&status);
    return U_SUCCESS(status) ? p : nullptr;
  }();
  return n;
}

constexpr char32_t kDrop = 0xFFFFFFFF;
constexpr char32_t kSpace = 0xFFFFFFFE;

// Folds one code point; kDrop removes it, kSpace is white space.
inline char32_t fold_cp(char32_t c) {
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return kSpace;
    return c;
  }
  if (c >= 0x0900 && c <= 0x097F) {
    if (c == 0x093C) return kDrop;  // nukta
    if (c >= 0x0958 && c <= 0x095F) {
      static constexpr char32_t base[] = {0x0915, 0x0916, 0x0917, 0x091C, 0x0921, 0x0922, 0x092B, 0x092F};
      return base[c - 0x0958];
    }
    if (c == 0x0929) return 0x0928;
    if (c == 0x0931) return 0x0930;
    if (c == 0x0934) return 0x0933;
    if (c == 0x0901) return 0x0902;  // chandrabindu spelled as anusvara
    if (c == 0x0970) return '.';     // abbreviation sign: डी॰ सी॰
    return c;
  }
  switch (c) {
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: return kDrop;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: return '-';
    case 0x2018: case 0x2019: case 0x02BC: return '\'';
    case 0x201C: case 0x201D: return '"';
    case 0x00A0: case 0x2028: case 0x2029: case 0x0085: return kSpace;
    default: break;
  }
  if (u_isUWhiteSpace(static_cast<UChar32>(c))) return kSpace;
  return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT));
}

}  // namespace

bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (c < 0x10000) return (word_table().bits[c >> 6] >> (c & 63)) & 1;
  if (c > 0x10FFFF) return false;
  const auto u = static_cast<UChar32>(c);
  return u_hasBinaryProperty(u, UCHAR_ALPHABETIC) || u_isalnum(u) || (U_GET_GC_MASK(u) & U_GC_M_MASK) != 0;
}

bool is_upper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return u_isupper(static_cast<UChar32>(c)) || u_istitle(static_cast<UChar32>(c));
}

bool is_lower(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return u_islower(static_cast<UChar32>(c));
}

bool is_devanagari(char32_t c) { return c >= 0x0900 && c <= 0x097F; }

void fold_text(std::string_view utf8, FoldedText& out) {
  out.clear();
  out.original.reserve(utf8.size());
  out.folded.reserve(utf8.size());
  out.from.reserve(utf8.size() + 1);
  const UNormalizer2* composer = nfc();
  bool last_space = true;  // leading white space is dropped as well
  size_t i = 0;
  while (i < utf8.size()) {
    const char32_t c = next_code_point(utf8, i);
    const auto index = static_cast<uint32_t>(out.original.size());
    out.original.push_back(c);
    char32_t f = fold_cp(c);
    if (f == kDrop) continue;
    if (f == kSpace) {
      if (last_space) continue;
      last_space = true;
      out.folded.push_back(' ');
      out.from.push_back(index);
      continue;
    }
    last_space = false;
    // A combining mark that composes with the previous character (e + ́ -> é)
    // joins it, so decomposed input matches composed aliases.
    if (c >= 0x0300 && composer != nullptr && !out.folded.empty() && !is_devanagari(c)) {
      const UChar32 composed = unorm2_composePair(composer, static_cast<UChar32>(out.folded.back()),
                                                  static_cast<UChar32>(c));
      if (composed >= 0) {
        out.folded.back() = fold_cp(static_cast<char32_t>(composed));
        continue;
      }
    }
    out.folded.push_back(f);
    out.from.push_back(index);
  }
  // Trailing white space is dropped too; a span ending the text ends where
  // that white space starts, not at the end of the original.
  auto end = static_cast<uint32_t>(out.original.size());
  if (!out.folded.empty() && out.folded.back() == ' ') {
    end = out.from.back();
    out.folded.pop_back();
    out.from.pop_back();
  }
  out.from.push_back(end);
}

std::u32string fold_string(std::string_view utf8) {
  FoldedText t;
  fold_text(utf8, t);
  return std::move(t.folded);
}

std::string to_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

}  // namespace newsd::tag
