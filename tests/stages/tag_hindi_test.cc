// Tests of the Hindi side of the tag stage: the pattern rules on Devanagari
// text, the model's spans, and the shipped gazetteer's Indian towns.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "stages/tag/word_lists.h"
#include "tests/testing/shipped_tagger.h"

namespace newsd::tag {
namespace {

class TagHindi : public testing::ShippedTagger {};

TEST_F(TagHindi, TitledPeopleButNotSchemesNamedAfterTheTitle) {
  const auto person = tag("पुलिस महानिरीक्षक सुरेश चंद्र भट्ट ने जांच के आदेश दिए।");
  const Entity* bhatt = find(person, "सुरेश चंद्र भट्ट");
  ASSERT_NE(bhatt, nullptr);
  EXPECT_EQ(entity_type_name(bhatt->type), "PERSON");
  // "प्रधानमंत्री <words> योजना/निधि" is a scheme, not a person.
  for (const char* text : {"किसानों को प्रधानमंत्री किसान सम्मान निधि के तहत पैसा मिला।", "प्रधानमंत्री जन धन योजना से खाते खुले।"})
    for (const Entity& e : tag(text)) EXPECT_NE(entity_type_name(e.type), "PERSON") << text << ": " << e.text;
}

TEST_F(TagHindi, ADistrictListNamesPlacesButOneWordBeforeDistrictsQualifiesThem) {
  const auto list = tag("अनंतनाग, बारामूला और कठुआ जिलों में अभियान चला।");
  for (const char* place : {"अनंतनाग", "बारामूला", "कठुआ"}) {
    const Entity* e = find(list, place);
    ASSERT_NE(e, nullptr) << place;
    EXPECT_EQ(entity_type_name(e->type), "LOC") << place;
  }
  for (const char* text : {"देश के 112 आकांक्षी जिलों की पहचान की गई।", "प्रत्येक जिले में एक केंद्र खुलेगा।"})
    for (const Entity& e : tag(text)) EXPECT_NE(entity_type_name(e.type), "LOC") << text << ": " << e.text;
}

TEST(TagWordLists, SortedByteWiseWithoutRepeatsForBinarySearch) {
  // The build sorts the lists with CMake; the rules look words up with
  // std::binary_search, which needs std::string_view's order.
  for (const std::span<const std::string_view> words :
       {english_common_words(), english_given_names(), hindi_plain_words()}) {
    ASSERT_FALSE(words.empty());
    EXPECT_TRUE(std::adjacent_find(words.begin(), words.end(), std::greater_equal<>()) == words.end());
  }
  EXPECT_TRUE(listed(hindi_plain_words(), "शामिल"));
}

TEST_F(TagHindi, PlainWordsAreNoPersonOrPlaceName) {
  // "पास" (near) before "जिला" and "शामिल होते" (take part) after a title
  // are words the Hindi corpora never tag (stages/tag/data/hindi-plain-words.txt).
  // Nor does the model name one with plain words alone, as it did with
  // "तस्वीर अलग" (picture different) in a heading.
  for (const char* text : {"इसके तहत योजना बनाने वालों के पास जिला कौशल योजनाओं के अगले चरण की जिम्मेदारी होगी।",
                           "बैठक में सभी केंद्र शासित प्रदेशों के उप राज्यपाल शामिल होते हैं।", "पूर्वी राज्यों में तस्वीर अलग"})
    for (const Entity& e : tag(text)) {
      EXPECT_NE(entity_type_name(e.type), "PERSON") << text << ": " << e.text;
      EXPECT_NE(entity_type_name(e.type), "LOC") << text << ": " << e.text;
    }
}

TEST_F(TagHindi, AGovernmentIsAnOrganisationUnlessAKnownPlaceNamesIt) {
  // No place before "सरकार": the government is the organisation, whole.
  for (const char* text : {"केंद्र सरकार ने नई नीति की घोषणा की।", "यह योजना केन्द्रीय सरकार द्वारा चलाई जाती है।"})
    for (const Entity& e : tag(text)) {
      EXPECT_NE(e.text, "केंद्र") << text;
      EXPECT_NE(e.text, "केन्द्रीय") << text;
    }
  // A known place: the place alone (the seed pages' convention).
  const auto state = tag("जम्मू-कश्मीर सरकार ने अभियान शुरू किया।");
  const Entity* place = find(state, "जम्मू-कश्मीर");
  ASSERT_NE(place, nullptr);
  EXPECT_EQ(entity_type_name(place->type), "LOC");
  // The national government goes by its name, a known organisation.
  const auto india = tag("भारत सरकार ने नई अधिसूचना जारी की।");
  const Entity* government = find(india, "भारत सरकार");
  ASSERT_NE(government, nullptr);
  EXPECT_EQ(entity_type_name(government->type), "ORG");
  EXPECT_EQ(government->id, "org:in-government");
}

TEST_F(TagHindi, APlaceThatNamesAProgrammeIsNoMention) {
  const auto got = tag("गांवों में स्वच्छ भारत अभियान का दूसरा चरण शुरू हुआ और भारत ने लक्ष्य तय किया।");
  size_t places = 0;
  for (const Entity& e : got) places += e.text == "भारत";
  EXPECT_EQ(places, 1u);  // the second, the country itself
}

TEST_F(TagHindi, AnOrganisationNameStartsAtItsFirstNameWord) {
  // "सिफारिश" (recommendation) and "अन्य" (other) are plain words.
  const auto got = tag("इस आयोग के गठन की सिफारिश कोठारी समिति ने की थी। अन्य शिक्षण संस्थान भी इसमें शामिल होंगे।");
  const Entity* committee = find(got, "कोठारी समिति");
  ASSERT_NE(committee, nullptr);
  EXPECT_EQ(entity_type_name(committee->type), "ORG");
  for (const Entity& e : got) {
    EXPECT_EQ(e.text.find("सिफारिश"), std::string::npos) << e.text;
    EXPECT_EQ(e.text.find("अन्य"), std::string::npos) << e.text;
  }
  // Given with its acronym, a name of plain words is one (the seed pages').
  const auto bureau = tag("सरकार ने भ्रष्टाचार निरोधक ब्यूरो (एसीबी) को जांच सौंपी।");
  const Entity* acb = find(bureau, "भ्रष्टाचार निरोधक ब्यूरो");
  ASSERT_NE(acb, nullptr);
  EXPECT_EQ(entity_type_name(acb->type), "ORG");
}

TEST_F(TagHindi, PostpositionsAreNeverPartOfANameNorASurname) {
  const auto got = tag("मैकॉले की 1835 की रिपोर्ट के बाद लोक सेवा में बदलाव हुए। मैकॉले ने लिखा था।");
  for (const Entity& e : got) {
    EXPECT_EQ(e.text.find(" की"), std::string::npos) << e.text;
    EXPECT_NE(e.text, "की");
    EXPECT_NE(e.text, "ने");
  }
}

TEST_F(TagHindi, AnOrganisationFoundByItsHeadStartsWhereTheModelStartsIt) {
  // The head rule alone would take "भरत लाल" (a person) and "शुरुआत" (a
  // common noun) into the organisation; a coordinated name stays whole.
  const auto person_before = tag("इस बैठक में भरत लाल जल शक्ति मंत्रालय के सचिव के रूप में शामिल हुए।");
  const Entity* ministry = find(person_before, "जल शक्ति मंत्रालय");
  ASSERT_NE(ministry, nullptr);
  EXPECT_EQ(entity_type_name(ministry->type), "ORG");
  const auto coordinated = tag("कार्यक्रम की शुरुआत आवास एवं शहरी विकास विभाग ने की।");
  const Entity* department = find(coordinated, "आवास एवं शहरी विकास विभाग");
  ASSERT_NE(department, nullptr);
  EXPECT_EQ(entity_type_name(department->type), "ORG");
}

TEST_F(TagHindi, IndianTownsFromGeoNamesAreLinked) {
  const auto got = tag("नासिक और झांसी में बारिश हुई, जबकि चंद्रपुर में धूप रही।");
  for (const char* town : {"नासिक", "चंद्रपुर"}) {
    const Entity* e = find(got, town);
    ASSERT_NE(e, nullptr) << town;
    EXPECT_EQ(entity_type_name(e->type), "LOC") << town;
    EXPECT_EQ(entity_source_name(e->source), "gazetteer") << town;
    EXPECT_EQ(e->id.rfind("geonames:", 0), 0u) << town << " " << e->id;
  }
}

TEST_F(TagHindi, TheUnitedNationsAndTheEuropeanUnionAreOrganisationsInEveryLanguage) {
  // CLDR lists both among its territories; the curated rows make all their
  // names one organisation each.
  const auto got = tag("संयुक्त राष्ट्र संघ ने बयान जारी किया। Les Nations Unies et l'Union européenne.");
  for (const auto& [name, id] : {std::pair{"संयुक्त राष्ट्र संघ", "Q1065"}, std::pair{"Nations Unies", "Q1065"},
                                 std::pair{"Union européenne", "Q458"}}) {
    const Entity* e = find(got, name);
    ASSERT_NE(e, nullptr) << name;
    EXPECT_EQ(entity_type_name(e->type), "ORG") << name;
    EXPECT_EQ(e->id, id) << name;
  }
}

}  // namespace
}  // namespace newsd::tag
