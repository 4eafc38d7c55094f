#include "stages/tag/model.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>

namespace newsd::tag {
namespace {

constexpr std::string_view kLabelNames[Model::kLabels] = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"};

// Feature hashes: a feature's string, hashed whole with std::hash (eight
// bytes a step). tag() copies a feature's parts into a small buffer and
// hashes that, so features are never built as std::strings. Hashes live
// only in memory (the file holds the strings), so the function may change
// with the library.
uint64_t feature_hash(std::string_view s) {
  const uint64_t h = std::hash<std::string_view>{}(s);
  return h == 0 ? 1 : h;  // 0 marks an empty slot
}

// Features of two parts joined by '|' (words, shapes or a gazetteer label):
// the most frequent kind, so they are not hashed as strings. Their key mixes
// the template with each part's feature_hash(), which tag() has at hand for
// every word and shape. The model file holds them as strings ("ww+1=a|b");
// load() splits such a string at each '|', since the trainer's joined string
// cannot tell "a|" + "b" from "a" + "|b" either.
enum PairTemplate : uint64_t { kWm1W, kWWp1, kWm2Wm1, kWp1Wp2, kWm1Wp1, kGWp1, kCm1C, kCCp1, kCWm1, kCWp1 };
constexpr std::string_view kPairTemplates[] = {
    "w-1w=", "ww+1=", "w-2w-1=", "w+1w+2=", "w-1w+1=", "gw+1=", "c-1c=", "cc+1=", "cw-1=", "cw+1="};

uint64_t pair_hash(PairTemplate t, uint64_t a, uint64_t b) {
  uint64_t h = (a + t) * 0x9E3779B97F4A7C15ull;
  h = (h ^ (h >> 31) ^ b) * 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  return h == 0 ? 1 : h;
}

// The feature_hash() of a + b + c + d, without building the string.
uint64_t joined_hash(std::string_view a, std::string_view b = {}, std::string_view c = {}, std::string_view d = {}) {
  char buf[128];
  const size_t n = a.size() + b.size() + c.size() + d.size();
  if (n > sizeof buf) return feature_hash(std::string(a) + std::string(b) + std::string(c) + std::string(d));
  char* p = buf;
  for (std::string_view part : {a, b, c, d}) {
    if (part.empty()) continue;
    std::memcpy(p, part.data(), part.size());
    p += part.size();
  }
  return feature_hash(std::string_view(buf, n));
}

// Byte offset of code point k counted from the start (k >= 0) or from the
// end (k < 0) of a UTF-8 string, as Python's s[:k] and s[-k:] cut it.
size_t cp_count(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}
std::string_view cp_prefix(std::string_view s, size_t k) {
  size_t i = 0, n = 0;
  while (i < s.size()) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == k) break;
      ++n;
    }
    ++i;
  }
  return s.substr(0, i);
}
std::string_view cp_suffix(std::string_view s, size_t k) {
  size_t i = s.size(), n = 0;
  while (i > 0 && n < k) {
    --i;
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  }
  return s.substr(i);
}

// Mirrors script() in scripts/train-tagger.
std::string_view script_of(std::string_view w) {
  if (w.empty()) return "e";
  const auto b0 = static_cast<unsigned char>(w[0]);
  char32_t c = b0;
  if (b0 >= 0xE0 && w.size() >= 3)
    c = ((b0 & 0x0F) << 12) | ((static_cast<unsigned char>(w[1]) & 0x3F) << 6) | (static_cast<unsigned char>(w[2]) & 0x3F);
  else if (b0 >= 0xC0 && w.size() >= 2)
    c = ((b0 & 0x1F) << 6) | (static_cast<unsigned char>(w[1]) & 0x3F);
  if (c >= 0x900 && c <= 0x97F) return "d";
  const auto u = static_cast<UChar32>(c);
  if (u_isdigit(u)) return "n";
  if (u_isalpha(u)) return u_isupper(u) ? "U" : "l";
  return "p";
}

}  // namespace

void word_shape(std::u32string_view token, std::string& out) {
  char last = 0;
  size_t n = 0;
  for (char32_t ch : token) {
    const auto u = static_cast<UChar32>(ch);
    char c;
    if (u_isalpha(u))
      c = u_isupper(u) || u_istitle(u) ? 'X' : 'x';
    else if (u_isdigit(u))
      c = 'd';
    else
      c = ch < 128 ? static_cast<char>(ch) : 'o';
    if (c == last) continue;
    if (++n > 6) break;
    out += c;
    last = c;
  }
}

