// SystemdNotifier against a fake service manager: the test binds the unix
// datagram socket systemd would pass in NOTIFY_SOCKET and reads what arrives.
#include "daemon/systemd_notify.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "tests/testing/fake_service_manager.h"

namespace newsd {
namespace {

using testing::FakeServiceManager;

class SystemdNotifyTest : public ::testing::Test {
 protected:
  void TearDown() override {
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
  }
  void under_systemd(const FakeServiceManager& manager, const char* watchdog_usec, pid_t watchdog_pid) {
    setenv("NOTIFY_SOCKET", manager.path().c_str(), 1);
    if (watchdog_usec != nullptr) {
      setenv("WATCHDOG_USEC", watchdog_usec, 1);
      setenv("WATCHDOG_PID", std::to_string(watchdog_pid).c_str(), 1);
    }
  }
};

TEST_F(SystemdNotifyTest, ReadyWatchdogStoppingReachTheSocket) {
  FakeServiceManager manager;
  ASSERT_TRUE(manager.bound());
  under_systemd(manager, "20000000", getpid());  // WatchdogSec=20s

  SystemdNotifier notifier;
  ASSERT_TRUE(notifier.enabled());
  EXPECT_EQ(notifier.watchdog_interval(), std::chrono::seconds(10));

  notifier.ready("consuming 12 partitions");
  EXPECT_EQ(manager.receive(), "READY=1\nSTATUS=consuming 12 partitions");

  const auto t0 = SystemdNotifier::Clock::now();
  EXPECT_TRUE(notifier.tick(t0, true));
  EXPECT_EQ(manager.receive(), "WATCHDOG=1");
  // Not again before half the watchdog period...
  EXPECT_FALSE(notifier.tick(t0 + std::chrono::seconds(9), true));
  EXPECT_TRUE(manager.nothing_pending());
  // ...and never while the poll loop is unhealthy, so systemd restarts a stuck daemon.
  EXPECT_FALSE(notifier.tick(t0 + std::chrono::seconds(11), false));
  EXPECT_TRUE(manager.nothing_pending());
  EXPECT_TRUE(notifier.tick(t0 + std::chrono::seconds(11), true));
  EXPECT_EQ(manager.receive(), "WATCHDOG=1");

  notifier.status("lag 42\nignored newline");
  EXPECT_EQ(manager.receive(), "STATUS=lag 42 ignored newline");

  notifier.stopping("draining");
  EXPECT_EQ(manager.receive(), "STOPPING=1\nSTATUS=draining");
}

TEST_F(SystemdNotifyTest, WatchdogOffWhenNotOurPid) {
  FakeServiceManager manager;
  ASSERT_TRUE(manager.bound());
  under_systemd(manager, "20000000", getpid() + 1);
  SystemdNotifier notifier;
  EXPECT_TRUE(notifier.enabled());
  EXPECT_EQ(notifier.watchdog_interval().count(), 0);
  EXPECT_FALSE(notifier.tick(SystemdNotifier::Clock::now(), true));
  notifier.ready();
  EXPECT_EQ(manager.receive(), "READY=1");
}

TEST_F(SystemdNotifyTest, NoOpOutsideSystemd) {
  unsetenv("NOTIFY_SOCKET");
  SystemdNotifier notifier;
  EXPECT_FALSE(notifier.enabled());
  EXPECT_FALSE(notifier.tick(SystemdNotifier::Clock::now(), true));
  notifier.ready("x");  // must not crash or block
  notifier.stopping();
}

}  // namespace
}  // namespace newsd
