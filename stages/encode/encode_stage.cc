#include "stages/encode/encode_stage.h"

#include <map>

#include "stages/encode/json_writer.h"

#ifndef NEWSD_VERSION
#define NEWSD_VERSION "0.0.0"
#endif

namespace newsd {
namespace {

void write_source(JsonWriter& w, const SourceRef& src) {
  w.key("source").begin_object();
  if (src.is_kafka()) {
    w.key("topic").string(src.topic);
    w.key("partition").number(int64_t{src.partition});
    w.key("offset").number(src.offset);
  } else {
    w.key("file").string(src.file);
    if (src.line > 0) w.key("line").number(src.line);
    else w.key("line").null();
  }
  w.end_object();
}

void write_dedup(JsonWriter& w, const std::optional<DedupVerdict>& d) {
  w.key("dedup");
  if (!d) {
    w.null();
    return;
  }
  w.begin_object();
  w.key("status").string(dedup_status_name(d->status));
  w.key("simhash").string_or_null(d->simhash);
  w.key("content_hash").string_or_null(d->content_hash);
  w.key("duplicate_of").string_or_null(d->duplicate_of);
  w.key("cluster_id").string_or_null(d->cluster_id);
  w.key("distance");
  if (d->distance) w.number(int64_t{*d->distance});
  else w.null();
  w.key("similarity");
  if (d->similarity) w.number(*d->similarity);
  else w.null();
  w.end_object();
}

void write_entities(JsonWriter& w, const Article& a) {
  w.key("entities");
  if (!a.tagged) {
    w.null();
    w.key("entity_summary").null();
    return;
  }
  w.begin_array();
  struct Summary {
    const Entity* first;
    int64_t count;
  };
  std::map<std::string, Summary> by_id;
  for (const Entity& e : a.entities) {
    write_entity(w, e);
    if (!e.id.empty()) {
      auto [it, inserted] = by_id.try_emplace(e.id, Summary{&e, 0});
      ++it->second.count;
    }
  }
  w.end_array();
  w.key("entity_summary").begin_array();
  for (const auto& [id, s] : by_id) {
    w.begin_object();
    w.key("id").string(id);
    w.key("type").string(entity_type_name(s.first->type));
    w.key("canonical").string_or_null(s.first->canonical);
    w.key("count").number(s.count);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

void write_entity(JsonWriter& w, const Entity& e) {
  w.begin_object();
  w.key("text").string(e.text);
  w.key("type").string(entity_type_name(e.type));
  w.key("start").number(e.start);
  w.key("end").number(e.end);
  w.key("id").string_or_null(e.id);
  w.key("canonical").string_or_null(e.canonical);
  w.key("source").string(entity_source_name(e.source));
  w.end_object();
}

Status EncodeStage::process(Article& a) {
  a.json.clear();
  a.json.reserve(a.text.size() + a.title.size() + 1024);
  JsonWriter w(a.json);
  w.begin_object();
  w.key("schema").string(kArticleSchema);
  w.key("id").string(a.id);
  w.key("url").string_or_null(a.url);
  w.key("canonical_url").string_or_null(a.canonical_url);
  w.key("fetched_at").string_or_null(a.fetched_at);
  w.key("title").string(a.title);
  w.key("text").string(a.text);
  w.key("language").string_or_null(a.language);
  w.key("authors").string_array(a.authors);
  w.key("published_at").string_or_null(a.published_at);
  w.key("modified_at").string_or_null(a.modified_at);
  w.key("date_source").string_or_null(a.date_source);
  w.key("site_name").string_or_null(a.site_name);
  w.key("description").string_or_null(a.description);
  w.key("image").string_or_null(a.image);
  w.key("section").string_or_null(a.section);
  w.key("tags").string_array(a.tags);
  w.key("word_count").number(a.word_count);
  w.key("page_type").string(a.page_type.empty() ? "article" : a.page_type);
  write_dedup(w, a.dedup);
  write_entities(w, a);
  write_source(w, a.source);
  w.key("processing").begin_object();
  w.key("version").string(NEWSD_VERSION);
  w.key("charset").string_or_null(a.charset);
  w.key("charset_source").string_or_null(a.charset_source);
  w.key("invalid_bytes_replaced").number(a.invalid_bytes_replaced);
  w.key("stage_us").begin_object();
  for (const StageTiming& t : a.timings) w.key(t.stage).number(t.micros);
  w.end_object();
  w.end_object();
  w.end_object();
  return Status::ok();
}

}  // namespace newsd
