// Fuzz target: the decode stage on arbitrary payloads (crawler-record JSON
// envelope, base64, charset labels and detection, HTTP headers). Whatever the
// bytes, decode returns a Status, and an accepted page is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include "stages/decode/decode_stage.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsd;
  static const LimitsConfig limits;
  std::string payload(reinterpret_cast<const char*>(data), size);
  // The first line, when it starts with '#', is a Content-Type header: the
  // fuzzer reaches the HTTP charset path too.
  Article a;
  if (payload.size() > 1 && payload[0] == '#') {
    const size_t nl = payload.find('\n');
    a.input.content_type = payload.substr(1, nl == std::string::npos ? std::string::npos : nl - 1);
    payload.erase(0, nl == std::string::npos ? payload.size() : nl + 1);
  }
  a.input.payload = std::move(payload);
  a.input.url = "https://fuzz.example/a";
  DecodeStage stage(limits);
  const Status s = stage.process(a);
  if (s.is_ok()) {
    fuzz::check_utf8(a.html, "decoded html is not UTF-8");
    fuzz::check_utf8(a.charset, "charset is not UTF-8");
    fuzz::check_utf8(a.url, "url is not UTF-8");
  }
  decode::Envelope env;
  (void)decode::parse_envelope(a.input.payload, env);
  return 0;
}
