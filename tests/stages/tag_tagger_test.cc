// Tests of the tag stage as a whole: seed pages, spans, reload, Wikidata builder.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "stages/tag/normalize.h"
#include "stages/tag/tag_stage.h"
#include "stages/tag/tagger.h"

namespace newsd::tag {
namespace {

const std::string kSeed = std::string(NEWSD_SOURCE_DIR) + "/../shared/seed/pages/";

std::shared_ptr<const TagResources> shipped(const TagConfig& config) {
  std::string err;
  auto res = TagResources::load(config, err);
  EXPECT_TRUE(res) << err;
  return res;
}

struct Expected {
  std::string text, type, id;
};

// Every expected PERSON and LOC of the seed pages is found with its type
// (and id where one is given); recall over all types is at least 0.8.
TEST(TagSeed, ExpectedEntitiesAreFound) {
  TagConfig config;
  const auto res = shipped(config);
  ASSERT_TRUE(res);
  Tagger tagger(config);
  size_t total = 0, hit = 0, pages = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSeed)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 14 || name.substr(name.size() - 14) != ".expected.json") continue;
    ++pages;
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.load(entry.path().string());
    const std::string text{std::string_view(doc["text"])};
    std::vector<Entity> got;
    tagger.tag(*res, text, got);
    for (simdjson::dom::element e : doc["entities"]) {
      Expected want{std::string(std::string_view(e["text"])), std::string(std::string_view(e["type"])), ""};
      if (e["wikidata"].is_string()) want.id = std::string(std::string_view(e["wikidata"]));
      bool ok = false;
      for (const Entity& g : got)
        ok = ok ||
             (g.text == want.text && entity_type_name(g.type) == want.type && (want.id.empty() || g.id == want.id));
      ++total;
      hit += ok;
      if (want.type == "PERSON" || want.type == "LOC") {
        EXPECT_TRUE(ok) << name << ": " << want.text << " " << want.type << " " << want.id;
      }
    }
  }
  ASSERT_GT(pages, 0u);
  std::printf("seed pages: %zu of %zu expected entities found (recall %.3f) on %zu pages\n", hit, total,
              static_cast<double>(hit) / static_cast<double>(total), pages);
  EXPECT_GE(static_cast<double>(hit) / static_cast<double>(total), 0.8) << hit << "/" << total;
}

TEST(TagSpans, NeverOverlapAndOffsetsAreCodePoints) {
  TagConfig config;
  const auto res = shipped(config);
  ASSERT_TRUE(res);
  Tagger tagger(config);
  const std::string text =
      "नई दिल्ली: विदेश मंत्री एस जयशंकर ने अमेरिका के विदेश मंत्री एंथनी ब्लिंकन से बात की। "
      "New Delhi: External Affairs Minister S. Jaishankar met US Secretary of State Antony Blinken in Washington.";
  std::vector<Entity> a, b;
  tagger.tag(*res, text, a);
  tagger.tag(*res, text, b);
  ASSERT_FALSE(a.empty());
  FoldedText ft;
  fold_text(text, ft);
  int64_t last_end = -1;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_GE(a[i].start, last_end) << a[i].text;  // sorted, disjoint
    last_end = a[i].end;
    EXPECT_EQ(to_utf8(std::u32string_view(ft.original).substr(static_cast<size_t>(a[i].start),
                                                                static_cast<size_t>(a[i].end - a[i].start))),
              a[i].text);
    // Deterministic.
    EXPECT_EQ(a[i].text, b[i].text);
    EXPECT_EQ(a[i].id, b[i].id);
  }
}

TEST(TagSpans, AnOutsizedTextGivesItsScratchBackAndTaggingGoesOn) {
  TagConfig config;
  const auto res = shipped(config);
  ASSERT_TRUE(res);
  Tagger tagger(config);
  const std::string sentence = "External Affairs Minister S. Jaishankar met Antony Blinken in Washington. ";
  std::vector<Entity> out;
  tagger.tag(*res, sentence, out);
  const size_t unallocated = FoldedText{}.original.capacity();  // the string's own small buffer
  EXPECT_GT(tagger.folded().original.capacity(), unallocated);  // a usual text keeps its buffers
  std::string huge;
  while (huge.size() < (size_t{2} << 20)) huge += sentence;
  tagger.tag(*res, huge, out);
  EXPECT_GT(out.size(), 1000u);
  EXPECT_EQ(tagger.folded().original.capacity(), unallocated);  // ...an outsized one gives them back
  tagger.tag(*res, sentence, out);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.front().text, "S. Jaishankar");
}

