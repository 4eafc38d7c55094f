#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stages/dedup/fingerprint.h"

namespace newsd::dedup {
namespace {

std::unique_ptr<Fingerprinter> make(int shingle = 4) {
  std::string error;
  auto f = Fingerprinter::create(shingle, error);
  EXPECT_TRUE(f) << error;
  return f;
}

TEST(DedupFingerprint, DevanagariWordsKeepVowelSignsViramaAndNukta) {
  auto f = make();
  // मंत्री has anusvara, virama and a vowel sign; ज़िला a nukta; क्षेत्र a conjunct.
  const std::vector<std::string> words = f->words("विदेश मंत्री, ज़िला क्षेत्र।");
  EXPECT_EQ(words, (std::vector<std::string>{"विदेश", "मंत्री", "ज़िला", "क्षेत्र"}));
}

TEST(DedupFingerprint, NfkcCaseFoldingAndDigitsOfEveryScript) {
  auto f = make();
  EXPECT_EQ(f->words("ＡＢＣ Straße १२३ ٤٥"), (std::vector<std::string>{"abc", "strasse", "123", "45"}));
  // Same words, different case, width, punctuation and spacing: one content hash.
  const Fingerprint a = f->compute("Prime Minister met 12 leaders in Delhi.");
  const Fingerprint b = f->compute("prime  MINISTER met १२ leaders — in Delhi!");
  EXPECT_EQ(a.content_hi, b.content_hi);
  EXPECT_EQ(a.content_lo, b.content_lo);
  EXPECT_EQ(a.simhash, b.simhash);
  EXPECT_EQ(a.words, 7u);
}

TEST(DedupFingerprint, DifferentTextsDifferInEveryHash) {
  auto f = make();
  const Fingerprint a = f->compute("the minister reviewed ties with both countries this week in the capital");
  const Fingerprint b = f->compute("the police began a cleanliness campaign across the territory on monday");
  EXPECT_NE(a.content_lo, b.content_lo);
  EXPECT_GT(hamming(a.simhash, b.simhash), 3);
  EXPECT_LT(estimate_jaccard(a.minhash, b.minhash), 0.3);
}

TEST(DedupFingerprint, LightEditKeepsSignatureClose) {
  auto f = make();
  std::string base;
  for (int i = 0; i < 40; ++i) base += "sentence number " + std::to_string(i) + " tells of event " + std::to_string(i * 7) + " in town. ";
  const std::string edited = "New Delhi: " + base.substr(0, base.size() - 40);
  const Fingerprint a = f->compute(base);
  const Fingerprint b = f->compute(edited);
  EXPECT_NE(a.content_lo, b.content_lo);
  EXPECT_GE(estimate_jaccard(a.minhash, b.minhash), 0.7);
  EXPECT_GE(estimate_similarity(a.minhash, b.minhash, hamming(a.simhash, b.simhash)), 0.7);
}

TEST(DedupFingerprint, SimhashDistanceMapsToJaccard) {
  EXPECT_DOUBLE_EQ(simhash_jaccard(0), 1.0);
  // 16 of 64 bits: angle pi/4, cos 0.707, J = 0.707 / 1.293.
  EXPECT_NEAR(simhash_jaccard(16), 0.547, 0.001);
  EXPECT_NEAR(simhash_jaccard(32), 0.0, 1e-9);  // orthogonal: nothing shared
  EXPECT_DOUBLE_EQ(simhash_jaccard(64), 0.0);
}

TEST(DedupFingerprint, SimilarityWeighsBothEstimates) {
  std::array<uint8_t, kMinHashes> a{}, b{};
  for (int i = 0; i < kMinHashes; ++i) a[i] = b[i] = static_cast<uint8_t>(i);
  EXPECT_DOUBLE_EQ(estimate_similarity(a, b, 0), 1.0);
  // 13 of 24 MinHashes agree (0.54) but 21 simhash bits differ (0.35): a
  // pair of distinct texts of true Jaccard 0.36 is not a near duplicate.
  for (int i = 13; i < kMinHashes; ++i) b[i] ^= 0xff;
  EXPECT_NEAR(estimate_jaccard(a, b), 0.540, 0.002);
  EXPECT_LT(estimate_similarity(a, b, 21), 0.5);
  EXPECT_GT(estimate_similarity(a, b, 8), 0.5);
}

TEST(DedupFingerprint, EmptyAndPunctuationOnlyTextHasNoWords) {
  auto f = make();
  EXPECT_EQ(f->compute("").words, 0u);
  EXPECT_EQ(f->compute(" ... — !! ।").words, 0u);
  // Invalid bytes become U+FFFD, never a crash; the two real words remain.
  EXPECT_EQ(f->compute("\xff\xfe broken utf8 \xc3").words, 2u);
}

TEST(DedupFingerprint, HexFormats) {
  EXPECT_EQ(hex64(0xabc), "0000000000000abc");
  EXPECT_EQ(hex128(1, 2), "00000000000000010000000000000002");
}

}  // namespace
}  // namespace newsd::dedup
