// tag_bench: throughput and memory of the tag stage.
//
//   gazetteer  1M synthetic aliases (Latin and Devanagari names): build time,
//              automaton states and memory, then fold + match speed
//   model      the perceptron alone on Hindi sentences: words/s
//   stage      the whole Tagger with the shipped gazetteer, models and rules; then
//              on English news alone, with and without the English model
//
// Speeds are per core (one thread). Text: the seed pages' expected texts,
// repeated. Times are thread CPU time. Prints figures; never fails.
#include <simdjson.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unordered_set>

#include "stages/tag/tagger.h"

namespace {

// CPU time of this thread: the figures are per core, and the machine may be
// shared with other work while the benchmark runs.
struct Clock {
  using time_point = double;
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
};
using namespace newsd;
using namespace newsd::tag;

double rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

double seconds_since(Clock::time_point t) { return Clock::now() - t; }

std::vector<std::string> seed_texts() {
  std::vector<std::string> out;
  const std::string dir = std::string(NEWSD_SOURCE_DIR) + "/../shared/seed/pages/";
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string p = e.path().string();
    if (p.size() < 14 || p.substr(p.size() - 14) != ".expected.json") continue;
    simdjson::dom::parser parser;
    out.emplace_back(std::string_view(parser.load(p)["text"]));
  }
  return out;
}

