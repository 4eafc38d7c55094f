// Page type: whether a page is one article, a listing of many (home, section,
// tag, search pages) or something else (an about page, a product page).
//
// Decided from what the page says of itself (JSON-LD type, og:type, a
// headline) and from its shape: a listing is made of headline links to other
// pages with little prose of its own; an article has a body of prose under
// one headline. Neither kind of signal decides alone.
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "stages/extract/content.h"
#include "stages/extract/metadata.h"
#include "stages/extract/page_index.h"

namespace newsd::extract {

enum class PageType { kArticle, kListing, kOther };

std::string_view page_type_name(PageType t);  // "article", "listing", "other"

// What the page's markup and metadata say it is.
struct PageSignals {
  bool declared_article = false;  // JSON-LD article object or og:type article
  bool declared_listing = false;  // JSON-LD CollectionPage/ItemList/SearchResultsPage, og:type website
  bool listing_url = false;       // a site root, or a /tag/, /category/, /search path
  int teasers = 0;                // headline-sized links to other pages
  int body_teasers = 0;           // of which in the extracted text's roots
  int prose = 0;                  // blocks of prose (>= 120 code points, few links) on the page
  int body_prose = 0;             // of which in the extracted text
  bool own_headline = false;      // an <h1> of its own: not a link, not the site's name
  bool title_is_site = false;     // the title is only the site's name (a home page)
  bool dated = false;             // a publication date from metadata, a <time> or the URL
};

PageSignals page_signals(const PageIndex& index, const ContentResult& content, const Metadata& meta,
                         std::string_view url);

PageType classify_page(const PageSignals& s);

}  // namespace newsd::extract
