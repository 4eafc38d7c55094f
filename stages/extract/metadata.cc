#include "stages/extract/metadata.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "stages/extract/authors.h"
#include "stages/extract/dates.h"
#include "stages/extract/html_tree.h"
#include "stages/extract/site.h"
#include "stages/extract/text_util.h"

namespace newsd::extract {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

std::string_view str(element e) {
  std::string_view sv;
  if (!e.get(sv)) return sv;
  return {};
}

bool type_matches(element obj, std::initializer_list<std::string_view> names) {
  element t;
  if (obj["@type"].get(t)) return false;
  auto match = [&](std::string_view v) {
    for (std::string_view n : names)
      if (v.find(n) != std::string_view::npos) return true;
    return false;
  };
  if (t.is_string()) return match(str(t));
  array a;
  if (!t.get(a))
    for (element x : a)
      if (x.is_string() && match(str(x))) return true;
  return false;
}

// Name of a Person/Organization value: "Name", {"name": ...}, or {"@id": ...} resolved by `people`.
void collect_names(element v, const std::map<std::string, std::string, std::less<>>& people,
                   std::vector<std::string>& out) {
  auto one = [&](element x) {
    std::string name;
    if (x.is_string()) {
      name = trim_unicode(str(x));
    } else if (x.is_object()) {
      element n;
      if (!x["name"].get(n)) {
        if (n.is_string())
          name = trim_unicode(str(n));
        else if (n.is_array()) {
          array na;
          if (!n.get(na))
            for (element y : na)
              if (y.is_string()) {
                name = trim_unicode(str(y));
                break;
              }
        }
      } else if (!x["@id"].get(n)) {
        auto it = people.find(str(n));
        if (it != people.end()) name = it->second;
      }
    }
    if (!name.empty()) add_author(out, name);
  };
  array a;
  if (!v.get(a)) {
    for (element x : a) one(x);
  } else {
    one(v);
  }
}

std::string first_url(element v) {
  if (v.is_string()) return std::string(str(v));
  element u;
  if (v.is_object() && !v["url"].get(u) && u.is_string()) return std::string(str(u));
  array a;
  if (!v.get(a))
    for (element x : a) {
      std::string s = first_url(x);
      if (!s.empty()) return s;
    }
  return {};
}

void string_list(element v, std::vector<std::string>& out, bool split_commas) {
  auto add = [&](std::string_view s) {
    if (!split_commas) {
      std::string t = trim_unicode(s);
      if (!t.empty()) out.push_back(std::move(t));
      return;
    }
    size_t i = 0;
    while (i <= s.size()) {
      const size_t j = std::min(s.find(',', i), s.size());
      std::string t = trim_unicode(s.substr(i, j - i));
      if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(std::move(t));
      i = j + 1;
    }
  };
  if (v.is_string()) {
    add(str(v));
    return;
  }
  array a;
  if (!v.get(a))
    for (element x : a)
      if (x.is_string()) add(str(x));
}

std::string lang_primary(std::string_view tag) {
  std::string out;
  for (char c : trim(tag)) {
    if (c == '-' || c == '_') break;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (out.size() < 2 || out.size() > 3) return {};
  return out;
}

std::string host_of(std::string_view url) {
  const size_t s = url.find("://");
  if (s == std::string_view::npos) return {};
  const size_t b = s + 3;
  const size_t e = url.find_first_of("/?#:", b);
  return ascii_lower(url.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
}

std::string absolute_url(std::string_view href, std::string_view base) {
  href = trim(href);
  if (href.empty()) return {};
  if (href.starts_with("http://") || href.starts_with("https://")) return std::string(href);
  const size_t s = base.find("://");
  if (s == std::string_view::npos) return {};
  if (href.starts_with("//")) return std::string(base.substr(0, s + 1)) + std::string(href);
  if (href.front() == '/') {
    const size_t e = base.find('/', s + 3);
    return std::string(base.substr(0, e)) + std::string(href);
  }
  return {};
}

}  // namespace

std::string MetadataReader::strip_site_suffix(std::string_view title, std::string_view site_name) {
  std::string t = trim_unicode(title);
  static constexpr std::array<std::string_view, 8> kSeps{" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · "};
  for (int round = 0; round < 3; ++round) {
    size_t best = std::string::npos, sep_len = 0;
    for (std::string_view sep : kSeps) {
      const size_t p = t.rfind(sep);
      if (p != std::string::npos && (best == std::string::npos || p > best)) best = p, sep_len = sep.size();
    }
    if (best == std::string::npos || best == 0) break;
    const std::string_view head = std::string_view(t).substr(0, best);
    const std::string_view tail = std::string_view(t).substr(best + sep_len);
    const bool is_site = !site_name.empty() && (similar_title(tail, site_name));
    const bool short_tail =
        count_words(tail) <= 3 && count_words(head) >= 3 && code_points(tail) * 3 < code_points(head);
    if (!is_site && !short_tail) break;
    t = trim_unicode(head);
  }
  return t;
}

namespace {
// The string after the first `key` in text, as in `key: "value"`; empty if
// the key is not followed by a colon and a quoted string.
std::string_view quoted_value_after(std::string_view text, std::string_view key) {
  size_t i = text.find(key);
  if (i == std::string_view::npos) return {};
  i += key.size();
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  };
  skip_space();
  if (i >= text.size() || text[i] != ':') return {};
  ++i;
  skip_space();
  if (i >= text.size() || text[i] != '"') return {};
  const size_t end = text.find('"', i + 1);
  if (end == std::string_view::npos || end - i > 64) return {};
  return text.substr(i + 1, end - i - 1);
}
}  // namespace

void MetadataReader::read_json_ld(const std::vector<std::string>& blobs, Metadata& out, std::string& headline) {
  std::vector<element> article_objs, other_objs;
  json_ld_any_published_.clear();
  std::map<std::string, std::string, std::less<>> people;
  std::string website_name, publisher_name, broken_published, broken_modified;
  for (const std::string& blob : blobs) {
    element doc;
    if (parser_.parse(blob).get(doc)) {
      // Invalid JSON-LD is common (a stray brace, a raw line break); its
      // dates are still plain "key": "value" pairs, taken when no valid
      // block has one.
      for (auto [key, field] : {std::pair{"\"datePublished\"", &broken_published},
                                std::pair{"\"dateModified\"", &broken_modified}})
        if (field->empty()) *field = normalize_date(quoted_value_after(blob, key));
      continue;
    }
    std::vector<element> objs;
    auto add = [&](element e) {
      if (e.is_object()) {
        objs.push_back(e);
        element g;
        array ga;
        if (!e["@graph"].get(g) && !g.get(ga))
          for (element x : ga)
            if (x.is_object()) objs.push_back(x);
        // The page object may hold the dates the article object lacks.
        for (const char* key : {"mainEntity", "mainEntityOfPage"}) {
          element me;
          if (!e[key].get(me) && me.is_object()) objs.push_back(me);
        }
      }
    };
    array top;
    if (!doc.get(top)) {
      for (element x : top) add(x);
    } else {
      add(doc);
    }
    for (element o : objs) {
      element v;
      if (type_matches(o, {"Person"}) && !o["@id"].get(v)) {
        element n;
        if (!o["name"].get(n) && n.is_string()) people[std::string(str(v))] = trim_unicode(str(n));
      }
      if (type_matches(o, {"WebSite"}) && !o["name"].get(v) && website_name.empty()) website_name = str(v);
      if (type_matches(o, {"CollectionPage", "ItemList", "SearchResultsPage"})) out.json_ld_collection = true;
      if (type_matches(o, {"Article", "BlogPosting", "Report", "Posting", "NewsArticle"})) {
        article_objs.push_back(o);
        out.json_ld_article = true;
      } else if (type_matches(o, {"WebPage", "ItemPage"})) {
        other_objs.push_back(o);
      } else if (json_ld_any_published_.empty() && !o["datePublished"].get(v)) {
        json_ld_any_published_ = normalize_date(str(v));
      }
    }
    // Read everything now: `doc` is only valid until the next parse.
    for (const auto* list : {&article_objs, &other_objs}) {
      for (element o : *list) {
        element v;
        const bool art = list == &article_objs;
        if (art && headline.empty() && !o["headline"].get(v)) headline = trim_unicode(str(v));
        if (art && headline.empty() && !o["name"].get(v)) headline = trim_unicode(str(v));
        if (out.published_at.empty() && !o["datePublished"].get(v)) {
          out.published_at = normalize_date(str(v));
          if (!out.published_at.empty()) out.date_source = "json-ld";
        }
        if (out.modified_at.empty() && !o["dateModified"].get(v)) out.modified_at = normalize_date(str(v));
        if (art && out.authors.empty() && !o["author"].get(v)) collect_names(v, people, out.authors);
        if (art && out.authors.empty() && !o["creator"].get(v)) collect_names(v, people, out.authors);
        if (out.description.empty() && !o["description"].get(v)) out.description = trim_unicode(unescape_html(str(v)));
        if (out.image.empty() && !o["image"].get(v)) out.image = first_url(v);
        if (art && out.section.empty() && !o["articleSection"].get(v)) {
          std::vector<std::string> s;
          string_list(v, s, false);
          if (!s.empty()) out.section = s.front();
        }
        if (art && out.tags.empty() && !o["keywords"].get(v)) string_list(v, out.tags, true);
        if (art && out.json_ld_language.empty() && !o["inLanguage"].get(v)) out.json_ld_language = lang_primary(str(v));
        if (art && out.json_ld_body.empty() && !o["articleBody"].get(v)) out.json_ld_body = str(v);
        if (art && publisher_name.empty() && !o["publisher"].get(v) && v.is_object()) {
          element n;
          if (!v["name"].get(n)) publisher_name = trim_unicode(str(n));
        }
      }
    }
    article_objs.clear();
    other_objs.clear();
  }
  if (out.site_name.empty()) out.site_name = !website_name.empty() ? trim_unicode(website_name) : publisher_name;
  if (out.published_at.empty() && !broken_published.empty()) {
    out.published_at = std::move(broken_published);
    out.date_source = "json-ld";
  }
  if (out.modified_at.empty()) out.modified_at = std::move(broken_modified);
}

void MetadataReader::read(const GumboNode* root, const std::vector<std::string>& json_ld, const PageIndex& index,
                          std::string_view url, Metadata& out) {
  out = Metadata{};
  std::string ld_headline;
  read_json_ld(json_ld, out, ld_headline);
  const std::string ld_site = out.site_name;
  out.site_name.clear();

  // <meta>, <link rel=canonical>, <title>, <html lang>: the head is shallow,
  // and body metas are in the index.
  std::map<std::string, std::string, std::less<>> meta;
  std::vector<std::string> meta_tags;
  std::string title_tag, canonical;
  auto on_element = [&](const GumboNode* n) {
    const GumboTag tag = n->v.element.tag;
    if (tag == GUMBO_TAG_META) {
      std::string_view key = attr(n, "property");
      if (key.empty()) key = attr(n, "name");
      if (key.empty()) key = attr(n, "itemprop");
      const std::string_view content = attr(n, "content");
      if (key.empty() || content.empty()) return;
      std::string k = ascii_lower(key);
      if (k == "article:tag") meta_tags.push_back(trim_unicode(content));
      meta.emplace(std::move(k), trim_unicode(content));
    } else if (tag == GUMBO_TAG_LINK) {
      if (ascii_lower(attr(n, "rel")) == "canonical" && canonical.empty()) canonical = attr(n, "href");
    } else if (tag == GUMBO_TAG_TITLE && title_tag.empty()) {
      title_tag = node_text(n);
    }
  };
  const GumboNode* html = nullptr;
  if (root->type == GUMBO_NODE_DOCUMENT)
    for (unsigned i = 0; i < root->v.document.children.length; ++i) {
      const auto* c = static_cast<const GumboNode*>(root->v.document.children.data[i]);
      if (c->type == GUMBO_NODE_ELEMENT && c->v.element.tag == GUMBO_TAG_HTML) html = c;
    }
  if (html) {
    out.html_lang = std::string(trim(attr(html, "lang")));
    for (unsigned i = 0; i < html->v.element.children.length; ++i) {
      const auto* head = static_cast<const GumboNode*>(html->v.element.children.data[i]);
      if (head->type != GUMBO_NODE_ELEMENT || head->v.element.tag != GUMBO_TAG_HEAD) continue;
      for (unsigned k = 0; k < head->v.element.children.length; ++k) {
        const auto* c = static_cast<const GumboNode*>(head->v.element.children.data[k]);
        if (c->type == GUMBO_NODE_ELEMENT) on_element(c);
      }
    }
  }
  const std::vector<Elem>& elems = index.elems();
  for (const Elem& e : elems)
    if (e.tag == GUMBO_TAG_META || e.tag == GUMBO_TAG_LINK || e.tag == GUMBO_TAG_TITLE) on_element(e.node);
  auto m = [&](std::string_view k) -> std::string_view {
    auto it = meta.find(k);
    return it == meta.end() ? std::string_view() : std::string_view(it->second);
  };
  auto first_meta = [&](std::initializer_list<std::string_view> keys) -> std::string_view {
    for (std::string_view k : keys)
      if (!m(k).empty()) return m(k);
    return {};
  };

  out.canonical_url = absolute_url(canonical, url);
  if (out.canonical_url.empty()) out.canonical_url = absolute_url(m("og:url"), url);

  out.site_name = std::string(first_meta({"og:site_name", "application-name", "twitter:app:name:iphone"}));
  if (out.site_name.empty()) out.site_name = ld_site;
  if (out.site_name.starts_with("http://") || out.site_name.starts_with("https://"))
    out.site_name = host_of(out.site_name);
  if (out.description.empty())
    out.description = std::string(first_meta({"og:description", "description", "twitter:description"}));
  if (out.image.empty())
    out.image = std::string(first_meta({"og:image", "og:image:url", "twitter:image", "twitter:image:src"}));
  out.image = out.image.empty()                      ? out.image
              : absolute_url(out.image, url).empty() ? out.image
                                                     : absolute_url(out.image, url);
  if (out.section.empty()) out.section = std::string(first_meta({"article:section", "section", "parsely-section"}));
  if (out.tags.empty()) out.tags = meta_tags;
  if (out.tags.empty()) {
    const std::string_view kw = first_meta({"news_keywords", "keywords"});
    size_t i = 0;
    while (!kw.empty() && i <= kw.size()) {
      const size_t j = std::min(kw.find(',', i), kw.size());
      std::string t = trim_unicode(kw.substr(i, j - i));
      if (!t.empty() && std::find(out.tags.begin(), out.tags.end(), t) == out.tags.end())
        out.tags.push_back(std::move(t));
      i = j + 1;
    }
  }

  // Headline element: the first <h1> outside navigation, preferring one in
  // <article>. An <h1> that is a link is the site's name or logo (a blog's
  // title links home) unless it repeats the page's title.
  const std::string_view any_title = !first_meta({"og:title", "twitter:title"}).empty()
                                         ? first_meta({"og:title", "twitter:title"})
                                         : std::string_view(title_tag);
  int h1 = -1;
  for (size_t i = 0; i < elems.size(); ++i) {
    if (elems[i].tag != GUMBO_TAG_H1 || elems[i].text_cp == 0) continue;
    if (elems[i].link_cp * 2 > elems[i].text_cp && !similar_title(node_text(elems[i].node), any_title)) continue;
    bool in_article = false, in_nav = false;
    for (int a = elems[i].parent; a >= 0; a = elems[static_cast<size_t>(a)].parent) {
      const GumboTag t = elems[static_cast<size_t>(a)].tag;
      in_article |= t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN;
      in_nav |= t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER;
    }
    if (in_nav) continue;
    if (h1 < 0 || in_article) h1 = static_cast<int>(i);
    if (in_article) break;
  }
  const std::string h1_text = h1 >= 0 ? node_text(elems[static_cast<size_t>(h1)].node) : std::string();

  // Title.
  const std::string meta_title = unescape_html(first_meta({"og:title", "twitter:title"}));
  const std::string page_title = strip_site_suffix(!meta_title.empty() ? meta_title : title_tag, out.site_name);
  if (!ld_headline.empty())
    out.title = strip_site_suffix(unescape_html(ld_headline), out.site_name);
  else if (!h1_text.empty() && (page_title.empty() || similar_title(h1_text, page_title)))
    out.title = h1_text;
  else
    out.title = page_title;
  if (out.title.empty()) out.title = h1_text;

  // Authors. The site's own name stands in for a byline only when no person
  // is named anywhere.
  site_lower_ = ascii_lower(out.site_name);
  // A stored page (newsd process) has a file path for a URL: its canonical
  // URL names its site.
  const std::string_view page_url = host_of(url).empty() ? std::string_view(out.canonical_url) : url;
  host_ = host_of(page_url);
  site_label_.clear();
  const std::string domain = registrable_domain(page_url);
  for (char c : std::string_view(domain).substr(0, domain.find('.')))
    if (std::isalnum(static_cast<unsigned char>(c))) site_label_ += c;
  std::vector<std::string> site_authors;
  auto is_site = [&](const std::string& a) { return is_site_name(a); };
  // A byline that names the site among its parts ("Site, City, Country") is
  // the publisher's address line: none of its parts is a person.
  auto set_site_bylines_aside = [&](std::vector<std::string>& names) {
    const auto site = std::find_if(names.begin(), names.end(), is_site);
    if (site == names.end()) return;
    if (site_authors.empty()) site_authors.push_back(*site);
    names.clear();
  };
  std::erase_if(out.authors, [&](const std::string& a) {
    const bool site = is_site(a);
    if (site && site_authors.empty()) site_authors.push_back(a);
    return site;
  });
  // <meta> bylines in order of trust; a key whose value is a URL, a mailbox
  // or the site gives way to the next.
  std::vector<std::string_view> meta_bylines;
  for (std::string_view k : {"author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"})
    if (!m(k).empty()) meta_bylines.push_back(m(k));
  for (char n : {'1', '2', '3', '4'})
    if (is_written_by_label(m(std::string("twitter:label") + n)))
      meta_bylines.push_back(m(std::string("twitter:data") + n));
  if (!m("twitter:misc:written by").empty()) meta_bylines.push_back(m("twitter:misc:written by"));
  for (std::string_view a : meta_bylines) {
    if (!out.authors.empty()) break;
    if (a.find("://") == std::string_view::npos) add_author(out.authors, a);
    set_site_bylines_aside(out.authors);
  }
  site_authors_ = std::move(site_authors);

  // Dates: meta tags next.
  if (out.published_at.empty()) {
    for (std::string_view k :
         {"article:published_time", "article:published:time", "og:published_time", "article:published", "datepublished",
          "published_time", "pubdate", "publishdate", "publish-date", "publish_date", "parsely-pub-date",
          "sailthru.date", "dc.date.issued", "dc.date", "dcterms.created", "date", "article.published", "datecreated",
          "cxenseparse:recs:publishtime"}) {
      const std::string d = normalize_date(m(k));
      if (!d.empty()) {
        out.published_at = d;
        out.date_source = "meta";
        break;
      }
    }
  }
  // Then the date of the page's other JSON-LD object (a question, a video).
  if (out.published_at.empty() && !json_ld_any_published_.empty()) {
    out.published_at = json_ld_any_published_;
    out.date_source = "json-ld";
  }
  if (out.modified_at.empty())
    out.modified_at = normalize_date(
        first_meta({"article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified"}));

  if (out.site_name.empty()) out.site_name = host_of(!out.canonical_url.empty() ? out.canonical_url : std::string(url));
  out.og_type = ascii_lower(m("og:type"));
  out.headline = h1;
  h1_ = h1;
}

}  // namespace newsd::extract
