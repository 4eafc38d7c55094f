#include "stages/extract/page_index.h"

#include <algorithm>
#include <array>

#include "stages/deadline.h"
#include "stages/extract/html_tree.h"
#include "stages/extract/text_util.h"

namespace newsd::extract {
namespace {

bool is_block_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_MENU:
      return true;
    default:
      return false;
  }
}

// Elements whose content is never article text.
bool is_skipped_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_IMG:
      return true;
    default:
      return false;
  }
}

BlockKind kind_of(GumboTag t, uint8_t& level) {
  level = 0;
  switch (t) {
    case GUMBO_TAG_P:
      return BlockKind::kParagraph;
    case GUMBO_TAG_H1:
      level = 1;
      return BlockKind::kHeading;
    case GUMBO_TAG_H2:
      level = 2;
      return BlockKind::kHeading;
    case GUMBO_TAG_H3:
      level = 3;
      return BlockKind::kHeading;
    case GUMBO_TAG_H4:
      level = 4;
      return BlockKind::kHeading;
    case GUMBO_TAG_H5:
      level = 5;
      return BlockKind::kHeading;
    case GUMBO_TAG_H6:
      level = 6;
      return BlockKind::kHeading;
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
      return BlockKind::kListItem;
    case GUMBO_TAG_BLOCKQUOTE:
      return BlockKind::kQuote;
    case GUMBO_TAG_PRE:
      return BlockKind::kPre;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      return BlockKind::kCell;
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_CAPTION:
      return BlockKind::kCaption;
    default:
      return BlockKind::kOther;
  }
}

// The attributes the heuristics read, found in one pass over the element's
// attribute list.
struct Attrs {
  std::string_view cls, id, role, style;
  bool hidden_attr = false, aria_hidden = false;
};

Attrs read_attrs(const GumboNode* n) {
  Attrs a;
  const GumboVector& v = n->v.element.attributes;
  for (unsigned i = 0; i < v.length; ++i) {
    const auto* at = static_cast<const GumboAttribute*>(v.data[i]);
    const std::string_view name(at->name);  // gumbo lower-cases attribute names
    if (name == "class")
      a.cls = at->value;
    else if (name == "id")
      a.id = at->value;
    else if (name == "role")
      a.role = at->value;
    else if (name == "style")
      a.style = at->value;
    else if (name == "hidden")
      a.hidden_attr = true;
    else if (name == "aria-hidden")
      a.aria_hidden = std::string_view(at->value) == "true";
  }
  return a;
}

