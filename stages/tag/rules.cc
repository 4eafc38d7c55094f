#include "stages/tag/rules.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace newsd::tag {
namespace {

using Set = std::unordered_set<std::string_view>;
using Map = std::unordered_map<std::string_view, EntityType>;

// Function words that never start or continue a name (Hindi postpositions,
// pronouns, determiners, auxiliaries; English articles and prepositions).
const Set& stop_words() {
  static const Set s = {
      "ने", "के", "की", "का", "को", "से", "में", "पर", "तक", "द्वारा", "लिए", "साथ", "बाद", "पहले", "और", "एवं", "व", "या",
      "है", "हैं", "था", "थे", "थी", "हो", "गया", "गई", "गए", "किया", "करने", "करते", "कर", "होगा", "होगी", "जाएगा", "जाएगी",
      "इस", "उस", "यह", "वह", "ये", "वे", "एक", "किसी", "सभी", "हर", "अपने", "अपनी", "अपना", "कई", "इन", "उन", "जो", "जिस",
      "नए", "नया", "पूरे", "सरकारी", "स्थानीय", "विशेष", "संबंधित", "भी", "ही", "तो", "कि", "न", "नहीं", "दो", "तीन",
      "उनके", "उनकी", "इसके", "इसकी", "उसके", "उसकी", "आज", "कल", "अब", "यहां", "वहां", "बीच", "तहत", "खिलाफ", "ओर",
      "मुताबिक", "अनुसार", "दौरान", "बारे", "वाले", "वाली", "संभागीय", "वरिष्ठ", "प्रमुख", "पूर्व", "नवनियुक्त",
      "योजना", "अधिकारी", "अधिकारियों", "करें", "कहा", "बताया", "हुए", "हुई", "हुआ", "रहे", "रही", "रहा", "खासकर", "लेकर", "दिया", "दी", "गये", "जा", "सकते",
      "सकता", "वाला", "कुछ", "सबसे", "बहुत", "केवल", "सिर्फ", "जैसे", "जब", "तब", "यदि", "अगर", "लेकिन", "किंतु", "परंतु",
      "the", "a", "an", "of", "and", "in", "on", "at", "to", "for", "with", "by", "from", "this", "that", "his", "her",
      "its", "their", "our", "said", "says"};
  return s;
}

// Head nouns that make the words before them a name of that type.
const Map& devanagari_heads() {
  static const Map m = {
      {"विभाग", EntityType::kOrg},      {"ब्यूरो", EntityType::kOrg},      {"मंत्रालय", EntityType::kOrg},
      {"आयोग", EntityType::kOrg},       {"परिषद", EntityType::kOrg},      {"समिति", EntityType::kOrg},
      {"निगम", EntityType::kOrg},        {"प्राधिकरण", EntityType::kOrg},    {"बोर्ड", EntityType::kOrg},
      {"संस्थान", EntityType::kOrg},      {"विश्वविद्यालय", EntityType::kOrg}, {"बैंक", EntityType::kOrg},
      {"पार्टी", EntityType::kOrg},      {"अकादमी", EntityType::kOrg},
      {"न्यायालय", EntityType::kOrg},     {"कोर्ट", EntityType::kOrg},       {"दूतावास", EntityType::kOrg},
      {"उच्चायोग", EntityType::kOrg},     {"पुलिस", EntityType::kOrg},       {"सेना", EntityType::kOrg},
      {"झील", EntityType::kLoc},         {"नदी", EntityType::kLoc},         {"सागर", EntityType::kLoc},
      {"महासागर", EntityType::kLoc},      {"पर्वत", EntityType::kLoc},        {"घाटी", EntityType::kLoc},
      {"द्वीप", EntityType::kLoc},        {"सेंटर", EntityType::kLoc},       {"स्टेडियम", EntityType::kLoc},
      {"एयरपोर्ट", EntityType::kLoc},     {"चौक", EntityType::kLoc},         {"किला", EntityType::kLoc},
      {"मंदिर", EntityType::kLoc},        {"मस्जिद", EntityType::kLoc},      {"दिवस", EntityType::kEvent},
      {"महोत्सव", EntityType::kEvent},    {"ओलंपिक", EntityType::kEvent}};
  return m;
}

const Map& latin_heads() {
  static const Map m = {
      {"commission", EntityType::kOrg},  {"ministry", EntityType::kOrg},   {"council", EntityType::kOrg},
      {"bank", EntityType::kOrg},        {"organisation", EntityType::kOrg}, {"organization", EntityType::kOrg},
      {"university", EntityType::kOrg},  {"party", EntityType::kOrg},      {"police", EntityType::kOrg},
      {"corporation", EntityType::kOrg}, {"department", EntityType::kOrg}, {"bureau", EntityType::kOrg},
      {"agency", EntityType::kOrg},      {"embassy", EntityType::kOrg},    {"committee", EntityType::kOrg},
      {"court", EntityType::kOrg},       {"army", EntityType::kOrg},       {"navy", EntityType::kOrg},
      {"institute", EntityType::kOrg},   {"association", EntityType::kOrg}, {"federation", EntityType::kOrg},
      {"authority", EntityType::kOrg},   {"board", EntityType::kOrg},      {"foundation", EntityType::kOrg},
      {"company", EntityType::kOrg},     {"inc", EntityType::kOrg},        {"ltd", EntityType::kOrg},
      {"group", EntityType::kOrg},       {"times", EntityType::kOrg},      {"parliament", EntityType::kOrg},
      {"assembly", EntityType::kOrg},    {"senate", EntityType::kOrg},     {"union", EntityType::kOrg},
      {"services", EntityType::kOrg},    {"systems", EntityType::kOrg},    {"technologies", EntityType::kOrg},
      {"industries", EntityType::kOrg},  {"motors", EntityType::kOrg},     {"airlines", EntityType::kOrg},
      {"airways", EntityType::kOrg},     {"holdings", EntityType::kOrg},   {"limited", EntityType::kOrg},
      {"corp", EntityType::kOrg},        {"llc", EntityType::kOrg},        {"plc", EntityType::kOrg},
      {"club", EntityType::kOrg},        {"fc", EntityType::kOrg},         {"network", EntityType::kOrg},
      {"river", EntityType::kLoc},       {"lake", EntityType::kLoc},       {"mountains", EntityType::kLoc},
      {"sea", EntityType::kLoc},         {"ocean", EntityType::kLoc},      {"island", EntityType::kLoc},
      {"islands", EntityType::kLoc},     {"valley", EntityType::kLoc},     {"airport", EntityType::kLoc},
      {"stadium", EntityType::kLoc},     {"centre", EntityType::kLoc},     {"center", EntityType::kLoc},
      {"street", EntityType::kLoc},      {"road", EntityType::kLoc},       {"province", EntityType::kLoc},
      {"district", EntityType::kLoc},    {"county", EntityType::kLoc},     {"bay", EntityType::kLoc},
      {"strait", EntityType::kLoc},      {"summit", EntityType::kEvent},   {"conference", EntityType::kEvent},
      {"dialogue", EntityType::kEvent},  {"games", EntityType::kEvent},    {"olympics", EntityType::kEvent},
      {"cup", EntityType::kEvent},       {"war", EntityType::kEvent},      {"festival", EntityType::kEvent},
      {"election", EntityType::kEvent},  {"elections", EntityType::kEvent}, {"championship", EntityType::kEvent}};
  return m;
}

const Set& titles() {
  static const Set s = {
      "आयुक्त", "सचिव", "मंत्री", "महानिरीक्षक", "निरीक्षक", "प्रधानमंत्री", "राष्ट्रपति", "अध्यक्ष", "निदेशक", "प्रवक्ता",
      "उपायुक्त", "मुख्यमंत्री", "राज्यपाल", "उपराज्यपाल", "सांसद", "विधायक", "डॉ", "श्री", "श्रीमती", "सुश्री", "न्यायमूर्ति",
      "कलेक्टर", "अधीक्षक", "महासचिव", "प्रोफेसर", "कमिश्नर", "महानिदेशक", "राजदूत", "उपाध्यक्ष",
      "mr", "mrs", "ms", "dr", "president", "minister", "secretary", "chancellor", "senator", "governor", "premier",
      "ambassador", "spokesperson", "spokesman", "general", "justice", "judge", "sir", "king", "queen", "prince", "pope",
      "sheikh", "ceo", "chairman", "chairperson", "director", "commissioner", "inspector", "mayor", "prof", "professor",
      "state", "affairs", "external", "foreign", "defence", "defense", "home", "finance", "chief", "prime", "deputy"};
  return s;
}

const Set& event_nouns() {
  static const Set s = {"summit", "talks", "dialogue", "meeting", "conference", "वार्ता", "बैठक", "सम्मेलन", "शिखर"};
  return s;
}

const Set& place_words() {
  static const Set s = {"जिले", "जिला", "जिलों", "तहसील", "district", "districts"};
  return s;
}

const Set& calendar_words() {
  static const Set s = {"monday",  "tuesday", "wednesday", "thursday", "friday",   "saturday", "sunday",
                        "january", "february", "march",    "april",    "may",      "june",     "july",
                        "august",  "september", "october", "november", "december", "new",      "year"};
  return s;
}

class Scan {
 public:
  Scan(const RuleInput& in, std::vector<Candidate>& out) : in_(in), out_(out) {}

