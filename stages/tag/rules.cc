#include "stages/tag/rules.h"

#include <algorithm>
#include <span>
#include <string_view>
#include <unordered_set>

#include "stages/deadline.h"
#include "stages/tag/rules_en.h"
#include "stages/tag/rules_hi.h"
#include "stages/tag/word_lists.h"

namespace newsd::tag {
namespace {

// One word before a plural ("आकांक्षी जिलों", "112 backward districts")
// qualifies the districts; only a list names them.
bool plural_place_word(std::string_view w) { return w == "जिलों" || w == "districts"; }

class Scan {
 public:
  Scan(const RuleInput& in, std::vector<Candidate>& out) : in_(in), out_(out) {}

  void run() {
    for (size_t t = 0; t < in_.tokens.size() && !deadline_.expired(); ++t) {
      heads(t);
      place_list(t);
      titled_person(t);
      events(t);
      embassy(t);
    }
    capitalised_runs();
    named_alone();
  }

 private:
  std::string_view w(size_t t) const { return in_.words[t]; }
  char32_t first(size_t t) const { return in_.text.folded[in_.tokens[t].start]; }
  char32_t original_first(size_t t) const { return in_.text.original[in_.text.from[in_.tokens[t].start]]; }
  bool devanagari(size_t t) const { return is_devanagari(first(t)); }
  bool has_letter(size_t t) const {
    for (uint32_t c = in_.tokens[t].start; c < in_.tokens[t].end; ++c)
      if (is_word_char(in_.text.folded[c]) && !(in_.text.folded[c] >= '0' && in_.text.folded[c] <= '9')) return true;
    return false;
  }
  bool content(size_t t) const {
    return has_letter(t) && !stop_words().count(w(t)) && !titles().count(w(t)) && !place_words().count(w(t));
  }
  // A word that can be a person's or a place's name on its own. Hindi plain
  // words cannot ("उप राज्यपाल शामिल होते", "पास जिला"); inside an
  // organisation's name they stay, as such names are made of them ("आवास
  // एवं शहरी विकास विभाग"), but the name does not start with one.
  bool name_word(size_t t) const { return content(t) && !(devanagari(t) && listed(hindi_plain_words(), w(t))); }
  bool capitalised(size_t t) const { return !devanagari(t) && is_upper(original_first(t)); }
  bool sentence_start(size_t t) const { return t == 0 || in_.tokens[t - 1].sentence_end; }
  void add(size_t a, size_t b, EntityType type) {  // tokens [a, b]
    // "Apple's": the possessive ending is not part of the name.
    const uint32_t end = in_.tokens[b].end - (w(b).size() > 2 && w(b).ends_with("'s") ? 2 : 0);
    out_.push_back({in_.tokens[a].start, end, type, 1, -1, {}});
  }
  // English lexicon (word_lists.h); the possessive ending is ignored.
  std::string_view bare(size_t t) const {
    const std::string_view s = w(t);
    return s.size() > 2 && s.ends_with("'s") ? s.substr(0, s.size() - 2) : s;
  }
  bool common(size_t t) const { return listed(english_common_words(), bare(t)); }
  bool given(size_t t) const { return listed(english_given_names(), bare(t)); }
  // Capitalised, letters (and - ' .) only, and some lower case unless short
  // ("WA" in "Struan WA Wilkie"): the shape of a personal name's words.
  bool name_shaped(size_t t) const {
    const Token& tok = in_.tokens[t];
    size_t letters = 0, lower = 0;
    for (uint32_t c = tok.start; c < tok.end; ++c) {
      const char32_t o = in_.text.original[in_.text.from[c]];
      if (is_lower(o)) ++lower;
      if (is_upper(o) || is_lower(o)) ++letters;
      else if (o != '-' && o != '\'' && o != 0x2019 && o != '.') return false;
    }
    return capitalised(t) && (lower > 0 || letters <= 2);
  }
  // Position of a sentence's first word, also after an opening quote or bracket.
  bool initial_position(size_t t) const {
    if (sentence_start(t)) return true;
    const std::string_view p = w(t - 1);
    return (p == "\"" || p == "'" || p == "(" || p == "[" || p == "-") && sentence_start(t - 1);
  }
  bool gaz_type(size_t t, std::string_view type) const {
    const std::string_view g = in_.gaz_labels[t];
    return g.size() > 2 && g.substr(2) == type;
  }