size_t count_words(const std::string& s) {
  size_t n = 0;
  bool in = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

std::string synthetic_name(std::mt19937& rng, bool devanagari) {
  static const char* latin[] = {"ka", "ra", "mo", "di", "an", "tho", "ny", "bli", "ken", "ser", "gei", "la",
                                "vrov", "jai", "shan", "kar", "su", "resh", "chan", "dra", "bha", "tt", "vi", "ta"};
  static const char* deva[] = {"क", "रा", "मो", "दी", "अन", "थो", "नी", "ब्लि", "कन", "सर", "गे", "ला",
                               "व्रो", "जय", "शं", "कर", "सु", "रेश", "चं", "द्र", "भ", "ट्ट", "वि", "ता"};
  const char** syl = devanagari ? deva : latin;
  std::string s;
  const int words = 1 + static_cast<int>(rng() % 3);
  for (int w = 0; w < words; ++w) {
    if (w) s += ' ';
    const int n = 2 + static_cast<int>(rng() % 3);
    for (int i = 0; i < n; ++i) s += syl[rng() % 24];
  }
  if (!devanagari) s[0] = static_cast<char>(s[0] - 32);
  return s;
}

// The whole stage on English news alone (the paragraphs of
// tests/data/ner-en, repeated, in 8 KB documents), with the English model
// and without it.
void english_news(const TagConfig& config) {
  std::vector<std::string> paragraphs;
  std::ifstream in(std::string(NEWSD_SOURCE_DIR) + "/tests/data/ner-en/news-en.jsonl");
  simdjson::dom::parser parser;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) paragraphs.emplace_back(std::string_view(parser.parse(line)["text"]));
  std::vector<std::string> docs(1);
  size_t bytes = 0, words = 0;
  while (bytes < (size_t{4} << 20))
    for (const auto& p : paragraphs) {
      if (docs.back().size() + p.size() > 8192) docs.emplace_back();
      docs.back() += p + "\n";
      bytes += p.size() + 1;
      words += count_words(p);
    }
  for (const bool with_model : {true, false}) {
    TagConfig c = config;
    if (!with_model) c.english_model.clear();
    std::string err;
    const auto res = TagResources::load(c, err);
    if (!res) {
      std::fprintf(stderr, "tag_bench: %s\n", err.c_str());
      return;
    }
    Tagger tagger(c);
    std::vector<Entity> out;
    size_t entities = 0;
    const auto t0 = Clock::now();
    for (const auto& d : docs) {
      tagger.tag(*res, d, out);
      entities += out.size();
    }
    const double s = seconds_since(t0);
    std::printf("stage, English news %s the English model: %.1f MB/s, %.2f M words/s per core; %zu entities\n",
                with_model ? "with" : "without", static_cast<double>(bytes) / 1e6 / s,
                static_cast<double>(words) / s / 1e6, entities);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n_aliases = argc > 1 ? std::stoul(argv[1]) : 1000000;
  const auto texts = seed_texts();
  std::string corpus;
  while (corpus.size() < (size_t{16} << 20))
    for (const auto& t : texts) corpus += t + "\n\n";
  std::vector<std::string> docs;
  for (size_t i = 0; i < corpus.size(); i += 8192) {
    size_t end = std::min(corpus.size(), i + 8192);
    while (end < corpus.size() && (static_cast<unsigned char>(corpus[end]) & 0xC0) == 0x80) ++end;
    docs.push_back(corpus.substr(i, end - i));
    i = end - 8192;
  }
  const double mb = static_cast<double>(corpus.size()) / 1e6;
  const double words = static_cast<double>(count_words(corpus));
  std::printf("text: %.1f MB, %.0f words (seed pages, Hindi and English, repeated)\n\n", mb, words);

  // --- gazetteer with synthetic aliases
  {
    const double rss0 = rss_mb();
    std::mt19937 rng(42);
    Gazetteer g;
    std::unordered_set<std::string> seen;
    std::string err;
    auto t0 = Clock::now();
    static const char* types[] = {"PERSON", "ORG", "LOC"};
    while (seen.size() < n_aliases) {
      std::string name = synthetic_name(rng, rng() % 2 == 0);
      if (!seen.insert(name).second) continue;
      std::string id = "Q";
      id += std::to_string(seen.size());
      g.add(name, types[rng() % 3], id, name, err);
    }
    seen = {};
    g.compile();
    const double build = seconds_since(t0);
    std::printf("gazetteer: %zu aliases, %zu states, automaton %.1f MB, gazetteer total %.1f MB, RSS +%.1f MB, "
                "build %.2f s\n",
                g.aliases(), g.automaton().states(), static_cast<double>(g.automaton().memory_bytes()) / 1e6,
                static_cast<double>(g.memory_bytes()) / 1e6, rss_mb() - rss0, build);
    FoldedText ft;
    std::vector<GazetteerMatch> m;
    size_t matches = 0;
    t0 = Clock::now();
    double fold_s = 0;
    for (const auto& d : docs) {
      const auto f0 = Clock::now();
      fold_text(d, ft);
      fold_s += seconds_since(f0);
      m.clear();
      g.find(ft, m);
      matches += m.size();
    }
    const double s = seconds_since(t0);
    std::printf("gazetteer: fold+match %.1f MB/s, %.2f M words/s per core (match alone %.1f MB/s); %zu matches\n\n",
                mb / s, words / s / 1e6, mb / (s - fold_s), matches);
  }

  // --- shipped resources: model alone and the whole stage
  TagConfig config;
  const double rss0 = rss_mb();
  auto t0 = Clock::now();
  std::string err;
  auto res = TagResources::load(config, err);
  if (!res) {
    std::fprintf(stderr, "tag_bench: %s\n", err.c_str());
    return 1;
  }
  const auto features = [](const std::unique_ptr<Model>& m) { return m ? m->features() : 0; };
  const auto model_mb = [](const std::unique_ptr<Model>& m) {
    return m ? static_cast<double>(m->memory_bytes()) / 1e6 : 0.0;
  };
  std::printf(
      "shipped data: %zu aliases (%.1f MB), Hindi model %zu features (%.1f MB), English model %zu features "
      "(%.1f MB), RSS +%.1f MB, load %.2f s\n",
      res->gazetteer.aliases(), static_cast<double>(res->gazetteer.memory_bytes()) / 1e6, features(res->model),
      model_mb(res->model), features(res->english_model), model_mb(res->english_model), rss_mb() - rss0,
      seconds_since(t0));
  if (res->model) {
    // Model alone over whitespace tokens of the Hindi text.
    std::string hindi;
    for (const auto& t : texts)
      if (t.find("\xE0\xA4") != std::string::npos) hindi += t + " ";
    std::vector<std::string> toks;
    size_t start = 0;
    for (size_t i = 0; i <= hindi.size(); ++i)
      if (i == hindi.size() || hindi[i] == ' ' || hindi[i] == '\n') {
        if (i > start) toks.push_back(hindi.substr(start, i - start));
        start = i + 1;
      }
    std::vector<std::string_view> sent, gaz;
    std::vector<uint8_t> labels;
    Model::Scratch scratch;
    size_t tagged = 0, bytes = 0;
    t0 = Clock::now();
    while (seconds_since(t0) < 2.0) {
      for (size_t i = 0; i < toks.size(); i += 20) {
        sent.clear();
        gaz.clear();
        for (size_t k = i; k < std::min(toks.size(), i + 20); ++k) {
          sent.push_back(toks[k]);
          gaz.push_back({});
          bytes += toks[k].size() + 1;
        }
        res->model->tag(sent, gaz, {}, labels, scratch);
        tagged += sent.size();
      }
    }
    const double s = seconds_since(t0);
    std::printf("model: %.2f M words/s, %.1f MB/s per core (Hindi)\n", static_cast<double>(tagged) / s / 1e6,
                static_cast<double>(bytes) / 1e6 / s);
  }
  {
    Tagger tagger(config);
    std::vector<Entity> out;
    size_t entities = 0;
    t0 = Clock::now();
    for (const auto& d : docs) {
      tagger.tag(*res, d, out);
      entities += out.size();
    }
    const double s = seconds_since(t0);
    std::printf("stage: %.1f MB/s, %.2f M words/s per core; %zu entities; RSS now %.1f MB\n", mb / s,
                words / s / 1e6, entities, rss_mb());
    // The same with a fresh Tagger (cold word cache) for every 8 KB document:
    // the text above repeats, so a warm cache flatters it.
    t0 = Clock::now();
    for (const auto& d : docs) {
      Tagger cold(config);
      cold.tag(*res, d, out);
    }
    const double c = seconds_since(t0);
    std::printf("stage, cold cache per document: %.1f MB/s, %.2f M words/s per core\n", mb / c, words / c / 1e6);
  }
  english_news(config);
  return 0;
}
