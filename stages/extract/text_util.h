// Text helpers for extraction: UTF-8 walking, whitespace folding, code-point
// measures. Everything here counts code points, never bytes, so scripts with
// multi-byte letters (Devanagari, CJK) are measured like Latin text.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "stages/utf8.h"

namespace newsd::extract {

// Whitespace as HTML renders it, plus NBSP and the other Unicode spaces.
bool is_space_cp(char32_t cp);

// Letters and digits of any script (combining marks count, so Devanagari
// syllables stay whole).
bool is_word_cp(char32_t cp);

// Appends `in` to `out` folding every run of whitespace into one space; a
// leading space is dropped when `out` is empty or already ends in a space or
// newline.
void append_folded(std::string& out, std::string_view in);

std::string_view trim(std::string_view s);

// Trims ASCII and Unicode spaces.
std::string trim_unicode(std::string_view s);

// Words: runs of letters/digits separated by anything else; each CJK
// ideograph or kana counts as one word since those scripts have no spaces.
int64_t count_words(std::string_view s);

// Commas and clause marks of several scripts (, ، 、 ，) — a sign of prose.
int count_commas(std::string_view s);

// Sentence ends (. ! ? । ॥ 。 ؟) — a sign of prose rather than a menu.
int count_sentence_ends(std::string_view s);

// Rewrites `s` in Unicode Normalization Form C (composed: "e" + U+0301 ->
// "é"; Devanagari nukta forms as NFC defines them). Text already in NFC, the
// common case, is only checked. Invalid UTF-8 is left as it is.
void to_nfc(std::string& s);

// ASCII lower-case copy.
std::string ascii_lower(std::string_view s);

// Case-insensitive (ASCII) prefix test.
bool istarts_with(std::string_view s, std::string_view prefix);

// Case-insensitive (ASCII) substring test.
bool icontains(std::string_view s, std::string_view needle);

// Whether either of two non-empty titles (or names) holds the other,
// ignoring ASCII case.
bool similar_title(std::string_view a, std::string_view b);

}  // namespace newsd::extract
