#include "stages/dedup/fingerprint_log.h"

#include <cstring>
#include <thread>

namespace newsd::dedup {
namespace {

constexpr uint8_t kVersion = 3;
constexpr size_t kV2Size = 1 + 5 * 8 + kMinHashes;
// Version 3 adds stream (4), offset (8), kind (1), distance (1), similarity (2).
constexpr size_t kRecordSize = kV2Size + 16;

uint64_t get(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
uint64_t get64(const unsigned char* p) {
  return get(p, 8);
}

void put(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

std::string encode_record(const FingerprintRecord& r) {
  std::string out;
  out.reserve(kRecordSize);
  out.push_back(static_cast<char>(kVersion));
  for (uint64_t v : {r.id, r.simhash, r.content_hi, r.content_lo, static_cast<uint64_t>(r.minute)}) put(out, v, 8);
  out.append(reinterpret_cast<const char*>(r.minhash.data()), r.minhash.size());
  put(out, r.stream, 4);
  put(out, static_cast<uint64_t>(r.offset), 8);
  put(out, static_cast<uint64_t>(r.kind), 1);
  put(out, static_cast<uint8_t>(static_cast<int8_t>(r.distance)), 1);
  put(out, r.similarity_milli, 2);
  return out;
}

bool decode_record(std::string_view bytes, FingerprintRecord& out) {
  // Version 2 records (no source, no verdict) still read: their pages count
  // as seen at an unknown position.
  const bool v2 = bytes.size() == kV2Size && static_cast<uint8_t>(bytes[0]) == 2;
  if (!v2 && (bytes.size() != kRecordSize || static_cast<uint8_t>(bytes[0]) != kVersion)) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + 1;
  out = FingerprintRecord{};
  out.id = get64(p);
  out.simhash = get64(p + 8);
  out.content_hi = get64(p + 16);
  out.content_lo = get64(p + 24);
  out.minute = static_cast<int64_t>(get64(p + 32));
  std::memcpy(out.minhash.data(), p + 40, kMinHashes);
  if (v2) return true;
  p += 40 + kMinHashes;
  out.stream = static_cast<uint32_t>(get(p, 4));
  out.offset = static_cast<int64_t>(get(p + 4, 8));
  if (p[12] != static_cast<uint8_t>(MatchKind::kUnique) && p[12] != static_cast<uint8_t>(MatchKind::kUpdated))
    return false;
  out.kind = static_cast<MatchKind>(p[12]);
  out.distance = static_cast<int8_t>(p[13]);
  out.similarity_milli = static_cast<uint16_t>(get(p + 14, 2));
  return true;
}

Status MemoryFingerprintLog::append(const FingerprintRecord& record) {
  std::lock_guard lock(store_->mu);
  store_->records.push_back(encode_record(record));
  return Status::ok();
}

Status MemoryFingerprintLog::replay(const Sink& sink) {
  std::vector<std::string> batch;
  {
    std::lock_guard lock(store_->mu);
    batch.assign(store_->records.begin() + static_cast<std::ptrdiff_t>(read_.load()), store_->records.end());
    read_ = store_->records.size();
  }
  Status status;
  for (const std::string& bytes : batch) {
    FingerprintRecord r;
    if (decode_record(bytes, r))
      sink(r);
    else if (status.is_ok())
      status = internal_error("fingerprint log holds a malformed record");
  }
  done_ = read_.load();
  return status;
}

Status MemoryFingerprintLog::catch_up(std::chrono::milliseconds timeout) {
  size_t stored;
  {
    std::lock_guard lock(store_->mu);
    stored = store_->records.size();
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (done_.load() < stored) {
    if (std::chrono::steady_clock::now() >= deadline) return internal_error("fingerprint log: catch-up timed out");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status::ok();
}

Status MemoryFingerprintLog::poll(const Sink& sink, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard lock(store_->mu);
      if (store_->records.size() > read_.load() || std::chrono::steady_clock::now() >= deadline) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return replay(sink);
}

}  // namespace newsd::dedup