std::string_view Model::label_name(int label) { return kLabelNames[label]; }

const float* Model::weights(uint64_t hash) const {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  const uint32_t key = slot_key(hash);
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (slots_[i].key == key) return &weights_[size_t{slots_[i].row} * kLabels];
    if (slots_[i].key == 0) return nullptr;
  }
}

bool Model::load(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read tagger model " + path;
    return false;
  }
  std::vector<std::pair<uint64_t, std::array<float, kLabels>>> rows;
  std::string line;
  int64_t n = 0;
  bool labels_seen = false;
  bool viterbi_seen = false;
  cased_ = false;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      error = path + ":" + std::to_string(n) + ": expected feature<TAB>weights";
      return false;
    }
    const std::string_view feature = std::string_view(line).substr(0, tab);
    const std::string_view rest = std::string_view(line).substr(tab + 1);
    if (feature == "labels") {
      std::string want;
      for (int k = 0; k < kLabels; ++k) {
        if (k) want += ' ';
        want += kLabelNames[k];
      }
      if (rest != want) {
        error = path + ": labels '" + std::string(rest) + "' differ from '" + want + "'";
        return false;
      }
      labels_seen = true;
      continue;
    }
    if (feature == "decoder") {
      if (rest != "viterbi") {
        error = path + ":" + std::to_string(n) + ": decoder '" + std::string(rest) + "' is not supported (viterbi)";
        return false;
      }
      viterbi_seen = true;
      continue;
    }
    if (feature == "features") {
      if (rest != "cased") {
        error = path + ":" + std::to_string(n) + ": features '" + std::string(rest) + "' are not supported (cased)";
        return false;
      }
      cased_ = true;
      continue;
    }
    std::array<float, kLabels> w{};
    const char* p = rest.data();
    const char* end = rest.data() + rest.size();
    for (int k = 0; k < kLabels; ++k) {
      while (p < end && *p == ' ') ++p;
      char* stop = nullptr;
      w[static_cast<size_t>(k)] = std::strtof(p, &stop);
      if (stop == p) {
        error = path + ":" + std::to_string(n) + ": expected " + std::to_string(kLabels) + " weights";
        return false;
      }
      p = stop;
    }
    const size_t eq = feature.find('=');
    const auto pair = std::find(std::begin(kPairTemplates), std::end(kPairTemplates), feature.substr(0, eq + 1));
    if (eq != std::string_view::npos && pair != std::end(kPairTemplates)) {
      const auto t = static_cast<PairTemplate>(pair - std::begin(kPairTemplates));
      const std::string_view parts = feature.substr(eq + 1);
      for (size_t bar = parts.find('|'); bar != std::string_view::npos; bar = parts.find('|', bar + 1))
        rows.emplace_back(pair_hash(t, feature_hash(parts.substr(0, bar)), feature_hash(parts.substr(bar + 1))), w);
    } else {
      rows.emplace_back(feature_hash(feature), w);
    }
  }
  if (!labels_seen) {
    error = path + ": not a newsd tagger model (no labels line)";
    return false;
  }
  if (!viterbi_seen) {
    error = path + ": tagger model of an older format (no 'decoder viterbi' line); retrain with scripts/train-tagger";
    return false;
  }
  static std::atomic<uint64_t> serials{0};
  serial_ = ++serials;
  size_t size = 16;
  while (size < rows.size() * 2) size <<= 1;
  slots_.assign(size, Slot{});
  weights_.clear();
  weights_.reserve(rows.size() * kLabels);
  count_ = 0;
  const size_t mask = size - 1;
  for (const auto& [h, w] : rows) {
    const uint32_t key = slot_key(h);
    size_t i = h & mask;
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask;
    if (slots_[i].key == 0) {
      slots_[i] = Slot{key, static_cast<uint32_t>(count_++)};
      weights_.insert(weights_.end(), w.begin(), w.end());
    } else {
      std::copy(w.begin(), w.end(), weights_.begin() + static_cast<std::ptrdiff_t>(size_t{slots_[i].row} * kLabels));
    }
  }
  for (int p = 0; p <= kLabels; ++p) {
    const std::string row = "t-1=" + std::string(p == 0 ? std::string_view("<s>") : kLabelNames[p - 1]);
    const float* w = weights(feature_hash(row));
    for (int k = 0; k < kLabels; ++k) trans_[p][k] = w ? w[k] : 0.0;
  }
  return true;
}