  // "<content words> <head>": आवास एवं शहरी विकास विभाग, डल झील.
  void heads(size_t t) {
    if (!devanagari(t)) return;
    auto it = devanagari_heads().find(w(t));
    // A head inside a longer known name ("जम्मू-कश्मीर पुलिस") is left to the gazetteer.
    if (it == devanagari_heads().end() || in_.gaz_labels[t].substr(0, 1) == "I") return;
    const size_t limit = it->second == EntityType::kOrg ? 5 : 4;
    size_t a = t, n = 0;
    while (a > 0 && n < limit && !in_.tokens[a - 1].sentence_end) {
      const size_t k = a - 1;
      if (devanagari_heads().count(w(k))) break;  // "X नगर निगम और Y नगर निगम": two names
      if (content(k) && devanagari(k)) {
        a = k;
        ++n;
      } else if ((w(k) == "एवं" || w(k) == "व") && k > 0 && content(k - 1) && devanagari(k - 1) && n > 0) {
        a = k;
      } else {
        break;
      }
    }
    // "सिफारिश संथानम समिति", "अन्य शिक्षण संस्थान": a name starts at its
    // first name word, past plain words ("recommendation", "other"); but a
    // name given with its acronym is one, whatever its words ("भ्रष्टाचार
    // निरोधक ब्यूरो (एसीबी)").
    const bool acronym_follows = t + 3 < in_.tokens.size() && w(t + 1) == "(" && w(t + 3) == ")" && has_letter(t + 2) &&
                                 in_.tokens[t + 2].end - in_.tokens[t + 2].start <= 8;
    while (!acronym_follows && a < t && (!name_word(a) || w(a) == "एवं" || w(a) == "व")) {
      if (content(a)) --n;
      ++a;
    }
    // One generic word before an organisation head ("नई समिति", "बड़ी कंपनी")
    // is rarely a name; a known place or people before it is ("रूसी दूतावास").
    if (it->second == EntityType::kOrg && n == 1 && !gaz_type(a, "LOC") && !gaz_type(a, "NORP")) return;
    if (n > 0) add(a, t, it->second);
  }

  // "अनंतनाग, बारामूला और कठुआ जिलों", "Anantnag and Kathua districts".
  void place_list(size_t t) {
    if (!place_words().count(w(t)) || t == 0) return;
    size_t items[8];
    size_t n = 0;
    for (size_t k = t - 1; n < 8; k -= 2) {
      if (!name_word(k) || (!devanagari(k) && !capitalised(k))) break;
      items[n++] = k;
      if (k < 2) break;
      const std::string_view sep = w(k - 1);
      if (sep != "," && sep != "और" && sep != "and" && sep != "व") break;
    }
    if (n == 1 && plural_place_word(w(t))) return;
    for (size_t i = 0; i < n; ++i)
      if (in_.gaz_labels[items[i]].empty() || gaz_type(items[i], "LOC")) add(items[i], items[i], EntityType::kLoc);
  }

