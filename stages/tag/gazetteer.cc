#include "stages/tag/gazetteer.h"

#include <algorithm>
#include <fstream>
#include <unordered_map>

namespace newsd::tag {
namespace {

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

}  // namespace

Gazetteer::Slice Gazetteer::intern(std::string_view s) {
  const auto offset = static_cast<uint32_t>(pool_.size());
  pool_.append(s);
  return {offset, static_cast<uint32_t>(s.size())};
}

bool Gazetteer::add(std::string_view alias, std::string_view type, std::string_view id, std::string_view canonical,
                    std::string& error) {
  EntityType t;
  if (!parse_entity_type(type, t)) {
    error = "unknown entity type '" + std::string(type) + "' (want PERSON, ORG, LOC, NORP or EVENT)";
    return false;
  }
  FoldedText& ft = scratch_;
  fold_text(alias, ft);
  const std::u32string& folded = ft.folded;
  if (folded.empty()) {
    error = "empty alias";
    return false;
  }
  if (pool_.size() > 0xF0000000u) {
    error = "gazetteer too large (over 4 GB of names)";
    return false;
  }
  // Entities are shared by their aliases; the key is only kept while loading.
  std::string key;
  key.reserve(type.size() + id.size() + canonical.size() + 2);
  key.append(type).push_back('\t');
  key.append(id).push_back('\t');
  key.append(canonical);
  auto [it, inserted] = entity_index_.try_emplace(std::move(key), static_cast<uint32_t>(entities_.size()));
  if (inserted) entities_.push_back({intern(id), intern(canonical), t});
  const uint32_t entity = it->second;
  // Case rule from the alias as written.
  size_t upper = 0, lower = 0;
  for (char32_t c : ft.original) {
    if (is_upper(c)) ++upper;
    else if (is_lower(c)) ++lower;
  }
  uint8_t rule = kAnyCase;
  if (upper >= 2 && lower == 0) rule = kAllCaps;
  else if (upper + lower > 0) rule = kCapitalised;
  const auto alias_index = static_cast<uint32_t>(alias_entity_.size());
  alias_entity_.push_back(entity);
  alias_case_.push_back(rule);
  automaton_.add(folded, alias_index);
  return true;
}

void Gazetteer::compile() {
  automaton_.build();
  entity_index_ = {};
  scratch_ = {};
  pool_.shrink_to_fit();
}

bool Gazetteer::load(const std::vector<std::string>& paths, std::string& error) {
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = "cannot read gazetteer " + path;
      return false;
    }
    std::string line;
    int64_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      const auto f = split_tabs(line);
      if (f.size() != 4) {
        error = path + ":" + std::to_string(n) + ": expected 4 tab-separated fields (alias, type, id, canonical), got " +
                std::to_string(f.size());
        return false;
      }
      std::string why;
      if (!add(f[0], f[1], f[2], f[3], why)) {
        error = path + ":" + std::to_string(n) + ": " + why;
        return false;
      }
    }
    if (in.bad()) {
      error = "error reading gazetteer " + path;
      return false;
    }
  }
  compile();
  return true;
}

bool Gazetteer::case_ok(const FoldedText& text, uint32_t start, uint32_t end, uint8_t rule) const {
  if (rule == kAnyCase) return true;
  const uint32_t a = text.from[start], b = text.from[end];
  if (rule == kCapitalised) {
    for (uint32_t i = a; i < b; ++i) {
      const char32_t c = text.original[i];
      if (is_upper(c)) return true;
      if (is_lower(c)) return false;
    }
    return true;
  }
  for (uint32_t i = a; i < b; ++i)
    if (is_lower(text.original[i])) return false;
  return true;
}

void Gazetteer::find(const FoldedText& text, std::vector<GazetteerMatch>& out) const {
  const std::u32string& s = text.folded;
  automaton_.scan(s, [&](size_t end, size_t length, uint32_t alias) {
    const size_t start = end - length;
    // Inside a word, or a user name ("Chad_Martinn"), is no match.
    if (start > 0 && ((is_word_char(s[start - 1]) && is_word_char(s[start])) || s[start - 1] == U'_')) return;
    if (end < s.size() && ((is_word_char(s[end]) && is_word_char(s[end - 1])) || s[end] == U'_')) return;
    if (!case_ok(text, static_cast<uint32_t>(start), static_cast<uint32_t>(end), alias_case_[alias])) return;
    out.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(end), alias_entity_[alias]});
  });
}

int64_t Gazetteer::lookup(std::u32string_view folded) const {
  const uint32_t alias = automaton_.find(folded);
  return alias == AhoCorasick::kNoValue ? -1 : static_cast<int64_t>(alias_entity_[alias]);
}

size_t Gazetteer::memory_bytes() const {
  return pool_.capacity() + entities_.capacity() * sizeof(Entity) + alias_entity_.capacity() * 4 +
         alias_case_.capacity() + automaton_.memory_bytes();
}

}  // namespace newsd::tag
