#include "stages/status.h"

namespace newsd {

std::string_view status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidEnvelope: return "invalid_envelope";
    case StatusCode::kNotHtml: return "not_html";
    case StatusCode::kTooLarge: return "too_large";
    case StatusCode::kNoArticle: return "no_article";
    case StatusCode::kNotAnArticle: return "not_an_article";
    case StatusCode::kDropped: return "dropped";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::to_string() const {
  std::string out(status_code_name(code_));
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace newsd
