// Document-level passes of the Tagger (see tagger.h): what one mention of a
// name says holds for its other mentions in the same text.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "stages/tag/rules.h"
#include "stages/tag/tagger.h"

namespace newsd::tag {

// Later mentions of a person by surname alone ("रैना ने", "Lavrov said")
// take the person found in full elsewhere in the text; a parenthesised
// acronym after an organisation is that organisation.
void Tagger::add_surnames(std::vector<Entity>& out) {
  struct Ref {
    std::u32string key;
    size_t entity;
  };
  std::vector<Ref> refs;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].type != EntityType::kPerson) continue;
    const std::u32string_view span(text_.original.data() + out[i].start,
                                   static_cast<size_t>(out[i].end - out[i].start));
    const size_t sp = span.find_last_of(U" .");
    if (sp == std::u32string_view::npos || span.size() - sp - 1 < 2) continue;
    refs.push_back({fold_string(to_utf8(span.substr(sp + 1))), i});
  }
  // Sorted for lookup by binary search (a text can hold thousands of
  // people); among equal surnames the last person found wins.
  std::stable_sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) { return a.key < b.key; });
  std::vector<Entity> extra;
  for (size_t t = 0; t < tokens_.size(); ++t) {
    const Token& tok = tokens_[t];
    if (taken_[tok.start]) continue;
    std::u32string_view w(text_.folded.data() + tok.start, tok.end - tok.start);
    // "Swift's": the possessive ending stays outside the name.
    if (w.size() > 3 && w.ends_with(U"'s")) w.remove_suffix(2);
    if (is_function_word(words_[t])) continue;
    const Entity* src = nullptr;
    const auto after = std::upper_bound(refs.begin(), refs.end(), w, [](std::u32string_view v, const Ref& r) {
      return v < std::u32string_view(r.key);
    });
    if (after != refs.begin() && std::u32string_view((after - 1)->key) == w) src = &out[(after - 1)->entity];
    if (src == nullptr && t >= 2 && t + 1 < tokens_.size() && words_[t - 1] == "(" && words_[t + 1] == ")") {
      // "(ACB)" right after an organisation.
      // `out` is sorted by start and its spans never overlap, so by end too.
      const auto before = static_cast<int64_t>(text_.from[tokens_[t - 2].end]);
      const auto e =
          std::lower_bound(out.begin(), out.end(), before, [](const Entity& x, int64_t end) { return x.end < end; });
      if (e != out.end() && e->end == before && e->type == EntityType::kOrg) src = &*e;
    }
    if (src == nullptr) continue;
    // Case: in cased scripts a surname starts with a capital.
    const uint32_t a = text_.from[tok.start], b = text_.from[tok.start + w.size()];
    if (is_lower(text_.original[a])) continue;
    Entity e;
    e.text = to_utf8(std::u32string_view(text_.original.data() + a, b - a));
    e.type = src->type;
    e.start = a;
    e.end = b;
    e.id = src->id;
    e.canonical = src->canonical;
    e.source = EntitySource::kRule;
    std::fill(taken_.begin() + tok.start, taken_.begin() + tok.start + w.size(), 1);
    extra.push_back(std::move(e));
  }
  if (extra.empty()) return;
  out.insert(out.end(), std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
  std::sort(out.begin(), out.end(), [](const Entity& x, const Entity& y) { return x.start < y.start; });
}

namespace {

int source_rank(EntitySource source) {
  return static_cast<int>(source);
}

}  // namespace

