#include "stages/status.h"

#include <exception>

namespace newsd {

std::string_view status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidEnvelope:
      return "invalid_envelope";
    case StatusCode::kNotHtml:
      return "not_html";
    case StatusCode::kTooLarge:
      return "too_large";
    case StatusCode::kNoArticle:
      return "no_article";
    case StatusCode::kNotAnArticle:
      return "not_an_article";
    case StatusCode::kDropped:
      return "dropped";
    case StatusCode::kRejected:
      return "rejected";
    case StatusCode::kTimeout:
      return "timeout";
    case StatusCode::kInternal:
      return "internal";
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

Status current_exception_status() noexcept {
  try {
    throw;
  } catch (const std::exception& e) {
    try {
      return internal_error(std::string("exception: ") + e.what());
    } catch (...) {
      // Out of memory for the message: the reason alone still says what.
    }
  } catch (...) {
  }
  return Status(StatusCode::kInternal, {});
}

}  // namespace newsd
