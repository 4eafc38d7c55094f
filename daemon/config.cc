#include "daemon/config.h"

#include <fstream>
#include <sstream>
#include <thread>

namespace newsd {

int Config::effective_workers() const {
  if (workers > 0) return workers;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

std::vector<std::string> load_config_text(const std::string& text, const std::string& source, Config& out,
                                          const config::EnvLookup& env) {
  return config::load_from_string(text, source, out, env);
}

std::vector<std::string> load_config(const std::string& path, Config& out, const config::EnvLookup& env) {
  if (path.empty()) return load_config_text("", "<defaults>", out, env);
  std::ifstream in(path, std::ios::binary);
  if (!in) return {path + ": cannot open file"};
  std::stringstream buf;
  buf << in.rdbuf();
  return load_config_text(buf.str(), path, out, env);
}

}  // namespace newsd
