// Config of the tag stage: which gazetteers and model to load, and limits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/schema.h"

namespace newsd {

struct TagConfig {
  bool enabled = true;
  std::string data_dir;
  std::vector<std::string> gazetteers = {"builtin:gazetteer.tsv"};
  std::string model = "builtin:tagger-hi.model";
  std::string english_model = "builtin:tagger-en.model";
  bool rules = true;
  int64_t max_text_bytes = 4 << 20;
  int max_entities = 2000;

  template <class V>
  void visit(V& v) {
    v.key("enabled", enabled, "Run the tag stage (entity tagging and linking)");
    v.key("data_dir", data_dir,
          "Directory 'builtin:NAME' files are read from; empty = the nearest share/newsd at or above the "
          "executable's directory (installed: PREFIX/share/newsd; build tree: its link to stages/tag/data)");
    v.key("gazetteers", gazetteers,
          "Gazetteer files (alias<TAB>type<TAB>id<TAB>canonical), earlier files win; 'builtin:NAME' is a file of "
          "the shipped data directory");
    v.key("model", model,
          "Statistical tagger model for Devanagari sentences ('builtin:NAME' as above); empty = gazetteer and rules "
          "only");
    v.key("english_model", english_model,
          "Statistical tagger model for sentences in Latin script (English); empty = gazetteer and rules only");
    v.key("rules", rules, "Apply the pattern rules (capitalised names, titles, organisation and place heads)");
    v.key("max_text_bytes", max_text_bytes, "Longer article texts are tagged only up to this many bytes",
          config::in_range<int64_t>(1024, int64_t{1} << 30));
    v.key("max_entities", max_entities, "Most entities kept per article", config::in_range(1, 1000000));
  }
};

}  // namespace newsd
