// Golden pages through decode + extract: the five shared seed pages (required;
// the test fails when ../shared is missing), the small pages under
// tests/data/golden and the bundled samples under tests/data/samples. Each
// page has a *.expected.json with title, published_at, author, language,
// site_name, text and strings that must not leak into the text; optional
// fields (date_source, section, tags, page_type, status: no_article or
// not_an_article) are checked when present.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "stages/decode/decode_stage.h"
#include "stages/extract/extract_stage.h"

namespace newsd {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Folds every run of whitespace to one space and trims: the seed pages'
// expected text is compared "after whitespace normalisation".
std::string norm(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<fs::path> pages_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".html") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void check_page(const fs::path& html_path) {
  SCOPED_TRACE(html_path.string());
  fs::path exp_path = html_path;
  exp_path.replace_extension(".expected.json");
  ASSERT_TRUE(fs::exists(exp_path)) << "missing " << exp_path;
  const simdjson::padded_string exp_json = simdjson::padded_string(read_file(exp_path));
  simdjson::dom::parser parser;
  simdjson::dom::element exp;
  ASSERT_FALSE(parser.parse(exp_json).get(exp));

  Article a;
  a.input.payload = read_file(html_path);
  a.input.url = std::string(exp["url"].get_string().value());
  DecodeStage decode{LimitsConfig{}};
  ExtractStage extract{ExtractConfig{}};
  ASSERT_TRUE(decode.process(a).is_ok());
  const Status s = extract.process(a);

  std::string_view status;
  if (!exp["status"].get(status) && status == "no_article") {
    EXPECT_EQ(s.code(), StatusCode::kNoArticle) << s.to_string();
    return;
  }
  if (status == "not_an_article") {
    EXPECT_EQ(s.code(), StatusCode::kNotAnArticle) << s.to_string();
    return;
  }
  ASSERT_TRUE(s.is_ok()) << s.to_string();

  auto opt_string = [&](const char* key, const std::string& got) {
    simdjson::dom::element v;
    if (exp[key].get(v)) return;  // not in this expectation
    if (v.is_null()) EXPECT_EQ(got, "") << key << " should be null";
    else EXPECT_EQ(got, std::string(v.get_string().value())) << key;
  };
  opt_string("title", a.title);
  opt_string("published_at", a.published_at);
  opt_string("date_source", a.date_source);
  opt_string("language", a.language);
  opt_string("site_name", a.site_name);
  opt_string("section", a.section);
  opt_string("page_type", a.page_type);

  simdjson::dom::element author;
  if (!exp["author"].get(author)) {
    if (author.is_null()) {
      EXPECT_TRUE(a.authors.empty()) << "authors should be empty, got " << a.authors.size();
    } else {
      ASSERT_FALSE(a.authors.empty());
      EXPECT_EQ(a.authors.front(), std::string(author.get_string().value()));
    }
  }
  simdjson::dom::array tags;
  if (!exp["tags"].get(tags)) {
    std::vector<std::string> want;
    for (auto t : tags) want.emplace_back(t.get_string().value());
    EXPECT_EQ(a.tags, want);
  }
  EXPECT_EQ(norm(a.text), norm(exp["text"].get_string().value()));
  EXPECT_GT(a.word_count, 0);
  EXPECT_EQ(a.id, article_id(a.canonical_url.empty() ? a.url : a.canonical_url));
  simdjson::dom::array banned;
  if (!exp["must_not_contain"].get(banned))
    for (auto b : banned) {
      const std::string_view needle = b.get_string().value();
      EXPECT_EQ(a.text.find(needle), std::string::npos) << "text leaks \"" << needle << "\"";
    }
}

TEST(ExtractGolden, SharedSeedPages) {
  const fs::path dir = fs::path(NEWSD_SOURCE_DIR) / ".." / "shared" / "seed" / "pages";
  const std::vector<fs::path> pages = pages_in(dir);
  ASSERT_EQ(pages.size(), 5u) << "the seed pages are required at " << dir;
  for (const fs::path& p : pages) check_page(p);
}

TEST(ExtractGolden, OwnGoldenPages) {
  const std::vector<fs::path> pages = pages_in(fs::path(NEWSD_SOURCE_DIR) / "tests" / "data" / "golden");
  ASSERT_GE(pages.size(), 12u);
  for (const fs::path& p : pages) check_page(p);
}

TEST(ExtractGolden, BundledSamples) {
  const std::vector<fs::path> pages = pages_in(fs::path(NEWSD_SOURCE_DIR) / "tests" / "data" / "samples");
  ASSERT_GE(pages.size(), 2u);
  for (const fs::path& p : pages) check_page(p);
}

}  // namespace
}  // namespace newsd
