// TomlLoader: the visitor that fills a config struct from a TOML table and
// from NEWSD_* environment variables, collecting every error with its key path.
//
// Precedence per key: default < TOML file < environment. Unknown keys in the
// file are errors. Checks run on the final value. Nothing stops at the first
// error: the caller gets them all.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/schema.h"

namespace newsd::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Reads the process environment.
EnvLookup process_env();

// Each returns an empty string on success, else what was wrong.
std::string read_toml(const toml::node& node, bool& out);
std::string read_toml(const toml::node& node, int& out);
std::string read_toml(const toml::node& node, int64_t& out);
std::string read_toml(const toml::node& node, double& out);
std::string read_toml(const toml::node& node, std::string& out);
std::string read_toml(const toml::node& node, std::vector<std::string>& out);  // also "a,b" (read_text)
std::string read_toml(const toml::node& node, Duration& out);
std::string read_toml(const toml::node& node, StringMap& out);

std::string read_text(const std::string& text, bool& out);
std::string read_text(const std::string& text, int& out);
std::string read_text(const std::string& text, int64_t& out);
std::string read_text(const std::string& text, double& out);
std::string read_text(const std::string& text, std::string& out);
std::string read_text(const std::string& text, std::vector<std::string>& out);  // comma-separated, items trimmed
std::string read_text(const std::string& text, Duration& out);
std::string read_text(const std::string& text, StringMap& out);  // k=v,k=v

// The NEWSD_* names among `env_names` that look meant for a config key but
// override none: any with a double underscore that is no key's variable, and a
// key's variable written with single underscores (NEWSD_KAFKA_BROKERS). Each
// entry is a message naming the variable, and the key's variable when one was
// meant. Other NEWSD_* names (the scripts' NEWSD_KAFKA_PORT...) are not config.
std::vector<std::string> unknown_env_overrides(const std::vector<KeyInfo>& keys,
                                               const std::vector<std::string>& env_names);

class TomlLoader {
 public:
  // `table` may be null (the section is absent): defaults and environment
  // still apply. `errors` and `env` must outlive the loader.
  TomlLoader(const toml::table* table, std::string prefix, std::vector<std::string>& errors, const EnvLookup& env)
      : table_(table), prefix_(std::move(prefix)), errors_(errors), env_(env) {}

  template <class T, class... Checks>
  void key(const char* name, T& field, const char* /*description*/, Checks&&... checks) {
    const std::string path = prefix_ + name;
    seen_.insert(name);
    if (table_ != nullptr) {
      if (const toml::node* node = table_->get(name)) {
        if (std::string err = read_toml(*node, field); !err.empty()) {
          errors_.push_back(path + ": " + err);
          return;
        }
      }
    }
    const std::string var = env_var_for(path);
    if (std::optional<std::string> value = env_(var)) {
      if (std::string err = read_text(*value, field); !err.empty()) {
        errors_.push_back(path + " (from " + var + "): " + err);
        return;
      }
    }
    (run_check(path, field, checks), ...);
  }

  template <class Sub>
  void table(const char* name, Sub& sub, const char* /*description*/) {
    const std::string path = prefix_ + name;
    seen_.insert(name);
    const toml::table* inner = nullptr;
    if (table_ != nullptr) {
      if (const toml::node* node = table_->get(name)) {
        inner = node->as_table();
        if (inner == nullptr) {
          errors_.push_back(path + ": expected a table");
          return;
        }
      }
    }
    TomlLoader loader(inner, path + ".", errors_, env_);
    sub.visit(loader);
    loader.report_unknown_keys();
    if constexpr (requires { sub.validate(errors_, path); }) sub.validate(errors_, path);
  }

  void report_unknown_keys() const {
    if (table_ == nullptr) return;
    for (const auto& [k, v] : *table_) {
      if (seen_.count(std::string(k.str())) == 0) errors_.push_back(prefix_ + std::string(k.str()) + ": unknown key");
    }
  }

 private:
  template <class T, class C>
  void run_check(const std::string& path, const T& value, const C& check) {
    if (std::string err = check(value); !err.empty()) errors_.push_back(path + ": " + err + ", got " + to_toml(value));
  }

  const toml::table* table_;
  std::string prefix_;
  std::vector<std::string>& errors_;
  const EnvLookup& env_;
  std::set<std::string> seen_;
};

// Loads `Root` from TOML text; `source` names it in parse errors. Returns every
// error; the struct holds defaults where a key was wrong.
template <class Root>
std::vector<std::string> load_from_string(const std::string& text, const std::string& source, Root& root,
                                          const EnvLookup& env) {
  std::vector<std::string> errors;
  // Debian's toml++ is built with exceptions; this runs once at start-up,
  // never on the per-message path.
  toml::table parsed;
  try {
    parsed = toml::parse(text, source);
  } catch (const toml::parse_error& err) {
    errors.push_back(source + ":" + std::to_string(err.source().begin.line) + ": " + std::string(err.description()));
    return errors;
  }
  TomlLoader loader(&parsed, "", errors, env);
  root.visit(loader);
  loader.report_unknown_keys();
  if constexpr (requires { root.validate(errors, std::string()); }) root.validate(errors, std::string());
  return errors;
}

}  // namespace newsd::config
