// dedup_bench: figures for the dedup index and its verdicts.
//
//   dedup_bench [--scale N,N...] [--skip-scale] [--skip-quality] [--max-distance D]
//
// --max-distance: the index's simhash tables (-1 = none; 0..3 = with them,
// 3 is the default config), to compare memory, speed and recall with and
// without.
//
// 1. Scale: insert+query µs/op and index memory at 1M and 10M fingerprints
//    (one check_and_insert per article, the stage's only index call), then
//    insert+query+evict with the index full, then query-only µs/op for exact
//    and near copies at full size.
// 2. Quality: precision/recall on copies generated from real texts — the
//    Scrapinghub ground-truth article bodies (English and other languages) and
//    Hindi documents of 20 consecutive IL-NER sentences — with exact copies,
//    changed dateline/boilerplate, 1, 2 and 5 of 20 sentences dropped or
//    reworded, and every distinct original checked against the others.
// Prints figures only; it is not a pass/fail test.
#include <simdjson.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "stages/dedup/dedup_config.h"
#include "stages/dedup/fingerprint.h"
#include "stages/dedup/fingerprint_index.h"

using namespace newsd;
using namespace newsd::dedup;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kShared = std::string(NEWSD_SOURCE_DIR) + "/../shared/";
int g_max_distance = DedupConfig{}.max_distance;

// CPU time of this thread: the figure that holds on a machine shared with
// other work (wall time is printed alongside).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

FingerprintRecord random_record(std::mt19937_64& rng, uint64_t id) {
  FingerprintRecord r;
  r.id = id;
  r.simhash = rng();
  r.content_hi = rng();
  r.content_lo = rng();
  r.minute = 28'000'000 + static_cast<int64_t>(id / 1000);  // ~1000 articles a minute
  for (auto& b : r.minhash) b = static_cast<uint8_t>(rng());
  return r;
}

