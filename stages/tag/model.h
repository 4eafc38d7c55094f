// Model: the statistical tagger for names the gazetteer lacks.
//
// A structured (first-order) averaged perceptron: per-token emission scores
// from word, affix, script, context and gazetteer features, transition
// weights between labels, and Viterbi decoding under the BIO constraint
// (I-X only after B-X or I-X). Trained by scripts/train-tagger: on IL-NER
// Hindi (tagger-hi.model) and, with shape features of the original words,
// on open English sets (tagger-en.model; stages/tag/data/README.md).
// Labels are BIO over PER, LOC and ORG. The feature
// templates in tag() mirror the Python trainer's features() exactly, and the
// decoder its viterbi() (same tie-breaking); the model file holds each
// feature as its string, hashed here at load time (features of two parts,
// "ww+1=a|b", by the hashes of their parts, so tag() never joins strings
// for them).
//
// Thread-safety: immutable after load; tag() may run on many threads, each
// with its own Scratch.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsd::tag {

// The shape of an original token, as the trainer's shape() gives it:
// letters as X (upper or title case) and x, decimal digits as d, other ASCII
// characters as themselves and the rest as o, runs collapsed, at most 6
// characters ("Obama" Xx, "U.S." X.X., "iPhone" xXx). Appended to `out`.
void word_shape(std::u32string_view token, std::string& out);

class Model {
 public:
  static constexpr int kLabels = 7;  // O B-PER I-PER B-LOC I-LOC B-ORG I-ORG
  static std::string_view label_name(int label);

  bool load(const std::string& path, std::string& error);

  // Per-thread buffers. Most features depend on one word alone: the word's
  // own (word, affixes, script, length) and those it gives as a neighbour
  // ("w-1=", "s-1=", "w+2=", ...). Their summed weights are cached per word,
  // keyed by the word's hash, and likewise the shape features per shape:
  // news repeats words, and this leaves about ten table lookups a token
  // instead of twenty-five. The caches (1.2 MB) are tied to one loaded model
  // (serial) and reset themselves when the model changes.
  struct Scratch {
    using Row = std::array<float, kLabels>;
    // A word's rows: as the token itself, then as the token two before,
    // one before, one after and two after it.
    enum Role { kSelf, kPrev2, kPrev1, kNext1, kNext2, kRoles };
    struct WordEntry {
      uint64_t key = 0;
      Row rows[kRoles];
    };
    struct ShapeEntry {  // "c=", "c-1=", "c+1=" of one shape
      uint64_t key = 0;
      Row self, prev, next;
    };
    std::vector<WordEntry> words;
    std::vector<ShapeEntry> shapes;
    uint64_t serial = 0;
    // The sentence's entries, copied out of the caches (a later token may
    // evict an earlier one's): <s>, then one per token, then </s>.
    std::vector<WordEntry> sentence_words;
    std::vector<ShapeEntry> sentence_shapes;
    std::vector<double> emissions;  // kLabels per token
    std::vector<uint8_t> back;      // Viterbi back-pointers, kLabels per token
  };

  // Tags one sentence. words: folded tokens; gaz: each token's gazetteer
  // label ("B-LOC", "I-PERSON", ... or empty); shapes: for a cased model,
  // each original token's word_shape() (ignored otherwise). labels receives
  // one label index per token.
  void tag(const std::vector<std::string_view>& words, const std::vector<std::string_view>& gaz,
           const std::vector<std::string_view>& shapes, std::vector<uint8_t>& labels, Scratch& scratch) const;

  // A model trained with --cased (the file's "features<TAB>cased" line)
  // also reads the shapes of the original tokens: for English.
  bool cased() const { return cased_; }

  size_t features() const { return count_; }
  size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot) + weights_.capacity() * sizeof(float); }

 private:
  const float* weights(uint64_t hash) const;
  // Adds the weights of the feature a + b + c + d (if the model has it) to row.
  void add(Scratch::Row& row, std::string_view a, std::string_view b = {}, std::string_view c = {},
           std::string_view d = {}) const;
  const Scratch::WordEntry& word_entry(std::string_view word, Scratch& scratch) const;
  const Scratch::ShapeEntry& shape_entry(std::string_view shape, Scratch& scratch) const;

  // Open addressing over feature hashes (power-of-two size, at most half
  // full): a slot holds 32 bits of the hash (the index comes from the
  // others; 0 = empty) and the feature's row of weights, side by side, so a
  // lookup touches one cache line before the row. Most lookups miss, and a
  // small table keeps those misses in cache.
  struct Slot {
    uint32_t key = 0;
    uint32_t row = 0;
  };
  static uint32_t slot_key(uint64_t hash) { return static_cast<uint32_t>(hash >> 32) | 1u; }
  std::vector<Slot> slots_;
  std::vector<float> weights_;  // kLabels per feature, dense
  size_t count_ = 0;
  uint64_t serial_ = 0;  // unique per load, for Scratch::cache
  bool cased_ = false;
  // Transition weights: row 0 from the sentence start, row 1 + j from label j
  // (the model file's "t-1=<s>", "t-1=O", "t-1=B-PER", ... rows).
  double trans_[kLabels + 1][kLabels] = {};
};

}  // namespace newsd::tag