  // "महानिरीक्षक सुरेश चंद्र भट्ट ने", "Minister Sergei Lavrov".
  void titled_person(size_t t) {
    if (!titles().count(w(t))) return;
    const bool deva = devanagari(t);
    if (!deva && !capitalised(t)) return;
    size_t name = t + 1;  // "Mr. Garrett", "Dr. Ronny Jackson": the abbreviation's period
    if (!deva && name + 1 < in_.tokens.size() && w(name) == "." && w(t).size() <= 4) ++name;
    size_t e = name, n = 0;
    while (e < in_.tokens.size() && n < 3) {
      if (deva) {
        if (!devanagari(e) || !name_word(e) || (!in_.gaz_labels[e].empty() && !gaz_type(e, "PERSON"))) break;
      } else {
        const bool initial = w(e).size() == 1 && e + 1 < in_.tokens.size() && w(e + 1) == ".";
        if (!capitalised(e) || titles().count(w(e)) || roles().count(w(e)) || calendar_words().count(w(e)) ||
            (!initial && !content(e)))
          break;
        if (initial) ++e;  // the period of "S."
      }
      ++e;
      ++n;
      if (!deva && bare(e - 1).size() != w(e - 1).size()) break;  // "President Trump's July 25 call"
      if (in_.tokens[e - 1].sentence_end && w(e - 1) != ".") break;
    }
    if (n == 0 || (deva && n < 2)) return;
    // A Devanagari name ends at a postposition, punctuation or the sentence end.
    if (deva && e < in_.tokens.size() && content(e)) return;
    if (deva)
      for (size_t k = name; k <= e && k < in_.tokens.size(); ++k)
        if (programme_words().count(w(k))) return;
    add(name, e - 1, EntityType::kPerson);
  }

  void events(size_t t) {
    const size_t n = in_.tokens.size();
    auto event_end = [&](size_t k) -> size_t {  // last token of an event noun at k, or 0
      if (k >= n || !event_nouns().count(w(k))) return 0;
      if (w(k) == "शिखर") return k + 1 < n && w(k + 1) == "सम्मेलन" ? k + 1 : 0;
      return k;
    };
    const std::string_view word = w(t);
    // "India-Russia summit" is left alone: spans never overlap and the
    // places inside matter more than the event around them.
    // 2+2 dialogue, G20 summit.
    bool digit = false;
    for (char c : word) digit = digit || (c >= '0' && c <= '9');
    if (digit && word.size() >= 2 && has_letter(t) == false && word.find('+') != std::string_view::npos)
      if (size_t e = event_end(t + 1)) add(t, e, EntityType::kEvent);
    // ‘टू प्लस टू’ वार्ता: a quoted name before an event noun.
    if (word == "'" || word == "\"") {
      for (size_t k = t + 2; k < n && k <= t + 6; ++k) {
        if (w(k) == word) {
          if (size_t e = event_end(k + 1)) add(t, e, EntityType::kEvent);
          break;
        }
        if (in_.tokens[k].sentence_end) break;
      }
    }
  }

  // Russian embassy, US consulate.
  void embassy(size_t t) {
    if (t == 0 || (w(t) != "embassy" && w(t) != "consulate")) return;
    if (gaz_type(t - 1, "NORP") || gaz_type(t - 1, "LOC")) {
      size_t a = t - 1;
      while (a > 0 && in_.gaz_labels[a][0] == 'I') --a;
      add(a, t, EntityType::kOrg);
    }
  }

  // Runs of capitalised words in cased scripts, typed by their head word.
  void capitalised_runs() {
    const size_t n = in_.tokens.size();
    size_t t = 0;
    while (t < n) {
      if (!capitalised(t) || !has_letter(t)) {
        ++t;
        continue;
      }
      size_t e = t;  // last capitalised token of the run
      bool preposition = false;
      for (size_t k = t + 1; k < n;) {
        if (in_.tokens[k - 1].sentence_end && w(k - 1) != ".") break;
        if (bare(k - 1).size() != w(k - 1).size()) break;  // "NASA's Galileo": two names
        if (capitalised(k) && has_letter(k)) {
          e = k++;
          continue;
        }
        const std::string_view c = w(k);
        // "S. Jaishankar": an initial's period stays inside.
        if (c == "." && w(k - 1).size() == 1 && k + 1 < n && capitalised(k + 1)) {
          ++k;
          continue;
        }
        const bool connector = c == "of" || c == "on" || c == "for" || c == "and" || c == "&" || c == "the" ||
                               c == "de" || c == "von" || c == "bin" || (c == "," && preposition);
        if (connector && k + 1 < n && capitalised(k + 1)) {
          if (c == "of" || c == "on" || c == "for") preposition = true;
          ++k;
          continue;
        }
        if (connector && c == "," && k + 2 < n && w(k + 1) == "and" && capitalised(k + 2)) {
          k += 2;
          continue;
        }
        break;
      }
      split_run(t, e);
      t = e + 1;
    }
  }

