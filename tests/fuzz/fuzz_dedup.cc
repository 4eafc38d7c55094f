// Fuzz target: dedup fingerprinting (normalisation, word breaking, simhash,
// MinHash, content hash) on arbitrary text. The same text must give the same
// fingerprint twice (the fingerprinter keeps scratch between calls).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "stages/decode/decode_stage.h"
#include "stages/dedup/fingerprint.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsd;
  static const std::unique_ptr<dedup::Fingerprinter> fp = [] {
    std::string error;
    auto f = dedup::Fingerprinter::create(4, error);
    if (!f) fuzz::fail("cannot create the fingerprinter", error);
    return f;
  }();
  std::string text;
  decode::sanitize_utf8(std::string_view(reinterpret_cast<const char*>(data), size), text);
  const dedup::Fingerprint a = fp->compute(text);
  const dedup::Fingerprint b = fp->compute(text);
  fuzz::check(a.simhash == b.simhash && a.content_hi == b.content_hi && a.content_lo == b.content_lo &&
                  a.minhash == b.minhash && a.words == b.words,
              "fingerprint differs on the same text", text);
  for (const std::string& w : fp->words(text)) fuzz::check_utf8(w, "normalised word is not UTF-8");
  return 0;
}
