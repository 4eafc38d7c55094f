// newsd: streaming news-processing daemon. Dispatches to the subcommands.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "daemon/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(const newsd::Args&);
  const char* summary;
};

constexpr Command kCommands[] = {
    {"process", newsd::process_command, "extract and enrich pages from files or stdin, print article JSON lines"},
    {"check-config", newsd::check_config_command, "validate a config file and print every error"},
    {"tag", newsd::tag_command, "tag named entities in plain text, one document per line, print JSON lines"},
    {"run", newsd::run_command, "the Kafka daemon: consume pages, publish articles and dead letters"},
};

void usage(FILE* out) {
  std::fprintf(out, "usage: newsd COMMAND [ARGS...]\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-14s %s\n", c.name, c.summary);
  std::fprintf(out, "\n`newsd COMMAND --help` describes a command; `newsd --version` prints the version.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const std::string_view cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    std::printf("newsd %s\n", NEWSD_VERSION);
    return 0;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    usage(stdout);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (cmd == c.name) return c.run(newsd::Args(argv + 2, argv + argc));
  }
  std::fprintf(stderr, "newsd: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}
