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
// feature as its string, hashed here at load time.
//
// Thread-safety: immutable after load; tag() may run on many threads, each
// with its own Scratch.
#pragma once

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

  // Per-thread buffers. The cache holds the summed weights of the features
  // that depend on the word alone, keyed by the word's hash: news repeats
  // words, and this saves a third of the table lookups. It is tied to one
  // loaded model (serial) and resets itself when the model changes.
  struct Scratch {
    struct Cached {
      uint64_t key = 0;
      float score[kLabels];
    };
    std::vector<Cached> cache;
    uint64_t serial = 0;
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
