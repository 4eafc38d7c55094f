// The newsd subcommands. Each takes the arguments after its name and returns
// the process exit code: 0 success, 1 some inputs failed, 2 usage or config error.
#pragma once

#include <string>
#include <vector>

namespace newsd {

using Args = std::vector<std::string>;

int process_command(const Args& args);
int check_config_command(const Args& args);
int tag_command(const Args& args);
int run_command(const Args& args);

// The config reference table (Markdown), generated from the key declarations.
std::string config_reference_markdown();

}  // namespace newsd
