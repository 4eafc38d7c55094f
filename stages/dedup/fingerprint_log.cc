#include "stages/dedup/fingerprint_log.h"

#include <cstring>
#include <thread>

namespace newsd::dedup {
namespace {

constexpr uint8_t kVersion = 2;
constexpr size_t kRecordSize = 1 + 5 * 8 + kMinHashes;

void put64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t get64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::string encode_record(const FingerprintRecord& r) {
  std::string out;
  out.reserve(kRecordSize);
  out.push_back(static_cast<char>(kVersion));
  put64(out, r.id);
  put64(out, r.simhash);
  put64(out, r.content_hi);
  put64(out, r.content_lo);
  put64(out, static_cast<uint64_t>(r.minute));
  out.append(reinterpret_cast<const char*>(r.minhash.data()), r.minhash.size());
  return out;
}

bool decode_record(std::string_view bytes, FingerprintRecord& out) {
  if (bytes.size() != kRecordSize || static_cast<uint8_t>(bytes[0]) != kVersion) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + 1;
  out.id = get64(p);
  out.simhash = get64(p + 8);
  out.content_hi = get64(p + 16);
  out.content_lo = get64(p + 24);
  out.minute = static_cast<int64_t>(get64(p + 32));
  std::memcpy(out.minhash.data(), p + 40, kMinHashes);
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
    batch.assign(store_->records.begin() + static_cast<std::ptrdiff_t>(read_), store_->records.end());
    read_ = store_->records.size();
  }
  for (const std::string& bytes : batch) {
    FingerprintRecord r;
    if (!decode_record(bytes, r)) return internal_error("fingerprint log holds a malformed record");
    sink(r);
  }
  return Status::ok();
}

Status MemoryFingerprintLog::poll(const Sink& sink, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard lock(store_->mu);
      if (store_->records.size() > read_ || std::chrono::steady_clock::now() >= deadline) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return replay(sink);
}

}  // namespace newsd::dedup
