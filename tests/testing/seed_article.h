// The dedup tests' input: a seed page of ../shared/seed/pages as the dedup
// stage sees it after extraction (text, url, id, published_at from its
// .expected.json), with a test failure recorded when it cannot be read.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>
#include <string>

#include "stages/article.h"

namespace newsd::testing {

inline Article seed_article(const std::string& name) {
  std::ifstream in(std::string(NEWSD_SOURCE_DIR) + "/../shared/seed/pages/" + name + ".expected.json",
                   std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  Article a;
  EXPECT_EQ(parser.parse(buf.str()).get(doc), simdjson::SUCCESS) << name;
  std::string_view text, url, published;
  EXPECT_EQ(doc["text"].get(text), simdjson::SUCCESS) << name;
  EXPECT_EQ(doc["url"].get(url), simdjson::SUCCESS) << name;
  if (doc["published_at"].get(published) == simdjson::SUCCESS) a.published_at = std::string(published);
  a.text = std::string(text);
  a.url = std::string(url);
  a.id = article_id(a.url);
  return a;
}

}  // namespace newsd::testing
