// Gazetteer: known names (aliases) of entities, matched in text at word
// boundaries with one Aho–Corasick automaton over folded text.
//
// Files are TSV, one alias per line: alias<TAB>type<TAB>id<TAB>canonical,
// '#' starts a comment line. Type is PERSON, ORG, LOC, NORP or EVENT; id is a
// Wikidata QID or a namespaced id; canonical is the display name. Aliases
// are folded (normalize.h); when two files hold the same folded alias the
// earlier file wins, within a file the earlier line.
//
// Case: in cased scripts an alias written in capitals ("US", "WHO") matches
// only text in capitals, and any other alias only text that starts with a
// capital, so "us" and "turkey" stay words. Uncased scripts match as written.
//
// Thread-safety: immutable after load; find() may run on many threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stages/article.h"
#include "stages/tag/automaton.h"
#include "stages/tag/normalize.h"

namespace newsd::tag {

// A span found in folded text; offsets index FoldedText::folded.
struct GazetteerMatch {
  uint32_t start;
  uint32_t end;
  uint32_t entity;
};

class Gazetteer {
 public:
  // Loads and compiles the files; on failure returns false and says which
  // file and line was wrong.
  bool load(const std::vector<std::string>& paths, std::string& error);

  // Adds aliases from memory (tests, benchmarks); then call compile().
  bool add(std::string_view alias, std::string_view type, std::string_view id, std::string_view canonical,
           std::string& error);
  void compile();

  // Every alias occurrence that starts and ends at word boundaries and
  // passes its case rule, possibly overlapping. Appends to out.
  void find(const FoldedText& text, std::vector<GazetteerMatch>& out) const;

  // The entity whose alias is exactly this folded string, or -1.
  int64_t lookup(std::u32string_view folded) const;

  EntityType type(uint32_t entity) const { return entities_[entity].type; }
  std::string_view id(uint32_t entity) const { return view(entities_[entity].id); }
  std::string_view canonical(uint32_t entity) const { return view(entities_[entity].canonical); }

  size_t aliases() const { return alias_entity_.size(); }
  size_t entities() const { return entities_.size(); }
  size_t memory_bytes() const;
  const AhoCorasick& automaton() const { return automaton_; }

 private:
  enum CaseRule : uint8_t { kAnyCase, kCapitalised, kAllCaps };
  struct Slice {
    uint32_t offset;
    uint32_t length;
  };
  struct Entity {
    Slice id;
    Slice canonical;
    EntityType type;
  };
  std::string_view view(Slice s) const { return std::string_view(pool_).substr(s.offset, s.length); }
  Slice intern(std::string_view s);
  bool case_ok(const FoldedText& text, uint32_t start, uint32_t end, uint8_t rule) const;

  std::string pool_;
  std::vector<Entity> entities_;
  std::vector<uint32_t> alias_entity_;
  std::vector<uint8_t> alias_case_;
  AhoCorasick automaton_;
  // Load-time only: (type, id, canonical) -> entity index; fold buffer.
  std::unordered_map<std::string, uint32_t> entity_index_;
  FoldedText scratch_;
};

}  // namespace newsd::tag
