// Metadata reader: title, authors, dates, site name, description, image,
// section, tags, canonical URL and <html lang>, each from the most reliable
// evidence the page offers.
//
// Order of evidence for the publication date: JSON-LD datePublished of the
// article or page object (also in @graph), then article:published_time and
// similar <meta>, then datePublished of another JSON-LD object (a question,
// a video), then a <time datetime> inside the article or next to its
// headline, then a date in the URL, then a written date next to the
// headline. A UTC machine date yields to the day before or after when the URL
// and a written date beside the headline both name it (the publisher's local
// day). Dates in headers, top bars, sidebars and footers (e.g. WordPress's
// td_data_time, which shows the crawl day) are never read: no evidence means
// null.
//
// Thread-safety: one MetadataReader per thread (it reuses a simdjson parser).
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "stages/extract/page_index.h"

namespace newsd::extract {

struct Metadata {
  std::string title;
  std::vector<std::string> authors;
  std::string published_at, modified_at, date_source;
  std::string site_name, description, image, section;
  std::vector<std::string> tags;
  std::string canonical_url;
  std::string html_lang;
  std::string json_ld_language;  // inLanguage of the article object
  std::string json_ld_body;      // articleBody of the article object, if the page gives one
  // What the page says it is: og:type ("article", "website", ...) and whether
  // its JSON-LD holds an article object or a collection (CollectionPage,
  // ItemList, SearchResultsPage).
  std::string og_type;
  bool json_ld_article = false;
  bool json_ld_collection = false;
  int headline = -1;  // element index of the headline (<h1>), -1 if none
};

class MetadataReader {
 public:
  // Everything but the dates found in the page body. `root` is the parsed
  // document, `index` its PageIndex, `url` the page URL.
  void read(const GumboNode* root, const std::vector<std::string>& json_ld, const PageIndex& index,
            std::string_view url, Metadata& out);

  // When JSON-LD and meta gave no publication date: a <time datetime> in the
  // article (its text's `content_roots`, <article>/<main>, or next to the
  // headline), then the URL, then a written date right after the headline.
  // Uses the headline found by the last read().
  void read_body_date(const PageIndex& index, const std::vector<int>& content_roots, std::string_view url,
                      Metadata& out) const;

  // When JSON-LD and <meta> named no person: the byline shown in the article
  // (read_visible_byline), else the site's name if the page gave it as the
  // author. Uses the headline and site names found by the last read().
  void read_body_authors(const PageIndex& index, const std::vector<int>& content_roots, Metadata& out) const;

  // The headline without a " - Site Name" / " | Site" suffix.
  static std::string strip_site_suffix(std::string_view title, std::string_view site_name);

 private:
  // A machine date in UTC names the instant; the day readers see is the
  // publisher's. When the URL's date and a date written beside the headline
  // both name the day before or after, and the UTC time of day allows it,
  // that day is taken.
  void prefer_local_day(const PageIndex& index, const std::vector<int>& content_roots, std::string_view url_date,
                        Metadata& out) const;
  // A date written in words or digits beside the headline.
  void read_text_date(const PageIndex& index, const std::vector<int>& content_roots, Metadata& out) const;
  void read_json_ld(const std::vector<std::string>& blobs, Metadata& out, std::string& headline);
  // Whether a name is the last page's site (its name, its host, or its
  // domain's label before a desk or a region).
  bool is_site_name(const std::string& name) const;

  simdjson::dom::parser parser_;
  int h1_ = -1;                            // element index of the headline in the last read page
  std::vector<std::string> site_authors_;  // the site's name where the last page gave it as author
  std::string site_lower_, host_;          // of the last page
  std::string site_label_;                 // its registrable domain's label, letters and digits ("ntv" for n-tv.de)
  std::string json_ld_any_published_;      // datePublished of a JSON-LD object neither article nor page
};

}  // namespace newsd::extract
