#include "daemon/signals.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace newsd::signals {
namespace {

std::atomic<int> g_stop{0};
std::atomic<bool> g_reload{false};

extern "C" void on_stop_signal(int) {
  if (g_stop.fetch_add(1) > 0) {
    constexpr char kMsg[] = "newsd: second signal, exiting at once\n";
    (void)!write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
    _exit(1);
  }
}

extern "C" void on_reload_signal(int) { g_reload.store(true); }

}  // namespace

void install() {
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_stop_signal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sa.sa_handler = on_reload_signal;
  sigaction(SIGHUP, &sa, nullptr);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, nullptr);
}

bool stop_requested() { return g_stop.load() > 0; }
bool take_reload_request() { return g_reload.exchange(false); }
void request_stop() {
  int expected = 0;
  g_stop.compare_exchange_strong(expected, 1);
}

}  // namespace newsd::signals
