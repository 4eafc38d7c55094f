// SystemdNotifier: tells the service manager how `newsd run` is doing, over
// sd_notify(3) (the NOTIFY_SOCKET datagram protocol of Type=notify units).
//
//   ready()     READY=1 once partitions can be consumed (after config, broker
//               connect and subscribe), so `systemctl start` returns then
//   stopping()  STOPPING=1 when draining starts
//   status(s)   STATUS=... shown by `systemctl status`
//   tick(now, healthy)  WATCHDOG=1 at half of WatchdogSec, but only while the
//               caller says the poll loop is healthy, so a stuck loop gets
//               the process killed and restarted by systemd
//
// Without NOTIFY_SOCKET (not under systemd, or in Kubernetes) every call is a
// cheap no-op, so the daemon calls them unconditionally.
//
// Thread-safety: not thread-safe; call from the poll loop's thread.
#pragma once

#include <chrono>
#include <string>

namespace newsd {

class SystemdNotifier {
 public:
  using Clock = std::chrono::steady_clock;

  // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment.
  SystemdNotifier();

  bool enabled() const { return enabled_; }
  // Interval between watchdog pings (half of WatchdogSec), zero when the
  // watchdog is off.
  std::chrono::microseconds watchdog_interval() const { return watchdog_interval_; }

  void ready(const std::string& status = "");
  void stopping(const std::string& status = "");
  void status(const std::string& text);

  // Sends WATCHDOG=1 when the watchdog is on, `healthy` is true and the last
  // ping is at least watchdog_interval() old. Returns true when it pinged.
  bool tick(Clock::time_point now, bool healthy);

 private:
  void send(const std::string& message);

  bool enabled_ = false;
  std::chrono::microseconds watchdog_interval_{0};
  Clock::time_point last_ping_{};
};

}  // namespace newsd
