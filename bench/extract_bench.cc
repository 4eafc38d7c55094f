// bench/extract: throughput of decode+extract and of HTML parsing alone, on
// one core, over a directory of pages (default: the Scrapinghub benchmark
// pages in ../shared/eval/scrapinghub/html).
//
//   extract_bench [--repeat N] [--dump | --scrapinghub OUT.json] [DIR|FILE...]
//
// Prints pages/s, MB/s (of input HTML) and peak RSS for: decode+extract,
// preclean+gumbo parse, and gumbo parse of the raw page. --dump prints each
// page's extracted fields instead (for inspecting results); --scrapinghub
// writes the bodies in the benchmark's format for ../shared/eval/score.py.
#include <sys/resource.h>
#include <zlib.h>

#include <ctime>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "stages/decode/decode_stage.h"
#include "stages/encode/json_writer.h"
#include "stages/extract/extract_stage.h"
#include "stages/extract/html_tree.h"
#include "stages/extract/preclean.h"

namespace {

bool read_file(const std::filesystem::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), {});
  if (p.extension() == ".gz") {
    gzFile gz = gzopen(p.string().c_str(), "rb");
    if (!gz) return false;
    out.clear();
    char buf[1 << 16];
    int n;
    while ((n = gzread(gz, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    gzclose(gz);
  }
  return true;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Page {
  std::string name, bytes;
};

template <class F>
void timed(const char* label, const std::vector<Page>& pages, int repeat, F&& fn) {
  size_t bytes = 0;
  for (const Page& p : pages) bytes += p.bytes.size();
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_seconds();
  for (int r = 0; r < repeat; ++r)
    for (const Page& p : pages) fn(p);
  // CPU time of this thread: the per-core rate, unaffected by other load on
  // the machine. Wall time is printed alongside.
  const double secs = thread_cpu_seconds() - cpu_start;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double n = static_cast<double>(pages.size()) * repeat;
  std::printf("%-24s %7.1f pages/s/core  %6.1f MB/s  peak RSS %4.0f MB  (%zu pages x %d: %.2fs CPU, %.2fs wall)\n",
              label, n / secs, static_cast<double>(bytes) * repeat / secs / 1e6, peak_rss_mb(), pages.size(), repeat,
              secs, wall);
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 3;
  bool dump = false;
  std::string scrapinghub_out;
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
    else if (a == "--dump") dump = true;
    else if (a == "--scrapinghub" && i + 1 < argc) scrapinghub_out = argv[++i];
    else if (a == "-h" || a == "--help") {
      std::printf("usage: extract_bench [--repeat N] [--dump] [DIR|FILE...]\n");
      return 0;
    } else inputs.emplace_back(a);
  }
  if (inputs.empty()) inputs.emplace_back(std::string(NEWSD_SOURCE_DIR) + "/../shared/eval/scrapinghub/html");

  std::vector<std::filesystem::path> files;
  for (const auto& in : inputs) {
    if (std::filesystem::is_directory(in)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(in)) {
        const std::string n = e.path().filename().string();
        if (e.is_regular_file() && (n.ends_with(".html") || n.ends_with(".html.gz") || n.ends_with(".htm")))
          files.push_back(e.path());
      }
    } else {
      files.push_back(in);
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Page> pages;
  for (const auto& f : files) {
    Page p{f.filename().string(), {}};
    if (!read_file(f, p.bytes)) {
      std::fprintf(stderr, "cannot read %s\n", f.string().c_str());
      return 2;
    }
    pages.push_back(std::move(p));
  }
  if (pages.empty()) {
    std::fprintf(stderr, "no pages found\n");
    return 2;
  }

  newsd::DecodeStage decode(newsd::LimitsConfig{});
  newsd::ExtractStage extract(newsd::ExtractConfig{});
  auto run = [&](const Page& p, newsd::Article& a) {
    a = newsd::Article{};
    a.input.payload = p.bytes;
    a.input.url = "https://example.com/" + p.name;
    newsd::Status s = decode.process(a);
    if (s.is_ok()) s = extract.process(a);
    return s;
  };

  if (!scrapinghub_out.empty()) {
    // {id: {"articleBody": text}} for ../shared/eval/score.py; a page that is
    // not an article scores as an empty body.
    std::ofstream out(scrapinghub_out, std::ios::binary);
    out << "{";
    bool first = true;
    for (const Page& p : pages) {
      newsd::Article a;
      const newsd::Status s = run(p, a);
      std::string id = p.name.substr(0, p.name.find('.'));
      std::string body;
      newsd::JsonWriter w(body);
      w.string(s.is_ok() ? a.text : std::string());
      out << (first ? "" : ",") << "\"" << id << "\":{\"articleBody\":" << body << "}";
      first = false;
    }
    out << "}\n";
    return out ? 0 : 1;
  }
  if (dump) {
    for (const Page& p : pages) {
      newsd::Article a;
      const newsd::Status s = run(p, a);
      std::printf("=== %s  [%s]\ntitle: %s\nauthors:", p.name.c_str(), s.to_string().c_str(), a.title.c_str());
      for (const auto& au : a.authors) std::printf(" {%s}", au.c_str());
      std::printf("\npublished_at: %s (%s)  modified_at: %s\nsite: %s  lang: %s (html %s)  words: %lld\n"
                  "section: %s  canonical: %s\n---\n%s\n\n",
                  a.published_at.c_str(), a.date_source.c_str(), a.modified_at.c_str(), a.site_name.c_str(),
                  a.language.c_str(), a.html_lang.c_str(), static_cast<long long>(a.word_count), a.section.c_str(),
                  a.canonical_url.c_str(), a.text.c_str());
    }
    return 0;
  }

  std::printf("%zu pages\n", pages.size());
  newsd::Article article;
  timed("decode+extract", pages, repeat, [&](const Page& p) { (void)run(p, article); });

  // Parsing alone, on the decoded pages.
  std::vector<Page> decoded;
  for (const Page& p : pages) {
    newsd::Article a;
    a.input.payload = p.bytes;
    if (decode.process(a).is_ok()) decoded.push_back({p.name, std::move(a.html)});
  }
  newsd::extract::Precleaned clean;
  newsd::extract::HtmlTree tree;
  timed("preclean+gumbo parse", decoded, repeat, [&](const Page& p) {
    newsd::extract::preclean(p.bytes, 400, clean);
    (void)tree.parse(clean.html);
  });
  timed("gumbo parse (raw page)", decoded, repeat, [&](const Page& p) { (void)tree.parse(p.bytes); });
  return 0;
}
