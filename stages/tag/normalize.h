// Text normalisation shared by the gazetteer matcher and the statistical tagger.
//
// Matching happens on a folded copy of the text: NFC (base + combining mark
// composed where Unicode composes them), simple case folding, Devanagari nukta
// dropped (क़ and क+़ both become क) and chandrabindu folded to anusvara,
// zero-width joiners and soft hyphens dropped, dashes and curly quotes mapped
// to ASCII, and runs of white space collapsed to one space. Every folded code
// point remembers where it came from, so spans found in the folded text map
// back to code-point offsets into the original text.
//
// scripts/train-tagger and scripts/build-gazetteer mirror fold() in Python;
// keep the three in step.
//
// Thread-safety: free functions, reentrant. The word-character table is built
// once on first use (thread-safe static).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stages/utf8.h"

namespace newsd::tag {

struct FoldedText {
  std::u32string original;     // the input's code points (invalid UTF-8 -> U+FFFD)
  std::u32string folded;       // matching form
  // from[i]: index in `original` of folded[i]; from[folded.size()]: where
  // the text ends, trailing white space left out.
  std::vector<uint32_t> from;

  void clear() {
    original.clear();
    folded.clear();
    from.clear();
  }
};

// Decodes UTF-8 and folds it; `out` is reused (no allocation once warm).
void fold_text(std::string_view utf8, FoldedText& out);

// The folded form alone (for aliases and model features).
std::u32string fold_string(std::string_view utf8);

// Letters, combining marks and digits: what a word is made of in every
// script (Devanagari vowel signs and viramas are marks, so they stay inside
// words).
bool is_word_char(char32_t c);
// What the tokenizer keeps inside a token: word characters and the
// underscore that joins a user name's words ("Queen_UK").
inline bool is_token_char(char32_t c) {
  return c == U'_' || is_word_char(c);
}

// Upper- or title-case letter (cased scripts only).
bool is_upper(char32_t c);
bool is_lower(char32_t c);

bool is_devanagari(char32_t c);

std::string to_utf8(std::u32string_view s);

}  // namespace newsd::tag