// One name, one type: the mentions of a name (the same folded text) take the
// type of its best-founded mention (gazetteer, then rule, then model; among
// equals, the type most of them have, then the first), so a model guess in
// one sentence does not contradict the others. Then every other mention of
// the name not yet tagged, on word boundaries and (in cased scripts)
// capitalised as a name, is tagged too: a model or rule finds a name where
// its context gives it away, and the name stays a name elsewhere.
void Tagger::consistent_names(std::vector<Entity>& out) {
  if (out.empty()) return;
  struct Name {
    size_t best;  // entity index
    int rank;
    std::map<EntityType, int> votes;  // type -> mentions of the best rank
  };
  std::unordered_map<std::u32string, Name> names;
  std::vector<std::u32string> keys(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    const auto fs = static_cast<size_t>(
        std::lower_bound(text_.from.begin(), text_.from.end(), static_cast<uint32_t>(out[i].start)) -
        text_.from.begin());
    const auto fe = static_cast<size_t>(
        std::lower_bound(text_.from.begin(), text_.from.end(), static_cast<uint32_t>(out[i].end)) - text_.from.begin());
    keys[i] = text_.folded.substr(fs, fe - fs);
    const int rank = source_rank(out[i].source);
    Name& n = names.try_emplace(keys[i], Name{i, rank, {}}).first->second;
    if (rank < n.rank) n = Name{i, rank, {}};
    if (rank != n.rank) continue;
    const int votes = ++n.votes[out[i].type];
    if (votes > n.votes[out[n.best].type]) n.best = i;
  }
  for (size_t i = 0; i < out.size(); ++i) {
    const Entity& best = out[names[keys[i]].best];
    if (out[i].source != EntitySource::kModel || out[i].type == best.type) continue;
    out[i].type = best.type;
    out[i].id = best.id;
    out[i].canonical = best.canonical;
  }
  // Untagged mentions. Names by their first word; a word that starts many
  // names is tried against the longest few only, so the pass stays linear.
  constexpr size_t kNamesPerWord = 8;
  std::unordered_map<std::u32string_view, std::vector<const std::u32string*>> by_first;
  for (const auto& [key, n] : names) {
    const size_t sp = key.find(U' ');
    const std::u32string_view first = std::u32string_view(key).substr(0, sp);
    if (first.size() < 2) continue;
    by_first[first].push_back(&key);
  }
  for (auto& [first, list] : by_first) {
    std::sort(list.begin(), list.end(), [](const std::u32string* a, const std::u32string* b) {
      return a->size() != b->size() ? a->size() > b->size() : *a < *b;
    });
    if (list.size() > kNamesPerWord) list.resize(kNamesPerWord);
  }
  std::vector<Entity> extra;
  const std::u32string& s = text_.folded;
  for (size_t t = 0; t < tokens_.size(); ++t) {
    const Token& tok = tokens_[t];
    if (taken_[tok.start] || is_function_word(words_[t])) continue;
    const auto found = by_first.find(std::u32string_view(s).substr(tok.start, tok.end - tok.start));
    if (found == by_first.end()) continue;
    const char32_t initial = text_.original[text_.from[tok.start]];
    if (is_lower(initial)) continue;  // "apple", "bush": no name in a cased script
    for (const std::u32string* key : found->second) {
      const uint32_t end = tok.start + static_cast<uint32_t>(key->size());
      if (end > s.size() || s.compare(tok.start, key->size(), *key) != 0) continue;
      if (end < s.size() && is_token_char(s[end])) continue;  // "Iran" in "Iranian", "Iran_News"
      if (std::any_of(taken_.begin() + tok.start, taken_.begin() + end, [](uint8_t x) { return x != 0; })) continue;
      const Entity& src = out[names[*key].best];
      Entity e;
      e.start = text_.from[tok.start];
      e.end = text_.from[end];
      e.text = to_utf8(std::u32string_view(text_.original)
                           .substr(static_cast<size_t>(e.start), static_cast<size_t>(e.end - e.start)));
      e.type = src.type;
      e.id = src.id;
      e.canonical = src.canonical;
      e.source = EntitySource::kRule;
      std::fill(taken_.begin() + tok.start, taken_.begin() + end, 1);
      extra.push_back(std::move(e));
      break;
    }
  }
  if (extra.empty()) return;
  out.insert(out.end(), std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
  std::sort(out.begin(), out.end(), [](const Entity& x, const Entity& y) { return x.start < y.start; });
}

}  // namespace newsd::tag