// React's streaming renderer (Next.js and others) sends each suspended part
// of the page as <div hidden id="S:1">, which a script then moves into
// place: hidden in the markup, shown in the browser.
bool react_segment(std::string_view id) {
  if (id.size() < 3 || !id.starts_with("S:")) return false;
  for (char c : id.substr(2))
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

bool hidden(const Attrs& a) {
  if ((a.hidden_attr && !react_segment(a.id)) || a.aria_hidden) return true;
  if (a.style.empty()) return false;
  std::string s;
  for (char c : a.style)
    if (c != ' ') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s.find("display:none") != std::string::npos || s.find("visibility:hidden") != std::string::npos;
}

// Class and id names, lower-cased, with the start of every word marked: a
// word starts a name or follows '-', '_' or ':', or is a camelCase hump
// ("shareBar" -> share|bar). Hints match words, never the middle of one, so
// "rss" stays out of "progress" and "nav" out of "canvas".
struct ClassText {
  std::string s;
  std::vector<uint8_t> word_start;
  void clear() {
    s.clear();
    word_start.clear();
  }
};

bool is_name_sep(char c) {
  return c == '-' || c == '_' || c == ':';
}

// Framework scaffolding that wraps every element of a page whatever it
// holds, and conditional styling: their words say nothing about the
// content. Elementor wraps each widget (the article body too) in
// "elementor-widget-container", and names the widget's type after
// "elementor-widget-" (theme-post-content, share-buttons): only the type is
// kept.
std::string_view without_scaffolding(std::string_view name) {
  // A Tailwind variant ("print:max-w-container-small", "dark:text-white",
  // "desktop:mx-0") styles the element under a condition; the condition's
  // name ("print") is no region of the page.
  if (name.find(':') != std::string_view::npos) return {};
  static constexpr std::array<std::string_view, 6> kWhole{
      "elementor-widget-container", "elementor-widget-wrap", "elementor-widget",
      "widget-container",           "widget-wrap",           "widget-content"};
  for (std::string_view w : kWhole)
    if (name == w) return {};
  // Page layout, not a region of it: "sidebar-grid" and "sidebar-grid__content"
  // hold the sidebar and the article side by side; "has-sidebar" is a flag.
  const std::string_view block = name.substr(0, std::min(name.find("__"), name.find("--")));
  if (block.ends_with("-grid") || block.ends_with("-layout") || name.starts_with("has-") || name.starts_with("with-") ||
      name.starts_with("no-"))
    return {};
  static constexpr std::array<std::string_view, 2> kPrefixes{"elementor-widget-", "et_pb_"};
  for (std::string_view p : kPrefixes)
    if (name.starts_with(p)) return name.substr(p.size());
  return name;
}

void append_names(std::string_view names, bool is_id, ClassText& out) {
  size_t i = 0;
  while (i < names.size()) {
    while (i < names.size() && (names[i] == ' ' || names[i] == '\t' || names[i] == '\n')) ++i;
    size_t j = i;
    while (j < names.size() && names[j] != ' ' && names[j] != '\t' && names[j] != '\n') ++j;
    if (j == i) break;
    // Lower-cased in place at the end of out.s, then kept, cut or dropped.
    const size_t at = out.s.size();
    out.s.append(names.data() + i, j - i);
    for (size_t k = at; k < out.s.size(); ++k)
      if (out.s[k] >= 'A' && out.s[k] <= 'Z') out.s[k] = static_cast<char>(out.s[k] + 32);
    const std::string_view lowered_name = std::string_view(out.s).substr(at);
    // An id of many words is the anchor slug of a heading ("example-1-amend-
    // a-shared-changeset"), not a layout name.
    const bool slug = is_id && std::count(lowered_name.begin(), lowered_name.end(), '-') >= 4;
    const std::string_view kept = slug ? std::string_view() : without_scaffolding(lowered_name);
    const size_t skip = lowered_name.size() - kept.size();  // scaffolding is a prefix or the whole name
    out.s.erase(at, skip);
    const size_t base = out.word_start.size();
    out.word_start.resize(base + kept.size());
    for (size_t k = 0; k < kept.size(); ++k) {
      const char orig = names[i + skip + k];
      const char prev = k > 0 ? names[i + skip + k - 1] : ' ';
      out.word_start[base + k] =
          k == 0 || is_name_sep(prev) || (orig >= 'A' && orig <= 'Z' && prev >= 'a' && prev <= 'z');
    }
    if (out.s.size() > at) {
      out.s += ' ';
      out.word_start.push_back(0);
    }
    i = j;
  }
}

void class_and_id(const Attrs& a, ClassText& out) {
  out.clear();
  append_names(a.cls, false, out);
  append_names(a.id, true, out);
}

// A fixed set of lower-case hints, bucketed by first byte so one pass over a
// class string tests all of them (class strings are tested for every element
// of every page). A hint must close a word ("topnav", "singlepostmeta"); a
// hint of five letters or more may instead open one ("comments",
// "subscription"). So "nav" is found in "top-nav" but not in a random
// "NavzzU", and "rss" not in "progress".
class NeedleSet {
 public:
  NeedleSet(std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) buckets_[static_cast<unsigned char>(w[0])].push_back(w);
  }
  // Tested within s[from, to) only.
  bool found_in(const ClassText& t, size_t from = 0, size_t to = std::string::npos) const {
    const std::string_view s(t.s);
    to = std::min(to, s.size());
    for (size_t i = from; i < to; ++i) {
      for (std::string_view w : buckets_[static_cast<unsigned char>(s[i])]) {
        if (to - i < w.size() || s.compare(i, w.size(), w) != 0) continue;
        const size_t e = i + w.size();
        const bool closes = e == to || s[e] == ' ' || is_name_sep(s[e]) || t.word_start[e] ||
                            (s[e] == 's' && (e + 1 == to || s[e + 1] == ' ' || is_name_sep(s[e + 1])));
        if (closes || (w.size() >= 5 && t.word_start[i])) return true;
      }
    }
    return false;
  }

 private:
  std::array<std::vector<std::string_view>, 256> buckets_;
};

