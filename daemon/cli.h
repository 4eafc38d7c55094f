// ArgParser: the small option parser every subcommand uses, so they all
// accept --opt VALUE and --opt=VALUE alike and print --help the same way.
#pragma once

#include <string>
#include <vector>

namespace newsd {

class ArgParser {
 public:
  ArgParser(std::string usage, std::string description)
      : usage_(std::move(usage)), description_(std::move(description)) {}

  void option(const std::string& name, std::string& value, const std::string& help);
  void flag(const std::string& name, bool& value, const std::string& help);

  enum class Result { kOk, kHelp, kError };
  // Fills options and `positional`. On kHelp the help text is printed to
  // stdout; on kError a message and the usage go to stderr.
  Result parse(const std::vector<std::string>& args, std::vector<std::string>& positional) const;

  std::string help() const;

 private:
  struct Spec {
    std::string name;
    std::string* value;
    bool* flag;
    std::string help;
  };
  std::string usage_;
  std::string description_;
  std::vector<Spec> specs_;
};

// Parses a positive integer option; false with a message on stderr otherwise.
bool parse_positive_int(const std::string& option, const std::string& text, int& out);

}  // namespace newsd
