#include "stages/extract/authors.h"

#include <unicode/uchar.h>

#include <algorithm>

#include "stages/extract/html_tree.h"
#include "stages/extract/text_util.h"

namespace newsd::extract {
namespace {

// Longer than this many words, a comma-separated piece of a byline is a
// description ("professor at the faculty of ..."), not a name.
constexpr int64_t kMaxNameWords = 6;

// Space-separated words (a CJK name is one run however many ideographs).
int64_t spaced_words(std::string_view s) {
  int64_t n = 0;
  bool in_word = false;
  for (size_t i = 0; i < s.size();) {
    const bool space = is_space_cp(next_code_point(s, i));
    n += !space && !in_word;
    in_word = !space;
  }
  return n;
}

bool has_letter(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const char32_t cp = next_code_point(s, i);
    if (is_word_cp(cp) && !(cp >= '0' && cp <= '9')) return true;
  }
  return false;
}

// A byline reduced to the name: no "By", no handle, date or reading time.
std::string clean_author(std::string_view s) {
  std::string t = trim_unicode(s);
  for (std::string_view p : {"by:", "by ", "द्वारा ", "por ", "von ", "par ", "av ", "door "}) {
    if (istarts_with(t, p)) t = trim_unicode(std::string_view(t).substr(p.size()));
    if (t.size() + 1 == p.size() && istarts_with(p, t)) return {};  // the word alone
  }
  size_t cut = t.size();
  for (std::string_view stop : {" @", "\u2022", " | ", "\n", " - ", " \u2013 ", " \u2014 ", " on "})
    cut = std::min(cut, t.find(stop));
  t = trim_unicode(std::string_view(t).substr(0, cut));
  // "Elena Oberholzer (obe)": the desk's short sign.
  if (!t.empty() && t.back() == ')' && t.rfind(" (") != std::string::npos) t = trim_unicode(t.substr(0, t.rfind(" (")));
  while (!t.empty() && (t.back() == ',' || t.back() == ':' || t.back() == '.')) t.pop_back();
  for (std::string_view dash : {" \u2014", " \u2013", " -"})
    if (t.ends_with(dash)) t = trim_unicode(std::string_view(t).substr(0, t.size() - dash.size()));
  if (t.empty() || code_points(t) > 80 || t.find("://") != std::string::npos) return {};
  // An e-mail address names a mailbox, not a person; a number is a record's id.
  if (t.find('@') != std::string::npos && t.find(' ') == std::string::npos) return {};
  if (!has_letter(t) || spaced_words(t) > kMaxNameWords) return {};
  return t;
}

// rel/itemprop author: the page marks the element as its author.
bool marked_author(const Elem& e) {
  return attr(e.node, "rel") == "author" || attr(e.node, "itemprop").find("author") != std::string_view::npos;
}

// The byline's text; names in elements of their own ("<span>A B</span>
// <span>C D</span>") are kept apart, but a name split into parts ("<span>A</span>
// <span>B</span>") or after a word ("<span>By</span> <a>A B</a>") is not.
std::string byline_text(const GumboNode* n) {
  std::vector<std::string> leaves;
  bool all_names = true;
  std::vector<const GumboNode*> stack{n};
  while (!stack.empty()) {
    const GumboNode* x = stack.back();
    stack.pop_back();
    bool has_child_elem = false;
    const GumboVector& kids = x->v.element.children;
    for (unsigned k = kids.length; k-- > 0;) {
      const auto* c = static_cast<const GumboNode*>(kids.data[k]);
      if (c->type != GUMBO_NODE_ELEMENT) continue;
      has_child_elem = true;
      stack.push_back(c);
    }
    if (has_child_elem || x == n) continue;
    std::string t = trim_unicode(node_text(x));
    if (t.empty()) continue;
    all_names &= spaced_words(t) >= 2;
    leaves.push_back(std::move(t));
  }
  if (leaves.size() < 2 || !all_names) return node_text(n);
  std::string out;
  for (const std::string& l : leaves) (out.empty() ? out : out += ", ") += l;
  return out;
}

// Whether a name shown on the page reads as one: no digit (a date or a time
// beside the name) or colon (a label). Where only a class name says "author",
// it also starts with a letter that is not lower-case: desk initials, brand
// words and stray marks do not.
bool reads_as_name(std::string_view a, bool marked) {
  if (std::any_of(a.begin(), a.end(), [](char c) { return (c >= '0' && c <= '9') || c == ':'; })) return false;
  size_t i = 0;
  const UChar32 first = static_cast<UChar32>(next_code_point(a, i));
  return marked || (u_isalpha(first) && !u_islower(first));
}

// The names in a byline element; none when its text is long (an author's
// biography) or a part does not read as a name.
std::vector<std::string> byline_names(const Elem& e) {
  std::vector<std::string> names;
  const std::string text = byline_text(e.node);
  if (code_points(text) > 100) return names;
  add_author(names, text);
  const bool marked = marked_author(e);
  if (!std::all_of(names.begin(), names.end(), [&](const std::string& a) { return reads_as_name(a, marked); }))
    names.clear();
  return names;
}

// A byline inside a link that holds more text (a headline) is a teaser's,
// another article's.
bool in_teaser_link(const std::vector<Elem>& elems, int i) {
  const int64_t own = elems[static_cast<size_t>(i)].text_cp;
  for (int a = elems[static_cast<size_t>(i)].parent; a >= 0; a = elems[static_cast<size_t>(a)].parent)
    if (elems[static_cast<size_t>(a)].tag == GUMBO_TAG_A) return elems[static_cast<size_t>(a)].text_cp > own + 20;
  return false;
}

}  // namespace

