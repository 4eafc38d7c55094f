// Model: the statistical tagger for names the gazetteer lacks.
//
// A structured (first-order) averaged perceptron: per-token emission scores
// from word, affix, script, context and gazetteer features, transition
// weights between labels, and Viterbi decoding under the BIO constraint
// (I-X only after B-X or I-X). Trained by scripts/train-tagger on IL-NER
// Hindi (CC-BY-4.0). Labels are BIO over PER, LOC and ORG. The feature
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
  // label ("B-LOC", "I-PERSON", ... or empty). labels receives one label
  // index per token.
  void tag(const std::vector<std::string_view>& words, const std::vector<std::string_view>& gaz,
           std::vector<uint8_t>& labels, Scratch& scratch) const;

  size_t features() const { return count_; }
  size_t memory_bytes() const {
    return keys_.capacity() * 8 + rows_.capacity() * 4 + weights_.capacity() * sizeof(float);
  }

 private:
  const float* weights(uint64_t hash) const;

  // Open addressing over feature hashes (power-of-two size, 0 = empty), each
  // slot pointing at a dense row of weights: most lookups miss, and a small
  // key table keeps those misses in cache.
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> rows_;
  std::vector<float> weights_;  // kLabels per feature, dense
  size_t count_ = 0;
  uint64_t serial_ = 0;  // unique per load, for Scratch::cache
  // Transition weights: row 0 from the sentence start, row 1 + j from label j
  // (the model file's "t-1=<s>", "t-1=O", "t-1=B-PER", ... rows).
  double trans_[kLabels + 1][kLabels] = {};
};

}  // namespace newsd::tag