  bool head(size_t k) const { return latin_heads().count(bare(k)) > 0; }

  // A run joined by "and", "&", "," or "of" may be several names ("Catherine
  // Whitaker, David Law and Matt Roberts", "International Tennis Federation
  // and Kosmos", "Patrick Liu of Victoria Hospital"). A connector stays
  // inside when a head word after it ends the name ("Citizenship and
  // Immigration Services") or it follows a preposition of the name
  // ("Commission on Trade, Economic ... and Cultural Cooperation"), but not
  // right after a head or before "the"; "of" after a person is a split.
  void split_run(size_t a, size_t b) {
    // Whether a head word follows a connector: the last head of the run
    // tells for every connector at once (a run can be thousands of words).
    size_t last_head = a;
    for (size_t h = b; h > a && last_head == a; --h)
      if (head(h)) last_head = h;
    size_t start = a;
    bool preposition = false;
    for (size_t k = a + 1; k < b; ++k) {
      const std::string_view c = w(k);
      if (c == "on" || c == "for") preposition = true;
      if (c != "and" && c != "&" && c != "," && c != "of") continue;
      bool split;
      if (c == "of") {
        split = given(start) && !titles().count(w(start));
        preposition = preposition || !split;
      } else {
        const bool head_after = last_head > k;
        split = !(head_after || preposition) || head(k - 1) || w(k + 1) == "the";
      }
      if (!split) continue;
      classify_run(start, k - 1);
      if (c == "," && w(k + 1) == "and") ++k;
      start = k + 1;
      preposition = false;
    }
    if (start <= b) classify_run(start, b);
  }

  void classify_run(size_t a, size_t b) {
    // Skip calendar words at either end (New Year, Monday).
    const auto connector = [&](size_t k) {
      const std::string_view c = w(k);
      return c == "of" || c == "on" || c == "for" || c == "and" || c == "&" || c == "the" || c == "," || c == ".";
    };
    while (a <= b && (calendar_words().count(w(a)) || connector(a))) ++a;
    // A sentence's first word is capitalised whatever it is: an ordinary
    // word there ("Officials said", "Big Machine has") is not part of a name.
    if (a <= b && initial_position(a) && in_.gaz_labels[a].empty() && !given(a) &&
        (common(a) || stop_words().count(w(a)))) {
      ++a;
      while (a <= b && connector(a)) ++a;
    }
    while (b > a && (calendar_words().count(w(b)) || connector(b))) --b;
    if (a > b || calendar_words().count(w(b))) return;
    // "General Manager of Life Care Solutions Europe": the organisation only.
    for (size_t k = a; k < b && (titles().count(w(k)) || roles().count(w(k))); ++k) {
      if (w(k + 1) == "of") {
        a = k + 2;
        while (a <= b && connector(a)) ++a;
        if (a > b) return;
        break;
      }
    }
    // A head word anywhere types the run: "Commission on Trade, ... Cooperation".
    auto it = latin_heads().find(bare(b));
    if (it != latin_heads().end() && b > a) {
      add(a, b, it->second);
      if (it->second == EntityType::kOrg) org_runs_.emplace_back(a, b);
      return;
    }
    for (size_t k = a; k < b; ++k) {
      auto h = latin_heads().find(bare(k));
      if (h != latin_heads().end() && h->second == EntityType::kOrg && k > a) {
        add(a, b, EntityType::kOrg);
        return;
      }
    }
    // Title words, then a name: "External Affairs Minister S. Jaishankar".
    size_t last_title = b + 1;
    for (size_t k = a; k <= b; ++k)
      if (titles().count(w(k))) last_title = k;
    if (last_title <= b && last_title < b) {
      size_t s = last_title + 1;
      while (s <= b && (w(s) == "of" || w(s) == "the")) ++s;
      // "Prime Day": a lone ordinary word after a title is no name.
      if (s <= b && b - s < 4 && !(s == b && common(s))) add(s, b, EntityType::kPerson);
      return;
    }
    // "S. Jaishankar": an initial marks a person.
    if (b > a && w(a).size() == 1 && a + 1 <= b && w(a + 1) == "." && !sentence_start(a)) {
      add(a, b, EntityType::kPerson);
      return;
    }
    // "Rahul Sharma said": two or three capitalised words before a verb of saying.
    const std::string_view next = b + 1 < in_.tokens.size() ? w(b + 1) : std::string_view();
    const bool saying =
        next == "said" || next == "says" || next == "told" || next == "added" || next == "wrote" || next == "asked";
    if (b > a && b - a <= 2 && saying) {
      add(a, b, EntityType::kPerson);
      return;
    }
    untyped_run(a, b, saying);
  }