void read_visible_byline(const PageIndex& index, const std::function<bool(int)>& in_article,
                         const std::function<bool(const std::string&)>& is_site, std::vector<std::string>& authors) {
  const std::vector<Elem>& elems = index.elems();
  // Elements naming an author that hold none themselves, in document order.
  // (In pre-order, an element holds another iff it holds the next one.)
  std::vector<int> cands;
  for (size_t i = 0; i < elems.size(); ++i) {
    if (!elems[i].byline_class && !marked_author(elems[i])) continue;
    if (!cands.empty() && index.is_ancestor(cands.back(), static_cast<int>(i))) cands.pop_back();
    cands.push_back(static_cast<int>(i));
  }
  // Several authors are one element each, repeated with little text between
  // (more is a teaser's headline and summary: another article's byline).
  constexpr int64_t kGroupGapCp = 150;
  constexpr size_t kMaxAuthors = 5;
  const std::vector<Block>& blocks = index.blocks();
  auto text_between = [&](int a, int b) {
    int64_t cp = 0;
    for (int k = elems[static_cast<size_t>(a)].block_end; k < elems[static_cast<size_t>(b)].block_begin; ++k)
      cp += blocks[static_cast<size_t>(k)].cp;
    return cp;
  };
  int first = -1, last = -1;
  for (int c : cands) {
    if (first >= 0 && text_between(last, c) > kGroupGapCp) break;
    const Elem& e = elems[static_cast<size_t>(c)];
    if (first >= 0 && (e.tag != elems[static_cast<size_t>(first)].tag ||
                       attr(e.node, "class") != attr(elems[static_cast<size_t>(first)].node, "class")))
      continue;
    if (!marked_author(e) && !in_article(c)) continue;
    if (in_teaser_link(elems, c)) continue;
    std::vector<std::string> names = byline_names(e);
    if (names.empty()) continue;
    // "A B, Site Region": a person and the desk. "Staff, Site/Agencies": the
    // byline names the site, not a person.
    if (std::any_of(names.begin(), names.end(), is_site)) {
      std::erase_if(names, is_site);
      if (std::all_of(names.begin(), names.end(), [](const std::string& n) { return spaced_words(n) < 2; }))
        return authors.clear();
    }
    if (first < 0) first = c;
    last = c;
    for (std::string& n : names)
      if (authors.size() < kMaxAuthors && std::find(authors.begin(), authors.end(), n) == authors.end())
        authors.push_back(std::move(n));
  }
}

void add_author(std::vector<std::string>& authors, std::string_view raw) {
  const std::string byline = unescape_html(raw);
  std::string line;
  for (size_t k = 0; k < byline.size();) {
    size_t len = 0;
    for (std::string_view sep : {" and ", " und ", " og ", " och ", " et ", " y ", " e ", " i ", " & ", ";", ", "})
      if (std::string_view(byline).substr(k, sep.size()) == sep) len = sep.size();
    if (len > 0) {
      line += '\n';
      k += len;
    } else {
      line += byline[k++];
    }
  }
  size_t i = 0;
  while (i <= line.size()) {
    const size_t j = std::min(line.find('\n', i), line.size());
    std::string c = clean_author(std::string_view(line).substr(i, j - i));
    i = j + 1;
    if (c.empty()) continue;
    bool known = false;
    for (const std::string& a : authors) known |= a == c || c.find(a) != std::string::npos;
    if (!known) authors.push_back(std::move(c));
  }
}

bool is_written_by_label(std::string_view label) {
  const std::string l = ascii_lower(trim_unicode(label));
  for (std::string_view w : {"written by", "author", "verfasst von", "geschrieben von", "autor", "écrit par", "auteur",
                             "escrito por", "scritto da", "autore", "geschreven door", "skrevet av", "skriven av"})
    if (l == w) return true;
  return false;
}

}  // namespace newsd::extract
