#include "stages/article.h"

#include <cctype>
#include <cstdio>
#include <iterator>

#include <xxhash.h>

namespace newsd {

namespace {
constexpr std::string_view kEntityTypeNames[] = {"PERSON", "ORG", "LOC", "NORP", "EVENT"};
constexpr std::string_view kEntitySourceNames[] = {"gazetteer", "rule", "model"};
constexpr std::string_view kDedupStatusNames[] = {"unique",   "exact_duplicate", "near_duplicate",
                                                  "same_url", "updated",         "too_short"};
}  // namespace

std::string_view entity_type_name(EntityType type) {
  return kEntityTypeNames[static_cast<size_t>(type)];
}

bool parse_entity_type(std::string_view name, EntityType& out) {
  for (size_t i = 0; i < std::size(kEntityTypeNames); ++i) {
    if (name == kEntityTypeNames[i]) {
      out = static_cast<EntityType>(i);
      return true;
    }
  }
  return false;
}

std::string_view entity_source_name(EntitySource source) {
  return kEntitySourceNames[static_cast<size_t>(source)];
}

std::string_view dedup_status_name(DedupStatus status) {
  return kDedupStatusNames[static_cast<size_t>(status)];
}

std::string SourceRef::describe() const {
  if (is_kafka()) return topic + "/" + std::to_string(partition) + "@" + std::to_string(offset);
  if (line > 0) return file + ":" + std::to_string(line);
  return file;
}

std::string article_id(std::string_view url) {
  std::string norm(url.substr(0, url.find('#')));
  // Lower-case scheme and host: "HTTPS://Example.COM/Path" and
  // "https://example.com/Path" are the same page.
  const size_t scheme_end = norm.find("://");
  const size_t host_end = scheme_end == std::string::npos ? 0 : norm.find('/', scheme_end + 3);
  const size_t lower_to = scheme_end == std::string::npos ? 0 : (host_end == std::string::npos ? norm.size() : host_end);
  for (size_t i = 0; i < lower_to; ++i) norm[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(norm[i])));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH3_64bits(norm.data(), norm.size())));
  return buf;
}

}  // namespace newsd
