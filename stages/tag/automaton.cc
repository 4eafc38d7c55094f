#include "stages/tag/automaton.h"

#include <algorithm>
#include <numeric>

namespace newsd::tag {

void AhoCorasick::add(std::u32string_view key, uint32_t value) {
  if (key.empty()) return;
  if (key.size() > 0xFFFF) key = key.substr(0, 0xFFFF);
  pending_.emplace_back(static_cast<uint32_t>(pending_chars_.size()), static_cast<uint32_t>(key.size()));
  pending_chars_.insert(pending_chars_.end(), key.begin(), key.end());
  pending_values_.push_back(value);
}

void AhoCorasick::build() {
  // Alphabet in code-point order, so sorting keys by code points sorts them
  // by symbols too.
  std::vector<char32_t> alphabet(pending_chars_);
  std::sort(alphabet.begin(), alphabet.end());
  alphabet.erase(std::unique(alphabet.begin(), alphabet.end()), alphabet.end());
  bmp_.assign(0x10000, 0);
  astral_.clear();
  for (size_t i = 0; i < alphabet.size(); ++i) {
    const auto id = static_cast<uint32_t>(i + 1);
    if (alphabet[i] < 0x10000) bmp_[alphabet[i]] = id;
    else astral_[alphabet[i]] = id;
  }
  const auto nsym = static_cast<uint32_t>(alphabet.size() + 1);

  auto key_of = [&](size_t k) {
    return std::u32string_view(pending_chars_.data() + pending_[k].first, pending_[k].second);
  };
  std::vector<uint32_t> order(pending_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const int c = key_of(a).compare(key_of(b));
    return c != 0 ? c < 0 : pending_values_[a] < pending_values_[b];
  });

  // Trie in insertion order: children as a list linked from the last child
  // (sorted input means a new child is always the largest so far).
  std::vector<uint32_t> t_sym{0}, t_last{0}, t_prev{0}, t_value{kNoValue};
  std::vector<uint16_t> t_depth{0};
  keys_ = 0;
  for (uint32_t k : order) {
    const std::u32string_view key = key_of(k);
    uint32_t node = 0;
    for (char32_t ch : key) {
      const uint32_t c = ch < 0x10000 ? bmp_[ch] : astral_[ch];
      const uint32_t last = t_last[node];
      if (last != 0 && t_sym[last] == c) {
        node = last;
        continue;
      }
      const auto created = static_cast<uint32_t>(t_sym.size());
      t_sym.push_back(c);
      t_last.push_back(0);
      t_prev.push_back(last);
      t_value.push_back(kNoValue);
      t_depth.push_back(static_cast<uint16_t>(t_depth[node] + 1));
      t_last[node] = created;
      node = created;
    }
    if (t_value[node] == kNoValue) {
      t_value[node] = pending_values_[k];
      ++keys_;
    }
  }
  pending_chars_ = {};
  pending_ = {};
  pending_values_ = {};

  // Renumber breadth-first: children of one state become consecutive.
  const size_t n = t_sym.size();
  std::vector<uint32_t> new_id(n, 0), queue;
  queue.reserve(n);
  queue.push_back(0);
  first_.assign(n + 1, 0);
  sym_.assign(n, 0);
  value_.assign(n, kNoValue);
  depth_.assign(n, 0);
  std::vector<uint32_t> kids;
  uint32_t next = 1;
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    const uint32_t old = queue[qi];
    const auto s = static_cast<uint32_t>(qi);  // queue position == new id
    first_[s] = next;
    kids.clear();
    for (uint32_t c = t_last[old]; c != 0; c = t_prev[c]) kids.push_back(c);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
      new_id[*it] = next;
      sym_[next] = t_sym[*it];
      value_[next] = t_value[*it];
      depth_[next] = t_depth[*it];
      ++next;
      queue.push_back(*it);
    }
  }
  first_[n] = next;
  t_sym = {};
  t_last = {};
  t_prev = {};
  t_value = {};
  t_depth = {};
  queue = {};

  root_.assign(nsym, 0);
  for (uint32_t c = first_[0]; c < first_[1]; ++c) root_[sym_[c]] = c;

  // Failure and dictionary links, breadth-first (states are in BFS order).
  fail_.assign(n, 0);
  dict_.assign(n, 0);
  for (uint32_t s = 0; s < n; ++s) {
    for (uint32_t v = first_[s]; v < first_[s + 1]; ++v) {
      const uint32_t c = sym_[v];
      uint32_t f = 0;
      if (s != 0) {
        uint32_t g = fail_[s];
        for (;;) {
          const uint32_t t = g == 0 ? root_[c] : child(g, c);
          if (t != 0) {
            f = t;
            break;
          }
          if (g == 0) break;
          g = fail_[g];
        }
      }
      fail_[v] = f;
      dict_[v] = value_[f] != kNoValue ? f : dict_[f];
    }
  }
}

uint32_t AhoCorasick::find(std::u32string_view key) const {
  uint32_t s = 0;
  for (char32_t ch : key) {
    const uint32_t c = symbol(ch);
    if (c == 0) return kNoValue;
    s = s == 0 ? root_[c] : child(s, c);
    if (s == 0) return kNoValue;
  }
  return s == 0 ? kNoValue : value_[s];
}

size_t AhoCorasick::memory_bytes() const {
  return bmp_.capacity() * 4 + astral_.size() * 32 + root_.capacity() * 4 + first_.capacity() * 4 +
         sym_.capacity() * 4 + fail_.capacity() * 4 + value_.capacity() * 4 + dict_.capacity() * 4 +
         depth_.capacity() * 2;
}

}  // namespace newsd::tag
