// English lexicon of the pattern rules (stages/tag/rules.cc): common words
// (written in lower case in news far more often than capitalised
// mid-sentence; stages/tag/data/english-common-words.txt, built by
// scripts/build-english-words) and given names
// (stages/tag/data/given-names-en.txt). The definitions are generated from
// those files at build time (embed_word_lists.cmake). Folded (lower-case)
// forms, sorted.
//
// Thread-safety: constant data.
#pragma once

#include <span>
#include <string_view>

namespace newsd::tag {

std::span<const std::string_view> english_common_words();
std::span<const std::string_view> english_given_names();

}  // namespace newsd::tag
