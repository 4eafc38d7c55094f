// Fingerprint: what the dedup index remembers of one article's text.
//
// Fingerprinter turns Article::text into features that survive the ways a
// syndicated copy differs from its original: NFKC + Unicode case folding, every
// decimal digit mapped to its ASCII value (Devanagari ४ = 4), words split on
// Unicode word boundaries (UAX #29, so Devanagari vowel signs, virama and
// nukta stay inside their word), then word shingles. From the set of distinct
// shingles it computes a 64-bit simhash and a b-bit MinHash signature (the low
// byte of each of kMinHashes minima), and a 128-bit hash of the normalised
// word sequence for exact copies.
//
// Thread-safety: a Fingerprinter holds an ICU break iterator and is used by
// one thread at a time (one per worker). Fingerprint is a plain value.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace newsd::dedup {

// Finaliser of MurmurHash3: a cheap, well-mixing bijection on 64 bits (the
// MinHash permutations and the index's key hashing).
inline uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

inline constexpr int kMinHashes = 24;  // signature bytes
inline constexpr int kBandRows = 3;    // LSH rows per band: a band is 3 signature bytes
inline constexpr int kBands = 6;       // bands over the first kBands * kBandRows bytes
static_assert(kBands * kBandRows <= kMinHashes);

struct Fingerprint {
  uint64_t simhash = 0;
  uint64_t content_hi = 0;  // XXH3-128 of the normalised word sequence
  uint64_t content_lo = 0;
  std::array<uint8_t, kMinHashes> minhash{};
  uint32_t words = 0;     // words after normalisation
  uint32_t shingles = 0;  // distinct shingles
};

// Hamming distance of two simhashes.
int hamming(uint64_t a, uint64_t b);

// Estimated Jaccard similarity of the two shingle sets from their b-bit
// signatures: share of equal bytes, corrected for the 1/256 chance that two
// different minima agree in their low byte.
double estimate_jaccard(const std::array<uint8_t, kMinHashes>& a, const std::array<uint8_t, kMinHashes>& b);

// Jaccard similarity implied by a simhash Hamming distance d: d / 64
// estimates angle / pi between the two shingle-set vectors (Charikar 2002),
// and for sets of similar size cos(angle) = 2J / (1 + J).
double simhash_jaccard(int distance);

// The similarity dedup reports and checks: both estimates above, weighted by
// their inverse variances near J = 0.5 (standard deviation about 0.10 for
// the 24 MinHashes, 0.15 for the 64 simhash bits). They are independent, so
// the mean is steadier than either: a pair of distinct texts with true
// Jaccard 0.36 that 24 MinHashes alone put at 0.54 is no longer a match.
double estimate_similarity(const std::array<uint8_t, kMinHashes>& a, const std::array<uint8_t, kMinHashes>& b,
                           int distance);

std::string hex64(uint64_t v);                    // 16 lower-case hex digits
std::string hex128(uint64_t hi, uint64_t lo);     // 32 lower-case hex digits

class Fingerprinter {
 public:
  // Returns null and sets `error` when ICU cannot provide the normaliser or
  // word breaker (missing ICU data).
  static std::unique_ptr<Fingerprinter> create(int shingle_words, std::string& error);
  ~Fingerprinter();

  Fingerprint compute(std::string_view utf8_text);

  // The normalised words, as UTF-8 (for tests and for looking at a verdict).
  std::vector<std::string> words(std::string_view utf8_text);

 private:
  struct Icu;  // normaliser and word breaker; keeps ICU headers out of this one
  Fingerprinter(int shingle_words, std::unique_ptr<Icu> icu);

  // Splits normalised text into per-word hashes; feeds the content hash.
  void tokenize(std::string_view utf8_text, Fingerprint& fp, std::vector<std::string>* out_words);

  const int shingle_words_;
  std::unique_ptr<Icu> icu_;
  std::vector<uint64_t> word_hashes_;  // scratch, reused across calls
  std::vector<uint64_t> shingles_;
};

}  // namespace newsd::dedup