void scale(int64_t n) {
  const DedupConfig defaults;
  FingerprintIndex::Options o;
  o.capacity = n;
  o.max_distance = g_max_distance;
  o.min_similarity = defaults.min_similarity;
  o.window_minutes = 365 * 24 * 60;  // the bound under test is the capacity
  const long rss0 = rss_kib();
  FingerprintIndex index(o);
  std::mt19937_64 rng(42);
  // Records are made in batches outside the timed part: the figure is the
  // index's cost alone.
  double secs = 0, cpu = 0;
  uint64_t dups = 0;
  std::vector<FingerprintRecord> batch;
  for (int64_t i = 0; i < n;) {
    batch.clear();
    for (; i < n && batch.size() < 65536; ++i) batch.push_back(random_record(rng, static_cast<uint64_t>(i) + 1));
    const auto t0 = Clock::now();
    const double c0 = thread_cpu_seconds();
    for (const FingerprintRecord& r : batch) dups += index.check_and_insert(r, true).kind != MatchKind::kUnique;
    cpu += thread_cpu_seconds() - c0;
    secs += std::chrono::duration<double>(Clock::now() - t0).count();
  }
  const long rss1 = rss_kib();
  std::printf("scale %lld: insert+query %.2f us/op CPU (%.2f us/op wall, %.1f s), index memory %.1f MiB = %.0f B/fingerprint (RSS +%.1f MiB), "
              "false matches among random %llu\n",
              static_cast<long long>(n), cpu * 1e6 / static_cast<double>(n), secs * 1e6 / static_cast<double>(n), secs,
              static_cast<double>(index.memory_bytes()) / (1 << 20),
              static_cast<double>(index.memory_bytes()) / static_cast<double>(n), static_cast<double>(rss1 - rss0) / 1024,
              static_cast<unsigned long long>(dups));

  // Steady state: the index full, each new article is looked up, inserted
  // and evicts the oldest (what a long-running daemon pays per article; the
  // fill above also pays the key table's growth).
  {
    const int64_t extra = std::min<int64_t>(n, 200'000);
    batch.clear();
    for (int64_t i = 0; i < extra; ++i) batch.push_back(random_record(rng, static_cast<uint64_t>(n + i) + 1));
    const double c0 = thread_cpu_seconds();
    for (const FingerprintRecord& r : batch) dups += index.check_and_insert(r, true).kind != MatchKind::kUnique;
    std::printf("scale %lld: full index, insert+query+evict %.2f us/op CPU (%lld articles, %llu evicted)\n",
                static_cast<long long>(n), (thread_cpu_seconds() - c0) * 1e6 / static_cast<double>(extra),
                static_cast<long long>(extra), static_cast<unsigned long long>(index.evicted()));
  }

  // Query-only at full size: exact copies and near copies (5 of the
  // signature bytes and 2 simhash bits changed) of random earlier articles.
  // The sample is taken from the newest articles, which are still indexed.
  std::mt19937_64 replay(42);
  std::vector<FingerprintRecord> sample;
  const int64_t oldest_kept = static_cast<int64_t>(index.evicted());
  for (int64_t i = 0; i < n; ++i) {
    FingerprintRecord r = random_record(replay, static_cast<uint64_t>(i) + 1);
    if (i >= oldest_kept && i % std::max<int64_t>(1, n / 100'000) == 0) sample.push_back(r);
  }
  int found_exact = 0, found_near = 0;
  const double c1 = thread_cpu_seconds();
  for (FingerprintRecord r : sample) {
    r.id += 1ULL << 40;
    found_exact += index.check_and_insert(r, false).kind == MatchKind::kExactDuplicate;
  }
  const double c2 = thread_cpu_seconds();
  for (FingerprintRecord r : sample) {
    r.id += 1ULL << 41;
    r.content_lo ^= 1;
    r.simhash ^= 0x8001;
    for (int i = 0; i < 5; ++i) r.minhash[static_cast<size_t>(i * 6 % kMinHashes)] ^= 0x33;
    found_near += index.check_and_insert(r, false).kind == MatchKind::kNearDuplicate;
  }
  const double c3 = thread_cpu_seconds();
  std::printf("scale %lld: query exact copy %.2f us/op CPU (found %d/%zu), near copy %.2f us/op CPU (found %d/%zu)\n",
              static_cast<long long>(n), (c2 - c1) * 1e6 / static_cast<double>(sample.size()), found_exact,
              sample.size(), (c3 - c2) * 1e6 / static_cast<double>(sample.size()), found_near, sample.size());
}

// ---- quality

struct Doc {
  std::string lang;
  std::vector<std::string> sentences;
};

std::vector<std::string> split_sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    cur += text[i];
    const bool end_ascii = (text[i] == '.' || text[i] == '!' || text[i] == '?') &&
                           (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n');
    const bool end_danda = i >= 2 && text.compare(i - 2, 3, "\xe0\xa5\xa4") == 0;  // ।
    if (end_ascii || end_danda || text[i] == '\n') {
      if (cur.find_first_not_of(" \n") != std::string::npos) out.push_back(cur);
      cur.clear();
    }
  }
  if (cur.find_first_not_of(" \n") != std::string::npos) out.push_back(cur);
  return out;
}

std::vector<Doc> scrapinghub_docs() {
  std::vector<Doc> docs;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.load(kShared + "eval/scrapinghub/ground-truth.json").get(root) != simdjson::SUCCESS) return docs;
  for (auto field : root) {
    std::string_view body;
    if (field.value["articleBody"].get(body) != simdjson::SUCCESS) continue;
    Doc d{"scrapinghub", split_sentences(std::string(body))};
    if (d.sentences.size() >= 5) docs.push_back(std::move(d));
  }
  return docs;
}

std::vector<Doc> hindi_docs(size_t max_docs) {
  std::vector<Doc> docs;
  for (const char* file : {"Hindi-dev.txt", "Hindi-train.txt"}) {
    std::ifstream in(kShared + "eval/ner/il-ner-hi/" + file);
    std::string line, sentence;
    Doc cur{"hindi", {}};
    while (std::getline(in, line) && docs.size() < max_docs) {
      if (line.empty()) {
        if (!sentence.empty()) cur.sentences.push_back(sentence);
        sentence.clear();
        if (cur.sentences.size() == 20) {
          docs.push_back(std::move(cur));
          cur = Doc{"hindi", {}};
        }
        continue;
      }
      const std::string token = line.substr(0, line.find('\t'));
      if (!sentence.empty()) sentence += ' ';
      sentence += token;
    }
  }
  return docs;
}

std::string join(const std::vector<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += x + "\n";
  return out;
}

// Picks `count` sentence positions spread over the document, deterministic.
std::vector<size_t> pick(size_t n, size_t count, uint64_t seed) {
  std::vector<size_t> idx(n);
  for (size_t i = 0; i < n; ++i) idx[i] = i;
  std::shuffle(idx.begin(), idx.end(), std::mt19937_64(seed));
  idx.resize(std::min(count, n));
  return idx;
}

// A rewording: the first two words swapped, every third word dropped and
// one word added — the sentence says the same with different shingles.
std::string reword(const std::string& sentence, bool hindi) {
  std::vector<std::string> w;
  std::istringstream in(sentence);
  for (std::string x; in >> x;) w.push_back(x);
  if (w.size() >= 2) std::swap(w[0], w[1]);
  std::string out;
  for (size_t i = 0; i < w.size(); ++i)
    if (i % 3 != 2) out += w[i] + " ";
  out += hindi ? "भी।" : "too.";
  return out;
}

struct Tally {
  int total = 0, found = 0, wrong = 0, corpus_dup = 0;
};

// Exact Jaccard of two texts' word-4-shingle sets: the truth a match is judged by.
using ShingleSet = std::vector<std::string>;
ShingleSet shingle_set(Fingerprinter& f, const std::string& text) {
  const std::vector<std::string> w = f.words(text);
  ShingleSet out;
  for (size_t i = 0; i + 4 <= w.size(); ++i) out.push_back(w[i] + ' ' + w[i + 1] + ' ' + w[i + 2] + ' ' + w[i + 3]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}
double jaccard(const ShingleSet& a, const ShingleSet& b) {
  std::vector<std::string> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  const size_t uni = a.size() + b.size() - common.size();
  return uni ? static_cast<double>(common.size()) / static_cast<double>(uni) : 1.0;
}

void quality(const std::vector<Doc>& docs, const std::string& name) {
  std::string error;
  auto fpr = Fingerprinter::create(DedupConfig{}.shingle_words, error);
  if (!fpr) {
    std::printf("%s\n", error.c_str());
    return;
  }
  const DedupConfig defaults;
  FingerprintIndex::Options o;
  o.capacity = 1'000'000;
  o.max_distance = g_max_distance;
  o.min_similarity = defaults.min_similarity;
  FingerprintIndex index(o);
  auto record = [&](const std::string& text, uint64_t id, uint32_t* words = nullptr) {
    const Fingerprint fp = fpr->compute(text);
    if (words) *words = fp.words;
    FingerprintRecord r;
    r.id = id;
    r.simhash = fp.simhash;
    r.content_hi = fp.content_hi;
    r.content_lo = fp.content_lo;
    r.minute = 28'000'000;
    r.minhash = fp.minhash;
    return r;
  };

  // Originals: each must come out unique (a match here is a false match
  // among distinct articles; many are on the same topic, same site).
  int distinct = 0, false_distinct = 0, corpus_dups = 0, too_short = 0;
  double fp_micros = 0;
  std::vector<uint64_t> ids;
  std::vector<ShingleSet> truth;
  for (const Doc& d : docs) truth.push_back(shingle_set(*fpr, join(d.sentences)));
  for (size_t i = 0; i < docs.size(); ++i) {
    uint32_t words = 0;
    const double t0 = thread_cpu_seconds();
    const FingerprintRecord r = record(join(docs[i].sentences), i + 1, &words);
    fp_micros += (thread_cpu_seconds() - t0) * 1e6;
    if (words < static_cast<uint32_t>(defaults.min_words)) {
      ++too_short;
      ids.push_back(0);
      continue;
    }
    ++distinct;
    const Match m = index.check_and_insert(r, true);
    // The corpus itself holds a few overlapping documents (repeated
    // sentences): a match with true Jaccard >= 0.5 is a real near duplicate.
    if (m.kind != MatchKind::kUnique) {
      if (jaccard(truth[i], truth[m.duplicate_of - 1]) >= 0.5) ++corpus_dups;
      else ++false_distinct;
    }
    ids.push_back(i + 1);
  }

  std::map<std::string, Tally> tallies;
  auto probe = [&](const std::string& variant, const std::string& text, uint64_t original) {
    const Match m = index.check_and_insert(record(text, original + (1ULL << 40)), false);
    Tally& t = tallies[variant];
    ++t.total;
    if (m.kind == MatchKind::kExactDuplicate || m.kind == MatchKind::kNearDuplicate) {
      if (m.duplicate_of == original) ++t.found;
      else if (jaccard(shingle_set(*fpr, text), truth[m.duplicate_of - 1]) >= 0.5) ++t.corpus_dup;
      else ++t.wrong;
    }
  };
  const bool hindi = name == "hindi";
  for (size_t i = 0; i < docs.size(); ++i) {
    if (ids[i] == 0) continue;
    const std::vector<std::string>& s = docs[i].sentences;
    probe("exact copy", join(s), ids[i]);
    std::vector<std::string> d = s;
    d.front() = (hindi ? "नई दिल्ली : " : "NEW DELHI (Reuters) - ") + d.front();
    d.push_back(hindi ? "ताज़ा ख़बरों के लिए हमें फ़ॉलो करें।" : "Follow us for the latest news.");
    probe("dateline+boilerplate", join(d), ids[i]);
    for (int per20 : {1, 2, 5}) {
      const size_t count = std::max<size_t>(1, static_cast<size_t>(std::lround(static_cast<double>(s.size()) * per20 / 20.0)));
      const std::vector<size_t> where = pick(s.size(), count, i * 31 + static_cast<uint64_t>(per20));
      std::vector<std::string> dropped;
      for (size_t k = 0; k < s.size(); ++k)
        if (std::find(where.begin(), where.end(), k) == where.end()) dropped.push_back(s[k]);
      probe(std::to_string(per20) + "/20 dropped", join(dropped), ids[i]);
      std::vector<std::string> reworded = s;
      for (size_t k : where) reworded[k] = reword(s[k], hindi);
      probe(std::to_string(per20) + "/20 reworded", join(reworded), ids[i]);
    }
  }

  int tp = 0, fp = false_distinct, fn_le10 = 0, tp_le10 = 0;
  std::printf("quality %s: %zu documents, %d indexed, %d too short, fingerprint %.0f us CPU/doc\n", name.c_str(),
              docs.size(), distinct, too_short, fp_micros / static_cast<double>(docs.size()));
  std::printf("  %-22s %6s %6s %6s %10s %8s\n", "variant", "total", "found", "wrong", "corpus-dup", "recall");
  for (const auto& [variant, t] : tallies) {
    // Matched to another document that truly shares >= 50% of shingles with
    // the copy: correct as a duplicate, counted as found.
    const int found = t.found + t.corpus_dup;
    std::printf("  %-22s %6d %6d %6d %10d %8.3f\n", variant.c_str(), t.total, t.found, t.wrong, t.corpus_dup,
                t.total ? static_cast<double>(found) / t.total : 0.0);
    tp += found;
    fp += t.wrong;
    if (variant.rfind("5/20", 0) != 0) {
      tp_le10 += found;
      fn_le10 += t.total - found - t.wrong;
    }
  }
  std::printf("  distinct originals falsely matched (true Jaccard < 0.5): %d of %d; "
              "matched to a true near duplicate inside the corpus: %d\n", false_distinct, distinct, corpus_dups);
  std::printf("  precision %.4f; recall up to 10%% changed %.4f\n", tp + fp ? static_cast<double>(tp) / (tp + fp) : 0.0,
              tp_le10 + fn_le10 ? static_cast<double>(tp_le10) / (tp_le10 + fn_le10) : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int64_t> sizes = {1'000'000, 10'000'000};
  bool do_scale = true, do_quality = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--skip-scale") do_scale = false;
    else if (a == "--skip-quality") do_quality = false;
    else if (a == "--max-distance" && i + 1 < argc) g_max_distance = std::stoi(argv[++i]);
    else if (a == "--scale" && i + 1 < argc) {
      sizes.clear();
      std::stringstream ss(argv[++i]);
      for (std::string x; std::getline(ss, x, ',');) sizes.push_back(std::stoll(x));
    } else {
      std::fprintf(stderr, "usage: dedup_bench [--scale N,N...] [--skip-scale] [--skip-quality] [--max-distance D]\n");
      return 2;
    }
  }
  std::printf("simhash tables: %s\n", g_max_distance < 0 ? "off" : ("max distance " + std::to_string(g_max_distance)).c_str());
  if (do_quality) {
    quality(scrapinghub_docs(), "scrapinghub");
    quality(hindi_docs(600), "hindi");
  }
  if (do_scale)
    for (int64_t n : sizes) scale(n);
  return 0;
}
