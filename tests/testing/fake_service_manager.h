// FakeServiceManager: the service manager's end of sd_notify(3) for tests.
// It binds a unix datagram socket in the temp directory; point NOTIFY_SOCKET
// at path() and read what the code under test (or its child) sends.
//
// Thread-safety: one thread. Lifetime: the socket file is removed on
// destruction.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace newsd::testing {

class FakeServiceManager {
 public:
  FakeServiceManager() {
    path_ = std::filesystem::temp_directory_path() / ("newsd-notify-" + std::to_string(getpid()) + ".sock");
    std::filesystem::remove(path_);
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    bound_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~FakeServiceManager() {
    if (fd_ >= 0) close(fd_);
    std::filesystem::remove(path_);
  }
  FakeServiceManager(const FakeServiceManager&) = delete;
  FakeServiceManager& operator=(const FakeServiceManager&) = delete;

  bool bound() const { return bound_; }
  std::string path() const { return path_.string(); }

  // The next datagram, or "" when none arrives within `timeout`.
  std::string receive(std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) != 1) return "";
    char buf[4096];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return "";
    received_.emplace_back(buf, static_cast<size_t>(n));
    return received_.back();
  }

  bool nothing_pending() {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, 50) == 0;
  }

  // Reads datagrams until one contains `needle`; false after `timeout`.
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (receive(std::chrono::milliseconds(100)).find(needle) != std::string::npos && !needle.empty()) return true;
    }
    return false;
  }

  // Everything received so far, for failure messages.
  std::string received() const {
    std::string all;
    for (const std::string& r : received_) all += "[" + r + "] ";
    return all;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool bound_ = false;
  std::vector<std::string> received_;
};

}  // namespace newsd::testing
