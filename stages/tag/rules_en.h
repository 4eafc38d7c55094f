// English word lists of the pattern rules (stages/tag/rules.cc): head nouns
// of names, job words, acronyms that name nothing, and the words around an
// organisation (appositive nouns, jobs held at it, what it owns). Folded
// (lower-case) forms.
//
// Thread-safety: each list is built once on first use (thread-safe static)
// and never changes.
#pragma once

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "stages/tag/gazetteer.h"

namespace newsd::tag {

using WordSet = std::unordered_set<std::string_view>;
using HeadMap = std::unordered_map<std::string_view, EntityType>;

const HeadMap& latin_heads();
const WordSet& roles();
const WordSet& acronyms();
const WordSet& org_nouns();
const WordSet& org_jobs();
const WordSet& org_possessions();
const WordSet& calendar_words();

}  // namespace newsd::tag
