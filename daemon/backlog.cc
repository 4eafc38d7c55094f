#include "daemon/backlog.h"

#include <algorithm>

namespace newsd {

void Backlog::push(Article&& article) {
  const size_t bytes = article.input.payload.size();
  bytes_ += bytes;
  pages_.push_back({std::move(article), bytes});
}

void Backlog::pop_front() {
  bytes_ -= pages_.front().bytes;
  pages_.pop_front();
}

void Backlog::clear() {
  pages_.clear();
  bytes_ = 0;
}

void Backlog::erase_if(const std::function<bool(const Article&)>& drop) {
  std::erase_if(pages_, [&](const Entry& e) { return drop(e.article); });
  bytes_ = 0;
  for (const Entry& e : pages_) bytes_ += e.bytes;
}

bool Backlog::full(size_t queued_bytes) const {
  return pages_.size() >= bounds_.max_pages || bytes_ + queued_bytes >= bounds_.max_bytes;
}

Backlog::Change Backlog::update(size_t queued_bytes) {
  if (!paused() && full(queued_bytes)) {
    paused_.store(true, std::memory_order_relaxed);
    return Change::kPause;
  }
  if (paused() && pages_.size() <= bounds_.max_pages / 2 && bytes_ + queued_bytes <= bounds_.max_bytes / 2) {
    paused_.store(false, std::memory_order_relaxed);
    return Change::kResume;
  }
  return Change::kNone;
}

}  // namespace newsd
