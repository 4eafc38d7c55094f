// Article: one page on its way through the stage chain.
//
// The pipeline owns the Article and every stage changes it in place. Fields are
// grouped by the stage that fills them; a stage reads only what earlier stages
// wrote. All strings are UTF-8 once decode has run. Offsets into `text` are in
// Unicode code points (documented in the output schema), never bytes.
//
// Thread-safety: an Article is touched by one worker at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace newsd {

// Where the page came from. Exactly one of the two forms is set.
struct SourceRef {
  // `newsd process`: the input file and, for JSON Lines input, the 1-based line.
  std::string file;
  int64_t line = 0;
  // `newsd run`: the Kafka record.
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;

  bool is_kafka() const { return !topic.empty(); }
  std::string describe() const;  // "file.html", "in.jsonl:12" or "topic/3@1234"
};

// Input as it arrived: payload bytes and side-channel metadata (Kafka headers,
// --url on the command line). Decode turns it into the fields below.
struct RawInput {
  std::string payload;       // raw HTML or a crawler record (JSON)
  std::string url;           // from a header or the command line; the record's own wins
  std::string content_type;  // HTTP Content-Type, if known
  std::string fetched_at;    // RFC 3339, if known
};

// Named-entity types; entity_type_name gives the output schema's names
// (PERSON, ORG, LOC, NORP, EVENT).
enum class EntityType : uint8_t { kPerson, kOrg, kLoc, kNorp, kEvent };
std::string_view entity_type_name(EntityType type);
bool parse_entity_type(std::string_view name, EntityType& out);

// Which part of the tag stage found an entity, in the order of trust
// (gazetteer, rule, model) the tagger ranks them by.
enum class EntitySource : uint8_t { kGazetteer, kRule, kModel };
std::string_view entity_source_name(EntitySource source);

struct Entity {
  std::string text;
  EntityType type = EntityType::kPerson;
  int64_t start = 0;      // code-point offset into Article::text
  int64_t end = 0;        // exclusive
  std::string id;         // Wikidata QID or namespaced id; empty = null
  std::string canonical;  // canonical name; empty = null
  EntitySource source = EntitySource::kGazetteer;
};

// The dedup verdict; dedup_status_name gives the output schema's names.
enum class DedupStatus : uint8_t { kUnique, kExactDuplicate, kNearDuplicate, kSameUrl, kUpdated, kTooShort };
std::string_view dedup_status_name(DedupStatus status);

struct DedupVerdict {
  DedupStatus status = DedupStatus::kUnique;
  std::string simhash;       // 16 hex digits
  std::string content_hash;  // 32 hex digits
  std::string duplicate_of;  // article id of the first copy; empty = null
  std::string cluster_id;
  std::optional<int> distance;
  std::optional<double> similarity;
};

// Stable article id: 16 hex digits of a 64-bit hash of the URL (scheme and
// host lower-cased, fragment dropped), so a page keeps its id across
// re-crawls and replicas.
std::string article_id(std::string_view url);

struct StageTiming {
  const char* stage;
  int64_t micros;
};

struct Article {
  // --- input (set by the source before the chain runs)
  RawInput input;
  SourceRef source;
  uint64_t sequence = 0;  // position in the input order of this run (process mode: input order)

  // --- decode
  std::string html;            // the page as UTF-8
  std::string charset;         // charset the bytes were in ("utf-8", "windows-1252", ...)
  std::string charset_source;  // bom | http | meta | detected | default
  int64_t invalid_bytes_replaced = 0;
  std::string url;
  std::string fetched_at;
  int http_status = 0;

  // --- extract
  std::string id;  // stable, from canonical_url (or url)
  std::string canonical_url;
  std::string title;
  std::string text;  // paragraphs separated by "\n\n"
  std::string language;
  std::string html_lang;
  std::vector<std::string> authors;
  std::string published_at;  // ISO 8601 with offset; empty = null
  std::string modified_at;
  std::string date_source;  // json-ld | meta | time-element | url | text; empty = null
  std::string site_name;
  std::string description;
  std::string image;
  std::string section;
  std::vector<std::string> tags;
  int64_t word_count = 0;
  std::string page_type;  // article | other (a listing never gets past extract)

  // --- dedup
  std::optional<DedupVerdict> dedup;
  // The fingerprint record the index accepted for this page (encoded as in
  // stages/dedup/fingerprint_log.h, key: dedup_key), for `newsd run` to
  // publish to dedup.state_topic with the page's output; empty when the page
  // was a copy, too short, or seen before at this position.
  std::string dedup_key, dedup_record;

  // --- tag
  std::vector<Entity> entities;
  bool tagged = false;

  // --- bookkeeping
  std::vector<StageTiming> timings;

  // --- encode
  std::string json;  // the published record, one line, no trailing newline
};

}  // namespace newsd
