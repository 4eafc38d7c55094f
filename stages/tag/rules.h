// Pattern rules: names neither the gazetteer nor the model knows, found from
// their shape and the words around them.
//
//  * heads: a run of content words ending in an organisation head
//    (विभाग, ब्यूरो, निगम, Commission, Ministry...), a place head (झील,
//    नदी, सेंटर, River, Airport...) or an event head (दिवस, Summit...);
//  * place lists before a district word: "अनंतनाग, बारामूला और कठुआ जिलों";
//  * people after a title: "पुलिस महानिरीक्षक सुरेश चंद्र भट्ट ने",
//    "Foreign Minister Sergei Lavrov";
//  * capitalised runs in cased scripts, typed by their head word, else (in
//    English) by shape and lexicon (word_lists.h): a sentence's first
//    word is dropped when it is an ordinary word; a run starting with a
//    given name, or two to four name-shaped words none of them ordinary, is
//    a person (a place after "in"); a lone word is an organisation when it
//    is an acronym (NASA) or camel-cased (WeWork), a person before "said";
//  * events: "India-Russia summit", "‘टू प्लस टू’ वार्ता", "2+2 dialogue";
//  * organisations: "<demonym or country> embassy".
//
// Thread-safety: pure functions over their arguments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stages/tag/tagger.h"

namespace newsd::tag {

struct RuleInput {
  const FoldedText& text;
  const std::vector<Token>& tokens;
  const std::vector<std::string_view>& words;        // folded tokens
  const std::vector<std::string_view>& gaz_labels;   // "B-LOC"... per token
  const Gazetteer& gazetteer;
};

void apply_rules(const RuleInput& in, std::vector<Candidate>& out);

// Function words (postpositions, pronouns, auxiliaries, articles) that never
// start or end a name; `folded` is a folded token.
bool is_function_word(std::string_view folded);

}  // namespace newsd::tag
