// MetadataReader's readings from the page body, made once the text's roots
// are known: dates beside the article (<time>, the URL, a written date by the
// headline) and the byline it shows.
#include <algorithm>
#include <cctype>

#include "stages/extract/authors.h"
#include "stages/extract/dates.h"
#include "stages/extract/html_tree.h"
#include "stages/extract/metadata.h"
#include "stages/extract/text_util.h"

namespace newsd::extract {
namespace {

// Where a date or a byline is the page's, not the article's: navigation,
// sidebars, footers, top bars (the "today" widget), related stories, comments.
bool is_chrome(const Elem& e) {
  if (e.tag == GUMBO_TAG_NAV || e.tag == GUMBO_TAG_ASIDE || e.tag == GUMBO_TAG_FOOTER) return true;
  const std::string cls = ascii_lower(attr(e.node, "class"));
  for (std::string_view w : {"sidebar", "top-bar", "topbar", "related", "td_data_time", "comment"})
    if (cls.find(w) != std::string::npos) return true;
  return false;
}

bool in_date_chrome(const PageIndex& index, int i) {
  const std::vector<Elem>& elems = index.elems();
  for (int a = i; a >= 0; a = elems[static_cast<size_t>(a)].parent)
    if (is_chrome(elems[static_cast<size_t>(a)])) return true;
  return false;
}

// A headline's surroundings: its ancestor three levels up (where its
// dateline and byline sit), or the headline itself when -1 or near the root.
int surroundings(const std::vector<Elem>& elems, int headline) {
  int near = headline;
  for (int up = 0; near > 0 && up < 3; ++up) near = elems[static_cast<size_t>(near)].parent;
  return near;
}

// Whether element i is in the article's region: under a text root, in the
// headline's surroundings `near` (none when -1) or in <article>/<main>.
bool in_region(const PageIndex& index, const std::vector<int>& content_roots, int near, int i) {
  if (near >= 0 && index.is_ancestor(near, i)) return true;
  for (int r : content_roots)
    if (index.is_ancestor(r, i)) return true;
  const std::vector<Elem>& elems = index.elems();
  for (int a = elems[static_cast<size_t>(i)].parent; a >= 0; a = elems[static_cast<size_t>(a)].parent) {
    const GumboTag t = elems[static_cast<size_t>(a)].tag;
    if (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN) return true;
  }
  return false;
}

}  // namespace

bool MetadataReader::is_site_name(const std::string& name) const {
  const std::string l = ascii_lower(name);
  if ((!site_lower_.empty() && similar_title(l, site_lower_)) ||
      (!host_.empty() && host_.find(l) != std::string::npos) || l.ends_with(".de") || l.ends_with(".com") ||
      l.find("(www.") != std::string::npos)
    return true;
  // "n-tv NACHRICHTEN" on n-tv.de, "MDR THÜRINGEN" on mdr.de: the site's
  // name before a desk or a region.
  std::string first;
  for (char c : std::string_view(l).substr(0, l.find(' ')))
    if (std::isalnum(static_cast<unsigned char>(c))) first += c;
  return site_label_.size() >= 3 && first == site_label_;
}

void MetadataReader::read_body_authors(const PageIndex& index, const std::vector<int>& content_roots,
                                       Metadata& out) const {
  if (!out.authors.empty()) return;
  // A byline belongs to the article when no chrome (a sidebar, related
  // stories, comments) lies between it and the article's region. Chrome
  // around the region does not count: broken markup may leave a whole page
  // inside an unclosed <nav>.
  const std::vector<Elem>& elems = index.elems();
  const int near = surroundings(elems, h1_);
  auto in_article = [&](int i) {
    for (int a = i; a >= 0; a = elems[static_cast<size_t>(a)].parent) {
      const Elem& e = elems[static_cast<size_t>(a)];
      if (is_chrome(e)) return false;
      if (a != i && (a == near || e.tag == GUMBO_TAG_ARTICLE || e.tag == GUMBO_TAG_MAIN ||
                     std::find(content_roots.begin(), content_roots.end(), a) != content_roots.end()))
        return true;
    }
    return false;
  };
  read_visible_byline(
      index, in_article, [&](const std::string& a) { return is_site_name(a); }, out.authors);
  if (out.authors.empty()) out.authors = site_authors_;
}

void MetadataReader::read_body_date(const PageIndex& index, const std::vector<int>& content_roots, std::string_view url,
                                    Metadata& out) const {
  // A file path (newsd process) names where a page was stored, not when it was published.
  std::string url_date = url.starts_with("file:") ? std::string() : date_from_url(url);
  if (url_date.empty() && !out.canonical_url.empty()) url_date = date_from_url(out.canonical_url);
  if (!out.published_at.empty()) {
    if (!url_date.empty()) prefer_local_day(index, content_roots, url_date, out);
    return;
  }
  const std::vector<Elem>& elems = index.elems();
  // A <time> belongs to the article in the text's roots, <article>/<main>
  // or the headline's surroundings (below the page's root).
  int h1_near = h1_ >= 0 ? surroundings(elems, h1_) : -1;
  if (h1_near == 0) h1_near = -1;
  for (size_t i = 0; i < elems.size(); ++i) {
    if (elems[i].tag != GUMBO_TAG_TIME) continue;
    const int ii = static_cast<int>(i);
    if (!in_region(index, content_roots, h1_near, ii) || in_date_chrome(index, ii)) continue;
    std::string d = normalize_date(attr(elems[i].node, "datetime"));
    if (d.empty()) continue;
    out.published_at = std::move(d);
    out.date_source = "time-element";
    break;
  }
  if (out.published_at.empty()) {
    out.published_at = std::move(url_date);
    if (!out.published_at.empty()) out.date_source = "url";
  }
  if (out.published_at.empty()) read_text_date(index, content_roots, out);
}

void MetadataReader::prefer_local_day(const PageIndex& index, const std::vector<int>& content_roots,
                                      std::string_view url_date, Metadata& out) const {
  // "2020-02-18T02:18:11+00:00": a time of day, in UTC.
  const std::string& machine = out.published_at;
  if (machine.size() != 25 || !machine.ends_with("+00:00") || machine.compare(11, 8, "00:00:00") == 0) return;
  // Zones run from UTC-12 to UTC+14: the local day is the day before only
  // before 12:00 UTC, the day after only from 10:00 UTC.
  const int hour = (machine[11] - '0') * 10 + (machine[12] - '0');
  const int diff = day_difference(machine, url_date);
  if (!((diff == -1 && hour < 12) || (diff == 1 && hour >= 10))) return;
  Metadata written;
  written.title = out.title;
  read_text_date(index, content_roots, written);
  if (written.published_at.empty() || day_difference(written.published_at, url_date) != 0) return;
  out.published_at = std::move(written.published_at);
  out.date_source = "text";
}

void MetadataReader::read_text_date(const PageIndex& index, const std::vector<int>& content_roots,
                                    Metadata& out) const {
  const std::vector<Elem>& elems = index.elems();
  const std::vector<Block>& blocks = index.blocks();
  // The headline anchors the search: the <h1> when it repeats the title, else
  // the heading that does (a blog's <h1> is often its own name, the post's
  // title an <h2> or <h3>), else the <h1>, else the start of the text.
  std::string title;  // whitespace folded as in the blocks
  append_folded(title, out.title);
  int anchor = h1_;
  if (h1_ < 0 || !similar_title(node_text(elems[static_cast<size_t>(h1_)].node), title)) {
    for (size_t b = 0; b < blocks.size(); ++b)
      if (blocks[b].kind == BlockKind::kHeading && !title.empty() && similar_title(blocks[b].text, title) &&
          code_points(blocks[b].text) * 2 >= code_points(title)) {
        anchor = blocks[b].elem;
        break;
      }
  }
  const bool anchor_is_heading = anchor >= 0;
  if (anchor < 0 && !content_roots.empty()) anchor = content_roots.front();
  if (anchor < 0) return;
  const int near = surroundings(elems, anchor);
  auto in_anchor_region = [&](int i) { return in_region(index, content_roots, near, i); };
  size_t first = 0;
  while (first < blocks.size() && blocks[first].elem < anchor) ++first;
  // A written date in the few blocks right after the headline, else in the
  // two right above it (a dateline over the headline), within the headline's
  // surroundings and outside chrome.
  auto try_block = [&](size_t b) {
    if (blocks[b].elem == anchor && anchor_is_heading) return false;
    if (blocks[b].cp > 120 || !in_anchor_region(blocks[b].elem) || in_date_chrome(index, blocks[b].elem)) return false;
    std::string d = date_from_text(blocks[b].text);
    if (d.empty()) return false;
    out.published_at = std::move(d);
    out.date_source = "text";
    return true;
  };
  int seen = 0;
  for (size_t b = first; b < blocks.size() && seen < 6; ++b) {
    if (!in_anchor_region(blocks[b].elem)) continue;
    ++seen;
    if (try_block(b)) return;
  }
  for (size_t k = 1; k <= 2 && k <= first; ++k) {
    if (!index.is_ancestor(near, blocks[first - k].elem)) break;
    if (try_block(first - k)) return;
  }
}

}  // namespace newsd::extract
