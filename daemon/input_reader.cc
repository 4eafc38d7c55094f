#include "daemon/input_reader.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace newsd {
namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_page_file(const std::string& path) {
  for (std::string_view ext : {".html", ".htm", ".html.gz", ".htm.gz", ".jsonl", ".jsonl.gz"})
    if (ends_with(path, ext)) return true;
  return false;
}

bool is_jsonl(const std::string& path) { return ends_with(path, ".jsonl") || ends_with(path, ".jsonl.gz"); }

bool starts_with_brace(const std::string& s) {
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{';
  }
  return false;
}

void emit_lines(const std::string& source, const std::string& data, const std::function<void(Article&&)>& emit) {
  std::istringstream in(data);
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Article a;
    a.input.payload = std::move(line);
    a.source.file = source;
    a.source.line = number;
    emit(std::move(a));
    line.clear();
  }
}

}  // namespace

bool read_file(const std::string& path, std::string& out, std::string& error) {
  out.clear();
  if (ends_with(path, ".gz")) {
    gzFile gz = gzopen(path.c_str(), "rb");
    if (gz == nullptr) {
      error = "cannot open file";
      return false;
    }
    char buf[1 << 16];
    int n = 0;
    while ((n = gzread(gz, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    int errnum = 0;
    const char* msg = gzerror(gz, &errnum);
    const bool ok = n == 0 && errnum == Z_OK;
    if (!ok) error = std::string("cannot decompress: ") + msg;
    gzclose(gz);
    return ok;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open file";
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = "read error";
    return false;
  }
  return true;
}

InputReader::InputReader(std::vector<std::string> inputs, std::string default_url)
    : inputs_(std::move(inputs)), default_url_(std::move(default_url)) {}

std::vector<std::string> InputReader::resolve() {
  std::vector<std::string> errors;
  files_.clear();
  for (const std::string& input : inputs_) {
    if (input == "-") {
      files_.push_back(input);
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(input, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && is_page_file(it->path().string())) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files_.insert(files_.end(), found.begin(), found.end());
    } else if (fs::exists(input, ec)) {
      files_.push_back(input);
    } else {
      errors.push_back(input + ": no such file or directory");
    }
  }
  return errors;
}

void InputReader::read_all(const std::function<void(Article&&)>& emit,
                           const std::function<void(const std::string&, const std::string&)>& on_error) const {
  for (const std::string& path : files_) {
    std::string data;
    std::string error;
    if (path == "-") {
      data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else if (!read_file(path, data, error)) {
      on_error(path, error);
      continue;
    }
    const std::string source = path == "-" ? "<stdin>" : path;
    if (is_jsonl(path) || (path == "-" && starts_with_brace(data))) {
      emit_lines(source, data, emit);
      continue;
    }
    Article a;
    a.input.payload = std::move(data);
    // Without --url a file page is known by its path, so its id is stable.
    a.input.url = !default_url_.empty() || path == "-" ? default_url_ : "file://" + fs::weakly_canonical(path).string();
    a.source.file = source;
    emit(std::move(a));
  }
}

}  // namespace newsd
