#include "stages/extract/language.h"

#include <cld2/public/compact_lang_det.h>

#include <cctype>

namespace newsd::extract {

std::string primary_subtag(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    if (c == ' ') continue;
    if (c == '-' || c == '_') break;
    if (!std::isalpha(static_cast<unsigned char>(c))) return {};
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out.size() >= 2 && out.size() <= 3 ? out : std::string();
}

std::string detect_language(std::string_view text, std::string_view declared) {
  const std::string decl = primary_subtag(declared);
  if (text.empty()) return decl;
  // CLD2 needs no more than a few KB to be sure; cut at a character boundary.
  size_t n = std::min<size_t>(text.size(), 6144);
  while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  bool reliable = false;
  CLD2::Language lang3[3];
  int percent3[3];
  int text_bytes = 0;
  const CLD2::Language lang = CLD2::ExtDetectLanguageSummary(text.data(), static_cast<int>(n), true, lang3, percent3,
                                                             &text_bytes, &reliable);
  std::string code = primary_subtag(CLD2::LanguageCode(lang));
  // CLD2 still uses a few withdrawn ISO 639 codes.
  if (code == "iw") code = "he";
  else if (code == "in") code = "id";
  else if (code == "jw") code = "jv";
  if (code == "un" || code.empty() || lang == CLD2::UNKNOWN_LANGUAGE) return decl;
  if (decl.empty() || decl == code) return code;
  // The declaration breaks ties between close languages (hi/mr/ne, es/pt,
  // ms/id): it wins when CLD2 also sees a fair share of it in the text.
  for (int i = 0; i < 3; ++i)
    if (primary_subtag(CLD2::LanguageCode(lang3[i])) == decl && (percent3[i] >= 20 || !reliable)) return decl;
  if (reliable) return code;
  return percent3[0] >= 50 ? code : decl;
}

}  // namespace newsd::extract
