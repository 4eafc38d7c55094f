// One hostile page through the whole stage chain, for bench/hostile.
//
//   hostile_bench SHAPE MB      prints: SHAPE MB cpu_seconds peak_rss_mb rss_growth_mb outcome [stage=ms...]
//   hostile_bench --list        prints the shape names
//
// The page (SHAPE at about MB megabytes) is generated in memory, then run once
// through decode -> extract -> dedup -> tag -> encode with the size and time
// limits lifted (limits.max_page_bytes 64 MiB, limits.max_page_ms 0), so the
// figures show how the work grows, not where a limit cuts it. gzip-bomb runs
// a .gz that inflates to MB GiB through `newsd process`'s input reader with
// the default limits instead. rss_growth_mb is peak RSS minus the peak before
// the page (tag data and the generated page are already in the latter).
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "daemon/config.h"
#include "daemon/input_reader.h"
#include "stages/pipeline.h"

namespace {

using namespace newsd;

// CPU seconds of this process: on a shared machine wall time mostly measures
// the neighbours.
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// Repeats `unit` until the page body reaches `bytes`.
std::string repeat(const std::string& head, const std::string& unit, size_t bytes, const std::string& tail = "") {
  std::string s = head;
  s.reserve(bytes + tail.size() + unit.size());
  while (s.size() < bytes) s += unit;
  return s + tail;
}

const std::string kHead = "<html><head><title>Hostile</title></head><body>";
const std::string kTail = "</body></html>";

std::string utf16le(const std::string& ascii) {
  std::string out;
  out.reserve(ascii.size() * 2);
  for (char c : ascii) out += c, out += '\0';
  return out;
}

const std::map<std::string, std::function<std::string(size_t)>>& shapes() {
  static const std::map<std::string, std::function<std::string(size_t)>> kShapes{
      {"unclosed-a", [](size_t n) { return repeat(kHead, "<a href=\"/x\">link words ", n, kTail); }},
      {"unclosed-p", [](size_t n) { return repeat(kHead, "<p>some paragraph words ", n, kTail); }},
      {"nested-table", [](size_t n) { return repeat(kHead, "<table><tr><td>", n, "text" + kTail); }},
      {"nested-div", [](size_t n) { return repeat(kHead, "<div>", n, "text" + kTail); }},
      {"unmatched-end-tags", [](size_t n) { return repeat(kHead, "<div>text</x>", n, kTail); }},
      {"attributes",
       [](size_t n) { return repeat(kHead + "<div", " data-a=\"1\" class=c", n, ">text</div>" + kTail); }},
      {"text-node", [](size_t n) { return kHead + "<p>" + std::string(n, 'x') + "</p>" + kTail; }},
      {"json-ld-deep",
       [](size_t n) {
         return kHead + "<script type=\"application/ld+json\">" + std::string(n, '[') + "</script><p>text</p>" + kTail;
       }},
      {"json-ld-blocks",
       [](size_t n) {
         return repeat(kHead,
                       "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"H\","
                       "\"datePublished\":\"2024-05-01T10:00:00Z\",\"author\":{\"name\":\"A B\"}}</script>",
                       n, "<p>text</p>" + kTail);
       }},
      {"entities", [](size_t n) { return repeat(kHead + "<p>", "&amp;&#x263A;&eacute;", n, "</p>" + kTail); }},
      {"time-elements",
       [](size_t n) { return repeat(kHead, "<time datetime=\"2024-05-01T10:00:00Z\">1 May 2024</time> ", n, kTail); }},
      {"invalid-utf8", [](size_t n) { return repeat(kHead + "<p>", "a\xFF", n, "</p>" + kTail); }},
      {"utf16-no-bom",
       [](size_t n) { return utf16le(repeat(kHead, "<p>Some words of an ordinary paragraph.</p>", n / 2, kTail)); }},
      {"attribute-equals", [](size_t n) { return repeat(kHead, "<a x = = \">\" >text</a> ", n, kTail); }},
      {"prose",  // the reference: an ordinary long article
       [](size_t n) {
         return repeat(kHead + "<article>",
                       "<p>The minister of finance said on Tuesday in New Delhi that the budget would grow by "
                       "four percent, according to Reuters and the Press Trust of India.</p>",
                       n, "</article>" + kTail);
       }},
  };
  return kShapes;
}

// A gzip file of `gib` members, each 1 GiB of spaces (deflate: ~1 MiB each).
std::string write_gzip_bomb(int gib) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("hostile-bomb-" + std::to_string(getpid()) + ".html.gz")).string();
  std::string member;
  {
    const std::string tmp = path + ".member";
    gzFile gz = gzopen(tmp.c_str(), "wb9");
    const std::string block(1 << 20, ' ');
    for (int i = 0; i < 1024; ++i) gzwrite(gz, block.data(), static_cast<unsigned>(block.size()));
    gzclose(gz);
    std::FILE* f = std::fopen(tmp.c_str(), "rb");
    char buf[1 << 16];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) member.append(buf, n);
    std::fclose(f);
    std::filesystem::remove(tmp);
  }
  std::FILE* out = std::fopen(path.c_str(), "wb");
  for (int i = 0; i < gib; ++i) std::fwrite(member.data(), 1, member.size(), out);
  std::fclose(out);
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
    for (const auto& [name, make] : shapes()) std::printf("%s\n", name.c_str());
    std::printf("gzip-bomb\n");
    return 0;
  }
  if (argc != 3) {
    std::fprintf(stderr, "usage: hostile_bench SHAPE MB | hostile_bench --list\n");
    return 2;
  }
  const std::string shape = argv[1];
  const int mb = std::atoi(argv[2]);
  Config config;
  config.dedup.capacity = 1000;
  std::string error;
  MetricsRegistry metrics;
  std::unique_ptr<SharedState> shared;

  std::string outcome;
  double rss_before = 0;
  const auto start_clock = [&] {
    rss_before = peak_rss_mb();
    return cpu_seconds();
  };
  double start = 0;
  if (shape == "gzip-bomb") {
    const std::string path = write_gzip_bomb(mb);
    shared = SharedState::create(config, metrics, error);
    if (!shared) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
    Pipeline pipeline(config, *shared);
    InputReader reader({path}, "https://bench.example/bomb", static_cast<size_t>(config.limits.max_page_bytes));
    (void)reader.resolve();
    start = start_clock();
    reader.read_all(
        [&](Article&& a) {
          const PipelineOutcome o = pipeline.run(a);
          outcome = o.ok() ? "article" : std::string(status_code_name(o.status.code()));
        },
        [&](const std::string&, const Status& s) { outcome = std::string(status_code_name(s.code())) + "@input"; });
    std::filesystem::remove(path);
  } else {
    const auto it = shapes().find(shape);
    if (it == shapes().end()) return std::fprintf(stderr, "unknown shape %s\n", shape.c_str()), 2;
    config.limits.max_page_bytes = int64_t{64} << 20;
    config.limits.max_page_ms = 0;
    shared = SharedState::create(config, metrics, error);
    if (!shared) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
    Pipeline pipeline(config, *shared);
    Article a;
    a.input.payload = it->second(static_cast<size_t>(mb) << 20);
    a.input.url = "https://bench.example/" + shape;
    start = start_clock();
    const PipelineOutcome o = pipeline.run(a);
    outcome = o.ok() ? "article" : std::string(o.stage) + ":" + std::string(status_code_name(o.status.code()));
    for (const StageTiming& t : a.timings)
      if (t.micros >= 50000) outcome += " " + std::string(t.stage) + "=" + std::to_string(t.micros / 1000) + "ms";
  }
  const double secs = cpu_seconds() - start;
  const double peak = peak_rss_mb();
  std::printf("%s %d %.3f %.0f %.0f %s\n", shape.c_str(), mb, secs, peak, peak - rss_before, outcome.c_str());
  return 0;
}
