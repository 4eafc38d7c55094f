#include "stages/tag/rules_en.h"

namespace newsd::tag {

// Head nouns that make the capitalised words before them a name of that type.
const HeadMap& latin_heads() {
  static const HeadMap m = {
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
      {"hospital", EntityType::kOrg},    {"infirmary", EntityType::kOrg},  {"office", EntityType::kOrg},
      {"school", EntityType::kOrg},      {"college", EntityType::kOrg},    {"academy", EntityType::kOrg},
      {"society", EntityType::kOrg},     {"fund", EntityType::kOrg},       {"trust", EntityType::kOrg},
      {"alliance", EntityType::kOrg},    {"coalition", EntityType::kOrg},  {"league", EntityType::kOrg},
      {"administration", EntityType::kOrg}, {"healthcare", EntityType::kOrg}, {"equities", EntityType::kOrg},
      {"capital", EntityType::kOrg},     {"partners", EntityType::kOrg},   {"media", EntityType::kOrg},
      {"labs", EntityType::kOrg},        {"laboratory", EntityType::kOrg}, {"laboratories", EntityType::kOrg},
      {"energy", EntityType::kOrg},      {"entertainment", EntityType::kOrg}, {"records", EntityType::kOrg},
      {"studios", EntityType::kOrg},     {"press", EntityType::kOrg},      {"news", EntityType::kOrg},
      {"podcast", EntityType::kOrg},     {"shelter", EntityType::kOrg},    {"operations", EntityType::kOrg},
      {"solutions", EntityType::kOrg},   {"magazine", EntityType::kOrg},   {"journal", EntityType::kOrg},
      {"post", EntityType::kOrg},        {"tribune", EntityType::kOrg},    {"herald", EntityType::kOrg},
      {"gazette", EntityType::kOrg},     {"church", EntityType::kOrg},     {"guard", EntityType::kOrg},
      {"forces", EntityType::kOrg},      {"pharmaceuticals", EntityType::kOrg}, {"financial", EntityType::kOrg},
      {"insurance", EntityType::kOrg},   {"securities", EntityType::kOrg}, {"investments", EntityType::kOrg},
      {"ventures", EntityType::kOrg},    {"railways", EntityType::kOrg},   {"electronics", EntityType::kOrg},
      {"communications", EntityType::kOrg}, {"petroleum", EntityType::kOrg}, {"brands", EntityType::kOrg},
      {"plateau", EntityType::kLoc},     {"mountain", EntityType::kLoc},   {"desert", EntityType::kLoc},
      {"peninsula", EntityType::kLoc},   {"canal", EntityType::kLoc},      {"square", EntityType::kLoc},
      {"avenue", EntityType::kLoc},      {"park", EntityType::kLoc},       {"bridge", EntityType::kLoc},
      {"gulf", EntityType::kLoc},        {"coast", EntityType::kLoc},      {"beach", EntityType::kLoc},
      {"harbor", EntityType::kLoc},      {"harbour", EntityType::kLoc},    {"city", EntityType::kLoc},
      {"region", EntityType::kLoc},      {"pavilion", EntityType::kLoc},   {"arena", EntityType::kLoc},      {"show", EntityType::kEvent},     {"final", EntityType::kEvent},
      {"finals", EntityType::kEvent},    {"marathon", EntityType::kEvent}, {"tournament", EntityType::kEvent},
      {"expo", EntityType::kEvent},      {"week", EntityType::kEvent},     {"awards", EntityType::kEvent},
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

// Job words that, with titles, make "General Manager of Life Care Solutions"
// a role held in the organisation after "of".
const WordSet& roles() {
  static const WordSet s = {"manager", "head", "vice", "executive", "officer", "founder", "co-founder", "chair", "member",
                        "leader", "partner", "analyst", "editor", "correspondent", "dean", "owner", "coach", "captain",
                        "operating", "managing", "senior", "associate", "assistant", "lead", "principal", "ranking"};
  return s;
}

// Acronyms that name no organisation.
const WordSet& acronyms() {
  static const WordSet s = {"ceo", "cfo", "coo", "cto", "ipo", "suv", "suvs", "ev", "evs", "gdp", "ai", "tv", "pc",
                        "dna", "rna", "api", "faq", "usb", "led", "lcd", "gps", "vr", "ar", "ok", "pm", "am", "ad",
                        "bc", "hd", "uhd", "cd", "dvd", "mp", "mps", "vs", "etc", "ie", "eg", "phd", "mba", "vip",
                        "diy", "ceos", "rpm", "mph", "kg", "km", "ft", "hq", "pr", "hr", "it", "id", "tba", "fyi",
                        "covid", "aids", "hiv", "wifi", "lol", "omg", "mvp", "nft", "nfts", "esg", "ipos", "wtf",
                        "btw", "imo", "aka", "asap", "rip", "ps", "nb", "gif", "pdf", "html", "url", "sms", "otp"};
  return s;
}

// What an organisation is called in an appositive ("Kosmos, a group ...").
const WordSet& org_nouns() {
  static const WordSet s = {"company", "firm", "startup", "start-up", "maker", "manufacturer", "retailer", "group",
                        "provider", "bank", "lender", "insurer", "publisher", "agency", "organization",
                        "organisation", "nonprofit", "non-profit", "charity", "brand", "chain", "carrier",
                        "airline", "developer", "operator", "outlet", "newspaper", "broadcaster", "website",
                        "supplier", "conglomerate", "subsidiary", "unit", "division", "studio", "label", "club",
                        "consultancy", "fund", "automaker", "carmaker", "chipmaker", "distributor", "exchange",
                        "regulator", "watchdog", "think-tank", "institute", "university", "party", "militia"};
  return s;
}

// Jobs held at an organisation: "<job> of/at <name>".
const WordSet& org_jobs() {
  static const WordSet s = {"ceo", "cfo", "cto", "coo", "founder", "co-founder", "chairman", "chairwoman", "executive",
                        "analyst", "analysts", "officer", "employee", "employees", "engineer", "engineers",
                        "researcher", "researchers", "owner", "shareholders", "investors", "president"};
  return s;
}

// What a company has: "Ascom's shareholders", "Tyvak's chief executive".
const WordSet& org_possessions() {
  static const WordSet s = {"ceo", "cfo", "shares", "stock", "board", "founder", "co-founder", "headquarters",
                        "subsidiary", "revenue", "revenues", "profit", "profits", "earnings", "customers",
                        "employees", "investors", "shareholders", "stake", "valuation", "ipo", "app", "platform",
                        "website", "products", "stores", "subscribers", "workforce"};
  return s;
}

// Words of dates, never part of a name ("New Year", "Monday").
const WordSet& calendar_words() {
  static const WordSet s = {"monday",  "tuesday",   "wednesday", "thursday", "friday",   "saturday", "sunday",
                            "january", "february",  "march",     "april",    "may",      "june",     "july",
                            "august",  "september", "october",   "november", "december", "new",      "year"};
  return s;
}

}  // namespace newsd::tag
