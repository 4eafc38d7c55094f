#include "stages/dedup/fingerprint.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>
#include <cstdio>

namespace newsd::dedup {
namespace {

// One seed per MinHash "permutation"; fixed so fingerprints stay comparable
// across runs, replicas and the state topic.
constexpr std::array<uint64_t, kMinHashes> make_seeds() {
  std::array<uint64_t, kMinHashes> seeds{};
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (auto& s : seeds) {
    x += 0x9e3779b97f4a7c15ULL;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    s = z ^ (z >> 31);
  }
  return seeds;
}
constexpr std::array<uint64_t, kMinHashes> kSeeds = make_seeds();

// Letters, numbers, kana and ideographs; not spaces or punctuation.
bool is_word_status(int32_t status) { return status >= UBRK_WORD_NONE_LIMIT; }

}  // namespace

struct Fingerprinter::Icu {
  const icu::Normalizer2* nfkc_cf;  // ICU singleton, thread-safe
  std::unique_ptr<icu::BreakIterator> breaker;
};

int hamming(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

double estimate_jaccard(const std::array<uint8_t, kMinHashes>& a, const std::array<uint8_t, kMinHashes>& b) {
  int equal = 0;
  for (int i = 0; i < kMinHashes; ++i) equal += a[i] == b[i];
  const double p = static_cast<double>(equal) / kMinHashes;
  constexpr double kChance = 1.0 / 256;
  return std::clamp((p - kChance) / (1 - kChance), 0.0, 1.0);
}

double simhash_jaccard(int distance) {
  const double c = std::cos(std::numbers::pi * distance / 64.0);
  return c <= 0 ? 0.0 : c / (2 - c);
}

double estimate_similarity(const std::array<uint8_t, kMinHashes>& a, const std::array<uint8_t, kMinHashes>& b,
                           int distance) {
  return (2 * estimate_jaccard(a, b) + simhash_jaccard(distance)) / 3;
}

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string hex128(uint64_t hi, uint64_t lo) { return hex64(hi) + hex64(lo); }

std::unique_ptr<Fingerprinter> Fingerprinter::create(int shingle_words, std::string& error) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* norm = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || norm == nullptr) {
    error = std::string("ICU NFKC_Casefold normaliser unavailable: ") + u_errorName(status);
    return nullptr;
  }
  status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> breaker(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !breaker) {
    error = std::string("ICU word break iterator unavailable: ") + u_errorName(status);
    return nullptr;
  }
  auto icu = std::make_unique<Icu>(Icu{norm, std::move(breaker)});
  return std::unique_ptr<Fingerprinter>(new Fingerprinter(std::max(1, shingle_words), std::move(icu)));
}

Fingerprinter::Fingerprinter(int shingle_words, std::unique_ptr<Icu> icu)
    : shingle_words_(shingle_words), icu_(std::move(icu)) {}

Fingerprinter::~Fingerprinter() = default;

void Fingerprinter::tokenize(std::string_view utf8_text, Fingerprint& fp, std::vector<std::string>* out_words) {
  word_hashes_.clear();
  const icu::UnicodeString raw =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8_text.data(), static_cast<int32_t>(utf8_text.size())));
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString text = icu_->nfkc_cf->normalize(raw, status);
  if (U_FAILURE(status)) text = raw;  // only on allocation failure; still usable
  // Digits of every script to ASCII, so "१२" and "12" are the same word.
  // Decimal digits are single UTF-16 units in the scripts that matter here;
  // supplementary-plane digits are left as they are.
  for (int32_t i = 0; i < text.length(); ++i) {
    const char16_t c = text.charAt(i);
    if (c >= 0x80 && !U16_IS_SURROGATE(c) && u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
      const int32_t d = u_charDigitValue(c);
      if (d >= 0 && d <= 9) text.setCharAt(i, static_cast<char16_t>(u'0' + d));
    }
  }

  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  icu_->breaker->setText(text);
  const char16_t* buf = text.getBuffer();
  int32_t start = icu_->breaker->first();
  for (int32_t end = icu_->breaker->next(); end != icu::BreakIterator::DONE; start = end, end = icu_->breaker->next()) {
    if (!is_word_status(icu_->breaker->getRuleStatus())) continue;
    const size_t bytes = static_cast<size_t>(end - start) * sizeof(char16_t);
    word_hashes_.push_back(XXH3_64bits(buf + start, bytes));
    XXH3_128bits_update(state, buf + start, bytes);
    static constexpr char16_t kSeparator = u' ';
    XXH3_128bits_update(state, &kSeparator, sizeof kSeparator);
    if (out_words) {
      std::string w;
      text.tempSubStringBetween(start, end).toUTF8String(w);
      out_words->push_back(std::move(w));
    }
  }
  const XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  fp.content_hi = h.high64;
  fp.content_lo = h.low64;
  fp.words = static_cast<uint32_t>(word_hashes_.size());
}

Fingerprint Fingerprinter::compute(std::string_view utf8_text) {
  Fingerprint fp;
  tokenize(utf8_text, fp, nullptr);

  shingles_.clear();
  const size_t n = word_hashes_.size();
  const size_t k = static_cast<size_t>(shingle_words_);
  if (n == 0) return fp;
  if (n <= k) {
    shingles_.push_back(XXH3_64bits(word_hashes_.data(), n * sizeof(uint64_t)));
  } else {
    shingles_.reserve(n - k + 1);
    for (size_t i = 0; i + k <= n; ++i) shingles_.push_back(XXH3_64bits(&word_hashes_[i], k * sizeof(uint64_t)));
  }
  std::sort(shingles_.begin(), shingles_.end());
  shingles_.erase(std::unique(shingles_.begin(), shingles_.end()), shingles_.end());
  fp.shingles = static_cast<uint32_t>(shingles_.size());

  // Simhash over the shingle set, each shingle weighing 1.
  int32_t votes[64] = {};
  std::array<uint64_t, kMinHashes> mins;
  mins.fill(~uint64_t{0});
  for (uint64_t s : shingles_) {
    for (int b = 0; b < 64; ++b) votes[b] += ((s >> b) & 1) ? 1 : -1;
    for (int i = 0; i < kMinHashes; ++i) mins[i] = std::min(mins[i], fmix64(s ^ kSeeds[i]));
  }
  for (int b = 0; b < 64; ++b)
    if (votes[b] > 0) fp.simhash |= uint64_t{1} << b;
  for (int i = 0; i < kMinHashes; ++i) fp.minhash[i] = static_cast<uint8_t>(mins[i]);
  // The scratch grows to the longest text seen (16 bytes a word); after an
  // outsized one, give the memory back rather than hold it for the worker's life.
  constexpr size_t kKeepScratchWords = 100'000;
  if (n > kKeepScratchWords) {
    word_hashes_ = std::vector<uint64_t>();
    shingles_ = std::vector<uint64_t>();
  }
  return fp;
}

std::vector<std::string> Fingerprinter::words(std::string_view utf8_text) {
  Fingerprint fp;
  std::vector<std::string> out;
  tokenize(utf8_text, fp, &out);
  return out;
}

}  // namespace newsd::dedup