  void run() {
    for (size_t t = 0; t < in_.tokens.size(); ++t) {
      heads(t);
      place_list(t);
      titled_person(t);
      events(t);
      embassy(t);
    }
    capitalised_runs();
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
  bool capitalised(size_t t) const { return !devanagari(t) && is_upper(original_first(t)); }
  bool sentence_start(size_t t) const { return t == 0 || in_.tokens[t - 1].sentence_end; }
  void add(size_t a, size_t b, EntityType type) {  // tokens [a, b]
    out_.push_back({in_.tokens[a].start, in_.tokens[b].end, type, 1, -1, {}});
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
    // One generic word before an organisation head ("नई समिति", "बड़ी कंपनी")
    // is rarely a name; a known place or people before it is ("रूसी दूतावास").
    if (it->second == EntityType::kOrg && n == 1 && !gaz_type(a, "LOC") && !gaz_type(a, "NORP")) return;
    if (n > 0) add(a, t, it->second);
  }

  // "अनंतनाग, बारामूला और कठुआ जिलों", "Anantnag and Kathua districts".
  void place_list(size_t t) {
    if (!place_words().count(w(t)) || t == 0) return;
    size_t k = t - 1;
    for (int items = 0; items < 8; ++items) {
      if (!content(k) || (!devanagari(k) && !capitalised(k))) return;
      if (in_.gaz_labels[k].empty() || gaz_type(k, "LOC")) add(k, k, EntityType::kLoc);
      if (k < 2) return;
      const std::string_view sep = w(k - 1);
      if (sep != "," && sep != "और" && sep != "and" && sep != "व") return;
      k -= 2;
    }
  }

  // "महानिरीक्षक सुरेश चंद्र भट्ट ने", "Minister Sergei Lavrov".
  void titled_person(size_t t) {
    if (!titles().count(w(t))) return;
    const bool deva = devanagari(t);
    if (!deva && !capitalised(t)) return;
    size_t e = t + 1, n = 0;
    while (e < in_.tokens.size() && n < 3) {
      if (deva) {
        if (!devanagari(e) || !content(e) || (!in_.gaz_labels[e].empty() && !gaz_type(e, "PERSON"))) break;
      } else {
        const bool initial = w(e).size() == 1 && e + 1 < in_.tokens.size() && w(e + 1) == ".";
        if (!capitalised(e) || titles().count(w(e)) || (!initial && !content(e))) break;
        if (initial) ++e;  // the period of "S."
      }
      ++e;
      ++n;
      if (in_.tokens[e - 1].sentence_end && w(e - 1) != ".") break;
    }
    if (n == 0 || (deva && n < 2)) return;
    // A Devanagari name ends at a postposition, punctuation or the sentence end.
    if (deva && e < in_.tokens.size() && content(e)) return;
    add(t + 1, e - 1, EntityType::kPerson);
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
      classify_run(t, e);
      t = e + 1;
    }
  }

