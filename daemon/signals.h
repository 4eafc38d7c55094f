// Signals of `newsd run`: SIGTERM/SIGINT ask for a graceful shutdown, SIGHUP
// for a reload of data files. The handlers only set atomic flags; the poll
// loop reads them. A second SIGTERM/SIGINT while shutting down exits at once
// (status 1), for an operator who does not want to wait.
//
// Thread-safety: install() once, from main, before other threads start; the
// queries may be called from any thread.
#pragma once

namespace newsd::signals {

void install();
bool stop_requested();
// True once per SIGHUP received since the last call.
bool take_reload_request();
// For tests and for the daemon itself (fatal error): behave as if SIGTERM came.
void request_stop();

}  // namespace newsd::signals
