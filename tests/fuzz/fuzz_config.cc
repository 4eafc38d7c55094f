// Fuzz target: the TOML config loader and what `newsd check-config` runs on
// top of it (librdkafka's judgement of the pass-through tables). Any text
// gives a config or a list of errors; never a crash, never an exception.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "daemon/config.h"
#include "daemon/kafka/check_properties.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsd;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const config::EnvLookup no_env = [](const std::string&) { return std::optional<std::string>(); };
  Config config;
  std::vector<std::string> errors = load_config_text(text, "fuzz.toml", config, no_env);
  if (errors.empty()) {
    errors = kafka::check_client_properties(config.kafka);
    fuzz::check(config.effective_workers() > 0, "no workers from a valid config");
  }
  return 0;
}
