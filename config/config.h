// Config: the root of newsd's configuration, one typed table per component.
//
// Every key is declared once, in its component's `visit`; see config/schema.h.
// `newsd check-config` and the README's reference are generated from here.
#pragma once

#include <string>
#include <vector>

#include "config/loader.h"
#include "config/schema.h"
#include "stages/decode/decode_config.h"

namespace newsd {

struct LogConfig {
  std::string level = "info";
  std::string format = "text";

  template <class V>
  void visit(V& v) {
    v.key("level", level, "Least severe level logged",
          config::one_of({"trace", "debug", "info", "warn", "error", "critical", "off"}));
    v.key("format", format, "Log line format: human-readable text or one JSON object per line",
          config::one_of({"text", "json"}));
  }
};

struct Config {
  int workers = 0;
  LimitsConfig limits;
  LogConfig log;

  template <class V>
  void visit(V& v) {
    v.key("workers", workers, "Worker threads running the stage chain; 0 = one per CPU core",
          config::in_range(0, 1024));
    v.table("limits", limits, "Limits on accepted pages");
    v.table("log", log, "Logging");
  }

  // Worker count with 0 resolved to the number of cores.
  int effective_workers() const;
};

// Loads a config file (path empty = defaults only), applying NEWSD_* environment
// overrides. Returns every error, each naming its key path.
std::vector<std::string> load_config(const std::string& path, Config& out,
                                     const config::EnvLookup& env = config::process_env());

// Same, from TOML text.
std::vector<std::string> load_config_text(const std::string& text, const std::string& source, Config& out,
                                          const config::EnvLookup& env = config::process_env());

}  // namespace newsd
