// AhoCorasick: a compact multi-pattern matcher over code points.
//
// Built once from (key, value) pairs, then immutable. States are numbered in
// breadth-first order so that the children of state s are the consecutive
// states [first_[s], first_[s + 1]), each labelled by the symbol on its
// incoming edge: the goto function needs no per-state allocation and a state
// costs about 22 bytes. The root has a dense table. Code points are mapped to
// a dense alphabet of the symbols that occur in keys; any other code point
// sends the automaton back to the root.
//
// Thread-safety: immutable after build(); scan() may run on many threads.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace newsd::tag {

class AhoCorasick {
 public:
  static constexpr uint32_t kNoValue = 0xFFFFFFFF;

  // Adds a key before build(). Empty keys are ignored; for a duplicate key
  // the smaller value is kept.
  void add(std::u32string_view key, uint32_t value);

  // Compiles the added keys; the key buffers are released.
  void build();

  // Calls on_match(end, length, value) for every occurrence of every key in
  // text, where the key occupies [end - length, end).
  template <class F>
  void scan(std::u32string_view text, F&& on_match) const {
    uint32_t s = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      const uint32_t c = symbol(text[i]);
      if (c == 0) {
        s = 0;
        continue;
      }
      for (;;) {
        const uint32_t t = s == 0 ? root_[c] : child(s, c);
        if (t != 0) {
          s = t;
          break;
        }
        if (s == 0) break;
        s = fail_[s];
      }
      for (uint32_t o = value_[s] != kNoValue ? s : dict_[s]; o != 0; o = dict_[o])
        on_match(i + 1, static_cast<size_t>(depth_[o]), value_[o]);
    }
  }

  // The value of exactly this key, or kNoValue.
  uint32_t find(std::u32string_view key) const;

  size_t states() const { return fail_.size(); }
  size_t keys() const { return keys_; }
  size_t memory_bytes() const;

 private:
  uint32_t symbol(char32_t c) const {
    if (c < bmp_.size()) return bmp_[c];
    auto it = astral_.find(c);
    return it == astral_.end() ? 0 : it->second;
  }
  uint32_t child(uint32_t s, uint32_t c) const {
    uint32_t lo = first_[s], hi = first_[s + 1];
    while (lo < hi) {
      const uint32_t mid = (lo + hi) >> 1;
      if (sym_[mid] < c) lo = mid + 1;
      else hi = mid;
    }
    return lo < first_[s + 1] && sym_[lo] == c ? lo : 0;
  }

  // Build input.
  std::vector<char32_t> pending_chars_;
  std::vector<std::pair<uint32_t, uint32_t>> pending_;  // (offset into pending_chars_, length)
  std::vector<uint32_t> pending_values_;

  // Alphabet: 0 = not in any key.
  std::vector<uint32_t> bmp_;
  std::unordered_map<char32_t, uint32_t> astral_;

  std::vector<uint32_t> root_;   // symbol -> depth-1 state (0 = none)
  std::vector<uint32_t> first_;  // states + 1
  std::vector<uint32_t> sym_;    // symbol on the edge into each state
  std::vector<uint32_t> fail_;
  std::vector<uint32_t> value_;
  std::vector<uint32_t> dict_;    // next state on the failure chain that has a value (0 = none)
  std::vector<uint16_t> depth_;
  size_t keys_ = 0;
};

}  // namespace newsd::tag
