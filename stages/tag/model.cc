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
    rows.emplace_back(feature_hash(feature), w);
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

void Model::tag(const std::vector<std::string_view>& words, const std::vector<std::string_view>& gaz,
                const std::vector<std::string_view>& shapes, std::vector<uint8_t>& labels, Scratch& scratch) const {
  const size_t n = words.size();
  labels.assign(n, 0);
  if (n == 0) return;
  constexpr size_t kCacheSize = 8192;
  if (scratch.serial != serial_ || scratch.cache.size() != kCacheSize) {
    scratch.cache.assign(kCacheSize, Scratch::Cached{});
    scratch.serial = serial_;
  }
  scratch.emissions.assign(n * kLabels, 0.0);
  for (size_t i = 0; i < n; ++i) {
    float score[kLabels] = {};
    auto add = [&](std::string_view a, std::string_view b = {}, std::string_view c = {}, std::string_view d = {}) {
      char buf[128];
      const size_t n = a.size() + b.size() + c.size() + d.size();
      uint64_t h;
      if (n <= sizeof buf) {
        char* p = buf;
        for (std::string_view part : {a, b, c, d}) {
          if (part.empty()) continue;
          std::memcpy(p, part.data(), part.size());
          p += part.size();
        }
        h = feature_hash(std::string_view(buf, n));
      } else {
        h = feature_hash(std::string(a) + std::string(b) + std::string(c) + std::string(d));
      }
      if (const float* w = weights(h))
        for (int k = 0; k < kLabels; ++k) score[k] += w[k];
    };
    const std::string_view w = words[i];
    const uint64_t wkey = feature_hash(w);
    Scratch::Cached& cached = scratch.cache[(wkey >> 7) & (kCacheSize - 1)];
    if (cached.key == wkey) {
      for (int k = 0; k < kLabels; ++k) score[k] = cached.score[k];
    } else {
      const size_t len = cp_count(w);
      char lenbuf[4];
      auto [lenend, ec] = std::to_chars(lenbuf, lenbuf + sizeof lenbuf, len < 8 ? len : 8);
      (void)ec;
      add("b");
      add("w=", w);
      add("sh=", script_of(w));
      add("ln=", std::string_view(lenbuf, static_cast<size_t>(lenend - lenbuf)));
      static constexpr std::string_view kP[] = {"p1=", "p2=", "p3=", "p4="};
      static constexpr std::string_view kS[] = {"s1=", "s2=", "s3=", "s4="};
      for (size_t k = 1; k <= 4; ++k)
        if (len > k) add(kP[k - 1], cp_prefix(w, k));
      for (size_t k = 1; k <= 4; ++k)
        if (len > k) add(kS[k - 1], cp_suffix(w, k));
      cached.key = wkey;
      for (int k = 0; k < kLabels; ++k) cached.score[k] = score[k];
    }
    const std::string_view wm1 = i >= 1 ? words[i - 1] : "<s>";
    const std::string_view wm2 = i >= 2 ? words[i - 2] : "<s>";
    const std::string_view wp1 = i + 1 < n ? words[i + 1] : "</s>";
    const std::string_view wp2 = i + 2 < n ? words[i + 2] : "</s>";
    add("w-1=", wm1);
    add("w-2=", wm2);
    add("w+1=", wp1);
    add("w+2=", wp2);
    add("s-1=", cp_suffix(wm1, 2));
    add("s+1=", cp_suffix(wp1, 2));
    add("w-1w=", wm1, "|", w);
    add("ww+1=", w, "|", wp1);
    add("w-2w-1=", wm2, "|", wm1);
    add("w+1w+2=", wp1, "|", wp2);
    add("w-1w+1=", wm1, "|", wp1);
    if (!gaz[i].empty()) {
      add("g=", gaz[i]);
      add("gw+1=", gaz[i], "|", wp1);
    }
    if (i + 1 < n && !gaz[i + 1].empty()) add("g+1=", gaz[i + 1]);
    if (i >= 1 && !gaz[i - 1].empty()) add("g-1=", gaz[i - 1]);
    if (cased_) {
      const std::string_view c = shapes[i];
      const std::string_view cm1 = i >= 1 ? shapes[i - 1] : "<s>";
      const std::string_view cp1 = i + 1 < n ? shapes[i + 1] : "</s>";
      add("c=", c);
      add("c-1=", cm1);
      add("c+1=", cp1);
      add("c-1c=", cm1, "|", c);
      add("cc+1=", c, "|", cp1);
      add("cw-1=", c, "|", wm1);
      add("cw+1=", c, "|", wp1);
    }
    for (int k = 0; k < kLabels; ++k) scratch.emissions[i * kLabels + static_cast<size_t>(k)] = score[k];
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
