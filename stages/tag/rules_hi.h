// Word lists of the pattern rules (stages/tag/rules.cc) for Hindi, and the
// lists Hindi and English share: function words that never start or end a
// name, head nouns of Devanagari names, titles before a person, event nouns,
// place words before which a list names places, and programme words
// (schemes and prizes named after a leader's title). Folded (lower-case)
// forms.
//
// Thread-safety: each list is built once on first use (thread-safe static)
// and never changes.
#pragma once

#include "stages/tag/rules_en.h"

namespace newsd::tag {

const WordSet& stop_words();
const HeadMap& devanagari_heads();
const WordSet& titles();
const WordSet& event_nouns();
const WordSet& place_words();
const WordSet& programme_words();

}  // namespace newsd::tag
