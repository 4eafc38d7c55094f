// Logging: newsd's one logger (spdlog), in log.format text or json, with
// structured fields.
//
//   configure_logging(config.log);                   // once, at start-up
//   log_event(spdlog::level::warn, "commit failed", {{"partition", 3}, {"error", err}});
//   spdlog::info("plain line");                      // also fine: same logger, same format
//
// json: one object per line, {"timestamp":"2026-11-26T15:53:15.123Z",
// "level":"info","message":"...", <fields>}; text: `TIMESTAMP LEVEL message
// key=value ...`. Bytes that are not UTF-8 become U+FFFD, so a line is always
// valid JSON whatever a library or a page put into the message.
//
// librdkafka's log and error callbacks call log_librdkafka() (daemon/kafka/
// does; this file does not include librdkafka), so broker trouble shows up in
// the same stream with component="librdkafka".
//
// Per-page events are never logged at info or above: pages are counted in
// metrics; the summary line (daemon/summary.h) reports the rates.
//
// Thread-safety: every function may be called from any thread once
// configure_logging() has returned; configure_logging() itself is called
// before other threads start. The logger is synchronous: fields reach the
// formatter through a thread-local for the duration of one call.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "daemon/config.h"

namespace newsd {

// One structured field: a key and a value rendered as a JSON string or number.
struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(v), quoted(true) {}
  LogField(std::string_view k, const char* v) : key(k), value(v), quoted(true) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v), quoted(true) {}
  LogField(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), quoted(false) {}
  LogField(std::string_view k, int v) : LogField(k, static_cast<int64_t>(v)) {}
  LogField(std::string_view k, int64_t v) : key(k), value(std::to_string(v)), quoted(false) {}
  LogField(std::string_view k, uint64_t v) : key(k), value(std::to_string(v)), quoted(false) {}
  LogField(std::string_view k, double v);

  std::string_view key;
  std::string value;
  bool quoted;
};
using LogFields = std::initializer_list<LogField>;

// Builds a logger named "newsd" writing to `sink` in config.format at
// config.level. Returns null and sets `error` for an unknown format or level
// (the config checks make that unreachable for loaded configs).
std::shared_ptr<spdlog::logger> make_logger(const LogConfig& config, spdlog::sink_ptr sink, std::string& error);

// make_logger() on stderr, installed as spdlog's default logger. journald and
// Kubernetes both collect stderr, so there is no file sink.
[[nodiscard]] bool configure_logging(const LogConfig& config, std::string& error);

// Logs `message` with `fields` on `logger` (default: spdlog's default logger).
void log_event(spdlog::level::level_enum level, std::string_view message, LogFields fields = {},
               spdlog::logger* logger = nullptr);
// Same, for fields decided at run time (some present, some not).
void log_event(spdlog::level::level_enum level, std::string_view message, const std::vector<LogField>& fields,
               spdlog::logger* logger = nullptr);

// For librdkafka's log callback: `syslog_level` is its 0 (emerg) .. 7 (debug)
// level, `facility` its short tag ("FAIL", "REQTMOUT"), `client` the handle
// name ("rdkafka#consumer-1").
void log_librdkafka(int syslog_level, std::string_view facility, std::string_view message, std::string_view client,
                    spdlog::logger* logger = nullptr);

// Appends `text` as a JSON string literal (quotes included), escaping control
// characters and replacing invalid UTF-8 with U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace newsd
