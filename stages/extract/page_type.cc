#include "stages/extract/page_type.h"

#include <algorithm>

#include "stages/extract/text_util.h"

namespace newsd::extract {
namespace {

// The URL's path: "/", a tag/category/search path, or a one-word section
// ("/sport/", "/news") are listings on most sites. file:// and unknown URLs
// say nothing.
bool is_listing_url(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos || !(url.starts_with("http://") || url.starts_with("https://"))) return false;
  const size_t slash = url.find('/', scheme + 3);
  if (slash == std::string_view::npos) return true;
  std::string_view path = url.substr(slash, url.find_first_of("?#", slash) - slash);
  const std::string_view query =
      url.find('?', slash) == std::string_view::npos ? std::string_view() : url.substr(url.find('?', slash));
  if (path == "/" || path.empty()) return query.empty() || icontains(query, "s=") || icontains(query, "q=");
  for (std::string_view seg : {"/tag/", "/tags/", "/category/", "/categories/", "/topic/", "/topics/", "/search",
                               "/author/", "/page/", "/archive/"})
    if (istarts_with(path, seg) || icontains(path, seg)) {
      // An article under /topic/ still ends in a long slug or an id.
      const std::string_view last = path.substr(path.find_last_of('/', path.size() - 2) + 1);
      if (count_words(last) <= 3) return true;
    }
  // A one-segment path of one or two words ("/sports/", "/world-news"): a section.
  const std::string_view seg = trim(path.substr(1, path.size() - 1 - (path.ends_with('/') ? 1 : 0)));
  return !seg.empty() && seg.find('/') == std::string_view::npos && seg.find('.') == std::string_view::npos &&
         std::none_of(seg.begin(), seg.end(), [](char c) { return c >= '0' && c <= '9'; }) && count_words(seg) <= 2;
}

}  // namespace

std::string_view page_type_name(PageType t) {
  switch (t) {
    case PageType::kArticle:
      return "article";
    case PageType::kListing:
      return "listing";
    case PageType::kOther:
      return "other";
  }
  return "other";
}

PageSignals page_signals(const PageIndex& index, const ContentResult& content, const Metadata& meta,
                         std::string_view url) {
  PageSignals s;
  s.declared_article = meta.json_ld_article || meta.og_type.starts_with("article");
  s.declared_listing = meta.json_ld_collection || meta.og_type == "website";
  s.listing_url = is_listing_url(url);
  const std::vector<Elem>& elems = index.elems();
  for (const Block& b : index.blocks()) {
    const double ld = b.link_density();
    const bool in_body =
        std::any_of(content.roots.begin(), content.roots.end(), [&](int r) { return index.is_ancestor(r, b.elem); });
    if (ld >= 0.8 && b.cp >= 20 && b.cp <= 200 && count_words(b.text) >= 3) {
      ++s.teasers;
      s.body_teasers += in_body;
    }
    if (ld < 0.2 && b.cp >= 120 && count_sentence_ends(b.text) > 0) {
      ++s.prose;
      s.body_prose += in_body;
    }
  }
  // A date read from the text may be a teaser's; only metadata, a <time> or the URL count.
  s.dated = !meta.published_at.empty() && meta.date_source != "text";
  const std::string title = ascii_lower(meta.title), site = ascii_lower(meta.site_name);
  s.title_is_site = title.empty() || (!site.empty() && (title == site || site.find(title) != std::string::npos ||
                                                        (title.starts_with(site) && title.size() < site.size() + 40)));
  if (meta.headline >= 0) {
    const Elem& h = elems[static_cast<size_t>(meta.headline)];
    const std::string text = ascii_lower(node_text(h.node));
    s.own_headline = h.link_cp * 2 < h.text_cp && count_words(text) >= 1 && site.find(text) == std::string::npos;
  }
  return s;
}

PageType classify_page(const PageSignals& s) {
  // The extracted "body" of a listing is its teaser grid: more headline links
  // than paragraphs of prose.
  const bool teaser_body =
      s.body_teasers >= s.body_prose && (s.body_teasers >= 10 || (s.body_teasers >= 5 && s.body_prose == 0));
  if (s.declared_article) return PageType::kArticle;
  // A section front names itself in an <h1> ("Sports"); its own word
  // (CollectionPage, og:type website) or its URL says what it is.
  if (teaser_body && !s.dated && (s.declared_listing || s.listing_url)) return PageType::kListing;
  // A headline of its own and a publication date each mark an article.
  if (s.own_headline || s.dated) return PageType::kArticle;
  // Else a title that is only the site's name, or a page of many teasers.
  if (teaser_body && (s.title_is_site || s.teasers >= 50)) return PageType::kListing;
  return s.body_prose >= 2 ? PageType::kArticle : PageType::kOther;
}

}  // namespace newsd::extract
