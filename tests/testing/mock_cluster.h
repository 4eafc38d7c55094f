// MockCluster: librdkafka's in-process mock broker, for fault-injection
// tests only (never used by `newsd run`). Lets tests make a topic fail,
// requests fail or a broker go down, without a real broker.
//
// librdkafka 2.0.2's mock runs transactions (InitProducerId,
// AddPartitionsToTxn, TxnOffsetCommit, EndTxn) but keeps no transaction
// markers: a read_committed reader also sees records of aborted
// transactions, and TxnOffsetCommit commits at once. Exactly-once tests must
// therefore make a transaction fail before it writes anything (see
// Request::kAddPartitionsToTxn).
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

  enum class Request {
    // Abortable for a transactional producer: the transaction's first
    // record waits for this request, so the transaction wrote nothing.
    kAddPartitionsToTxn,
    // A non-retriable commit error ("offset metadata too large").
    kOffsetCommit,
    // The broker refuses the records of a produce request ("invalid record"):
    // no retry fixes it, and it concerns those records only.
    kProduce,
  };
  // The next `count` requests of that kind (from any client) fail.
  void fail_next(Request request, int count);
  // Drops the failures still queued for that kind of request.
  void clear_failures(Request request);
  // A broker that is down refuses connections until it is up again.
  void set_broker_up(int broker_id, bool up);

  struct Impl;

 private:
  explicit MockCluster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsd::kafka
