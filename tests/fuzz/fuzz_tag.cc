// Fuzz target: entity tagging (gazetteer, rules, statistical model) on
// arbitrary text. Entities must lie inside the text, in order of start, with
// text equal to the code points they cover.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "stages/decode/decode_stage.h"
#include "stages/tag/tagger.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

const newsd::TagConfig kConfig;

const newsd::tag::TagResources& resources() {
  static const std::shared_ptr<const newsd::tag::TagResources> res = [] {
    std::string error;
    auto r = newsd::tag::TagResources::load(kConfig, error);
    if (!r) newsd::fuzz::fail("cannot load the shipped tag data", error);
    return r;
  }();
  return *res;
}

}  // namespace

// The data files load here, outside the per-input time limit.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  resources();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsd;
  static tag::Tagger tagger(kConfig);
  std::string text;
  decode::sanitize_utf8(std::string_view(reinterpret_cast<const char*>(data), size), text);
  std::vector<Entity> entities;
  tagger.tag(resources(), text, entities);
  const int64_t length = code_points(text);
  for (const Entity& e : entities) {
    fuzz::check(e.start >= 0 && e.start < e.end && e.end <= length, "entity offsets outside the text", e.text);
    fuzz::check_utf8(e.text, "entity text is not UTF-8");
    fuzz::check_utf8(e.canonical, "entity canonical name is not UTF-8");
  }
  return 0;
}
