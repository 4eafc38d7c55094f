#include "daemon/logging.h"

#include <spdlog/sinks/stdout_sinks.h>

#include <cmath>
#include <cstdio>
#include <ctime>

#include "stages/encode/json_writer.h"

namespace newsd {

namespace {

// The fields of the log_event() call running on this thread; read by the
// formatters inside that same (synchronous) call.
thread_local const LogField* t_fields_begin = nullptr;
thread_local const LogField* t_fields_end = nullptr;

struct CurrentFields {
  const LogField* begin() const { return t_fields_begin; }
  const LogField* end() const { return t_fields_end; }
};
constexpr CurrentFields t_fields;

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "off";
  }
}

// RFC 3339 UTC with milliseconds: 2026-11-26T15:53:15.123Z.
void append_timestamp(std::string& out, spdlog::log_clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                              static_cast<int>(ms % 1000));
  out.append(buf, static_cast<size_t>(n));
}

class Formatter : public spdlog::formatter {
 public:
  explicit Formatter(bool json) : json_(json) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line;
    line.reserve(msg.payload.size() + 96);
    const std::string_view message(msg.payload.data(), msg.payload.size());
    if (json_) {
      line += "{\"timestamp\":\"";
      append_timestamp(line, msg.time);
      line += "\",\"level\":\"";
      line += level_name(msg.level);
      line += "\",\"message\":";
      append_json_string(line, message);
      for (const LogField& f : t_fields) {
        line += ',';
        append_json_string(line, f.key);
        line += ':';
        if (f.quoted) append_json_string(line, f.value);
        else line += f.value;
      }
      line += '}';
    } else {
      append_timestamp(line, msg.time);
      line += ' ';
      line += level_name(msg.level);
      line += ' ';
      line += message;
      for (const LogField& f : t_fields) {
        line += ' ';
        line += f.key;
        line += '=';
        const bool needs_quotes = f.quoted && (f.value.empty() || f.value.find_first_of(" \"=") != std::string::npos);
        if (needs_quotes) append_json_string(line, f.value);
        else line += f.value;
      }
    }
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<Formatter>(json_); }

 private:
  bool json_;
};

// librdkafka passes syslog levels: 0 emerg .. 7 debug.
spdlog::level::level_enum from_syslog(int level) {
  if (level <= 2) return spdlog::level::critical;
  if (level == 3) return spdlog::level::err;
  if (level == 4) return spdlog::level::warn;
  if (level <= 6) return spdlog::level::info;
  return spdlog::level::debug;
}

}  // namespace

LogField::LogField(std::string_view k, double v) : key(k), quoted(false) {
  if (!std::isfinite(v)) {
    // JSON has no NaN/Inf; a string keeps the line valid.
    value = std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
    quoted = true;
    return;
  }
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.6g", v);
  value.assign(buf, static_cast<size_t>(n));
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  append_json_escaped(out, text);  // invalid UTF-8 bytes become U+FFFD
  out += '"';
}

std::shared_ptr<spdlog::logger> make_logger(const LogConfig& config, spdlog::sink_ptr sink, std::string& error) {
  if (config.format != "json" && config.format != "text") {
    error = "log.format: unknown format '" + config.format + "'";
    return nullptr;
  }
  const spdlog::level::level_enum level = spdlog::level::from_str(config.level);
  // from_str maps anything unknown to off; only "off" itself may mean off.
  if (level == spdlog::level::off && config.level != "off") {
    error = "log.level: unknown level '" + config.level + "'";
    return nullptr;
  }
  auto logger = std::make_shared<spdlog::logger>("newsd", std::move(sink));
  logger->set_formatter(std::make_unique<Formatter>(config.format == "json"));
  logger->set_level(level);
  // Warnings and worse are rare and matter when the process dies right after.
  logger->flush_on(spdlog::level::warn);
  return logger;
}

bool configure_logging(const LogConfig& config, std::string& error) {
  auto logger = make_logger(config, std::make_shared<spdlog::sinks::stderr_sink_mt>(), error);
  if (logger == nullptr) return false;
  spdlog::set_default_logger(std::move(logger));
  return true;
}

namespace {
void log_with_fields(spdlog::level::level_enum level, std::string_view message, const LogField* begin,
                     const LogField* end, spdlog::logger* logger) {
  if (logger == nullptr) logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  const LogField* saved_begin = t_fields_begin;
  const LogField* saved_end = t_fields_end;
  t_fields_begin = begin;
  t_fields_end = end;
  logger->log(level, spdlog::string_view_t(message.data(), message.size()));
  t_fields_begin = saved_begin;
  t_fields_end = saved_end;
}
}  // namespace

void log_event(spdlog::level::level_enum level, std::string_view message, LogFields fields, spdlog::logger* logger) {
  log_with_fields(level, message, fields.begin(), fields.end(), logger);
}

void log_event(spdlog::level::level_enum level, std::string_view message, const std::vector<LogField>& fields,
               spdlog::logger* logger) {
  log_with_fields(level, message, fields.data(), fields.data() + fields.size(), logger);
}

void log_librdkafka(int syslog_level, std::string_view facility, std::string_view message, std::string_view client,
                    spdlog::logger* logger) {
  log_event(from_syslog(syslog_level), message,
            {{"component", "librdkafka"}, {"facility", facility}, {"client", client}}, logger);
}

}  // namespace newsd
