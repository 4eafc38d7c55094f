// Declarative config keys: each component declares every key exactly once.
//
// A component config is a plain struct whose member initialisers are the
// defaults, plus a `visit` template that names each key with its description
// and checks:
//
//   struct LimitsConfig {
//     int64_t max_page_bytes = 8 << 20;
//     template <class V> void visit(V& v) {
//       v.key("max_page_bytes", max_page_bytes, "Largest accepted page, in bytes",
//             config::in_range<int64_t>(1, 1LL << 30));
//     }
//   };
//
// The loader (config/loader.h), the reference generator and the environment
// overrides are all visitors over the same declaration, so parser, defaults,
// docs and validation cannot drift apart.
//
// A visitor provides:
//   key(name, field, description, checks...)   a scalar, list or string map
//   table(name, sub_struct, description)       a nested component
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace newsd::config {

using Duration = std::chrono::milliseconds;
using StringMap = std::map<std::string, std::string>;

// A check returns an empty string when the value is fine, otherwise the
// reason ("must be in [1, 64]").
template <class T>
using Check = std::function<std::string(const T&)>;

template <class T>
Check<T> in_range(T lo, T hi) {
  return [lo, hi](const T& v) -> std::string {
    if (v >= lo && v <= hi) return {};
    return "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  };
}

inline Check<Duration> duration_in_range(Duration lo, Duration hi) {
  return [lo, hi](const Duration& v) -> std::string {
    if (v >= lo && v <= hi) return {};
    return "must be between " + std::to_string(lo.count()) + "ms and " + std::to_string(hi.count()) + "ms";
  };
}

Check<std::string> one_of(std::vector<std::string> allowed);
Check<std::string> not_empty();
Check<std::vector<std::string>> list_not_empty();

// How values of each type are named in errors and in the reference.
std::string type_name(const bool&);
std::string type_name(const int&);
std::string type_name(const int64_t&);
std::string type_name(const double&);
std::string type_name(const std::string&);
std::string type_name(const std::vector<std::string>&);
std::string type_name(const Duration&);
std::string type_name(const StringMap&);

// Renders a value the way it is written in TOML ("8388608", "\"json\"", "30s").
std::string to_toml(const bool&);
std::string to_toml(const int&);
std::string to_toml(const int64_t&);
std::string to_toml(const double&);
std::string to_toml(const std::string&);
std::string to_toml(const std::vector<std::string>&);
std::string to_toml(const Duration&);
std::string to_toml(const StringMap&);

// Parses "250ms", "30s", "5m", "2h", "7d". Returns false on anything else.
bool parse_duration(const std::string& text, Duration& out);

// One declared key, as listed by the reference generator.
struct KeyInfo {
  std::string path;  // "kafka.brokers"
  std::string type;
  std::string default_value;  // TOML literal
  std::string description;
  bool is_table = false;
};

// Lists every key of a config struct with its default (read from a
// default-constructed instance).
class KeyLister {
 public:
  explicit KeyLister(std::string prefix = "") : prefix_(std::move(prefix)) {}

  template <class T, class... Checks>
  void key(const char* name, T& field, const char* description, Checks&&...) {
    keys_.push_back({prefix_ + name, type_name(field), to_toml(field), description, false});
  }

  template <class Sub>
  void table(const char* name, Sub& sub, const char* description) {
    keys_.push_back({prefix_ + name, "table", "", description, true});
    KeyLister inner(prefix_ + name + ".");
    sub.visit(inner);
    keys_.insert(keys_.end(), inner.keys_.begin(), inner.keys_.end());
  }

  const std::vector<KeyInfo>& keys() const { return keys_; }

 private:
  std::string prefix_;
  std::vector<KeyInfo> keys_;
};

template <class Config>
std::vector<KeyInfo> list_keys() {
  Config defaults;
  KeyLister lister;
  defaults.visit(lister);
  return lister.keys();
}

// The environment variable that overrides a key: kafka.brokers ->
// NEWSD_KAFKA__BROKERS, log.summary_interval -> NEWSD_LOG__SUMMARY_INTERVAL.
std::string env_var_for(const std::string& key_path);

}  // namespace newsd::config
