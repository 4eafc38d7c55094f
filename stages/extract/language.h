// Language of the article text: CLD2's detection, cross-checked with the
// page's declared <html lang>.
//
// Pure function; CLD2 keeps only static tables, so it is thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace newsd::extract {

// BCP-47 primary language code ("hi", "en") of `text`. When CLD2 is not
// confident, the declared language (primary subtag of `html_lang`, or a
// JSON-LD inLanguage) wins; "" when neither says anything.
std::string detect_language(std::string_view text, std::string_view declared);

// The primary subtag of a language tag, lower-cased ("hi-IN" -> "hi"); "" if not a tag.
std::string primary_subtag(std::string_view tag);

}  // namespace newsd::extract