// An organisation's name repeated alone through a long text: the rules
// once scanned the whole text for every organisation they found, which on
// this text (about 370 KB) took hours; in linear time it takes well under a
// second, even under the sanitizers. The same holds for a connector chain
// of capitalised words ("Foo and Bar and ..."), split with one scan of the
// run, and for "(NVH)" acronyms after organisations.
TEST(TagSpans, RepeatedNamesAndLongRunsAreTaggedInOnePass) {
  TagConfig config;
  config.max_entities = 1000000;
  const auto res = shipped(config);
  ASSERT_TRUE(res);
  Tagger tagger(config);
  const std::string sentence = "Zorvex Corp. sold shares to Zorvex yesterday. ";
  std::string text;
  for (int i = 0; i < 8000; ++i) text += sentence;
  std::vector<Entity> out;
  tagger.tag(*res, text, out);
  ASSERT_EQ(out.size(), 16000u);
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(entity_type_name(out[i].type), "ORG") << i;
    ASSERT_EQ(out[i].text, i % 2 == 0 ? "Zorvex Corp" : "Zorvex") << i;
  }
  text.clear();
  for (int i = 0; i < 20000; ++i) text += "Kelvar Bank and Dostin ";
  tagger.tag(*res, text, out);  // one run of 80,000 words
  ASSERT_EQ(out.size(), 20001u);
  EXPECT_EQ(out[1].text, "Dostin Kelvar Bank");
  EXPECT_EQ(out.back().text, "Dostin");
  text.clear();
  for (int i = 0; i < 15000; ++i) text += "Norvale Holdings (NVH) said ";
  tagger.tag(*res, text, out);
  ASSERT_EQ(out.size(), 30000u);
  EXPECT_EQ(out[1].text, "NVH");
  EXPECT_EQ(entity_type_name(out[1].type), "ORG");
}

TEST(TagStage, SetsEntitiesAndTagged) {
  TagConfig config;
  std::string err;
  auto data = TagData::create(config, err);
  ASSERT_TRUE(data) << err;
  MetricsRegistry metrics;
  TagStage stage(config, *data, metrics);
  Article article;
  article.text = "Russia and India will meet in Moscow.";
  ASSERT_TRUE(stage.process(article).is_ok());
  EXPECT_TRUE(article.tagged);
  ASSERT_GE(article.entities.size(), 3u);
  EXPECT_EQ(article.entities[0].text, "Russia");
  EXPECT_EQ(article.entities[0].id, "Q159");
  EXPECT_EQ(entity_source_name(article.entities[0].source), "gazetteer");
  Article empty;
  ASSERT_TRUE(stage.process(empty).is_ok());
  EXPECT_TRUE(empty.tagged);
  EXPECT_TRUE(empty.entities.empty());
  // Binary junk never crashes.
  Article junk;
  junk.text = std::string("\xff\xfe\x00\xc3(\xe0\x80 Foo", 12);
  EXPECT_TRUE(stage.process(junk).is_ok());
}

class TagReload : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("newsd_tag_reload_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "g.tsv").string();
    config_.gazetteers = {path_};
    config_.model = "";
    config_.english_model = "";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& body) { std::ofstream(path_, std::ios::trunc) << body; }
  std::vector<std::string> ids(const TagData& data, const std::string& text) {
    Tagger t(config_);
    std::vector<Entity> out;
    t.tag(*data.current(), text, out);
    std::vector<std::string> r;
    for (const auto& e : out) r.push_back(e.id);
    return r;
  }
  std::filesystem::path dir_;
  std::string path_;
  TagConfig config_;
};

