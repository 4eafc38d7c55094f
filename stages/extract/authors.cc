#include "stages/extract/authors.h"

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
  for (std::string_view p : {"by:", "by ", "द्वारा ", "por ", "von ", "par ", "av ", "door "})
    if (istarts_with(t, p)) t = trim_unicode(std::string_view(t).substr(p.size()));
  size_t cut = t.size();
  for (std::string_view stop : {" @", "\u2022", " | ", "\n", " - ", " \u2013 ", " \u2014 ", " on "})
    cut = std::min(cut, t.find(stop));
  t = trim_unicode(std::string_view(t).substr(0, cut));
  // "Elena Oberholzer (obe)": the desk's short sign.
  if (!t.empty() && t.back() == ')' && t.rfind(" (") != std::string::npos) t = trim_unicode(t.substr(0, t.rfind(" (")));
  while (!t.empty() && (t.back() == ',' || t.back() == ':' || t.back() == '.')) t.pop_back();
  if (t.empty() || code_points(t) > 80 || t.find("://") != std::string::npos) return {};
  // An e-mail address names a mailbox, not a person; a number is a record's id.
  if (t.find('@') != std::string::npos && t.find(' ') == std::string::npos) return {};
  if (!has_letter(t) || spaced_words(t) > kMaxNameWords) return {};
  return t;
}

}  // namespace

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
