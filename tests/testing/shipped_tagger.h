// Test fixture: the tag stage with its shipped data (gazetteer, model,
// rules), and lookups of the entities it finds.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "stages/tag/tagger.h"

namespace newsd::tag::testing {

class ShippedTagger : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    res_ = TagResources::load(config_, err);
    ASSERT_TRUE(res_) << err;
  }
  std::vector<Entity> tag(const std::string& text) {
    std::vector<Entity> out;
    tagger_.tag(*res_, text, out);
    return out;
  }
  static const Entity* find(const std::vector<Entity>& got, const std::string& text) {
    for (const Entity& e : got)
      if (e.text == text) return &e;
    return nullptr;
  }
  // The type of the entity with exactly this text, or "" when none.
  static std::string type_of(const std::vector<Entity>& got, const std::string& text) {
    const Entity* e = find(got, text);
    return e ? std::string(entity_type_name(e->type)) : "";
  }
  TagConfig config_;
  std::shared_ptr<const TagResources> res_;
  Tagger tagger_{config_};
};

}  // namespace newsd::tag::testing
