// MockCluster: librdkafka's in-process mock broker, for fault-injection
// tests only (never used by `newsd run`). Lets tests make a topic fail
// without a real broker.
//
// Thread-safety: create and configure from one thread; clients on other
// threads may talk to it meanwhile. Lifetime: outlives every client that
// uses bootstraps().
#pragma once

#include <memory>
#include <string>

#include "stages/status.h"

namespace newsd::kafka {

class MockCluster {
 public:
  static std::unique_ptr<MockCluster> create(int brokers, std::string& error);
  ~MockCluster();

  std::string bootstraps() const;
  Status create_topic(const std::string& name, int partitions);
  // While on, requests about `topic` (metadata) fail with "topic
  // authorization failed", so nothing can be produced to it.
  void deny_topic(const std::string& topic, bool on);

  struct Impl;

 private:
  explicit MockCluster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsd::kafka
