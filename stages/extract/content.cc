#include "stages/extract/content.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "stages/extract/dates.h"
#include "stages/extract/text_util.h"

namespace newsd::extract {
namespace {

// Strips leading/trailing punctuation, dashes and spaces (any script).
std::string_view strip_marks(std::string_view s) {
  auto edge = [](std::string_view t, bool front) {
    size_t i = front ? 0 : t.size();
    while (front ? i < t.size() : i > 0) {
      size_t j = front ? i : i - 1;
      if (!front)
        while (j > 0 && (static_cast<unsigned char>(t[j]) & 0xC0) == 0x80) --j;
      size_t k = j;
      const char32_t cp = next_code_point(t, k);
      if (is_word_cp(cp)) break;
      i = front ? k : j;
    }
    return i;
  };
  const size_t a = edge(s, true);
  s.remove_prefix(a);
  const size_t b = edge(s, false);
  return s.substr(0, b);
}

double base_score(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_MAIN:
      return 5;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_BLOCKQUOTE:
      return 3;
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_FORM:
      return -3;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TH:
      return -5;
    default:
      return 0;
  }
}

double link_density(const Elem& e) {
  return e.text_cp > 0 ? static_cast<double>(e.link_cp) / static_cast<double>(e.text_cp) : 0.0;
}

// The nearest <article> at or above `e`, or -1.
int enclosing_article(const std::vector<Elem>& elems, int e) {
  for (; e >= 0; e = elems[static_cast<size_t>(e)].parent)
    if (elems[static_cast<size_t>(e)].tag == GUMBO_TAG_ARTICLE) return e;
  return -1;
}

// A short block made only of share-button labels ("Share this on WhatsApp",
// "Facebook Twitter Google+"), or a widget's fallback sentence.
bool is_share_bar(const Block& b) {
  if (b.cp > 120) return false;
  static constexpr std::array<std::string_view, 27> kWords{
      "share",     "this",      "on",      "via",  "facebook", "twitter", "whatsapp", "google", "linkedin",
      "pinterest", "email",     "e-mail",  "mail", "telegram", "reddit",  "print",    "tweet",  "copy",
      "link",      "messenger", "article", "the",  "x",        "story",   "sms",      "koo",    "shares"};
  const std::string t = ascii_lower(b.text);
  if (t == "this slideshow requires javascript." || t == "loading..." || t == "loading") return true;
  size_t i = 0;
  int words = 0;
  while (i < t.size()) {
    while (i < t.size() && !std::isalnum(static_cast<unsigned char>(t[i])) && static_cast<unsigned char>(t[i]) < 0x80)
      ++i;
    size_t j = i;
    while (j < t.size() &&
           (std::isalnum(static_cast<unsigned char>(t[j])) || t[j] == '-' || static_cast<unsigned char>(t[j]) >= 0x80))
      ++j;
    if (j == i) break;
    const std::string_view w(t.data() + i, j - i);
    if (std::find(kWords.begin(), kWords.end(), w) == kWords.end()) return false;
    ++words;
    i = j;
  }
  return words > 0;
}

// A closing call to action: subscribe, follow, download the app, send tips.
bool is_promo(const Block& b) {
  if (b.cp > 250) return false;
  static constexpr std::array<std::string_view, 18> kCalls{
      "newsletter", "subscribe",        "sign up",          "follow us",  "follow her",     "follow him",
      "follow me",  "download the app", "download our app", "have a tip", "send us a tip",  "सब्सक्राइब",
      "फॉलो करें",    "डाउनलोड करें",       "हमें फॉलो",          "ऐप डाउनलोड", "Подписывайтесь", "suscríbete"};
  for (std::string_view c : kCalls)
    if (icontains(b.text, c)) return true;
  return false;
}

// A line of the page's interface rather than of the article: a reading time
// or age ("4 min read", "3 hours ago", "4 दिन पहले"), a button or rail label
// ("Copy link", "कॉपी लिंक", "You may also like", "खबरें और भी हैं...").
bool is_interface_line(const Block& b) {
  if (b.cp > 60) return false;
  const std::string t = ascii_lower(strip_marks(b.text));
  static constexpr std::array<std::string_view, 22> kLabels{"copy link",
                                                            "link copied",
                                                            "copied",
                                                            "you may also like",
                                                            "you might also like",
                                                            "about the author",
                                                            "listen to this article",
                                                            "listen to article",
                                                            "more from this author",
                                                            "show comments",
                                                            "load more",
                                                            "read in app",
                                                            "continue reading",
                                                            "कॉपी लिंक",
                                                            "लिंक कॉपी",
                                                            "खबरें और भी हैं",
                                                            "ये भी पढ़ें",
                                                            "आपके काम की खबरें",
                                                            "लेखक के बारे में",
                                                            "यह खबर भी पढ़ें",
                                                            "सुनें",
                                                            "अपनी राय दें"};
  for (std::string_view l : kLabels)
    if (t == l) return true;
  // "<number> <unit> ago|read|पहले"
  size_t i = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i == 0 || i >= t.size() || t[i] != ' ') return false;
  const std::string_view rest = std::string_view(t).substr(i + 1);
  static constexpr std::array<std::string_view, 14> kUnits{
      "min read",  "mins read", "minute read", "minutes read", "min ago", "mins ago", "minutes ago",
      "hours ago", "hour ago",  "days ago",    "मिनट पहले",     "घंटे पहले",  "दिन पहले",  "मिनट पढ़ें"};
  for (std::string_view u : kUnits)
    if (rest == u) return true;
  return false;
}

