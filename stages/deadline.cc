#include "stages/deadline.h"

namespace newsd {

thread_local PageDeadline::State PageDeadline::state_;

PageDeadline::PageDeadline(std::chrono::milliseconds limit) : saved_(state_) {
  state_ = State{};
  if (limit.count() > 0) state_.end = Clock::now() + limit;
}

PageDeadline::~PageDeadline() {
  state_ = saved_;
}

bool PageDeadline::expired() {
  State& s = state_;
  if (!s.expired && s.end != Clock::time_point::max() && Clock::now() >= s.end) s.expired = true;
  return s.expired;
}

}  // namespace newsd