TEST_F(TagReload, NewFileIsSwappedIn) {
  write("Fooland\tLOC\tx:foo\tFooland\n");
  std::string err;
  auto data = TagData::create(config_, err);
  ASSERT_TRUE(data) << err;
  auto before = data->current();
  EXPECT_EQ(ids(*data, "Fooland and Barland"), std::vector<std::string>{"x:foo"});
  write("Barland\tLOC\tx:bar\tBarland\n");
  ASSERT_TRUE(data->reload(config_).is_ok());
  EXPECT_EQ(ids(*data, "Fooland and Barland"), std::vector<std::string>{"x:bar"});
  // A worker still holding the old resources keeps a valid object.
  EXPECT_EQ(before->gazetteer.aliases(), 1u);
}

TEST_F(TagReload, BadFileKeepsTheOldDataAndSaysWhy) {
  write("Fooland\tLOC\tx:foo\tFooland\n");
  std::string err;
  auto data = TagData::create(config_, err);
  ASSERT_TRUE(data) << err;
  write("Barland\tLOC\tx:bar\n");  // three fields
  const Status s = data->reload(config_);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("g.tsv:1"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("old data"), std::string::npos) << s.message();
  EXPECT_EQ(ids(*data, "Fooland and Barland"), std::vector<std::string>{"x:foo"});
  config_.model = (dir_ / "missing.model").string();
  write("Barland\tLOC\tx:bar\tBarland\n");
  EXPECT_FALSE(data->reload(config_).is_ok());
  EXPECT_EQ(ids(*data, "Fooland and Barland"), std::vector<std::string>{"x:foo"});
}

// scripts/build-gazetteer-wikidata on a small dump written here.
TEST(TagWikidata, BuilderTurnsADumpIntoALoadableGazetteer) {
  const auto dir = std::filesystem::temp_directory_path() / ("newsd_tag_wd_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string dump = (dir / "dump.json").string(), out = (dir / "wd.tsv").string();
  std::ofstream(dump) << R"([
{"type":"item","id":"Q1058","labels":{"en":{"language":"en","value":"Narendra Modi"},"hi":{"language":"hi","value":"नरेन्द्र मोदी"}},"aliases":{"en":[{"language":"en","value":"Modi"}]},"claims":{"P31":[{"mainsnak":{"datavalue":{"value":{"entity-type":"item","id":"Q5"}}}}]}},
{"type":"item","id":"Q1065","labels":{"en":{"language":"en","value":"United Nations"},"fr":{"language":"fr","value":"Organisation des Nations unies"}},"aliases":{},"claims":{"P31":[{"mainsnak":{"datavalue":{"value":{"id":"Q484652"}}}}]}},
{"type":"item","id":"Q42","labels":{"en":{"language":"en","value":"Something Else"}},"claims":{"P31":[{"mainsnak":{"datavalue":{"value":{"id":"Q99999"}}}}]}},
not json at all,
{"type":"property","id":"P31","labels":{"en":{"language":"en","value":"instance of"}}}
]
)";
  const std::string cmd = "python3 " NEWSD_SOURCE_DIR "/scripts/build-gazetteer-wikidata " + dump + " --out " + out +
                          " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  Gazetteer g;
  std::string err;
  ASSERT_TRUE(g.load({out}, err)) << err;
  // Narendra Modi, नरेन्द्र मोदी, Modi, United Nations, Organisation des Nations unies.
  EXPECT_EQ(g.aliases(), 5u);
  const int64_t modi = g.lookup(fold_string("नरेन्द्र मोदी"));
  ASSERT_GE(modi, 0);
  EXPECT_EQ(g.id(static_cast<uint32_t>(modi)), "Q1058");
  EXPECT_EQ(entity_type_name(g.type(static_cast<uint32_t>(modi))), "PERSON");
  const int64_t un = g.lookup(fold_string("united nations"));
  ASSERT_GE(un, 0);
  EXPECT_EQ(g.id(static_cast<uint32_t>(un)), "Q1065");
  EXPECT_EQ(entity_type_name(g.type(static_cast<uint32_t>(un))), "ORG");
  EXPECT_LT(g.lookup(fold_string("Something Else")), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace newsd::tag