// A short block that only states when the page was posted or updated, or
// its copyright.
bool is_dateline(const Block& b) {
  // Chinese and Japanese count a word per character: a dateline there is
  // short in code points, not in words ("2025年1月14日 01時28分 (1月14日 01時40分更新)").
  const bool short_line = b.cp <= 40 && count_sentence_ends(b.text) == 0;
  if (b.cp > 80 || (count_words(b.text) > 12 && !short_line)) return false;
  const std::string_view t = trim(b.text);
  if (istarts_with(t, "copyright") || t.starts_with("\u00A9")) return true;
  if (date_from_text(t).empty() || count_sentence_ends(t) > 1) return false;
  // A date alone, or with a posted/updated label; a date inside a sentence
  // or a signature ("— Name (@handle) October 9, 2018") stays.
  static constexpr std::array<std::string_view, 19> kLabels{
      "posted",         "published",    "updated",    "modified",     "date",       "प्रकाशित", "अपडेट",
      "पब्लिश",          "on:",          "publicado",  "actualizado",  "atualizado", "publié",  "mis à jour",
      "veröffentlicht", "aktualisiert", "pubblicato", "опубликовано", "обновлено"};
  for (std::string_view l : kLabels)
    if (icontains(t, l)) return true;
  // A date with a few words around it ("Politics / Tuesday 17 March 2020") and
  // no sentence is a dateline too; an embedded post's signature is not.
  const bool signature = t.find('@') != std::string_view::npos || t.starts_with("\u2014") || t.starts_with("-");
  return count_words(t) <= 5 || ((count_words(t) <= 8 || short_line) && count_sentence_ends(t) == 0 && !signature);
}

bool prose_kind(BlockKind k) {
  return k == BlockKind::kParagraph || k == BlockKind::kPre || k == BlockKind::kQuote || k == BlockKind::kCell ||
         k == BlockKind::kOther;
}

}  // namespace

bool is_cross_link_label(std::string_view text) {
  static constexpr std::array<std::string_view, 16> kLatin{
      "read more",       "also read",        "read also",    "see also", "related:",   "related news",
      "related stories", "related articles", "recommended:", "more:",    "click here", "must read",
      "don't miss",      "also see",         "read:",        "watch:"};
  const std::string_view t = strip_marks(text);
  for (std::string_view p : kLatin)
    if (istarts_with(t, p)) return true;
  static constexpr std::array<std::string_view, 7> kOther{"यह भी पढ़ें", "ये भी पढ़ें", "इसे भी पढ़ें", "यह भी पढ़े",
                                                          "ये भी पढ़े",  "और पढ़ें",   "पढ़ें:"};
  for (std::string_view p : kOther)
    if (t.starts_with(p) || text.starts_with(p)) return true;
  return false;
}

bool is_ad_marker(std::string_view text) {
  const std::string t = ascii_lower(strip_marks(text));
  static constexpr std::array<std::string_view, 17> kMarkers{"advertisement",
                                                             "advertisment",
                                                             "advertising",
                                                             "advert",
                                                             "ad",
                                                             "ads",
                                                             "sponsored",
                                                             "विज्ञापन",
                                                             "publicidade",
                                                             "publicidad",
                                                             "publicité",
                                                             "anzeige",
                                                             "pubblicità",
                                                             "реклама",
                                                             "story continues below advertisement",
                                                             "continue reading below",
                                                             "scroll to continue with content"};
  for (std::string_view m : kMarkers)
    if (t == m) return true;
  return false;
}

