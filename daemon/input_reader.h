// InputReader: enumerates `newsd process` inputs and turns them into Articles.
//
// An input is an .html/.htm file (optionally .gz), a directory (recursed,
// files in path order), a .jsonl file of crawler records (one per line), or
// "-" for standard input (JSON Lines if it starts with '{', else one page).
//
// Not thread-safe; used by the one thread that feeds the worker pool.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "stages/article.h"

namespace newsd {

class InputReader {
 public:
  // `default_url` becomes the URL of HTML inputs (crawler records carry their own).
  InputReader(std::vector<std::string> inputs, std::string default_url);

  // Expands directories; returns errors for inputs that do not exist.
  std::vector<std::string> resolve();

  // Number of files after resolve() (JSON Lines files count once).
  size_t file_count() const { return files_.size(); }

  // Calls `emit` for every page in input order. A file that cannot be read is
  // reported through `on_error` (source, message) and skipped.
  void read_all(const std::function<void(Article&&)>& emit,
                const std::function<void(const std::string& source, const std::string& error)>& on_error) const;

 private:
  std::vector<std::string> inputs_;
  std::string default_url_;
  std::vector<std::string> files_;
};

// Reads a whole file, gunzipping when it ends in .gz. False on error.
bool read_file(const std::string& path, std::string& out, std::string& error);

}  // namespace newsd