// Class names that only hide an element (Bootstrap, utility CSS). Words such
// as Drupal's "field--label-hidden" hide something else and are not matched.
bool has_hiding_class(std::string_view s) {
  static constexpr std::array<std::string_view, 13> kHiding{"hidden",
                                                            "is-hidden",
                                                            "hide",
                                                            "d-none",
                                                            "u-hidden",
                                                            "js-hidden",
                                                            "invisible",
                                                            "sr-only",
                                                            "visually-hidden",
                                                            "visuallyhidden",
                                                            "screen-reader-text",
                                                            "element-invisible",
                                                            "offscreen"};
  size_t i = 0;
  while (i < s.size()) {
    const size_t j = std::min(s.find(' ', i), s.size());
    const std::string_view name = s.substr(i, j - i);
    for (std::string_view h : kHiding)
      if (name == h) return true;
    i = j + 1;
  }
  return false;
}

// Tokens like "ad", "ads", "ad-slot", "top-ad": an advertisement slot.
bool has_ad_token(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    const std::string_view tok = s.substr(i, j - i);
    if (tok == "ad" || tok == "ads" || tok.starts_with("ad-") || tok.starts_with("ads-") || tok.starts_with("ad_") ||
        tok.ends_with("-ad") || tok.ends_with("-ads") || tok.ends_with("_ad") || tok.find("-ad-") != tok.npos)
      return true;
    i = j;
  }
  return false;
}

}  // namespace

namespace {

uint8_t tag_chrome(GumboTag t, const Attrs& a) {
  uint8_t flags = kChromeNone;
  if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER || t == GUMBO_TAG_HEADER ||
      t == GUMBO_TAG_FORM)
    flags |= kChromeTag;
  const std::string_view role = a.role;
  if (role == "navigation" || role == "complementary" || role == "contentinfo" || role == "banner" ||
      role == "dialog" || role == "alert" || role == "menu")
    flags |= kChromeTag;
  return flags;
}

// `hides`: the names hold an ad slot or a hiding class (has_ad_token, has_hiding_class).
uint8_t class_chrome(const ClassText& ct, bool hides) {
  uint8_t flags = kChromeNone;
  if (ct.s.size() > 1) {
    static const NeedleSet kUnlikely{
        "banner", "breadcrumb", "crumbs", "combx", "comment", "community", "disqus", "footer", "gdpr", "header", "menu",
        "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "pagination",
        "pager", "popup", "share", "sharing", "newsletter", "subscri", "cookie", "consent", "promo", "advert",
        "popular", "trending", "recommend", "outbrain", "taboola", "most-read", "mostread", "signup", "sign-up",
        "login", "modal", "widget", "toolbar", "navbar", "nav", "navigation", "masthead", "byline", "author", "tags",
        "tag-list", "taglist", "keywords", "also-read", "alsoread", "more-stories", "next-post", "prev-post",
        "post-nav", "copyright", "disclaimer", "rating", "meta", "caption", "credit", "jump", "skip", "top-bar",
        "topbar", "post-date", "entry-date", "pubdate", "dateline",
        // Left out of the printed page; "print" alone ("PrintThis", "printArea")
        // marks the part that is printed, the article.
        "noprint", "no-print", "notprint", "not-print", "print-none"};
    // Blogger names its post list "widget Blog".
    static const NeedleSet kMaybe{"article", "body",  "column", "content",         "main", "shadow", "story",
                                  "entry",   "embed", "tweet",  "instagram-media", "blog"};
    const bool unlikely = kUnlikely.found_in(ct);
    const bool maybe = unlikely && kMaybe.found_in(ct);
    if ((unlikely && !maybe) || hides) flags |= kChromeClass;
  }
  return flags;
}

