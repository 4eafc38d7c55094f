// `newsd process`: the stage chain over files or stdin, articles to stdout.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>

#include "daemon/config.h"
#include "daemon/cli.h"
#include "daemon/commands.h"
#include "daemon/input_reader.h"
#include "daemon/worker_pool.h"
#include "stages/encode/json_writer.h"
#include "stages/pipeline.h"

namespace newsd {
namespace {

constexpr const char* kDescription =
    "Runs the stage chain (decode, extract, dedup, tag, encode) over pages and prints one\n"
    "newsd.article.v1 JSON line per page, in input order. INPUT is an .html/.htm file (optionally\n"
    ".gz), a directory (recursed, sorted by path), a .jsonl file of crawler records, or - for stdin.\n"
    "Failures are JSON lines {\"source\",\"stage\",\"reason\",\"error\"} on --dead-letter or stderr.\n"
    "Exit status: 0 every input became an article, 1 some failed, 2 usage or config error.";

std::string dead_letter_line(const std::string& source, std::string_view stage, const Status& status) {
  std::string line;
  JsonWriter w(line);
  w.begin_object();
  w.key("source").string(source);
  w.key("stage").string(stage);
  w.key("reason").string(status_code_name(status.code()));
  w.key("error").string(status.message());
  w.end_object();
  return line;
}

// The file name without directory and page extensions: the benchmark's id.
std::string scrapinghub_id(const std::string& file) {
  std::string name = std::filesystem::path(file).filename().string();
  for (std::string_view ext : {".gz", ".html", ".htm"}) {
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      name.resize(name.size() - ext.size());
  }
  return name;
}

// Collects finished pages from the workers and writes them in input order.
class OrderedWriter {
 public:
  OrderedWriter(std::ostream& out, std::ostream& dead, bool scrapinghub)
      : out_(out), dead_(dead), scrapinghub_(scrapinghub) {}

  void done(Article&& article, PipelineOutcome outcome) {
    std::lock_guard lock(mu_);
    pending_.emplace(article.sequence, Finished{std::move(article), std::move(outcome)});
    while (!pending_.empty() && pending_.begin()->first == next_) {
      write(pending_.begin()->second);
      pending_.erase(pending_.begin());
      ++next_;
    }
  }

  // A page that never reached the pipeline (unreadable or oversize file).
  void failed_input(const std::string& source, const Status& error) {
    std::lock_guard lock(mu_);
    dead_ << dead_letter_line(source, "input", error) << '\n';
    ++failed_;
  }

  void finish() {
    std::lock_guard lock(mu_);
    if (scrapinghub_) {
      std::string json;
      JsonWriter w(json);
      w.begin_object();
      for (const auto& [id, text] : bodies_) {
        w.key(id).begin_object();
        w.key("articleBody").string(text);
        w.end_object();
      }
      w.end_object();
      out_ << json << '\n';
    }
    out_.flush();
    dead_.flush();
  }

  size_t written() const { return written_.load(); }
  size_t failed() const { return failed_; }

 private:
  struct Finished {
    Article article;
    PipelineOutcome outcome;
  };

  void write(Finished& f) {
    ++written_;
    if (f.outcome.ok()) {
      if (scrapinghub_) bodies_[scrapinghub_id(f.article.source.file)] = std::move(f.article.text);
      else out_ << f.article.json << '\n';
      return;
    }
    if (scrapinghub_ && (f.outcome.status.code() == StatusCode::kNoArticle ||
                         f.outcome.status.code() == StatusCode::kNotAnArticle))
      bodies_[scrapinghub_id(f.article.source.file)] = "";
    dead_ << dead_letter_line(f.article.source.describe(), f.outcome.stage, f.outcome.status) << '\n';
    if (!f.outcome.dropped()) ++failed_;
  }