namespace {
// Mirrors allowed() in scripts/train-tagger: I-X continues X only. prev is a
// row of Model::trans_ (0 = sentence start, 1 + j = label j).
constexpr bool allowed(int prev, int label) {
  if (label == 0 || label % 2 == 1) return true;  // O and B-X start anywhere
  return prev == label || prev == label + 1;       // B-X is row label, I-X row label + 1
}
}  // namespace

void Model::add(Scratch::Row& row, std::string_view a, std::string_view b, std::string_view c,
                std::string_view d) const {
  if (const float* w = weights(joined_hash(a, b, c, d)))
    for (size_t k = 0; k < kLabels; ++k) row[k] += w[k];
}

const Model::Scratch::WordEntry& Model::word_entry(std::string_view w, Scratch& scratch) const {
  const uint64_t key = feature_hash(w);
  Scratch::WordEntry& e = scratch.words[(key >> 7) & (scratch.words.size() - 1)];
  if (e.key == key) return e;
  e = Scratch::WordEntry{};
  e.key = key;
  Scratch::Row& self = e.rows[Scratch::kSelf];
  const size_t len = cp_count(w);
  char lenbuf[4];
  auto [lenend, ec] = std::to_chars(lenbuf, lenbuf + sizeof lenbuf, len < 8 ? len : 8);
  (void)ec;
  add(self, "b");
  add(self, "w=", w);
  add(self, "sh=", script_of(w));
  add(self, "ln=", std::string_view(lenbuf, static_cast<size_t>(lenend - lenbuf)));
  static constexpr std::string_view kP[] = {"p1=", "p2=", "p3=", "p4="};
  static constexpr std::string_view kS[] = {"s1=", "s2=", "s3=", "s4="};
  for (size_t k = 1; k <= 4; ++k)
    if (len > k) add(self, kP[k - 1], cp_prefix(w, k));
  for (size_t k = 1; k <= 4; ++k)
    if (len > k) add(self, kS[k - 1], cp_suffix(w, k));
  add(e.rows[Scratch::kPrev2], "w-2=", w);
  add(e.rows[Scratch::kPrev1], "w-1=", w);
  add(e.rows[Scratch::kPrev1], "s-1=", cp_suffix(w, 2));
  add(e.rows[Scratch::kNext1], "w+1=", w);
  add(e.rows[Scratch::kNext1], "s+1=", cp_suffix(w, 2));
  add(e.rows[Scratch::kNext2], "w+2=", w);
  return e;
}

const Model::Scratch::ShapeEntry& Model::shape_entry(std::string_view shape, Scratch& scratch) const {
  const uint64_t key = feature_hash(shape);
  Scratch::ShapeEntry& e = scratch.shapes[(key >> 7) & (scratch.shapes.size() - 1)];
  if (e.key == key) return e;
  e = Scratch::ShapeEntry{};
  e.key = key;
  add(e.self, "c=", shape);
  add(e.prev, "c-1=", shape);
  add(e.next, "c+1=", shape);
  return e;
}

