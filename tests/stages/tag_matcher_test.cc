// Tests of the tag stage's text folding, Aho–Corasick automaton and gazetteer.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "stages/tag/automaton.h"
#include "stages/tag/gazetteer.h"
#include "stages/tag/normalize.h"

namespace newsd::tag {
namespace {

TEST(TagFold, NuktaVariantsCaseAndSpacesFoldAlike) {
  // क़ (U+0958) and क + nukta (U+0915 U+093C) are the same letter.
  EXPECT_EQ(fold_string("\u0958\u093E\u0928\u0942\u0928"), fold_string("\u0915\u093C\u093E\u0928\u0942\u0928"));
  EXPECT_EQ(fold_string("ज़िले"), fold_string("जिले"));
  EXPECT_EQ(fold_string("New  Delhi"), fold_string("new delhi"));
  EXPECT_EQ(fold_string("India\u2013Russia"), fold_string("india-russia"));
  // Decomposed é composes (NFC) and folds like the composed letter.
  EXPECT_EQ(fold_string("Erdoe\u0301gan"), fold_string("ERDOÉGAN"));
}

TEST(TagFold, OffsetsMapBackToOriginalCodePoints) {
  FoldedText t;
  fold_text("  क़ानून  Act", t);
  ASSERT_EQ(t.from.size(), t.folded.size() + 1);
  EXPECT_EQ(t.from.back(), t.original.size());
  // "क़ानून" starts at code point 2 of the original.
  EXPECT_EQ(t.from[0], 2u);
  EXPECT_EQ(t.folded[0], U'क');
  const size_t space = t.folded.find(U' ');
  ASSERT_NE(space, std::u32string::npos);
  EXPECT_EQ(t.original[t.from[space]], U' ');
  EXPECT_EQ(t.folded.substr(space + 1), U"act");
  // Trailing white space is no part of a name that ends the text.
  fold_text("Delhi \n", t);
  EXPECT_EQ(t.folded, U"delhi");
  EXPECT_EQ(t.from.back(), 5u);
}

TEST(TagFold, WordCharactersIncludeDevanagariMarks) {
  EXPECT_TRUE(is_word_char(U'क'));
  EXPECT_TRUE(is_word_char(0x093E));  // vowel sign aa
  EXPECT_TRUE(is_word_char(0x094D));  // virama
  EXPECT_TRUE(is_word_char(0x0902));  // anusvara
  EXPECT_FALSE(is_word_char(0x0964));  // danda
  EXPECT_FALSE(is_word_char(U'-'));
  EXPECT_TRUE(is_word_char(U'é'));
}

TEST(TagAutomaton, FindsEveryOverlappingKey) {
  AhoCorasick ac;
  ac.add(U"he", 0);
  ac.add(U"she", 1);
  ac.add(U"his", 2);
  ac.add(U"hers", 3);
  ac.build();
  std::multiset<std::tuple<size_t, size_t, uint32_t>> got;
  ac.scan(U"ushers", [&](size_t end, size_t len, uint32_t v) { got.insert({end - len, end, v}); });
  const std::multiset<std::tuple<size_t, size_t, uint32_t>> want = {{1, 4, 1}, {2, 4, 0}, {2, 6, 3}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(ac.find(U"hers"), 3u);
  EXPECT_EQ(ac.find(U"her"), AhoCorasick::kNoValue);
  EXPECT_EQ(ac.keys(), 4u);
}

TEST(TagAutomaton, MatchesLikeNaiveSearchOnRandomInput) {
  std::vector<std::u32string> keys;
  uint32_t seed = 12345;
  auto rnd = [&] { return (seed = seed * 1103515245u + 12345u) >> 16; };
  AhoCorasick ac;
  for (uint32_t i = 0; i < 300; ++i) {
    std::u32string k;
    const size_t len = 1 + rnd() % 5;
    for (size_t j = 0; j < len; ++j) k.push_back(U'क' + rnd() % 4);
    keys.push_back(k);
    ac.add(k, i);
  }
  ac.build();
  std::u32string text;
  for (int i = 0; i < 2000; ++i) text.push_back(U'क' + rnd() % 5);
  size_t got = 0, want = 0;
  ac.scan(text, [&](size_t, size_t, uint32_t) { ++got; });
  std::set<std::u32string> distinct(keys.begin(), keys.end());
  for (const auto& k : distinct)
    for (size_t p = text.find(k); p != std::u32string::npos; p = text.find(k, p + 1)) ++want;
  EXPECT_EQ(got, want);
}

Gazetteer small_gazetteer() {
  Gazetteer g;
  std::string err;
  EXPECT_TRUE(g.add("भारत", "LOC", "Q668", "India", err)) << err;
  EXPECT_TRUE(g.add("नई दिल्ली", "LOC", "Q987", "New Delhi", err)) << err;
  EXPECT_TRUE(g.add("दिल्ली", "LOC", "city:delhi", "Delhi", err)) << err;
  EXPECT_TRUE(g.add("US", "LOC", "Q30", "United States", err)) << err;
  EXPECT_TRUE(g.add("Turkey", "LOC", "Q43", "Turkey", err)) << err;
  EXPECT_TRUE(g.add("क़ाज़ी", "PERSON", "p:qazi", "Qazi", err)) << err;
  g.compile();
  return g;
}

std::vector<std::string> found(const Gazetteer& g, const std::string& text) {
  FoldedText t;
  fold_text(text, t);
  std::vector<GazetteerMatch> m;
  g.find(t, m);
  std::vector<std::string> out;
  for (const auto& x : m) out.push_back(to_utf8(std::u32string_view(t.original).substr(t.from[x.start], t.from[x.end] - t.from[x.start])));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(TagGazetteer, WordBoundariesWorkForDevanagari) {
  const Gazetteer g = small_gazetteer();
  // Postpositions after a name do not block it; a longer word does.
  EXPECT_EQ(found(g, "भारत ने कहा"), std::vector<std::string>{"भारत"});
  for (const char* pp : {"के", "की", "को", "से", "में"})
    EXPECT_EQ(found(g, std::string("भारत ") + pp), std::vector<std::string>{"भारत"}) << pp;
  EXPECT_TRUE(found(g, "भारतीय सेना").empty());
  EXPECT_EQ(found(g, "भारत-रूस वार्ता"), std::vector<std::string>{"भारत"});
  EXPECT_EQ(found(g, "नई दिल्ली में"), (std::vector<std::string>{"दिल्ली", "नई दिल्ली"}));
  // Nukta spelled either way.
  EXPECT_EQ(found(g, "काजी ने"), std::vector<std::string>{"काजी"});
}

TEST(TagGazetteer, CaseRulesKeepCommonWordsOut) {
  const Gazetteer g = small_gazetteer();
  EXPECT_EQ(found(g, "the US said"), std::vector<std::string>{"US"});
  EXPECT_TRUE(found(g, "tell us more").empty());
  EXPECT_TRUE(found(g, "Us and them").empty());
  EXPECT_EQ(found(g, "Turkey said"), std::vector<std::string>{"Turkey"});
  EXPECT_TRUE(found(g, "roast turkey").empty());
}

TEST(TagGazetteer, LoadErrorsNameFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / "newsd_tag_matcher_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "bad.tsv").string();
  std::ofstream(path) << "# comment\nभारत\tLOC\tQ668\tIndia\nbroken line\n";
  Gazetteer g;
  std::string err;
  EXPECT_FALSE(g.load({path}, err));
  EXPECT_NE(err.find("bad.tsv:3"), std::string::npos) << err;
  std::ofstream(path) << "X\tPLANET\tq\tX\n";
  Gazetteer g2;
  EXPECT_FALSE(g2.load({path}, err));
  EXPECT_NE(err.find("PLANET"), std::string::npos) << err;
  Gazetteer g3;
  EXPECT_FALSE(g3.load({(dir / "missing.tsv").string()}, err));
  EXPECT_NE(err.find("missing.tsv"), std::string::npos);
}

TEST(TagGazetteer, ShippedGazetteerLinksNamesInEveryLanguage) {
  Gazetteer g;
  std::string err;
  ASSERT_TRUE(g.load({NEWSD_SOURCE_DIR "/stages/tag/data/gazetteer.tsv"}, err)) << err;
  EXPECT_GT(g.aliases(), 10000u);
  // Same entity, same id, whatever the language.
  for (const char* name : {"India", "भारत", "Inde", "Indien", "ভারত"}) {
    const int64_t e = g.lookup(fold_string(name));
    ASSERT_GE(e, 0) << name;
    EXPECT_EQ(g.id(static_cast<uint32_t>(e)), "Q668") << name;
  }
  const int64_t ru = g.lookup(fold_string("Россия"));
  ASSERT_GE(ru, 0);
  EXPECT_EQ(g.id(static_cast<uint32_t>(ru)), "Q159");
  // A GeoNames city: its English and Indian-script names share one id, and
  // one that CLDR or the curated list knows keeps their id.
  for (const auto& [name, id] : std::vector<std::pair<const char*, const char*>>{
           {"Nashik", "geonames:1261731"}, {"नासिक", "geonames:1261731"}, {"नाशिक", "geonames:1261731"},
           {"लखनऊ", "city:lucknow"}, {"Lucknow", "city:lucknow"}, {"वियना", "tz:Europe/Vienna"}}) {
    const int64_t e = g.lookup(fold_string(name));
    ASSERT_GE(e, 0) << name;
    EXPECT_EQ(g.id(static_cast<uint32_t>(e)), id) << name;
  }
}

}  // namespace
}  // namespace newsd::tag
