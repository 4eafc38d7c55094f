// DecodeStage: turns the raw input into a UTF-8 HTML page.
//
// Input is either raw HTML bytes or a crawler record (JSON):
//   {"url": "...", "html": "..." | "html_base64": "...", "fetched_at": "RFC 3339",
//    "http_headers": {"content-type": "text/html; charset=..."}, "status": 200}
// `url` and one of `html`/`html_base64` are required.
//
// The page is converted to UTF-8 using, in order: a byte-order mark, the HTTP
// content-type charset, <meta charset>/http-equiv, then ICU's detector. A
// declared charset the bytes contradict is overruled by what the bytes are.
// Invalid sequences become U+FFFD and are counted.
//
// Failures (each a dead letter): kInvalidEnvelope for a malformed record;
// kNotHtml for empty, binary or non-HTML payloads; kTooLarge over
// limits.max_page_bytes.
//
// Stateless; one instance per worker.
#pragma once

#include <string>
#include <string_view>

#include "stages/decode/decode_config.h"
#include "stages/stage.h"

namespace newsd {

class DecodeStage final : public Stage {
 public:
  explicit DecodeStage(const LimitsConfig& limits) : limits_(limits) {}
  std::string_view name() const override { return "decode"; }
  Status process(Article& article) override;

 private:
  LimitsConfig limits_;
};

// Parts of decoding, exposed for tests.
namespace decode {

struct Envelope {
  std::string url;
  std::string html;
  std::string fetched_at;
  std::string content_type;
  int status = 0;
};

// True when the payload looks like a JSON crawler record rather than HTML.
bool looks_like_record(std::string_view payload);

// Parses a crawler record; errors name the field.
Status parse_envelope(std::string_view json, Envelope& out);

// The charset parameter of a Content-Type value, lower-cased; empty if none.
std::string charset_from_content_type(std::string_view content_type);

// The charset declared by <meta charset> or http-equiv in the page's head.
std::string charset_from_meta(std::string_view html);

// Converts `bytes` in `charset` to UTF-8; returns the number of U+FFFD
// substitutions made, or -1 if ICU does not know the charset.
int64_t convert_to_utf8(std::string_view bytes, const std::string& charset, std::string& out);

// Copies valid UTF-8 through and replaces each invalid sequence with U+FFFD.
// Returns the number of invalid bytes.
int64_t sanitize_utf8(std::string_view in, std::string& out);

// ICU's best guess for the charset of `bytes`, or "" when it has none.
std::string detect_charset(std::string_view bytes);

bool base64_decode(std::string_view in, std::string& out);

}  // namespace decode
}  // namespace newsd