void Model::tag(const std::vector<std::string_view>& words, const std::vector<std::string_view>& gaz,
                const std::vector<std::string_view>& shapes, std::vector<uint8_t>& labels, Scratch& scratch) const {
  const size_t n = words.size();
  labels.assign(n, 0);
  if (n == 0) return;
  constexpr size_t kWordCache = 8192, kShapeCache = 256;  // powers of two
  if (scratch.serial != serial_ || scratch.words.size() != kWordCache) {
    scratch.words.assign(kWordCache, Scratch::WordEntry{});
    scratch.shapes.assign(kShapeCache, Scratch::ShapeEntry{});
    scratch.serial = serial_;
  }
  // Entry j + 1 is token j's; 0 and n + 1 are the sentence's edges.
  auto& we = scratch.sentence_words;
  we.resize(n + 2);
  we[0] = word_entry("<s>", scratch);
  for (size_t i = 0; i < n; ++i) we[i + 1] = word_entry(words[i], scratch);
  we[n + 1] = word_entry("</s>", scratch);
  auto& se = scratch.sentence_shapes;
  if (cased_) {
    se.resize(n + 2);
    se[0] = shape_entry("<s>", scratch);
    for (size_t i = 0; i < n; ++i) se[i + 1] = shape_entry(shapes[i], scratch);
    se[n + 1] = shape_entry("</s>", scratch);
  }
  // Token i's neighbours as indices into we and se: the token two before,
  // one before, one after and two after it, or the sentence's edges.
  struct Around {
    size_t m2, m1, p1, p2;
  };
  auto around = [n](size_t i) {
    return Around{i >= 2 ? i - 1 : 0, i >= 1 ? i : 0, i + 1 < n ? i + 2 : n + 1, i + 2 < n ? i + 3 : n + 1};
  };
  auto plus = [](Scratch::Row& to, const Scratch::Row& from) {
    for (size_t k = 0; k < kLabels; ++k) to[k] += from[k];
  };

  scratch.emissions.assign(n * kLabels, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const auto [m2, m1, p1, p2] = around(i);
    Scratch::Row score = we[i + 1].rows[Scratch::kSelf];
    plus(score, we[m1].rows[Scratch::kPrev1]);
    plus(score, we[m2].rows[Scratch::kPrev2]);
    plus(score, we[p1].rows[Scratch::kNext1]);
    plus(score, we[p2].rows[Scratch::kNext2]);
    if (cased_) {
      plus(score, se[i + 1].self);
      plus(score, se[m1].prev);
      plus(score, se[p1].next);
    }
    // Features of two words, of gazetteer labels and of shapes, keyed by
    // their parts' hashes.
    auto feature = [&](uint64_t h) {
      if (const float* wt = weights(h))
        for (size_t k = 0; k < kLabels; ++k) score[k] += wt[k];
    };
    const uint64_t w = we[i + 1].key, wm1 = we[m1].key, wm2 = we[m2].key, wp1 = we[p1].key, wp2 = we[p2].key;
    feature(pair_hash(kWm1W, wm1, w));
    feature(pair_hash(kWWp1, w, wp1));
    feature(pair_hash(kWm2Wm1, wm2, wm1));
    feature(pair_hash(kWp1Wp2, wp1, wp2));
    feature(pair_hash(kWm1Wp1, wm1, wp1));
    if (!gaz[i].empty()) {
      feature(joined_hash("g=", gaz[i]));
      feature(pair_hash(kGWp1, feature_hash(gaz[i]), wp1));
    }
    if (i + 1 < n && !gaz[i + 1].empty()) feature(joined_hash("g+1=", gaz[i + 1]));
    if (i >= 1 && !gaz[i - 1].empty()) feature(joined_hash("g-1=", gaz[i - 1]));
    if (cased_) {
      const uint64_t c = se[i + 1].key, cm1 = se[m1].key, cp1 = se[p1].key;
      feature(pair_hash(kCm1C, cm1, c));
      feature(pair_hash(kCCp1, c, cp1));
      feature(pair_hash(kCWm1, c, wm1));
      feature(pair_hash(kCWp1, c, wp1));
    }
    for (size_t k = 0; k < kLabels; ++k) scratch.emissions[i * kLabels + k] = score[k];
  }

  // Viterbi; ties go to the lower label index, as in the trainer.
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  scratch.back.assign(n * kLabels, 0);
  double cur[kLabels], next[kLabels];
  for (int k = 0; k < kLabels; ++k)
    cur[k] = allowed(0, k) ? scratch.emissions[static_cast<size_t>(k)] + trans_[0][k] : kNone;
  for (size_t i = 1; i < n; ++i) {
    const double* e = &scratch.emissions[i * kLabels];
    uint8_t* bp = &scratch.back[i * kLabels];
    for (int k = 0; k < kLabels; ++k) {
      int best = 0;
      double bs = kNone;
      for (int j = 0; j < kLabels; ++j) {
        if (cur[j] == kNone || !allowed(j + 1, k)) continue;
        const double v = cur[j] + trans_[j + 1][k];
        if (bs == kNone || v > bs) best = j, bs = v;
      }
      next[k] = bs == kNone ? kNone : bs + e[k];
      bp[k] = static_cast<uint8_t>(best);
    }
    std::copy(next, next + kLabels, cur);
  }
  int best = 0;
  for (int k = 1; k < kLabels; ++k)
    if (cur[k] != kNone && (cur[best] == kNone || cur[k] > cur[best])) best = k;
  for (size_t i = n; i-- > 0;) {
    labels[i] = static_cast<uint8_t>(best);
    if (i > 0) best = scratch.back[i * kLabels + static_cast<size_t>(best)];
  }
}

}  // namespace newsd::tag
