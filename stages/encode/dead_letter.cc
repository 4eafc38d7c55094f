#include "stages/encode/dead_letter.h"

namespace newsd {

DeadLetter make_dead_letter(const Article& article, const Status& status, std::string_view stage, size_t max_payload) {
  DeadLetter out;
  out.headers = {{"newsd-error", status.to_string()},
                 {"newsd-stage", std::string(stage)},
                 {"newsd-reason", std::string(status_code_name(status.code()))},
                 {"newsd-source-topic", article.source.topic},
                 {"newsd-source-partition", std::to_string(article.source.partition)},
                 {"newsd-source-offset", std::to_string(article.source.offset)}};
  if (!article.input.url.empty()) out.headers.emplace_back("url", article.input.url);
  if (!article.input.content_type.empty()) out.headers.emplace_back("content-type", article.input.content_type);
  if (!article.input.fetched_at.empty()) out.headers.emplace_back("fetched-at", article.input.fetched_at);
  out.payload = article.input.payload;
  if (out.payload.size() > max_payload) {
    out.headers.emplace_back("newsd-truncated-from", std::to_string(out.payload.size()));
    out.payload = out.payload.substr(0, max_payload);
  }
  return out;
}

}  // namespace newsd
