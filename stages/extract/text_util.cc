#include "stages/extract/text_util.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include <cctype>

namespace newsd::extract {

bool is_space_cp(char32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\f':
    case '\v':
    case 0xA0:
    case 0x1680:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
    case 0x200B:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool is_word_cp(char32_t cp) {
  if (cp < 0x80) return std::isalnum(static_cast<int>(cp)) != 0;
  if (cp == 0x200C || cp == 0x200D) return true;  // ZWNJ/ZWJ join Indic syllables
  const int8_t type = u_charType(static_cast<UChar32>(cp));
  switch (type) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return true;
    default:
      return false;
  }
}

void append_folded(std::string& out, std::string_view in) {
  bool space = out.empty() || out.back() == ' ' || out.back() == '\n';
  size_t i = 0;
  while (i < in.size()) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        if (!space) out += ' ';
        space = true;
      } else {
        out += static_cast<char>(c);
        space = false;
      }
      ++i;
      continue;
    }
    const size_t start = i;
    const char32_t cp = next_code_point(in, i);
    if (is_space_cp(cp)) {
      if (!space) out += ' ';
      space = true;
    } else if (cp == 0xAD) {  // soft hyphen: invisible
    } else {
      out.append(in.data() + start, i - start);
      space = false;
    }
  }
}

std::string_view trim(std::string_view s) {
  auto sp = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; };
  while (!s.empty() && sp(s.front())) s.remove_prefix(1);
  while (!s.empty() && sp(s.back())) s.remove_suffix(1);
  return s;
}

std::string trim_unicode(std::string_view s) {
  std::string out;
  append_folded(out, s);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

int64_t count_words(std::string_view s) {
  int64_t words = 0;
  bool in_word = false;
  size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = next_code_point(s, i);
    const bool cjk = (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
    if (cjk) {
      ++words;
      in_word = false;
    } else if (is_word_cp(cp)) {
      if (!in_word) ++words;
      in_word = true;
    } else if (cp != '\'' && cp != 0x2019 && cp != '-') {
      in_word = false;
    }
  }
  return words;
}

namespace {

template <class Pred>
int count_code_points_if(std::string_view s, Pred pred) {
  int n = 0;
  size_t i = 0;
  while (i < s.size()) n += pred(next_code_point(s, i)) ? 1 : 0;
  return n;
}

}  // namespace

int count_commas(std::string_view s) {
  return count_code_points_if(s, [](char32_t cp) { return cp == ',' || cp == 0x060C || cp == 0x3001 || cp == 0xFF0C; });
}

int count_sentence_ends(std::string_view s) {
  return count_code_points_if(s, [](char32_t cp) {
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x0964 || cp == 0x0965 || cp == 0x3002 || cp == 0x061F ||
           cp == 0xFF01 || cp == 0xFF1F;
  });
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

bool icontains(std::string_view s, std::string_view needle) {
  if (needle.empty()) return true;
  for (size_t i = 0; i + needle.size() <= s.size(); ++i)
    if (istarts_with(s.substr(i), needle)) return true;
  return false;
}

void to_nfc(std::string& s) {
  bool ascii = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) return;
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_FAILURE(err)) return;
  const icu::StringPiece in(s.data(), static_cast<int32_t>(s.size()));
  if (nfc->isNormalizedUTF8(in, err) || U_FAILURE(err)) return;
  std::string out;
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(s.size()));
  err = U_ZERO_ERROR;
  nfc->normalizeUTF8(0, in, sink, nullptr, err);
  if (U_SUCCESS(err)) s = std::move(out);
}

bool similar_title(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  const std::string la = ascii_lower(a), lb = ascii_lower(b);
  return la.find(lb) != std::string::npos || lb.find(la) != std::string::npos;
}

}  // namespace newsd::extract
