// OffsetTracker: which input offsets may be committed, per partition.
//
// Workers finish pages out of order and a page is only "done" once its output
// (article or dead letter) is acknowledged by the broker, or it was dropped on
// purpose. The committable offset of a partition is therefore the offset just
// past the longest prefix of dispatched offsets that are all done: committing
// it can never skip a page whose output is not yet durable (at-least-once).
//
// The poll loop calls assign/track/revoke; acks come from worker threads (for
// dropped pages) and the producer's delivery-report thread. An ack for a
// partition that is no longer assigned, or for an offset not tracked, is
// ignored: its page will be redelivered to whoever owns the partition now.
//
// Thread-safety: every method locks; any thread may call any method.
// Memory: one 16-byte entry per dispatched page not yet committable, so it is
// bounded by the work queue plus the producer's in-flight records.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "daemon/kafka/topic_partition.h"

namespace newsd {

class OffsetTracker {
 public:
  // Starts tracking a partition afresh (after an assignment).
  void assign(const TopicPartition& tp);
  // Forgets a partition (after revocation); later acks for it are ignored.
  void revoke(const TopicPartition& tp);
  void clear();

  // Records that `offset` was handed to the workers. Offsets of a partition
  // must be tracked in increasing order. False when the partition is not
  // assigned (the record must not be processed).
  bool track(const TopicPartition& tp, int64_t offset);
  // Undoes the last track() of a partition (the queue refused the page).
  void untrack_last(const TopicPartition& tp);
  // The page at `offset` is finished: its output is durable or it was dropped.
  void ack(const TopicPartition& tp, int64_t offset);

  // Every assigned partition with progress, at the offset after its done prefix.
  std::vector<PartitionOffset> committable() const;
  // Pages tracked but not yet done, over all partitions.
  size_t pending() const;
  size_t assigned() const;

 private:
  struct Entry {
    int64_t offset;
    bool done;
  };
  struct State {
    std::deque<Entry> entries;  // increasing offsets
    int64_t next = -1;          // committable offset; -1 = nothing done yet
  };

  mutable std::mutex mu_;
  std::map<TopicPartition, State> partitions_;
};

}  // namespace newsd
