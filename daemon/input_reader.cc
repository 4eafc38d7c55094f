#include "daemon/input_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

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

// Reads a file (gunzipping .gz) or stdin in chunks, so a gzip bomb or an
// endless stream is never held whole.
class ChunkReader {
 public:
  explicit ChunkReader(const std::string& path) {
    if (path == "-")
      file_ = stdin;
    else if (ends_with(path, ".gz"))
      gz_ = gzopen(path.c_str(), "rb");
    else
      file_ = std::fopen(path.c_str(), "rb");
    if (!gz_ && !file_) error_ = "cannot open file";
  }
  ~ChunkReader() {
    if (gz_) gzclose(gz_);
    if (file_ && file_ != stdin) std::fclose(file_);
  }
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // Bytes read into buf; 0 at the end or on an error (error() tells which).
  size_t read(char* buf, size_t size) {
    if (!error_.empty()) return 0;
    if (file_) {
      const size_t n = std::fread(buf, 1, size, file_);
      if (n == 0 && std::ferror(file_)) error_ = "read error";
      return n;
    }
    const int n = gzread(gz_, buf, static_cast<unsigned>(size));
    if (n < 0) {
      int errnum = 0;
      error_ = std::string("cannot decompress: ") + gzerror(gz_, &errnum);
      return 0;
    }
    return static_cast<size_t>(n);
  }
  const std::string& error() const { return error_; }

 private:
  gzFile gz_ = nullptr;
  std::FILE* file_ = nullptr;
  std::string error_;
};

constexpr size_t kChunk = 1 << 16;

// Appends the rest of `in` to `page` up to `max_bytes`; past it, stops reading
// and fails with too_large.
Status read_page(ChunkReader& in, const std::string& path, size_t max_bytes, std::string& page) {
  std::string buf(kChunk, '\0');
  for (size_t n = 0; page.size() <= max_bytes && (n = in.read(buf.data(), buf.size())) > 0;) page.append(buf.data(), n);
  if (page.size() > max_bytes) {
    page = std::string();
    return too_large((ends_with(path, ".gz") ? "decompresses to more than " : "is larger than ") +
                     std::to_string(max_bytes) + " bytes (limits.max_page_bytes)");
  }
  return in.error().empty() ? Status::ok() : not_html(in.error());
}

// Emits each non-blank line of `pending` and the rest of `in` as a page; a
// line longer than `max_line` is reported, and skipped without being held.
void emit_lines(ChunkReader& in, std::string pending, const std::string& source, size_t max_line,
                const std::function<void(Article&&)>& emit, const InputReader::ErrorFn& on_error) {
  std::string line;
  int64_t number = 0;
  bool oversize = false;
  auto finish_line = [&] {
    ++number;
    if (oversize) {
      on_error(source + ":" + std::to_string(number),
               too_large("line is longer than " + std::to_string(max_line) + " bytes (limits.max_page_bytes)"));
    } else if (line.find_first_not_of(" \t\r") != std::string::npos) {
      Article a;
      a.input.payload = std::move(line);
      a.source.file = source;
      a.source.line = number;
      emit(std::move(a));
    }
    line.clear();
    oversize = false;
  };
  auto consume = [&](std::string_view data) {
    while (!data.empty()) {
      const size_t nl = data.find('\n');
      const std::string_view part = data.substr(0, nl);
      if (!oversize && line.size() + part.size() > max_line) {
        oversize = true;
        line = std::string();  // give the memory back
      }
      if (!oversize) line.append(part);
      if (nl == std::string_view::npos) return;
      finish_line();
      data.remove_prefix(nl + 1);
    }
  };
  consume(pending);
  pending = std::string();
  std::string buf(kChunk, '\0');
  while (size_t n = in.read(buf.data(), buf.size())) consume(std::string_view(buf.data(), n));
  if (!line.empty() || oversize) finish_line();
  if (!in.error().empty()) on_error(source, not_html(in.error()));
}

}  // namespace

InputReader::InputReader(std::vector<std::string> inputs, std::string default_url, size_t max_page_bytes)
    : inputs_(std::move(inputs)), default_url_(std::move(default_url)), max_page_bytes_(max_page_bytes) {}

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

void InputReader::read_all(const std::function<void(Article&&)>& emit, const ErrorFn& on_error) const {
  for (const std::string& path : files_) {
    const std::string source = path == "-" ? "<stdin>" : path;
    ChunkReader in(path);
    if (!in.error().empty()) {
      on_error(source, not_html(in.error()));
      continue;
    }
    std::string data;
    bool lines = is_jsonl(path);
    if (path == "-") {  // JSON Lines when the first non-blank byte is '{'
      std::string buf(kChunk, '\0');
      while (data.find_first_not_of(" \t\r\n") == std::string::npos) {
        const size_t n = in.read(buf.data(), buf.size());
        if (n == 0) break;
        data.append(buf.data(), n);
      }
      lines = starts_with_brace(data);
    }
    // A record may carry its page base64-encoded: decode allows twice the page limit.
    if (lines) {
      emit_lines(in, std::move(data), source, 2 * max_page_bytes_, emit, on_error);
      continue;
    }
    if (Status s = read_page(in, path, max_page_bytes_, data); !s.is_ok()) {
      on_error(source, s);
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
