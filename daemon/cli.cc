#include "daemon/cli.h"

#include <cstdio>
#include <cstdlib>

namespace newsd {

void ArgParser::option(const std::string& name, std::string& value, const std::string& help) {
  specs_.push_back({name, &value, nullptr, help});
}

void ArgParser::flag(const std::string& name, bool& value, const std::string& help) {
  specs_.push_back({name, nullptr, &value, help});
}

std::string ArgParser::help() const {
  std::string out = "usage: " + usage_ + "\n\n" + description_ + "\n\noptions:\n";
  for (const Spec& s : specs_) {
    std::string left = s.name + (s.value ? " VALUE" : "");
    left.resize(std::max<size_t>(left.size() + 2, 24), ' ');
    out += "  " + left + s.help + "\n";
  }
  out += "  -h, --help              show this help\n";
  return out;
}

ArgParser::Result ArgParser::parse(const std::vector<std::string>& args, std::vector<std::string>& positional) const {
  auto fail = [&](const std::string& msg) {
    std::fprintf(stderr, "newsd: %s\nusage: %s\n", msg.c_str(), usage_.c_str());
    return Result::kError;
  };
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!options_done && (arg == "--help" || arg == "-h")) {
      std::fputs(help().c_str(), stdout);
      return Result::kHelp;
    }
    if (options_done || arg == "-" || arg.rfind("--", 0) != 0) {
      positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const Spec* spec = nullptr;
    for (const Spec& s : specs_)
      if (s.name == name) spec = &s;
    if (spec == nullptr) return fail("unknown option " + name);
    if (spec->flag != nullptr) {
      if (eq != std::string::npos) return fail(name + " takes no value");
      *spec->flag = true;
      continue;
    }
    if (eq != std::string::npos) {
      *spec->value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      *spec->value = args[++i];
    } else {
      return fail(name + " needs a value");
    }
  }
  return Result::kOk;
}

bool parse_positive_int(const std::string& option, const std::string& text, int& out) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 1 || v > 4096) {
    std::fprintf(stderr, "newsd: %s must be a positive integer, got '%s'\n", option.c_str(), text.c_str());
    return false;
  }
  out = static_cast<int>(v);
  return true;
}

}  // namespace newsd
