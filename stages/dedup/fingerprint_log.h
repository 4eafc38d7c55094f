// FingerprintLog: where accepted fingerprints are kept beyond one process.
//
// Each replica appends the fingerprints its index accepted and reads back
// everyone's, so a restart or another replica still recognises copies of
// articles seen before. The stage knows only this interface; `newsd run`
// plugs in the Kafka implementation (daemon/kafka/dedup_state_log.h, a
// compacted topic keyed by article id). MemoryFingerprintLog is an in-process
// stand-in for tests.
//
// Thread-safety: append() may be called from any worker thread at once;
// replay() and poll() are called by one thread (the index's tailer).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "stages/dedup/fingerprint_index.h"
#include "stages/status.h"

namespace newsd::dedup {

class FingerprintLog {
 public:
  using Sink = std::function<void(const FingerprintRecord&)>;
  virtual ~FingerprintLog() = default;

  // Queues a record for storage; does not wait for it to be stored.
  virtual Status append(const FingerprintRecord& record) = 0;
  // Delivers every record stored when called, then returns.
  virtual Status replay(const Sink& sink) = 0;
  // Delivers records stored since the last replay() or poll(), waiting up to
  // `timeout` for the first one.
  virtual Status poll(const Sink& sink, std::chrono::milliseconds timeout) = 0;
  // Returns once poll() (on another thread) has delivered every record stored
  // before this call; an error when `timeout` passes first. Any thread.
  virtual Status catch_up(std::chrono::milliseconds timeout) = 0;
};

// Fixed 81-byte little-endian wire form: version (3), id, simhash, content
// hash (hi, lo), minute, signature, then stream (4 bytes), offset (8), kind,
// distance (1 each), similarity in thousandths (2). Version 2 (65 bytes,
// without the last five fields) is still read. The record key is the id's
// 16 hex digits.
std::string encode_record(const FingerprintRecord& r);
bool decode_record(std::string_view bytes, FingerprintRecord& out);

// Records in memory; several logs built on one Store act as replicas sharing a topic.
class MemoryFingerprintLog : public FingerprintLog {
 public:
  struct Store {
    std::mutex mu;
    std::vector<std::string> records;
  };
  explicit MemoryFingerprintLog(std::shared_ptr<Store> store) : store_(std::move(store)) {}

  Status append(const FingerprintRecord& record) override;
  Status replay(const Sink& sink) override;
  Status poll(const Sink& sink, std::chrono::milliseconds timeout) override;
  Status catch_up(std::chrono::milliseconds timeout) override;

 private:
  std::shared_ptr<Store> store_;
  std::atomic<size_t> read_{0};  // records taken from the store
  std::atomic<size_t> done_{0};  // of those, delivered
};

}  // namespace newsd::dedup
