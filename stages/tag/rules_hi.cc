#include "stages/tag/rules_hi.h"

namespace newsd::tag {

// Function words that never start or continue a name (Hindi postpositions,
// pronouns, determiners, auxiliaries; English articles and prepositions).
const WordSet& stop_words() {
  static const WordSet s = {
      "ने",     "के",      "की",     "का",    "को",    "से",       "में",      "पर",      "तक",        "द्वारा", "लिए",
      "साथ",   "बाद",    "पहले",    "और",    "एवं",    "व",       "या",     "है",       "हैं",         "था",    "थे",
      "थी",    "हो",     "गया",    "गई",    "गए",    "किया",    "करने",    "करते",     "कर",        "होगा",  "होगी",
      "जाएगा", "जाएगी",  "इस",     "उस",    "यह",    "वह",      "ये",      "वे",       "एक",        "किसी",  "सभी",
      "हर",    "अपने",    "अपनी",   "अपना",  "कई",    "इन",      "उन",     "जो",      "जिस",       "नए",    "नया",
      "पूरे",    "सरकारी", "स्थानीय", "विशेष",  "संबंधित", "भी",      "ही",     "तो",      "कि",        "न",     "नहीं",
      "दो",    "तीन",    "उनके",    "उनकी",  "इसके",   "इसकी",    "उसके",    "उसकी",    "आज",        "कल",    "अब",
      "यहां",   "वहां",    "बीच",    "तहत",   "खिलाफ", "ओर",      "मुताबिक", "अनुसार",   "दौरान",     "बारे",   "वाले",
      "वाली",  "संभागीय", "वरिष्ठ",  "प्रमुख",  "पूर्व",   "नवनियुक्त", "योजना",  "अधिकारी", "अधिकारियों", "करें",    "कहा",
      "बताया", "हुए",     "हुई",     "हुआ",    "रहे",    "रही",     "रहा",    "खासकर",   "लेकर",       "दिया",  "दी",
      "गये",    "जा",     "सकते",    "सकता",  "वाला",  "कुछ",      "सबसे",    "बहुत",     "केवल",       "सिर्फ",  "जैसे",
      "जब",    "तब",     "यदि",    "अगर",   "लेकिन",  "किंतु",     "परंतु",    "तथा",     "ताकि",      "क्योंकि", "इसलिए",
      "जबकि",  "यानी",   "अर्थात",  "प्रत्येक", "प्रति",  "हेतु",      "इसे",     "उसे",      "जिसे",       "जिसका", "जिसकी",
      "जिसके",  "जिन्हें",   "इसी",    "उसी",   "यही",   "वही",     "ऐसे",     "ऐसी",     "ऐसा",       "मिलकर", "लगभग",
      "करीब",  "हम",     "हमारे",   "हमारी", "हमारा", "मैं",       "मेरे",     "मेरी",     "उन्होंने",     "उन्हें",   "इन्हें",
      "समेत",   "तमाम",   "विभिन्न", "जहां",   "वहीं",   "यहीं",     "the",    "a",       "an",        "of",    "and",
      "in",    "on",     "at",     "to",    "for",   "with",    "by",     "from",    "this",      "that",  "his",
      "her",   "its",    "their",  "our",   "said",  "says"};
  return s;
}

// Head nouns that make the words before them a name of that type.
const HeadMap& devanagari_heads() {
  static const HeadMap m = {
      {"विभाग", EntityType::kOrg},  {"ब्यूरो", EntityType::kOrg},        {"मंत्रालय", EntityType::kOrg},
      {"आयोग", EntityType::kOrg},   {"परिषद", EntityType::kOrg},       {"समिति", EntityType::kOrg},
      {"निगम", EntityType::kOrg},   {"प्राधिकरण", EntityType::kOrg},    {"बोर्ड", EntityType::kOrg},
      {"संस्थान", EntityType::kOrg},  {"विश्वविद्यालय", EntityType::kOrg}, {"बैंक", EntityType::kOrg},
      {"पार्टी", EntityType::kOrg},  {"अकादमी", EntityType::kOrg},      {"न्यायालय", EntityType::kOrg},
      {"कोर्ट", EntityType::kOrg},   {"दूतावास", EntityType::kOrg},      {"उच्चायोग", EntityType::kOrg},
      {"पुलिस", EntityType::kOrg},   {"सेना", EntityType::kOrg},         {"झील", EntityType::kLoc},
      {"नदी", EntityType::kLoc},    {"सागर", EntityType::kLoc},        {"महासागर", EntityType::kLoc},
      {"पर्वत", EntityType::kLoc},   {"घाटी", EntityType::kLoc},        {"द्वीप", EntityType::kLoc},
      {"सेंटर", EntityType::kLoc},    {"स्टेडियम", EntityType::kLoc},      {"एयरपोर्ट", EntityType::kLoc},
      {"चौक", EntityType::kLoc},    {"किला", EntityType::kLoc},        {"मंदिर", EntityType::kLoc},
      {"मस्जिद", EntityType::kLoc},  {"दिवस", EntityType::kEvent},      {"महोत्सव", EntityType::kEvent},
      {"ओलंपिक", EntityType::kEvent}};
  return m;
}

const WordSet& titles() {
  static const WordSet s = {
      "आयुक्त",         "सचिव",         "मंत्री",      "महानिरीक्षक", "निरीक्षक",    "प्रधानमंत्री", "राष्ट्रपति",    "अध्यक्ष",
      "निदेशक",        "प्रवक्ता",       "उपायुक्त",    "मुख्यमंत्री",    "राज्यपाल",    "उपराज्यपाल", "सांसद",        "विधायक",
      "डॉ",           "श्री",          "श्रीमती",    "सुश्री",       "न्यायमूर्ति",   "कलेक्टर",     "अधीक्षक",      "महासचिव",
      "प्रोफेसर",       "कमिश्नर",       "महानिदेशक",  "राजदूत",      "उपाध्यक्ष",    "mr",        "mrs",         "ms",
      "dr",           "president",    "minister",  "secretary",  "chancellor", "senator",   "governor",    "premier",
      "ambassador",   "spokesperson", "spokesman", "general",    "justice",    "judge",     "sir",         "king",
      "queen",        "prince",       "pope",      "sheikh",     "ceo",        "chairman",  "chairperson", "director",
      "commissioner", "inspector",    "mayor",     "prof",       "professor",  "state",     "affairs",     "external",
      "foreign",      "defence",      "defense",   "home",       "finance",    "chief",     "prime",       "deputy",
      "attorney",     "rep",          "sen",       "gov",        "gen",        "lt",        "col",         "sgt",
      "capt",         "maj",          "adm",       "cmdr",       "supt"};
  return s;
}

const WordSet& event_nouns() {
  static const WordSet s = {"summit", "talks", "dialogue", "meeting", "conference", "वार्ता", "बैठक", "सम्मेलन", "शिखर"};
  return s;
}

const WordSet& place_words() {
  static const WordSet s = {"जिले", "जिला", "जिलों", "तहसील", "district", "districts"};
  return s;
}

// Government schemes and prizes take a leader's title without naming a
// person: "प्रधानमंत्री किसान सम्मान निधि", "प्रधानमंत्री जन धन योजना".
const WordSet& programme_words() {
  static const WordSet s = {"योजना", "योजनाओं", "अभियान", "मिशन", "निधि", "कार्यक्रम", "पुरस्कार", "सम्मान", "पेंशन", "बीमा"};
  return s;
}

}  // namespace newsd::tag