int8_t weight_from(const ClassText& ct, bool hides) {
  if (ct.s.size() <= 1) return 0;
  static const NeedleSet kPositive{"article", "body", "content", "entry", "hentry", "h-entry", "main",
                                   "page",    "post", "text",    "blog",  "story",  "prose"};
  static const NeedleSet kNegative{"banner",  "combx",    "comment",  "contact",    "foot",      "masthead",
                                   "media",   "meta",     "outbrain", "promo",      "related",   "scroll",
                                   "share",   "shoutbox", "sidebar",  "skyscraper", "sponsor",   "shopping",
                                   "tags",    "tool",     "widget",   "social",     "nav",       "menu",
                                   "popular", "byline",   "author",   "caption",    "post-date", "breadcrumb"};
  int w = 0;
  if (kPositive.found_in(ct)) ++w;
  if (hides || kNegative.found_in(ct)) --w;
  return static_cast<int8_t>(w);
}

// "author", "authors", "author-name", "authorName", "e-byline__author",
// "bylineText"; not "authority" or "coauthored".
bool names_byline(const ClassText& ct) {
  const std::string_view s(ct.s);
  for (std::string_view w : {std::string_view("author"), std::string_view("byline")}) {
    for (size_t i = s.find(w); i != std::string_view::npos; i = s.find(w, i + 1)) {
      if (!ct.word_start[i]) continue;
      size_t e = i + w.size();
      if (e < s.size() && s[e] == 's') ++e;
      if (e == s.size() || s[e] == ' ' || is_name_sep(s[e]) || ct.word_start[e] || s.substr(e).starts_with("name"))
        return true;
    }
  }
  return false;
}

}  // namespace

void PageIndex::flush(int owner, BlockKind kind, uint8_t level) {
  std::string_view t = trim(pending_);
  while (!t.empty() && t.back() == '\n') t.remove_suffix(1);
  if (!t.empty() && owner >= 0) {
    Block b;
    b.elem = owner;
    b.kind = kind;
    b.heading_level = level;
    b.text.assign(t);
    b.cp = code_points(t);
    b.link_cp = std::min(pending_link_cp_, b.cp);
    elems_[static_cast<size_t>(owner)].text_cp += b.cp;
    elems_[static_cast<size_t>(owner)].link_cp += b.link_cp;
    blocks_.push_back(std::move(b));
  }
  pending_.clear();
  pending_link_cp_ = 0;
}

