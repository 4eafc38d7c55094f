#include "stages/dedup/dedup_stage.h"

#include <xxhash.h>

#include <cstdio>

#include "stages/civil_date.h"
#include "stages/dedup/fingerprint_log.h"

namespace newsd {
namespace dedup {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

int64_t parse_minutes(std::string_view s) {
  int y, mo, d, h = 0, mi = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || mo < 1 || mo > 12 || d < 1 || d > 31)
    return 0;
  int64_t offset = 0;
  if (s.size() > 10 && (s[10] == 'T' || s[10] == ' ')) {
    if (!digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, mi) || h > 23 || mi > 59) return 0;
    size_t p = 16;
    if (p < s.size() && s[p] == ':') p += 3;  // seconds
    while (p < s.size() && (s[p] == '.' || (s[p] >= '0' && s[p] <= '9'))) ++p;
    if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      int oh, om = 0;
      if (!digits(s, p + 1, 2, oh)) return 0;
      const size_t mpos = p + 3 < s.size() && s[p + 3] == ':' ? p + 4 : p + 3;
      if (mpos < s.size() && !digits(s, mpos, 2, om)) return 0;
      offset = (oh * 60 + om) * (s[p] == '+' ? 1 : -1);
    }
  }
  const int64_t minutes = days_from_civil(y, mo, d) * 1440 + h * 60 + mi - offset;
  return minutes > 0 ? minutes : 0;
}

uint64_t id_value(std::string_view id) {
  if (id.size() == 16) {
    uint64_t v = 0;
    bool ok = true;
    for (char c : id) {
      int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (x < 0) {
        ok = false;
        break;
      }
      v = (v << 4) | static_cast<uint64_t>(x);
    }
    if (ok) return v;
  }
  return XXH3_64bits(id.data(), id.size());
}

}  // namespace dedup

DedupStage::DedupStage(const DedupConfig& config, dedup::DedupState& state) : config_(config), state_(state) {
  fingerprinter_ = dedup::Fingerprinter::create(config.shingle_words, init_error_);
}

Status DedupStage::process(Article& article) {
  if (!fingerprinter_) {
    state_.skip(article.sequence);
    return internal_error(init_error_);
  }
  const dedup::Fingerprint fp = fingerprinter_->compute(article.text);
  DedupVerdict v;
  v.simhash = dedup::hex64(fp.simhash);
  v.content_hash = dedup::hex128(fp.content_hi, fp.content_lo);
  const std::string id = !article.id.empty() ? article.id : article_id(article.url);

  if (fp.words < static_cast<uint32_t>(config_.min_words)) {
    state_.skip(article.sequence);
    v.status = DedupStatus::kTooShort;
    state_.count_verdict(v.status);
    article.dedup = std::move(v);
    return Status::ok();
  }

  dedup::FingerprintRecord record;
  record.id = dedup::id_value(id);
  record.simhash = fp.simhash;
  record.content_hi = fp.content_hi;
  record.content_lo = fp.content_lo;
  record.minute = dedup::parse_minutes(article.published_at);
  if (record.minute == 0) record.minute = dedup::parse_minutes(article.fetched_at);
  record.minhash = fp.minhash;
  if (article.source.is_kafka()) {
    record.stream = dedup::stream_of(article.source.topic, article.source.partition);
    record.offset = article.source.offset;
  }

  std::optional<dedup::FingerprintRecord> accepted;
  const dedup::Match m = state_.check(article.sequence, record, &accepted);
  if (accepted) {
    article.dedup_key = dedup::hex64(accepted->id);
    article.dedup_record = dedup::encode_record(*accepted);
  }
  v.status = dedup::dedup_status(m.kind);
  state_.count_verdict(v.status);
  if (m.kind == dedup::MatchKind::kUnique) {
    v.cluster_id = dedup::hex64(record.id);
  } else {
    v.duplicate_of = dedup::hex64(m.duplicate_of);
    v.cluster_id = v.duplicate_of;
    v.distance = m.distance;
    v.similarity = static_cast<double>(static_cast<int>(m.similarity * 1000 + 0.5)) / 1000;
  }
  const bool copy = m.kind == dedup::MatchKind::kExactDuplicate || m.kind == dedup::MatchKind::kNearDuplicate ||
                    m.kind == dedup::MatchKind::kSameUrl;
  std::string reason;
  if (config_.drop && copy) {
    reason = std::string(dedup_status_name(v.status)) + " of " + v.duplicate_of;
    if (v.similarity) {
      char buf[32];
      std::snprintf(buf, sizeof buf, " (similarity %.2f)", *v.similarity);
      reason += buf;
    }
  }
  article.dedup = std::move(v);
  if (!reason.empty()) return Status(StatusCode::kDropped, std::move(reason));
  return Status::ok();
}

}  // namespace newsd
