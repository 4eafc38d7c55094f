#include "stages/extract/extract_stage.h"

#include <algorithm>

#include "stages/deadline.h"
#include "stages/extract/content.h"
#include "stages/extract/html_tree.h"
#include "stages/extract/language.h"
#include "stages/extract/metadata.h"
#include "stages/extract/page_index.h"
#include "stages/extract/page_type.h"
#include "stages/extract/preclean.h"
#include "stages/extract/script_data.h"
#include "stages/extract/site.h"
#include "stages/extract/text_util.h"

namespace newsd {

struct ExtractStage::Buffers {
  extract::Precleaned clean;
  extract::HtmlTree tree;
  extract::PageIndex index;
  extract::ContentResult content;
  extract::ContentResult second_reading;
  extract::MetadataReader meta_reader;
  extract::Metadata meta;
  // A body found only in the scripts' data, read as a page of its own.
  std::string script_html;
  extract::Precleaned script_clean;
  extract::HtmlTree script_tree;
  extract::PageIndex script_index;
  extract::ContentResult script_content;
};

namespace {

// Pages that render their body with JavaScript often still carry it as
// JSON-LD articleBody. Take it when the markup gave less than half of it.
void use_json_ld_body_if_richer(std::string_view body, extract::ContentResult& content) {
  using namespace extract;
  const int64_t body_cp = code_points(body);
  if (body_cp < 500 || code_points(content.text) * 2 >= body_cp) return;
  std::string text;
  size_t i = 0;
  while (i < body.size()) {
    size_t j = body.find('\n', i);
    if (j == std::string_view::npos) j = body.size();
    const std::string line = trim_unicode(body.substr(i, j - i));
    if (!line.empty()) {
      if (!text.empty()) text += "\n\n";
      text += line;
    }
    i = j + 1;
  }
  content.text = std::move(text);
  content.paragraphs = std::max(content.paragraphs, 1);
}

}  // namespace

ExtractStage::ExtractStage(const ExtractConfig& config) : config_(config), buf_(std::make_unique<Buffers>()) {}
ExtractStage::~ExtractStage() = default;

Status ExtractStage::analyse(std::string_view html, std::string_view url, bool keep_noscript) {
  using namespace extract;
  Buffers& b = *buf_;
  // Each step stops early once the page is past limits.max_page_ms; its
  // partial result goes no further.
  const auto out_of_time = [] {
    return PageDeadline::expired() ? timeout("extract ran past limits.max_page_ms") : Status::ok();
  };
  preclean(html, config_.max_depth, b.clean, keep_noscript);
  if (Status s = out_of_time(); !s.is_ok()) return s;
  const GumboNode* root = b.tree.parse(b.clean.html);
  if (Status s = out_of_time(); !s.is_ok()) return s;
  b.index.build(root);
  if (Status s = out_of_time(); !s.is_ok()) return s;

  // The title is needed to drop its repetition from the text, and the text's
  // roots to judge where a <time> in the body belongs.
  b.meta_reader.read(root, b.clean.json_ld, b.index, url, b.meta);
  extract_content(b.index, b.meta.title, b.content);
  // Too little text: read again without trusting class names, and keep that
  // reading when it finds a body.
  if (code_points(b.content.text) < config_.min_text_chars) {
    extract_content(b.index, b.meta.title, b.second_reading, false);
    if (code_points(b.second_reading.text) >= config_.min_text_chars) std::swap(b.content, b.second_reading);
  }
  b.meta_reader.read_body_date(b.index, b.content.roots, url, b.meta);
  b.meta_reader.read_body_authors(b.index, b.content.roots, b.meta);
  use_json_ld_body_if_richer(b.meta.json_ld_body, b.content);
  if (code_points(b.content.text) < config_.min_text_chars && !b.clean.data_scripts.empty()) {
    if (Status s = out_of_time(); !s.is_ok()) return s;
    use_script_data_body(html);
  }
  return out_of_time();
}

// Pages rendered by JavaScript may hold their only copy of the body as an
// HTML string in a script's JSON. Its text replaces a shorter reading; the
// roots stay those of the markup, which the page signals are read from.
void ExtractStage::use_script_data_body(std::string_view html) {
  using namespace extract;
  Buffers& b = *buf_;
  b.script_html = html_in_script_data(html, b.clean.data_scripts);
  if (b.script_html.empty()) return;
  preclean(b.script_html, config_.max_depth, b.script_clean);
  b.script_index.build(b.script_tree.parse(b.script_clean.html));
  extract_content(b.script_index, b.meta.title, b.script_content);
  if (code_points(b.script_content.text) <= code_points(b.content.text)) return;
  b.content.text = std::move(b.script_content.text);
  b.content.paragraphs = std::max(b.content.paragraphs, b.script_content.paragraphs);
}

Status ExtractStage::process(Article& a) {
  using namespace extract;
  Buffers& b = *buf_;
  if (Status s = analyse(a.html, a.url, false); !s.is_ok()) return s;
  // A page that renders its body with JavaScript may hold its only copy in
  // <noscript>: read it again with those unwrapped when the first reading
  // found too little text, and keep the richer reading.
  if (b.clean.noscript_bytes > 0 && code_points(b.content.text) < config_.min_text_chars) {
    const int64_t before = code_points(b.content.text);
    if (Status s = analyse(a.html, a.url, true); !s.is_ok()) return s;
    if (code_points(b.content.text) <= before) {
      if (Status s = analyse(a.html, a.url, false); !s.is_ok()) return s;
    }
  }
  Metadata& m = b.meta;
  const PageSignals signals = page_signals(b.index, b.content, m, a.url);
  const PageType type = classify_page(signals);
  a.canonical_url = std::move(m.canonical_url);
  // A canonical on another site is kept as a field but does not name the
  // page: else any site could take over another's article id (and its dedup
  // entry) by declaring that site's URL canonical.
  const bool own = !a.canonical_url.empty() && same_site(a.url, a.canonical_url);
  a.id = article_id(own ? a.canonical_url : a.url);
  a.title = std::move(m.title);
  a.text = std::move(b.content.text);
  a.html_lang = std::move(m.html_lang);
  a.authors = std::move(m.authors);
  a.published_at = std::move(m.published_at);
  a.modified_at = std::move(m.modified_at);
  a.date_source = std::move(m.date_source);
  a.site_name = std::move(m.site_name);
  a.description = std::move(m.description);
  a.image = std::move(m.image);
  a.section = std::move(m.section);
  a.tags = std::move(m.tags);
  to_nfc(a.title);
  to_nfc(a.text);
  a.word_count = count_words(a.text);
  a.page_type = std::string(page_type_name(type));
  const std::string declared = !a.html_lang.empty() ? a.html_lang : m.json_ld_language;
  a.language =
      config_.detect_language ? detect_language(a.text.empty() ? a.title : a.text, declared) : primary_subtag(declared);

  if (type == PageType::kListing)
    return not_an_article("a listing (home, section, tag or search page): " + std::to_string(signals.body_teasers) +
                          " headline links and " + std::to_string(signals.body_prose) + " paragraphs of prose");
  // A page that declares itself an article and shows its headline or date is
  // one whatever its length: a brief, a photo post, or a paywalled or
  // script-rendered page whose body is not in the HTML, whose title, date and
  // authors are still worth having (dedup marks a short text too_short).
  // Other pages need extract.min_text_chars of text in a paragraph of prose.
  const int64_t cp = code_points(a.text);
  const bool sure = signals.declared_article && (signals.own_headline || signals.dated);
  if (!sure && (b.content.paragraphs == 0 || cp < config_.min_text_chars))
    return no_article("main text is " + std::to_string(cp) + " code points in " + std::to_string(b.content.paragraphs) +
                      " paragraphs; need " + std::to_string(config_.min_text_chars) +
                      " (extract.min_text_chars) or a page that declares itself an article");
  return Status::ok();
}

}  // namespace newsd
