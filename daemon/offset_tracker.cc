#include "daemon/offset_tracker.h"

#include <algorithm>

namespace newsd {

void OffsetTracker::assign(const TopicPartition& tp) {
  std::lock_guard lock(mu_);
  partitions_[tp] = State{};
}

void OffsetTracker::revoke(const TopicPartition& tp) {
  std::lock_guard lock(mu_);
  partitions_.erase(tp);
}

void OffsetTracker::clear() {
  std::lock_guard lock(mu_);
  partitions_.clear();
}

bool OffsetTracker::track(const TopicPartition& tp, int64_t offset) {
  std::lock_guard lock(mu_);
  auto it = partitions_.find(tp);
  if (it == partitions_.end()) return false;
  it->second.entries.push_back({offset, false});
  return true;
}

void OffsetTracker::untrack_last(const TopicPartition& tp) {
  std::lock_guard lock(mu_);
  auto it = partitions_.find(tp);
  if (it != partitions_.end() && !it->second.entries.empty()) it->second.entries.pop_back();
}

void OffsetTracker::ack(const TopicPartition& tp, int64_t offset) {
  std::lock_guard lock(mu_);
  auto it = partitions_.find(tp);
  if (it == partitions_.end()) return;
  State& s = it->second;
  auto e = std::lower_bound(s.entries.begin(), s.entries.end(), offset,
                            [](const Entry& entry, int64_t o) { return entry.offset < o; });
  if (e == s.entries.end() || e->offset != offset) return;
  e->done = true;
  while (!s.entries.empty() && s.entries.front().done) {
    s.next = s.entries.front().offset + 1;
    s.entries.pop_front();
  }
}

std::vector<PartitionOffset> OffsetTracker::committable() const {
  std::lock_guard lock(mu_);
  std::vector<PartitionOffset> out;
  for (const auto& [tp, s] : partitions_) {
    if (s.next >= 0) out.push_back({tp, s.next});
  }
  return out;
}

size_t OffsetTracker::pending() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [tp, s] : partitions_) n += s.entries.size();
  return n;
}

size_t OffsetTracker::assigned() const {
  std::lock_guard lock(mu_);
  return partitions_.size();
}

}  // namespace newsd