  // "Kosmos, a group co-founded by", "Edmunds.com, a California-based data
  // firm", "Ascom's shareholders": words after a name that only an
  // organisation takes (an appositive ending in an organisation noun within
  // five words, or a possessive before what companies own).
  bool org_context(size_t b) const {
    const size_t n = in_.tokens.size();
    if (bare(b).size() != w(b).size()) return b + 1 < n && org_possessions().count(w(b + 1)) > 0;
    if (b + 2 >= n || w(b + 1) != "," || (w(b + 2) != "a" && w(b + 2) != "an" && w(b + 2) != "the")) return false;
    // The noun heads the appositive: punctuation or a linking word follows
    // it ("a group co-founded by"; not "the party leader").
    static const WordSet kAfter = {
        "that",          "which", "whose",  "with",   "in",    "based", "founded", "co-founded", "owned",
        "run",           "known", "from",   "of",     "at",    "for",   "and",     "is",         "was",
        "headquartered", "led",   "backed", "called", "named", "said",  "says"};
    for (size_t h = b + 3; h < n && h <= b + 7; ++h) {
      if (org_nouns().count(w(h))) return h + 1 == n || !has_letter(h + 1) || kAfter.count(w(h + 1)) > 0;
      if (!has_letter(h) || stop_words().count(w(h))) return false;  // the appositive ended
    }
    return false;
  }

  // A capitalised run no head, title or verb typed: its shape, the lexicon
  // and the word before it decide.
  void untyped_run(size_t a, size_t b, bool saying) {
    bool all_gaz = true, any_gaz = false, other_gaz = false, shaped = true, any_common = false;
    for (size_t k = a; k <= b; ++k) {
      const bool g = !in_.gaz_labels[k].empty();
      all_gaz = all_gaz && g;
      any_gaz = any_gaz || g;
      other_gaz = other_gaz || (k > a && g && !gaz_type(k, "PERSON"));
      shaped = shaped && name_shaped(k);
      any_common = any_common || (common(k) && !(k == a && given(k)));
    }
    if (all_gaz) return;  // a known name (the gazetteer's match stands)
    const std::string_view prev = initial_position(a) ? std::string_view() : w(a - 1);
    const bool place_before = prev == "in" || prev == "near";
    const size_t len = b - a + 1;
    // "chief operating officer of SpaceX", "an analyst at Wedbush": a job
    // held at an organisation; a name-shaped run there stays a person.
    const std::string_view job = a >= 2 && !initial_position(a) ? w(a - 2) : std::string_view();
    const bool job_at = (prev == "of" || prev == "at") && org_jobs().count(job) && !given(a) && (len == 1 || any_common);
    if (len <= 4 && !any_gaz && (org_context(b) || job_at)) {
      add(a, b, EntityType::kOrg);
      return;
    }
    if (len >= 2 && len <= 4 && shaped) {
      // "Tom Hanks", "Olivier Bosc": a given name first; else two to four
      // name-shaped words that are neither known nor ordinary words.
      if (given(a) && !other_gaz) add(a, b, EntityType::kPerson);
      else if (!any_gaz && !any_common) add(a, b, place_before ? EntityType::kLoc : EntityType::kPerson);
      return;
    }
    // A sentence's first word only before a verb of saying ("Claure said").
    if (len != 1 || any_gaz || (initial_position(a) && !saying)) return;
    const Token& tok = in_.tokens[a];
    size_t upper = 0, letters = 0;
    bool camel = false;
    for (uint32_t c = tok.start; c < tok.end; ++c) {
      const char32_t o = in_.text.original[in_.text.from[c]];
      if (is_upper(o)) {
        ++upper;
        camel = camel || (c > tok.start && is_lower(in_.text.original[in_.text.from[c - 1]]));
      }
      if (is_upper(o) || is_lower(o)) ++letters;
    }
    const std::string_view word = bare(a);
    // NYAG, DEA: an acronym of letters alone that is not an ordinary one
    // (CEO, IPO, LED); two letters are mostly state codes and units, and
    // camel case (AirPods, WeWork) as often a product as a company.
    if (upper == letters && letters == word.size() && letters >= 3 && letters <= 5 && !common(a) &&
        !acronyms().count(word) && !titles().count(word)) {
      add(a, a, EntityType::kOrg);
      return;
    }
    // McKinley, DeSantis, O'Brien are camel-cased names.
    static constexpr std::string_view kNamePrefixes[] = {"mc", "mac", "de", "le", "la", "di", "van", "von", "o'"};
    for (std::string_view p : kNamePrefixes) camel = camel && !word.starts_with(p);
    if (!shaped || camel || letters < 2 || common(a) || stop_words().count(word)) return;
    // "Claure said", "says Doctor", "in Yunnan".
    if (saying || prev == "said" || prev == "says") add(a, a, EntityType::kPerson);
    else if (place_before) add(a, a, EntityType::kLoc);
  }

