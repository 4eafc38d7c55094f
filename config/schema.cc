#include "config/schema.h"

#include <cctype>
#include <cstdio>

namespace newsd::config {

Check<std::string> one_of(std::vector<std::string> allowed) {
  return [allowed = std::move(allowed)](const std::string& v) -> std::string {
    std::string list;
    for (const auto& a : allowed) {
      if (a == v) return {};
      list += list.empty() ? "" : ", ";
      list += "\"" + a + "\"";
    }
    return "must be one of " + list;
  };
}

Check<std::string> not_empty() {
  return [](const std::string& v) -> std::string { return v.empty() ? "must not be empty" : ""; };
}

Check<std::vector<std::string>> list_not_empty() {
  return [](const std::vector<std::string>& v) -> std::string { return v.empty() ? "must list at least one value" : ""; };
}

std::string type_name(const bool&) { return "bool"; }
std::string type_name(const int&) { return "integer"; }
std::string type_name(const int64_t&) { return "integer"; }
std::string type_name(const double&) { return "float"; }
std::string type_name(const std::string&) { return "string"; }
std::string type_name(const std::vector<std::string>&) { return "list of strings"; }
std::string type_name(const Duration&) { return "duration"; }
std::string type_name(const StringMap&) { return "table of strings"; }

namespace {
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string to_toml(const bool& v) { return v ? "true" : "false"; }
std::string to_toml(const int& v) { return std::to_string(v); }
std::string to_toml(const int64_t& v) { return std::to_string(v); }
std::string to_toml(const double& v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}
std::string to_toml(const std::string& v) { return quote(v); }
std::string to_toml(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
  return out + "]";
}
std::string to_toml(const Duration& v) {
  const int64_t ms = v.count();
  if (ms != 0 && ms % 86'400'000 == 0) return quote(std::to_string(ms / 86'400'000) + "d");
  if (ms != 0 && ms % 3'600'000 == 0) return quote(std::to_string(ms / 3'600'000) + "h");
  if (ms != 0 && ms % 60'000 == 0) return quote(std::to_string(ms / 60'000) + "m");
  if (ms % 1000 == 0) return quote(std::to_string(ms / 1000) + "s");
  return quote(std::to_string(ms) + "ms");
}
std::string to_toml(const StringMap& v) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, val] : v) {
    out += (first ? " " : ", ") + quote(k) + " = " + quote(val);
    first = false;
  }
  return out + (v.empty() ? "}" : " }");
}

bool parse_duration(const std::string& text, Duration& out) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 || i > 12) return false;
  const int64_t n = std::stoll(text.substr(0, i));
  const std::string unit = text.substr(i);
  int64_t scale = 0;
  if (unit == "ms") scale = 1;
  else if (unit == "s") scale = 1000;
  else if (unit == "m") scale = 60'000;
  else if (unit == "h") scale = 3'600'000;
  else if (unit == "d") scale = 86'400'000;
  else return false;
  out = Duration(n * scale);
  return true;
}

std::string env_var_for(const std::string& key_path) {
  std::string out = "NEWSD_";
  for (char c : key_path) {
    if (c == '.') out += "__";
    else out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace newsd::config
