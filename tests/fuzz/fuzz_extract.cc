// Fuzz target: the extract stage on raw HTML bytes (preclean, parse, page
// index, content, metadata, JSON-LD, dates). The bytes are made UTF-8 the way
// decode does; every field extract fills must be UTF-8, and offsets sane.
#include <cstddef>
#include <cstdint>
#include <string>

#include "stages/decode/decode_stage.h"
#include "stages/extract/extract_stage.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsd;
  static const ExtractConfig config;
  static ExtractStage stage(config);  // keeps its buffers between pages, as in a worker
  Article a;
  decode::sanitize_utf8(std::string_view(reinterpret_cast<const char*>(data), size), a.html);
  a.url = "https://fuzz.example/news/2024/05/01/story";
  a.fetched_at = "2024-05-01T10:00:00Z";
  (void)stage.process(a);
  for (const std::string* s : {&a.title, &a.text, &a.canonical_url, &a.language, &a.published_at, &a.modified_at,
                               &a.site_name, &a.description, &a.image, &a.section, &a.id})
    fuzz::check_utf8(*s, "extracted field is not UTF-8");
  for (const auto& list : {a.authors, a.tags})
    for (const std::string& s : list) fuzz::check_utf8(s, "extracted list item is not UTF-8");
  fuzz::check(a.word_count >= 0, "negative word count");
  return 0;
}
