// Tests of the tag stage's document-level passes (stages/tag/document.cc):
// a name found once holds at its other mentions in the same text.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/testing/shipped_tagger.h"

namespace newsd::tag {
namespace {

class TagDocument : public testing::ShippedTagger {
 protected:
  // The entities whose text is `text`, in order.
  static std::vector<const Entity*> all(const std::vector<Entity>& got, const std::string& text) {
    std::vector<const Entity*> out;
    for (const Entity& e : got)
      if (e.text == text) out.push_back(&e);
    return out;
  }
};

// "in Veltria" gives the place away; at the start of the next sentence the
// same word alone is no evidence, but the name is the same name. Written in
// lower case it is an ordinary word.
TEST_F(TagDocument, ANameFoundOnceIsTaggedAtItsOtherMentions) {
  const std::string text = "Prices in Veltria rose. Veltria is small, and veltria tea is sweet.";
  const auto got = tag(text);
  const auto mentions = all(got, "Veltria");
  ASSERT_EQ(mentions.size(), 2u);
  for (const Entity* e : mentions) EXPECT_EQ(entity_type_name(e->type), "LOC");
  EXPECT_EQ(mentions[1]->start, 24);
  EXPECT_EQ(find(got, "veltria"), nullptr);
}

// The English model alone reads "He met Veltria, the party leader" as a
// person; the rule found the place "in Veltria" first, and a guess of the
// model does not contradict it.
TEST_F(TagDocument, AModelGuessTakesTheTypeOfTheBetterFoundMention) {
  const std::string text = "Prices in Veltria rose. He met Veltria, the party leader.";
  TagConfig no_rules = config_;
  no_rules.rules = false;
  Tagger model_only(no_rules);
  std::vector<Entity> alone;
  model_only.tag(*res_, text, alone);
  ASSERT_EQ(all(alone, "Veltria").size(), 2u);
  EXPECT_EQ(entity_type_name(all(alone, "Veltria")[1]->type), "PERSON");

  const auto got = tag(text);
  const auto mentions = all(got, "Veltria");
  ASSERT_EQ(mentions.size(), 2u);
  EXPECT_EQ(entity_source_name(mentions[0]->source), "rule");
  EXPECT_EQ(entity_source_name(mentions[1]->source), "model");
  for (const Entity* e : mentions) EXPECT_EQ(entity_type_name(e->type), "LOC");
}

// Only whole words: "Veltria" inside "Veltrian" is no mention.
TEST_F(TagDocument, AMentionEndsAtAWordBoundary) {
  const auto got = tag("Prices in Veltria rose. Veltrian cheese is sold.");
  EXPECT_EQ(all(got, "Veltria").size(), 1u);
  EXPECT_EQ(find(got, "Veltrian"), nullptr);
}

// Devanagari has no case: a place found by its list before जिलों is the same
// place where it stands alone.
TEST_F(TagDocument, DevanagariMentionsAreFoundWithoutCase) {
  const auto got = tag("अनंतनाग, खेलगढ़ी और कठुआ जिलों में बारिश हुई। लोगों ने कहा कि खेलगढ़ी सुंदर है।");
  const auto mentions = all(got, "खेलगढ़ी");
  ASSERT_EQ(mentions.size(), 2u);
  for (const Entity* e : mentions) EXPECT_EQ(entity_type_name(e->type), "LOC");
}

}  // namespace
}  // namespace newsd::tag