  void classify_run(size_t a, size_t b) {
    // Skip calendar words at either end (New Year, Monday).
    const auto connector = [&](size_t k) {
      const std::string_view c = w(k);
      return c == "of" || c == "on" || c == "for" || c == "and" || c == "&" || c == "the" || c == "," || c == ".";
    };
    while (a <= b && (calendar_words().count(w(a)) || connector(a))) ++a;
    while (b > a && (calendar_words().count(w(b)) || connector(b))) --b;
    if (a > b || calendar_words().count(w(b))) return;
    // A head word anywhere types the run: "Commission on Trade, ... Cooperation".
    auto it = latin_heads().find(w(b));
    if (it != latin_heads().end() && b > a) {
      add(a, b, it->second);
      return;
    }
    for (size_t k = a; k < b; ++k) {
      auto h = latin_heads().find(w(k));
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
      if (s <= b && b - s < 4) add(s, b, EntityType::kPerson);
      return;
    }
    // "S. Jaishankar": an initial marks a person.
    if (b > a && w(a).size() == 1 && a + 1 <= b && w(a + 1) == "." && !sentence_start(a)) {
      add(a, b, EntityType::kPerson);
      return;
    }
    // "Rahul Sharma said": two or three capitalised words before a verb of saying.
    const std::string_view next = b + 1 < in_.tokens.size() ? w(b + 1) : std::string_view();
    if (b > a && b - a <= 2 &&
        (next == "said" || next == "says" || next == "told" || next == "added" || next == "wrote" || next == "asked"))
      add(a, b, EntityType::kPerson);
  }

  const RuleInput& in_;
  std::vector<Candidate>& out_;
};

}  // namespace

void apply_rules(const RuleInput& in, std::vector<Candidate>& out) { Scan(in, out).run(); }

}  // namespace newsd::tag