  std::mutex mu_;
  std::ostream& out_;
  std::ostream& dead_;
  const bool scrapinghub_;
  uint64_t next_ = 0;
  std::map<uint64_t, Finished> pending_;
  std::map<std::string, std::string> bodies_;
  std::atomic<size_t> written_{0};
  size_t failed_ = 0;
};

}  // namespace

int process_command(const Args& args) {
  std::string config_path, workers_text, url, output_path, dead_letter_path, format = "jsonl";
  ArgParser parser("newsd process [--config FILE] [--workers N] [--url URL] [--output FILE] [--dead-letter FILE] "
                   "[--format jsonl|scrapinghub] INPUT...",
                   kDescription);
  parser.option("--config", config_path, "TOML config file (default: built-in defaults)");
  parser.option("--workers", workers_text, "worker threads (default: config `workers`)");
  parser.option("--url", url, "URL of HTML inputs that do not carry one");
  parser.option("--output", output_path, "write articles here instead of stdout");
  parser.option("--dead-letter", dead_letter_path, "write failures here instead of stderr");
  parser.option("--format", format, "jsonl (default) or scrapinghub ({id: {\"articleBody\"}})");
  std::vector<std::string> inputs;
  switch (parser.parse(args, inputs)) {
    case ArgParser::Result::kHelp: return 0;
    case ArgParser::Result::kError: return 2;
    case ArgParser::Result::kOk: break;
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "newsd process: no INPUT given\n%s", parser.help().c_str());
    return 2;
  }
  if (format != "jsonl" && format != "scrapinghub") {
    std::fprintf(stderr, "newsd process: --format must be jsonl or scrapinghub, got '%s'\n", format.c_str());
    return 2;
  }

  Config config;
  if (auto errors = load_config(config_path, config); !errors.empty()) {
    for (const auto& e : errors) std::fprintf(stderr, "config error: %s\n", e.c_str());
    return 2;
  }
  config.dedup.ordered = true;  // verdicts must not depend on which worker is faster
  int workers = config.effective_workers();
  if (!workers_text.empty() && !parse_positive_int("--workers", workers_text, workers)) return 2;

  InputReader reader(inputs, url, static_cast<size_t>(config.limits.max_page_bytes));
  if (auto errors = reader.resolve(); !errors.empty()) {
    for (const auto& e : errors) std::fprintf(stderr, "newsd process: %s\n", e.c_str());
    return 2;
  }

  std::ofstream output_file, dead_file;
  if (!output_path.empty()) {
    output_file.open(output_path, std::ios::binary | std::ios::trunc);
    if (!output_file) {
      std::fprintf(stderr, "newsd process: cannot write %s\n", output_path.c_str());
      return 2;
    }
  }
  if (!dead_letter_path.empty()) {
    dead_file.open(dead_letter_path, std::ios::binary | std::ios::trunc);
    if (!dead_file) {
      std::fprintf(stderr, "newsd process: cannot write %s\n", dead_letter_path.c_str());
      return 2;
    }
  }
  std::ostream& out = output_path.empty() ? std::cout : output_file;
  std::ostream& dead = dead_letter_path.empty() ? std::cerr : dead_file;
  std::ios::sync_with_stdio(false);

  MetricsRegistry metrics;
  std::string error;
  std::unique_ptr<SharedState> shared = SharedState::create(config, metrics, error);
  if (!shared) {
    std::fprintf(stderr, "newsd process: %s\n", error.c_str());
    return 2;
  }

  OrderedWriter writer(out, dead, format == "scrapinghub");
  WorkerPool pool(config, *shared, workers, WorkerPool::Bounds{static_cast<size_t>(workers) * 4, size_t{256} << 20},
                  [&writer](Article&& a, PipelineOutcome o) { writer.done(std::move(a), std::move(o)); });

  const bool progress = isatty(STDERR_FILENO) && reader.file_count() > 1;
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  uint64_t sequence = 0;
  reader.read_all(
      [&](Article&& a) {
        a.sequence = sequence++;
        pool.submit(std::move(a));
        const auto now = std::chrono::steady_clock::now();
        if (progress && now - last_report > std::chrono::milliseconds(500)) {
          last_report = now;
          const double secs = std::chrono::duration<double>(now - start).count();
          std::fprintf(stderr, "\r%zu/%zu+ pages, %.0f pages/s ", writer.written(), reader.file_count(),
                       static_cast<double>(writer.written()) / secs);
        }
      },
      [&](const std::string& source, const Status& err) { writer.failed_input(source, err); });
  pool.close();
  writer.finish();
  if (progress) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "\r%zu pages in %.1fs, %.0f pages/s, %zu failed\n", writer.written(), secs,
                 static_cast<double>(writer.written()) / secs, writer.failed());
  }
  return writer.failed() == 0 ? 0 : 1;
}

}  // namespace newsd
