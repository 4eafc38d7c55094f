// Encode stage: the newsd.article.v1 record and its JSON escaping.
#include "stages/encode/encode_stage.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "stages/encode/json_writer.h"

namespace newsd {
namespace {

Article sample() {
  Article a;
  a.id = "0123456789abcdef";
  a.url = "https://news.example/a";
  a.title = "Quote \" backslash \\ tab\t";
  a.text = "पहला अनुच्छेद।\n\nSecond paragraph.";
  a.language = "hi";
  a.authors = {"A. Writer"};
  a.source.file = "page.html";
  a.timings.push_back({"decode", 12});
  return a;
}

TEST(JsonWriter, EscapesControlCharacters) {
  std::string out;
  append_json_escaped(out, std::string("a\x01z\"\\\n", 6));
  EXPECT_EQ(out, "a\\u0001z\\\"\\\\\\n");
}

TEST(JsonWriter, WritesInvalidUtf8AsReplacementCharacters) {
  std::string out;
  // A stray continuation byte, a truncated sequence, an overlong form, a
  // surrogate; valid multi-byte text passes through.
  append_json_escaped(out, "utf-\x96 8 \xE0\xA4 \xC0\xAF \xED\xA0\x80 भारत");
  EXPECT_EQ(out, "utf-\\ufffd 8 \\ufffd\\ufffd \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd भारत");
  simdjson::dom::parser parser;
  EXPECT_FALSE(parser.parse("\"" + out + "\"").error());
}

TEST(Encode, RecordParsesAndKeepsText) {
  Article a = sample();
  ASSERT_TRUE(EncodeStage().process(a).is_ok());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(a.json).get(doc)) << a.json;
  std::string_view s;
  ASSERT_FALSE(doc["title"].get(s));
  EXPECT_EQ(s, a.title);
  ASSERT_FALSE(doc["text"].get(s));
  EXPECT_EQ(s, a.text);
  EXPECT_TRUE(doc["published_at"].is_null());
  EXPECT_TRUE(doc["dedup"].is_null());
  EXPECT_TRUE(doc["entities"].is_null());
  int64_t us = 0;
  ASSERT_FALSE(doc["processing"]["stage_us"]["decode"].get(us));
  EXPECT_EQ(us, 12);
}

TEST(Encode, EntitySummaryCountsMentionsById) {
  Article a = sample();
  a.tagged = true;
  a.entities = {{"भारत", EntityType::kLoc, 0, 4, "Q668", "India", EntitySource::kGazetteer},
                {"India", EntityType::kLoc, 10, 15, "Q668", "India", EntitySource::kGazetteer},
                {"Someone", EntityType::kPerson, 20, 27, "", "", EntitySource::kModel}};
  ASSERT_TRUE(EncodeStage().process(a).is_ok());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(a.json).get(doc));
  simdjson::dom::array summary;
  ASSERT_FALSE(doc["entity_summary"].get(summary));
  ASSERT_EQ(summary.size(), 1u);
  int64_t count = 0;
  ASSERT_FALSE(summary.at(0)["count"].get(count));
  EXPECT_EQ(count, 2);
  simdjson::dom::array entities;
  ASSERT_FALSE(doc["entities"].get(entities));
  EXPECT_EQ(entities.size(), 3u);
  EXPECT_TRUE(entities.at(2)["id"].is_null());
}

// The schema file and the encoder agree on the required fields.
TEST(Encode, EmitsEveryFieldTheSchemaRequires) {
  Article a = sample();
  a.tagged = true;
  a.dedup =
      DedupVerdict{DedupStatus::kUnique, "00000000000000ff", "0123456789abcdef0123456789abcdef", "", "c1", {}, {}};
  ASSERT_TRUE(EncodeStage().process(a).is_ok());
  simdjson::dom::parser schema_parser, parser;
  simdjson::dom::element schema, doc;
  ASSERT_FALSE(
      schema_parser.load(std::string(NEWSD_SOURCE_DIR) + "/stages/encode/newsd.article.v1.schema.json").get(schema));
  ASSERT_FALSE(parser.parse(a.json).get(doc));
  simdjson::dom::array required;
  ASSERT_FALSE(schema["required"].get(required));
  for (auto key : required) {
    std::string_view k;
    ASSERT_FALSE(key.get(k));
    simdjson::dom::element unused;
    EXPECT_FALSE(doc[k].get(unused)) << "encoder does not emit " << k;
  }
  simdjson::dom::array dedup_required;
  ASSERT_FALSE(schema["properties"]["dedup"]["required"].get(dedup_required));
  for (auto key : dedup_required) {
    std::string_view k;
    ASSERT_FALSE(key.get(k));
    simdjson::dom::element unused;
    EXPECT_FALSE(doc["dedup"][k].get(unused)) << "encoder does not emit dedup." << k;
  }
}

}  // namespace
}  // namespace newsd
