// `newsd check-config`: validates a config file, printing every error at once.
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "daemon/config.h"
#include "daemon/cli.h"
#include "daemon/commands.h"
#include "daemon/kafka/check_properties.h"

namespace newsd {

// Markdown table of every key, generated from the declarations; the README's
// config reference is this output (tests/config checks they agree).
std::string config_reference_markdown() {
  std::string out = "| key | type | default | description |\n|---|---|---|---|\n";
  for (const config::KeyInfo& k : config::list_keys<Config>()) {
    if (k.is_table) continue;
    std::string def = k.default_value;
    for (size_t pos = 0; (pos = def.find('|', pos)) != std::string::npos; pos += 2) def.replace(pos, 1, "\\|");
    out += "| `" + k.path + "` | " + k.type + " | `" + def + "` | " + k.description + " |\n";
  }
  return out;
}

int check_config_command(const Args& args) {
  bool reference = false;
  ArgParser parser("newsd check-config FILE | newsd check-config --reference",
                   "Validates FILE (with NEWSD_* environment overrides applied) and prints every error with its\n"
                   "key path, and a warning for each NEWSD_* variable that looks meant for a key but names none.\n"
                   "Exit status 0 when valid, 2 otherwise. --reference prints the table of all keys.");
  parser.flag("--reference", reference, "print every key with type, default and description (Markdown)");
  std::vector<std::string> files;
  switch (parser.parse(args, files)) {
    case ArgParser::Result::kHelp: return 0;
    case ArgParser::Result::kError: return 2;
    case ArgParser::Result::kOk: break;
  }
  if (reference) {
    std::fputs(config_reference_markdown().c_str(), stdout);
    return 0;
  }
  if (files.size() != 1) {
    std::fprintf(stderr, "newsd check-config: give exactly one FILE\n%s", parser.help().c_str());
    return 2;
  }
  Config config;
  std::vector<std::string> errors = load_config(files[0], config);
  // The pass-through tables are librdkafka's to judge; it has the only list.
  for (std::string& e : kafka::check_client_properties(config.kafka)) errors.push_back(std::move(e));
  for (const std::string& e : errors) std::fprintf(stderr, "%s: %s\n", files[0].c_str(), e.c_str());
  // A misspelt override is silently no override at all; say so (a warning:
  // the exit status is the file's).
  std::vector<std::string> env_names;
  for (char** e = environ; *e != nullptr; ++e) env_names.emplace_back(*e, std::strcspn(*e, "="));
  for (const std::string& w : config::unknown_env_overrides(config::list_keys<Config>(), env_names))
    std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (!errors.empty()) {
    std::fprintf(stderr, "%zu error%s\n", errors.size(), errors.size() == 1 ? "" : "s");
    return 2;
  }
  std::printf("%s: ok\n", files[0].c_str());
  return 0;
}

}  // namespace newsd
