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
#include "stages/status.h"

namespace newsd {

class InputReader {
 public:
  using ErrorFn = std::function<void(const std::string& source, const Status& error)>;

  // `default_url` becomes the URL of HTML inputs (crawler records carry their
  // own). A page file (after gunzipping) over `max_page_bytes`, or a JSON
  // Lines record over twice that, is reported as too_large without being
  // read whole.
  InputReader(std::vector<std::string> inputs, std::string default_url, size_t max_page_bytes);

  // Expands directories; returns errors for inputs that do not exist.
  std::vector<std::string> resolve();

  // Number of files after resolve() (JSON Lines files count once).
  size_t file_count() const { return files_.size(); }

  // Calls `emit` for every page in input order. A file or record that cannot
  // be read, or is too large, is reported through `on_error` and skipped.
  void read_all(const std::function<void(Article&&)>& emit, const ErrorFn& on_error) const;

 private:
  std::vector<std::string> inputs_;
  std::string default_url_;
  size_t max_page_bytes_;
  std::vector<std::string> files_;
};

}  // namespace newsd
