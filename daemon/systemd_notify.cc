#include "daemon/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace newsd {

SystemdNotifier::SystemdNotifier() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  enabled_ = socket != nullptr && socket[0] != '\0';
  uint64_t usec = 0;
  // sd_watchdog_enabled also checks WATCHDOG_PID against our pid, so a child
  // that inherited the environment does not ping on our behalf.
  if (enabled_ && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_interval_ = std::chrono::microseconds(usec / 2);
  }
}

void SystemdNotifier::send(const std::string& message) {
  if (!enabled_) return;
  // Failures are ignored on purpose: the service manager going away must not
  // take the data path with it; systemd notices missing pings by itself.
  (void)sd_notify(0, message.c_str());
}

namespace {
// STATUS is one line; a newline would start a new assignment.
std::string status_line(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}
}  // namespace

void SystemdNotifier::ready(const std::string& status) {
  send(status.empty() ? "READY=1" : "READY=1\nSTATUS=" + status_line(status));
}

void SystemdNotifier::stopping(const std::string& status) {
  send(status.empty() ? "STOPPING=1" : "STOPPING=1\nSTATUS=" + status_line(status));
}

void SystemdNotifier::status(const std::string& text) { send("STATUS=" + status_line(text)); }

bool SystemdNotifier::tick(Clock::time_point now, bool healthy) {
  if (!enabled_ || watchdog_interval_.count() == 0 || !healthy) return false;
  if (last_ping_ != Clock::time_point{} && now - last_ping_ < watchdog_interval_) return false;
  send("WATCHDOG=1");
  last_ping_ = now;
  return true;
}

}  // namespace newsd