  // "Tyvak Nano-Satellite Systems ... said Tyvak would": the first word of
  // an organisation found by its head, when it is no known, ordinary or
  // given name, names the organisation alone elsewhere in the text (and is
  // then no person, whatever verb follows it). One pass over the tokens
  // and one over the candidates, whatever the number of organisations: a
  // text that repeats an organisation's name is common, and a scan of the
  // text per organisation made such a text take minutes.
  void named_alone() {
    std::unordered_set<std::string_view> names;
    for (const auto& [a, b] : org_runs_) {
      if (!in_.gaz_labels[a].empty() || !name_shaped(a) || common(a) || given(a) || head(a) ||
          stop_words().count(w(a)) || titles().count(w(a)))
        continue;
      names.insert(bare(a));
    }
    if (names.empty()) return;
    // Tokens inside the organisations themselves are no mentions alone.
    std::vector<uint8_t> inside(in_.tokens.size(), 0);
    for (const auto& [a, b] : org_runs_) std::fill(inside.begin() + a, inside.begin() + b + 1, 1);
    std::unordered_set<uint32_t> retyped;  // start offsets
    for (size_t k = 0; k < in_.tokens.size(); ++k) {
      if (deadline_.expired()) return;  // the tag stage reports the timeout
      if (inside[k] || !capitalised(k) || !in_.gaz_labels[k].empty() || !names.count(bare(k))) continue;
      if ((k > 0 && capitalised(k - 1) && !in_.tokens[k - 1].sentence_end) ||
          (k + 1 < in_.tokens.size() && capitalised(k + 1)))
        continue;  // part of a longer run, typed there
      if (retyped.insert(in_.tokens[k].start).second) add(k, k, EntityType::kOrg);
    }
    std::erase_if(out_, [&](const Candidate& c) {
      return c.source == 1 && c.type == EntityType::kPerson && retyped.count(c.start);
    });
  }

  const RuleInput& in_;
  std::vector<Candidate>& out_;
  std::vector<std::pair<size_t, size_t>> org_runs_;  // token ranges of organisations typed by a head
  DeadlineCheck deadline_;  // limits.max_page_ms
};

}  // namespace

void apply_rules(const RuleInput& in, std::vector<Candidate>& out) { Scan(in, out).run(); }

bool is_function_word(std::string_view folded) { return stop_words().count(folded) > 0; }

}  // namespace newsd::tag
