// `newsd tag`: the tag stage alone, one document per input line.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "daemon/config.h"
#include "daemon/cli.h"
#include "daemon/commands.h"
#include "stages/encode/encode_stage.h"
#include "stages/encode/json_writer.h"
#include "stages/tag/tagger.h"

namespace newsd {
namespace {

constexpr const char* kDescription =
    "Tags the named entities of plain text: one document per line of FILE (or stdin for - or no\n"
    "FILE), one JSON object per line out: {\"entities\": [{\"text\", \"type\", \"start\", \"end\", \"id\",\n"
    "\"canonical\", \"source\"}]}, start and end in Unicode code points into that line.\n"
    "Uses the [tag] table of the config (gazetteers, model, rules).\n"
    "Exit status: 0 success, 2 usage, config or data error.";

}  // namespace

int tag_command(const Args& args) {
  std::string config_path;
  ArgParser parser("newsd tag [--config FILE] [FILE|-]", kDescription);
  parser.option("--config", config_path, "TOML config file (default: built-in defaults)");
  std::vector<std::string> inputs;
  switch (parser.parse(args, inputs)) {
    case ArgParser::Result::kHelp: return 0;
    case ArgParser::Result::kError: return 2;
    case ArgParser::Result::kOk: break;
  }
  if (inputs.size() > 1) {
    std::fprintf(stderr, "newsd tag: at most one FILE\n%s", parser.help().c_str());
    return 2;
  }
  Config config;
  if (auto errors = load_config(config_path, config); !errors.empty()) {
    for (const auto& e : errors) std::fprintf(stderr, "config error: %s\n", e.c_str());
    return 2;
  }
  std::string error;
  const std::shared_ptr<const tag::TagResources> res = tag::TagResources::load(config.tag, error);
  if (!res) {
    std::fprintf(stderr, "newsd tag: %s\n", error.c_str());
    return 2;
  }
  std::ifstream file;
  if (!inputs.empty() && inputs[0] != "-") {
    file.open(inputs[0], std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "newsd tag: cannot read %s\n", inputs[0].c_str());
      return 2;
    }
  }
  std::istream& in = file.is_open() ? static_cast<std::istream&>(file) : std::cin;
  tag::Tagger tagger(config.tag);
  std::vector<Entity> entities;
  std::string line, out;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    tagger.tag(*res, line, entities);
    out.clear();
    JsonWriter w(out);
    w.begin_object();
    w.key("entities").begin_array();
    for (const Entity& e : entities) write_entity(w, e);
    w.end_array();
    w.end_object();
    out.push_back('\n');
    std::cout << out;
  }
  std::cout.flush();
  return 0;
}

}  // namespace newsd
