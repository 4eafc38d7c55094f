// Lexicon of the pattern rules (stages/tag/rules.cc): English common words
// (written in lower case in news far more often than capitalised
// mid-sentence; stages/tag/data/english-common-words.txt, built by
// scripts/build-english-words), English given names
// (stages/tag/data/given-names-en.txt) and Hindi plain words (used often and
// never inside a name; stages/tag/data/hindi-plain-words.txt, built by
// scripts/build-hindi-words). The definitions are generated from those files
// at build time (embed_word_lists.cmake). Folded forms, sorted byte-wise.
//
// Thread-safety: constant data.
#pragma once

#include <algorithm>
#include <span>
#include <string_view>

namespace newsd::tag {

std::span<const std::string_view> english_common_words();
std::span<const std::string_view> english_given_names();
std::span<const std::string_view> hindi_plain_words();

// Whether one of the lists above holds a word (they are sorted).
inline bool listed(std::span<const std::string_view> list, std::string_view word) {
  return std::binary_search(list.begin(), list.end(), word);
}

}  // namespace newsd::tag
