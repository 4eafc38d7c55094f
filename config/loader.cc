#include "config/loader.h"

#include <cerrno>
#include <cstdlib>
#include <map>
#include <set>

namespace newsd::config {

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

namespace {
std::string node_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a bool";
    case toml::node_type::array: return "a list";
    case toml::node_type::table: return "a table";
    default: return "a date/time";
  }
}

std::string expected(const char* what, const toml::node& node) {
  return std::string("expected ") + what + ", got " + node_type(node);
}
}  // namespace

std::string read_toml(const toml::node& node, bool& out) {
  if (auto v = node.value_exact<bool>()) {
    out = *v;
    return {};
  }
  return expected("a bool", node);
}

std::string read_toml(const toml::node& node, int64_t& out) {
  if (auto v = node.value_exact<int64_t>()) {
    out = *v;
    return {};
  }
  return expected("an integer", node);
}

std::string read_toml(const toml::node& node, int& out) {
  int64_t wide = 0;
  if (std::string err = read_toml(node, wide); !err.empty()) return err;
  if (wide < INT32_MIN || wide > INT32_MAX) return "integer out of range";
  out = static_cast<int>(wide);
  return {};
}

std::string read_toml(const toml::node& node, double& out) {
  if (auto v = node.value<double>()) {
    out = *v;
    return {};
  }
  return expected("a number", node);
}

std::string read_toml(const toml::node& node, std::string& out) {
  if (auto v = node.value_exact<std::string>()) {
    out = *v;
    return {};
  }
  return expected("a string", node);
}

std::string read_toml(const toml::node& node, std::vector<std::string>& out) {
  // "a:9092,b:9092", as librdkafka users write it, is the list [a:9092, b:9092].
  if (auto text = node.value_exact<std::string>()) return read_text(*text, out);
  const toml::array* arr = node.as_array();
  if (arr == nullptr) return expected("a list of strings (or one comma-separated string)", node);
  std::vector<std::string> values;
  for (const toml::node& item : *arr) {
    auto v = item.value_exact<std::string>();
    if (!v) return "expected a list of strings, an element is " + node_type(item);
    values.push_back(*v);
  }
  out = std::move(values);
  return {};
}

std::string read_toml(const toml::node& node, Duration& out) {
  if (auto v = node.value_exact<std::string>()) return read_text(*v, out);
  return expected("a duration string such as \"30s\"", node);
}

std::string read_toml(const toml::node& node, StringMap& out) {
  const toml::table* tbl = node.as_table();
  if (tbl == nullptr) return expected("a table", node);
  StringMap values;
  for (const auto& [k, v] : *tbl) {
    std::string key(k.str());
    if (auto s = v.value_exact<std::string>()) values[key] = *s;
    else if (auto i = v.value_exact<int64_t>()) values[key] = std::to_string(*i);
    else if (auto b = v.value_exact<bool>()) values[key] = *b ? "true" : "false";
    else return key + ": expected a string, integer or bool, got " + node_type(v);
  }
  out = std::move(values);
  return {};
}

std::string read_text(const std::string& text, bool& out) {
  if (text == "true" || text == "1") out = true;
  else if (text == "false" || text == "0") out = false;
  else return "expected true or false, got \"" + text + "\"";
  return {};
}

std::string read_text(const std::string& text, int64_t& out) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0) return "expected an integer, got \"" + text + "\"";
  out = v;
  return {};
}

std::string read_text(const std::string& text, int& out) {
  int64_t wide = 0;
  if (std::string err = read_text(text, wide); !err.empty()) return err;
  if (wide < INT32_MIN || wide > INT32_MAX) return "integer out of range";
  out = static_cast<int>(wide);
  return {};
}

std::string read_text(const std::string& text, double& out) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') return "expected a number, got \"" + text + "\"";
  out = v;
  return {};
}

std::string read_text(const std::string& text, std::string& out) {
  out = text;
  return {};
}

std::string read_text(const std::string& text, std::vector<std::string>& out) {
  std::vector<std::string> values;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    size_t b = start, e = comma;  // "a:9092, b:9092": spaces around an item are not part of it
    while (b < e && (text[b] == ' ' || text[b] == '\t')) ++b;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t')) --e;
    if (e > b) values.push_back(text.substr(b, e - b));
    start = comma + 1;
  }
  out = std::move(values);
  return {};
}

std::string read_text(const std::string& text, Duration& out) {
  if (!parse_duration(text, out)) return "expected a duration such as \"500ms\", \"30s\", \"5m\", \"7d\", got \"" + text + "\"";
  return {};
}

std::string read_text(const std::string& text, StringMap& out) {
  std::vector<std::string> pairs;
  (void)read_text(text, pairs);
  StringMap values;
  for (const std::string& pair : pairs) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) return "expected key=value pairs separated by commas, got \"" + pair + "\"";
    values[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  out = std::move(values);
  return {};
}

std::vector<std::string> unknown_env_overrides(const std::vector<KeyInfo>& keys,
                                               const std::vector<std::string>& env_names) {
  std::set<std::string> known;
  std::map<std::string, std::string> single_underscored;  // NEWSD_KAFKA_BROKERS -> NEWSD_KAFKA__BROKERS
  for (const KeyInfo& k : keys) {
    if (k.is_table) continue;
    const std::string var = env_var_for(k.path);
    known.insert(var);
    std::string single = var;
    for (size_t at; (at = single.find("__")) != std::string::npos;) single.erase(at, 1);
    single_underscored[single] = var;
  }
  std::vector<std::string> out;
  for (const std::string& name : env_names) {
    if (name.rfind("NEWSD_", 0) != 0 || known.count(name) != 0) continue;
    if (auto meant = single_underscored.find(name); meant != single_underscored.end()) {
      out.push_back(name + " overrides no config key (did you mean " + meant->second + "?)");
    } else if (name.find("__") != std::string::npos) {
      out.push_back(name + " overrides no config key");
    }
  }
  return out;
}

}  // namespace newsd::config