void extract_content(const PageIndex& index, std::string_view title, ContentResult& out, bool trust_class_names) {
  out.text.clear();
  out.roots.clear();
  out.paragraphs = 0;
  const std::vector<Elem>& elems = index.elems();
  const std::vector<Block>& blocks = index.blocks();
  if (elems.empty()) return;
  const size_t n = elems.size();

  // A chrome-looking wrapper that holds most of the page's prose is not chrome.
  const int page_paragraphs = std::max(1, elems[0].paragraphs);
  const uint8_t chrome_kinds = trust_class_names ? 0xFF : static_cast<uint8_t>(~kChromeClass);
  auto chrome_of = [&](size_t i) -> uint8_t {
    const Elem& e = elems[i];
    const auto chrome = static_cast<uint8_t>(e.chrome & chrome_kinds);
    if (chrome == kChromeNone || (chrome & kChromeHidden)) return chrome;
    if (e.paragraphs >= 3 && e.paragraphs * 2 > page_paragraphs) return kChromeNone;
    return chrome;
  };
  // Chrome inherited from ancestors (parents come first in document order).
  std::vector<uint8_t> chrome_in(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const Elem& e = elems[i];
    chrome_in[i] = static_cast<uint8_t>((e.parent >= 0 ? chrome_in[static_cast<size_t>(e.parent)] : 0) | chrome_of(i));
  }

  std::vector<double> score(n, 0.0);
  std::vector<uint8_t> seen(n, 0);
  for (const Block& b : blocks) {
    if (!prose_kind(b.kind) || b.cp < 25 || chrome_in[static_cast<size_t>(b.elem)]) continue;
    const double s = 1.0 + count_commas(b.text) + 0.5 * count_sentence_ends(b.text) +
                     std::min(std::floor(static_cast<double>(b.cp) / 100.0), 3.0);
    // Text loose in a container (not in a <p>) scores the container itself,
    // as if it were wrapped in a paragraph there.
    int a = b.kind == BlockKind::kOther ? b.elem : elems[static_cast<size_t>(b.elem)].parent;
    for (int level = 0; a >= 0 && level < 5; ++level, a = elems[static_cast<size_t>(a)].parent) {
      const size_t ai = static_cast<size_t>(a);
      if (!seen[ai]) {
        seen[ai] = 1;
        score[ai] = base_score(elems[ai].tag) + 25.0 * elems[ai].class_weight;
      }
      score[ai] += s / (level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0);
    }
  }
  // The headline anchors the article: when it sits in an <article> that has
  // prose, the body is in that <article> or contains it; other <article>s on
  // the page are teasers of other stories.
  int title_article = -1;
  for (const Block& b : blocks) {
    if (b.kind != BlockKind::kHeading || title.empty() || strip_marks(b.text) != strip_marks(title)) continue;
    title_article = enclosing_article(elems, b.elem);
    if (title_article >= 0 && elems[static_cast<size_t>(title_article)].paragraphs == 0) title_article = -1;
    break;
  }
  std::vector<int> top;
  for (size_t i = 0; i < n; ++i) {
    if (!seen[i]) continue;
    if (title_article >= 0 && !index.is_ancestor(title_article, static_cast<int>(i)) &&
        !index.is_ancestor(static_cast<int>(i), title_article))
      continue;
    score[i] *= 1.0 - link_density(elems[i]);
    top.push_back(static_cast<int>(i));
  }
  std::sort(top.begin(), top.end(),
            [&](int a, int b) { return score[static_cast<size_t>(a)] > score[static_cast<size_t>(b)]; });
  if (top.size() > 5) top.resize(5);

  int best = top.empty() ? 0 : top[0];
  if (!top.empty()) {
    // Several strong candidates under one ancestor: the article is split into
    // sections, take the ancestor.
    const double bs = score[static_cast<size_t>(best)];
    std::vector<int> alts;
    // An <article> is a self-contained composition: candidates in other
    // <article>s are teasers of other stories, not sections of this one.
    const int best_article = enclosing_article(elems, best);
    for (size_t k = 1; k < top.size(); ++k)
      if (score[static_cast<size_t>(top[k])] >= 0.75 * bs && enclosing_article(elems, top[k]) == best_article)
        alts.push_back(top[k]);
    if (alts.size() >= 3) {
      for (int a = elems[static_cast<size_t>(best)].parent; a > 0; a = elems[static_cast<size_t>(a)].parent) {
        int inside = 0;
        for (int c : alts) inside += index.is_ancestor(a, c);
        if (inside >= 3) {
          best = a;
          break;
        }
      }
    }
    // A lone child adds nothing: climb while the parent holds no other text.
    while (elems[static_cast<size_t>(best)].parent > 0) {
      const Elem& p = elems[static_cast<size_t>(elems[static_cast<size_t>(best)].parent)];
      if (p.text_cp > elems[static_cast<size_t>(best)].text_cp || chrome_in[static_cast<size_t>(best)]) break;
      best = elems[static_cast<size_t>(best)].parent;
    }
  }

  // Siblings that continue the article.
  const double best_score = score[static_cast<size_t>(best)];
  const double threshold = std::max(10.0, best_score * 0.2);
  const int parent = elems[static_cast<size_t>(best)].parent;
  const bool best_in_article = enclosing_article(elems, best) >= 0;
  if (parent >= 0) {
    for (int c = parent + 1; c < elems[static_cast<size_t>(parent)].end; c = elems[static_cast<size_t>(c)].end) {
      const size_t ci = static_cast<size_t>(c);
      if (c == best) {
        out.roots.push_back(c);
        continue;
      }
      if (chrome_in[ci]) continue;
      if (elems[ci].tag == GUMBO_TAG_ARTICLE && best_in_article) continue;
      bool keep = seen[ci] && score[ci] >= threshold;
      if (!keep && elems[ci].tag == GUMBO_TAG_P) {
        const double ld = link_density(elems[ci]);
        const auto [b0, b1] = index.block_range(c);
        const bool sentence = b1 > b0 && count_sentence_ends(blocks[b1 - 1].text) > 0;
        keep = (elems[ci].text_cp > 80 && ld < 0.25) || (elems[ci].text_cp > 0 && ld == 0 && sentence);
      }
      if (keep) out.roots.push_back(c);
    }
  } else {
    out.roots.push_back(best);
  }

  // Keep the roots' blocks that are article text.
  std::vector<const Block*> kept;
  for (int root : out.roots) {
    const auto [b0, b1] = index.block_range(root);
    for (size_t bi = b0; bi < b1; ++bi) {
      const Block& b = blocks[bi];
      if (!index.is_ancestor(root, b.elem)) continue;
      bool chrome = false;
      for (int e = b.elem; e != root && e >= 0; e = elems[static_cast<size_t>(e)].parent)
        if (chrome_of(static_cast<size_t>(e))) {
          chrome = true;
          break;
        }
      if (chrome) continue;
      const double ld = b.link_density();
      // Link-only blocks: headline-length links and link lists point to other
      // pages; short ones ("[ Source ]", "Get it at Store") belong to the text.
      if (ld > 0.5 && (b.kind == BlockKind::kListItem || b.kind == BlockKind::kHeading || b.cp >= 40)) continue;
      if (is_dateline(b) || is_share_bar(b) || is_interface_line(b)) continue;
      if (is_cross_link_label(b.text) && (ld > 0.2 || b.cp < 40)) continue;
      if (is_ad_marker(b.text)) continue;
      if (!title.empty() && b.cp < 400 && strip_marks(b.text) == strip_marks(title)) continue;
      if (b.kind == BlockKind::kCaption) continue;
      kept.push_back(&b);
    }
  }
  // Trailing headings, fragments and promotions (newsletter, follow us, app
  // download) are what is left of widgets after the body.
  while (!kept.empty()) {
    const Block& b = *kept.back();
    if (b.kind == BlockKind::kHeading || (b.cp < 30 && count_sentence_ends(b.text) == 0) || is_promo(b))
      kept.pop_back();
    else
      break;
  }
  for (const Block* b : kept) {
    if (!out.text.empty()) out.text += "\n\n";
    out.text += b->text;
    // A post written as a list ("This week: ...") has its prose in list items.
    const bool prose_item = b->kind == BlockKind::kListItem && b->link_density() < 0.5;
    if (b->cp >= 25 && (prose_kind(b->kind) || prose_item)) ++out.paragraphs;
  }
}

}  // namespace newsd::extract
