// Status: the result of one step on the per-message path.
//
// newsd never throws on the per-message path. A stage returns a Status; the
// pipeline decides the policy (dead letter, metric, drop) from the code. The
// code names the class of failure, the message says what was wrong with this
// page, in words a user can act on.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace newsd {

enum class StatusCode {
  kOk,
  kInvalidEnvelope,  // crawler record is not valid JSON or lacks a field
  kNotHtml,          // binary, empty, or otherwise not a web page
  kTooLarge,         // over a configured size or depth limit
  kNoArticle,        // a page, but nothing on it is an article
  kNotAnArticle,     // a listing of articles (home, section, tag, search page), not one article
  kDropped,          // deliberately not published (e.g. dedup.drop); not a failure
  kRejected,         // the broker refused the page's output record (invalid record, policy)
  kTimeout,          // took longer than limits.max_page_ms
  kInternal,         // a bug or an unexpected library failure
};

std::string_view status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "not_html: payload is binary (12% control bytes)"
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalid_envelope(std::string msg) { return {StatusCode::kInvalidEnvelope, std::move(msg)}; }
inline Status not_html(std::string msg) { return {StatusCode::kNotHtml, std::move(msg)}; }
inline Status too_large(std::string msg) { return {StatusCode::kTooLarge, std::move(msg)}; }
inline Status no_article(std::string msg) { return {StatusCode::kNoArticle, std::move(msg)}; }
inline Status not_an_article(std::string msg) { return {StatusCode::kNotAnArticle, std::move(msg)}; }
inline Status timeout(std::string msg) { return {StatusCode::kTimeout, std::move(msg)}; }
inline Status internal_error(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
// Inside a catch block: the exception being handled as an internal error
// ("exception: " + what()); without a message when even that cannot be built.
Status current_exception_status() noexcept;

}  // namespace newsd