void PageIndex::build(const GumboNode* root) {
  elems_.clear();
  blocks_.clear();
  pending_.clear();
  pending_link_cp_ = 0;

  struct Frame {
    const GumboNode* node;
    unsigned next_child;
    int elem;   // index in elems_
    int owner;  // block owner for text directly inside
  };
  std::vector<Frame> stack;
  int link_depth = 0;

  ClassText lowered;
  std::string cache_key;
  class_cache_.clear();
  auto enter = [&](const GumboNode* n, const Attrs& attrs, int parent, int owner) {
    const GumboTag tag = n->v.element.tag;
    const int idx = static_cast<int>(elems_.size());
    Elem e{};
    e.node = n;
    e.parent = parent;
    e.end = idx + 1;
    e.tag = tag;
    e.depth = static_cast<uint16_t>(std::min<size_t>(stack.size(), 65535));
    e.chrome = tag_chrome(tag, attrs);
    if (!attrs.cls.empty() || !attrs.id.empty()) {
      // Pages repeat their class names; each distinct class/id pair is read once.
      cache_key.assign(attrs.cls);
      cache_key += '\x1f';
      cache_key.append(attrs.id);
      auto it = class_cache_.find(cache_key);
      if (it == class_cache_.end()) {
        class_and_id(attrs, lowered);
        const bool hides = lowered.s.size() > 1 && (has_ad_token(lowered.s) || has_hiding_class(lowered.s));
        const ClassHints h{class_chrome(lowered, hides), weight_from(lowered, hides), names_byline(lowered)};
        if (class_cache_.size() >= kClassCacheSize) class_cache_.clear();
        it = class_cache_.emplace(cache_key, h).first;
      }
      e.chrome |= it->second.chrome;
      e.class_weight = it->second.weight;
      e.byline_class = it->second.byline;
    }
    e.block_level = is_block_tag(tag);
    elems_.push_back(e);
    if (e.block_level && owner >= 0) {
      uint8_t level = 0;
      const BlockKind k = kind_of(elems_[static_cast<size_t>(owner)].tag, level);
      flush(owner, k, level);
    }
    elems_.back().block_begin = static_cast<int>(blocks_.size());
    if (tag == GUMBO_TAG_A) ++link_depth;
    stack.push_back({n, 0, idx, e.block_level ? idx : owner});
  };

  if (root->type == GUMBO_NODE_DOCUMENT) {
    for (unsigned i = 0; i < root->v.document.children.length; ++i) {
      const auto* c = static_cast<const GumboNode*>(root->v.document.children.data[i]);
      if (c->type == GUMBO_NODE_ELEMENT) {
        root = c;
        break;
      }
    }
  }
  if (root->type != GUMBO_NODE_ELEMENT) return;
  enter(root, read_attrs(root), -1, -1);

  DeadlineCheck deadline;
  while (!stack.empty() && !deadline.expired()) {
    Frame& f = stack.back();
    const GumboVector& children = f.node->v.element.children;
    if (f.next_child >= children.length) {
      const Frame done = f;
      stack.pop_back();
      Elem& e = elems_[static_cast<size_t>(done.elem)];
      e.end = static_cast<int>(elems_.size());
      if (e.tag == GUMBO_TAG_A) --link_depth;
      if (e.block_level) {
        uint8_t level = 0;
        const BlockKind k = kind_of(e.tag, level);
        flush(done.elem, k, level);
      }
      e.block_end = static_cast<int>(blocks_.size());
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children.data[f.next_child++]);
    switch (child->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA: {
        const size_t before = pending_.size();
        append_folded(pending_, child->v.text.text);
        if (link_depth > 0) pending_link_cp_ += code_points(std::string_view(pending_).substr(before));
        break;
      }
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        const GumboTag tag = child->v.element.tag;
        if (tag == GUMBO_TAG_BR) {
          while (!pending_.empty() && pending_.back() == ' ') pending_.pop_back();
          if (!pending_.empty() && pending_.back() != '\n') pending_ += '\n';
          break;
        }
        if (is_skipped_tag(tag)) {
          if (tag == GUMBO_TAG_IMG && !pending_.empty() && pending_.back() != ' ') pending_ += ' ';
          break;
        }
        const Attrs attrs = read_attrs(child);
        if (hidden(attrs)) break;
        const int parent = f.elem, owner = f.owner;
        enter(child, attrs, parent, owner);
        break;
      }
      default:
        break;
    }
  }

  // Subtree totals, children before parents.
  for (size_t i = elems_.size(); i-- > 1;) {
    Elem& e = elems_[i];
    Elem& p = elems_[static_cast<size_t>(e.parent)];
    p.text_cp += e.text_cp;
    p.link_cp += e.link_cp;
  }
  for (const Block& b : blocks_) {
    if (b.cp < 25 || b.link_density() > 0.5) continue;
    for (int e = b.elem; e >= 0; e = elems_[static_cast<size_t>(e)].parent) ++elems_[static_cast<size_t>(e)].paragraphs;
  }
}

std::string node_text(const GumboNode* node) {
  std::string out;
  std::vector<std::pair<const GumboNode*, unsigned>> stack;
  if (node->type == GUMBO_NODE_TEXT) {
    append_folded(out, node->v.text.text);
    return trim_unicode(out);
  }
  if (node->type != GUMBO_NODE_ELEMENT) return out;
  stack.push_back({node, 0});
  while (!stack.empty()) {
    auto& [n, i] = stack.back();
    const GumboVector& ch = n->v.element.children;
    if (i >= ch.length) {
      stack.pop_back();
      continue;
    }
    const auto* c = static_cast<const GumboNode*>(ch.data[i++]);
    if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE || c->type == GUMBO_NODE_CDATA) {
      append_folded(out, c->v.text.text);
    } else if (c->type == GUMBO_NODE_ELEMENT && !is_skipped_tag(c->v.element.tag)) {
      if (is_block_tag(c->v.element.tag) && !out.empty() && out.back() != ' ') out += ' ';
      stack.push_back({c, 0});
    }
  }
  return trim_unicode(out);
}

}  // namespace newsd::extract
